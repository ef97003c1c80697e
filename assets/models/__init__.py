from assets.models.assets import Asset, AssetFunding, Collective
from assets.models.disposals import Disposal
from assets.models.distributions import Distribution, DistributionLine
from assets.models.incomes import AssetIncome
from assets.models.reviews import AssetReview

__all__ = [
    "Asset",
    "AssetFunding",
    "AssetIncome",
    "AssetReview",
    "Collective",
    "Disposal",
    "Distribution",
    "DistributionLine",
]
