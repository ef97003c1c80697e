"""Forms of the reviews and the library's decisions: township, sector department and county
reviews, the decision, admission, the funded plan, withdrawal, adjustment and roll-over."""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.forms import DateInput
from projects.forms.steps import StepForm, text_field, yes_no_required
from projects.models import Project
from projects.services.reviews import ADJUSTABLE_FIELDS


class ConfirmForm(StepForm):
    """A step that needs nothing but the user's confirmation."""


class TownshipReviewForm(StepForm):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            ("pass", _("Pass: on to the township's publicity")),
            ("return", _("Return to the village to change")),
            ("reject", _("Not approved")),
        ],
        widget=forms.RadioSelect,
    )
    reason = text_field(
        _("opinion"),
        max_length=300,
        required=False,
        help_text=_("Required when the proposal is returned or not approved."),
    )


class DepartmentReviewForm(StepForm):
    passed = yes_no_required(_("passed"))
    opinion = text_field(
        _("opinion"),
        help_text=_("Land use, environment and the sector's standards."),
    )


class JointReviewForm(StepForm):
    opinion = text_field(
        _("joint review opinion"),
        rows=3,
        help_text=_("Compliance, cost estimate, fund source, land use, environment."),
    )


class DecisionForm(StepForm):
    approved = yes_no_required(_("approved"))
    reason = text_field(
        _("reason"), max_length=300, required=False, help_text=_("Required when not approved.")
    )


class PlanForm(StepForm):
    plan_year = forms.IntegerField(label=_("funded in year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("plan_year", self.project.year)


class AdjustForm(StepForm):
    """The parts of an admitted project an adjustment may change, opened with their values."""

    reason = text_field(_("reason for the adjustment"), max_length=1000, rows=3)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        adjustable = fields_for_model(Project, fields=ADJUSTABLE_FIELDS)
        reason = self.fields.pop("reason")
        for name in ADJUSTABLE_FIELDS:
            field = adjustable[name]
            if isinstance(field.widget, forms.DateInput):
                field.widget = DateInput()
            elif isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
            self.fields[name] = field
            self.initial.setdefault(name, getattr(self.project, name))
        self.fields["reason"] = reason

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ADJUSTABLE_FIELDS}
