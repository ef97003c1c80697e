"""Payments of a project's funds under 报账制: the tranche checks under the fund account's lock,
the draw on the arrived money, reversals, the 报账 and its acceptance by finance, retention
deductions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from funds.codes import PayeeKind, ReimbursementStatus, Tranche
from funds.exceptions import FundsError
from funds.models import (
    FundUse,
    Payment,
    PaymentDraw,
    Reimbursement,
    ReimbursementVoucher,
    RetentionDeduction,
)
from funds.models.payments import REIMBURSEMENT_WORKFLOW
from funds.rules import payments as rules
from funds.selectors import positions
from funds.services.allocations import FUNDED_STATES, lock_account, not_future, positive_amount
from kaiyuan.accounts.capabilities import require
from kaiyuan.audit import record
from kaiyuan.common.dates import today
from kaiyuan.common.idcard import InvalidIdNumber, mask_id_number, parse_id_number
from kaiyuan.common.money import format_yuan
from kaiyuan.common.pii import blind_index, encrypt
from kaiyuan.common.rules import RulesBroken, Violation, refuse_errors
from kaiyuan.common.scoping import ensure_may_change
from kaiyuan.common.uscc import normalise as normalise_uscc
from kaiyuan.common.uscc import uscc_problems
from kaiyuan.policy.services import policy_for
from monitoring.models import Household, Member
from projects.models import Project


@dataclass
class Payee:
    name: str
    account: str
    kind: str
    bank: str = ""
    uscc: str = ""
    id_number: str = ""


@dataclass
class Inspection:
    """PRJ-HH-1: the inspection a household subsidy is paid after."""

    on: datetime.date | None = None
    by: str = ""
    note: str = ""


def _payee_fields(payee: Payee) -> dict:
    name, account = (payee.name or "").strip(), (payee.account or "").strip()
    if not name:
        raise FundsError(_("Enter the payee."), field="payee_name")
    if not account:
        raise FundsError(_("Enter the payee's bank account."), field="payee_account")
    fields = {
        "payee_name": name,
        "payee_account": account,
        "payee_bank": (payee.bank or "").strip(),
        "payee_kind": payee.kind,
    }
    if payee.kind == PayeeKind.ENTITY:
        code = normalise_uscc(payee.uscc)
        if not code:
            raise FundsError(_("Enter the payee's unified social credit code."), field="payee_uscc")
        refuse_errors(uscc_problems(code, field="payee_uscc"))
        fields["payee_uscc"] = code
    elif payee.kind == PayeeKind.PERSON:
        try:
            number = parse_id_number(payee.id_number).number
        except InvalidIdNumber as exc:
            raise FundsError(exc.message, field="payee_id_number") from None
        fields.update(
            payee_id_cipher=encrypt(number),
            payee_id_index=blind_index(number),
            payee_id_masked=mask_id_number(number),
        )
    else:
        raise FundsError(_("Say whether the payee is an entity or a person."), field="payee_kind")
    return fields


def payment_problems(
    *,
    project: Project,
    tranche: str,
    amount: Decimal,
    paid_on: datetime.date,
    payee_fields: dict,
    household: Household | None,
    inspection: Inspection,
    retention_required: bool,
) -> tuple[list[Violation], dict]:
    """Every rule the payment breaks, and the records it rests on (its basis)."""
    policy = policy_for(paid_on.year)
    terms = rules.Terms.of(policy)
    position = positions.position(project, on=paid_on, retention_required=retention_required)
    problems = rules.tranche_problems(
        tranche=tranche, amount=amount, paid_on=paid_on, position=position, terms=terms
    )
    basis: dict = {}
    if tranche == Tranche.PROGRESS:
        basis["progress_report"] = (
            project.progress_reports.filter(reported_on__lte=paid_on)
            .order_by("-reported_on", "-id")
            .first()
        )
    if tranche in (Tranche.FINAL, Tranche.RETENTION):
        basis["acceptance"] = positions.passed_acceptance_by(project, paid_on)
    if tranche == Tranche.LUMP_SUM:
        placement = project.placements.order_by("id").first()
        placed = (
            sum((p.amount for p in placement.payments.all()), Decimal("0.00"))
            if placement
            else Decimal("0.00")
        )
        problems += rules.debt_transfer_problems(
            placement=placement,
            payee_uscc=payee_fields.get("payee_uscc", ""),
            amount=amount,
            placed=placed,
        )
        basis["placement"] = placement
    if tranche == Tranche.HOUSEHOLD:
        if household is None:
            raise FundsError(_("Choose the household the subsidy is for."), field="household")
        index = payee_fields.get("payee_id_index", "")
        problems += rules.household_subsidy_problems(
            household=household,
            is_beneficiary=project.beneficiaries.filter(household=household).exists(),
            payee_is_member=bool(index)
            and Member.objects.filter(household=household, id_index=index).exists(),
            inspected_on=inspection.on,
            inspected_by=inspection.by,
            paid_on=paid_on,
            amount=amount,
            paid_this_year=positions.household_subsidies_in_year(household, paid_on.year),
            cap=policy.household_subsidy_cap,
        )
    return problems, basis


@transaction.atomic
def payment_record(
    *,
    project: Project,
    tranche: str,
    amount,
    paid_on: datetime.date,
    payee: Payee,
    basis: str,
    household: Household | None = None,
    inspection: Inspection | None = None,
    use: FundUse | None = None,
    actor,
) -> Payment:
    """A payment of ``project``'s funds, checked against the tranche rules with the project's
    fund account locked, so that payments at the same moment are checked one after another and
    none can pass a limit another has used up."""
    require(actor, "funds.pay")
    ensure_may_change(actor, project)
    amount = positive_amount(amount)
    paid_on = not_future(paid_on, "paid_on")
    if tranche not in Tranche.values:
        raise FundsError(_("Choose the tranche."), field="tranche")
    if not (basis or "").strip():
        raise FundsError(
            _("Enter the document the payment rests on (contract, progress report, acceptance)."),
            field="basis",
        )
    payee_fields = _payee_fields(payee)
    inspection = inspection or Inspection()

    account = lock_account(project)
    project = account.project
    if project.status not in FUNDED_STATES:
        raise FundsError(
            _("%(project)s is not being funded (it is “%(state)s”).")
            % {"project": project.code, "state": project.get_status_display()}
        )
    if household is not None:
        # The cap counts every project's subsidies of the household: its row is the lock.
        household = Household.objects.select_for_update().get(pk=household.pk)
    problems, basis_records = payment_problems(
        project=project,
        tranche=tranche,
        amount=amount,
        paid_on=paid_on,
        payee_fields=payee_fields,
        household=household if tranche == Tranche.HOUSEHOLD else None,
        inspection=inspection,
        retention_required=account.retention_required,
    )
    flags = refuse_errors(problems + rules.use_flags(use))
    payment = Payment.objects.create(
        project=project,
        tranche=tranche,
        amount=amount,
        paid_on=paid_on,
        household=household if tranche == Tranche.HOUSEHOLD else None,
        basis=basis.strip(),
        inspected_on=inspection.on,
        inspected_by=(inspection.by or "").strip(),
        inspection_note=(inspection.note or "").strip(),
        use=use,
        recorded_by=actor,
        **payee_fields,
        **basis_records,
    )
    _draw(payment, project, paid_on)
    Reimbursement.objects.create(payment=payment)
    record(
        payment,
        action="create",
        actor=actor,
        data={
            "tranche": tranche,
            "amount": str(amount),
            "paid_on": paid_on.isoformat(),
            "flags": [flag.rule for flag in flags],
        },
    )
    return payment


def _draw(payment: Payment, project: Project, paid_on: datetime.date) -> None:
    """Draw the payment on the project's arrived money, oldest arrival first."""
    left = payment.amount
    draws = []
    for entry in positions.entries_with_balance(project, arrived_by=paid_on):
        if left <= 0:
            break
        take = min(positions.balance(entry), left)
        if take > 0:
            draws.append(PaymentDraw(payment=payment, fund=entry, amount=take))
            left -= take
    if left > 0:
        # The rules checked the money available under the same lock; this cannot happen.
        raise FundsError(_("Not enough money has arrived for this payment."), field="amount")
    PaymentDraw.objects.bulk_create(draws)


@transaction.atomic
def payment_reverse(*, payment: Payment, reason: str, actor) -> Payment:
    """A payment recorded in error is corrected by its reversal, dated today: the money goes
    back to the entries it was drawn on, and the original stays as it was written."""
    require(actor, "funds.pay")
    ensure_may_change(actor, payment)
    if not (reason or "").strip():
        raise FundsError(_("Say why the payment is reversed."), field="reason")
    lock_account(payment.project)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.is_reversal:
        raise FundsError(_("A reversal is not reversed; record the payment again instead."))
    if Payment.objects.filter(reverses=payment).exists():
        raise FundsError(_("This payment has already been reversed."))
    if payment.reimbursement.status == ReimbursementStatus.ACCEPTED:
        raise FundsError(
            _("Finance has accepted this payment's 报账; finance must be asked to correct it.")
        )
    copied = {
        f.name: getattr(payment, f.name)
        for f in Payment._meta.concrete_fields
        if f.name
        not in ("id", "amount", "reverses", "reason", "recorded_by", "recorded_at", "paid_on")
    }
    reversal = Payment.objects.create(
        **copied,
        amount=-payment.amount,
        paid_on=today(),
        reverses=payment,
        reason=reason.strip(),
        recorded_by=actor,
    )
    PaymentDraw.objects.bulk_create(
        PaymentDraw(payment=reversal, fund_id=draw.fund_id, amount=-draw.amount)
        for draw in payment.draws.all()
    )
    record(payment, action="reverse", actor=actor, note=reason.strip())
    return reversal


# ---- 报账 ---------------------------------------------------------------------------------------


def _lock_reimbursement(reimbursement, action, actor, states, expected_version):
    locked = REIMBURSEMENT_WORKFLOW.lock_for(
        actor,
        reimbursement,
        action,
        Reimbursement.objects.select_related("payment__project"),
        expected_state=states,
        expected_version=expected_version,
    )
    ensure_may_change(actor, locked)
    if locked.payment.is_reversed:
        raise FundsError(_("This payment has been reversed; its 报账 is closed."))
    return locked


@transaction.atomic
def reimbursement_report(
    *,
    reimbursement: Reimbursement,
    reported_on: datetime.date,
    voucher_numbers: str,
    vouchers: Iterable[UploadedFile] = (),
    expected_version: int,
    actor,
) -> Reimbursement:
    locked = _lock_reimbursement(
        reimbursement,
        "report",
        actor,
        (ReimbursementStatus.UNREPORTED, ReimbursementStatus.RETURNED),
        expected_version,
    )
    reported_on = not_future(reported_on, "reported_on")
    if reported_on < locked.payment.paid_on:
        raise FundsError(_("The 报账 cannot come before the payment."), field="reported_on")
    vouchers = list(vouchers)
    if not vouchers and not locked.vouchers.exists():
        raise FundsError(_("Attach the vouchers (invoices, rosters, receipts)."), field="vouchers")
    for upload in vouchers:
        ReimbursementVoucher.objects.create(
            reimbursement=locked, file=upload, name=upload.name[:200], uploaded_by=actor
        )
    locked.reported_on = reported_on
    locked.voucher_numbers = (voucher_numbers or "").strip()
    return REIMBURSEMENT_WORKFLOW.transition(
        locked,
        action="report",
        actor=actor,
        to=ReimbursementStatus.REPORTED,
        data={"reported_on": reported_on.isoformat(), "vouchers": len(vouchers)},
        fields=["reported_on", "voucher_numbers"],
    )


@transaction.atomic
def reimbursement_decide(
    *, reimbursement: Reimbursement, accept: bool, reason: str, expected_version: int, actor
) -> Reimbursement:
    """Finance accepts the 报账, or returns it with what to correct."""
    action = "accept" if accept else "return"
    locked = _lock_reimbursement(
        reimbursement, action, actor, (ReimbursementStatus.REPORTED,), expected_version
    )
    if accept:
        locked.accepted_on = today()
        return REIMBURSEMENT_WORKFLOW.transition(
            locked,
            action="accept",
            actor=actor,
            to=ReimbursementStatus.ACCEPTED,
            fields=["accepted_on"],
        )
    if not (reason or "").strip():
        raise FundsError(_("Say what must be corrected."), field="reason")
    locked.return_reason = reason.strip()
    return REIMBURSEMENT_WORKFLOW.transition(
        locked,
        action="return",
        actor=actor,
        to=ReimbursementStatus.RETURNED,
        reason=reason.strip(),
        fields=["return_reason"],
    )


@transaction.atomic
def retention_deduct(
    *, project: Project, amount, decided_on: datetime.date, reason: str, actor
) -> RetentionDeduction:
    """Defects found in the defect period: part of the retention is kept back, not released."""
    require(actor, "funds.retention")
    ensure_may_change(actor, project)
    amount = positive_amount(amount)
    decided_on = not_future(decided_on, "decided_on")
    if not (reason or "").strip():
        raise FundsError(_("Describe the defects."), field="reason")
    account = lock_account(project)
    policy = policy_for(decided_on.year)
    position = positions.position(
        account.project, on=decided_on, retention_required=account.retention_required
    )
    left = (
        rules.retention_amount(position, rules.Terms.of(policy))
        - position.retention_paid
        - position.retention_deducted
    )
    if amount > left:
        raise RulesBroken(
            [
                rules.FND_4.violation(
                    "amount",
                    _("Only %(left)s yuan of retention is held.")
                    % {"left": format_yuan(max(left, Decimal(0)))},
                )
            ]
        )
    deduction = RetentionDeduction.objects.create(
        project=account.project,
        amount=amount,
        decided_on=decided_on,
        reason=reason.strip(),
        recorded_by=actor,
    )
    record(account.project, action="retention_deduct", actor=actor, data={"amount": str(amount)})
    return deduction


def payee_id_reveal(*, payment: Payment, actor) -> str:
    """A payee's full ID number, for the roles that need it; each reveal is audited."""
    from kaiyuan.common.pii import decrypt

    require(actor, "funds.reveal_payee")
    if not payment.payee_id_cipher:
        return ""
    record(payment, action="reveal", actor=actor, data={"field": "payee_id_number"})
    return decrypt(payment.payee_id_cipher)
