"""Workshops with the poverty-exited and monitored people working there in a year (EMP-WORKSHOP)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from employment.models import Workshop
from employment.rules.counts import population_q


def exited_workers_q(year: int) -> Q:
    return Q(records__year=year) & population_q("records__member__household__")


def workshops_with_workers(user, year: int):
    """The area's workshops, each with ``exited_workers``: the distinct 脱贫 and monitored people
    with a job there in ``year``."""
    return (
        Workshop.objects.visible_to(user)
        .select_related("area__parent")
        .annotate(
            exited_workers=Count("records__member", filter=exited_workers_q(year), distinct=True)
        )
    )


def open_in(year: int) -> Q:
    return Q(opened_on__lte=datetime.date(year, 12, 31)) & (
        Q(closed_on__isnull=True) | Q(closed_on__gte=datetime.date(year, 1, 1))
    )
