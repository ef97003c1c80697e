"""Reads of the cases sub-domain: the identification and elimination cases waiting at each step,
and the open risk leads, for the 待办 inbox (``INBOX_SOURCES``, registered by
``MonitoringConfig.ready``).

Each list is the cases whose *current* state waits for a step, scoped by ``visible_to``, so an
item appears when its case enters the state and is gone once the step is taken. A step's list
leaves out the cases the user may not take it on by the separation of duties of
``CASE_WORKFLOW`` (who took a step of one level of a case takes none of another level), so the
inbox never offers a step the case page would refuse. Deadlines are the case's MON-ID-4
deadline (application + N working days, ``rules.cases.identification_deadline``), the only
deadline of a case the plan sets; an elimination case has none.
"""

from __future__ import annotations

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kaiyuan.common import dates
from kaiyuan.common.scoping import user_may_write
from kaiyuan.common.workflow import COUNTY, TOWNSHIP, VILLAGE
from kaiyuan.inbox.registry import Entry, Source
from monitoring.models import CaseStep, MonitoringCase, RiskLead
from monitoring.models.cases import CASE_WORKFLOW
from monitoring.rules.cases import publicity_over_q

Status = MonitoringCase.Status
Kind = MonitoringCase.Kind


def _entering_step() -> QuerySet[CaseStep]:
    """The latest step that moved the outer case into the state it is in (steps that keep the
    state, such as the cross-check or an objection, do not count)."""
    return (
        CaseStep.objects.filter(case=OuterRef("pk"), to_state=OuterRef("status"))
        .exclude(from_state=F("to_state"))
        .order_by("-at", "-id")
    )


def _waiting(user) -> QuerySet[MonitoringCase]:
    """The user's cases with ``since`` (when each entered its state) and ``entered_by`` (the
    step that moved it there), the earliest deadline first."""
    return (
        MonitoringCase.objects.visible_to(user)
        .select_related("household", "area")
        .annotate(
            since=Subquery(_entering_step().values("at")[:1]),
            entered_by=Subquery(_entering_step().values("action")[:1]),
        )
        .order_by(F("deadline").asc(nulls_last=True), "since", "id")
    )


def _takeable_at(cases: QuerySet[MonitoringCase], user, level: str) -> QuerySet[MonitoringCase]:
    return CASE_WORKFLOW.exclude_separated(cases, user, level)


def cases_awaiting_crosscheck(user) -> QuerySet[MonitoringCase]:
    """Identification cases under verification whose data cross-check (信息比对) the county has
    not recorded yet: the village's verification waits for it."""
    cases = _waiting(user).filter(
        kind=Kind.IDENTIFICATION, status=Status.VERIFYING, crosscheck_on__isnull=True
    )
    return _takeable_at(cases, user, COUNTY)


def cases_awaiting_county_decision(user) -> QuerySet[MonitoringCase]:
    """Cases the township passed, waiting for the county's decision (县级审定)."""
    return _takeable_at(_waiting(user).filter(status=Status.COUNTY_APPROVAL), user, COUNTY)


def cases_awaiting_township_review(user) -> QuerySet[MonitoringCase]:
    """Cases whose publicity ended, waiting for the township review (乡镇审核)."""
    return _takeable_at(_waiting(user).filter(status=Status.TOWNSHIP_REVIEW), user, TOWNSHIP)


def cases_returned(user) -> QuerySet[MonitoringCase]:
    """Cases the township returned to the village's verification, not yet verified again."""
    cases = _waiting(user).filter(status=Status.VERIFYING, entered_by="township_return")
    return _takeable_at(cases, user, VILLAGE)


def cases_at_village_step(user) -> QuerySet[MonitoringCase]:
    """Cases whose next step is the village's (the application, the on-site verification once
    an identification case is cross-checked, the appraisal, the end of a publicity that has run
    its days), other than those the township returned (``cases_returned``)."""
    village_step = (
        Q(status=Status.APPLICATION)
        | Q(status=Status.VERIFYING, kind=Kind.ELIMINATION)
        | Q(status=Status.VERIFYING, kind=Kind.IDENTIFICATION, crosscheck_on__isnull=False)
        | Q(status=Status.VILLAGE_APPRAISAL)
        | (Q(status=Status.VILLAGE_PUBLICITY) & publicity_over_q(dates.today()))
    )
    cases = (
        _waiting(user)
        .filter(village_step)
        .exclude(status=Status.VERIFYING, entered_by="township_return")
    )
    return _takeable_at(cases, user, VILLAGE)


def cases_overdue(user) -> QuerySet[MonitoringCase]:
    """Open identification cases past their MON-ID-4 deadline, whatever step they are at."""
    return _waiting(user).filter(
        kind=Kind.IDENTIFICATION, status__in=MonitoringCase.OPEN_STATES, deadline__lt=dates.today()
    )


def case_inbox_entry(case: MonitoringCase) -> Entry:
    return Entry(
        subject=str(case.household),
        url=reverse("monitoring:case_detail", args=[case.pk]),
        since=case.since,
        deadline=case.deadline,
        detail=f"{case.get_kind_display()} · {case.get_status_display()} · {case.area.name}",
    )


def leads_open(user) -> QuerySet[RiskLead]:
    """Open risk leads, waiting for the village to open a case or close them (no risk)."""
    return (
        RiskLead.objects.visible_to(user)
        .filter(status=RiskLead.Status.OPEN)
        .select_related("household", "area")
        .order_by("deadline", "id")
    )


def lead_inbox_entry(lead: RiskLead) -> Entry:
    return Entry(
        subject=str(lead.household),
        url=reverse("monitoring:lead_list"),
        since=lead.created_at,
        deadline=lead.deadline,
        detail=f"{lead.get_source_display()} · {lead.area.name} · {lead.description}",
    )


def _reads_only(user) -> bool:
    return not user_may_write(user)


INBOX_SOURCES = (
    Source(
        "cases.crosscheck",
        _("Cases awaiting the data cross-check"),
        "cases.crosscheck",
        cases_awaiting_crosscheck,
        case_inbox_entry,
    ),
    Source(
        "cases.county_decision",
        _("Cases awaiting the county decision"),
        "cases.county_decide",
        cases_awaiting_county_decision,
        case_inbox_entry,
    ),
    Source(
        "cases.township_review",
        _("Cases awaiting the township review"),
        "cases.township_review",
        cases_awaiting_township_review,
        case_inbox_entry,
    ),
    Source(
        "cases.returned",
        _("Cases returned for verification"),
        "cases.village_step",
        cases_returned,
        case_inbox_entry,
    ),
    Source(
        "cases.village_step",
        _("Village steps of cases"),
        "cases.village_step",
        cases_at_village_step,
        case_inbox_entry,
    ),
    Source(
        "leads.open",
        _("Risk leads to decide"),
        "cases.village_step",
        leads_open,
        lead_inbox_entry,
    ),
    Source(
        "cases.overdue",
        _("Overdue identification cases (to follow)"),
        "cases.view",
        cases_overdue,
        case_inbox_entry,
        watch=True,
        applies=_reads_only,
    ),
)
