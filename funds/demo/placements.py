"""A debt-type project's placement, its transfer, returns, 六清楚 and recovery (one past its
term with principal not recovered)."""

from __future__ import annotations

import datetime

from funds.codes import SixClears, Tranche
from funds.demo import (
    DAY,
    share,
)
from funds.services import placements
from projects.models import Project


class PlacementsDemo:
    """Part of ``funds.demo.funds.FundsDemo`` (its ``rng``, ``users``, ``today``, ``counts``)."""

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
