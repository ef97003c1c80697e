"""Disposals, each step through DISPOSAL_WORKFLOW: a few damaged assets of early years proposed,
decided on by the villagers' representatives, approved by the bureau and disposed of with their
proceeds; one decided and waiting for the bureau's approval."""

from __future__ import annotations

from decimal import Decimal

from assets.codes import AssetType, DisposalMethod
from assets.demo import DAY, percent_of
from assets.services import disposals as services

# The kinds of asset of the early years disposed of, in turn (the last one waits for approval).
DISPOSED_TYPES = (
    AssetType.GREENHOUSE,
    AssetType.MACHINERY,
    AssetType.STORAGE,
    AssetType.PROCESSING,
)


def disposals_for(households: int) -> int:
    """Three disposed of in the demo county, two in a smaller one, and one more waiting."""
    return (3 if households >= 2000 else 2) + 1


METHODS = {
    AssetType.GREENHOUSE: (DisposalMethod.SCRAP, "棚体被暴雪压毁，无修复价值"),
    AssetType.MACHINERY: (DisposalMethod.AUCTION, "农机具超过使用年限，维修费用高于残值"),
}
TRANSFER = (DisposalMethod.TRANSFER, "设施长期损坏闲置，村集体无力修复，拟整体转让")


class DisposalsDemo:
    """Part of ``assets.demo.ledger.LedgerDemo`` (its ``rng``, ``users``, ``today``, ``counts``)."""

    def disposals(self) -> None:
        for number, candidate in enumerate(self.disposal_candidates):
            asset = self.made[candidate.pk]
            village = self.village_by_id[asset.area_id]
            clerk = self.clerk(village)
            method, reason = METHODS.get(asset.asset_type, TRANSFER)
            disposal = services.disposal_propose(
                asset=asset, method=method, reason=reason, actor=clerk
            )
            decided = min(self.today, (asset.status_on or self.today) + 20 * DAY)
            disposal = services.disposal_decide(
                disposal=disposal,
                dispose=True,
                decided_on=decided,
                decision=f"{village.name}村民代表会议表决通过（{decided:%Y年%m月%d日}）",
                expected_version=disposal.version,
                actor=clerk,
            )
            if number == len(self.disposal_candidates) - 1:
                self.counts["disposals awaiting approval"] += 1
                return  # the last one waits for the bureau
            disposal = services.disposal_approve(
                disposal=disposal,
                approve=True,
                reason="",
                expected_version=disposal.version,
                actor=self.bureau,
            )
            proceeds = (
                Decimal("0.00")
                if method == DisposalMethod.SCRAP and number % 2
                else percent_of(asset.original_value, self.rng.randint(3, 12))
            )
            services.disposal_complete(
                disposal=disposal,
                completed_on=self.today,
                proceeds=proceeds,
                proceeds_use=f"归{village.name}股份经济合作社，用于巩固衔接项目"
                if proceeds
                else "",
                expected_version=disposal.version,
                actor=clerk,
            )
            self.counts["assets disposed"] += 1
