"""The settlement (清算) of 2024's and 2025's income of every operating asset, with only
depreciation and maintenance deducted (AST-9): a PV station's power sold after its operating
costs, a debt-type claim's returns as the placement paid them, a leased asset's rent with its
variable part, a collective's own operation. Every self-built asset leaves its households at
least the minimum return but one, whose 2025 fell short on purpose (AST-5).

Some 400 settlements are written together, each checked first as ``income_settle`` checks it
(the year over and not before the asset, only the two deductions, within the income), and
settled in the January–March after its year, so never in the future."""

from __future__ import annotations

import datetime
from decimal import ROUND_UP, Decimal

from django.db.models import Sum

from assets.codes import AssetClass, AssetStatus, AssetType
from assets.demo import DAY, YEARS, YUAN, ZERO, percent_of
from assets.models import Asset, AssetIncome
from assets.rules import incomes as rules
from assets.selectors.assets import SELF_BUILT, return_basis
from funds.models import PlacementReturn
from kaiyuan.common.rules import refuse_errors
from kaiyuan.policy.services import policy_for

TARIFF = Decimal("0.3749")  # yuan per kWh: Liaoning's benchmark price for coal power
SHORT_PERCENT = Decimal("4.8")  # the deliberately short year's return to households


class IncomesDemo:
    """Part of ``assets.demo.ledger.LedgerDemo`` (its ``rng``, ``users``, ``today``, ``counts``)."""

    def income_years(self, asset: Asset) -> list[int]:
        return [y for y in YEARS if asset.formed_year <= y < self.today.year]

    def incomes(self) -> None:
        operating = [
            a
            for a in self.made.values()
            if a.asset_class == AssetClass.OPERATING and a.status != AssetStatus.DISPOSED
        ]
        returns = {
            (placement, year): total
            for placement, year, total in PlacementReturn.objects.values_list("placement", "year")
            .annotate(total=Sum("amount"))
            .values_list("placement", "year", "total")
        }
        self.short = next(
            (
                a
                for a in operating
                if return_basis(a) == SELF_BUILT
                and a.original_value >= 50000
                and YEARS[-1] in self.income_years(a)
            ),
            None,
        )
        self.policies = {year: policy_for(year) for year in YEARS}
        rows = []
        for asset in operating:
            for year in self.income_years(asset):
                figures = self.figures(asset, year, returns)
                if figures is None:
                    continue
                gross, depreciation, maintenance, note = figures
                settled = min(
                    datetime.date(year + 1, 1, 8) + self.rng.randint(0, 60) * DAY, self.today
                )
                # What income_settle checks, for the settlements written together.
                refuse_errors(
                    rules.settlement_problems(
                        year=year, today_year=self.today.year, formed_year=asset.formed_year
                    )
                )
                refuse_errors(
                    rules.deduction_problems(
                        gross_income=gross,
                        deductions={"depreciation": depreciation, "maintenance": maintenance},
                    )
                )
                rows.append(
                    AssetIncome(
                        asset=asset,
                        year=year,
                        gross_income=gross,
                        depreciation=depreciation,
                        maintenance=maintenance,
                        settled_on=settled,
                        note=note,
                        recorded_by=self.clerk(self.village_by_id[asset.area_id]),
                    )
                )
        self.settled = AssetIncome.objects.bulk_create(rows, batch_size=500)
        self.counts["incomes settled"] = len(self.settled)

    def figures(self, asset: Asset, year: int, returns) -> tuple | None:
        value = asset.original_value
        if asset.asset_type == AssetType.PV_STATION:
            hours = self.rng.randint(1080, 1260)
            sold = (asset.quantity * hours * TARIFF).quantize(YUAN)
            # The income is what is left after land rent, O&M and insurance (S-59).
            gross = percent_of(sold, self.rng.randint(84, 90))
            maintenance = Decimal(self.rng.randint(20, 60) * 100)
            note = f"全年上网电量{int(asset.quantity) * hours}千瓦时，扣除土地租金、运维及保险后"
            return gross, ZERO, maintenance, note
        if asset.placement_id is not None:
            received = returns.get((asset.placement_id, year))
            if not received:
                return None
            return received, ZERO, ZERO, "债权收益，按协议由合作主体支付"
        if asset.asset_type == AssetType.EQUITY or return_basis(asset) != SELF_BUILT:
            gross = percent_of(value, Decimal(self.rng.randint(65, 80)) / 10)
            return gross, ZERO, ZERO, "年度分红"
        minimum = self.policies[year].minimum_return_percent
        if asset == self.short and year == YEARS[-1]:
            net = percent_of(value, SHORT_PERCENT)
            note = "受市场价格下行影响，经营收益下降"
        else:
            rate = minimum + Decimal(self.rng.randint(3, 30)) / 10
            net = (value * rate / 100).quantize(YUAN, ROUND_UP)
            note = "承包费及超出保底部分分成" if asset.contract_counterparty else "村集体经营收益"
        depreciation = percent_of(value, Decimal(self.rng.randint(8, 15)) / 10)
        maintenance = percent_of(value, Decimal(self.rng.randint(2, 6)) / 10)
        return net + depreciation + maintenance, depreciation, maintenance, note
