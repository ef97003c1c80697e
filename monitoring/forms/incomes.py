"""The income form of a household, and the income amounts other forms share."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.models import IncomeRecord


class IncomeAmounts(forms.Form):
    """The amounts of an income record (IncomeRecord.MONEY_FIELDS), shared by the income page and
    the post-elimination indicators of a case."""

    wage_income = forms.DecimalField(label=_("wage income"), min_value=0, decimal_places=2)
    business_income = forms.DecimalField(
        label=_("production and business income"), min_value=0, decimal_places=2
    )
    property_income = forms.DecimalField(label=_("property income"), min_value=0, decimal_places=2)
    transfer_income = forms.DecimalField(label=_("transfer income"), min_value=0, decimal_places=2)
    business_expense = forms.DecimalField(
        label=_("production and business expenditure"), min_value=0, decimal_places=2
    )
    claim_income = forms.DecimalField(
        label=_("insurance-claim income"), min_value=0, decimal_places=2, initial=0
    )
    compliant_self_paid = forms.DecimalField(
        label=_("compliant self-paid expenditure"), min_value=0, decimal_places=2, initial=0
    )

    def income(self) -> dict:
        return {name: self.cleaned_data[name] for name in IncomeRecord.MONEY_FIELDS}


class IncomeForm(IncomeAmounts):
    field_order = ["year", "kind", *IncomeRecord.MONEY_FIELDS, "household_size", "note"]

    year = forms.IntegerField(label=_("year"), min_value=2014, max_value=2100)
    kind = forms.ChoiceField(label=_("record type"), choices=IncomeRecord.Kind.choices)
    household_size = forms.IntegerField(label=_("household size"), min_value=1, max_value=30)
    note = forms.CharField(label=_("note"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
