"""Forms of the household registry: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kaiyuan.areas.models import Area, Grid
from kaiyuan.areas.picker import grid_choice, village_field
from kaiyuan.common.api_filters import as_id
from kaiyuan.common.forms import DateInput
from monitoring.codes import (
    HouseholdType,
    Relation,
)
from monitoring.exports.households import LISTS
from monitoring.forms.members import MemberFieldsForm, id_number_field
from monitoring.imports.households.workbook import ImportRefused, Inspection, inspect_upload
from monitoring.models import CodeItem, Household, Member
from monitoring.services.households import CONDITION_FIELDS, HOUSEHOLD_EDITABLE, default_grid_id

DATE = DateInput()


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, household number or full ID number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


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
        self.fields["grid"].label_from_instance = lambda grid: grid.name
        if self.instance.grid_id is None and not self.is_bound:
            self.initial["grid"] = default_grid_id(village)
        self.fields["poverty_cause"] = forms.ChoiceField(
            label=Household._meta.get_field("poverty_cause").verbose_name,
            required=False,
            choices=[("", "—")] + [(v, v) for v in CodeItem.objects.values_of("poverty_cause")],
        )

    def changes(self) -> dict:
        """The household's fields as parsed (on a form with errors, those that parsed)."""
        data = self.cleaned_data
        return {name: data[name] for name in HOUSEHOLD_EDITABLE if name in data}


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


class HouseholdCreateForm(MemberFieldsForm):
    """A new household and its head in one form (a household always has its head). The grid
    choices follow the village (htmx, ``areas:grid_options``); the village's only grid is
    chosen for the user."""

    village = forms.ModelChoiceField(
        label=_("administrative village"),
        queryset=Area.objects.none(),
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("areas:grid_options"),
                "hx-trigger": "change",
                "hx-target": "#id_grid",
            }
        ),
    )
    grid = forms.ModelChoiceField(label=_("grid"), queryset=Grid.objects.none(), required=False)
    household_number = forms.CharField(label=_("household number"), max_length=32)
    household_type = forms.ChoiceField(label=_("household type"), choices=HouseholdType.choices)
    household_size = forms.IntegerField(
        label=_("household size"),
        min_value=1,
        max_value=99,
        initial=1,
        help_text=_(
            "Everyone in the household. The other members are registered after the head, "
            "one after another, without a change type."
        ),
    )
    household_phone = forms.CharField(label=_("household phone"), max_length=20, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    id_number = id_number_field(_("ID number of the head"))
    disability_certificate = forms.CharField(
        label=_("disability certificate number"), max_length=22, required=False
    )

    # form field → Household field
    HOUSEHOLD_FIELDS = {
        "household_type": "household_type",
        "household_phone": "phone",
        "address": "address",
        "grid": "grid",
        "household_size": "household_size",
    }
    field_order = [
        "village",
        "grid",
        "household_number",
        "household_type",
        "household_size",
        "household_phone",
        "address",
        "name",
        "id_number",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        village_field(self.fields["village"], user)
        del self.fields["relation"]
        # The grids offered are the chosen village's (as the htmx answer replaces them).
        village = as_id(self.data.get(self.add_prefix("village"), "")) if self.is_bound else None
        choice = grid_choice(user, village)
        grid = self.fields["grid"]
        grid.queryset = Grid.objects.visible_to(user).filter(pk__in=[g.pk for g in choice.grids])
        grid.label_from_instance = lambda g: g.name
        if village is None:
            grid.empty_label = _("Choose a village first")
        elif not choice.grids:
            grid.empty_label = _("No grid in this village")
        else:
            grid.empty_label = _("Choose a grid")
        if choice.chosen is not None and not self.data.get(self.add_prefix("grid")):
            self.initial["grid"] = choice.chosen.pk

    def head_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name != "relation" and name in self.cleaned_data
        }

    def household_fields(self) -> dict:
        """The household's own fields as the service takes them (what parsed, on a form with
        errors)."""
        data = self.cleaned_data
        return {field: data[name] for name, field in self.HOUSEHOLD_FIELDS.items() if name in data}


class LivingConditionForm(forms.ModelForm):
    year = forms.IntegerField(label=_("year"), min_value=2014, max_value=2100)

    class Meta:
        from monitoring.models import LivingCondition

        model = LivingCondition
        fields = ["year", *CONDITION_FIELDS]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        allow_empty_file=True,  # refused below with the import's own message
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    inspection: Inspection | None = None

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.inspection = inspect_upload(uploaded)
        except ImportRefused as exc:
            raise forms.ValidationError(exc.messages) from None
        return uploaded


class ValidRowsForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand that only the households whose rows are all valid will be imported, "
            "and that the other households are skipped."
        ),
        required=True,
    )


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        if obj.level == Area.Level.VILLAGE and obj.parent_id:
            return f"{obj.parent.name} · {obj.name}"
        if obj.level == Area.Level.COUNTY:
            return str(_("%(name)s (whole county)") % {"name": obj.name})
        return obj.name


class ExportForm(forms.Form):
    list = forms.ChoiceField(label=_("List"), choices=[(k, s.label) for k, s in LISTS.items()])
    area = AreaChoiceField(label=_("Area"), queryset=Area.objects.none(), empty_label=None)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = (
            Area.objects.visible_to(user)
            .filter(level__in=[Area.Level.COUNTY, Area.Level.TOWNSHIP, Area.Level.VILLAGE])
            .select_related("parent")
            .order_by("path")
        )
        self.fields["area"].initial = user.area_id
