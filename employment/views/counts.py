"""The employment count against the target (EMP-1, EMP-2, EMP-3, EMP-6): the app's entry page, the
count of a month with its breakdowns, the what-if recount without some categories and the
months of the year, and the 月调度/季通报 tables in Excel.

The count is of the user's area, or of the township or village picked inside it; the target
(and whether it is met) belongs to the county, so a township sees its own count without it.
Every figure is a distinct count in the database (``selectors.counts``): the pages cost the same
number of queries whatever the number of people."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from employment.codes import Batch, JobType, PlaceCategory
from employment.exports import counts as exports
from employment.forms.counts import FIRST_YEAR, MONTHS, CountExportForm, MonthForm, Report
from employment.rules.counts import counted_job_types
from employment.selectors.counts import (
    DIMENSIONS,
    employment_count,
    monthly_series,
    township_names,
)
from kaiyuan.accounts.capabilities import user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.areas.models import Area
from kaiyuan.areas.picker import area_pick
from kaiyuan.common.api_filters import as_id
from kaiyuan.common.dates import today
from kaiyuan.policy.services import policy_for

# The categories a recount may leave out, with their labels (townships are the counted ones).
CATEGORIES = {
    "batch": Batch.choices,
    "place_category": PlaceCategory.choices,
    "job_type": JobType.choices,
}


def own_area(user) -> Area:
    """The area a user's count is of: their own, the county for an account without one."""
    return user.area if user.area_id is not None else Area.objects.home_county()


def _is_county(area: Area) -> bool:
    return area.level == Area.Level.COUNTY


def _settings_link(user, policy) -> str | None:
    """The administrator edits the year's counting settings in the admin."""
    if not user.is_staff:
        return None
    if policy.pk:
        return reverse("admin:policy_policysettings_change", args=[policy.pk])
    return reverse("admin:policy_policysettings_changelist")


# =============================================================================================
# The entry page
# =============================================================================================


@capability_required("employment.use")
def index(request):
    """This month's count of the user's area (against the county's target for a county user)
    and the employment pages the user's role opens."""
    user = request.user
    day = today()
    scope = own_area(user)
    policy = policy_for(day.year)
    result = employment_count(scope, day.year, day.month, policy=policy, breakdown=False)
    return render(
        request,
        "employment/counts/index.html",
        {
            "scope": scope,
            "county": _is_county(scope),
            "result": result,
            "year": day.year,
            "month": day.month,
        },
    )


# =============================================================================================
# The count
# =============================================================================================


def _without(query, counted_townships) -> dict[str, list]:
    """The categories ticked "不计入" (``without_<dimension>``): known values only, townships
    among those counted on the page."""
    without = {}
    for dimension in DIMENSIONS:
        raw = query.getlist(f"without_{dimension}")
        if dimension == "township":
            values = sorted(({as_id(value) for value in raw} & set(counted_townships)) - {None})
        else:
            known = {value for value, _label in CATEGORIES[dimension]}
            values = [value for value in dict.fromkeys(raw) if value in known]
        if values:
            without[dimension] = values
    return without


def _category_rows(result, dimension: str, without) -> list[dict]:
    counts = result.by.get(dimension, {})
    excluded = without.get(dimension, [])
    rows = [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, 0),
            "excluded": value in excluded,
        }
        for value, label in CATEGORIES[dimension]
    ]
    if counts.get(""):
        rows.append({"value": None, "label": _("Not recorded"), "count": counts[""]})
    return rows


def _township_rows(result, without) -> list[dict]:
    counts = result.by.get("township", {})
    names = township_names(counts)
    excluded = without.get("township", [])
    return [
        {
            "value": township_id,
            "label": names.get(township_id, "—"),
            "count": counts[township_id],
            "excluded": township_id in excluded,
        }
        for township_id in sorted(pk for pk in counts if pk is not None)
    ]


@capability_required("employment.use")
def count(request):
    """The count of a month (this month by default) for the picked area: the total, for the
    county the target and whether it is met, the settings it is counted on, its breakdowns with
    a recount without the ticked categories, and the months of the year so far."""
    user = request.user
    form = MonthForm(request.GET or None)
    year, month, clamped = form.question()
    pick = area_pick(
        user, as_id(request.GET.get("township", "")), as_id(request.GET.get("village", ""))
    )
    scope = pick.scope or Area.objects.home_county()
    policy = policy_for(year)
    result = employment_count(scope, year, month, policy=policy)
    without = _without(request.GET, result.by.get("township", {}))
    recount = None
    if without:
        recount = employment_count(
            scope, year, month, policy=policy, without=without, breakdown=False
        )
    counted = set(counted_job_types(policy))
    titles = {
        "batch": _("By the seven batches (七个一批)"),
        "place_category": _("By place of work"),
        "job_type": _("By job type"),
    }
    breakdowns = [("township", _("By township"), _township_rows(result, without))] + [
        (dimension, title, _category_rows(result, dimension, without))
        for dimension, title in titles.items()
    ]
    return render(
        request,
        "employment/counts/count.html",
        {
            "pick": pick,
            "scope": scope,
            "county": _is_county(scope),
            "year": year,
            "month": month,
            "years": list(range(today().year, FIRST_YEAR - 1, -1)),
            "months": [value for value, _label in MONTHS],
            "clamped": clamped,
            "result": result,
            "recount": recount,
            "difference": recount.total - result.total if recount else None,
            "breakdowns": breakdowns,
            "series": monthly_series(scope, year, month, policy=policy),
            "policy": policy,
            "counted_types": [label for value, label in JobType.choices if value in counted],
            "settings_link": _settings_link(user, policy),
            "may_export": user_can(user, "employment.export"),
            "export_query": urlencode({"year": year, "month": month, **pick.params}),
        },
    )


# =============================================================================================
# 月调度 / 季通报
# =============================================================================================


def _export_initial(request) -> dict:
    """The export form filled from the count page's link (its year, month and township)."""
    day = today()
    year, month = as_id(request.GET.get("year", "")), as_id(request.GET.get("month", ""))
    if not (year and month and 1 <= month <= 12 and (year, month) <= (day.year, day.month)):
        year, month = day.year, day.month
    initial = {
        "report": Report.MONTHLY,
        "year": year,
        "month": month,
        "quarter": (month - 1) // 3 + 1,
    }
    township = as_id(request.GET.get("township", ""))
    if township:
        initial["township"] = township
    return initial


@capability_required("employment.export")
def count_export(request):
    """Choose the 月调度 of a month or the 季通报 of a quarter, for the user's area or (county
    users) one township; the file is served at once and recorded."""
    user = request.user
    if request.method == "POST":
        form = CountExportForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            scope = data.get("township") or own_area(user)
            if data["report"] == Report.MONTHLY:
                return exports.monthly_response(
                    scope, year=data["year"], month=data["month"], actor=user
                )
            return exports.quarterly_response(
                scope, year=data["year"], quarter=data["quarter"], actor=user
            )
    else:
        form = CountExportForm(initial=_export_initial(request), user=user)
    return render(
        request,
        "employment/counts/export.html",
        {"form": form, "scope": own_area(user)},
        status=400 if form.errors else 200,
    )
