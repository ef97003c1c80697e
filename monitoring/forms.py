"""Forms of the household registry: they parse input; the services decide."""

from __future__ import annotations

import datetime

from django import forms
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kaiyuan.areas.models import Area, Grid
from kaiyuan.common.widgets import DateInput
from monitoring.codes import (
    Education,
    Ethnicity,
    Health,
    HouseholdType,
    LabourSkill,
    PoliticalStatus,
    Relation,
    Schooling,
)
from monitoring.models import CodeItem, Household, HouseholdChange, IncomeRecord, Member
from monitoring.services.households import CONDITION_FIELDS, HOUSEHOLD_EDITABLE
from monitoring.services.members import ADD_KINDS, MEMBER_EDITABLE, REMOVE_KINDS

DATE = DateInput()


class IdNumberInput(forms.TextInput):
    """An ID number input that htmx checks as it is typed (validity, sex, birth date, holder)."""

    def __init__(self):
        super().__init__(
            attrs={
                "hx-get": reverse_lazy("monitoring:id_number_check"),
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


YES_NO = [("", "—"), ("true", "是"), ("false", "否")]


def yes_no_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        required=False,
        coerce=lambda value: value == "true",
        empty_value=None,
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, household number or full ID number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class VersionedForm(forms.Form):
    """Carries the version of the record the user opened, so a save can detect a conflict."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class HouseholdForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Household
        fields = [name for name in HOUSEHOLD_EDITABLE]
        widgets = {"group": forms.Select, "grid": forms.Select}

    def __init__(self, *args, village: Area, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this village's groups and grids can be chosen (scoped choices).
        self.fields["group"].queryset = Area.objects.filter(parent=village, level=Area.Level.GROUP)
        self.fields["grid"].queryset = Grid.objects.filter(area=village)
        self.fields["poverty_cause"] = forms.ChoiceField(
            label=Household._meta.get_field("poverty_cause").verbose_name,
            required=False,
            choices=[("", "—")] + [(v, v) for v in CodeItem.objects.values_of("poverty_cause")],
        )

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in HOUSEHOLD_EDITABLE}


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
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MemberAddForm(MemberFieldsForm):
    id_number = id_number_field(_("ID number"))
    disability_certificate = forms.CharField(
        label=_("disability certificate number"), max_length=22, required=False
    )
    kind = forms.ChoiceField(
        label=_("change"),
        choices=[(k.value, k.label) for k in HouseholdChange.Kind if k in ADD_KINDS],
    )
    happened_on = forms.DateField(label=_("date"), widget=DATE, initial=datetime.date.today)
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
    happened_on = forms.DateField(label=_("date"), widget=DATE)
    reason = forms.CharField(label=_("reason"), max_length=200)


class HeadChangeForm(forms.Form):
    new_head = forms.ModelChoiceField(
        label=_("new head of household"), queryset=Member.objects.none()
    )
    old_head_relation = forms.ChoiceField(
        label=_("relation of the former head to the new head"),
        choices=[c for c in Relation.choices if c[0] != Relation.HEAD],
    )
    happened_on = forms.DateField(label=_("date"), widget=DATE)
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_head"].queryset = household.members.filter(
            status=Member.Status.ACTIVE
        ).exclude(relation=Relation.HEAD)


class SplitForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("members who move to the new household"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One of them must already be recorded as 户主 of the new household."),
    )
    new_household_number = forms.CharField(label=_("new household number"), max_length=32)
    happened_on = forms.DateField(label=_("date"), widget=DATE)
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = household.members.filter(status=Member.Status.ACTIVE)


class MergeForm(forms.Form):
    into = forms.CharField(label=_("household number to merge into"), max_length=32)
    happened_on = forms.DateField(label=_("date"), widget=DATE)
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.moving = list(household.members.filter(status=Member.Status.ACTIVE))
        for member in self.moving:
            self.fields[f"relation_{member.pk}"] = forms.ChoiceField(
                label=_("relation of %(name)s to the receiving head") % {"name": member.name},
                choices=[c for c in Relation.choices if c[0] != Relation.HEAD],
            )

    def relations(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"relation_{m.pk}"] for m in self.moving}


class IncomeForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2014, max_value=2100)
    kind = forms.ChoiceField(label=_("record type"), choices=IncomeRecord.Kind.choices)
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
    household_size = forms.IntegerField(label=_("household size"), min_value=1, max_value=30)
    note = forms.CharField(label=_("note"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HouseholdCreateForm(MemberFieldsForm):
    """A new household and its head in one form (a household always has its head)."""

    village = forms.ModelChoiceField(
        label=_("administrative village"), queryset=Area.objects.none()
    )
    household_number = forms.CharField(label=_("household number"), max_length=32)
    household_type = forms.ChoiceField(label=_("household type"), choices=HouseholdType.choices)
    household_phone = forms.CharField(label=_("household phone"), max_length=20, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    id_number = id_number_field(_("ID number of the head"))
    disability_certificate = forms.CharField(
        label=_("disability certificate number"), max_length=22, required=False
    )

    field_order = [
        "village",
        "household_number",
        "household_type",
        "household_phone",
        "address",
        "name",
        "id_number",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = (
            Area.objects.visible_to(user).villages().select_related("parent")
        )
        self.fields["village"].label_from_instance = lambda area: f"{area.parent.name}{area.name}"
        del self.fields["relation"]

    def head_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "relation"}


class LivingConditionForm(forms.ModelForm):
    year = forms.IntegerField(label=_("year"), min_value=2014, max_value=2100)

    class Meta:
        from monitoring.models import LivingCondition

        model = LivingCondition
        fields = ["year", *CONDITION_FIELDS]
