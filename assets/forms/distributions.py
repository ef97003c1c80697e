"""The input shapes of a distribution's pages: the plan drawn up, its amount, a line (a
household's share, or a PV station's post, work or reward), the publicity, the reopening after
an objection, the payment; the household search of the line's picker and the list's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assets.codes import HOUSEHOLD_USES, PV_USES, AssetType, LineUse
from assets.forms.incomes import money_field
from assets.models import Distribution
from kaiyuan.common.dates import today
from kaiyuan.common.forms import DateInput, VersionedForm
from monitoring.models import Household


class DistributionForm(forms.Form):
    amount = money_field(_("amount distributed (yuan)"))

    def __init__(self, *args, income, **kwargs) -> None:
        kwargs.setdefault("initial", {"amount": income.net_income})
        super().__init__(*args, **kwargs)
        self.fields["amount"].help_text = _(
            "At most the income after depreciation and maintenance."
        )


class AmountForm(VersionedForm):
    prefix = "total"
    amount = money_field(_("amount distributed (yuan)"))


class LineForm(VersionedForm):
    """A line of the plan. The uses offered are those of the asset (a PV station's three, with
    the names the year's policy gives them, or a household's share and stacked share); the
    households offered are those the search found among the ones the user may see. What is
    posted is checked by the service, so a use or household not offered is refused with the
    rule's reason."""

    prefix = "line"
    use = forms.ChoiceField(label=_("use"), choices=LineUse.choices)
    household = forms.ModelChoiceField(
        label=_("household"),
        queryset=Household.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": _("No such household.")},
    )
    item = forms.CharField(label=_("post or work"), max_length=120, required=False)
    payee = forms.CharField(label=_("paid to"), max_length=64, required=False)
    amount = money_field(_("amount (yuan)"))
    note = forms.CharField(label=_("reason"), max_length=200, required=False)

    def __init__(
        self, *args, distribution: Distribution, user, households=(), pv_labels=None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        pv = distribution.asset.asset_type == AssetType.PV_STATION
        labels = dict(LineUse.choices)
        if pv and pv_labels:
            labels.update(pv_labels)
        self.fields["use"].widget.choices = [
            (use, labels[use]) for use in (PV_USES if pv else HOUSEHOLD_USES)
        ]
        household = self.fields["household"]
        household.queryset = Household.objects.visible_to(user).select_related("area__parent")
        # Only the households found are drawn (never the whole county); any the user may see
        # is accepted, and the service says why one may not have a line.
        household.widget.choices = [(h.pk, household_label(h)) for h in households]
        household.help_text = (
            _("Search above for the household holding the post (or name the holder below).")
            if pv
            else _("Search above by name or household number, then choose the household.")
        )
        self.fields["item"].help_text = _("The post or the work named.")
        self.fields["payee"].help_text = _("The post holder or the payee.")


def household_label(household: Household) -> str:
    kind = (
        household.get_monitoring_category_display()
        if household.is_monitored
        else household.get_household_type_display()
    )
    return (
        f"{household.head_name} · {household.household_number} · "
        f"{household.area.parent.name if household.area.parent_id else ''}{household.area.name}"
        f" · {kind}"
    )


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("household number or head of household's name"), max_length=40, required=False
    )


class PublicityForm(VersionedForm):
    prefix = "publicity"
    publicity_from = forms.DateField(label=_("publicised from"), widget=DateInput())
    publicity_to = forms.DateField(label=_("publicised until"), widget=DateInput())
    publicity_place = forms.CharField(label=_("publicised at"), max_length=120)
    publicity_objections = forms.CharField(
        label=_("objections"),
        max_length=300,
        required=False,
        help_text=_("Objections raised during the publicity and how they were settled."),
    )


class ReviseForm(VersionedForm):
    prefix = "revise"
    reason = forms.CharField(label=_("the objection that reopens the plan"), max_length=300)


class PayForm(VersionedForm):
    prefix = "pay"
    paid_on = forms.DateField(label=_("paid out on"), widget=DateInput())
    payment_reference = forms.CharField(label=_("payment voucher"), max_length=80)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("paid_on", today())
        super().__init__(*args, **kwargs)


class VersionOnlyForm(VersionedForm):
    """A step with nothing to fill in (a line removed): the version the page showed."""
