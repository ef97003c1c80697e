"""The year's documents at every level, assigned to the funded projects within their
approved funding by level, and their arrival at the townships."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from funds.codes import FundLevel
from funds.demo import (
    CENT,
    COUNTY_OWN_2024,
    DAY,
    LEVEL_FIELD,
    PER_YEAR,
    ZERO,
)
from funds.models import (
    FundType,
)
from funds.services import allocations
from funds.services.allocations import FUNDED_STATES
from kaiyuan.areas.models import Area
from projects.models import Project


class AllocationsDemo:
    """Part of ``funds.demo.funds.FundsDemo`` (its ``rng``, ``users``, ``today``, ``counts``)."""

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
