"""The monthly roster (月度务工名册) of an area: the people the file lists for month M and the job
each held in the month before, which the clerk confirms, ends or changes in the file.

The roster of M lists the area's labour force (``selectors.labour.labour_force``: members with
labour ability of 脱贫 and monitored households) and anyone else of the area with a job in M − 1
(a person registered without labour who works, one who has since left the household), so that
every job of last month can be confirmed or ended. Each person's row holds the latest-starting
job overlapping M − 1, or nothing."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q

from employment.selectors.labour import jobs_in, labour_force, month_bounds
from kaiyuan.areas.models import Area
from kaiyuan.common.dates import today
from monitoring.models import Member


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def confirmed_on(year: int, month: int) -> datetime.date:
    """The day an unchanged row of month M confirms its job: M's last day, or today while M
    is still running."""
    return min(month_bounds(year, month)[1], today())


def roster_members(user, area: Area, year: int, month: int):
    """The people of ``area`` (inside what ``user`` sees) on the roster of ``year``-``month``,
    each with ``held_jobs``: the jobs overlapping the month before, latest start first."""
    before = previous_month(year, month)
    held = jobs_in(*month_bounds(*before))
    labour = Q(pk__in=labour_force(user, *before).values("pk"))
    return (
        Member.objects.visible_to(user)
        .filter(household__area__path__startswith=area.path)
        .filter(labour | Exists(held.filter(member=OuterRef("pk"))))
        .select_related("household__area__parent")
        .prefetch_related(
            Prefetch(
                "employment_records",
                queryset=held.select_related("workshop").order_by("-start_date", "-id"),
                to_attr="held_jobs",
            )
        )
        .order_by("household__area__code", "household_id", "id")
    )


def held_job(member):
    """The job a roster row is pre-filled with (``roster_members``' prefetch), or None."""
    jobs = getattr(member, "held_jobs", None) or []
    return jobs[0] if jobs else None
