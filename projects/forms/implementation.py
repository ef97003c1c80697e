"""Forms from the funded plan to operation: start, progress, completion, the 管护 arrangements,
acceptance, the handover of the assets, the operating agreement and the start of operation."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.dates import today
from projects.codes import AcceptanceResult, OperatingMode
from projects.forms.steps import DATE, AttachmentsField, StepForm, text_field, yes_no_required
from projects.models import OperatingAgreement

MAINTENANCE_FIELDS = ("maintainer", "responsibility", "method", "funding_source")


class StartForm(StepForm):
    started_on = forms.DateField(label=_("started on"), widget=DATE, initial=today)


class ProgressReportForm(StepForm):
    reported_on = forms.DateField(label=_("as of"), widget=DATE, initial=today)
    percent = forms.DecimalField(
        label=_("physical progress (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
    )
    text = text_field(_("progress"), max_length=2000, rows=3)
    photos = AttachmentsField(label=_("site photos"))


class CompleteForm(StepForm):
    pass


class MaintenanceRowForm(forms.Form):
    maintainer = forms.CharField(label=_("maintained by"), max_length=120, required=False)
    responsibility = forms.CharField(label=_("responsibility"), max_length=300, required=False)
    method = forms.CharField(label=_("how"), max_length=300, required=False)
    funding_source = forms.CharField(label=_("maintenance funding"), max_length=120, required=False)

    def row(self) -> dict | None:
        """The arrangement written on this row, or None for a row left empty."""
        values = {name: (self.cleaned_data.get(name) or "").strip() for name in MAINTENANCE_FIELDS}
        return values if any(values.values()) else None


MaintenanceRows = forms.formset_factory(MaintenanceRowForm, extra=2, max_num=20, validate_max=True)


class MaintenanceForm(StepForm):
    """The whole list of 管护 arrangements, written again as a table of rows (an empty row is
    left out; clearing every row clears the list)."""

    def __init__(self, data=None, files=None, *args, **kwargs) -> None:
        super().__init__(data, files, *args, **kwargs)
        current = [
            {name: getattr(row, name) for name in MAINTENANCE_FIELDS}
            for row in self.project.maintenance.all()
        ]
        self.rows = MaintenanceRows(data, prefix=f"{self.prefix}-rows", initial=current)

    def is_valid(self) -> bool:
        return super().is_valid() & self.rows.is_valid()

    def arrangements(self) -> list[dict]:
        return [row for form in self.rows.forms if (row := form.row()) is not None]


class AcceptanceForm(StepForm):
    accepted_on = forms.DateField(label=_("accepted on"), widget=DATE, initial=today)
    result = forms.ChoiceField(
        label=_("result"), choices=AcceptanceResult.choices, widget=forms.RadioSelect
    )
    findings = text_field(
        _("findings"),
        max_length=2000,
        rows=3,
        required=False,
        help_text=_("Required when the project fails: what must be rectified."),
    )
    inspectors = forms.CharField(label=_("acceptance group"), max_length=200, required=False)
    documents = AttachmentsField(label=_("acceptance report"))


class HandoverForm(StepForm):
    handed_over_on = forms.DateField(label=_("handed over on"), widget=DATE, initial=today)
    asset_formed = yes_no_required(_("assets formed"))
    assets = text_field(_("assets handed over"), max_length=2000, required=False)
    value = forms.DecimalField(
        label=_("value (yuan)"), min_value=Decimal("0"), max_digits=14, decimal_places=2
    )
    recipient = forms.CharField(label=_("received by"), max_length=120, required=False)
    no_asset_reason = forms.CharField(
        label=_("why no asset was formed"), max_length=300, required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].required = False
        self.initial.setdefault("value", self.project.total_investment)


class AgreementForm(StepForm):
    mode = forms.ChoiceField(label=_("operating mode"), choices=OperatingMode.choices)
    operator = forms.CharField(label=_("operator"), max_length=120)
    operator_uscc = forms.CharField(
        label=_("operator's credit code"), max_length=18, required=False
    )
    signed_on = forms.DateField(label=_("signed on"), widget=DATE, initial=today)
    term_start = forms.DateField(label=_("term starts"), widget=DATE)
    term_end = forms.DateField(label=_("term ends"), widget=DATE)
    guaranteed_return_percent = forms.DecimalField(
        label=_("guaranteed return (% a year)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
    )
    variable_return = forms.CharField(label=_("variable return"), max_length=300, required=False)
    rights_obligations = text_field(_("rights and obligations"), max_length=5000, rows=3)

    VALUES = (
        "mode",
        "operator",
        "operator_uscc",
        "signed_on",
        "term_start",
        "term_end",
        "guaranteed_return_percent",
        "variable_return",
        "rights_obligations",
    )

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.VALUES}


class OperateForm(StepForm):
    mode = forms.ChoiceField(label=_("operating mode"), choices=OperatingMode.choices)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        signed = (
            OperatingAgreement.objects.filter(project=self.project)
            .values_list("mode", flat=True)
            .first()
        )
        if signed:
            self.initial.setdefault("mode", signed)
