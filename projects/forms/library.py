"""The inputs of the library page, its exports and the import of a township's proposals."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from kaiyuan.common.imports import ImportRefused
from projects.imports.library.jobs import inspect_upload

FIRST_YEAR = 2016  # the first libraries of the linkage period's predecessors


def year_choices(years=()) -> list[tuple[int, int]]:
    """The library years offered: those with projects, this year and the next two."""
    current = dates.today().year
    offered = sorted({*years, current - 1, current, current + 1, current + 2}, reverse=True)
    return [(year, year) for year in offered if year >= FIRST_YEAR]


class LibraryYearForm(forms.Form):
    """The library page's year picker (GET)."""

    year = forms.TypedChoiceField(label=_("Library year"), coerce=int, choices=())

    def __init__(self, *args, years=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(years)


class LibraryExportForm(forms.Form):
    year = forms.IntegerField(label=_("Library year"), min_value=FIRST_YEAR, max_value=2100)
    admitted_only = forms.BooleanField(
        label=_("Only the projects admitted to the library"), required=False
    )


class ImportUploadForm(forms.Form):
    """The file, the library year its proposals are for, and (for a county user, who checks a
    township's file) the township."""

    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        allow_empty_file=True,  # refused below with the import's own message
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    year = forms.TypedChoiceField(label=_("Library year"), coerce=int, choices=())
    township = forms.ModelChoiceField(
        label=_("Township"), queryset=Area.objects.none(), empty_label=None
    )

    checked = None  # the precheck of the file (kaiyuan.common.imports.Precheck)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = dates.today().year
        self.fields["year"].choices = [(y, y) for y in (current + 1, current, current + 2)]
        self.fields["year"].initial = current + 1
        self.own_township = user.area if user.area and user.area.level == "township" else None
        if self.own_township is not None:
            del self.fields["township"]
        else:
            self.fields["township"].queryset = (
                Area.objects.townships().visible_to(user).order_by("code")
            )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.checked = inspect_upload(uploaded)
        except ImportRefused as exc:
            raise forms.ValidationError(exc.messages) from None
        return uploaded

    @property
    def chosen_township(self) -> Area:
        return self.own_township or self.cleaned_data["township"]


class TemplateForm(forms.Form):
    """Which township's villages the template's sample row names (a county user's choice)."""

    township = forms.ModelChoiceField(queryset=Area.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Area.objects.townships().visible_to(user)


class ValidRowsForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand that only the rows without errors will be imported, and that the "
            "rows with errors are skipped."
        ),
        required=True,
    )
