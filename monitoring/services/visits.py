"""Recording visits (走访, DOMAIN.md §2.4.6): the level comes from the visitor's role, a visit that
finds a new risk opens a risk lead for the identification procedure (§2.7.1 step 1)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kaiyuan.audit import record
from kaiyuan.common import dates
from kaiyuan.common.scoping import ensure_may_change
from kaiyuan.policy.services import policy_for
from monitoring.exceptions import MonitoringError, WrongLevel
from monitoring.models import Household, RiskLead, Visit
from monitoring.models.households import GuaranteeAnswers
from monitoring.rules.visits import refresh_visit_counts, visit_level_of

# How far back a visit may be dated. A fixed rule, not a setting: coverage of a month is read
# and reported (月调度) soon after the month closes, and entries made later than a month after
# the visit would change figures already reported, so late entries are refused instead.
MAX_DAYS_BACK = 31

ANSWER_FIELDS = GuaranteeAnswers.GUARANTEE_FIELDS


@transaction.atomic
def visit_record(
    *,
    household: Household,
    actor,
    visited_on: datetime.date,
    method: str,
    child_out_of_school: bool,
    housing_unsafe: bool,
    member_uninsured: bool,
    water_unsafe: bool,
    income_change: str = "none",
    new_risk: bool = False,
    risk_note: str = "",
    note: str = "",
    no_change: bool = False,
    photo=None,
    submission_key: uuid.UUID | None = None,
) -> Visit:
    """Record a visit by ``actor`` at the level of their role (grid worker: village level,
    township clerk: township level), and open a risk lead when the visit found a new risk.

    Raises:
        WrongLevel: the actor's role does not visit households.
        MonitoringError: the household is outside the actor's area, merged, or an answer is
            missing or out of range (``field`` names the form field).
    """
    level = visit_level_of(actor)
    if level is None:
        raise WrongLevel(
            _(
                "Only grid workers (village-level visits) and township clerks (township-level "
                "visits) record visits."
            )
        )
    # The household's row lock puts two submissions of one visit in a queue: the second finds
    # the first's visit by its key and returns it instead of recording a copy (and a copy lead).
    household = Household.objects.select_for_update().select_related("area").get(pk=household.pk)
    ensure_may_change(actor, household)
    if submission_key is not None:
        earlier = Visit.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            if earlier.household_id != household.pk or earlier.visitor_id != actor.pk:
                raise MonitoringError(
                    _("This form was already used for another visit. Open the form again."),
                    code="submission_reused",
                )
            return earlier
    if household.merged_into_id is not None:
        raise MonitoringError(
            _("This household was merged into another one; record the visit there."),
            code="merged",
        )
    _check_date(household, visited_on)
    if method not in Visit.Method.values:
        raise MonitoringError(_("Choose how the visit was made."), code="method", field="method")
    if income_change not in Visit.IncomeChange.values:
        raise MonitoringError(
            _("Choose how the income has changed."), code="income_change", field="income_change"
        )
    answers = {
        "child_out_of_school": child_out_of_school,
        "housing_unsafe": housing_unsafe,
        "member_uninsured": member_uninsured,
        "water_unsafe": water_unsafe,
    }
    for name, value in answers.items():
        if not isinstance(value, bool):
            raise MonitoringError(
                _("Answer each of the four questions on the three guarantees and water."),
                code="answer_missing",
                field=name,
            )
    risk_note = (risk_note or "").strip()
    if new_risk and not risk_note:
        raise MonitoringError(
            _("Describe the new risk that was found."), code="risk_note", field="risk_note"
        )
    # A problem in the four answers without "new risk found" is accepted: the visit records what
    # was seen and the problem shows on the household's visit history; whether it is a new risk
    # (or one already monitored and being assisted) is the visitor's judgement, so no lead is
    # forced here.
    visit = Visit(
        household=household,
        area=household.area,
        visitor=actor,
        level=level,
        visited_on=visited_on,
        method=method,
        income_change=income_change,
        new_risk=bool(new_risk),
        risk_note=risk_note if new_risk else "",
        no_change=bool(no_change),
        note=(note or "").strip(),
        submission_key=submission_key,
        **answers,
    )
    if photo:
        visit.photo = photo
    visit.save()
    record(
        visit,
        action="create",
        actor=actor,
        data={
            "household_number": household.household_number,
            "level": level,
            "visited_on": visited_on.isoformat(),
            "method": method,
            "problems": [name for name, value in answers.items() if value],
            "income_change": income_change,
            "new_risk": bool(new_risk),
            "no_change": bool(no_change),
            "photo": bool(visit.photo),
        },
    )
    if new_risk:
        _open_lead(visit, actor=actor)
    refresh_visit_counts(Household.objects.filter(pk=household.pk), today=dates.today())
    return visit


def _check_date(household: Household, visited_on: datetime.date) -> None:
    today = dates.today()
    if visited_on > today:
        raise MonitoringError(
            _("The date of the visit cannot be in the future."),
            code="visit_in_future",
            field="visited_on",
        )
    if visited_on < today - datetime.timedelta(days=MAX_DAYS_BACK):
        raise MonitoringError(
            _("Visits older than %(days)s days can no longer be recorded.")
            % {"days": MAX_DAYS_BACK},
            code="visit_too_old",
            field="visited_on",
        )
    created_on = dates.local_date(household.created_at)
    if visited_on < created_on:
        raise MonitoringError(
            _("The date of the visit is before the household was registered (%(date)s).")
            % {"date": created_on.isoformat()},
            code="visit_before_household",
            field="visited_on",
        )


def _open_lead(visit: Visit, *, actor) -> RiskLead:
    """The risk lead a visit opens (channel 基层干部排查), due for on-site verification within the
    policy's number of days."""
    policy = policy_for(visit.visited_on.year)
    deadline = visit.visited_on + datetime.timedelta(days=policy.identification_verification_days)
    lead = RiskLead.objects.create(
        household=visit.household,
        area=visit.household.area,
        source=RiskLead.Source.VISIT,
        visit=visit,
        description=visit.risk_note,
        deadline=deadline,
        created_by=actor,
    )
    record(
        lead,
        action="create",
        actor=actor,
        data={"source": RiskLead.Source.VISIT, "visit": visit.pk, "deadline": deadline.isoformat()},
    )
    return lead


def visit_prefill(household: Household) -> dict[str, Any]:
    """Initial answers for "no change since the last visit": the household's latest visit (of
    either level), with no income change and no new risk. Empty when it was never visited."""
    last = Visit.objects.filter(household=household).order_by("-visited_on", "-id").first()
    if last is None:
        return {}
    initial: dict[str, Any] = {name: getattr(last, name) for name in ANSWER_FIELDS}
    initial.update(
        method=last.method,
        income_change=Visit.IncomeChange.NONE,
        new_risk=False,
        risk_note="",
        no_change=True,
        last_visited_on=last.visited_on,
    )
    return initial
