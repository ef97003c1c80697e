"""Visit pages: the visitor's month list, the visit form (both made for a phone), visit coverage
for township and county users, and a household's visit history."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from employment.codes import Source
from employment.selectors.records import jobs_to_confirm
from employment.services.records import record_confirm
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common import dates
from kaiyuan.common.errors import DomainError
from kaiyuan.common.paging import probe_page
from kaiyuan.common.scoping import get_for_user
from kaiyuan.common.views import lenient_filterset
from monitoring.filters import VisitCoverageFilter, VisitDueFilter
from monitoring.forms.visits import VisitForm, parse_month
from monitoring.models import Household, Visit
from monitoring.rules.visits import VisitStatus, visit_level_of
from monitoring.selectors.visits import (
    household_visit_status,
    overdue_households,
    status_counts,
    visit_coverage,
    visit_month_list,
    visit_problems,
)
from monitoring.services.visits import ANSWER_FIELDS, visit_prefill, visit_record

MONTH_LIST_PAGE_SIZE = 50
OVERDUE_PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 20


def _ensure_visitor(user) -> None:
    """Only the roles that visit households (grid workers, township clerks) record visits."""
    if visit_level_of(user) is None:
        raise PermissionDenied


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _month_links(day: datetime.date, today: datetime.date, *, months: int = 1) -> dict:
    """Links to the period before and after (a quarter is ``months=3`` from its first day)."""
    start = day if months == 1 else dates.quarter_of(day).start
    previous = dates.add_months(start, -months)
    following = dates.add_months(start, months)
    return {
        "previous_month": previous.strftime("%Y-%m"),
        "next_month": following.strftime("%Y-%m") if following <= today else "",
        "month_value": day.strftime("%Y-%m"),
    }


@capability_required("monitoring.use")
def visit_my_month(request):
    """A grid worker's households of this month (village level); a township clerk's households
    of this quarter (township level), by village."""
    user = request.user
    _ensure_visitor(user)
    today = dates.today()
    day = parse_month(request.GET.get("month"), today=today)
    villages, village = None, None
    if visit_level_of(user) == Visit.Level.TOWNSHIP:
        pick = lenient_filterset(VisitDueFilter, request.GET, user=user).pick
        villages, village = pick.villages, pick.village
    households, obligation = visit_month_list(user=user, day=day, village=village, today=today)
    counts = status_counts(households)
    status_key = request.GET.get("status", "")
    status = VisitStatus.KEYS.get(status_key)
    if status is not None:
        households = households.filter(visit_status=status)
    else:
        status_key = ""
    page = probe_page(households, request.GET.get("page"), size=MONTH_LIST_PAGE_SIZE)
    for household in page:
        household.status_label = VisitStatus.label(household.visit_status)
        household.status_colour = VisitStatus.COLOURS[household.visit_status]
    return render(
        request,
        "monitoring/visits/my_month.html",
        {
            "obligation": obligation,
            "is_township": obligation.level == Visit.Level.TOWNSHIP,
            "counts": {
                "overdue": counts[VisitStatus.OVERDUE],
                "due": counts[VisitStatus.DUE],
                "visited": counts[VisitStatus.VISITED],
                "total": sum(counts.values()),
            },
            "status_key": status_key,
            "villages": villages,
            "village": village,
            "page": page,
            "query": _query_without(request, "page"),
            "status_query": _query_without(request, "page", "status"),
            **_month_links(day, today, months=1 if obligation.is_month else 3),
        },
    )


@capability_required("monitoring.use")
def visit_record_page(request, household_pk: int):
    """The visit form. 403 for roles that do not visit, 404 for households outside the area."""
    user = request.user
    _ensure_visitor(user)
    household = get_for_user(
        Household.objects.select_related("area", "grid"), user, write=True, pk=household_pk
    )
    last = Visit.objects.filter(household=household).order_by("-visited_on", "-id").first()
    # 务工就业: the members' jobs the visitor may confirm as still held in the visit's month.
    jobs = jobs_to_confirm(household, user, month_start=_visit_month(request))
    if request.method == "POST":
        form = VisitForm(request.POST, request.FILES, jobs=jobs)
        if form.is_valid():
            try:
                with transaction.atomic():
                    visit = visit_record(
                        household=household, actor=user, **form.service_arguments()
                    )
                    _confirm_jobs(form, visit, user)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return _after_record(request, visit)
    else:
        prefill = request.GET.get("prefill") or request.GET.get("no_change")
        form = VisitForm(initial=visit_prefill(household) if prefill and last else {}, jobs=jobs)
    template = "monitoring/visits/record.html"
    if request.headers.get("HX-Request"):
        template = "monitoring/visits/_record_form.html"
    return render(
        request,
        template,
        {
            "household": household,
            "form": form,
            "answers": [form[name] for name in ANSWER_FIELDS],
            "last": last,
            "level_label": Visit.Level(visit_level_of(user)).label,
        },
    )


def _visit_month(request) -> datetime.date:
    """The first day of the visit's month: of the date sent, else of today."""
    try:
        day = datetime.date.fromisoformat(request.POST.get("visited_on", ""))
    except ValueError:
        day = dates.today()
    return dates.month_of(day).start


def _confirm_jobs(form: VisitForm, visit: Visit, user) -> None:
    """Each job ticked "still at the same job" is confirmed on the visit's day, in the visit's
    transaction: a refusal is shown beside its check box and the visit is not saved."""
    for name, job in form.jobs_still_held():
        try:
            record_confirm(record=job, on=visit.visited_on, actor=user, source=Source.VISIT)
        except DomainError as exc:
            raise DomainError(exc.message, code=exc.code, field=name) from exc


def _after_record(request, visit: Visit):
    household = visit.household
    messages.success(
        request,
        _("Visit to the household of %(head)s on %(date)s recorded.")
        % {"head": household.head_name, "date": visit.visited_on.isoformat()},
    )
    lead = getattr(visit, "lead", None)
    if lead is not None:
        messages.info(
            request,
            _("A risk lead was opened; it must be verified by %(date)s.")
            % {"date": lead.deadline.isoformat()},
        )
    url = reverse("monitoring:visit_my_month")
    if dates.month_of(visit.visited_on) != dates.month_of(dates.today()):
        url += "?month=" + visit.visited_on.strftime("%Y-%m")
    return redirect(url)


@capability_required("visits.coverage")
def visit_coverage_page(request):
    """Village-level coverage of a month by village and grid, township-level coverage of its
    quarter by village, and the overdue households: a clerk's township, or any township (or the
    whole county) for county users."""
    user = request.user
    today = dates.today()
    day = parse_month(request.GET.get("month"), today=today)
    pick = lenient_filterset(VisitCoverageFilter, request.GET, user=user).pick
    area = pick.scope
    if area is None or (not user.is_county_wide and pick.township is None):
        raise PermissionDenied  # a township clerk without a township has nothing to cover
    coverage = visit_coverage(user=user, area=area, day=day, today=today)
    # The county's overdue households are listed township by township: a county-wide list of
    # thousands helps nobody and would recompute every household's status a second time.
    overdue = (
        coverage.households.none()
        if coverage.by_township
        else overdue_households(coverage.households)
    )
    page = probe_page(overdue, request.GET.get("page"), size=OVERDUE_PAGE_SIZE)
    for household in page:
        household.month_overdue = household.month_status == VisitStatus.OVERDUE
        household.quarter_overdue = household.quarter_status == VisitStatus.OVERDUE
    return render(
        request,
        "monitoring/visits/coverage.html",
        {
            "coverage": coverage,
            "with_grid": not coverage.by_township,
            "pick": pick,
            "page": page,
            "query": _query_without(request, "page"),
            **_month_links(day, today),
        },
    )


@capability_required("visits.view")
def household_visits(request, pk: int):
    """A household's visits, latest first, with its standing this month and quarter."""
    household = get_for_user(
        Household.objects.select_related("area", "area__parent", "grid"), request.user, pk=pk
    )
    visits = (
        Visit.objects.visible_to(request.user)
        .filter(household=household)
        .select_related("visitor", "lead")
        .order_by("-visited_on", "-id")
    )
    total = visits.count()
    page = probe_page(visits, request.GET.get("page"), size=HISTORY_PAGE_SIZE)
    for visit in page:
        visit.problems = visit_problems(visit)
    return render(
        request,
        "monitoring/visits/household_visits.html",
        {
            "household": household,
            "status": household_visit_status(household),
            "page": page,
            "total": total,
            "may_record": visit_level_of(request.user) is not None,
        },
    )


@capability_required("visits.view")
def visit_photo(request, pk: int):
    """A visit's photo, only for users who may see the visit (photos are not public media)."""
    visit = get_for_user(Visit.objects.all(), request.user, pk=pk)
    if not visit.photo:
        raise Http404
    return FileResponse(visit.photo.open("rb"))
