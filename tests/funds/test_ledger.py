"""Corrections are reversing entries; no money row is ever edited or deleted, and PostgreSQL
refuses it to anything that reaches the table (a script, a queryset update, raw SQL)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from funds.codes import Tranche
from funds.exceptions import FundsError
from funds.models import Payment, PaymentDraw, ProjectFund
from funds.selectors import positions
from funds.services import allocations, payments
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.dates import today
from kaiyuan.common.ledger import LedgerRowFrozen, purge
from kaiyuan.common.rules import RulesBroken
from tests.funds import factories as f

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def project(village_a, clerk_a):
    project = f.project(village_a, clerk_a, total="1000000.00")
    f.fund(project, clerk_a)
    return project


def test_a_reversed_payment_frees_its_share_and_both_rows_stay(project, clerk_a):
    wrong = f.pay(project, clerk_a, "300000.00")
    with pytest.raises(RulesBroken):
        f.pay(project, clerk_a, "1000.00")
    reversal = payments.payment_reverse(payment=wrong, reason="收款账户填错", actor=clerk_a)
    assert reversal.amount == D("-300000.00")
    assert reversal.reverses == wrong
    assert positions.paid(project) == D("0.00")
    assert sum(d.amount for d in PaymentDraw.objects.filter(fund__project=project)) == 0
    f.pay(project, clerk_a, "300000.00")
    assert Payment.objects.filter(project=project).count() == 3
    event = AuditEvent.objects.get(action="reverse", object_id=str(wrong.pk))
    assert event.note == "收款账户填错"


def test_a_payment_is_reversed_once_and_a_reversal_never(project, clerk_a):
    wrong = f.pay(project, clerk_a, "1000.00")
    reversal = payments.payment_reverse(payment=wrong, reason="重复录入", actor=clerk_a)
    with pytest.raises(FundsError):
        payments.payment_reverse(payment=wrong, reason="again", actor=clerk_a)
    with pytest.raises(FundsError):
        payments.payment_reverse(payment=reversal, reason="undo", actor=clerk_a)


def test_a_reversal_needs_a_reason(project, clerk_a):
    wrong = f.pay(project, clerk_a, "1000.00")
    with pytest.raises(FundsError) as caught:
        payments.payment_reverse(payment=wrong, reason="  ", actor=clerk_a)
    assert caught.value.field == "reason"


def test_the_model_refuses_to_save_or_delete_a_payment(project, clerk_a):
    payment = f.pay(project, clerk_a, "1000.00")
    payment.amount = D("10.00")
    with pytest.raises(LedgerRowFrozen):
        payment.save()
    with pytest.raises(LedgerRowFrozen):
        payment.delete()


def test_postgresql_refuses_an_update_or_delete_of_a_payment(project, clerk_a):
    if connection.vendor != "postgresql":
        pytest.skip("the triggers are PostgreSQL's")
    payment = f.pay(project, clerk_a, "1000.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(amount=D("10.00"))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM funds_paymentdraw WHERE payment_id = %s", [payment.pk])
    assert Payment.objects.get(pk=payment.pk).amount == D("1000.00")


def test_an_arrival_is_filled_in_once_and_then_kept(village_a, clerk_a):
    if connection.vendor != "postgresql":
        pytest.skip("the triggers are PostgreSQL's")
    project = f.project(village_a, clerk_a)
    entry = f.fund(project, clerk_a)
    with pytest.raises(FundsError):
        allocations.arrival_record(
            entry=entry, arrived_on=today(), township_account="另一账户", actor=clerk_a
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFund.objects.filter(pk=entry.pk).update(arrived_on=today())


def test_the_database_refuses_an_allocation_assigned_beyond_its_amount(village_a, clerk_a):
    if connection.vendor != "postgresql":
        pytest.skip("the triggers are PostgreSQL's")
    project = f.project(village_a, clerk_a)
    source = f.allocation(f.bureau_user(), amount="100.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFund.objects.create(
            allocation=source,
            project=project,
            kind=ProjectFund.Kind.ASSIGNMENT,
            amount=D("100.01"),
            assigned_on=today(),
            recorded_by=clerk_a,
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_database_refuses_a_payment_whose_draws_do_not_add_up(project, clerk_a):
    if connection.vendor != "postgresql":
        pytest.skip("the triggers are PostgreSQL's")
    payment = f.pay(project, clerk_a, "1000.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentDraw.objects.create(
            payment=payment, fund=payment.draws.first().fund, amount=D("1.00")
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_purge_of_the_demo_reset_passes_the_guard(project, clerk_a):
    payment = f.pay(project, clerk_a, "1000.00", tranche=Tranche.ADVANCE)
    with purge():
        PaymentDraw.objects.filter(payment=payment).delete()
        payment.reimbursement.delete()
        Payment.objects.filter(pk=payment.pk).delete()
    assert not Payment.objects.exists()


def test_an_assignment_with_payments_is_not_reversed_until_they_are(project, clerk_a):
    entry = ProjectFund.objects.get(project=project)
    payment = f.pay(project, clerk_a, "1000.00")
    with pytest.raises(FundsError):
        allocations.assignment_reverse(entry=entry, reason="错配项目", actor=f.bureau_user())
    payments.payment_reverse(payment=payment, reason="错配项目", actor=clerk_a)
    reversal = allocations.assignment_reverse(entry=entry, reason="错配项目", actor=f.bureau_user())
    assert reversal.amount == -entry.amount
    assert positions.assigned(project) == D("0.00")
