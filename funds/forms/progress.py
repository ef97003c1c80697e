"""The spending-progress page's question: which year, as of which day (GET)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.dates import today
from kaiyuan.common.forms import DateInput


class ProgressForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)
    as_of = forms.DateField(label=_("as of"), widget=DateInput(), required=False)

    def question(self) -> tuple[int, object]:
        """The year and day asked (this year and today by default, or when the input does not
        parse)."""
        day = today()
        data = self.cleaned_data if self.is_valid() else {}
        as_of = data.get("as_of") or day
        return data.get("year") or as_of.year, as_of
