"""The input shapes of the allocation pages: an allocation, its assignment to a project of the
year's plan, reversals with their reason, the arrival at the township, the retention flag."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from funds.codes import FundLevel
from funds.models import FundType
from funds.services.allocations import FUNDED_STATES
from kaiyuan.common.dates import today
from kaiyuan.common.forms import DateInput, VersionedForm
from projects.models import Project

DATE = DateInput()


def money_field(label=None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label or _("amount (yuan)"), max_digits=14, decimal_places=2, min_value=0
    )


class AllocationFilterForm(forms.Form):
    """The list's filters; a value that does not check is left out."""

    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)
    level = forms.ChoiceField(
        label=_("level"), required=False, choices=[("", "—"), *FundLevel.choices]
    )
    fund_type = forms.ModelChoiceField(
        label=_("fund type"), required=False, queryset=FundType.objects.all()
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("year"):
            queryset = queryset.filter(year=data["year"])
        if data.get("level"):
            queryset = queryset.filter(level=data["level"])
        if data.get("fund_type"):
            queryset = queryset.filter(fund_type=data["fund_type"])
        return queryset


class AllocationForm(forms.Form):
    document_number = forms.CharField(label=_("document number (文号)"), max_length=80)
    issued_on = forms.DateField(label=_("issued on"), widget=DATE)
    level = forms.ChoiceField(label=_("level"), choices=FundLevel.choices)
    fund_type = forms.ModelChoiceField(label=_("fund type"), queryset=FundType.objects.all())
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    amount = money_field()
    for_industry = forms.BooleanField(label=_("for industry"), required=False)
    title = forms.CharField(label=_("title"), max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"year": today().year, "issued_on": today()})
        super().__init__(*args, **kwargs)


class AssignmentForm(forms.Form):
    """An assignment of the allocation to a project of its year's plan that the user sees."""

    project = forms.ModelChoiceField(label=_("project"), queryset=Project.objects.none())
    amount = money_field()
    assigned_on = forms.DateField(label=_("assigned on"), widget=DATE)

    def __init__(self, *args, allocation, user, **kwargs) -> None:
        kwargs.setdefault("initial", {"assigned_on": today()})
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = (
            Project.objects.visible_to(user)
            .filter(status__in=FUNDED_STATES, plan_year=allocation.year)
            .order_by("code")
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class ArrivalForm(forms.Form):
    arrived_on = forms.DateField(label=_("arrived on"), widget=DATE)
    township_account = forms.CharField(label=_("township account"), max_length=60)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"arrived_on": today()})
        super().__init__(*args, **kwargs)


class RetentionForm(VersionedForm):
    required = forms.TypedChoiceField(
        label=_("quality retention withheld"),
        choices=[("true", "是"), ("false", "否")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
