"""Reads of people's jobs shared by the pages: the jobs list, a household's jobs of this year
(the household page), and the jobs a visit may confirm ("still at the same job")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from employment.models import EmploymentRecord
from employment.rules.counts import in_population
from employment.rules.records import labour_flags
from kaiyuan.accounts.capabilities import user_can
from kaiyuan.common.dates import today
from kaiyuan.common.scoping import may_change, may_see_model
from monitoring.codes import HAS_LABOUR
from monitoring.models import Member


def records_for(user):
    """The jobs of the people of ``user``'s area, with what a list row shows."""
    return EmploymentRecord.objects.visible_to(user).select_related(
        "member__household__area__parent", "workshop", "post"
    )


def unreviewed_flags(record: EmploymentRecord) -> list:
    """The flags a list row shows without a query (its member read with it): EMP-4, until the
    township or county has reviewed it."""
    if not record.needs_review:
        return []
    return labour_flags(
        labour_skill=record.member.labour_skill,
        place_category=record.place_category,
        months=record.months_worked,
    )


@dataclass
class MemberJobs:
    """One member on the household page's employment section: this year's jobs, and whether
    the user may record one for them."""

    member: object
    jobs: list = field(default_factory=list)
    may_record: bool = False


@dataclass
class HouseholdEmployment:
    year: int
    members: list[MemberJobs]


def household_employment(household, members, user) -> HouseholdEmployment | None:
    """This year's jobs of the household's ``members`` (one query), member by member: the
    members with labour ability, and those without it who have a job all the same (EMP-4).
    None for the roles that do not open employment, and for a household the target does not
    count that has no job recorded."""
    if not user_can(user, "employment.use") or not may_see_model(user, EmploymentRecord):
        return None
    year = today().year
    jobs: dict[int, list] = {}
    rows = (
        EmploymentRecord.objects.visible_to(user)
        .filter(member__household=household, year=year)
        .order_by("-start_date", "-id")
    )
    for job in rows:
        jobs.setdefault(job.member_id, []).append(job)
    counted = in_population(household)
    if not counted and not jobs:
        return None  # the target does not count the household's people (EMP-1)
    may_record = counted and user_can(user, "employment.record") and may_change(user, household)
    rows = [
        MemberJobs(
            member=member,
            jobs=jobs.get(member.pk, []),
            may_record=may_record and member.labour_skill in HAS_LABOUR,
        )
        for member in members
        if member.labour_skill in HAS_LABOUR or member.pk in jobs
    ]
    return HouseholdEmployment(year=year, members=rows)


def jobs_to_confirm(household, user, *, month_start: datetime.date) -> list[EmploymentRecord]:
    """The jobs a visit to ``household`` may confirm as still held: those of its members of this
    year or last year that had not ended before the visit's month (``month_start``); none for a
    user who does not record jobs."""
    if not user_can(user, "employment.record") or not may_change(user, household):
        return []
    return list(
        EmploymentRecord.objects.visible_to(user)
        .filter(
            member__household=household,
            member__status=Member.Status.ACTIVE,
            year__in=[month_start.year, month_start.year - 1],
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=month_start))
        .select_related("member")
        .order_by("member_id", "-start_date", "-id")
    )
