"""The input shape of an employment-assistance workshop (``services.workshops.WorkshopDetails``):
its village (a new one, among the villages of the user's area), name, kind, operating entity and
its credit code, what it makes, when it opened (and closed), its head count and contact. The
service checks and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from employment.codes import WorkshopType
from employment.services.workshops import FIELDS, WorkshopDetails
from kaiyuan.areas.models import Area
from kaiyuan.areas.picker import village_field
from kaiyuan.common.forms import DateInput, VersionedForm


class WorkshopForm(forms.Form):
    name = forms.CharField(label=_("workshop name"), max_length=100)
    workshop_type = forms.ChoiceField(
        label=_("workshop type"), choices=WorkshopType.choices, widget=forms.RadioSelect
    )
    operator = forms.CharField(label=_("operating entity"), max_length=100)
    operator_uscc = forms.CharField(
        label=_("operating entity's credit code"),
        max_length=22,
        help_text=_("The 18 characters of its unified social credit code."),
    )
    products = forms.CharField(label=_("products or work"), max_length=200, required=False)
    opened_on = forms.DateField(label=_("opened on"), widget=DateInput())
    closed_on = forms.DateField(label=_("closed on"), widget=DateInput(), required=False)
    total_workers = forms.IntegerField(
        label=_("workers in all"),
        min_value=0,
        initial=0,
        help_text=_(
            "Everyone working there. The poverty-exited and monitored workers are the jobs "
            "recorded at this workshop."
        ),
    )
    contact = forms.CharField(label=_("contact person"), max_length=40, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)

    def details(self) -> WorkshopDetails:
        data = self.cleaned_data
        return WorkshopDetails(**{name: data.get(name) for name in FIELDS})


class WorkshopCreateForm(WorkshopForm):
    area = forms.ModelChoiceField(label=_("village"), queryset=Area.objects.none())

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        village_field(self.fields["area"], user)
        self.order_fields(["area"])


class WorkshopEditForm(VersionedForm, WorkshopForm):
    """A workshop's details, saved only over the version the user opened."""

    @classmethod
    def initial_of(cls, workshop) -> dict:
        return {"version": workshop.version, **{name: getattr(workshop, name) for name in FIELDS}}
