"""The inputs of the monthly roster: the month (this one by default, never a later one), the
area of a download (the township → village picker's ids, checked by ``area_pick``), the file
of an upload, and the explicit choice to import only the valid rows."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from employment.exports.rosters import valid_month
from employment.imports.rosters.jobs import inspect_upload
from kaiyuan.common import dates
from kaiyuan.common.api_filters import as_id
from kaiyuan.common.errors import DomainError
from kaiyuan.common.imports import ImportRefused


def month_choices() -> list[tuple[int, str]]:
    return [(month, gettext("Month %(month)s") % {"month": month}) for month in range(1, 13)]


class MonthForm(forms.Form):
    """The roster's month: a year (this one or the last) and a month, up to this month."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        this = dates.today()
        self.fields["year"].choices = [(this.year, this.year), (this.year - 1, this.year - 1)]
        self.fields["year"].initial = this.year
        self.fields["month"].choices = month_choices()
        self.fields["month"].initial = this.month

    def clean(self):
        data = super().clean()
        if "year" in data and "month" in data:
            try:
                valid_month(data["year"], data["month"])
            except DomainError as exc:
                self.add_error("month", exc.message)
        return data

    def chosen(self) -> tuple[int, int]:
        """The valid month, or this month."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["year"], self.cleaned_data["month"]
        this = dates.today()
        return this.year, this.month


class DownloadForm(MonthForm):
    """What the download posts: the month and the picked area."""

    township = forms.CharField(required=False)
    village = forms.CharField(required=False)

    def clean_township(self) -> int | None:
        return self._id("township")

    def clean_village(self) -> int | None:
        return self._id("village")

    def _id(self, name: str) -> int | None:
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return None
        value = as_id(raw)
        if value is None:
            raise forms.ValidationError(_("Choose the area from the list."), code="area")
        return value


class UploadForm(MonthForm):
    """The updated roster and the month it is for."""

    file = forms.FileField(
        label=_("Roster (.xlsx)"),
        allow_empty_file=True,  # refused below with the import's own message
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    checked = None  # the precheck of the file (kaiyuan.common.imports.Precheck)

    field_order = ["file", "year", "month"]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.checked = inspect_upload(uploaded)
        except ImportRefused as exc:
            raise forms.ValidationError(exc.messages) from None
        return uploaded


class ValidRowsForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand that only the rows without errors will be imported, and that the "
            "rows with errors are skipped."
        ),
        required=True,
    )
