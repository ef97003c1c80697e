"""The asset ledger's API: assets, settled incomes, distributions and their lines. Each endpoint's
three access answers (the officer of the area, the read-only roles refused on writes, another
township's clerk answered as if the record did not exist), the rules' refusals as 400 with the
rule's code, stale versions as 409, a line's household shown only to who may see it, and lists
at a constant query count."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets.codes import AssetType, FundingSource, LineUse, OwnerKind
from assets.models import Asset, AssetIncome, Distribution, DistributionLine
from assets.services import distributions as distribution_services
from assets.services import reviews as review_services
from kaiyuan.accounts.roles import Role
from kaiyuan.common.dates import today
from monitoring.codes import HouseholdType
from tests.assets.factories import (
    collective,
    distribution,
    exited,
    legacy_asset,
    monitored,
    settled,
)
from tests.factories import UserFactory
from tests.monitoring.factories import make_household

pytestmark = pytest.mark.django_db
D = Decimal
API = "/api/v1/"
LAST_YEAR = today().year - 1


def send(client, user, method, url, data=None):
    client.force_login(user)
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


def post(client, user, url, data=None):
    return send(client, user, "post", url, data)


def patch(client, user, url, data=None):
    return send(client, user, "patch", url, data)


def delete(client, user, url):
    client.force_login(user)
    return client.delete(url)


def get(client, user, url, params=None):
    client.force_login(user)
    return client.get(url, params or {})


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def rules_of(response) -> set[str]:
    return {v["rule"] for v in response.json().get("violations", [])}


@pytest.fixture
def finance(county):
    return UserFactory(username="finance", role=Role.FINANCE, area=county)


@pytest.fixture
def farm(village_a, clerk_a):
    """A self-built farm base of earlier years in township A (no PV split)."""
    return legacy_asset(village_a, clerk_a, asset_type=AssetType.FARM_BASE, value="100000.00")


@pytest.fixture
def station(village_a, clerk_a):
    """A village PV station of earlier years in township A."""
    return legacy_asset(village_a, clerk_a, value="1000000.00")


def yesterday() -> datetime.date:
    return today() - datetime.timedelta(days=1)


# =============================================================================================
# Assets
# =============================================================================================


def asset_body(village, **overrides) -> dict:
    body = {
        "name": "村级温室大棚",
        "asset_class": "经营性",
        "asset_type": AssetType.GREENHOUSE,
        "quantity": "12",
        "unit": "栋",
        "area": village.pk,
        "location": f"{village.name}东侧",
        "original_value": "360000.00",
        "funding": [
            {"source": FundingSource.OTHER, "amount": "300000.00"},
            {"source": FundingSource.SELF_RAISED, "amount": "60000.00"},
        ],
        "owner_kind": OwnerKind.COLLECTIVE,
        "custodian": "李德福",
        "maintenance_funding": "大棚租金",
        "source_note": "2018年财政专项扶贫资金",
        "formed_year": 2018,
        "operator": "开原市稻香农民专业合作社",
        "operating_mode": "租赁",
        "guaranteed_return_percent": "6.50",
    }
    body.update(overrides)
    return body


def test_a_clerk_enters_an_earlier_years_asset_and_the_ledger_shows_it(client, village_a, clerk_a):
    owner = collective(village_a)
    made = post(client, clerk_a, f"{API}assets/", asset_body(village_a))
    assert made.status_code == 201, made.json()
    row = made.json()
    assert row["code"].startswith("ZC2018")
    assert row["original_value"] == "360000.00" and row["quantity"] == "12.00"
    assert row["funding"] == [
        {"source": "other", "amount": "300000.00"},
        {"source": "self_raised", "amount": "60000.00"},
    ]
    assert row["owner_kind"] == "collective" and row["collective"] == owner.pk
    assert row["collective_uscc"].startswith("N2") and row["owner_name"] == owner.name
    assert row["guaranteed_return_percent"] == "6.50" and row["return_basis"] == "self_built"
    assert row["status"] == "in_use" and row["four_batches"] == "" and row["version"] == 1
    assert row["project"] is None and row["township_name"] == village_a.parent.name
    # Not yet confirmed nor on the 三资 platform: the township's list flags it.
    assert [flag["rule"] for flag in row["flags"]] == ["AST-3-MISSING"]
    assert row["reviews"] == []
    listed = get(client, clerk_a, f"{API}assets/", {"missing_registration": "true"})
    assert ids(listed) == [row["id"]]
    assert ids(get(client, clerk_a, f"{API}assets/", {"missing_registration": "false"})) == []


def test_an_asset_whose_fund_sources_do_not_add_up_is_refused_with_the_rule(
    client, village_a, clerk_a
):
    collective(village_a)
    body = asset_body(village_a, original_value="360000.01")
    refused = post(client, clerk_a, f"{API}assets/", body)
    assert refused.status_code == 400
    assert refused.json()["code"] == "ast_value" and rules_of(refused) == {"AST-VALUE"}
    no_source = post(client, clerk_a, f"{API}assets/", asset_body(village_a, source_note=""))
    assert no_source.status_code == 400 and "source_note" in no_source.json()
    twice = asset_body(village_a)
    twice["funding"] = [twice["funding"][0], twice["funding"][0]]
    assert post(client, clerk_a, f"{API}assets/", twice).status_code == 400
    assert not Asset.objects.exists()


def test_a_village_or_an_owner_of_another_township_is_answered_like_a_missing_one(
    client, village_a, village_b, clerk_a, clerk_b
):
    collective(village_a)
    hidden = post(client, clerk_b, f"{API}assets/", asset_body(village_a))
    missing = post(client, clerk_b, f"{API}assets/", asset_body(village_a, area=999999))
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json() and list(hidden.json()) == ["area"]
    household = make_household(village_a)
    other = post(
        client,
        clerk_b,
        f"{API}assets/",
        asset_body(village_b, owner_kind=OwnerKind.HOUSEHOLD, owner_household=household.pk),
    )
    assert other.status_code == 400
    assert other.json() == {"owner_household": missing.json()["area"]}
    assert not Asset.objects.exists()


def test_an_asset_is_changed_with_the_version_loaded_and_what_is_not_sent_stays(
    client, clerk_a, village_a, farm
):
    url = f"{API}assets/{farm.pk}/"
    changed = patch(
        client,
        clerk_a,
        url,
        {"version": 1, "custodian": "王桂芝", "guaranteed_return_percent": "8.00"},
    )
    assert changed.status_code == 200, changed.json()
    row = changed.json()
    assert row["custodian"] == "王桂芝" and row["guaranteed_return_percent"] == "8.00"
    assert row["version"] == 2 and row["owner_kind"] == "collective"
    stale = patch(client, clerk_a, url, {"version": 1, "custodian": "张三"})
    assert stale.status_code == 409 and stale.json()["code"] == "concurrent_update"
    kept = patch(client, clerk_a, url, {"version": 2, "operator": "开原市某农业公司"})
    assert kept.status_code == 200, kept.json()
    assert kept.json()["guaranteed_return_percent"] == "8.00"
    assert kept.json()["custodian"] == "王桂芝"
    no_version = patch(client, clerk_a, url, {"custodian": "张三"})
    assert no_version.status_code == 400 and "version" in no_version.json()
    value_alone = patch(client, clerk_a, url, {"version": 3, "original_value": "1"})
    assert value_alone.status_code == 400 and "funding" in value_alone.json()
    revalued = patch(
        client,
        clerk_a,
        url,
        {
            "version": 3,
            "original_value": "120000.00",
            "funding": [{"source": "other", "amount": "120000.00"}],
        },
    )
    assert revalued.status_code == 200, revalued.json()
    assert revalued.json()["original_value"] == "120000.00"
    department = patch(
        client,
        clerk_a,
        url,
        {"version": 4, "owner_kind": OwnerKind.DEPARTMENT, "owner_department": "开原市农业农村局"},
    )
    assert department.status_code == 200, department.json()
    assert department.json()["owner_name"] == "开原市农业农村局"
    assert department.json()["collective"] is None
    # A later change of something else keeps the department as the owner.
    again = patch(client, clerk_a, url, {"version": 5, "unit": "处"})
    assert again.status_code == 200, again.json()
    assert again.json()["owner_department"] == "开原市农业农村局"


def test_confirmation_sanzi_entry_status_and_review_go_through_their_services(
    client, clerk_a, farm
):
    url = f"{API}assets/{farm.pk}/"
    early = post(
        client,
        clerk_a,
        f"{url}sanzi/",
        {"version": 1, "entered_on": "2026-11-30", "sanzi_id": "SZ-1"},
    )
    assert early.status_code == 400 and early.json()["field"] == "sanzi_id"
    confirmed = post(
        client,
        clerk_a,
        f"{url}confirm/",
        {"version": 1, "confirmed_on": "2026-11-20", "certificate_number": "开确字第018号"},
    )
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["is_confirmed"] and confirmed.json()["version"] == 2
    assert [flag["rule"] for flag in confirmed.json()["flags"]] == ["AST-3-MISSING"]
    stale = post(
        client,
        clerk_a,
        f"{url}sanzi/",
        {"version": 1, "entered_on": "2026-11-30", "sanzi_id": "SZ-211282-0001"},
    )
    assert stale.status_code == 409
    entered = post(
        client,
        clerk_a,
        f"{url}sanzi/",
        {"version": 2, "entered_on": "2026-11-30", "sanzi_id": "SZ-211282-0001"},
    )
    assert entered.status_code == 200, entered.json()
    assert entered.json()["sanzi_id"] == "SZ-211282-0001" and entered.json()["flags"] == []

    no_reason = post(
        client,
        clerk_a,
        f"{url}status/",
        {"version": 3, "status": "idle", "status_on": "2026-12-01"},
    )
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "status_note"
    disposed = post(
        client,
        clerk_a,
        f"{url}status/",
        {"version": 3, "status": "disposed", "status_on": "2026-12-01", "status_note": "拆除"},
    )
    assert disposed.status_code == 400 and disposed.json()["field"] == "status"
    idle = post(
        client,
        clerk_a,
        f"{url}status/",
        {"version": 3, "status": "idle", "status_on": "2026-12-01", "status_note": "承包到期"},
    )
    assert idle.status_code == 200, idle.json()
    assert idle.json()["status"] == "idle" and idle.json()["status_note"] == "承包到期"
    reviewed = post(
        client,
        clerk_a,
        f"{url}review/",
        {"batch": "盘活一批", "reviewed_on": "2026-12-01", "reason": "闲置，拟重新发包"},
    )
    assert reviewed.status_code == 201, reviewed.json()
    row = reviewed.json()
    assert row["four_batches"] == "盘活一批" and row["four_batches_on"] == "2026-12-01"
    assert [r["reason"] for r in row["reviews"]] == ["闲置，拟重新发包"]
    listed = get(client, clerk_a, f"{API}assets/", {"four_batches": "盘活一批", "status": "idle"})
    assert ids(listed) == [farm.pk]


def test_assets_the_three_access_answers(
    client, clerk_a, clerk_b, leader, auditor, finance, village_a, farm
):
    url = f"{API}assets/{farm.pk}/"
    confirm = {"version": 1, "confirmed_on": "2026-11-20", "certificate_number": "开确字第1号"}
    assert get(client, clerk_b, url).status_code == 404
    assert patch(client, clerk_b, url, {"version": 1, "unit": "处"}).status_code == 404
    assert post(client, clerk_b, f"{url}confirm/", confirm).status_code == 404
    assert ids(get(client, clerk_b, f"{API}assets/")) == []
    for read_only in (leader, auditor):
        assert get(client, read_only, url).status_code == 200
        assert patch(client, read_only, url, {"version": 1, "unit": "处"}).status_code == 403
        assert post(client, read_only, f"{url}confirm/", confirm).status_code == 403
        assert post(client, read_only, f"{API}assets/", asset_body(village_a)).status_code == 403
    # Finance reads the ledger; recording assets is not its role.
    assert get(client, finance, url).status_code == 200
    assert post(client, finance, f"{url}confirm/", confirm).status_code == 403
    assert post(client, finance, f"{API}assets/", asset_body(village_a)).status_code == 403
    client.logout()
    assert client.get(f"{API}assets/").status_code in (401, 403)
    assert client.get(url).status_code in (401, 403)
    farm.refresh_from_db()
    assert farm.version == 1 and farm.confirmed_on is None


# =============================================================================================
# Incomes
# =============================================================================================


def settle_body(of, **overrides) -> dict:
    body = {
        "asset": of.pk,
        "year": LAST_YEAR,
        "gross_income": "12000.00",
        "depreciation": "1500.00",
        "maintenance": "500.00",
        "settled_on": yesterday().isoformat(),
        "note": "租金收入",
    }
    body.update(overrides)
    return body


def test_a_past_year_is_settled_and_corrected_with_its_version(client, clerk_a, farm):
    current = post(client, clerk_a, f"{API}asset-incomes/", settle_body(farm, year=today().year))
    assert current.status_code == 400
    assert current.json()["code"] == "ast_8" and rules_of(current) == {"AST-8"}
    over = post(
        client,
        clerk_a,
        f"{API}asset-incomes/",
        settle_body(farm, depreciation="11500.00", maintenance="500.01"),
    )
    assert over.status_code == 400
    assert over.json()["code"] == "ast_9" and rules_of(over) == {"AST-9"}
    assert not AssetIncome.objects.exists()
    made = post(client, clerk_a, f"{API}asset-incomes/", settle_body(farm))
    assert made.status_code == 201, made.json()
    row = made.json()
    assert row["net_income"] == "10000.00" and row["gross_income"] == "12000.00"
    assert row["year"] == LAST_YEAR and row["distribution"] is None and row["version"] == 1
    twice = post(client, clerk_a, f"{API}asset-incomes/", settle_body(farm))
    assert twice.status_code == 400 and twice.json()["field"] == "year"

    url = f"{API}asset-incomes/{row['id']}/"
    stale = patch(client, clerk_a, url, {"version": 7, "maintenance": "1000.00"})
    assert stale.status_code == 409 and stale.json()["code"] == "concurrent_update"
    corrected = patch(client, clerk_a, url, {"version": 1, "maintenance": "1000.00"})
    assert corrected.status_code == 200, corrected.json()
    assert corrected.json()["net_income"] == "9500.00"
    assert corrected.json()["depreciation"] == "1500.00" and corrected.json()["note"] == "租金收入"
    too_much = patch(client, clerk_a, url, {"version": 2, "depreciation": "11000.01"})
    assert too_much.status_code == 400 and too_much.json()["code"] == "ast_9"
    listed = get(client, clerk_a, f"{API}asset-incomes/", {"asset": farm.pk, "year": LAST_YEAR})
    assert ids(listed) == [row["id"]]
    assert ids(get(client, clerk_a, f"{API}asset-incomes/", {"distributed": "true"})) == []


def test_incomes_the_three_access_answers(client, clerk_a, clerk_b, leader, auditor, farm):
    income = settled(farm, clerk_a, income="8000.00")
    url = f"{API}asset-incomes/{income.pk}/"
    assert get(client, clerk_b, url).status_code == 404
    assert patch(client, clerk_b, url, {"version": 1, "note": "x"}).status_code == 404
    assert ids(get(client, clerk_b, f"{API}asset-incomes/")) == []
    hidden = post(client, clerk_b, f"{API}asset-incomes/", settle_body(farm, year=2024))
    missing = post(client, clerk_b, f"{API}asset-incomes/", settle_body(farm, asset=999999))
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json()
    for read_only in (leader, auditor):
        assert get(client, read_only, url).json()["net_income"] == "8000.00"
        assert patch(client, read_only, url, {"version": 1, "note": "x"}).status_code == 403
        refused = post(client, read_only, f"{API}asset-incomes/", settle_body(farm, year=2024))
        assert refused.status_code == 403
    assert AssetIncome.objects.count() == 1


# =============================================================================================
# Distributions and their lines
# =============================================================================================


def line(client, user, plan, **body):
    return post(client, user, f"{API}distribution-lines/", {"distribution": plan.pk, **body})


def publicity(version, *, to=None) -> dict:
    to = to or yesterday()
    return {
        "version": version,
        "publicity_from": (to - datetime.timedelta(days=6)).isoformat(),
        "publicity_to": to.isoformat(),
        "place": "村务公开栏",
    }


def test_a_pv_stations_income_is_distributed_6_3_1_publicised_and_paid(
    client, clerk_a, bureau, village_a, station
):
    income = settled(station, clerk_a, income="100000.05")
    made = post(client, clerk_a, f"{API}distributions/", {"income": income.pk})
    assert made.status_code == 201, made.json()
    plan = made.json()
    assert plan["amount"] == "100000.05" and plan["planned"] == "0.00"
    assert plan["status"] == "draft" and plan["is_pv_station"] is True
    assert [(s["use"], s["share"]) for s in plan["pv_shares"]] == [
        ("pv_jobs", "60000.04"),
        ("pv_works", "30000.01"),
        ("pv_rewards", "10000.00"),
    ]
    again = post(client, clerk_a, f"{API}distributions/", {"income": income.pk})
    assert again.status_code == 400
    distribution_row = Distribution.objects.get()

    holder = exited(village_a, head_name="周玉梅")
    wrong_use = line(
        client, clerk_a, distribution_row, use=LineUse.SHARE, household=holder.pk, amount="10"
    )
    assert wrong_use.status_code == 400
    assert wrong_use.json()["code"] == "ast_pv_1" and rules_of(wrong_use) == {"AST-PV-1"}
    unnamed = line(client, clerk_a, distribution_row, use=LineUse.PV_WORKS, amount="10")
    assert unnamed.status_code == 400 and unnamed.json()["code"] == "ast_pv_1"
    jobs = line(
        client,
        clerk_a,
        distribution_row,
        use=LineUse.PV_JOBS,
        household=holder.pk,
        item="村保洁员",
        amount="60000.04",
    )
    assert jobs.status_code == 201, jobs.json()
    assert jobs.json()["household"]["head_name"] == "周玉梅"
    assert jobs.json()["payee"] == "周玉梅" and jobs.json()["amount"] == "60000.04"
    works = line(
        client,
        clerk_a,
        distribution_row,
        use=LineUse.PV_WORKS,
        item="村内路灯维修",
        amount="30000.01",
    )
    assert works.status_code == 201
    short = line(
        client,
        clerk_a,
        distribution_row,
        use=LineUse.PV_REWARDS,
        item="孝老爱亲奖励",
        amount="9999.99",
    )
    assert short.status_code == 201
    url = f"{API}distributions/{distribution_row.pk}/"
    detail = get(client, clerk_a, url).json()
    assert detail["planned"] == "100000.04" and detail["version"] == 4
    refused = post(client, clerk_a, f"{url}publicise/", publicity(4))
    assert refused.status_code == 400 and refused.json()["code"] == "ast_pv_1"
    # The short line is removed and given again in full.
    assert (
        delete(client, clerk_a, f"{API}distribution-lines/{short.json()['id']}/").status_code == 204
    )
    full = line(
        client,
        clerk_a,
        distribution_row,
        use=LineUse.PV_REWARDS,
        item="孝老爱亲奖励",
        amount="10000.00",
    )
    assert full.status_code == 201
    stale = post(client, clerk_a, f"{url}publicise/", publicity(4))
    assert stale.status_code == 409
    publicised = post(client, clerk_a, f"{url}publicise/", publicity(6, to=today()))
    assert publicised.status_code == 200, publicised.json()
    assert publicised.json()["status"] == "publicised"
    assert publicised.json()["publicity_place"] == "村务公开栏"
    locked = line(client, clerk_a, distribution_row, use=LineUse.PV_WORKS, item="x", amount="1")
    assert locked.status_code == 409 and locked.json()["code"] == "concurrent_update"

    # The bureau draws up and publicises; paying is the township's.
    assert (
        post(
            client,
            bureau,
            f"{url}pay/",
            {"version": 7, "paid_on": today().isoformat(), "payment_reference": "V1"},
        ).status_code
        == 403
    )
    early = post(
        client,
        clerk_a,
        f"{url}pay/",
        {"version": 7, "paid_on": yesterday().isoformat(), "payment_reference": "V1"},
    )
    assert early.status_code == 400 and early.json()["code"] == "ast_pv_2"
    paid = post(
        client,
        clerk_a,
        f"{url}pay/",
        {"version": 7, "paid_on": today().isoformat(), "payment_reference": "农商银行代发 118"},
    )
    assert paid.status_code == 200, paid.json()
    assert paid.json()["status"] == "paid" and paid.json()["paid_on"] == today().isoformat()
    assert ids(get(client, clerk_a, f"{API}distributions/", {"status": "paid"})) == [
        distribution_row.pk
    ]
    assert ids(get(client, clerk_a, f"{API}distributions/", {"pv_station": "false"})) == []


def test_a_households_share_follows_the_rules_of_eligibility_and_the_stacked_line(
    client, clerk_a, village_a, farm
):
    plan = distribution(farm, clerk_a, income="9000.00")
    url = f"{API}distributions/{plan.pk}/"
    ordinary = make_household(village_a, household_type=HouseholdType.ORDINARY)
    refused = line(client, clerk_a, plan, use=LineUse.SHARE, household=ordinary.pk, amount="100")
    assert refused.status_code == 400
    assert refused.json()["code"] == "ast_7" and rules_of(refused) == {"AST-7"}
    above = monitored(village_a, per_capita_income=D("8500.01"), income_year=LAST_YEAR)
    below = exited(village_a, per_capita_income=D("8500.00"), income_year=LAST_YEAR)
    stacked = line(client, clerk_a, plan, use=LineUse.STACKED, household=above.pk, amount="100")
    assert stacked.status_code == 400
    assert stacked.json()["code"] == "ast_stacked" and rules_of(stacked) == {"AST-STACKED"}
    no_household = line(client, clerk_a, plan, use=LineUse.SHARE, amount="100")
    assert no_household.status_code == 400 and no_household.json()["code"] == "ast_7"
    for household in (above, below):
        made = line(client, clerk_a, plan, use=LineUse.SHARE, household=household.pk, amount="3000")
        assert made.status_code == 201, made.json()
    flags = {flag["rule"] for flag in get(client, clerk_a, url).json()["flags"]}
    assert flags == {"AST-6", "AST-STACKED"}
    given = line(client, clerk_a, plan, use=LineUse.STACKED, household=below.pk, amount="1000")
    assert given.status_code == 201, given.json()
    twice = line(client, clerk_a, plan, use=LineUse.SHARE, household=below.pk, amount="1")
    assert twice.status_code == 400 and twice.json()["field"] == "household"
    over = line(
        client, clerk_a, plan, use=LineUse.SHARE, household=exited(village_a).pk, amount="2000.01"
    )
    assert over.status_code == 400 and over.json()["code"] == "ast_plan"
    detail = get(client, clerk_a, url).json()
    assert detail["planned"] == "7000.00" and detail["pv_shares"] is None
    assert {flag["rule"] for flag in detail["flags"]} == {"AST-6"}
    assert sorted((u["use"], u["amount"]) for u in detail["by_use"]) == [
        ("share", "6000.00"),
        ("stacked", "1000.00"),
    ]
    # The amount is changed while drawn up, never below the lines, never above the income.
    low = patch(client, clerk_a, url, {"version": detail["version"], "amount": "6999.99"})
    assert low.status_code == 400 and low.json()["field"] == "amount"
    high = patch(client, clerk_a, url, {"version": detail["version"], "amount": "9000.01"})
    assert high.status_code == 400 and high.json()["code"] == "ast_plan"
    fits = patch(client, clerk_a, url, {"version": detail["version"], "amount": "7000.00"})
    assert fits.status_code == 200 and fits.json()["amount"] == "7000.00"
    publicised = post(client, clerk_a, f"{url}publicise/", publicity(fits.json()["version"]))
    assert publicised.status_code == 200, publicised.json()
    no_reason = post(
        client, clerk_a, f"{url}revise/", {"version": publicised.json()["version"], "reason": " "}
    )
    assert no_reason.status_code == 400
    revised = post(
        client,
        clerk_a,
        f"{url}revise/",
        {"version": publicised.json()["version"], "reason": "群众异议成立"},
    )
    assert revised.status_code == 200 and revised.json()["status"] == "draft"


def test_a_township_clerk_cannot_pick_a_household_of_another_township(
    client, clerk_a, bureau, village_b, farm
):
    plan = distribution(farm, clerk_a, income="9000.00")
    there = monitored(village_b, head_name="赵春生")
    hidden = line(client, clerk_a, plan, use=LineUse.SHARE, household=there.pk, amount="100")
    missing = line(client, clerk_a, plan, use=LineUse.SHARE, household=999999, amount="100")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json() and list(hidden.json()) == ["household"]
    # The bureau picks across the county (AST-7).
    made = line(client, bureau, plan, use=LineUse.SHARE, household=there.pk, amount="100")
    assert made.status_code == 201, made.json()
    assert DistributionLine.objects.count() == 1


def test_a_lines_household_is_shown_only_to_who_may_see_the_household(
    client, clerk_a, clerk_b, bureau, leader, village_a, village_b, farm
):
    """AST-7: township A's asset pays a household of township B. Township B sees that line
    (its household's receipt) with the household; township A sees the line, its amount and use,
    but neither the household nor its head's name."""
    plan = distribution(farm, clerk_a, income="9000.00")
    here = monitored(village_a, head_name="刘桂兰")
    there = monitored(village_b, head_name="赵春生")
    own = distribution_services.line_add(
        distribution=plan, use=LineUse.SHARE, household=here, amount="5000", actor=clerk_a
    )
    theirs = distribution_services.line_add(
        distribution=plan, use=LineUse.SHARE, household=there, amount="4000", actor=bureau
    )
    from_a = {
        row["id"]: row
        for row in get(client, clerk_a, f"{API}distribution-lines/").json()["results"]
    }
    assert set(from_a) == {own.pk, theirs.pk}
    assert from_a[own.pk]["household"] == {
        "id": here.pk,
        "head_name": "刘桂兰",
        "village_name": village_a.name,
    }
    assert from_a[theirs.pk]["household"] is None and from_a[theirs.pk]["payee"] is None
    assert from_a[theirs.pk]["amount"] == "4000.00" and from_a[theirs.pk]["use"] == "share"
    hidden = get(client, clerk_a, f"{API}distribution-lines/{theirs.pk}/")
    assert hidden.status_code == 200 and "赵春生" not in hidden.content.decode()
    # Filtering by a household one may not see finds nothing.
    assert ids(get(client, clerk_a, f"{API}distribution-lines/", {"household": there.pk})) == []

    from_b = get(client, clerk_b, f"{API}distribution-lines/").json()["results"]
    assert [row["id"] for row in from_b] == [theirs.pk]
    assert from_b[0]["household"]["head_name"] == "赵春生" and from_b[0]["payee"] == "赵春生"
    assert from_b[0]["asset_code"] == farm.code
    assert get(client, clerk_b, f"{API}distribution-lines/{own.pk}/").status_code == 404
    assert get(client, clerk_b, f"{API}distributions/{plan.pk}/").status_code == 404
    # Seeing its household's line does not let township B change township A's plan.
    removed = delete(client, clerk_b, f"{API}distribution-lines/{theirs.pk}/")
    assert removed.status_code == 400 and removed.json()["code"] == "out_of_area"
    assert DistributionLine.objects.count() == 2
    # The county sees every household.
    county_rows = get(client, leader, f"{API}distribution-lines/", {"distribution": plan.pk})
    assert all(row["household"] for row in county_rows.json()["results"])


def test_distributions_and_lines_the_three_access_answers(
    client, clerk_a, clerk_b, leader, auditor, village_a, farm
):
    plan = distribution(farm, clerk_a, income="9000.00")
    share = distribution_services.line_add(
        distribution=plan,
        use=LineUse.SHARE,
        household=exited(village_a),
        amount="9000",
        actor=clerk_a,
    )
    url = f"{API}distributions/{plan.pk}/"
    line_url = f"{API}distribution-lines/{share.pk}/"
    assert get(client, clerk_b, url).status_code == 404
    assert post(client, clerk_b, f"{url}publicise/", publicity(2)).status_code == 404
    assert patch(client, clerk_b, url, {"version": 2, "amount": "1"}).status_code == 404
    assert get(client, clerk_b, line_url).status_code == 404
    assert delete(client, clerk_b, line_url).status_code == 404
    assert ids(get(client, clerk_b, f"{API}distributions/")) == []
    assert ids(get(client, clerk_b, f"{API}distribution-lines/")) == []
    hidden = post(client, clerk_b, f"{API}distributions/", {"income": plan.income_id})
    missing = post(client, clerk_b, f"{API}distributions/", {"income": 999999})
    assert hidden.status_code == missing.status_code == 400 and hidden.json() == missing.json()
    refused = line(client, clerk_b, plan, use=LineUse.SHARE, household=None, amount="1")
    assert refused.status_code == 400 and list(refused.json()) == ["distribution"]
    for read_only in (leader, auditor):
        assert get(client, read_only, url).status_code == 200
        assert get(client, read_only, line_url).status_code == 200
        assert post(client, read_only, f"{url}publicise/", publicity(2)).status_code == 403
        assert post(client, read_only, f"{url}pay/", {"version": 2}).status_code == 403
        assert delete(client, read_only, line_url).status_code == 403
        assert line(client, read_only, plan, use=LineUse.SHARE, amount="1").status_code == 403
        income = settled(farm, clerk_a, year=2024) if read_only == leader else plan.income
        assert (
            post(client, read_only, f"{API}distributions/", {"income": income.pk}).status_code
            == 403
        )
    client.logout()
    assert client.get(f"{API}distributions/").status_code in (401, 403)
    assert client.get(f"{API}distribution-lines/").status_code in (401, 403)
    plan.refresh_from_db()
    assert plan.status == "draft" and DistributionLine.objects.count() == 1


# =============================================================================================
# Lists at a constant query count
# =============================================================================================


def _count(client, user, url) -> int:
    client.force_login(user)
    client.get(url)  # the session and the caches warmed up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_rows(clerk_a, bureau, village_a, village_b, n: int) -> None:
    for _i in range(n):
        asset = legacy_asset(village_a, clerk_a, asset_type=AssetType.FARM_BASE, value="10000.00")
        review_services.asset_review(
            asset=asset, batch="巩固一批", reviewed_on=today(), reason="运营良好", actor=clerk_a
        )
        plan = distribution(asset, clerk_a, income="1000.00")
        for household, amount in ((exited(village_a), "600"), (monitored(village_b), "400")):
            distribution_services.line_add(
                distribution=plan,
                use=LineUse.SHARE,
                household=household,
                amount=amount,
                actor=bureau,
            )


@pytest.mark.parametrize(
    "endpoint", ["assets", "asset-incomes", "distributions", "distribution-lines"]
)
def test_the_lists_run_a_constant_number_of_queries(
    client, clerk_a, bureau, village_a, village_b, endpoint
):
    _add_rows(clerk_a, bureau, village_a, village_b, 1)
    url = f"{API}{endpoint}/"
    few = _count(client, clerk_a, url)
    _add_rows(clerk_a, bureau, village_a, village_b, 3)
    assert len(get(client, clerk_a, url).json()["results"]) > 1
    assert _count(client, clerk_a, url) == few
