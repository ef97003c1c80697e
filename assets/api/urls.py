"""The asset ledger's endpoints under /api/v1/ (kaiyuan/api.py registers every app's ROUTES)."""

from assets.api.assets import AssetViewSet
from assets.api.distributions import DistributionLineViewSet, DistributionViewSet
from assets.api.incomes import AssetIncomeViewSet

# (prefix, viewset, basename)
ROUTES = [
    ("assets", AssetViewSet, "asset"),
    ("asset-incomes", AssetIncomeViewSet, "assetincome"),
    ("distributions", DistributionViewSet, "distribution"),
    ("distribution-lines", DistributionLineViewSet, "distributionline"),
]
