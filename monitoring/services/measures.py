"""Assistance measures (帮扶措施, §2.4.5) and the 明白卡 delivery record."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kaiyuan.accounts.roles import department_of
from kaiyuan.audit import record
from kaiyuan.common.money import yuan
from kaiyuan.common.rules import RulesBroken, Violation
from kaiyuan.common.scoping import ensure_may_change
from monitoring.codes import RISK_DISASTER
from monitoring.exceptions import MonitoringError
from monitoring.models import AssistanceMeasure, Household, MonitoringCase
from monitoring.models.measures import MEASURE_WORKFLOW
from monitoring.rules.cases import MON_ID_5
from monitoring.rules.incomes import MON_INC_3

IN_IDENTIFICATION = (
    MonitoringCase.Status.APPLICATION,
    MonitoringCase.Status.VERIFYING,
    MonitoringCase.Status.VILLAGE_APPRAISAL,
    MonitoringCase.Status.VILLAGE_PUBLICITY,
    MonitoringCase.Status.TOWNSHIP_REVIEW,
    MonitoringCase.Status.COUNTY_APPROVAL,
)


def check_measure_allowed(household: Household) -> list[Violation]:
    """MON-ID-5: while a household is being identified, measures may be recorded before county
    approval only when the proposed risk is a natural disaster; otherwise measures follow
    approval. 脱贫户 and monitored households may always receive measures."""
    case = household.cases.filter(
        kind=MonitoringCase.Kind.IDENTIFICATION, status__in=IN_IDENTIFICATION
    ).first()
    if case is None:
        if household.is_exited or household.monitoring_status in (
            Household.MonitoringStatus.MONITORED,
            Household.MonitoringStatus.ELIMINATION_PENDING,
            Household.MonitoringStatus.ELIMINATED,
        ):
            return []
        return [
            MON_ID_5.violation(
                "household",
                _("Measures are recorded for poverty-exited and monitored households."),
            )
        ]
    if RISK_DISASTER in case.risks:
        return []
    return [
        MON_ID_5.violation(
            "household",
            _(
                "The household is still being identified: only a natural-disaster case may receive "
                "measures before county approval."
            ),
        )
    ]


def _amount(raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = yuan(raw)
    except (TypeError, ValueError):
        raise RulesBroken(
            [MON_INC_3.violation("amount", _("Enter an amount in yuan, for example 1234.56."))]
        ) from None
    if value < 0:
        raise RulesBroken([MON_INC_3.violation("amount", _("Amounts cannot be negative."))])
    return value


@transaction.atomic
def measure_create(
    *,
    household: Household,
    actor,
    year: int,
    group: str,
    subtype: str,
    department: str,
    start_date: datetime.date,
    amount: Any = None,
    status: str = AssistanceMeasure.Status.PLANNED,
    description: str = "",
) -> AssistanceMeasure:
    locked = Household.objects.select_for_update().select_related("area").get(pk=household.pk)
    ensure_may_change(actor, locked)
    violations = check_measure_allowed(locked)
    if group not in AssistanceMeasure.Group.values:
        violations.append(Violation("MEASURE", "group", _("Choose the measure group.")))
    if not subtype.strip() or not department.strip():
        violations.append(
            Violation("MEASURE", "subtype", _("Name the measure and the responsible department."))
        )
    if violations:
        raise RulesBroken(violations)
    measure = AssistanceMeasure.objects.create(
        household=locked,
        year=year,
        group=group,
        subtype=subtype.strip(),
        department=department.strip(),
        sector=department_of(department),
        start_date=start_date,
        amount=_amount(amount),
        status=status,
        description=description,
        created_by=actor,
    )
    record(
        measure,
        action="create",
        actor=actor,
        data={"group": group, "amount": str(measure.amount or ""), "status": status},
    )
    return measure


@transaction.atomic
def measure_set_status(
    *, measure: AssistanceMeasure, actor, status: str, expected_version: int
) -> AssistanceMeasure:
    """Mark a measure implemented, or back to planned, through the measure workflow (the
    version the user saw, the capability, the step row in the audit trail)."""
    ensure_may_change(actor, measure.household)
    if status not in AssistanceMeasure.Status.values:
        raise MonitoringError(_("Unknown status."))
    implemented = status == AssistanceMeasure.Status.IMPLEMENTED
    action = "implement" if implemented else "plan_again"
    locked = MEASURE_WORKFLOW.lock_for(
        actor,
        measure,
        action,
        AssistanceMeasure.objects.select_related("household__area"),
        expected_state=AssistanceMeasure.Status.PLANNED
        if implemented
        else AssistanceMeasure.Status.IMPLEMENTED,
        expected_version=expected_version,
    )
    return MEASURE_WORKFLOW.transition(locked, action=action, actor=actor, to=status)
