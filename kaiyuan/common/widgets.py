"""Form widgets shared by every app."""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. Its value must be ISO (YYYY-MM-DD) whatever the language: the
    zh-hans input format (YYYY/MM/DD) would leave the picker empty and lose the default date."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
