"""Reallocation (调剂) of idle money by the bureau (FND-7): the money of one allocation moves from
one project to another, by an audited decision with its document and reason."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from funds.codes import PROJECT_FUNDING_FIELD
from funds.exceptions import FundsError
from funds.models import FundAccount, FundAllocation, ProjectFund, Reallocation
from funds.rules import allocations as allocation_rules
from funds.selectors import positions
from funds.services.allocations import (
    FUNDED_STATES,
    lock_account,
    lock_allocation,
    not_future,
    positive_amount,
)
from kaiyuan.accounts.capabilities import require
from kaiyuan.audit import record
from kaiyuan.common.money import format_yuan
from kaiyuan.common.rules import refuse_errors
from kaiyuan.common.scoping import ensure_may_change
from kaiyuan.policy.services import policy_for
from projects.models import Project


@transaction.atomic
def reallocation_decide(
    *,
    allocation: FundAllocation,
    from_project: Project,
    to_project: Project,
    amount,
    decided_on: datetime.date,
    document_number: str,
    reason: str,
    actor,
) -> Reallocation:
    """Move ``amount`` of ``allocation`` from ``from_project``'s unspent money to
    ``to_project``. The money taken is what is left unspent of the entries of that allocation,
    idle ones first; the receiving township records its arrival as for any assignment."""
    require(actor, "funds.reallocate")
    ensure_may_change(actor, allocation)
    amount = positive_amount(amount)
    decided_on = not_future(decided_on, "decided_on")
    if from_project.pk == to_project.pk:
        raise FundsError(_("Choose another project to receive the money."), field="to_project")
    if not (reason or "").strip():
        raise FundsError(_("Say why the money is reallocated."), field="reason")
    if not (document_number or "").strip():
        raise FundsError(_("Enter the decision's document number."), field="document_number")
    allocation = lock_allocation(allocation)
    # Both accounts are locked in one order (by project id), so two reallocations crossing
    # each other wait instead of deadlocking.
    for project in sorted((from_project, to_project), key=lambda p: p.pk):
        if project.pk == to_project.pk:
            FundAccount.objects.get_or_create(project=project)
        lock_account(project)
    to_project = Project.objects.get(pk=to_project.pk)
    if to_project.status not in FUNDED_STATES:
        raise FundsError(
            _("%(project)s is not in a year's funded plan.") % {"project": to_project.code},
            field="to_project",
        )
    entries = [
        entry
        for entry in positions.entries_with_balance(from_project)
        if entry.allocation_id == allocation.pk and positions.balance(entry) > 0
    ]
    policy = policy_for(decided_on.year)
    entries.sort(
        key=lambda e: (
            not allocation_rules.is_idle(e.arrived_on, policy.idle_fund_months, decided_on),
            e.arrived_on or datetime.date.max,
            e.pk,
        )
    )
    unspent = sum((positions.balance(e) for e in entries), 0)
    if amount > unspent:
        raise FundsError(
            _("%(project)s has %(left)s yuan of allocation %(document)s unspent.")
            % {
                "project": from_project.code,
                "left": format_yuan(unspent),
                "document": allocation.document_number,
            },
            field="amount",
        )
    refuse_errors(
        allocation_rules.receiving_problems(
            amount=amount,
            allocation=allocation,
            project=to_project,
            level_received=positions.assigned(to_project, level=allocation.level),
            level_approved=getattr(to_project, PROJECT_FUNDING_FIELD[allocation.level]),
        )
    )
    decision = Reallocation.objects.create(
        from_project=from_project,
        to_project=to_project,
        allocation=allocation,
        amount=amount,
        decided_on=decided_on,
        document_number=document_number.strip(),
        reason=reason.strip(),
        decided_by=actor,
    )
    left = amount
    for entry in entries:
        take = min(positions.balance(entry), left)
        if take <= 0:
            break
        ProjectFund.objects.create(
            allocation=allocation,
            project=from_project,
            kind=ProjectFund.Kind.REALLOCATED_OUT,
            amount=-take,
            reduces=entry,
            reallocation=decision,
            assigned_on=decided_on,
            arrived_on=decided_on if entry.arrived_on else None,
            reason=reason.strip(),
            recorded_by=actor,
        )
        left -= take
    ProjectFund.objects.create(
        allocation=allocation,
        project=to_project,
        kind=ProjectFund.Kind.REALLOCATED_IN,
        amount=amount,
        reallocation=decision,
        assigned_on=decided_on,
        reason=reason.strip(),
        recorded_by=actor,
    )
    data = {
        "allocation": allocation.document_number,
        "from": from_project.code,
        "to": to_project.code,
        "amount": str(amount),
        "document": decision.document_number,
    }
    record(decision, action="create", actor=actor, note=reason.strip(), data=data)
    record(from_project, action="funds_reallocated_out", actor=actor, data=data)
    record(to_project, action="funds_reallocated_in", actor=actor, data=data)
    return decision
