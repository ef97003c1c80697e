"""Forms of the case pages: one per step; they parse input, the case services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.dates import today
from kaiyuan.common.forms import DateInput
from monitoring.codes import EliminationMode, MonitoringCategory
from monitoring.forms.incomes import IncomeAmounts
from monitoring.models import CodeItem, RiskLead
from monitoring.models.households import GuaranteeAnswers

DATE = DateInput()
YES_NO_REQUIRED = [("", "—"), ("true", "是"), ("false", "否")]
MAX_ATTACHMENT_MB = 10


def _yes_no(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO_REQUIRED, coerce=lambda value: value == "true"
    )


class AttachmentField(forms.FileField):
    """A scanned document: PDF or image, at most MAX_ATTACHMENT_MB."""

    allowed = (".pdf", ".jpg", ".jpeg", ".png")

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            if not upload.name.lower().endswith(self.allowed):
                raise forms.ValidationError(_("Upload a PDF or a photo (JPG or PNG)."))
            if upload.size > MAX_ATTACHMENT_MB * 1024 * 1024:
                raise forms.ValidationError(
                    _("The file is larger than %(mb)s MB.") % {"mb": MAX_ATTACHMENT_MB}
                )
        return upload


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class GuaranteeFields(forms.Form):
    child_out_of_school = _yes_no(_("a compulsory-school-age child is out of school"))
    housing_unsafe = _yes_no(_("housing is unsafe"))
    member_uninsured = _yes_no(_("a member has no basic medical insurance"))
    water_unsafe = _yes_no(_("drinking water is unsafe"))

    def guarantees(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] for name in GuaranteeAnswers.GUARANTEE_FIELDS}


class LeadForm(forms.Form):
    description = forms.CharField(
        label=_("description"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    received_on = forms.DateField(label=_("date received"), widget=DATE, initial=today)
    source = forms.ChoiceField(
        label=_("source"),
        choices=[
            (RiskLead.Source.SELF_APPLICATION, RiskLead.Source.SELF_APPLICATION.label),
            (RiskLead.Source.VISIT, RiskLead.Source.VISIT.label),
        ],
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class EliminationOpenForm(ReasonForm):
    mode = forms.ChoiceField(label=_("elimination mode"), choices=EliminationMode.choices)


class ApplicationForm(StepForm, GuaranteeFields):
    application_date = forms.DateField(label=_("application date"), widget=DATE, initial=today)
    authorisation = AttachmentField(label=_("Signed application and authorisation"), required=False)
    category = forms.ChoiceField(label=_("monitoring category"), choices=MonitoringCategory.choices)
    risk_1 = forms.ChoiceField(label=_("risk 1"))
    risk_2 = forms.ChoiceField(label=_("risk 2"), required=False)
    risk_3 = forms.ChoiceField(label=_("risk 3"), required=False)
    risk_4 = forms.ChoiceField(label=_("risk 4"), required=False)
    risk_5 = forms.ChoiceField(label=_("risk 5"), required=False)
    disaster_subitem = forms.ChoiceField(label=_("natural disaster sub-item"), required=False)
    income_unstable_reason = forms.CharField(
        label=_("why income is unstable"),
        max_length=300,
        required=False,
        help_text=_("Needed when per-capita income is not below the monitoring line."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        risks = [("", "—")] + [(v, v) for v in CodeItem.objects.values_of("risk_type")]
        for index in range(1, 6):
            self.fields[f"risk_{index}"].choices = risks
        self.fields["disaster_subitem"].choices = [("", "—")] + [
            (v, v) for v in CodeItem.objects.values_of("disaster_subitem")
        ]

    def risks(self) -> list[str]:
        return [
            self.cleaned_data[f"risk_{i}"] for i in range(1, 6) if self.cleaned_data[f"risk_{i}"]
        ]


class CrosscheckForm(StepForm):
    result = forms.CharField(
        label=_("data cross-check result"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VerificationForm(StepForm):
    verifiers = forms.CharField(
        label=_("on-site verifiers"),
        max_length=300,
        help_text=_("Names of at least two verifiers, separated by commas."),
    )
    verified_on = forms.DateField(label=_("verified on"), widget=DATE, initial=today)
    findings = forms.CharField(
        label=_("findings"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    form = AttachmentField(label=_("On-site verification form"), required=False)

    def names(self) -> list[str]:
        raw = self.cleaned_data["verifiers"].replace("，", ",").replace("、", ",")
        return [name.strip() for name in raw.split(",") if name.strip()]


class IndicatorsForm(StepForm, GuaranteeFields, IncomeAmounts):
    """The post-elimination indicators: the four answers and the income amounts (MON-ELIM-6)."""


class AppraisalForm(StepForm):
    eligible = forms.TypedChoiceField(
        label=_("appraisal result"),
        coerce=lambda value: value == "true",
        choices=[("true", _("Eligible: go to publicity")), ("false", _("Not eligible"))],
        widget=forms.RadioSelect,
    )
    appraisal_on = forms.DateField(label=_("appraised on"), widget=DATE, initial=today)
    minutes = AttachmentField(label=_("Democratic appraisal minutes"), required=False)
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("objection"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublicityCloseForm(StepForm):
    objection_upheld = forms.TypedChoiceField(
        label=_("publicity result"),
        coerce=lambda value: value == "true",
        choices=[
            ("false", _("No objection, or objections rejected")),
            ("true", _("An objection was upheld")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("how objections were handled"), max_length=300, required=False)


class ReviewForm(StepForm):
    passed = forms.TypedChoiceField(
        label=_("township review"),
        coerce=lambda value: value == "true",
        choices=[
            ("true", _("Passed: send to the county")),
            ("false", _("Returned to on-site verification")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)


class DecisionForm(StepForm):
    approved = forms.TypedChoiceField(
        label=_("county decision"),
        coerce=lambda value: value == "true",
        choices=[("true", _("Approved")), ("false", _("Not approved"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)
