"""The bureau's lists (county roles see the county, township clerks their township): monitored
households by category and risk, cases, overdue cases and leads, the focus list, households
missing measures; each filtered by township and village, paged without COUNT and exported to
Excel by a background job."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kaiyuan.common import dates
from kaiyuan.common.dates import working_days_between
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.jobs.views import export_started
from monitoring.exports.lists import SUMMARY, broken_rules, focus_reasons, list_export_start
from monitoring.selectors import lists as selectors
from monitoring.selectors.lists import (
    CASES,
    FOCUS,
    LIST_KEYS,
    MEASURES,
    MONITORED,
    OVERDUE,
    ListFilters,
    list_filters,
    may_see_lists,
)

PAGE_SIZE = 50

LIST_TITLES = {
    MONITORED: gettext_lazy("Monitored households"),
    CASES: gettext_lazy("Identification and elimination cases"),
    OVERDUE: gettext_lazy("Overdue cases and risk leads"),
    FOCUS: gettext_lazy("Focus list"),
    MEASURES: gettext_lazy("Households missing assistance measures"),
}


def lists_required(view):
    """403 for every role but the county readers and township clerks (a grid worker, a
    department, finance), and for an account without an area."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_see_lists(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _context(request, key: str, filters: ListFilters, page, *, fixed=None, **extra) -> dict:
    """What every list page shows: the area and choice filters (``fixed`` ones are carried as
    hidden fields, e.g. the overdue page's tab), the export form and the page of rows."""
    fixed = fixed or {}
    choice_filters = [
        (name, filters.labels[name], options, filters.get(name))
        for name, options in filters.choices.items()
        if name not in fixed
    ]
    return {
        "key": key,
        "title": LIST_TITLES[key],
        "filters": filters,
        "area": filters.area,
        "choice_filters": choice_filters,
        "extra_hidden": fixed,
        "export_params": {**filters.as_params(), **fixed},
        "page": page,
        "query": query_without_page(request),
        "lists": LIST_TITLES,
        **extra,
    }


@lists_required
def lists_index(request):
    """The five lists with their current size in the user's area."""
    counts = selectors.list_counts(request.user, dates.today())
    return render(
        request,
        "monitoring/lists/index.html",
        {"counts": counts, "lists": LIST_TITLES, "area": selectors.own_area(request.user)},
    )


@lists_required
def list_monitored(request):
    user = request.user
    filters = list_filters(user, MONITORED, request.GET)
    known_risks = [value for value, _label in filters.choices["risk"]]
    summary = selectors.monitored_summary(user, filters, known_risks)
    page = probe_page(
        selectors.monitored_households(user, filters), request.GET.get("page"), size=PAGE_SIZE
    )
    return render(
        request,
        "monitoring/lists/monitored.html",
        _context(request, MONITORED, filters, page, summary=summary),
    )


@lists_required
def list_cases(request):
    user = request.user
    today = dates.today()
    filters = list_filters(user, CASES, request.GET)
    page = probe_page(
        selectors.case_list(user, filters, today), request.GET.get("page"), size=PAGE_SIZE
    )
    for case in page:
        selectors.case_ages(case, today)
    return render(
        request, "monitoring/lists/cases.html", _context(request, CASES, filters, page, today=today)
    )


@lists_required
def list_overdue(request):
    user = request.user
    today = dates.today()
    filters = list_filters(user, OVERDUE, request.GET)
    section = filters.get("section") or "cases"
    if section == "leads":
        rows = selectors.overdue_leads(user, filters.area, today)
    else:
        rows = selectors.overdue_cases(user, filters.area, today)
    page = probe_page(rows, request.GET.get("page"), size=PAGE_SIZE)
    for row in page:
        row.working_days_over = working_days_between(row.deadline, today)
    return render(
        request,
        "monitoring/lists/overdue.html",
        _context(request, OVERDUE, filters, page, fixed={"section": section}, section=section),
    )


@lists_required
def list_focus(request):
    user = request.user
    filters = list_filters(user, FOCUS, request.GET)
    page = probe_page(
        selectors.focus_households(user, filters), request.GET.get("page"), size=PAGE_SIZE
    )
    for household in page:
        household.reasons = focus_reasons(household)
    return render(request, "monitoring/lists/focus.html", _context(request, FOCUS, filters, page))


@lists_required
def list_measures(request):
    user = request.user
    filters = list_filters(user, MEASURES, request.GET)
    page = probe_page(
        selectors.measure_breakers(user, filters, dates.today()),
        request.GET.get("page"),
        size=PAGE_SIZE,
    )
    for household in page:
        household.broken = broken_rules(household)
    return render(
        request, "monitoring/lists/measures.html", _context(request, MEASURES, filters, page)
    )


@require_POST
@lists_required
def list_export(request, key: str):
    """Start the Excel export of a list as filtered on the page; the job page shows progress."""
    if key not in LIST_KEYS:
        raise Http404
    filters = list_filters(request.user, key, request.POST)
    part = SUMMARY if key == MONITORED and request.POST.get("part") == SUMMARY else ""
    return export_started(
        request,
        lambda: list_export_start(actor=request.user, key=key, filters=filters, part=part),
        back=f"monitoring:list_{key}",
    )
