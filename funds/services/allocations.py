"""Allocations, their assignment to the projects of the year's plan, and the arrival of the money
at the township."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from funds.codes import PROJECT_FUNDING_FIELD, Tranche
from funds.exceptions import FundsError
from funds.models import FundAccount, FundAllocation, FundType, ProjectFund
from funds.rules import allocations as rules
from kaiyuan.accounts.capabilities import require
from kaiyuan.areas.models import Area
from kaiyuan.audit import record
from kaiyuan.common import inputs
from kaiyuan.common.dates import today
from kaiyuan.common.ledger import net
from kaiyuan.common.rules import refuse_errors
from kaiyuan.common.scoping import ensure_may_change
from projects.models import Project

# Money goes to projects the county has put in a year's funded plan, and on until they close.
FUNDED_STATES = (
    Project.Status.PLANNED,
    Project.Status.IMPLEMENTING,
    Project.Status.COMPLETED,
    Project.Status.ACCEPTED,
    Project.Status.HANDED_OVER,
    Project.Status.OPERATING,
)


def positive_amount(value, field: str = "amount") -> Decimal:
    return inputs.positive_amount(value, field, error=FundsError)


def percent_value(value, field: str, message) -> Decimal:
    return inputs.percent_value(value, field, message, error=FundsError)


def not_future(day: datetime.date | None, field: str) -> datetime.date:
    return inputs.not_future(day, field, error=FundsError)


def _county() -> Area:
    return Area.objects.home_county()


@transaction.atomic
def allocation_create(
    *,
    document_number: str,
    issued_on: datetime.date,
    level: str,
    fund_type: FundType,
    year: int,
    amount,
    for_industry: bool,
    title: str = "",
    actor,
) -> FundAllocation:
    require(actor, "funds.allocate")
    amount = positive_amount(amount)
    issued_on = not_future(issued_on, "issued_on")
    document_number = (document_number or "").strip()
    if not document_number:
        raise FundsError(
            _("Enter the allocation's document number (文号)."), field="document_number"
        )
    if FundAllocation.objects.filter(
        document_number=document_number, level=level, reverses__isnull=True
    ).exists():
        raise FundsError(
            _("An allocation with document number %(number)s is already recorded.")
            % {"number": document_number},
            field="document_number",
        )
    allocation = FundAllocation(
        document_number=document_number,
        issued_on=issued_on,
        level=level,
        fund_type=fund_type,
        year=year,
        amount=amount,
        for_industry=for_industry,
        title=(title or "").strip(),
        area=_county(),
        recorded_by=actor,
    )
    ensure_may_change(actor, allocation)
    allocation.save()
    record(allocation, action="create", actor=actor, data={"amount": str(amount)})
    return allocation


def lock_allocation(allocation: FundAllocation) -> FundAllocation:
    return FundAllocation.objects.select_for_update().get(pk=allocation.pk)


def assigned_from(allocation: FundAllocation) -> Decimal:
    return net(ProjectFund.objects.filter(allocation=allocation))


@transaction.atomic
def allocation_reverse(*, allocation: FundAllocation, reason: str, actor) -> FundAllocation:
    """A document entered in error or withdrawn: reversed in full, once nothing of it is
    assigned."""
    require(actor, "funds.allocate")
    ensure_may_change(actor, allocation)
    locked = lock_allocation(allocation)
    if locked.is_reversal or FundAllocation.objects.filter(reverses=locked).exists():
        raise FundsError(_("This allocation has already been reversed."))
    if not (reason or "").strip():
        raise FundsError(_("Say why the allocation is reversed."), field="reason")
    if assigned_from(locked) > 0:
        raise FundsError(
            _("Reverse the allocation's assignments to projects first."), field="reason"
        )
    reversal = FundAllocation.objects.create(
        document_number=locked.document_number,
        issued_on=today(),
        level=locked.level,
        fund_type=locked.fund_type,
        year=locked.year,
        amount=-locked.amount,
        for_industry=locked.for_industry,
        title=locked.title,
        area=locked.area,
        reverses=locked,
        reason=reason.strip(),
        recorded_by=actor,
    )
    record(locked, action="reverse", actor=actor, note=reason.strip())
    return reversal


def net_amount(allocation: FundAllocation) -> Decimal:
    """The allocation's amount, less its reversal."""
    return allocation.amount + net(allocation_reversals(allocation))


def allocation_reversals(allocation: FundAllocation):
    return FundAllocation.objects.filter(reverses=allocation)


def assignment_problems(*, allocation, project, amount: Decimal):
    """What refuses assigning ``amount`` of ``allocation`` to ``project`` (for pages and the
    service; the service asks again under the allocation's lock)."""
    level_field = PROJECT_FUNDING_FIELD[allocation.level]
    return rules.assignment_problems(
        amount=amount,
        allocation=allocation,
        assigned_before=assigned_from(allocation),
        project=project,
        level_received=net(
            ProjectFund.objects.filter(project=project, allocation__level=allocation.level)
        ),
        level_approved=getattr(project, level_field),
    )


@transaction.atomic
def assignment_add(
    *,
    allocation: FundAllocation,
    project: Project,
    amount,
    assigned_on: datetime.date,
    actor,
) -> ProjectFund:
    require(actor, "funds.allocate")
    ensure_may_change(actor, allocation)
    amount = positive_amount(amount)
    assigned_on = not_future(assigned_on, "assigned_on")
    # The allocation's row lock makes two assignments of it at once wait for each other.
    locked = lock_allocation(allocation)
    if locked.is_reversal or allocation_reversals(locked).exists():
        raise FundsError(_("This allocation has been reversed."), field="allocation")
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status not in FUNDED_STATES:
        raise FundsError(
            _("%(project)s is not in a year's funded plan (it is “%(state)s”).")
            % {"project": project.code, "state": project.get_status_display()},
            field="project",
        )
    if project.plan_year and locked.year != project.plan_year:
        raise FundsError(
            _("%(project)s is funded in %(plan)s; this allocation is for %(year)s.")
            % {"project": project.code, "plan": project.plan_year, "year": locked.year},
            field="project",
        )
    refuse_errors(assignment_problems(allocation=locked, project=project, amount=amount))
    FundAccount.objects.get_or_create(project=project)
    entry = ProjectFund.objects.create(
        allocation=locked,
        project=project,
        kind=ProjectFund.Kind.ASSIGNMENT,
        amount=amount,
        assigned_on=assigned_on,
        recorded_by=actor,
    )
    record(
        project,
        action="funds_assign",
        actor=actor,
        data={"allocation": locked.document_number, "amount": str(amount)},
    )
    return entry


@transaction.atomic
def assignment_reverse(*, entry: ProjectFund, reason: str, actor) -> ProjectFund:
    """An assignment made in error is reversed for what is left of it (nothing of it may have
    been paid)."""
    from funds.selectors.positions import balance, entries_with_balance

    require(actor, "funds.allocate")
    ensure_may_change(actor, entry.allocation)
    if not (reason or "").strip():
        raise FundsError(_("Say why the assignment is reversed."), field="reason")
    lock_allocation(entry.allocation)
    account = lock_account(entry.project)
    if not entry.is_positive:
        raise FundsError(_("Only an assignment is reversed."))
    if ProjectFund.objects.filter(reduces=entry, kind=ProjectFund.Kind.REVERSAL).exists():
        raise FundsError(_("This assignment has already been reversed."))
    current = entries_with_balance(account.project).get(pk=entry.pk)
    if current.drawn:
        raise FundsError(
            _("Payments have been made from this assignment; reverse them first."),
            field="reason",
        )
    left = balance(current)
    if left <= 0:
        raise FundsError(_("Nothing of this assignment is left to reverse."))
    reversal = ProjectFund.objects.create(
        allocation=entry.allocation,
        project=entry.project,
        kind=ProjectFund.Kind.REVERSAL,
        amount=-left,
        reduces=entry,
        assigned_on=today(),
        arrived_on=today() if entry.arrived_on else None,
        reason=reason.strip(),
        recorded_by=actor,
    )
    record(
        entry.project,
        action="funds_assign_reverse",
        actor=actor,
        note=reason.strip(),
        data={"allocation": entry.allocation.document_number, "amount": str(-left)},
    )
    return reversal


@transaction.atomic
def arrival_record(
    *, entry: ProjectFund, arrived_on: datetime.date, township_account: str, actor
) -> ProjectFund:
    """The township records the day the money arrived (once; a wrong entry is reversed by the
    bureau and assigned again)."""
    require(actor, "funds.arrival")
    ensure_may_change(actor, entry)
    arrived_on = not_future(arrived_on, "arrived_on")
    locked = ProjectFund.objects.select_for_update().get(pk=entry.pk)
    if not locked.is_positive:
        raise FundsError(_("Only money coming in has an arrival."))
    if locked.arrived_on is not None:
        raise FundsError(
            _("The arrival was recorded on %(day)s.") % {"day": locked.arrived_on.isoformat()},
            field="arrived_on",
        )
    if arrived_on < locked.assigned_on:
        raise FundsError(
            _("The money cannot arrive before it was assigned (%(day)s).")
            % {"day": locked.assigned_on.isoformat()},
            field="arrived_on",
        )
    if not (township_account or "").strip():
        raise FundsError(_("Enter the township account it arrived in."), field="township_account")
    locked.arrived_on = arrived_on
    locked.township_account = township_account.strip()
    locked.arrival_recorded_by = actor
    locked.save(update_fields=["arrived_on", "township_account", "arrival_recorded_by"])
    record(
        locked.project,
        action="funds_arrival",
        actor=actor,
        data={
            "allocation": locked.allocation.document_number,
            "amount": str(locked.amount),
            "arrived_on": arrived_on.isoformat(),
        },
    )
    return locked


def lock_account(project: Project) -> FundAccount:
    """The project's fund account, locked until the transaction ends: every payment of the
    project takes this lock first, so concurrent payments are checked one after another."""
    account = (
        FundAccount.objects.select_for_update().select_related("project").filter(project=project)
    ).first()
    if account is None:
        raise FundsError(
            _("No funds have been assigned to %(project)s yet.") % {"project": project.code}
        )
    return account


@transaction.atomic
def retention_set(*, project: Project, required: bool, expected_version: int, actor) -> FundAccount:
    require(actor, "funds.allocate")
    ensure_may_change(actor, project)
    account = lock_account(project)
    if account.version != expected_version:
        raise FundsError(
            _("Someone else changed the fund account since you opened it. Reload the page."),
            code="concurrent_update",
        )
    if account.project.payments.filter(tranche=Tranche.FINAL).exists():
        raise FundsError(_("The final payment has been made; the retention stays as it was."))
    account.retention_required = required
    account.version += 1
    account.save(update_fields=["retention_required", "version"])
    record(project, action="change", actor=actor, data={"retention_required": required})
    return account
