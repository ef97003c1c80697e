"""The input shape of a year's income settlement (清算): the year, the income and the only two
deductions the plan allows (AST-9), and their correction while the plan is still drawn up."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.dates import today
from kaiyuan.common.forms import DateInput, VersionedForm
from kaiyuan.common.money import format_yuan


def money_field(label, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=0, required=required
    )


class AmountsForm(forms.Form):
    gross_income = money_field(_("income (yuan)"))
    depreciation = money_field(_("depreciation (yuan)"), required=False)
    maintenance = money_field(_("maintenance (yuan)"), required=False)

    def deductions(self) -> dict:
        data = self.cleaned_data
        return {"depreciation": data.get("depreciation"), "maintenance": data.get("maintenance")}


class IncomeForm(AmountsForm):
    year = forms.IntegerField(label=_("income year"), min_value=2000, max_value=2100)
    settled_on = forms.DateField(label=_("settled on"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    field_order = ["year", "gross_income", "depreciation", "maintenance", "settled_on", "note"]

    def __init__(self, *args, year: int, returns=None, **kwargs) -> None:
        """``returns``, a debt-type asset's ``YearReturn`` of ``year``: the income is pre-filled
        with the returns received for the year, and its help says where the figure comes from."""
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("year", year)
        kwargs["initial"].setdefault("settled_on", today())
        if returns is not None:
            kwargs["initial"].setdefault("gross_income", returns.received)
        super().__init__(*args, **kwargs)
        if returns is not None:
            self.fields["gross_income"].help_text = _(
                "The returns received from the debt placement for %(year)s: %(amount)s yuan."
            ) % {"year": returns.year, "amount": format_yuan(returns.received)}


class IncomeCorrectForm(AmountsForm, VersionedForm):
    note = forms.CharField(label=_("note"), max_length=300, required=False)
