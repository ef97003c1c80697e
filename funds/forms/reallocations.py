"""The bureau's reallocation (调剂) of money idle at a township (FND-7): the receiving project,
the amount, the decision's day, document and reason. The allocation and the project the money
leaves come from the idle entry the page was opened from."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from funds.services.allocations import FUNDED_STATES
from kaiyuan.common.dates import today
from kaiyuan.common.forms import DateInput
from projects.models import Project


class IdleFilterForm(forms.Form):
    township = forms.TypedChoiceField(label=_("township"), coerce=int, required=False)

    def __init__(self, *args, townships, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.townships = {area.pk: area for area in townships}
        self.fields["township"].choices = [("", _("All townships"))] + [
            (area.pk, area.name) for area in townships
        ]

    def chosen_township(self):
        if not self.is_valid():
            return None
        return self.townships.get(self.cleaned_data.get("township"))


class ReallocationForm(forms.Form):
    to_project = forms.ModelChoiceField(label=_("to project"), queryset=Project.objects.none())
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=14, decimal_places=2)
    decided_on = forms.DateField(label=_("decided on"), widget=DateInput(), initial=today)
    document_number = forms.CharField(label=_("decision document (文号)"), max_length=80)
    reason = forms.CharField(
        label=_("reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, from_project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The receiving project is one the bureau sees in a year's funded plan.
        self.fields["to_project"].queryset = (
            Project.objects.visible_to(user)
            .filter(status__in=FUNDED_STATES)
            .exclude(pk=from_project.pk)
            .order_by("code")
        )
