"""Demo linkage funds for ``manage.py seed_demo``: the allocations of 2023–2025 at every level
(central, provincial, city and the county's own, 10,000,000.00 of it in 2024), assigned to the
demo library's funded projects within their approved funding by level and arrived at the
townships; payments in every tranche driven through the services (the advance, the progress
payment after a progress report of at least 70 %, the final payment after the acceptance with
the retention withheld, the retention's release a year on, a debt-type project's one transfer
to its placement's counterparty, household subsidies to the beneficiary 脱贫/监测 households),
their 报账 not reported, reported, returned or accepted (some overdue), money left idle at a
township, a debt placement past its term with principal not recovered, and micro-credit loans
with repayments and interest subsidies, one overdue.

Dates are those of the project's own records (its progress reports, its acceptance), never
after today: the services refuse a future date. Randomness is the module's own generator,
seeded by the seed and the county's household count, so the project library's data does not
move when this changes.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import ROUND_DOWN, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from funds.codes import FundLevel, LoanPurpose, PayeeKind, SixClears, Tranche
from funds.models import (
    DebtPlacement,
    FundAccount,
    FundAllocation,
    FundType,
    InterestSubsidy,
    LoanRepayment,
    MicrocreditLoan,
    Payment,
    PaymentDraw,
    PlacementReturn,
    PrincipalRecovery,
    ProjectFund,
    Reallocation,
    Redeployment,
    Reimbursement,
    ReimbursementVoucher,
    RetentionDeduction,
    SixClearsReview,
)
from funds.services import allocations, microcredit, payments, placements
from funds.services.allocations import FUNDED_STATES
from funds.services.payments import Inspection, Payee
from kaiyuan.areas.models import Area
from kaiyuan.common import pii
from kaiyuan.common.dates import add_months, today
from kaiyuan.common.ledger import purge
from kaiyuan.policy.services import policy_for
from monitoring.codes import HouseholdType
from monitoring.models import Household, Member
from projects.codes import AcceptanceResult, FinanceMode
from projects.models import Acceptance, ProgressReport, Project, ProjectBeneficiary

YEARS = (2023, 2024, 2025)
DAY = datetime.timedelta(days=1)
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
PER_YEAR = 10  # funded projects given money each year
COUNTY_OWN_2024 = Decimal("10000000.00")  # the plan's 1000万元 of Kaiyuan's own budget
LEVEL_FIELD = {
    FundLevel.CENTRAL: "central_funds",
    FundLevel.PROVINCIAL: "provincial_funds",
    FundLevel.CITY: "city_funds",
    FundLevel.COUNTY: "county_funds",
}
BANKS = ("开原市农村信用合作联社", "中国邮政储蓄银行开原市支行", "辽宁开原农村商业银行")
RETURN_REASONS = ("发票抬头与收款单位不一致", "缺少验收单原件", "支付凭证金额与合同不符")


def share(amount: Decimal, percent: int | Decimal) -> Decimal:
    return (amount * Decimal(percent) / 100).quantize(CENT, ROUND_DOWN)


def voucher(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% demo voucher\n", content_type="application/pdf")


class FundsDemo:
    def __init__(self, context) -> None:
        self.context = context
        # Its own generator: seeded by the seed and the county's size (the task's households).
        self.rng = random.Random(context.seed * 100_003 + context.households)  # noqa: S311
        self.users = context.made["users"]
        self.bureau = self.users["bureau"]
        self.finance = self.users["finance"]
        self.today = today()
        self.linkage = FundType.objects.get(code="linkage")
        self.special = FundType.objects.filter(code="special").first() or self.linkage
        self.documents = 0
        self.counts: dict[str, int] = defaultdict(int)
        self.subsidised: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
        self.report_turn = 0
        self.planned_seen = 0
        # Returning a 报账 leaves the clerk a notice linking the payment's page; a tree without
        # the funds pages (funds:payment_detail) cannot link it, so its 报账 stay reported.
        try:
            reverse("funds:payment_detail", args=[1])
            self.may_return = True
        except NoReverseMatch:
            self.may_return = False

    # ---- who acts --------------------------------------------------------------------------

    def clerk(self, project: Project):
        code = project.area.code[: Area.CODE_LENGTH[Area.Level.TOWNSHIP]]
        return self.users[f"clerk_{code}"]

    # ---- allocations -----------------------------------------------------------------------

    def funded(self, year: int) -> list[Project]:
        """The year's funded projects a township pays (a county-wide project has no township
        clerk whose area holds it)."""
        return list(
            Project.objects.filter(plan_year=year, status__in=FUNDED_STATES)
            .exclude(area__level=Area.Level.COUNTY)
            .select_related("area")
            .order_by("code")
        )

    def chosen(self, projects: list[Project]) -> list[Project]:
        """At most ``PER_YEAR`` of the year's funded projects, taken in turn from each finance
        mode and state, so that a county-sized demo has every case while its seeding stays
        fast (every payment goes through the services, at some fifty queries each)."""
        groups: dict[tuple[str, str], list[Project]] = defaultdict(list)
        for project in projects:
            groups[(project.finance_mode, project.status)].append(project)
        queues = [groups[key] for key in sorted(groups)]
        picked: list[Project] = []
        while len(picked) < PER_YEAR and any(queues):
            for queue in queues:
                if queue and len(picked) < PER_YEAR:
                    picked.append(queue.pop(0))
        return sorted(picked, key=lambda p: p.code)

    def allocation(self, *, year, level, amount, issued_on, number, for_industry=False, **kw):
        self.documents += 1
        self.counts["allocations"] += 1
        return allocations.allocation_create(
            document_number=number,
            issued_on=issued_on,
            level=level,
            fund_type=kw.get("fund_type") or self.linkage,
            year=year,
            amount=amount.quantize(CENT),
            for_industry=for_industry,
            title=kw.get("title", ""),
            actor=self.bureau,
        )

    def allocations_of(self, year: int, projects: list[Project]) -> dict[str, list]:
        """The year's documents by level, in the order they are assigned from."""

        def need(level, industry=None):
            return sum(
                (
                    getattr(p, LEVEL_FIELD[level])
                    for p in projects
                    if industry is None or p.is_industry == industry
                ),
                ZERO,
            )

        def rounded(amount: Decimal, slack: str) -> Decimal:
            # Some slack, rounded up to 10,000 yuan: a document is never exactly the projects'.
            value = amount * Decimal(slack)
            return max((value / 10000).to_integral_value(rounding="ROUND_UP") * 10000, Decimal(1))

        n = self.rng.randint(3, 9)
        docs: dict[str, list] = {level: [] for level in FundLevel.values}
        docs[FundLevel.CENTRAL].append(
            self.allocation(
                year=year,
                level=FundLevel.CENTRAL,
                amount=rounded(need(FundLevel.CENTRAL, True), "1.02"),
                issued_on=datetime.date(year - 1, 11, 20),
                number=f"财农〔{year - 1}〕{100 + n}号",
                for_industry=True,
                title=f"提前下达{year}年中央财政衔接推进乡村振兴补助资金（产业发展）",
            )
        )
        docs[FundLevel.CENTRAL].append(
            self.allocation(
                year=year,
                level=FundLevel.CENTRAL,
                amount=rounded(need(FundLevel.CENTRAL, False), "1.05"),
                issued_on=datetime.date(year, 3, 12),
                number=f"财农〔{year}〕{20 + n}号",
                title=f"{year}年中央财政衔接推进乡村振兴补助资金",
            )
        )
        if year == 2023:
            # Another kind of special assistance money, provincial, assigned first.
            docs[FundLevel.PROVINCIAL].append(
                self.allocation(
                    year=year,
                    level=FundLevel.PROVINCIAL,
                    amount=Decimal("800000.00"),
                    issued_on=datetime.date(year, 2, 16),
                    number=f"辽财农〔{year}〕{40 + n}号",
                    fund_type=self.special,
                    title="省级财政专项帮扶资金",
                )
            )
        docs[FundLevel.PROVINCIAL].append(
            self.allocation(
                year=year,
                level=FundLevel.PROVINCIAL,
                amount=rounded(need(FundLevel.PROVINCIAL), "1.03"),
                issued_on=datetime.date(year, 2, 28),
                number=f"辽财农〔{year}〕{60 + n}号",
                title=f"{year}年省级财政衔接推进乡村振兴补助资金",
            )
        )
        # The city's money funds no project of the demo library (none has city funding): it
        # stays unassigned on its document.
        docs[FundLevel.CITY].append(
            self.allocation(
                year=year,
                level=FundLevel.CITY,
                amount=Decimal("1500000.00"),
                issued_on=datetime.date(year, 4, 8),
                number=f"铁财农〔{year}〕{10 + n}号",
                title=f"{year}年市级财政衔接推进乡村振兴补助资金",
            )
        )
        county = COUNTY_OWN_2024 if year == 2024 else rounded(need(FundLevel.COUNTY), "0.9")
        docs[FundLevel.COUNTY].append(
            self.allocation(
                year=year,
                level=FundLevel.COUNTY,
                amount=county,
                issued_on=datetime.date(year, 3, 1),
                number=f"开财农〔{year}〕{n}号",
                title=f"{year}年县本级衔接推进乡村振兴补助资金",
            )
        )
        # A document of other money, kept for the ledger: not a linkage fund.
        self.allocation(
            year=year,
            level=FundLevel.COUNTY,
            amount=Decimal("300000.00"),
            issued_on=datetime.date(year, 5, 6),
            number=f"开财预〔{year}〕{30 + n}号",
            fund_type=FundType.objects.filter(code="other").first() or self.linkage,
            title="其他涉农资金",
        )
        return docs

    def assign(self, year: int, projects: list[Project], docs: dict[str, list]) -> None:
        left = {doc.pk: doc.amount for level in docs.values() for doc in level}
        for index, project in enumerate(projects):
            assigned_on = datetime.date(year, 3, 20) + self.rng.randint(0, 25) * DAY
            for level, field in LEVEL_FIELD.items():
                need = getattr(project, field)
                for doc in docs[level]:
                    if need <= 0:
                        break
                    if doc.for_industry and not project.is_industry:
                        continue
                    take = min(need, left[doc.pk])
                    if take <= 0:
                        continue
                    entry = allocations.assignment_add(
                        allocation=doc,
                        project=project,
                        amount=take,
                        assigned_on=max(assigned_on, doc.issued_on),
                        actor=self.bureau,
                    )
                    left[doc.pk] -= take
                    need -= take
                    self.counts["assignments"] += 1
                    # The last 2025 projects' county money has not arrived yet.
                    if year == 2025 and level == FundLevel.COUNTY and index % 7 == 6:
                        continue
                    arrived = min(entry.assigned_on + self.rng.randint(4, 18) * DAY, self.today)
                    allocations.arrival_record(
                        entry=entry,
                        arrived_on=arrived,
                        township_account=f"{project.area.code[:9]}财政所衔接资金专户",
                        actor=self.clerk(project),
                    )

    # ---- payments --------------------------------------------------------------------------

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
        if state == "returned" and not self.may_return:
            state = "reported"
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

    def debt(self, project: Project, year: int, *, overdue: bool) -> None:
        arrived, arrived_on = self.arrived(project)
        if arrived_on is None:
            return
        start = max(arrived_on + 10 * DAY, datetime.date(year, 5, 1))
        if start > self.today:
            return
        # The overdue agreement ended before today: two years, or one for a recent start.
        term = (2 if start.year < self.today.year - 1 else 1) if overdue else 3
        end = datetime.date(start.year + term, start.month, 1) - DAY
        clerk = self.clerk(project)
        placement = placements.placement_create(
            project=project,
            counterparty=project.entity_name,
            counterparty_uscc=project.entity_uscc,
            principal=arrived,
            start_date=start,
            end_date=end,
            agreed_rate=self.rng.choice(["6.00", "6.50", "7.00"]),
            collateral="企业厂房及设备抵押，法定代表人连带责任担保",
            risk_measures="乡镇按季度检查经营和资产状况，县乡村振兴局年度复核",
            agreement_number=f"KYZQ-{project.code}",
            actor=clerk,
        )
        self.counts["placements"] += 1
        if project.status == Project.Status.PLANNED:
            return
        self.pay(
            project,
            Tranche.LUMP_SUM,
            arrived,
            start,
            self.contractor(project),
            f"债权投入协议 {placement.agreement_number}",
        )
        due = share(placement.principal, placement.agreed_rate)
        for y in range(start.year, min(end.year, self.today.year) + 1):
            received = datetime.date(y, 12, 20)
            if received > self.today or received > end + 30 * DAY:
                continue
            # The overdue placement's last year is paid short.
            amount = share(due, 50) if overdue and y == end.year else due
            placements.return_record(
                placement=placement, year=y, amount=amount, received_on=received, actor=clerk
            )
            self.counts["placement returns"] += 1
            items = {code: {"clear": True, "note": ""} for code in SixClears.values}
            problems = measures = ""
            if overdue and y >= start.year + 1:
                items[SixClears.OPERATIONS] = {"clear": False, "note": "主体经营下滑，回款滞后"}
                problems = "合作主体经营困难，收益未足额支付"
                measures = "约谈企业负责人，落实抵押资产处置预案"
            placements.six_clears_record(
                placement=placement,
                year=y,
                items=items,
                problems=problems,
                measures=measures,
                reviewed_on=min(datetime.date(y, 12, 28), self.today),
                expected_version=None,
                actor=clerk,
            )
        if end < self.today:
            # Past its term: the overdue one returns only part of its principal.
            recovered = share(placement.principal, 40) if overdue else placement.principal
            placements.recovery_record(
                placement=placement,
                amount=recovered,
                recovered_on=min(end + 15 * DAY, self.today),
                actor=clerk,
            )

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

    # ---- micro-credit ----------------------------------------------------------------------

    def loans(self) -> None:
        wanted = max(3, min(6, self.context.households // 300))
        candidates = (
            Household.objects.current()
            .filter(household_type=HouseholdType.EXITED)
            .select_related("area")
            .order_by("household_number")
        )
        households = [h for h in candidates[: wanted * 3] if h.is_exited or h.is_monitored]
        self.rng.shuffle(households)
        made = 0
        for household in households:
            if made >= wanted:
                break
            borrower = (
                Member.objects.filter(household=household, status=Member.Status.ACTIVE)
                .order_by("person_number")
                .first()
            )
            clerk = self.users.get(f"clerk_{household.area.code[:9]}")
            if borrower is None or clerk is None:
                continue
            overdue = made == 0
            issued = (
                datetime.date(2023, 3, 15)
                if overdue
                else datetime.date(self.rng.choice(YEARS), self.rng.randint(1, 9), 10)
            )
            term = 24 if overdue else self.rng.choice([12, 24, 36])
            amount = Decimal(self.rng.choice([20000, 30000, 50000]))
            loan = microcredit.loan_create(
                household=household,
                borrower=borrower,
                bank=self.rng.choice(BANKS),
                contract_number=f"XD{issued:%Y%m}{household.household_number[-6:]}",
                amount=amount,
                issued_on=issued,
                term_months=term,
                purpose=self.rng.choice([LoanPurpose.PLANTING, LoanPurpose.BREEDING]),
                purpose_note="扩大种养规模",
                annual_rate="3.85",
                actor=clerk,
            )
            made += 1
            due = loan.due_on
            # Repaid in halves: at the term's middle and at its end (the overdue one only half).
            middle = add_months(issued, term // 2)
            for day, part in ((middle, 50), (due, 50)):
                if day > self.today or (overdue and day == due):
                    continue
                microcredit.repayment_record(
                    loan=loan, amount=share(amount, part), repaid_on=day, actor=clerk
                )
                self.counts["loan repayments"] += 1
            # The interest subsidy (贴息) year by year of the term, paid after each year.
            period_start = issued
            while period_start < due:
                period_end = min(add_months(period_start, 12) - DAY, due)
                paid_on = period_end + 10 * DAY
                if paid_on > self.today:
                    break
                months = Decimal((period_end - period_start).days) / Decimal(365)
                microcredit.subsidy_record(
                    loan=loan,
                    amount=(amount * Decimal("3.85") / 100 * months).quantize(CENT),
                    period_start=period_start,
                    period_end=period_end,
                    paid_on=paid_on,
                    actor=clerk,
                )
                self.counts["interest subsidies"] += 1
                period_start = period_end + DAY
        self.counts["loans"] = made

    # ---- the whole ---------------------------------------------------------------------------

    def run(self) -> None:
        overdue_placed = False
        for year in YEARS:
            projects = self.chosen(self.funded(year))
            if not projects:
                continue
            docs = self.allocations_of(year, projects)
            self.assign(year, projects, docs)
            for project in projects:
                mode = project.finance_mode
                if mode == FinanceMode.DEBT:
                    overdue = not overdue_placed and project.status != Project.Status.PLANNED
                    self.debt(project, year, overdue=overdue)
                    overdue_placed = overdue_placed or overdue
                elif mode == FinanceMode.HOUSEHOLD:
                    self.household(project, year)
                else:
                    self.self_built(project, year)
        self.recent_and_reversed()
        self.loans()


def seed(context) -> None:
    demo = FundsDemo(context)
    demo.run()
    shown = ", ".join(f"{count} {name}" for name, count in sorted(demo.counts.items()))
    context.log(f"funds: {shown}")


# The money rows in the order they may go: what points at a row before the row, a reversal
# before what it reverses.
LEDGER_ORDER = (
    ReimbursementVoucher,
    Reimbursement,
    PaymentDraw,
    Payment,
    RetentionDeduction,
    ProjectFund,
    Reallocation,
    FundAccount,
    FundAllocation,
    PlacementReturn,
    PrincipalRecovery,
    Redeployment,
    SixClearsReview,
    DebtPlacement,
    InterestSubsidy,
    LoanRepayment,
    MicrocreditLoan,
)


def delete_all() -> None:
    """Delete every linkage-fund row but the code tables (fund types, uses), for the demo's
    reset: inside ``kaiyuan.common.ledger.purge()``, the only way past the database's refusal
    to delete a money row. The vouchers' files go with them."""
    for stored in ReimbursementVoucher.objects.all():
        stored.file.delete(save=False)
    with purge():
        for model in LEDGER_ORDER:
            rows = model.objects.all()
            for self_link in ("reverses", "reduces"):
                if any(f.name == self_link for f in model._meta.concrete_fields):
                    rows.filter(**{f"{self_link}__isnull": False}).delete()
            rows.delete()
