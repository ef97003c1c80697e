"""Employment-assistance workshops (DOMAIN.md §6.3): a workshop employs or links at least five
脱贫 people (a year setting); one with fewer in a year is flagged (以上 includes five)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kaiyuan.common import uscc
from kaiyuan.common.rules import FLAG, Rule, Violation

EMP_WORKSHOP = Rule(
    "EMP-WORKSHOP",
    _("An employment-assistance workshop employs at least 5 poverty-exited people in the year."),
    FLAG,
)


def meets_definition(exited_workers: int, policy) -> bool:
    return exited_workers >= policy.workshop_min_workers


def workshop_flags(*, exited_workers: int, policy, year: int | None = None) -> list[Violation]:
    """EMP-WORKSHOP for the workers of ``year`` (by default the policy's own year; a year's
    settings stay in force for the years after it until new ones are entered, so pages pass the
    year they count)."""
    if meets_definition(exited_workers, policy):
        return []
    return [
        EMP_WORKSHOP.violation(
            "records",
            _(
                "%(count)s poverty-exited or monitored people work here in %(year)s; a workshop "
                "employs at least %(minimum)s."
            )
            % {
                "count": exited_workers,
                "year": year if year is not None else policy.year,
                "minimum": policy.workshop_min_workers,
            },
        )
    ]


def operator_problems(*, operator_uscc: str) -> list[Violation]:
    return [v for v in uscc.uscc_problems(operator_uscc, field="operator_uscc") if v.is_error]
