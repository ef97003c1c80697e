"""The asset ledger's code tables (DOMAIN.md §5): the national classes, the kinds of asset the
county's projects form, owners, statuses, and the uses a distribution line is paid for."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetClass(models.TextChoices):
    """AST-2: 国办函〔2021〕51号's three classes."""

    OPERATING = "经营性", "经营性资产"
    PUBLIC = "公益性", "公益性资产"
    HOUSEHOLD = "到户类", "到户类资产"


class AssetType(models.TextChoices):
    PV_STATION = "光伏帮扶电站", "光伏帮扶电站"
    FARM_BASE = "种养殖基地", "种养殖基地"
    GREENHOUSE = "温室大棚", "温室大棚"
    PROCESSING = "加工厂房", "加工厂房"
    STORAGE = "仓储保鲜冷链设施", "仓储保鲜冷链设施"
    WORKSHOP = "就业帮扶车间", "就业帮扶车间"
    TOURISM = "乡村旅游设施", "乡村旅游设施"
    EQUITY = "股权债权", "股权、债权（权益性资产）"
    ROAD = "村内道路", "村内道路"
    IRRIGATION = "小型农田水利", "小型农田水利"
    WATER = "饮水安全设施", "饮水安全设施"
    SANITATION = "环境卫生设施", "环境卫生设施"
    CULTURE = "文化体育设施", "文化体育设施"
    LIVESTOCK = "牲畜", "牲畜"
    MACHINERY = "农机具", "农机具"
    OTHER = "其他", "其他"


class OwnerKind(models.TextChoices):
    COLLECTIVE = "collective", _("Village collective economic organisation")
    TOWNSHIP = "township", _("Township")
    DEPARTMENT = "department", _("County department")
    HOUSEHOLD = "household", _("Household")


class AssetStatus(models.TextChoices):
    IN_USE = "in_use", _("In use")
    IDLE = "idle", _("Idle")
    DAMAGED = "damaged", _("Damaged")
    DISPOSED = "disposed", _("Disposed")


class FundingSource(models.TextChoices):
    """Where an asset's value came from: the linkage funds by level (the funds app's levels,
    traced to the project's payments), and the rest."""

    CENTRAL = "central", _("Central linkage funds")
    PROVINCIAL = "provincial", _("Provincial linkage funds")
    CITY = "city", _("City linkage funds")
    COUNTY = "county", _("County linkage funds")
    OTHER = "other", _("Other fiscal and assistance funds")
    SELF_RAISED = "self_raised", _("Self-raised")


# The sources that are linkage funds, whose amounts are traced to the project's payments.
LINKAGE_SOURCES = (
    FundingSource.CENTRAL,
    FundingSource.PROVINCIAL,
    FundingSource.CITY,
    FundingSource.COUNTY,
)


class LineUse(models.TextChoices):
    """What a distribution line pays: a household's differentiated share, its stacked share
    (Q-15), or one of the PV station's three uses (AST-PV-1, Q-9)."""

    SHARE = "share", _("Differentiated share")
    STACKED = "stacked", _("Stacked share (叠加式)")
    PV_JOBS = "pv_jobs", _("Public-welfare job wages")
    PV_WORKS = "pv_works", _("Small village public works")
    PV_REWARDS = "pv_rewards", _("Rewards and subsidies")


HOUSEHOLD_USES = (LineUse.SHARE, LineUse.STACKED)
PV_USES = (LineUse.PV_JOBS, LineUse.PV_WORKS, LineUse.PV_REWARDS)


class DisposalMethod(models.TextChoices):
    TRANSFER = "转让", "转让"
    AUCTION = "拍卖", "拍卖"
    SCRAP = "报废", "报废"
    WRITE_OFF = "核销", "核销"
    EXCHANGE = "置换", "置换"
    OTHER = "其他", "其他"
