"""Forms of debt placements: the agreement, a return received, principal recovered, a reversal,
a redeployment proposed and the bureau's decision on it, and the yearly 六清楚 checklist."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from funds.codes import SixClears
from funds.services.allocations import FUNDED_STATES
from kaiyuan.common.dates import today
from kaiyuan.common.forms import DateInput
from projects.models import Project

MONEY = {"max_digits": 14, "decimal_places": 2}


def _text(label, *, max_length: int = 500, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PlacementForm(forms.Form):
    counterparty = forms.CharField(label=_("counterparty"), max_length=120)
    counterparty_uscc = forms.CharField(label=_("counterparty's credit code"), max_length=18)
    principal = forms.DecimalField(label=_("principal (yuan)"), **MONEY)
    start_date = forms.DateField(label=_("term starts"), widget=DateInput())
    end_date = forms.DateField(label=_("term ends"), widget=DateInput())
    agreed_rate = forms.DecimalField(
        label=_("agreed annual return (%)"), max_digits=5, decimal_places=2
    )
    collateral = forms.CharField(label=_("guarantee or collateral"), max_length=300)
    risk_measures = _text(_("risk-control measures"))
    agreement_number = forms.CharField(label=_("agreement number"), max_length=80, required=False)


class ReturnForm(forms.Form):
    year = forms.IntegerField(label=_("for year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("amount (yuan)"), **MONEY)
    received_on = forms.DateField(label=_("received on"), widget=DateInput(), initial=today)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("year", today().year)


class RecoveryForm(forms.Form):
    amount = forms.DecimalField(label=_("amount (yuan)"), **MONEY)
    recovered_on = forms.DateField(label=_("recovered on"), widget=DateInput(), initial=today)


class ReverseForm(forms.Form):
    """The reversal of an entry recorded in error (its id comes with the button)."""

    entry = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("why it is reversed"), max_length=300)


class RedeploymentForm(forms.Form):
    amount = forms.DecimalField(label=_("amount (yuan)"), **MONEY)
    purpose = _text(_("new use"), max_length=300)
    to_project = forms.ModelChoiceField(
        label=_("into project"), queryset=Project.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_project"].queryset = (
            Project.objects.visible_to(user).filter(status__in=FUNDED_STATES).order_by("code")
        )


class RedeploymentDecisionForm(forms.Form):
    redeployment = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    consent = forms.TypedChoiceField(
        label=_("the bureau's decision"),
        choices=[("true", _("Consent")), ("false", _("Refuse"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("note (the reason, when refused)"), max_length=300, required=False
    )


class SixClearsForm(forms.Form):
    """六清楚 (DOMAIN.md §5.8): each of the six items clear or not, with a note."""

    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    reviewed_on = forms.DateField(label=_("reviewed on"), widget=DateInput(), initial=today)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, review=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        items = review.items if review is not None else {}
        for code, label in SixClears.choices:
            item = items.get(code) or {}
            self.fields[f"clear_{code}"] = forms.BooleanField(
                label=_("%(item)s: clear") % {"item": label}, required=False
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("%(item)s: note") % {"item": label}, max_length=300, required=False
            )
            self.initial.setdefault(f"clear_{code}", bool(item.get("clear")))
            self.initial.setdefault(f"note_{code}", item.get("note", ""))
        self.fields["problems"] = forms.CharField(
            label=_("open problems"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        self.fields["measures"] = forms.CharField(
            label=_("measures taken"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        self.initial.setdefault("year", review.year if review else today().year)
        if review is not None:
            self.initial.setdefault("problems", review.problems)
            self.initial.setdefault("measures", review.measures)
            self.initial.setdefault("version", review.version)

    def items(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {
            code: {"clear": data.get(f"clear_{code}", False), "note": data.get(f"note_{code}", "")}
            for code in SixClears.values
        }
