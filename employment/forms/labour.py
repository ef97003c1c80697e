"""The labour-force page's question: which month, which township and village, working or not.
Anything that does not parse is left out (a page follows an old or hand-edited link)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.forms import yes_no_field


class LabourForm(forms.Form):
    month = forms.CharField(label=_("month"), required=False)
    township = forms.IntegerField(label=_("Township"), required=False, min_value=1)
    village = forms.IntegerField(label=_("Village"), required=False, min_value=1)
    working = yes_no_field(_("working in the month"))

    def __init__(self, data, *, today: datetime.date) -> None:
        super().__init__(data)
        self.today = today
        self.is_valid()
        for name in list(self.errors):
            self.cleaned_data.pop(name, None)

    def clean_month(self) -> datetime.date:
        """The first day of the month ``YYYY-MM``; this month for anything else, and for a month
        that has not begun."""
        this_month = self.today.replace(day=1)
        try:
            year, month = (int(part) for part in (self.cleaned_data["month"] or "").split("-"))
            first = datetime.date(year, month, 1)
        except (TypeError, ValueError):
            return this_month
        return this_month if first > this_month or year < 2000 else first

    def value(self, name):
        return self.cleaned_data.get(name)
