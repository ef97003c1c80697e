"""The input shapes of the payment pages: a payment with its payee, the 报账 with its vouchers,
finance's decision, the list's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from funds.codes import PayeeKind, ReimbursementStatus, Tranche
from funds.forms.allocations import DATE, money_field
from funds.models import FundUse
from kaiyuan.common.dates import today
from kaiyuan.common.forms import VersionedForm
from monitoring.models import Household
from projects.forms.steps import AttachmentsField


class PaymentForm(forms.Form):
    tranche = forms.ChoiceField(label=_("tranche"), choices=Tranche.choices)
    amount = money_field()
    paid_on = forms.DateField(label=_("paid on"), widget=DATE)
    payee_name = forms.CharField(label=_("payee"), max_length=120)
    payee_account = forms.CharField(label=_("payee's bank account"), max_length=40)
    payee_bank = forms.CharField(label=_("payee's bank"), max_length=60, required=False)
    payee_kind = forms.ChoiceField(
        label=_("payee is"), choices=PayeeKind.choices, widget=forms.RadioSelect
    )
    payee_uscc = forms.CharField(
        label=_("payee's credit code"),
        max_length=18,
        required=False,
        help_text=_("For an entity: its unified social credit code."),
    )
    payee_id_number = forms.CharField(
        label=_("payee's ID number"),
        max_length=18,
        required=False,
        help_text=_("For a person: the ID number (kept encrypted, shown masked)."),
    )
    basis = forms.CharField(label=_("basis document"), max_length=200)
    household = forms.ModelChoiceField(
        label=_("household"),
        required=False,
        queryset=Household.objects.none(),
        help_text=_("For a household subsidy: one of the project's beneficiary households."),
    )
    inspected_on = forms.DateField(label=_("inspected on"), widget=DATE, required=False)
    inspected_by = forms.CharField(label=_("inspected by"), max_length=60, required=False)
    inspection_note = forms.CharField(label=_("inspection finding"), max_length=300, required=False)
    use = forms.ModelChoiceField(label=_("use"), required=False, queryset=FundUse.objects.all())

    def __init__(self, *args, project, **kwargs) -> None:
        kwargs.setdefault("initial", {"paid_on": today(), "payee_kind": PayeeKind.ENTITY})
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.filter(
            project_benefits__project=project
        ).order_by("household_number")
        self.fields["household"].label_from_instance = lambda household: household.household_number


class ReportForm(VersionedForm):
    reported_on = forms.DateField(label=_("reported on"), widget=DATE)
    voucher_numbers = forms.CharField(label=_("voucher numbers"), max_length=200, required=False)
    vouchers = AttachmentsField(label=_("vouchers (invoices, rosters, receipts)"))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("reported_on", today())
        super().__init__(*args, **kwargs)


class DecideForm(VersionedForm):
    accept = forms.TypedChoiceField(
        label=_("finance's decision"),
        choices=[("true", _("Accept the 报账")), ("false", _("Return it for correction"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("what must be corrected"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PaymentFilterForm(forms.Form):
    tranche = forms.ChoiceField(
        label=_("tranche"), required=False, choices=[("", "—"), *Tranche.choices]
    )
    status = forms.ChoiceField(
        label=_("报账 status"), required=False, choices=[("", "—"), *ReimbursementStatus.choices]
    )
    overdue = forms.BooleanField(label=_("overdue 报账 only"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("why the payment is reversed"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
