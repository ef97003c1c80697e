"""Payments in every tranche through the services, household subsidies to beneficiary
脱贫/监测 households, their 报账 in every state, a recent payment and a reversed one."""

from __future__ import annotations

import datetime
from decimal import Decimal

from funds.codes import PayeeKind, Tranche
from funds.demo import (
    BANKS,
    DAY,
    RETURN_REASONS,
    YEARS,
    ZERO,
    share,
    voucher,
)
from funds.models import (
    FundAccount,
    Payment,
    ProjectFund,
)
from funds.services import payments
from funds.services.payments import Inspection, Payee
from kaiyuan.common import pii
from kaiyuan.common.dates import add_months
from kaiyuan.policy.services import policy_for
from monitoring.models import Member
from projects.codes import AcceptanceResult, FinanceMode
from projects.models import Acceptance, ProgressReport, Project, ProjectBeneficiary


class PaymentsDemo:
    """Part of ``funds.demo.funds.FundsDemo`` (its ``rng``, ``users``, ``today``, ``counts``)."""

    def arrived(self, project: Project) -> tuple[Decimal, datetime.date | None]:
        entries = ProjectFund.objects.filter(
            project=project, kind=ProjectFund.Kind.ASSIGNMENT, arrived_on__isnull=False
        )
        total = sum((e.amount for e in entries), ZERO)
        return total, max((e.arrived_on for e in entries), default=None)

    def pay(self, project, tranche, amount, paid_on, payee, basis, **extra) -> Payment | None:
        if amount <= 0 or paid_on > self.today:
            return None
        payment = payments.payment_record(
            project=project,
            tranche=tranche,
            amount=amount,
            paid_on=paid_on,
            payee=payee,
            basis=basis,
            actor=self.clerk(project),
            **extra,
        )
        self.counts["payments"] += 1
        self.reimburse(payment)
        return payment

    def reimburse(self, payment: Payment) -> None:
        """The payment's 报账: most accepted by finance, some reported and waiting, some
        returned for correction, some never reported (overdue)."""
        self.report_turn += 1
        turn = self.report_turn
        if turn <= 4:
            state = ("unreported", "reported", "returned", "accepted")[turn - 1]
        else:
            roll = self.rng.random()
            state = (
                "accepted"
                if roll < 0.66
                else "reported"
                if roll < 0.78
                else "returned"
                if roll < 0.86
                else "unreported"
            )
        self.counts[f"报账 {state}"] += 1
        if state == "unreported":
            return
        reimbursement = payment.reimbursement
        reported_on = min(payment.paid_on + self.rng.randint(2, 14) * DAY, self.today)
        reimbursement = payments.reimbursement_report(
            reimbursement=reimbursement,
            reported_on=reported_on,
            voucher_numbers=f"记-{payment.paid_on:%Y%m}-{turn:04d}",
            vouchers=[voucher(f"报账凭证-{payment.project.code}.pdf")],
            expected_version=reimbursement.version,
            actor=self.clerk(payment.project),
        )
        if state == "reported":
            return
        reimbursement = payments.reimbursement_decide(
            reimbursement=reimbursement,
            accept=state == "accepted",
            reason="" if state == "accepted" else self.rng.choice(RETURN_REASONS),
            expected_version=reimbursement.version,
            actor=self.finance,
        )

    def contractor(self, project: Project) -> Payee:
        return Payee(
            name=project.entity_name,
            account=f"6228{self.rng.randint(10**11, 10**12 - 1)}",
            bank=self.rng.choice(BANKS),
            kind=PayeeKind.ENTITY,
            uscc=project.entity_uscc,
        )

    def self_built(self, project: Project, year: int) -> None:
        arrived, arrived_on = self.arrived(project)
        if arrived_on is None:
            return
        total = project.linkage_funds
        payee = self.contractor(project)
        paid = ZERO
        # Every other planned project has paid nothing: its money lies idle at the township.
        if project.status == Project.Status.PLANNED:
            self.planned_seen += 1
            if self.planned_seen % 2 == 1:
                return
        start = max(arrived_on + self.rng.randint(3, 20) * DAY, datetime.date(year, 4, 12))
        advance = min(share(total, 30), arrived)
        if self.pay(project, Tranche.ADVANCE, advance, start, payee, "施工合同（预付款）"):
            paid += advance
        report = (
            ProgressReport.objects.filter(project=project, percent__gte=70)
            .order_by("reported_on", "id")
            .first()
        )
        if report is None:
            return
        day = max(report.reported_on + self.rng.randint(2, 8) * DAY, start)
        progress = min(share(total, 70) - paid, arrived - paid)
        if self.pay(project, Tranche.PROGRESS, progress, day, payee, "工程进度报告（进度款）"):
            paid += progress
        acceptance = (
            Acceptance.objects.filter(project=project, result=AcceptanceResult.PASSED)
            .order_by("-accepted_on", "-id")
            .first()
        )
        if acceptance is None:
            return
        account = FundAccount.objects.get(project=project)
        policy = policy_for(acceptance.accepted_on.year)
        withheld = share(total, policy.retention_percent) if account.retention_required else ZERO
        final = min(total - withheld - paid, arrived - paid)
        day = max(acceptance.accepted_on + self.rng.randint(3, 12) * DAY, day)
        if self.pay(project, Tranche.FINAL, final, day, payee, "竣工验收报告（尾款）"):
            paid += final
        if not withheld:
            return
        due = add_months(acceptance.accepted_on, policy.retention_release_months)
        if due > self.today:
            return
        if self.rng.random() < 0.15:
            payments.retention_deduct(
                project=project,
                amount=share(withheld, 40),
                decided_on=due,
                reason="质保期内发现部分设施渗漏，扣除维修费用",
                actor=self.bureau,
            )
            withheld -= share(withheld, 40)
            self.counts["retention deductions"] += 1
        release = min(withheld, arrived - paid)
        self.pay(project, Tranche.RETENTION, release, due + 5 * DAY, payee, "质保期满（质保金）")

    def household(self, project: Project, year: int) -> None:
        arrived, arrived_on = self.arrived(project)
        if arrived_on is None or project.status == Project.Status.PLANNED:
            return
        left = arrived
        rows = (
            ProjectBeneficiary.objects.filter(project=project)
            .select_related("household")
            .order_by("household__household_number")
        )
        for row in rows:
            household = row.household
            if not (household.is_exited or household.is_monitored):
                continue
            member = (
                Member.objects.filter(household=household, status=Member.Status.ACTIVE)
                .order_by("person_number")
                .first()
            )
            if member is None:
                continue
            paid_on = max(datetime.date(year, 8, 10) + self.rng.randint(0, 40) * DAY, arrived_on)
            if paid_on > self.today:
                continue
            cap = policy_for(paid_on.year).household_subsidy_cap
            amount = min(
                Decimal(self.rng.choice([800, 1200, 1500, 2000])),
                cap - self.subsidised[(household.pk, paid_on.year)],
                left,
            )
            if amount <= 0:
                continue
            self.pay(
                project,
                Tranche.HOUSEHOLD,
                amount,
                paid_on,
                Payee(
                    name=member.name,
                    account=f"6217{self.rng.randint(10**11, 10**12 - 1)}",
                    bank=BANKS[0],
                    kind=PayeeKind.PERSON,
                    id_number=pii.decrypt(member.id_cipher),
                ),
                "到户补贴验收花名册",
                household=household,
                inspection=Inspection(
                    on=paid_on - 5 * DAY, by="乡镇农业站验收组", note="庭院种植养殖已建成"
                ),
            )
            self.subsidised[(household.pk, paid_on.year)] += amount
            left -= amount

    def recent_and_reversed(self) -> None:
        """A payment made three days ago (its 报账 not yet due) and one reversed as recorded in
        error, both on a 2025 project that has money left."""
        candidates = [p for year in reversed(YEARS) for p in self.funded(year)]
        for project in candidates:
            if project.finance_mode not in (FinanceMode.SELF_BUILT, FinanceMode.OTHER):
                continue
            arrived, arrived_on = self.arrived(project)
            advance = min(share(project.linkage_funds, 20), arrived)
            if arrived_on is None or Payment.objects.filter(project=project).exists():
                continue
            if advance <= 2000:
                continue
            clerk = self.clerk(project)
            payee = self.contractor(project)
            mistaken = payments.payment_record(
                project=project,
                tranche=Tranche.ADVANCE,
                amount=Decimal("1000.00"),
                paid_on=self.today - 5 * DAY,
                payee=payee,
                basis="施工合同（预付款）",
                actor=clerk,
            )
            payments.payment_reverse(payment=mistaken, reason="收款账户录入错误", actor=clerk)
            payments.payment_record(
                project=project,
                tranche=Tranche.ADVANCE,
                amount=advance,
                paid_on=self.today - 3 * DAY,
                payee=payee,
                basis="施工合同（预付款）",
                actor=clerk,
            )
            self.counts["payments"] += 3
            self.counts["reversals"] += 1
            return
