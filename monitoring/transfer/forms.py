"""Forms of the import and export pages: input shape only; the work is in importer/exporter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kaiyuan.areas.models import Area
from monitoring.transfer.exporter import LISTS
from monitoring.transfer.jobs import BACKGROUND_ROWS
from monitoring.transfer.workbook import ImportRefused, Inspection, check_upload, inspect_upload


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
            check_upload(uploaded.name, uploaded.size)
            self.inspection = inspect_upload(uploaded, limit=BACKGROUND_ROWS)
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
