"""Debt placements: the agreement, the returns and the principal recovered, the redeployment
with the bureau's consent (FND-10), and the yearly 六清楚 checklist (§5.8)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from funds.codes import SixClears
from funds.exceptions import FundsError
from funds.models import (
    DebtPlacement,
    PlacementReturn,
    PrincipalRecovery,
    Redeployment,
    SixClearsReview,
)
from funds.models.placements import REDEPLOYMENT_WORKFLOW
from funds.rules import placements as rules
from funds.services.allocations import not_future, percent_value, positive_amount
from kaiyuan.accounts.capabilities import require
from kaiyuan.audit import record
from kaiyuan.common.dates import today
from kaiyuan.common.errors import ConcurrentUpdate
from kaiyuan.common.ledger import net
from kaiyuan.common.rules import refuse_errors
from kaiyuan.common.scoping import ensure_may_change
from kaiyuan.common.uscc import normalise as normalise_uscc
from kaiyuan.common.uscc import uscc_problems
from kaiyuan.policy.services import policy_for
from projects.models import Project


def outstanding(placement: DebtPlacement) -> Decimal:
    return placement.principal - net(placement.recoveries.all())


def lock_placement(placement: DebtPlacement) -> DebtPlacement:
    return DebtPlacement.objects.select_for_update().select_related("project").get(pk=placement.pk)


@transaction.atomic
def placement_create(
    *,
    project: Project,
    counterparty: str,
    counterparty_uscc: str,
    principal,
    start_date: datetime.date,
    end_date: datetime.date,
    agreed_rate,
    collateral: str,
    risk_measures: str,
    agreement_number: str = "",
    actor,
) -> DebtPlacement:
    require(actor, "funds.placements")
    ensure_may_change(actor, project)
    principal = positive_amount(principal, "principal")
    if not (counterparty or "").strip():
        raise FundsError(_("Enter the counterparty."), field="counterparty")
    code = normalise_uscc(counterparty_uscc)
    if not code:
        raise FundsError(
            _("Enter the counterparty's unified social credit code."), field="counterparty_uscc"
        )
    refuse_errors(uscc_problems(code, field="counterparty_uscc"))
    if start_date is None or end_date is None or end_date <= start_date:
        raise FundsError(_("The term ends after it starts."), field="end_date")
    if not (collateral or "").strip():
        raise FundsError(_("Enter the guarantee or collateral."), field="collateral")
    if not (risk_measures or "").strip():
        raise FundsError(_("Enter the risk-control measures."), field="risk_measures")
    rate = percent_value(agreed_rate, "agreed_rate", _("Enter the agreed return in percent."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    policy = policy_for(start_date.year)
    placed = sum((p.principal for p in project.placements.all()), Decimal("0.00"))
    refuse_errors(
        rules.placement_problems(
            project=project,
            principal=principal,
            agreed_rate=rate,
            minimum_rate=policy.minimum_return_percent,
            placed=placed,
        )
    )
    placement = DebtPlacement.objects.create(
        project=project,
        counterparty=counterparty.strip(),
        counterparty_uscc=code,
        principal=principal,
        start_date=start_date,
        end_date=end_date,
        agreed_rate=rate,
        collateral=collateral.strip(),
        risk_measures=risk_measures.strip(),
        agreement_number=(agreement_number or "").strip(),
        created_by=actor,
    )
    record(placement, action="create", actor=actor, data={"principal": str(principal)})
    return placement


@transaction.atomic
def return_record(
    *, placement: DebtPlacement, year: int, amount, received_on: datetime.date, actor
) -> PlacementReturn:
    require(actor, "funds.placements")
    ensure_may_change(actor, placement)
    amount = positive_amount(amount)
    received_on = not_future(received_on, "received_on")
    locked = lock_placement(placement)
    if not (locked.start_date.year <= year <= locked.end_date.year):
        raise FundsError(
            _("The agreement runs from %(start)s to %(end)s.")
            % {"start": locked.start_date.year, "end": locked.end_date.year},
            field="year",
        )
    entry = PlacementReturn.objects.create(
        placement=locked, year=year, amount=amount, received_on=received_on, recorded_by=actor
    )
    record(
        locked, action="return_received", actor=actor, data={"year": year, "amount": str(amount)}
    )
    return entry


@transaction.atomic
def recovery_record(
    *, placement: DebtPlacement, amount, recovered_on: datetime.date, actor
) -> PrincipalRecovery:
    require(actor, "funds.placements")
    ensure_may_change(actor, placement)
    amount = positive_amount(amount)
    recovered_on = not_future(recovered_on, "recovered_on")
    locked = lock_placement(placement)
    refuse_errors(rules.recovery_problems(amount=amount, outstanding=outstanding(locked)))
    entry = PrincipalRecovery.objects.create(
        placement=locked, amount=amount, recovered_on=recovered_on, recorded_by=actor
    )
    record(locked, action="principal_recovered", actor=actor, data={"amount": str(amount)})
    return entry


def _ledger_reverse(model, entry, *, reason: str, actor):
    """The reversal of a return or recovery recorded in error."""
    require(actor, "funds.placements")
    ensure_may_change(actor, entry)
    if not (reason or "").strip():
        raise FundsError(_("Say why the entry is reversed."), field="reason")
    lock_placement(entry.placement)
    if entry.is_reversal or model.objects.filter(reverses=entry).exists():
        raise FundsError(_("This entry has already been reversed."))
    fields = {
        f.name: getattr(entry, f.name)
        for f in model._meta.concrete_fields
        if f.name not in ("id", "amount", "reverses", "reason", "recorded_by", "recorded_at")
    }
    reversal = model.objects.create(
        **fields, amount=-entry.amount, reverses=entry, reason=reason.strip(), recorded_by=actor
    )
    record(entry.placement, action="reverse", actor=actor, note=reason.strip())
    return reversal


@transaction.atomic
def return_reverse(*, entry: PlacementReturn, reason: str, actor) -> PlacementReturn:
    return _ledger_reverse(PlacementReturn, entry, reason=reason, actor=actor)


@transaction.atomic
def recovery_reverse(*, entry: PrincipalRecovery, reason: str, actor) -> PrincipalRecovery:
    redeployed = net(entry.placement.redeployments.exclude(status=Redeployment.Status.REFUSED))
    if net(entry.placement.recoveries.all()) - entry.amount < redeployed:
        raise FundsError(_("Part of this principal is being redeployed; it stays recovered."))
    return _ledger_reverse(PrincipalRecovery, entry, reason=reason, actor=actor)


@transaction.atomic
def redeployment_propose(
    *, placement: DebtPlacement, amount, purpose: str, to_project: Project | None, actor
) -> Redeployment:
    REDEPLOYMENT_WORKFLOW.ensure_may_take(None, "propose", actor)
    ensure_may_change(actor, placement)
    amount = positive_amount(amount)
    if not (purpose or "").strip():
        raise FundsError(_("Describe the new use of the money."), field="purpose")
    locked = lock_placement(placement)
    committed = net(locked.redeployments.exclude(status=Redeployment.Status.REFUSED))
    refuse_errors(
        rules.redeployment_problems(
            amount=amount, recovered=net(locked.recoveries.all()), redeployed=committed
        )
    )
    redeployment = Redeployment.objects.create(
        placement=locked,
        amount=amount,
        purpose=purpose.strip(),
        to_project=to_project,
        proposed_by=actor,
    )
    record(
        redeployment,
        action="propose",
        actor=actor,
        to_state=Redeployment.Status.PROPOSED,
        data={"amount": str(amount), "step_level": "township"},
    )
    return redeployment


@transaction.atomic
def redeployment_decide(
    *, redeployment: Redeployment, consent: bool, note: str, expected_version: int, actor
) -> Redeployment:
    """The bureau's consent (or refusal): FND-10, "须经乡村振兴局同意"."""
    action = "consent" if consent else "refuse"
    locked = REDEPLOYMENT_WORKFLOW.lock_for(
        actor,
        redeployment,
        action,
        Redeployment.objects.all(),
        expected_state=Redeployment.Status.PROPOSED,
        expected_version=expected_version,
    )
    ensure_may_change(actor, locked)
    if not consent and not (note or "").strip():
        raise FundsError(_("Say why the bureau does not consent."), field="note")
    locked.decided_on = today()
    locked.decision_note = (note or "").strip()
    return REDEPLOYMENT_WORKFLOW.transition(
        locked,
        action=action,
        actor=actor,
        to=Redeployment.Status.CONSENTED if consent else Redeployment.Status.REFUSED,
        reason=locked.decision_note,
        fields=["decided_on", "decision_note"],
    )


@transaction.atomic
def six_clears_record(
    *,
    placement: DebtPlacement,
    year: int,
    items: dict[str, dict],
    problems: str,
    measures: str,
    reviewed_on: datetime.date,
    expected_version: int | None,
    actor,
) -> SixClearsReview:
    """The year's 六清楚 checklist: each of the six items clear or not, with a note; an item
    that is not clear needs the problem and the measures taken."""
    require(actor, "funds.placements")
    ensure_may_change(actor, placement)
    reviewed_on = not_future(reviewed_on, "reviewed_on")
    clean = {}
    for code in SixClears.values:
        item = items.get(code) or {}
        clean[code] = {"clear": bool(item.get("clear")), "note": (item.get("note") or "").strip()}
    if not all(item["clear"] for item in clean.values()) and not (
        (problems or "").strip() and (measures or "").strip()
    ):
        raise FundsError(
            _("An item is not clear: describe the problem and the measures taken."),
            field="problems",
        )
    lock_placement(placement)
    review = (
        SixClearsReview.objects.select_for_update().filter(placement=placement, year=year).first()
    )
    if review is None:
        review = SixClearsReview(placement=placement, year=year, reviewed_by=actor)
        action = "create"
    else:
        if expected_version is not None and review.version != expected_version:
            raise ConcurrentUpdate(
                _("Someone else saved this checklist since you opened it. Reload the page.")
            )
        review.version += 1
        action = "change"
    review.items = clean
    review.problems = (problems or "").strip()
    review.measures = (measures or "").strip()
    review.reviewed_on = reviewed_on
    review.reviewed_by = actor
    review.save()
    record(
        placement,
        action="six_clears",
        actor=actor,
        data={"year": year, "open": [c for c, i in clean.items() if not i["clear"]], "was": action},
    )
    return review
