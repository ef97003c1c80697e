"""The 四个一批 review of every operating asset still on the ledger: last December's, and for
some the December before as well; an idle or damaged asset reviewed again once its status
changed, into 盘活一批, as is the one whose return fell short."""

from __future__ import annotations

import datetime

from assets.codes import AssetClass, AssetStatus, AssetType
from assets.demo import DAY
from assets.models import Asset, AssetReview
from projects.codes import FourBatches

REASONS = {
    FourBatches.CONSOLIDATE: (
        "运营稳定，收益按期足额分配，继续巩固",
        "经营主体履约良好，资产管护到位",
    ),
    FourBatches.UPGRADE: (
        "市场前景好，计划扩建配套设施、延伸产业链",
        "收益稳定增长，拟引入冷链加工提升附加值",
    ),
    FourBatches.REVIVE: ("资产闲置或收益偏低，需引入新的经营主体盘活",),
    FourBatches.ADJUST: ("原经营模式效益不佳，调整为委托经营",),
}


class ReviewsDemo:
    """Part of ``assets.demo.ledger.LedgerDemo`` (its ``rng``, ``users``, ``today``, ``counts``)."""

    def reviews(self) -> None:
        """Written together: each review of an operating asset still on the ledger, dated,
        with its class and reason, as asset_review checks them."""
        self.review_rows: list[AssetReview] = []
        last_december = datetime.date(self.today.year - 1, 12, 1)
        december_before = datetime.date(self.today.year - 2, 12, 1)
        for asset in list(self.made.values()):
            if asset.asset_class != AssetClass.OPERATING or asset.status == AssetStatus.DISPOSED:
                continue
            clerk = self.clerk(self.village_by_id[asset.area_id])
            if asset.formed_year < december_before.year and self.rng.random() < 0.3:
                earlier = self.batch(asset, earlier=True)
                self.review(asset, earlier, december_before, clerk)
            if asset.formed_year <= last_december.year:
                self.review(asset, self.batch(asset), last_december, clerk)
            if asset.status in (AssetStatus.IDLE, AssetStatus.DAMAGED) or asset == self.short:
                since = asset.status_on or self.today
                self.review(asset, FourBatches.REVIVE, since, clerk, later=True)
        AssetReview.objects.bulk_create(self.review_rows, batch_size=500)
        reviewed = {row.asset_id: row.asset for row in self.review_rows}
        for asset in reviewed.values():
            asset.version += 1
        Asset.objects.bulk_update(
            list(reviewed.values()), ["four_batches", "four_batches_on", "version"], batch_size=500
        )
        self.counts["四个一批 reviews"] = len(self.review_rows)

    def batch(self, asset, *, earlier: bool = False) -> str:
        if asset.asset_type == AssetType.PV_STATION or earlier:
            return FourBatches.CONSOLIDATE
        roll = self.rng.random()
        if roll < 0.15:
            return FourBatches.UPGRADE
        if roll < 0.19:
            return FourBatches.ADJUST
        return FourBatches.CONSOLIDATE

    def review(self, asset, batch, day, clerk, *, later: bool = False) -> None:
        day = min(day + self.rng.randint(3 if later else 0, 25) * DAY, self.today)
        self.review_rows.append(
            AssetReview(
                asset=asset,
                batch=batch,
                reviewed_on=day,
                reason=self.rng.choice(REASONS[batch]),
                reviewed_by=clerk,
            )
        )
        # The asset carries its latest review, as asset_review leaves it.
        if asset.four_batches_on is None or day >= asset.four_batches_on:
            asset.four_batches, asset.four_batches_on = batch, day
