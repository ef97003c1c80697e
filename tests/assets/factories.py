"""Assets, their income and distributions for the assets tests, built on the funds tests' funded
projects. Handover, settlement and distribution go through the services, since they are what
these tests are about; the project is brought to 验收合格 directly."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from stdnum.cn import uscc as stdnum_uscc

from assets.codes import AssetClass, AssetType, FundingSource, OwnerKind
from assets.models import Collective
from assets.services import assets as asset_services
from assets.services import distributions as distribution_services
from assets.services import incomes as income_services
from funds.codes import Tranche
from funds.models import FundAccount
from kaiyuan.common.dates import today
from monitoring.codes import HouseholdType, MonitoringCategory
from projects.models import Project
from tests.funds import factories as funds_factories
from tests.monitoring.factories import make_household

D = Decimal
_serial = itertools.count(1)


def collective_uscc(village) -> str:
    """A valid N2 credit code in the county's division (§9.2)."""
    body = f"N2211282MA{next(_serial):07d}"[:17]
    return body + stdnum_uscc.calc_check_digit(body)


def collective(village, **fields) -> Collective:
    return Collective.objects.filter(village=village).first() or Collective.objects.create(
        village=village,
        name=fields.pop("name", f"{village.name}股份经济合作社"),
        uscc=fields.pop("uscc", None) or collective_uscc(village),
        **fields,
    )


def asset_values(village, **fields) -> dict:
    values = {
        "name": "村级光伏帮扶电站",
        "asset_class": AssetClass.OPERATING,
        "asset_type": AssetType.PV_STATION,
        "quantity": D("300"),
        "unit": "千瓦",
        "area": village,
        "location": f"{village.name}村部南侧",
        "original_value": D("1000000.00"),
        "owner_kind": OwnerKind.COLLECTIVE,
        "custodian": "李德福",
        "maintenance_funding": "电站收益",
        "handed_over_on": today() - datetime.timedelta(days=3),
    }
    values.update(fields)
    return values


def paid_project(village, clerk, *, total="1000000.00", **fields) -> Project:
    """A project whose linkage funds (all central) are paid in full and which passed acceptance."""
    project = funds_factories.project(village, clerk, total=total, **fields)
    funds_factories.fund(project, clerk)
    total = D(total)
    funds_factories.pay(project, clerk, total * D("0.3"))
    funds_factories.progress(project, clerk, 70)
    funds_factories.pay(project, clerk, total * D("0.4"), tranche=Tranche.PROGRESS)
    funds_factories.accept(project)
    # No quality retention, so the whole value is paid and can be traced into the assets.
    FundAccount.objects.filter(project=project).update(retention_required=False)
    funds_factories.pay(project, clerk, total - total * D("0.7"), tranche=Tranche.FINAL)
    Project.objects.filter(pk=project.pk).update(status=Project.Status.ACCEPTED)
    project.refresh_from_db()
    return project


def handed_over_asset(village, clerk, *, value="1000000.00", project=None, **fields):
    collective(village)
    project = project or paid_project(village, clerk, total=value)
    return asset_services.asset_hand_over(
        project=project,
        values=asset_values(village, original_value=D(value), **fields),
        funding={FundingSource.CENTRAL: D(value)},
        expected_version=project.version,
        actor=clerk,
    )


def legacy_asset(village, clerk, *, value="500000.00", **fields):
    """An asset formed before the project library (no payments to trace)."""
    collective(village)
    values = asset_values(
        village,
        original_value=D(value),
        formed_year=fields.pop("formed_year", 2019),
        source_note="2019年财政专项扶贫资金",
        **fields,
    )
    return asset_services.asset_create(
        values=values, funding={FundingSource.OTHER: D(value)}, actor=clerk
    )


def settled(asset, clerk, *, year=None, income="100000.00", depreciation="0", maintenance="0"):
    year = year or today().year - 1
    return income_services.income_settle(
        asset=asset,
        year=year,
        gross_income=D(income),
        deductions={"depreciation": D(depreciation), "maintenance": D(maintenance)},
        settled_on=today() - datetime.timedelta(days=1),
        actor=clerk,
    )


def distribution(asset, clerk, *, amount=None, **settle):
    income = settled(asset, clerk, **settle)
    return distribution_services.distribution_create(income=income, amount=amount, actor=clerk)


def exited(village, **fields):
    return make_household(village, household_type=HouseholdType.EXITED, **fields)


def monitored(village, **fields):
    """A marginal household (边缘易致贫户): an ordinary household on the monitoring list."""
    return make_household(
        village,
        household_type=HouseholdType.ORDINARY,
        monitoring_status="monitored",
        monitoring_category=MonitoringCategory.MARGINAL,
        **fields,
    )
