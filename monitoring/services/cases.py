"""Identification and elimination cases: one service per transition (DOMAIN.md §2.6–§2.7).

Every transition locks the case row, checks that the case is still in the state the user saw
(and, when given, the version), checks the actor's role and level and the rules of the step,
changes the case and the household's monitoring status, writes a CaseStep and an AuditEvent, all
in one transaction. A second user acting on the same case at the same time is told the case has
changed; a case never skips a step or moves twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kaiyuan.audit import record
from kaiyuan.common.dates import add_working_days, today
from kaiyuan.common.errors import TransitionNotAllowed
from kaiyuan.common.rules import RulesBroken, Violation
from kaiyuan.common.scoping import ensure_may_change
from kaiyuan.policy.services import policy_for
from monitoring.exceptions import MonitoringError
from monitoring.models import (
    CaseAttachment,
    GuaranteeCheck,
    Household,
    MonitoringCase,
    RiskLead,
)
from monitoring.models.cases import CASE_WORKFLOW, LEAD_WORKFLOW
from monitoring.rules import cases as case_rules
from monitoring.rules.cases import MON_ELIM_6, MON_ID_1, MON_ID_CROSSCHECK

Status = MonitoringCase.Status
Kind = MonitoringCase.Kind
HouseholdStatus = Household.MonitoringStatus

# The household's monitoring status while an identification case is in each state.
IDENTIFICATION_HOUSEHOLD_STATUS = {
    Status.APPLICATION: HouseholdStatus.LEAD_RECEIVED,
    Status.VERIFYING: HouseholdStatus.VERIFYING,
    Status.VILLAGE_APPRAISAL: HouseholdStatus.VILLAGE_APPRAISAL,
    Status.VILLAGE_PUBLICITY: HouseholdStatus.VILLAGE_PUBLICITY,
    Status.TOWNSHIP_REVIEW: HouseholdStatus.TOWNSHIP_REVIEW,
    Status.COUNTY_APPROVAL: HouseholdStatus.COUNTY_APPROVAL,
    Status.APPROVED: HouseholdStatus.MONITORED,
}
MONITORABLE_FROM = (HouseholdStatus.NOT_MONITORED, HouseholdStatus.ELIMINATED)
CASE_ROWS = MonitoringCase.objects.select_related("household", "household__area", "area")


# =============================================================================================
# Helpers
# =============================================================================================


def _lock(
    case: MonitoringCase,
    *,
    actor,
    expected_status: str,
    expected_version: int | None,
    action: str,
) -> MonitoringCase:
    """The case locked for ``action`` by ``actor``, still where the user saw it (else a message
    that says where it is)."""
    return CASE_WORKFLOW.lock_for(
        actor,
        case,
        action,
        CASE_ROWS,
        expected_state=expected_status,
        expected_version=expected_version,
    )


def _raise(violations: list[Violation]) -> list[Violation]:
    errors = [v for v in violations if v.is_error]
    if errors:
        raise RulesBroken(errors)
    return [v for v in violations if not v.is_error]


def _household_status_for(case: MonitoringCase) -> str:
    if case.kind == Kind.IDENTIFICATION:
        if case.status == Status.REJECTED:
            return case.household_status_before or HouseholdStatus.NOT_MONITORED
        return IDENTIFICATION_HOUSEHOLD_STATUS[case.status]
    if case.status == Status.APPROVED:
        return HouseholdStatus.ELIMINATED
    if case.status == Status.REJECTED:
        return HouseholdStatus.MONITORED
    return HouseholdStatus.ELIMINATION_PENDING


def _move(
    case: MonitoringCase,
    *,
    to: str | None,
    actor,
    action: str,
    reason: str = "",
    data: dict | None = None,
    fields: tuple[str, ...] = (),
) -> MonitoringCase:
    """Take ``action`` through the case workflow (map, capability, level, separation of duties,
    step row, audit) and carry the household's monitoring status along, in one transaction."""
    CASE_WORKFLOW.transition(
        case, action=action, actor=actor, to=to, reason=reason, data=data, fields=fields
    )
    if to is not None:
        Household.objects.filter(pk=case.household_id).update(
            monitoring_status=_household_status_for(case), version=F("version") + 1
        )
    return case


def _attach(case: MonitoringCase, kind: str, upload: UploadedFile | None, actor) -> None:
    if upload is None:
        return
    CaseAttachment.objects.create(
        case=case, kind=kind, file=upload, name=upload.name[:200], uploaded_by=actor
    )


def _checked_today(day: datetime.date | None) -> datetime.date:
    current = today()
    if day is None:
        return current
    if day > current:
        raise MonitoringError(_("The date cannot be in the future."), field="date")
    return day


# =============================================================================================
# Leads and opening cases
# =============================================================================================


@transaction.atomic
def lead_create(
    *,
    household: Household,
    actor,
    source: str,
    description: str,
    received_on: datetime.date | None = None,
) -> RiskLead:
    """Record a risk lead (a household's own application, entered by a clerk; visits and
    department warnings create theirs through their own services)."""
    CASE_WORKFLOW.ensure_may_take(None, "open", actor)  # who may record a lead opens cases
    ensure_may_change(actor, household)
    if not description.strip():
        raise MonitoringError(_("Describe the risk."), field="description")
    received = _checked_today(received_on)
    policy = policy_for(received.year)
    lead = RiskLead.objects.create(
        household=household,
        area=household.area,
        source=source,
        description=description,
        deadline=add_working_days(received, policy.identification_acceptance_days),
        created_by=actor,
    )
    record(lead, action="create", actor=actor, data={"source": source})
    return lead


@transaction.atomic
def lead_close_no_risk(*, lead: RiskLead, actor, reason: str) -> RiskLead:
    """The village verified the lead and found no risk (§2.6: LEAD_RECEIVED → NOT_MONITORED)."""
    locked = LEAD_WORKFLOW.lock_for(
        actor,
        lead,
        "close_no_risk",
        RiskLead.objects.select_related("household__area"),
        expected_state=RiskLead.Status.OPEN,
    )
    ensure_may_change(actor, locked.household)
    if not reason.strip():
        raise MonitoringError(_("Give the reason for the change."), field="reason")
    return LEAD_WORKFLOW.transition(
        locked, action="close_no_risk", actor=actor, to=RiskLead.Status.NO_RISK, reason=reason
    )


@transaction.atomic
def case_open_identification(
    *, household: Household, actor, lead: RiskLead | None = None, note: str = ""
) -> MonitoringCase:
    """Open an identification case for a household with a risk (from a lead, or directly)."""
    CASE_WORKFLOW.ensure_may_take(None, "open", actor)
    locked = Household.objects.select_for_update().select_related("area").get(pk=household.pk)
    ensure_may_change(actor, locked)
    if locked.merged_into_id:
        raise MonitoringError(_("This household was merged into another."))
    if locked.monitoring_status not in MONITORABLE_FROM:
        raise TransitionNotAllowed(
            _("The household is already being identified or monitored (%(status)s).")
            % {"status": locked.get_monitoring_status_display()}
        )
    case = MonitoringCase(
        kind=Kind.IDENTIFICATION,
        household=locked,
        area=locked.area,
        lead=lead,
        status=Status.APPLICATION,
        opened_by=actor,
        household_status_before=locked.monitoring_status,
    )
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise TransitionNotAllowed(_("This household already has a case under way.")) from None
    if lead is not None:
        open_lead = LEAD_WORKFLOW.lock(
            RiskLead.objects.all(), lead.pk, expected_state=RiskLead.Status.OPEN, action="open_case"
        )
        LEAD_WORKFLOW.transition(
            open_lead, action="open_case", actor=actor, to=RiskLead.Status.CASE_OPENED
        )
    Household.objects.filter(pk=locked.pk).update(
        monitoring_status=HouseholdStatus.LEAD_RECEIVED, version=F("version") + 1
    )
    _record_opening(case, actor, reason=note, data={"lead": lead.pk if lead else None})
    return case


def _record_opening(case: MonitoringCase, actor, *, reason: str, data: dict) -> None:
    """The first step of a case (it is created in its first state, not moved into it)."""
    step = CASE_WORKFLOW.step("open")
    CASE_WORKFLOW.record_step(case, step, actor, "", case.status, reason, data)
    record(
        case,
        action="open",
        actor=actor,
        to_state=case.status,
        note=reason,
        data={**data, "step_level": step.level},
    )


def _proposal_violations(case: MonitoringCase, *, year: int) -> list[Violation]:
    household = case.household
    return (
        case_rules.check_category(household, case.category)
        + case_rules.check_risk_slots(case.risks)
        + case_rules.check_risk_consistency(household, case.risks)
        + case_rules.check_income_for_category(
            household, case.category, year, case.income_unstable_reason
        )
    )


@transaction.atomic
def case_submit_application(
    *,
    case: MonitoringCase,
    actor,
    application_date: datetime.date,
    authorisation: UploadedFile | None,
    category: str,
    risks: list[str],
    disaster_subitem: str = "",
    income_unstable_reason: str = "",
    guarantees: dict[str, bool | None] | None = None,
    expected_version: int | None = None,
) -> tuple[MonitoringCase, list[Violation]]:
    """The household's signed application and authorisation (MON-ID-1) with the proposed
    category and risk types; starts the MON-ID-4 clock. Returns the case and the flags."""
    case = _lock(
        case,
        actor=actor,
        expected_status=Status.APPLICATION,
        expected_version=expected_version,
        action="submit_application",
    )
    ensure_may_change(actor, case.household)
    application_date = _checked_today(application_date)
    if (
        authorisation is None
        and not case.attachments.filter(kind=CaseAttachment.Kind.AUTHORISATION).exists()
    ):
        raise RulesBroken(
            [
                MON_ID_1.violation(
                    "authorisation",
                    _("Attach the household's signed application and authorisation."),
                )
            ]
        )
    # Checked on the full list first: the five slots below would silently drop a sixth risk.
    _raise(case_rules.check_risk_slots(list(risks)))
    padded = (list(risks) + [""] * 5)[:5]
    case.risk_1, case.risk_2, case.risk_3, case.risk_4, case.risk_5 = padded
    case.category = category
    case.disaster_subitem = disaster_subitem
    case.income_unstable_reason = income_unstable_reason
    if guarantees is not None:
        GuaranteeCheck.objects.create(
            household=case.household,
            kind=GuaranteeCheck.Kind.IDENTIFICATION,
            checked_on=application_date,
            recorded_by=actor,
            **guarantees,
        )
    flags = _raise(_proposal_violations(case, year=application_date.year))
    case.application_date = application_date
    case.deadline = case_rules.identification_deadline(application_date)
    _attach(case, CaseAttachment.Kind.AUTHORISATION, authorisation, actor)
    _move(
        case,
        to=Status.VERIFYING,
        actor=actor,
        action="submit_application",
        data={"flags": [v.rule for v in flags]},
        fields=(
            "risk_1",
            "risk_2",
            "risk_3",
            "risk_4",
            "risk_5",
            "category",
            "disaster_subitem",
            "income_unstable_reason",
            "application_date",
            "deadline",
        ),
    )
    return case, flags


@transaction.atomic
def case_record_crosscheck(
    *, case: MonitoringCase, actor, result: str, expected_version: int | None = None
) -> MonitoringCase:
    """The county bureau's data cross-check (信息比对) of an identification case."""
    case = _lock(
        case,
        actor=actor,
        expected_status=Status.VERIFYING,
        expected_version=expected_version,
        action="crosscheck",
    )
    if case.kind != Kind.IDENTIFICATION:
        raise TransitionNotAllowed(_("Only identification cases are cross-checked."))
    if not result.strip():
        raise MonitoringError(_("Record what the cross-check found."), field="result")
    case.crosscheck_result, case.crosscheck_on = result, today()
    return _move(
        case,
        to=None,
        actor=actor,
        action="crosscheck",
        reason=result,
        fields=("crosscheck_result", "crosscheck_on"),
    )


@transaction.atomic
def case_complete_verification(
    *,
    case: MonitoringCase,
    actor,
    verifiers: list[str],
    verified_on: datetime.date,
    findings: str,
    form: UploadedFile | None = None,
    expected_version: int | None = None,
) -> MonitoringCase:
    """On-site verification by at least two named verifiers (MON-ID-2); an identification case
    also needs the county's cross-check; an elimination case its post-elimination indicators
    (MON-ELIM-2, MON-ELIM-6)."""
    case = _lock(
        case,
        actor=actor,
        expected_status=Status.VERIFYING,
        expected_version=expected_version,
        action="verify",
    )
    ensure_may_change(actor, case.household)
    verified_on = _checked_today(verified_on)
    violations = case_rules.check_verifiers(verifiers)
    if case.kind == Kind.IDENTIFICATION:
        if not case.crosscheck_on:
            violations.append(
                MON_ID_CROSSCHECK.violation(
                    "crosscheck",
                    _(
                        "The county bureau has not recorded its data cross-check (信息比对) yet. "
                        "Save the on-site verification once the cross-check is recorded."
                    ),
                )
            )
        violations += _proposal_violations(case, year=verified_on.year)
    else:
        violations += case_rules.check_elimination_start(
            case.household, case.elimination_mode, verified_on
        )
        violations += case_rules.check_elimination_indicators(case.household, verified_on)
    flags = _raise(violations)
    case.verifiers = sorted({v.strip() for v in verifiers if v.strip()})
    case.verified_on = verified_on
    _attach(case, CaseAttachment.Kind.VERIFICATION, form, actor)
    return _move(
        case,
        to=Status.VILLAGE_APPRAISAL,
        actor=actor,
        action="verify",
        reason=findings,
        data={"verifiers": case.verifiers, "flags": [v.rule for v in flags]},
        fields=("verifiers", "verified_on"),
    )


@transaction.atomic
def case_appraise(
    *,
    case: MonitoringCase,
    actor,
    eligible: bool,
    appraisal_on: datetime.date,
    reason: str,
    minutes: UploadedFile | None,
    expected_version: int | None = None,
) -> MonitoringCase:
    """Village democratic appraisal with its minutes: eligible cases go to publicity (its period
    from the policy settings, MON-ID-3); others close."""
    case = _lock(
        case,
        actor=actor,
        expected_status=Status.VILLAGE_APPRAISAL,
        expected_version=expected_version,
        action="appraise",
    )
    ensure_may_change(actor, case.household)
    appraisal_on = _checked_today(appraisal_on)
    if minutes is None and not case.attachments.filter(kind=CaseAttachment.Kind.MINUTES).exists():
        raise RulesBroken([Violation("MINUTES", "minutes", _("Attach the appraisal minutes."))])
    if not eligible and not reason.strip():
        raise MonitoringError(_("Give the reason for the change."), field="reason")
    if case.kind == Kind.ELIMINATION:
        _raise(
            case_rules.check_elimination_start(case.household, case.elimination_mode, appraisal_on)
            + case_rules.check_elimination_indicators(case.household, appraisal_on)
        )
    case.appraisal_on = appraisal_on
    _attach(case, CaseAttachment.Kind.MINUTES, minutes, actor)
    if not eligible:
        return _close(
            case,
            actor=actor,
            action="appraise_not_eligible",
            reason=reason,
            fields=("appraisal_on",),
        )
    case.publicity_start = appraisal_on
    case.publicity_end = case_rules.publicity_end(appraisal_on, appraisal_on.year)
    return _move(
        case,
        to=Status.VILLAGE_PUBLICITY,
        actor=actor,
        action="appraise",
        reason=reason,
        data={"publicity_end": case.publicity_end.isoformat()},
        fields=("appraisal_on", "publicity_start", "publicity_end"),
    )


def _close(case, *, actor, action, reason, fields=()) -> MonitoringCase:
    case.decided_at = timezone.now()
    return _move(
        case,
        to=Status.REJECTED,
        actor=actor,
        action=action,
        reason=reason,
        fields=("decided_at", *fields),
    )


@transaction.atomic
def case_record_objection(*, case: MonitoringCase, actor, text: str) -> MonitoringCase:
    """An objection received during the village publicity."""
    case = _lock(
        case,
        actor=actor,
        expected_status=Status.VILLAGE_PUBLICITY,
        expected_version=None,
        action="objection",
    )
    ensure_may_change(actor, case.household)
    if not text.strip():
        raise MonitoringError(_("Write down the objection."), field="text")
    stamp = today().isoformat()
    case.objections = f"{case.objections}\n{stamp}：{text}".strip()
    _move(case, to=None, actor=actor, action="objection", reason=text, fields=("objections",))
    return case


@transaction.atomic
def case_close_publicity(
    *,
    case: MonitoringCase,
    actor,
    objection_upheld: bool,
    reason: str = "",
    expected_version: int | None = None,
) -> MonitoringCase:
    """End the publicity once its full period has run (MON-ID-3): with no objection upheld the
    case goes to township review; an upheld objection closes it."""
    action = "objection_upheld" if objection_upheld else "close_publicity"
    case = _lock(
        case,
        actor=actor,
        expected_status=Status.VILLAGE_PUBLICITY,
        expected_version=expected_version,
        action=action,
    )
    ensure_may_change(actor, case.household)
    _raise(case_rules.check_publicity_over(case.publicity_end, today()))
    if (objection_upheld or case.objections) and not reason.strip():
        raise MonitoringError(_("Say how the objections were handled."), field="reason")
    if objection_upheld:
        return _close(case, actor=actor, action="objection_upheld", reason=reason)
    return _move(
        case, to=Status.TOWNSHIP_REVIEW, actor=actor, action="close_publicity", reason=reason
    )


@transaction.atomic
def case_township_review(
    *,
    case: MonitoringCase,
    actor,
    passed: bool,
    reason: str = "",
    expected_version: int | None = None,
) -> MonitoringCase:
    """Township review: passed cases go to the county; returned cases go back to verification
    with the reason."""
    action = "township_pass" if passed else "township_return"
    case = _lock(
        case,
        actor=actor,
        expected_status=Status.TOWNSHIP_REVIEW,
        expected_version=expected_version,
        action=action,
    )
    ensure_may_change(actor, case.household)
    if passed:
        if case.kind == Kind.ELIMINATION:
            _raise(
                case_rules.check_elimination_start(case.household, case.elimination_mode, today())
                + case_rules.check_elimination_indicators(case.household, today())
            )
        else:
            _raise(_proposal_violations(case, year=today().year))
        return _move(
            case, to=Status.COUNTY_APPROVAL, actor=actor, action="township_pass", reason=reason
        )
    if not reason.strip():
        raise MonitoringError(_("Give the reason for returning the case."), field="reason")
    case.verifiers, case.verified_on = [], None
    return _move(
        case,
        to=Status.VERIFYING,
        actor=actor,
        action="township_return",
        reason=reason,
        fields=("verifiers", "verified_on"),
    )


@transaction.atomic
def case_county_decide(
    *,
    case: MonitoringCase,
    actor,
    approved: bool,
    reason: str = "",
    expected_version: int | None = None,
) -> tuple[MonitoringCase, list[Violation]]:
    """County approval. An approved identification makes the household monitored with its
    category and risks, announced today; an approved elimination marks the risk eliminated."""
    action = "county_approve" if approved else "county_reject"
    case = _lock(
        case,
        actor=actor,
        expected_status=Status.COUNTY_APPROVAL,
        expected_version=expected_version,
        action=action,
    )
    day = today()
    if not approved:
        if not reason.strip():
            raise MonitoringError(_("Give the reason for not approving."), field="reason")
        return _close(case, actor=actor, action="county_reject", reason=reason), []
    household = Household.objects.select_for_update().get(pk=case.household_id)
    flags: list[Violation] = []
    if case.kind == Kind.IDENTIFICATION:
        flags = _raise(_proposal_violations(case, year=day.year))
        household.monitoring_category = case.category
        household.risk_1, household.risk_2, household.risk_3 = case.risk_1, case.risk_2, case.risk_3
        household.risk_4, household.risk_5 = case.risk_4, case.risk_5
        household.disaster_subitem = case.disaster_subitem
        household.risk_identified_on = day
        household.first_identified_on = household.first_identified_on or day
        household.risk_eliminated_on, household.elimination_mode = None, ""
        household.save(
            update_fields=[
                "monitoring_category",
                "risk_1",
                "risk_2",
                "risk_3",
                "risk_4",
                "risk_5",
                "disaster_subitem",
                "risk_identified_on",
                "first_identified_on",
                "risk_eliminated_on",
                "elimination_mode",
                "updated_at",
            ]
        )
    else:
        flags = _raise(
            case_rules.check_elimination_start(household, case.elimination_mode, day)
            + case_rules.check_elimination_indicators(household, day)
            + case_rules.check_elimination_early(household, day)
        )
        household.risk_eliminated_on = day
        household.elimination_mode = case.elimination_mode
        household.save(update_fields=["risk_eliminated_on", "elimination_mode", "updated_at"])
    case.announced_on = day
    case.decided_at = timezone.now()
    _move(
        case,
        to=Status.APPROVED,
        actor=actor,
        action="county_approve",
        reason=reason,
        data={"flags": [v.rule for v in flags]},
        fields=("announced_on", "decided_at"),
    )
    return case, flags


@transaction.atomic
def case_open_elimination(*, household: Household, actor, mode: str, reason: str) -> MonitoringCase:
    """The village proposes to eliminate a monitored household's risk; MON-ELIM-1, -3 and -4 are
    checked now and again at every later step."""
    CASE_WORKFLOW.ensure_may_take(None, "open", actor)
    locked = Household.objects.select_for_update().select_related("area").get(pk=household.pk)
    ensure_may_change(actor, locked)
    if locked.monitoring_status != HouseholdStatus.MONITORED:
        raise TransitionNotAllowed(
            _(
                "Only a monitored household whose risk is not eliminated "
                "can start a risk elimination."
            )
        )
    _raise(case_rules.check_elimination_start(locked, mode, today()))
    if not reason.strip():
        raise MonitoringError(_("Give the reason for the change."), field="reason")
    case = MonitoringCase(
        kind=Kind.ELIMINATION,
        household=locked,
        area=locked.area,
        status=Status.VERIFYING,
        opened_by=actor,
        elimination_mode=mode,
        category=locked.monitoring_category,
        household_status_before=locked.monitoring_status,
        risk_1=locked.risk_1,
        risk_2=locked.risk_2,
        risk_3=locked.risk_3,
        risk_4=locked.risk_4,
        risk_5=locked.risk_5,
        application_date=today(),
    )
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise TransitionNotAllowed(_("This household already has a case under way.")) from None
    Household.objects.filter(pk=locked.pk).update(
        monitoring_status=HouseholdStatus.ELIMINATION_PENDING, version=F("version") + 1
    )
    _record_opening(case, actor, reason=reason, data={"mode": mode})
    return case


@transaction.atomic
def case_record_elimination_indicators(
    *,
    case: MonitoringCase,
    actor,
    income: dict[str, Any],
    guarantees: dict[str, bool],
    checked_on: datetime.date | None = None,
) -> list[Violation]:
    """The post-elimination income (收支情况, 风险消除后) and 三保障/water answers of an elimination
    case under verification (MON-ELIM-6). Returns the flags of the income record."""
    from monitoring.services.incomes import income_record_save

    case = _lock(
        case,
        actor=actor,
        expected_status=Status.VERIFYING,
        expected_version=None,
        action="indicators",
    )
    if case.kind != Kind.ELIMINATION:
        raise TransitionNotAllowed(_("Only elimination cases record post-elimination indicators."))
    day = _checked_today(checked_on)
    existing = case.household.incomes.filter(year=day.year, kind="elimination").first()
    _record, flags = income_record_save(
        household=case.household,
        actor=actor,
        year=day.year,
        kind="elimination",
        values=income,
        expected_version=existing.version if existing else None,
    )
    missing = [name for name in GuaranteeCheck.GUARANTEE_FIELDS if guarantees.get(name) is None]
    if missing:
        raise RulesBroken(
            [
                MON_ELIM_6.violation(
                    missing[0],
                    _("Answer all four 三保障 and drinking-water questions."),
                )
            ]
        )
    GuaranteeCheck.objects.create(
        household=case.household,
        kind=GuaranteeCheck.Kind.ELIMINATION,
        checked_on=day,
        recorded_by=actor,
        **guarantees,
    )
    _move(case, to=None, actor=actor, action="indicators")
    return flags


STEP_SERVICES: dict[str, Callable[..., Any]] = {
    "submit_application": case_submit_application,
    "crosscheck": case_record_crosscheck,
    "verify": case_complete_verification,
    "appraise": case_appraise,
    "objection": case_record_objection,
    "close_publicity": case_close_publicity,
    "township_review": case_township_review,
    "county_decide": case_county_decide,
}


@dataclass(frozen=True)
class OverdueSweep:
    leads: int
    cases: int
    warnings: int


@transaction.atomic
def mark_overdue(*, today: datetime.date) -> OverdueSweep:
    """Set ``overdue`` on everything still open past its deadline, as the system, each marked
    row with its audit event. Only rows not yet marked change, so running the sweep twice
    changes nothing the second time."""
    leads = LEAD_WORKFLOW.flag_many(
        RiskLead.objects.filter(status=RiskLead.Status.OPEN, deadline__lt=today),
        action="mark_overdue",
        changes={"overdue": True},
        unchanged={"overdue": False},
    )
    cases = CASE_WORKFLOW.flag_many(
        MonitoringCase.objects.filter(
            kind=MonitoringCase.Kind.IDENTIFICATION,
            status__in=MonitoringCase.OPEN_STATES,
            deadline__lt=today,
        ),
        action="mark_overdue",
        changes={"overdue": True},
        unchanged={"overdue": False},
    )
    from monitoring.services.warnings import warnings_mark_overdue  # warnings open leads here

    warnings = warnings_mark_overdue(today=today)
    return OverdueSweep(leads=leads, cases=cases, warnings=warnings)
