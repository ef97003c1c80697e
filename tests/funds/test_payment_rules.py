"""The tranche rules of 报账制 at, just under and just over each threshold (0.01 yuan matters),
with the year's PolicySettings moving them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from funds.codes import Tranche
from funds.models import Payment, Reimbursement
from kaiyuan.common.dates import today
from kaiyuan.common.rules import RulesBroken
from kaiyuan.policy.models import PolicySettings
from tests.funds import factories as f

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def project(village_a, clerk_a):
    project = f.project(village_a, clerk_a, total="1000000.00")
    f.fund(project, clerk_a)
    return project


def refused(rule_code, call):
    with pytest.raises(RulesBroken) as caught:
        call()
    codes = [v.rule for v in caught.value.violations]
    assert rule_code in codes, codes
    return caught.value


def test_an_advance_of_exactly_30_percent_is_paid(project, clerk_a):
    payment = f.pay(project, clerk_a, "300000.00")
    assert payment.amount == D("300000.00")
    assert payment.reimbursement.status == Reimbursement.Status.UNREPORTED
    assert sum(d.amount for d in payment.draws.all()) == D("300000.00")


def test_an_advance_one_fen_over_30_percent_is_refused_with_the_plans_reason(project, clerk_a):
    error = refused("FND-1", lambda: f.pay(project, clerk_a, "300000.01"))
    assert error.message == (
        "累计拨付 300,000.01 元，超过资金总额 1,000,000.00 元的 30%（实施进度未达 70%）。"
    )
    assert not Payment.objects.exists()


def test_the_advance_share_counts_every_payment_before_the_progress(project, clerk_a):
    f.pay(project, clerk_a, "299999.99")
    f.pay(project, clerk_a, "0.01")
    refused("FND-1", lambda: f.pay(project, clerk_a, "0.01"))


def test_the_progress_payment_waits_for_70_percent_progress(project, clerk_a):
    f.pay(project, clerk_a, "300000.00")
    f.progress(project, clerk_a, "69.99")
    error = refused("FND-2", lambda: f.pay(project, clerk_a, "100000.00", tranche=Tranche.PROGRESS))
    assert "69.99%" in error.message
    f.progress(project, clerk_a, "70.00")
    payment = f.pay(project, clerk_a, "400000.00", tranche=Tranche.PROGRESS)
    assert payment.progress_report.percent == D("70.00")


def test_the_progress_payment_brings_the_total_to_70_percent_and_no_further(project, clerk_a):
    f.pay(project, clerk_a, "300000.00")
    f.progress(project, clerk_a, "85")
    refused("FND-2", lambda: f.pay(project, clerk_a, "400000.01", tranche=Tranche.PROGRESS))
    f.pay(project, clerk_a, "400000.00", tranche=Tranche.PROGRESS)


def test_the_final_payment_waits_for_a_passed_acceptance_and_withholds_the_retention(
    project, clerk_a
):
    f.progress(project, clerk_a, "100")
    f.pay(project, clerk_a, "700000.00", tranche=Tranche.PROGRESS)
    refused("FND-3", lambda: f.pay(project, clerk_a, "270000.00", tranche=Tranche.FINAL))
    f.accept(project)
    refused("FND-4", lambda: f.pay(project, clerk_a, "270000.01", tranche=Tranche.FINAL))
    f.pay(project, clerk_a, "270000.00", tranche=Tranche.FINAL)


def test_the_retention_is_released_after_its_months_and_not_a_day_before(project, clerk_a, clock):
    f.progress(project, clerk_a, "100")
    f.pay(project, clerk_a, "700000.00", tranche=Tranche.PROGRESS)
    accepted = today()
    f.accept(project, on=accepted)
    f.pay(project, clerk_a, "270000.00", tranche=Tranche.FINAL)
    clock.move_to(f"{accepted + datetime.timedelta(days=364)} 10:00+08:00")
    error = refused("FND-4", lambda: f.pay(project, clerk_a, "30000.00", tranche=Tranche.RETENTION))
    assert "2027-12-02" in error.message
    clock.move_to("2027-12-02 10:00+08:00")
    refused("FND-4", lambda: f.pay(project, clerk_a, "30000.01", tranche=Tranche.RETENTION))
    f.pay(project, clerk_a, "30000.00", tranche=Tranche.RETENTION)


def test_a_changed_setting_moves_the_advance_limit(project, clerk_a):
    PolicySettings.objects.update_or_create(
        year=today().year, defaults={"advance_percent": D("20"), "progress_payment_percent": 50}
    )
    error = refused("FND-1", lambda: f.pay(project, clerk_a, "200000.01"))
    assert "20%" in error.message
    f.pay(project, clerk_a, "200000.00")


def test_a_changed_setting_moves_the_progress_threshold(project, clerk_a):
    PolicySettings.objects.update_or_create(
        year=today().year, defaults={"progress_threshold_percent": D("60")}
    )
    f.progress(project, clerk_a, "60")
    f.pay(project, clerk_a, "700000.00", tranche=Tranche.PROGRESS)


def test_payments_stay_within_the_money_that_has_arrived(village_a, clerk_a):
    project = f.project(village_a, clerk_a, total="1000000.00")
    f.fund(project, clerk_a, amount="100000.00")
    error = refused("FND-TOTAL", lambda: f.pay(project, clerk_a, "100000.01"))
    assert "100,000.00" in error.message


def test_a_payment_before_the_money_arrived_is_refused(village_a, clerk_a):
    project = f.project(village_a, clerk_a, total="1000000.00")
    f.fund(project, clerk_a, arrived_on=today() - datetime.timedelta(days=3))
    refused(
        "FND-TOTAL",
        lambda: f.pay(project, clerk_a, "1000.00", paid_on=today() - datetime.timedelta(days=4)),
    )


def test_a_debt_type_project_pays_one_transfer_to_its_placements_counterparty(village_a, clerk_a):
    from funds.services import placements
    from projects.codes import FinanceMode

    project = f.project(village_a, clerk_a, total="500000.00", mode=FinanceMode.DEBT)
    f.fund(project, clerk_a)
    refused("FND-TRANCHE", lambda: f.pay(project, clerk_a, "100000.00"))
    refused("FND-6", lambda: f.pay(project, clerk_a, "500000.00", tranche=Tranche.LUMP_SUM))
    placements.placement_create(
        project=project,
        counterparty="开原市稻香农民专业合作社",
        counterparty_uscc=f.VALID_USCC,
        principal="500000.00",
        start_date=today(),
        end_date=today().replace(year=today().year + 3),
        agreed_rate="6.00",
        collateral="厂房抵押",
        risk_measures="按季度检查经营状况",
        actor=clerk_a,
    )
    payment = f.pay(project, clerk_a, "500000.00", tranche=Tranche.LUMP_SUM)
    assert payment.placement.counterparty_uscc == f.VALID_USCC


def _debt_project_with_placement(village, clerk, principal="500000.00"):
    from funds.services import placements
    from projects.codes import FinanceMode

    project = f.project(village, clerk, total="500000.00", mode=FinanceMode.DEBT)
    f.fund(project, clerk)
    placements.placement_create(
        project=project,
        counterparty="开原市稻香农民专业合作社",
        counterparty_uscc=f.VALID_USCC,
        principal=principal,
        start_date=today(),
        end_date=today().replace(year=today().year + 3),
        agreed_rate="6.00",
        collateral="厂房抵押",
        risk_measures="按季度检查经营状况",
        actor=clerk,
    )
    return project


def test_the_one_off_transfer_stays_within_the_placements_principal(village_a, clerk_a):
    project = _debt_project_with_placement(village_a, clerk_a, principal="400000.00")
    refused("FND-6", lambda: f.pay(project, clerk_a, "400000.01", tranche=Tranche.LUMP_SUM))
    f.pay(project, clerk_a, "400000.00", tranche=Tranche.LUMP_SUM)


def test_the_one_off_transfer_goes_to_the_placements_counterparty(village_a, clerk_a):
    from funds.codes import PayeeKind

    project = _debt_project_with_placement(village_a, clerk_a)
    stranger = f.Payee(
        name="另一家公司",
        account="6228480000000001",
        kind=PayeeKind.ENTITY,
        uscc="91110000802100433B",
    )
    error = refused(
        "FND-6",
        lambda: f.pay(project, clerk_a, "1000.00", tranche=Tranche.LUMP_SUM, payee=stranger),
    )
    assert f.VALID_USCC in error.message


def test_a_payment_tagged_with_a_prohibited_use_is_flagged_not_refused(project, clerk_a):
    from funds.models import FundUse
    from kaiyuan.audit.models import AuditEvent

    banned = FundUse.objects.filter(prohibited=True).first()
    allowed = FundUse.objects.create(name="育秧大棚建设", prohibited=False)
    flagged = f.pay(project, clerk_a, "1000.00", use=banned)
    plain = f.pay(project, clerk_a, "1000.00", use=allowed)
    flags = {
        event.object_id: event.data["flags"]
        for event in AuditEvent.objects.filter(
            action="create", object_id__in=[flagged.pk, plain.pk]
        )
    }
    assert flags == {str(flagged.pk): ["FND-USE"], str(plain.pk): []}


def test_a_retention_deduction_stays_within_the_retention_held(project, clerk_a):
    from funds.services import payments

    f.progress(project, clerk_a, "100")
    f.pay(project, clerk_a, "700000.00", tranche=Tranche.PROGRESS)
    f.accept(project)
    f.pay(project, clerk_a, "270000.00", tranche=Tranche.FINAL)

    def deduct(amount):
        return payments.retention_deduct(
            project=project,
            amount=amount,
            decided_on=today(),
            reason="渗漏维修",
            actor=f.bureau_user(),
        )

    refused("FND-4", lambda: deduct("30000.01"))
    assert deduct("30000.00").amount == D("30000.00")
