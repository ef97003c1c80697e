"""Counting the employment target (DOMAIN.md §6.1, §6.5, §1.5, Q-12): the distinct 脱贫 and
monitored people with a job in the period reported (EMP-1, EMP-2), a job counting once its
months worked reach the year's number (EMP-3) and its kind is one the year's settings count; the
count is at the target when it is 2,500 or more (以上 includes the number). The same conditions
serve the count, its breakdowns, the 月调度/季通报 tables (EMP-6) and the dashboard."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from employment.codes import JobType
from kaiyuan.common.dates import add_months
from kaiyuan.common.rules import Rule

EMP_1 = Rule(
    "EMP-1",
    _(
        "The target counts members of 脱贫户 and monitored households, and is met at 2,500 "
        "persons or more."
    ),
)
EMP_2 = Rule(
    "EMP-2",
    _("The count is of distinct persons with at least one job in the period reported."),
)
EMP_3 = Rule("EMP-3", _("A job counts once the months worked reach the number set (1 month)."))
EMP_6 = Rule(
    "EMP-6",
    _(
        "Stable employment is reported every month (月调度) and bulletined every quarter "
        "(季通报), by township, by the seven batches and by place."
    ),
)

BASIS_YEAR, BASIS_MONTH = "year", "month"

# The job types a year's settings may leave out of the count (a wage job always counts).
OPTIONAL_JOB_TYPES = {
    JobType.WELFARE_POST: "employment_counts_welfare_posts",
    JobType.WORKSHOP: "employment_counts_workshops",
    JobType.FLEXIBLE: "employment_counts_flexible",
    JobType.SELF_EMPLOYED: "employment_counts_self_employed",
}


def counted_job_types(policy) -> list[str]:
    return [
        job_type
        for job_type in JobType.values
        if getattr(policy, OPTIONAL_JOB_TYPES.get(job_type, ""), True)
    ]


@dataclass(frozen=True)
class CountPeriod:
    """The days a month's count looks at: that month alone, or the year up to its end."""

    year: int
    month: int
    first: datetime.date
    last: datetime.date


def count_period(year: int, month: int, basis: str) -> CountPeriod:
    month_first = datetime.date(year, month, 1)
    last = add_months(month_first, 1) - datetime.timedelta(days=1)
    first = month_first if basis == BASIS_MONTH else datetime.date(year, 1, 1)
    return CountPeriod(year, month, first, last)


def population_q(prefix: str = "") -> Q:
    """EMP-1: members of 脱贫户 and of monitored households (on the monitoring list, whether
    the risk is eliminated or not), households not merged into another; ``prefix`` is the path
    to the household (``"member__household__"``)."""
    from monitoring.codes import HouseholdType
    from monitoring.models.households import MONITORED_STATES

    return Q(**{f"{prefix}merged_into__isnull": True}) & (
        Q(**{f"{prefix}household_type": HouseholdType.EXITED})
        | Q(**{f"{prefix}monitoring_status__in": MONITORED_STATES})
        & ~Q(**{f"{prefix}monitoring_category": ""})
    )


def in_population(household) -> bool:
    """``population_q`` for one household."""
    return household.merged_into_id is None and (household.is_exited or household.is_monitored)


def counted_q(policy, period: CountPeriod) -> Q:
    """The records that make a person count in ``period`` (EMP-1, EMP-2, EMP-3 and the year's
    choice of job types). A record ending on the period's first day counts, one starting on its
    last day counts; a person who left the household counts for the months before they left."""
    return (
        Q(year=period.year, start_date__lte=period.last)
        & (Q(end_date__isnull=True) | Q(end_date__gte=period.first))
        & Q(months_worked__gte=policy.employment_min_months)
        & Q(job_type__in=counted_job_types(policy))
        & population_q("member__household__")
        & (Q(member__status="active") | Q(member__removed_on__gte=period.first))
    )


def target_met(count: int, policy) -> bool:
    """EMP-1 (§1.5): "稳定在2500人以上" includes 2,500."""
    return count >= policy.employment_target
