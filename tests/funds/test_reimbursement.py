"""报账 (FND-5, Q-6 c): reported within 10 days of the payment, the tenth day included; the
township reports with its vouchers, finance accepts or returns it, and the 待办 inbox shows each
side what waits for it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from funds.codes import ReimbursementStatus
from funds.exceptions import FundsError
from funds.selectors.payments import is_overdue, overdue_reimbursements, payments_for
from funds.services import payments
from kaiyuan.accounts.roles import Role
from kaiyuan.common.dates import today
from kaiyuan.common.workflow import TransitionNotAllowed
from kaiyuan.inbox.registry import source_for
from kaiyuan.inbox.selectors import inbox_counts
from kaiyuan.policy.models import PolicySettings
from tests.factories import UserFactory
from tests.funds import factories as f

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def project(village_a, clerk_a):
    project = f.project(village_a, clerk_a, total="1000000.00")
    f.fund(project, clerk_a, arrived_on=today() - datetime.timedelta(days=40))
    return project


@pytest.fixture
def finance(county):
    return UserFactory(username="finance", role=Role.FINANCE, area=county)


def voucher():
    return SimpleUploadedFile("发票.pdf", b"%PDF-1.4 test", content_type="application/pdf")


@pytest.mark.parametrize(("days_ago", "overdue"), [(9, False), (10, False), (11, True)])
def test_a_payment_is_overdue_for_its_baozhang_after_ten_days(project, clerk_a, days_ago, overdue):
    payment = f.pay(project, clerk_a, "1000.00", paid_on=today() - datetime.timedelta(days_ago))
    assert is_overdue(payment) is overdue
    assert overdue_reimbursements(payments_for(clerk_a)).exists() is overdue


def test_the_days_come_from_the_settings(project, clerk_a):
    payment = f.pay(project, clerk_a, "1000.00", paid_on=today() - datetime.timedelta(days=6))
    PolicySettings.objects.update_or_create(year=today().year, defaults={"reimbursement_days": 5})
    assert is_overdue(payment)


def test_reported_then_returned_then_accepted(project, clerk_a, finance):
    payment = f.pay(project, clerk_a, "1000.00")
    reimbursement = payment.reimbursement
    with pytest.raises(FundsError):
        payments.reimbursement_report(
            reimbursement=reimbursement,
            reported_on=today(),
            voucher_numbers="",
            expected_version=reimbursement.version,
            actor=clerk_a,
        )
    reported = payments.reimbursement_report(
        reimbursement=reimbursement,
        reported_on=today(),
        voucher_numbers="记字第12号",
        vouchers=[voucher()],
        expected_version=reimbursement.version,
        actor=clerk_a,
    )
    assert reported.status == ReimbursementStatus.REPORTED
    with pytest.raises(TransitionNotAllowed):  # the clerk does not accept their own 报账
        payments.reimbursement_decide(
            reimbursement=reported,
            accept=True,
            reason="",
            expected_version=reported.version,
            actor=clerk_a,
        )
    returned = payments.reimbursement_decide(
        reimbursement=reported,
        accept=False,
        reason="缺少收款人签字",
        expected_version=reported.version,
        actor=finance,
    )
    assert returned.status == ReimbursementStatus.RETURNED
    again = payments.reimbursement_report(
        reimbursement=returned,
        reported_on=today(),
        voucher_numbers="记字第12号",
        expected_version=returned.version,
        actor=clerk_a,
    )
    accepted = payments.reimbursement_decide(
        reimbursement=again, accept=True, reason="", expected_version=again.version, actor=finance
    )
    assert accepted.status == ReimbursementStatus.ACCEPTED
    with pytest.raises(FundsError):  # finance's acceptance closes the payment to reversal
        payments.payment_reverse(payment=payment, reason="错", actor=clerk_a)


def test_the_inbox_shows_the_clerk_what_to_report_and_finance_what_to_accept(
    project, clerk_a, clerk_b, finance
):
    payment = f.pay(project, clerk_a, "1000.00")

    def count(user, key):
        return next((c.count for c in inbox_counts(user) if c.key == key), None)

    assert count(clerk_a, "funds.to_report") == 1
    assert count(clerk_b, "funds.to_report") == 0
    assert source_for(clerk_a, "funds.to_accept") is None
    payments.reimbursement_report(
        reimbursement=payment.reimbursement,
        reported_on=today(),
        voucher_numbers="记字第12号",
        vouchers=[voucher()],
        expected_version=payment.reimbursement.version,
        actor=clerk_a,
    )
    assert count(clerk_a, "funds.to_report") == 0
    assert count(finance, "funds.to_accept") == 1


def test_a_reversed_payment_owes_no_baozhang(project, clerk_a):
    payment = f.pay(project, clerk_a, "1000.00", paid_on=today() - datetime.timedelta(days=20))
    payments.payment_reverse(payment=payment, reason="重复录入", actor=clerk_a)
    assert not is_overdue(payment)
    assert not is_overdue(payments_for(clerk_a).get(pk=payment.pk))
    assert not overdue_reimbursements(payments_for(clerk_a)).exists()


def test_the_inbox_reads_its_baozhang_items_at_a_constant_query_count(project, clerk_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kaiyuan.inbox.selectors import read_items

    source = source_for(clerk_a, "funds.to_report")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            entries = [item.entry for item in read_items(source, source.items(clerk_a))]
        assert all(entry.deadline for entry in entries)
        return len(captured)

    f.pay(project, clerk_a, "1000.00")
    one = queries()
    for _ in range(4):
        f.pay(project, clerk_a, "1000.00")
    assert queries() == one
