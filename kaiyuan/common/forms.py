"""Form fields and widgets shared by every app: the ISO date picker, yes/no questions, the
version a form carries so that a save can detect a conflict."""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. Its value must be ISO (YYYY-MM-DD) whatever the language: the
    zh-hans input format (YYYY/MM/DD) would leave the picker empty and lose the default date."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


YES_NO = [("", "—"), ("true", "是"), ("false", "否")]


def yes_no_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        required=False,
        coerce=lambda value: value == "true",
        empty_value=None,
    )


class VersionedForm(forms.Form):
    """Carries the version of the record the user opened, so a save can detect a conflict."""

    version = forms.IntegerField(widget=forms.HiddenInput)
