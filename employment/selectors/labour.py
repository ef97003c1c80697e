"""The labour force of an area (DOMAIN.md §2.5.4, EMP-1): members of 脱贫户 and monitored
households with labour ability, each with the job they hold in a month, if any."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _

from employment.models import EmploymentRecord
from employment.rules.counts import population_q
from kaiyuan.common.dates import add_months
from kaiyuan.inbox.registry import Entry, Source
from monitoring.codes import HAS_LABOUR
from monitoring.models import Member


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, month, 1)
    return first, add_months(first, 1) - datetime.timedelta(days=1)


def jobs_in(first: datetime.date, last: datetime.date):
    return EmploymentRecord.objects.filter(year=first.year).overlapping(first, last)


def labour_force(user, year: int, month: int, *, working: bool | None = None):
    """Members with labour ability of the area's 脱贫 and monitored households; ``jobs``
    prefetched with the records of the month, ``working`` annotated."""
    from kaiyuan.common.scoping import may_see_model

    if not may_see_model(user, EmploymentRecord):
        # Department staff see no jobs: a list of their people as "not working" would mislead.
        return Member.objects.none()
    first, last = month_bounds(year, month)
    month_jobs = jobs_in(first, last)
    members = (
        Member.objects.visible_to(user)
        .active()
        .filter(population_q("household__"), labour_skill__in=HAS_LABOUR)
        .select_related("household__area__parent")
        .annotate(working=Exists(month_jobs.filter(member=OuterRef("pk"))))
        .prefetch_related(
            Prefetch(
                "employment_records",
                queryset=month_jobs.order_by("-start_date", "-id"),
                to_attr="month_jobs",
            )
        )
        .order_by("household__area__code", "household_id", "id")
    )
    if working is not None:
        members = members.filter(working=working)
    return members


def flagged_working(user):
    """EMP-4's people: recorded as working, registered without labour ability (or weak labour
    outside the province), not yet reviewed."""
    from employment.rules.records import labour_flag_q

    return (
        EmploymentRecord.objects.visible_to(user)
        .filter(labour_flag_q())
        .select_related("member__household__area")
    )


def _flagged_entry(job: EmploymentRecord) -> Entry:
    return Entry(
        subject=f"{job.member.name}（{job.member.household.area.name}）",
        since=job.recorded_at,
        url=job.get_absolute_url(),
        detail=f"{job.member.labour_skill} · {job.get_job_type_display()}",
    )


INBOX_SOURCES = (
    Source(
        key="employment.jobs_to_review",
        label=_("Jobs of people registered without labour, to review"),
        capability="employment.review",
        items=lambda user: flagged_working(user).order_by("recorded_at", "id"),
        entry=_flagged_entry,
    ),
)
