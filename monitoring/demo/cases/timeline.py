"""The steps of one demo case, dated as the workflow and its rules allow, and the check that a
case keeps them (``case_problems``), run on every case the demo makes.

A case is dated backwards from its last step (an approval on the household's identification
date, or a recent step of a case under way): each earlier step on an earlier working day, or
earlier the same day, in office hours, never after "now"; the appraisal that starts the
publicity early enough for its full period (the year's ``monitoring_publicity_days``, MON-ID-3)
to end before the publicity is closed. The fields of the case (application date, deadline,
publicity dates, decision) are then read off the steps, so they cannot disagree with them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from kaiyuan.common import dates
from kaiyuan.policy.services import policy_for
from monitoring.models import MonitoringCase
from monitoring.models.cases import CASE_TRANSITIONS, CASE_WORKFLOW
from monitoring.rules import cases as case_rules

Status = MonitoringCase.Status
Kind = MonitoringCase.Kind

IDENTIFICATION_PATH = (
    ("open", "", Status.APPLICATION),
    ("submit_application", Status.APPLICATION, Status.VERIFYING),
    ("crosscheck", Status.VERIFYING, Status.VERIFYING),
    ("verify", Status.VERIFYING, Status.VILLAGE_APPRAISAL),
    ("appraise", Status.VILLAGE_APPRAISAL, Status.VILLAGE_PUBLICITY),
    ("close_publicity", Status.VILLAGE_PUBLICITY, Status.TOWNSHIP_REVIEW),
    ("township_pass", Status.TOWNSHIP_REVIEW, Status.COUNTY_APPROVAL),
    ("county_approve", Status.COUNTY_APPROVAL, Status.APPROVED),
)
# An elimination is opened straight into verification, with its post-elimination indicators.
ELIMINATION_PATH = (
    ("open", "", Status.VERIFYING),
    ("indicators", Status.VERIFYING, Status.VERIFYING),
    *IDENTIFICATION_PATH[3:],
)
# The steps that refuse a case, and the state each is taken from.
REJECTIONS = {
    "appraise_not_eligible": Status.VILLAGE_APPRAISAL,
    "objection_upheld": Status.VILLAGE_PUBLICITY,
    "county_reject": Status.COUNTY_APPROVAL,
}
# Working days before each step (the fewest, the most); 0 is earlier the same day.
GAPS = {
    "submit_application": (0, 2),
    "crosscheck": (0, 2),
    "indicators": (0, 2),
    "verify": (0, 2),
    "appraise": (1, 2),
    "appraise_not_eligible": (1, 2),
    "township_pass": (0, 2),
    "township_return": (0, 2),
    "county_approve": (1, 3),
    "county_reject": (1, 3),
}
PUBLICITY_CLOSERS = ("close_publicity", "objection_upheld")
OFFICE_OPENS = datetime.time(8, 30)
OFFICE_CLOSES = datetime.time(17, 30)
MINUTE = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class PlannedStep:
    action: str
    level: str
    from_state: str
    to_state: str
    at: datetime.datetime

    @property
    def day(self) -> datetime.date:
        return dates.local_date(self.at)


def path(kind: str, status: str, *, rejected_by: str = "") -> list[tuple[str, str, str]]:
    """The steps that bring a new case of ``kind`` to ``status`` (or, with ``rejected_by``, to
    the state that step is taken from and then refused)."""
    full = IDENTIFICATION_PATH if kind == Kind.IDENTIFICATION else ELIMINATION_PATH
    target = REJECTIONS[rejected_by] if rejected_by else status
    steps: list[tuple[str, str, str]] = []
    for step in full:
        if steps and steps[-1][2] == target:
            break  # there (a case at verification still waits for the cross-check)
        steps.append(step)
    if rejected_by == "objection_upheld":
        steps.append(("objection", Status.VILLAGE_PUBLICITY, Status.VILLAGE_PUBLICITY))
    if rejected_by:
        steps.append((rejected_by, target, Status.REJECTED))
    return steps


class Scheduler:
    """Dates the steps of demo cases (see the module docstring). One per seed run: it keeps the
    random generator and "now"."""

    def __init__(self, rng, *, now: datetime.datetime) -> None:
        self.rng = rng
        self.now = timezone.localtime(now)

    # ---- moments -------------------------------------------------------------------------

    def _moment(self, day: datetime.date, *, latest: datetime.datetime | None = None):
        """A moment of office hours on ``day``, not after ``latest``; None if there is none."""
        opens = timezone.make_aware(datetime.datetime.combine(day, OFFICE_OPENS))
        closes = timezone.make_aware(datetime.datetime.combine(day, OFFICE_CLOSES))
        if latest is not None:
            closes = min(closes, latest)
        minutes = int((closes - opens) / MINUTE)
        if minutes < 0:
            return None
        return opens + self.rng.randint(0, minutes) * MINUTE

    def working_day_on_or_before(self, day: datetime.date) -> datetime.date:
        while not dates.is_working_day(day):
            day -= datetime.timedelta(days=1)
        return day

    def _working_days_back(self, day: datetime.date, count: int) -> datetime.date:
        for _ in range(count):
            day = self.working_day_on_or_before(day - datetime.timedelta(days=1))
        return day

    def last_moment(self, day: datetime.date) -> datetime.datetime:
        """The moment of a case's last step on the working day on or before ``day`` (or the one
        before, when today's office hours have not begun), never after now."""
        day = self.working_day_on_or_before(min(day, self.now.date()))
        while True:
            moment = self._moment(day, latest=self.now - MINUTE)
            if moment is not None:
                return moment
            day = self._working_days_back(day, 1)

    def _before(self, later: datetime.datetime, gap: int) -> datetime.datetime:
        if gap == 0:
            moment = self._moment(dates.local_date(later), latest=later - 10 * MINUTE)
            if moment is not None:
                return moment
            gap = 1
        day = self._working_days_back(dates.local_date(later), gap)
        return self._moment(day)

    def _publicity_start_before(self, closed: datetime.datetime) -> datetime.datetime:
        """The appraisal, early enough for the publicity it starts to have run its full period
        (MON-ID-3) before ``closed``."""
        close_day = dates.local_date(closed)
        days = policy_for(close_day.year).monitoring_publicity_days
        start = close_day - datetime.timedelta(days=days + self.rng.randint(0, 1))
        start = self.working_day_on_or_before(start)
        while case_rules.check_publicity_over(
            case_rules.publicity_end(start, start.year), close_day
        ):
            start = self._working_days_back(start, 1)
        return self._moment(start)

    # ---- a case --------------------------------------------------------------------------

    def schedule(
        self, steps: list[tuple[str, str, str]], *, last: datetime.datetime
    ) -> list[PlannedStep]:
        """``steps`` dated backwards from ``last`` (the moment of the last one)."""
        moments: list[datetime.datetime | None] = [None] * len(steps)
        moments[-1] = last
        later_index = len(steps) - 1
        for index in range(len(steps) - 2, -1, -1):
            action = steps[index][0]
            if action == "objection":
                continue  # dated once the publicity it falls in is
            later_action, later = steps[later_index][0], moments[later_index]
            if later_action in PUBLICITY_CLOSERS:
                moments[index] = self._publicity_start_before(later)
            else:
                low, high = GAPS.get(later_action, (0, 1))
                moments[index] = self._before(later, self.rng.randint(low, high))
            later_index = index
        for index, (action, _before, _after) in enumerate(steps):
            if action == "objection":
                # The day after the appraisal: inside the publicity, before it is closed.
                moments[index] = moments[index - 1] + datetime.timedelta(
                    days=1, minutes=self.rng.randint(0, 90)
                )
        return [
            PlannedStep(action, CASE_WORKFLOW.step(action).level or "", before, after, at)
            for (action, before, after), at in zip(steps, moments, strict=True)
        ]


# =============================================================================================
# The case's fields, read off its steps
# =============================================================================================


def case_fields(kind: str, steps: list[PlannedStep], *, today: datetime.date) -> dict:
    """The dates a case keeps of its steps, as the services record them."""
    by_action = {step.action: step for step in steps}
    fields: dict = {"status": steps[-1].to_state, "opened_at": steps[0].at}
    if kind == Kind.IDENTIFICATION and "submit_application" in by_action:
        applied = by_action["submit_application"].day
        fields["application_date"] = applied
        fields["deadline"] = case_rules.identification_deadline(applied)
        fields["overdue"] = (
            fields["status"] in MonitoringCase.OPEN_STATES and fields["deadline"] < today
        )
    if kind == Kind.ELIMINATION:
        fields["application_date"] = steps[0].day
    if "crosscheck" in by_action:
        fields["crosscheck_on"] = by_action["crosscheck"].day
    if "verify" in by_action:
        fields["verified_on"] = by_action["verify"].day
    for action in ("appraise", "appraise_not_eligible"):
        if action in by_action:
            fields["appraisal_on"] = by_action[action].day
    if "appraise" in by_action:
        start = by_action["appraise"].day
        fields["publicity_start"] = start
        fields["publicity_end"] = case_rules.publicity_end(start, start.year)
    final = steps[-1]
    if final.to_state == Status.APPROVED:
        fields["announced_on"] = final.day
        fields["decided_at"] = final.at
    if final.to_state == Status.REJECTED:
        fields["decided_at"] = final.at
    return fields


# =============================================================================================
# The check
# =============================================================================================


def case_problems(case: MonitoringCase, steps, *, now: datetime.datetime) -> list[str]:
    """What in ``case`` and its ``steps`` (CaseSteps or PlannedSteps, in order) the workflow or
    its rules (monitoring.rules.cases) would not have allowed; empty when nothing."""
    problems: list[str] = []
    today = dates.local_date(now)
    transitions = CASE_TRANSITIONS[case.kind]
    state = ""
    previous = None
    for step in steps:
        where = f"{case.kind} {case.household_id} {step.action}"
        if step.from_state != state:
            problems.append(f"{where}: taken at {step.from_state!r}, the case was at {state!r}")
        moves = step.to_state != step.from_state
        if step.action == "open":
            if step.from_state or step.to_state not in transitions:
                problems.append(f"{where}: opens into {step.to_state}")
        elif moves and step.to_state not in transitions.get(step.from_state, set()):
            problems.append(f"{where}: {step.from_state} cannot move to {step.to_state}")
        if step.level != (CASE_WORKFLOW.step(step.action).level or ""):
            problems.append(f"{where}: taken at {step.level} level")
        if step.at > now:
            problems.append(f"{where}: dated {step.at}, after now")
        if previous is not None and step.at <= previous.at:
            problems.append(f"{where}: dated {step.at}, not after {previous.action}")
        if step.action in PUBLICITY_CLOSERS and case.publicity_end is not None:
            for violation in case_rules.check_publicity_over(
                case.publicity_end, dates.local_date(step.at)
            ):
                problems.append(f"{where}: {violation.message}")
        state, previous = step.to_state, step
    if state != case.status:
        problems.append(f"{case.kind} {case.household_id}: steps end at {state}, not {case.status}")
    if case.publicity_start is not None:
        expected = case_rules.publicity_end(case.publicity_start, case.publicity_start.year)
        if case.publicity_end != expected:
            problems.append(
                f"{case.household_id}: publicity ends {case.publicity_end}, not {expected}"
            )
    if case.kind == Kind.IDENTIFICATION and case.application_date is not None:
        deadline = case_rules.identification_deadline(case.application_date)
        if case.deadline != deadline:
            problems.append(f"{case.household_id}: deadline {case.deadline}, not {deadline}")
        late = case.status in MonitoringCase.OPEN_STATES and deadline < today
        if case.overdue != late:
            problems.append(f"{case.household_id}: overdue is {case.overdue}, not {late}")
    if case.verified_on is not None:
        problems += [v.message for v in case_rules.check_verifiers(case.verifiers)]
    if case.category:
        problems += [
            v.message for v in case_rules.category_fits(case.household, case.category, field="")
        ]
    if case.status not in (Status.APPLICATION, Status.REJECTED):
        problems += [v.message for v in case_rules.check_risk_slots(case.risks)]
    if case.kind == Kind.ELIMINATION and steps:
        opened = dates.local_date(steps[0].at)
        problems += [
            str(v.message)
            for v in case_rules.check_elimination_start(
                case.household, case.elimination_mode, opened
            )
            if v.field == "risk_identified_on"
        ]
    return [str(p) for p in problems]


def actor_problem(actor, action: str) -> str:
    """Why the demo's actor of a step could not take it (capability, level), else "". Their
    separation on one case is the seeder's: village steps by the township's entering clerk, the
    township review by the other clerk, the county's by the bureau."""
    refusal = CASE_WORKFLOW.refusal(None, action, actor)
    return "" if refusal is None else f"{actor} {action}: {refusal}"
