"""Forms of micro-credit: a household's loan, a repayment, an interest subsidy (贴息) and the
bank's extension (展期)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from funds.codes import LoanPurpose
from funds.services.allocations import FUNDED_STATES
from kaiyuan.common.dates import today
from kaiyuan.common.forms import DateInput, VersionedForm
from monitoring.models import Member
from projects.models import Project

MONEY = {"max_digits": 14, "decimal_places": 2}


class LoanFilterForm(forms.Form):
    overdue = forms.BooleanField(label=_("overdue only"), required=False)


class LoanForm(forms.Form):
    borrower = forms.ModelChoiceField(label=_("borrower"), queryset=Member.objects.none())
    bank = forms.CharField(label=_("lending bank"), max_length=60)
    contract_number = forms.CharField(label=_("loan contract number"), max_length=60)
    amount = forms.DecimalField(label=_("loan amount (yuan)"), **MONEY)
    issued_on = forms.DateField(label=_("issued on"), widget=DateInput(), initial=today)
    term_months = forms.IntegerField(label=_("term (months)"), min_value=1, max_value=600)
    purpose = forms.ChoiceField(label=_("purpose"), choices=LoanPurpose.choices)
    purpose_note = forms.CharField(label=_("what the money is for"), max_length=200, required=False)
    annual_rate = forms.DecimalField(
        label=_("annual interest rate (%)"), max_digits=5, decimal_places=2
    )

    def __init__(self, *args, household, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The borrower is one of the household's present members.
        self.fields["borrower"].queryset = Member.objects.filter(
            household=household, status=Member.Status.ACTIVE
        ).order_by("id")
        self.fields["borrower"].label_from_instance = lambda member: member.name


class RepaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("amount repaid (yuan)"), **MONEY)
    repaid_on = forms.DateField(label=_("repaid on"), widget=DateInput(), initial=today)


class SubsidyForm(forms.Form):
    amount = forms.DecimalField(label=_("interest subsidy (yuan)"), **MONEY)
    period_start = forms.DateField(label=_("period from"), widget=DateInput())
    period_end = forms.DateField(label=_("period to"), widget=DateInput())
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput(), initial=today)
    project = forms.ModelChoiceField(
        label=_("paid from project"), queryset=Project.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = (
            Project.objects.visible_to(user).filter(status__in=FUNDED_STATES).order_by("code")
        )


class ExtensionForm(VersionedForm):
    extended_to = forms.DateField(label=_("extended to"), widget=DateInput())
