"""Visit obligations (MON-VISIT-1/2, PLAN §四(一)1: 乡镇每季、村组每月走访摸排): which households
must be visited, and whether each one is visited, due or overdue in a calendar month (village
level) or a calendar quarter (township level).

The rule is written once, as a SQL expression (``_status_expression``, applied by
``with_month_status`` / ``with_quarter_status``), so that the month list, the coverage counts, the
overdue list and the status shown for a single household all come from the same code and from one
query per page, whatever the number of households. Each household's status is one correlated
sub-query: a range scan of the index (household, level, -visited_on) of ``Visit``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual, LessThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.common import dates
from kaiyuan.common.dates import Period
from kaiyuan.common.rules import Rule
from kaiyuan.policy.models import PolicySettings
from kaiyuan.policy.services import policy_for
from monitoring.codes import HouseholdType
from monitoring.models import Household, Visit


def visit_level_of(user) -> str | None:
    """The level of the visits ``user`` records (DOMAIN.md §7), or None for a role that does not
    visit households."""
    if user_can(user, "visits.record_village"):
        return Visit.Level.VILLAGE
    if user_can(user, "visits.record_township"):
        return Visit.Level.TOWNSHIP
    return None


class VisitStatus:
    """A household's standing for one period. The numbers sort the lists: overdue first."""

    OVERDUE = 0
    DUE = 1
    VISITED = 2

    LABELS = {OVERDUE: _("Overdue"), DUE: _("Due"), VISITED: _("Visited")}
    # Bootstrap colours of the badges.
    COLOURS = {OVERDUE: "danger", DUE: "warning", VISITED: "success"}
    # URL values of the status filter.
    KEYS = {"overdue": OVERDUE, "due": DUE, "visited": VISITED}

    @classmethod
    def label(cls, value: int) -> str:
        return str(cls.LABELS[value])


MON_VISIT_1 = Rule(
    "MON-VISIT-1", _("Every household under the grid has a village-level visit each month.")
)
MON_VISIT_2 = Rule(
    "MON-VISIT-2", _("Every household under the grid has a township-level visit each quarter.")
)


@dataclass(frozen=True)
class Obligation:
    """What one level must do in one period, from the policy of the period's year (whose
    ``visit_scope`` also says which households must be visited)."""

    level: str
    period: Period
    previous: Period
    required: int
    previous_required: int
    policy: PolicySettings

    @property
    def is_month(self) -> bool:
        return self.level == Visit.Level.VILLAGE

    @property
    def rule(self) -> Rule:
        return MON_VISIT_1 if self.is_month else MON_VISIT_2

    @property
    def label(self) -> str:
        """The period as people say it: "2024年5月", "2024年第2季度"."""
        start = self.period.start
        if self.is_month:
            return _("%(year)s-%(month)s") % {"year": start.year, "month": start.month}
        return _("Q%(quarter)s %(year)s") % {"year": start.year, "quarter": (start.month + 2) // 3}

    @property
    def requirement(self) -> str:
        if self.is_month:
            return _("Each household needs %(n)s village-level visit(s) a month.") % {
                "n": self.required
            }
        return _("Each household needs %(n)s township-level visit(s) a quarter.") % {
            "n": self.required
        }


def _required(policy: PolicySettings, level: str) -> int:
    if level == Visit.Level.VILLAGE:
        return policy.village_visits_per_month
    return policy.township_visits_per_quarter


def _obligation(level: str, period: Period, previous: Period) -> Obligation:
    policy = policy_for(period.start.year)
    previous_policy = (
        policy if previous.start.year == period.start.year else policy_for(previous.start.year)
    )
    return Obligation(
        level=level,
        period=period,
        previous=previous,
        required=_required(policy, level),
        previous_required=_required(previous_policy, level),
        policy=policy,
    )


def month_obligation(day: datetime.date) -> Obligation:
    """MON-VISIT-1: village-level visits in the calendar month of ``day``."""
    period = dates.month_of(day)
    previous = dates.month_of(period.start - datetime.timedelta(days=1))
    return _obligation(Visit.Level.VILLAGE, period, previous)


def quarter_obligation(day: datetime.date) -> Obligation:
    """MON-VISIT-2: township-level visits in the calendar quarter of ``day``."""
    period = dates.quarter_of(day)
    previous = dates.quarter_of(period.start - datetime.timedelta(days=1))
    return _obligation(Visit.Level.TOWNSHIP, period, previous)


def obligation_for(level: str, day: datetime.date) -> Obligation:
    return month_obligation(day) if level == Visit.Level.VILLAGE else quarter_obligation(day)


# ---- the rule --------------------------------------------------------------------------------


class _CountWhere(Func):
    """``COUNT(*) FILTER (WHERE condition)`` in the correlated sub-query of one household's visits.
    It is an aggregate for SQL but not for Django (``contains_aggregate = False``), so the
    sub-query gets no GROUP BY and always returns exactly one row, with 0 for no visits."""

    template = "COUNT(*) FILTER (WHERE %(expressions)s)"
    contains_aggregate = False
    output_field = IntegerField()


class _CountAll(Func):
    """``COUNT(*)``, likewise without a GROUP BY."""

    template = "COUNT(*)"
    contains_aggregate = False
    output_field = IntegerField()


def _start_of_day_after(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


# Before any identification date: what a missing one counts as (a household in scope all along).
_LONG_AGO = datetime.date(1900, 1, 1)


def _entered_scope_after(obligation: Obligation, day: datetime.date, household) -> Q | None:
    """The household joined the visit scope after ``day``: an ordinary household (not flagged)
    is visited because it is monitored, so only from the day the county approved its
    identification (``risk_identified_on``). 脱贫户 and flagged households were in scope all
    along; when the policy has every household visited, so was everyone. None: nobody did."""
    if obligation.policy.visit_scope == obligation.policy.VisitScope.ALL:
        return None
    identified = Coalesce(household("risk_identified_on"), Value(_LONG_AGO))
    return (
        Q(GreaterThan(identified, Value(day)))
        & Q(Exact(household("household_type"), Value(HouseholdType.ORDINARY)))
        & Q(Exact(household("flagged_for_attention"), Value(False)))
    )


def _status_expression(
    obligation: Obligation, *, done: Func, done_before: Func, household, today: datetime.date
) -> Case:
    """THE rule of MON-VISIT-1/2. Visited when the period has the required visits; otherwise
    overdue if the period has ended, or if the household already lacked them in the previous
    period; otherwise due. ``household(name)`` is the expression of one of the household's
    fields (``F`` on the household's row, ``OuterRef`` from its visits).

    A household cannot have missed a period it was not yet in the scope of: one whose record was
    created after the previous period ended (otherwise every household imported on the first day
    of the platform would start overdue), or one that became monitored after it ended (otherwise
    a household approved on the 2nd of a month would be overdue the day it is approved)."""
    visited = GreaterThanOrEqual(done, Value(obligation.required))
    if obligation.period.end < today:
        return Case(
            When(visited, then=Value(VisitStatus.VISITED)),
            default=Value(VisitStatus.OVERDUE),
            output_field=IntegerField(),
        )
    missed_before = Q(LessThan(done_before, Value(obligation.previous_required))) & Q(
        LessThan(household("created_at"), Value(_start_of_day_after(obligation.previous.end)))
    )
    entered_late = _entered_scope_after(obligation, obligation.previous.end, household)
    if entered_late is not None:
        missed_before &= ~entered_late
    return Case(
        When(visited, then=Value(VisitStatus.VISITED)),
        When(missed_before, then=Value(VisitStatus.OVERDUE)),
        default=Value(VisitStatus.DUE),
        output_field=IntegerField(),
    )


def _status_subquery(obligation: Obligation, today: datetime.date) -> Subquery:
    """The status of the outer household, computed from its visits of the obligation's level in
    the period and the one before: one range scan of the index (household, level, -visited_on)
    per household."""
    period = obligation.period
    first_day = period.start if period.end < today else obligation.previous.start
    visits = Visit.objects.filter(
        household=OuterRef("pk"),
        level=obligation.level,
        visited_on__gte=first_day,
        visited_on__lte=period.end,
    ).order_by()
    status = _status_expression(
        obligation,
        done=_CountWhere(Q(visited_on__gte=period.start)),
        done_before=_CountWhere(Q(visited_on__lt=period.start)),
        household=OuterRef,
        today=today,
    )
    return Subquery(visits.annotate(status=status).values("status"), output_field=IntegerField())


def _visit_count(level: str, period: Period) -> Subquery:
    """How many visits of ``level`` the outer household had in ``period``."""
    visits = Visit.objects.filter(
        household=OuterRef("pk"),
        level=level,
        visited_on__gte=period.start,
        visited_on__lte=period.end,
    ).order_by()
    return Subquery(
        visits.annotate(n=_CountAll()).values("n"),
        output_field=IntegerField(),
    )


def with_status(
    households: QuerySet[Household],
    obligation: Obligation,
    *,
    name: str,
    today: datetime.date | None = None,
) -> QuerySet[Household]:
    """Annotate ``households`` with their status for ``obligation`` (``<name>``, a
    ``VisitStatus`` number)."""
    today = today or dates.today()
    return households.annotate(**{name: _status(obligation, today)})


# The stored counts of each level: (period field, count of the period, count of the one before).
_STORED = {
    Visit.Level.VILLAGE: ("visits_counted_month", "village_visits", "village_visits_before"),
    Visit.Level.TOWNSHIP: ("visits_counted_quarter", "township_visits", "township_visits_before"),
}


def _status(obligation: Obligation, today: datetime.date) -> Case:
    """The status from the household's stored counts when they are for this period (one look at
    the row), else from its visits (a range scan of its visits). The rule is the same
    ``_status_expression`` either way."""
    period_field, done, done_before = _STORED[obligation.level]
    stored = _status_expression(
        obligation,
        done=F(done),
        done_before=F(done_before),
        household=F,
        today=today,
    )
    return Case(
        When(Q(**{period_field: obligation.period.start}), then=stored),
        default=_status_subquery(obligation, today),
        output_field=IntegerField(),
    )


def refresh_visit_counts(households: QuerySet[Household], *, today: datetime.date) -> int:
    """Count the visits of ``households`` for the current month and quarter (and the periods
    before) and store the counts on the rows: after each visit, and in the daily sweep (a new
    period starts with the counts of the visits already made in it). Returns the rows written."""
    changed = 0
    for obligation in (month_obligation(today), quarter_obligation(today)):
        period_field, done, done_before = _STORED[obligation.level]
        changed = households.update(
            **{
                period_field: obligation.period.start,
                done: Coalesce(_visit_count(obligation.level, obligation.period), 0),
                done_before: Coalesce(_visit_count(obligation.level, obligation.previous), 0),
            }
        )
    return changed


def with_month_status(
    households: QuerySet[Household],
    *,
    day: datetime.date,
    today: datetime.date | None = None,
    name: str = "month_status",
) -> QuerySet[Household]:
    """MON-VISIT-1: each household's village-level status in the month of ``day``."""
    return with_status(households, month_obligation(day), name=name, today=today)


def with_quarter_status(
    households: QuerySet[Household],
    *,
    day: datetime.date,
    today: datetime.date | None = None,
    name: str = "quarter_status",
) -> QuerySet[Household]:
    """MON-VISIT-2: each household's township-level status in the quarter of ``day``."""
    return with_status(households, quarter_obligation(day), name=name, today=today)


# ---- selectors of the pages -------------------------------------------------------------------


# ---- coverage ---------------------------------------------------------------------------------
