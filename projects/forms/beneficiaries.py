"""Forms of a project's beneficiaries: the search of the registry and the household added."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.codes import BeneficiaryRole


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("household number or head of household's name"), max_length=40, required=False
    )


class BeneficiaryForm(forms.Form):
    household = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(
        label=_("role"), choices=BeneficiaryRole.choices, initial=BeneficiaryRole.BENEFIT
    )
    amount = forms.DecimalField(
        label=_("amount (yuan)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)
