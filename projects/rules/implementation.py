"""From completion to operation (DOMAIN.md §3.5, the plan's §四(四) and §四(五)2): acceptance
(PRJ-7), the 管护 arrangements of rural-construction projects, and the operating agreement
(PRJ-10) with its mode (PRJ-11)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kaiyuan.common.rules import Rule, Violation
from projects.codes import Category, OperatingMode

PRJ_7 = Rule(
    "PRJ-7",
    _(
        "Completion acceptance is organised by the bureau; the final states need a passed "
        "acceptance."
    ),
)
PRJ_10 = Rule(
    "PRJ-10",
    _(
        "A project operated other than by the village collective needs a signed operating "
        "agreement: mode, term, return and rights and obligations."
    ),
)
PRJ_11 = Rule("PRJ-11", _("The operating mode is one the plan allows."))
PRJ_MAINTENANCE = Rule(
    "PRJ-MAINTENANCE",
    _(
        "A rural-construction project lists who maintains it, how and with what money before "
        "acceptance."
    ),
)
PRJ_COMPLETE = Rule("PRJ-COMPLETE", _("A project is completed when its progress reaches 100%."))


def completion_problems(latest_percent: Decimal | None) -> list[Violation]:
    if latest_percent is not None and latest_percent >= 100:
        return []
    return [
        PRJ_COMPLETE.violation(
            "percent",
            _("The last progress report says %(percent)s%%; report 100%% before completion.")
            % {"percent": (latest_percent or Decimal("0")).normalize()},
        )
    ]


def maintenance_problems(project, arrangements) -> list[Violation]:
    if project.category != Category.RURAL_CONSTRUCTION or arrangements:
        return []
    return [
        PRJ_MAINTENANCE.violation(
            "maintenance",
            _(
                "Before acceptance, record who maintains the project, their responsibility, how "
                "and the funding source."
            ),
        )
    ]


def passed_acceptance_problems(acceptances) -> list[Violation]:
    """PRJ-7: the project's latest acceptance passed."""
    latest = max(acceptances, key=lambda a: (a.accepted_on, a.pk), default=None)
    if latest is not None and latest.passed:
        return []
    return [
        PRJ_7.violation(
            "acceptance", _("The project has no passed acceptance organised by the bureau.")
        )
    ]


def operating_problems(mode: str, agreement) -> list[Violation]:
    """PRJ-10 and PRJ-11 before operation starts."""
    if mode not in OperatingMode.values:
        return [PRJ_11.violation("mode", _("Choose one of the operating modes the plan allows."))]
    if mode == OperatingMode.VILLAGE_COLLECTIVE or agreement is not None:
        return []
    return [
        PRJ_10.violation(
            "agreement",
            _("“%(mode)s” needs the signed operating agreement recorded first.") % {"mode": mode},
        )
    ]
