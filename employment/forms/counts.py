"""The questions of the count pages: the month the count is of (GET), and which 月调度 or 季通报
table to export, of which month or quarter and which township."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaiyuan.areas.models import Area
from kaiyuan.common.dates import today

# The linkage period (衔接过渡期) began in 2021: no employment is counted before it.
FIRST_YEAR = 2021


def year_choices() -> list[tuple[int, int]]:
    return [(year, year) for year in range(today().year, FIRST_YEAR - 1, -1)]


MONTHS = [(month, month) for month in range(1, 13)]
QUARTERS = [(quarter, quarter) for quarter in range(1, 5)]


def latest_month() -> tuple[int, int]:
    day = today()
    return day.year, day.month


class MonthForm(forms.Form):
    """The count page's year and month: this month by default; a month that has not begun is
    not counted yet, so it is brought back to this month."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=2100, required=False)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=MONTHS, required=False)

    def question(self) -> tuple[int, int, bool]:
        """The year and month asked, and whether a month after this one was brought back; a
        value that does not parse is left out (an old or hand-edited link still shows a page)."""
        this_year, this_month = latest_month()
        data = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        year = data.get("year") or this_year
        month = data.get("month") or (this_month if year == this_year else 12)
        if (year, month) > (this_year, this_month):
            return this_year, this_month, True
        return year, month, False


class Report(models.TextChoices):
    MONTHLY = "monthly", _("Monthly dispatch (月调度): one month by township")
    QUARTERLY = "quarterly", _("Quarterly bulletin (季通报): the quarter's months and ranks")


class CountExportForm(forms.Form):
    """Which table, of which month or quarter, and (for a county user) which township; a month
    or quarter that has not begun is refused."""

    report = forms.ChoiceField(
        label=_("Table"), choices=Report.choices, widget=forms.RadioSelect, initial=Report.MONTHLY
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        choices=[("", "—"), *MONTHS],
        required=False,
        empty_value=None,
        help_text=_("For the monthly dispatch."),
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        choices=[("", "—"), *QUARTERS],
        required=False,
        empty_value=None,
        help_text=_("For the quarterly bulletin."),
    )
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("All townships"),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        if user.is_county_wide:
            self.fields["township"].queryset = (
                Area.objects.visible_to(user).townships().order_by("code")
            )
        else:
            del self.fields["township"]

    def clean(self):
        data = super().clean()
        year, report = data.get("year"), data.get("report")
        if year is None or report is None:
            return data
        this_year, this_month = latest_month()
        if report == Report.MONTHLY:
            month = data.get("month")
            if month is None:
                self.add_error("month", _("Choose the month."))
            elif (year, month) > (this_year, this_month):
                self.add_error("month", _("This month has not begun yet."))
        else:
            quarter = data.get("quarter")
            if quarter is None:
                self.add_error("quarter", _("Choose the quarter."))
            elif (year, 3 * quarter - 2) > (this_year, this_month):
                self.add_error("quarter", _("This quarter has not begun yet."))
        return data
