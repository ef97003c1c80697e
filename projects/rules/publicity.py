"""两公示一公告 (DOMAIN.md §3.3, §3.5): every publicity at least N days (PRJ-3, N from the
policy settings, 10 by default per §10 Q-5), both publicities ended without an upheld objection
before the county decides (PRJ-1), and a county announcement before the library (PRJ-2).

A publicity's length counts both ends: from 1 to 10 December is 10 days. A publicity has ended
once its last day is past, and every objection received has been handled."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from kaiyuan.common.rules import Rule, Violation
from projects.codes import ProposerLevel

PRJ_1 = Rule(
    "PRJ-1",
    _(
        "The county decides a project only after its proposer's publicity and the township's "
        "have ended without an upheld objection."
    ),
)
PRJ_2 = Rule("PRJ-2", _("A project enters the library only with a county announcement."))
PRJ_3 = Rule("PRJ-3", _("Each publicity lasts at least the days the policy settings give."))

LEVEL_NAMES = {
    "village": _("village publicity"),
    "township": _("township publicity"),
    "county": _("county publicity"),
}


def length_problems(start: datetime.date, end: datetime.date, *, days: int) -> list[Violation]:
    """PRJ-3 on the dates of a publicity."""
    if start is None or end is None:
        return []
    if end < start:
        return [PRJ_3.violation("end_date", _("The publicity cannot end before it starts."))]
    length = (end - start).days + 1
    if length >= days:
        return []
    return [
        PRJ_3.violation(
            "end_date",
            _(
                "The publicity lasts %(length)s days (from %(start)s to %(end)s); it must last at "
                "least %(days)s days."
            )
            % {"length": length, "start": start, "end": end, "days": days},
        )
    ]


def ended_problems(record, *, today: datetime.date, days: int) -> list[Violation]:
    """Why ``record`` cannot be closed as ended today: too short, still running, or an
    objection not yet handled."""
    problems = length_problems(record.start_date, record.end_date, days=days)
    if record.end_date >= today:
        problems.append(
            PRJ_1.violation(
                "end_date",
                _("The %(what)s runs until %(end)s; it can be ended from the day after.")
                % {"what": LEVEL_NAMES[record.level], "end": record.end_date},
            )
        )
    open_objections = [o for o in record.objections.all() if o.upheld is None]
    if open_objections:
        problems.append(
            PRJ_1.violation(
                "objections",
                _("%(count)s objection(s) received have not been handled yet.")
                % {"count": len(open_objections)},
            )
        )
    return problems


def required_levels(proposer_level: str) -> tuple[str, ...]:
    """The publicities PRJ-1 needs: the proposer's own level's and the township's."""
    return {
        ProposerLevel.VILLAGE: ("village", "township"),
        ProposerLevel.TOWNSHIP: ("township",),
        ProposerLevel.COUNTY: ("county", "township"),
    }[proposer_level]


def decision_problems(project, records) -> list[Violation]:
    """PRJ-1 before the county decides: each needed publicity recorded, ended and closed, with
    no objection upheld."""
    problems = []
    for level in required_levels(project.proposer_level):
        mine = [r for r in records if r.level == level and r.announcement_id is None]
        if not any(r.closed_on for r in mine):
            problems.append(
                PRJ_1.violation(
                    "publicity",
                    _("The %(what)s has not been recorded as ended.")
                    % {"what": LEVEL_NAMES[level]},
                )
            )
        if any(o.upheld for r in mine for o in r.objections.all()):
            problems.append(
                PRJ_1.violation(
                    "publicity",
                    _("An objection to the %(what)s was upheld.") % {"what": LEVEL_NAMES[level]},
                )
            )
    return problems


def admission_problems(project, records, *, today: datetime.date) -> list[Violation]:
    """PRJ-2: the county's announcement recorded for the project, and over."""
    announced = [r for r in records if r.announcement_id is not None]
    if not announced:
        return [PRJ_2.violation("announcement", _("The county has not announced this project."))]
    if all(r.end_date >= today for r in announced):
        last = max(r.end_date for r in announced)
        return [
            PRJ_2.violation(
                "announcement",
                _("The county's announcement runs until %(end)s.") % {"end": last},
            )
        ]
    return []
