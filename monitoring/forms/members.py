"""Forms of the member pages and the ID-number input checked as it is typed."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kaiyuan.common import dates
from kaiyuan.common.forms import DateInput, yes_no_field
from monitoring.codes import (
    Education,
    Ethnicity,
    Health,
    LabourSkill,
    PoliticalStatus,
    Relation,
    Schooling,
)
from monitoring.models import CodeItem, HouseholdChange, Member
from monitoring.services.members import ADD_KINDS, MEMBER_EDITABLE, REMOVE_KINDS


class IdNumberInput(forms.TextInput):
    """An ID number input that htmx checks as it is typed (validity, sex, birth date, holder)."""

    def __init__(self):
        super().__init__(
            attrs={
                "hx-post": reverse_lazy("monitoring:id_number_check"),
                "hx-trigger": "input changed delay:400ms, blur",
                "hx-target": "next .id-check",
                "autocomplete": "off",
                "inputmode": "text",
                "maxlength": "18",
            }
        )


def id_number_field(label, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=18,
        required=required,
        widget=IdNumberInput(),
        help_text=format_html('{}<div class="id-check" aria-live="polite"></div>', help_text),
    )


class MemberFieldsForm(forms.ModelForm):
    """The member's own fields (ID number apart), shared by add and edit."""

    health = forms.MultipleChoiceField(
        label=_("health"), choices=Health.choices, widget=forms.CheckboxSelectMultiple
    )
    residents_medical_insurance = yes_no_field(_("residents' basic medical insurance"))
    employees_medical_insurance = yes_no_field(_("employees' basic medical insurance"))
    critical_illness_insurance = yes_no_field(_("critical-illness insurance"))
    commercial_medical_insurance = yes_no_field(_("commercial supplementary medical insurance"))
    medical_assistance = yes_no_field(_("received medical assistance"))
    other_health_assistance = yes_no_field(_("other health assistance"))
    residents_pension = yes_no_field(_("residents' basic pension"))
    employees_pension = yes_no_field(_("employees' basic pension"))
    dibao = yes_no_field(_("minimum living allowance"))
    tekun = yes_no_field(_("extreme-poverty support"))
    relocated = yes_no_field(_("relocated person"))
    speaks_mandarin = yes_no_field(_("speaks Mandarin"))

    class Meta:
        model = Member
        fields = [name for name in MEMBER_EDITABLE if name != "id_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["health"] = self.instance.health_values
        for name, table in (
            ("dropout_reason", "dropout_reason"),
            ("employment_channel", "employment_channel"),
            ("welfare_job_type", "welfare_job_type"),
        ):
            self.fields[name] = forms.ChoiceField(
                label=Member._meta.get_field(name).verbose_name,
                required=False,
                choices=[("", "—")] + [(v, v) for v in CodeItem.objects.values_of(table)],
            )
        self.fields["relation"].choices = Relation.choices
        self.fields["education"].choices = [("", "—"), *Education.choices]
        self.fields["schooling"].choices = [("", "—"), *Schooling.choices]
        self.fields["labour_skill"].choices = LabourSkill.choices
        self.fields["ethnicity"].choices = Ethnicity.choices
        self.fields["political_status"].choices = PoliticalStatus.choices

    def clean_health(self) -> str:
        return ",".join(self.cleaned_data["health"])

    def changes(self) -> dict:
        """The member's fields as parsed (on a form with errors, those that parsed)."""
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields if name in data}


class MemberRegisterForm(MemberFieldsForm):
    """A member entered with the household's first registration: no change type, date or
    reason to give (the service records it as 首次登记)."""

    id_number = id_number_field(_("ID number"))
    disability_certificate = forms.CharField(
        label=_("disability certificate number"), max_length=22, required=False
    )


class MemberAddForm(MemberRegisterForm):
    """A member joining a registered household: how (birth, marriage, move), when and why."""

    kind = forms.ChoiceField(
        label=_("change"),
        choices=[(k.value, k.label) for k in HouseholdChange.Kind if k in ADD_KINDS],
    )
    happened_on = forms.DateField(label=_("date"), widget=DateInput(), initial=dates.today)
    reason = forms.CharField(label=_("reason"), max_length=200)


class MemberEditForm(MemberFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    id_number = id_number_field(
        _("ID number"), required=False, help_text=_("Leave empty to keep the current number.")
    )
    disability_certificate = forms.CharField(
        label=_("disability certificate number"), max_length=22, required=False
    )


class MemberRemoveForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("change"),
        choices=[(k.value, k.label) for k in HouseholdChange.Kind if k in REMOVE_KINDS],
    )
    happened_on = forms.DateField(label=_("date"), widget=DateInput())
    reason = forms.CharField(label=_("reason"), max_length=200)
