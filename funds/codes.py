"""The code tables of the linkage funds (DOMAIN.md §4.1–§4.3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City (Tieling)")
    COUNTY = "county", _("County (Kaiyuan)")


# FND-8 and FND-9 speak of the provincial-and-above linkage funds.
PROVINCIAL_AND_ABOVE = (FundLevel.CENTRAL, FundLevel.PROVINCIAL)

# The project's funding field of each level (projects.models.projects.LINKAGE_FUNDING_FIELDS).
PROJECT_FUNDING_FIELD = {
    FundLevel.CENTRAL: "central_funds",
    FundLevel.PROVINCIAL: "provincial_funds",
    FundLevel.CITY: "city_funds",
    FundLevel.COUNTY: "county_funds",
}


class Tranche(models.TextChoices):
    ADVANCE = "advance", _("Advance (预付)")
    PROGRESS = "progress", _("Progress payment (进度款)")
    FINAL = "final", _("Final payment (尾款)")
    RETENTION = "retention", _("Retention release (质保金)")
    LUMP_SUM = "lump_sum", _("One-off transfer (债权类)")
    HOUSEHOLD = "household", _("Household subsidy (到户补贴)")


class PayeeKind(models.TextChoices):
    ENTITY = "entity", _("Entity (credit code)")
    PERSON = "person", _("Person (ID number)")


class ReimbursementStatus(models.TextChoices):
    UNREPORTED = "unreported", _("Not reported")
    REPORTED = "reported", _("Reported to finance")
    RETURNED = "returned", _("Returned by finance")
    ACCEPTED = "accepted", _("Accepted by finance")


class SixClears(models.TextChoices):
    """六清楚 (DOMAIN.md §5.8): one checklist per debt placement per year."""

    INDUSTRY_FUNDS = "industry_funds", "产业帮扶资金清楚"
    HOUSEHOLD_FUNDS = "household_funds", "到户自主发展资金清楚"
    INJECTED_FUNDS = "injected_funds", "注入主体资金清楚"
    DIVIDENDS = "dividends", "收益分红资金清楚"
    OPERATIONS = "operations", "主体生产经营状况清楚"
    PROBLEMS = "problems", "存在问题解决措施清楚"


class LoanPurpose(models.TextChoices):
    PLANTING = "种植业", "种植业"
    BREEDING = "养殖业", "养殖业"
    PROCESSING = "加工业", "加工业"
    COMMERCE = "商贸流通", "商贸流通"
    SERVICES = "服务业", "服务业"
    OTHER = "其他", "其他"
