"""The demo's asset ledger: in a small county every kind and state is there (the collectives
with their N2 codes, the projects' assets and those of earlier years in the three classes, PV
stations, claims on placements, households' livestock and greenhouses, 确权 and 三资 done and
missing, idle, damaged and disposed assets, reviews, two years of income and distributions in
every state), no rule is broken but the two flags made on purpose, the same seed gives the same
ledger and the demo reset removes it. Runs on SQLite too (``make run`` seeds it there)."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from assets.codes import HOUSEHOLD_USES, LINKAGE_SOURCES, PV_USES, AssetClass, LineUse, OwnerKind
from assets.demo import YEARS, pv_stations_for
from assets.demo.distributions import POSTS
from assets.demo.ledger import ORDER
from assets.models import (
    Asset,
    AssetFunding,
    AssetIncome,
    AssetReview,
    Collective,
    Disposal,
    Distribution,
    DistributionLine,
)
from assets.rules import distributions as distribution_rules
from assets.selectors.assets import (
    awaiting_handover,
    funding_in_assets,
    missing_by_township,
    paid_by_level,
    to_revive,
)
from assets.selectors.distributions import plan_of
from assets.selectors.incomes import low_return
from funds.models import DebtPlacement
from kaiyuan.accounts.models import User
from kaiyuan.areas.models import Area, Grid
from kaiyuan.common.dates import today
from kaiyuan.common.uscc import is_valid
from monitoring.demo.households import delete_all
from projects.models import Handover, Project

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
HOUSEHOLDS = 80  # the funds demo's small county: a placement, paid projects of every mode
D = Decimal


def _fingerprint() -> str:
    rows = [
        *Collective.objects.order_by("village__code").values_list(
            "village__code", "name", "uscc", "registered_on"
        ),
        *Asset.objects.order_by("formed_year", "name", "original_value").values_list(
            "formed_year", "name", "asset_class", "asset_type", "original_value", "owner_kind",
            "project__code", "status", "confirmed_on", "sanzi_id", "four_batches",
        ),
        *AssetFunding.objects.order_by("asset__name", "asset__original_value", "source")
        .values_list("asset__name", "source", "amount"),
        *AssetIncome.objects.order_by("asset__name", "asset__original_value", "year").values_list(
            "asset__name", "year", "gross_income", "depreciation", "maintenance", "settled_on"
        ),
        *Distribution.objects.order_by("asset__name", "asset__original_value", "year")
        .values_list("asset__name", "year", "amount", "status", "paid_on", "payment_reference"),
        *DistributionLine.objects.order_by(
            "distribution__asset__name", "distribution__year", "use", "payee", "item", "amount"
        ).values_list(
            "distribution__asset__name", "distribution__year", "use",
            "household__household_number", "payee", "item", "amount",
        ),
        *AssetReview.objects.order_by("asset__name", "reviewed_on", "batch").values_list(
            "asset__name", "batch", "reviewed_on"
        ),
        *Disposal.objects.order_by("asset__name").values_list(
            "asset__name", "status", "method", "proceeds"
        ),
    ]  # fmt: skip
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _wipe() -> None:
    delete_all()
    Grid.objects.all().delete()
    User.objects.all().delete()
    Area.objects.filter(level="group").delete()
    Area.objects.filter(level="village").delete()


@pytest.fixture
def demo(db):
    call_command("seed_demo", households=HOUSEHOLDS, seed=3)


def test_every_kind_and_state_of_the_ledger_is_there(demo):
    county = User.objects.get(username="bureau")
    committees = Area.objects.villages().filter(kind=Area.Kind.VILLAGE_COMMITTEE).count()
    collectives = list(Collective.objects.all())
    assert len(collectives) >= committees * 85 // 100
    assert all(is_valid(c.uscc) and c.uscc.startswith("N2") for c in collectives)

    assets = list(Asset.objects.select_related("owner_household", "project", "placement"))
    assert {a.asset_class for a in assets} == set(AssetClass.values)
    assert len({a.asset_type for a in assets}) >= 8
    from_projects = [a for a in assets if a.project_id]
    earlier = [a for a in assets if not a.project_id]
    assert from_projects and earlier
    assert all(a.source_note and 2014 <= a.formed_year <= 2020 for a in earlier)
    # The county's 20 stations, scaled down to this county (more if its library has more).
    assert pv_stations_for(2000) == 20
    stations = [a for a in assets if a.is_pv_station]
    assert len(stations) == max(
        pv_stations_for(HOUSEHOLDS), sum(1 for a in from_projects if a.is_pv_station)
    )
    # A debt-type project's claim is on its placement, where the funds placed the money.
    for placement in DebtPlacement.objects.filter(project__assets__isnull=False).distinct():
        claims = [a for a in assets if a.placement_id == placement.pk]
        assert claims and all(a.project_id == placement.project_id for a in claims)
    household_assets = [a for a in assets if a.owner_kind == OwnerKind.HOUSEHOLD]
    assert household_assets
    for asset in household_assets:
        owner = asset.owner_household
        assert owner.area_id == asset.area_id
        assert owner.is_exited or owner.is_monitored
        assert owner.is_exited or asset.project_id  # earlier years' went to 脱贫户

    # The library's accepted projects are handed over (AST-1), one at most left to do.
    handed = Project.objects.filter(status__in=["handed_over", "operating"])
    assert handed.exists()
    for project in handed:
        handover = Handover.objects.get(project=project)
        values = [a.original_value for a in assets if a.project_id == project.pk]
        if handover.asset_formed:
            assert values and handover.value == sum(values), project.code
        else:
            assert not values and handover.no_asset_reason
    assert awaiting_handover(county).count() <= 1

    collective = [a for a in assets if a.owner_kind == OwnerKind.COLLECTIVE]
    assert {a.is_confirmed for a in collective} == {True, False}
    assert {a.is_on_sanzi for a in collective} == {True, False}
    assert all(a.is_confirmed for a in collective if a.is_on_sanzi)
    assert missing_by_township(county)

    statuses = Counter(a.status for a in assets)
    assert statuses["in_use"] > len(assets) * 3 // 4
    assert statuses["idle"] >= 1 and statuses["damaged"] >= 1
    disposals = Counter(Disposal.objects.values_list("status", flat=True))
    assert statuses["disposed"] == disposals["completed"] == 2
    assert disposals["decided"] == 1  # awaiting the bureau
    assert to_revive(county).exists()

    for asset in Asset.objects.operating().current().filter(formed_year__lt=today().year):
        latest = asset.reviews.order_by("-reviewed_on", "-id").first()
        assert latest and asset.four_batches == latest.batch, asset

    assert set(AssetIncome.objects.values_list("year", flat=True)) == set(YEARS)
    states = set(Distribution.objects.values_list("year", "status"))
    assert {(YEARS[0], "paid"), (YEARS[1], "paid")} <= states
    assert {(YEARS[1], "publicised"), (YEARS[1], "draft")} <= states
    # Some households of other townships receive a share (AST-7).
    lines = DistributionLine.objects.filter(household__isnull=False).select_related(
        "household__area", "distribution__asset__area"
    )
    assert any(
        line.household.area.parent_id != line.distribution.asset.area.parent_id for line in lines
    )


def test_no_rule_is_broken_but_the_two_flags_made_on_purpose(demo):
    county = User.objects.get(username="bureau")
    day = today()
    for model, field in (
        (Asset, "handed_over_on"),
        (Asset, "confirmed_on"),
        (Asset, "sanzi_entered_on"),
        (Asset, "status_on"),
        (AssetIncome, "settled_on"),
        (AssetReview, "reviewed_on"),
        (Distribution, "publicity_from"),
        (Distribution, "paid_on"),
        (Disposal, "completed_on"),
    ):
        assert not model.objects.filter(**{f"{field}__gt": day}).exists(), (model, field)

    # AST-VALUE: each asset's sources add up to its value; a project's assets hold no more of a
    # level's linkage funds than the project paid from it.
    totals = dict(
        AssetFunding.objects.values_list("asset")
        .annotate(total=Sum("amount"))
        .values_list("asset", "total")
    )
    for asset in Asset.objects.all():
        assert totals[asset.pk] == asset.original_value, asset
    for project in Project.objects.filter(assets__isnull=False).distinct():
        paid, held = paid_by_level(project), funding_in_assets(project)
        for source in LINKAGE_SOURCES:
            assert held.get(source, D("0")) <= paid.get(source, D("0")), (project.code, source)

    flagged: dict[str, list[Distribution]] = defaultdict(list)
    distributions = Distribution.objects.select_related("asset__project", "income")
    for distribution in distributions:
        plan = plan_of(distribution, user=county)
        assert plan.planned == distribution.amount <= distribution.income.net_income
        for flag in plan.flags:
            flagged[flag.rule].append(distribution)
        if distribution.asset.is_pv_station:
            # AST-PV-1: the 6:3:1 shares to the fen, into named posts and works.
            assert plan.by_use == plan.pv_shares, distribution
            assert {line.use for line in plan.lines} == set(PV_USES)
            for line in plan.lines:
                assert line.item
                if line.use == LineUse.PV_JOBS:
                    assert line.item in POSTS and line.household.is_exited
        for line in plan.lines:
            assert line.household or line.use not in HOUSEHOLD_USES
            if line.household:
                # AST-7 and AST-STACKED: eligible households only (a post holder's, a reward's
                # too), a stacked share only at or below the line.
                assert distribution_rules.eligibility_problems(line.household) == []
                if line.use == LineUse.STACKED:
                    assert distribution_rules.stacked_problems(line.household) == []
        if distribution.status != "draft":
            assert distribution.publicity_from and distribution.publicity_to
        if distribution.status == "paid":
            assert distribution.paid_on >= distribution.publicity_to
    assert set(flagged) == {"AST-5", "AST-6"}
    (equal,) = flagged["AST-6"]
    assert len({line.amount for line in equal.lines.all()}) == 1
    (short,) = flagged["AST-5"]
    assert low_return(county, short.year).filter(pk=short.asset_id).exists()


def test_the_same_seed_gives_the_same_ledger_and_the_reset_removes_it():
    call_command("seed_demo", households=HOUSEHOLDS, seed=3)
    first = _fingerprint()
    assert Distribution.objects.exists()
    _wipe()
    for model in ORDER:
        assert not model.objects.exists(), model
    call_command("seed_demo", households=HOUSEHOLDS, seed=3)
    assert _fingerprint() == first
