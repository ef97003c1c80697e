"""The ledger's pages: the entry page, the filtered list, an asset's page with its fund sources,
returns, income and disposals, an asset of earlier years, an asset's edit (a stale one refused),
its 确权, 三资 entry, status and 四个一批 review, the 盘活 list and the collectives; each with the
three access answers (the township's clerk, read-only roles, another township's clerk)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assets.codes import AssetClass, AssetStatus, AssetType, FundingSource, OwnerKind
from assets.models import Asset, Collective
from assets.services import assets as services
from kaiyuan.common.dates import today
from projects.codes import FourBatches
from tests.assets.factories import collective_uscc, handed_over_asset, legacy_asset, settled

pytestmark = pytest.mark.django_db
D = Decimal
LIST = reverse("assets:asset_list")
INDEX = reverse("assets:index")


def _rows(response) -> int:
    return response.content.decode().count('data-testid="asset-row"')


@pytest.fixture
def asset(village_a, clerk_a):
    return legacy_asset(village_a, clerk_a)


def _legacy_form(village, **changes):
    data = {
        "name": "蔬菜温室大棚",
        "asset_class": AssetClass.OPERATING,
        "asset_type": AssetType.GREENHOUSE,
        "area": village.pk,
        "formed_year": "2018",
        "source_note": "2018年财政专项扶贫资金",
        "quantity": "12",
        "unit": "栋",
        "location": "村北",
        "original_value": "360000.00",
        "funding_other": "300000.00",
        "funding_self_raised": "60000.00",
        "owner_kind": OwnerKind.COLLECTIVE,
        "custodian": "王守田",
        "maintenance_funding": "承包费",
    }
    data.update(changes)
    return data


def _edit_form(asset, **changes):
    data = {
        "version": asset.version,
        "name": asset.name,
        "asset_type": asset.asset_type,
        "quantity": str(asset.quantity),
        "unit": asset.unit,
        "location": asset.location,
        "owner_kind": asset.owner_kind,
        "custodian": asset.custodian,
        "maintenance_funding": asset.maintenance_funding,
        "source_note": asset.source_note,
        "original_value": str(asset.original_value),
        **{f"funding_{row.source}": str(row.amount) for row in asset.funding.all()},
    }
    data.update(changes)
    return data


class TestIndex:
    def test_the_clerk_sees_the_counts_of_the_township(self, client, clerk_a, asset, village_a):
        legacy_asset(village_a, clerk_a, asset_class=AssetClass.PUBLIC, asset_type=AssetType.ROAD)
        client.force_login(clerk_a)
        html = client.get(INDEX).content.decode()
        assert 'data-testid="count-total">2<' in html
        assert f'data-class="{AssetClass.OPERATING}">1<' in html
        assert f'data-class="{AssetClass.PUBLIC}">1<' in html
        assert 'data-testid="count-pv">1<' in html
        assert 'data-testid="count-missing">2<' in html
        assert reverse("assets:asset_new") in html

    def test_the_distributions_and_the_exports_are_linked(self, client, bureau, leader):
        client.force_login(bureau)
        html = client.get(INDEX).content.decode()
        assert reverse("assets:export_index") in html
        assert reverse("assets:distribution_list") in html

    def test_read_only_roles_read_it_without_the_entry_button(self, client, leader, asset):
        client.force_login(leader)
        html = client.get(INDEX).content.decode()
        assert 'data-testid="count-total">1<' in html
        assert reverse("assets:asset_new") not in html

    def test_another_township_counts_none_of_them(self, client, clerk_b, asset):
        client.force_login(clerk_b)
        assert 'data-testid="count-total">0<' in client.get(INDEX).content.decode()

    def test_a_grid_worker_does_not_open_the_ledger(self, client, grid_worker_a):
        client.force_login(grid_worker_a)
        assert client.get(INDEX).status_code == 403


class TestList:
    def test_the_clerk_sees_the_townships_assets_and_the_other_none(
        self, client, clerk_a, clerk_b, asset
    ):
        client.force_login(clerk_a)
        response = client.get(LIST)
        assert _rows(response) == 1
        assert f'data-code="{asset.code}"' in response.content.decode()
        assert 'data-flag="AST-3-MISSING"' in response.content.decode()
        client.force_login(clerk_b)
        assert _rows(client.get(LIST)) == 0

    def test_the_filters(self, client, bureau, clerk_a, asset, village_a, village_b, clerk_b):
        road = legacy_asset(
            village_a,
            clerk_a,
            name="村内水泥路",
            asset_class=AssetClass.PUBLIC,
            asset_type="村内道路",
        )
        other = legacy_asset(village_b, clerk_b, name="威远光伏电站")
        client.force_login(bureau)
        assert _rows(client.get(LIST)) == 3
        assert _rows(client.get(LIST, {"asset_class": AssetClass.PUBLIC})) == 1
        assert _rows(client.get(LIST, {"asset_type": AssetType.PV_STATION})) == 2
        assert _rows(client.get(LIST, {"q": "水泥"})) == 1
        assert _rows(client.get(LIST, {"q": road.code.lower()})) == 1
        picked = client.get(LIST, {"township": village_b.parent_id}).content.decode()
        assert f'data-code="{other.code}"' in picked and f'data-code="{asset.code}"' not in picked
        assert _rows(client.get(LIST, {"village": village_a.pk, "township": village_a.parent_id}))
        assert _rows(client.get(LIST, {"status": AssetStatus.IDLE})) == 0
        assert _rows(client.get(LIST, {"owner_kind": OwnerKind.HOUSEHOLD})) == 0
        # A value that does not check is left out, as a page follows an old link.
        assert _rows(client.get(LIST, {"status": "nonsense"})) == 3

    def test_its_query_count_does_not_grow_with_the_rows(
        self, client, clerk_a, village_a, django_assert_num_queries
    ):
        legacy_asset(village_a, clerk_a)
        client.force_login(clerk_a)
        client.get(LIST)
        with CaptureQueriesContext(connection) as one:
            client.get(LIST)
        for _index in range(19):
            legacy_asset(village_a, clerk_a)
        with django_assert_num_queries(len(one.captured_queries)):
            response = client.get(LIST)
        assert _rows(response) == 20

    def test_read_only_roles_read_it(self, client, leader, auditor, asset):
        for user in (leader, auditor):
            client.force_login(user)
            assert _rows(client.get(LIST)) == 1


class TestDetail:
    def test_the_page_shows_the_fund_sources_beside_what_the_project_paid(
        self, client, clerk_a, village_a
    ):
        asset = handed_over_asset(village_a, clerk_a, value="800000.00")
        client.force_login(clerk_a)
        html = client.get(asset.get_absolute_url()).content.decode()
        funding = html.split('data-testid="asset-funding"')[1].split("</table>")[0]
        central = funding.split(f'data-source="{FundingSource.CENTRAL}"')[1].split("</tr>")[0]
        assert "800,000.00" in central  # the asset's and what the project paid from the level
        assert asset.project.code in html
        for name in ("asset_edit", "asset_confirm", "asset_sanzi", "asset_status", "asset_review"):
            assert reverse(f"assets:{name}", args=[asset.pk]) in html
        assert reverse("assets:disposal_new", args=[asset.pk]) in html
        assert 'data-flag="AST-3-MISSING"' in html
        assert reverse("assets:income_new", args=[asset.pk]) in html

    def test_a_self_built_assets_year_is_measured_against_the_minimum_return(
        self, client, clerk_a, village_a
    ):
        greenhouse = legacy_asset(
            village_a, clerk_a, asset_type=AssetType.GREENHOUSE, value="100000.00"
        )
        settled(greenhouse, clerk_a, income="20000.00")
        client.force_login(clerk_a)
        html = client.get(greenhouse.get_absolute_url()).content.decode()
        year = today().year - 1
        row = html.split('data-testid="asset-returns"')[1].split(f'data-year="{year}"')[1]
        row = row.split("</tr>")[0]
        assert "6,000.00" in row  # 6 per cent of the value, and nothing paid yet
        assert 'data-flag="AST-5"' in row
        assert f'data-testid="income-row" data-year="{year}"' in html

    def test_the_income_pages_and_the_chain_are_linked(self, client, clerk_a, leader, village_a):
        greenhouse = legacy_asset(village_a, clerk_a, asset_type=AssetType.GREENHOUSE)
        income = settled(greenhouse, clerk_a)
        client.force_login(clerk_a)
        html = client.get(greenhouse.get_absolute_url()).content.decode()
        assert reverse("assets:income_new", args=[greenhouse.pk]) in html
        assert reverse("assets:income_edit", args=[income.pk]) in html
        assert reverse("assets:distribution_new", args=[income.pk]) in html
        assert reverse("assets:asset_chain_export", args=[greenhouse.pk]) in html
        assert reverse("assets:distribution_list") in client.get(INDEX).content.decode()
        client.force_login(leader)
        html = client.get(greenhouse.get_absolute_url()).content.decode()
        assert reverse("assets:income_new", args=[greenhouse.pk]) not in html
        assert reverse("assets:distribution_new", args=[income.pk]) not in html
        assert reverse("assets:asset_chain_export", args=[greenhouse.pk]) in html

    def test_a_leader_reads_it_without_the_buttons(self, client, leader, asset):
        client.force_login(leader)
        html = client.get(asset.get_absolute_url()).content.decode()
        assert asset.code in html
        assert reverse("assets:asset_edit", args=[asset.pk]) not in html
        assert reverse("assets:disposal_new", args=[asset.pk]) not in html

    def test_the_bureau_records_but_does_not_propose_a_disposal(self, client, bureau, asset):
        client.force_login(bureau)
        html = client.get(asset.get_absolute_url()).content.decode()
        assert reverse("assets:asset_edit", args=[asset.pk]) in html
        assert reverse("assets:disposal_new", args=[asset.pk]) not in html

    def test_another_townships_clerk_gets_404(self, client, clerk_b, asset):
        client.force_login(clerk_b)
        assert client.get(asset.get_absolute_url()).status_code == 404


class TestNew:
    URL = reverse("assets:asset_new")

    def test_the_clerk_enters_an_asset_of_earlier_years(self, client, clerk_a, village_a):
        Collective.objects.create(
            village=village_a, name="烟厂村股份经济合作社", uscc=collective_uscc(village_a)
        )
        client.force_login(clerk_a)
        assert client.get(self.URL).status_code == 200
        response = client.post(self.URL, _legacy_form(village_a))
        asset = Asset.objects.get()
        assert response.status_code == 302 and response["Location"] == asset.get_absolute_url()
        assert (asset.formed_year, asset.original_value) == (2018, D("360000.00"))
        assert {row.source: row.amount for row in asset.funding.all()} == {
            FundingSource.OTHER: D("300000.00"),
            FundingSource.SELF_RAISED: D("60000.00"),
        }

    def test_sources_that_do_not_add_up_are_refused_beside_the_value(
        self, client, clerk_a, village_a
    ):
        Collective.objects.create(
            village=village_a, name="烟厂村股份经济合作社", uscc=collective_uscc(village_a)
        )
        client.force_login(clerk_a)
        response = client.post(self.URL, _legacy_form(village_a, funding_self_raised=""))
        assert response.status_code == 200
        assert not Asset.objects.exists()
        form = response.context["form"]
        assert form.errors["original_value"]

    def test_a_village_of_another_township_is_not_offered(self, client, clerk_a, village_b):
        client.force_login(clerk_a)
        response = client.post(self.URL, _legacy_form(village_b))
        assert "area" in response.context["form"].errors
        assert not Asset.objects.exists()

    def test_read_only_roles_get_403(self, client, leader, auditor, finance_user, village_a):
        for user in (leader, auditor, finance_user):
            client.force_login(user)
            assert client.get(self.URL).status_code == 403
            assert client.post(self.URL, _legacy_form(village_a)).status_code == 403


@pytest.fixture
def finance_user(county):
    from kaiyuan.accounts.roles import Role
    from tests.factories import UserFactory

    return UserFactory(username="finance_pages", role=Role.FINANCE, area=county)


class TestEdit:
    def url(self, asset):
        return reverse("assets:asset_edit", args=[asset.pk])

    def test_the_clerk_changes_the_custodian(self, client, clerk_a, asset):
        client.force_login(clerk_a)
        assert client.get(self.url(asset)).status_code == 200
        response = client.post(self.url(asset), _edit_form(asset, custodian="赵立新"))
        assert response.status_code == 302
        asset.refresh_from_db()
        assert asset.custodian == "赵立新" and asset.version == 2

    def test_a_stale_edit_is_refused_without_overwriting(self, client, clerk_a, reviewer_a, asset):
        client.force_login(clerk_a)
        stale = _edit_form(asset, custodian="赵立新")
        services.asset_update(
            asset=asset,
            values={"custodian": "钱二", "owner_kind": OwnerKind.COLLECTIVE},
            funding=None,
            expected_version=asset.version,
            actor=reviewer_a,
        )
        response = client.post(self.url(asset), stale)
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        asset.refresh_from_db()
        assert asset.custodian == "钱二"

    def test_the_value_and_its_sources_change_together(self, client, clerk_a, asset):
        client.force_login(clerk_a)
        data = _edit_form(asset, original_value="520000.00", funding_self_raised="20000.00")
        assert client.post(self.url(asset), data).status_code == 302
        asset.refresh_from_db()
        assert asset.original_value == D("520000.00")
        assert asset.funding.count() == 2

    def test_read_only_roles_get_403(self, client, leader, auditor, asset):
        for user in (leader, auditor):
            client.force_login(user)
            assert client.get(self.url(asset)).status_code == 403
            assert client.post(self.url(asset), _edit_form(asset)).status_code == 403

    def test_another_townships_clerk_gets_404(self, client, clerk_b, asset):
        client.force_login(clerk_b)
        assert client.get(self.url(asset)).status_code == 404
        assert client.post(self.url(asset), _edit_form(asset)).status_code == 404


def _step_data(asset):
    day = today().isoformat()
    return {
        "asset_confirm": {
            "version": asset.version,
            "confirmed_on": day,
            "certificate_number": "开确字〔2026〕8号",
        },
        "asset_status": {
            "version": asset.version,
            "status": AssetStatus.IDLE,
            "on": day,
            "note": "承包户退租",
        },
        "asset_review": {"batch": FourBatches.REVIVE, "reviewed_on": day, "reason": "闲置待盘活"},
    }


class TestAssetSteps:
    @pytest.mark.parametrize("name", ["asset_confirm", "asset_status", "asset_review"])
    def test_the_clerk_records_the_step(self, client, clerk_a, asset, name):
        url = reverse(f"assets:{name}", args=[asset.pk])
        client.force_login(clerk_a)
        assert client.get(url).status_code == 200
        response = client.post(url, _step_data(asset)[name])
        assert response.status_code == 302, response.context["form"].errors
        asset.refresh_from_db()
        assert asset.version == 2

    def test_the_sanzi_entry_follows_the_confirmation(self, client, clerk_a, asset):
        url = reverse("assets:asset_sanzi", args=[asset.pk])
        data = {"version": asset.version, "entered_on": today(), "sanzi_id": "SZ-211282-0009"}
        client.force_login(clerk_a)
        refused = client.post(url, data)
        assert refused.status_code == 200 and refused.context["form"].errors["sanzi_id"]
        client.post(
            reverse("assets:asset_confirm", args=[asset.pk]), _step_data(asset)["asset_confirm"]
        )
        asset.refresh_from_db()
        data["version"] = asset.version
        assert client.post(url, data).status_code == 302
        asset.refresh_from_db()
        assert asset.sanzi_id == "SZ-211282-0009"

    def test_a_public_asset_gets_no_review(self, client, clerk_a, village_a):
        road = legacy_asset(
            village_a, clerk_a, asset_class=AssetClass.PUBLIC, asset_type="村内道路"
        )
        client.force_login(clerk_a)
        assert (
            reverse("assets:asset_review", args=[road.pk])
            not in client.get(road.get_absolute_url()).content.decode()
        )
        response = client.post(
            reverse("assets:asset_review", args=[road.pk]), _step_data(road)["asset_review"]
        )
        assert response.status_code == 200 and response.context["form"].errors

    @pytest.mark.parametrize(
        "name", ["asset_confirm", "asset_sanzi", "asset_status", "asset_review"]
    )
    def test_read_only_roles_get_403_and_another_township_404(
        self, client, leader, clerk_b, asset, name
    ):
        url = reverse(f"assets:{name}", args=[asset.pk])
        data = _step_data(asset).get(name, {})
        client.force_login(leader)
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
        client.force_login(clerk_b)
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
        asset.refresh_from_db()
        assert asset.version == 1


class TestRevive:
    URL = reverse("assets:revive")

    def test_idle_and_low_return_assets_are_listed(self, client, clerk_a, village_a):
        idle = legacy_asset(village_a, clerk_a, asset_type=AssetType.WORKSHOP)
        services.asset_set_status(
            asset=idle,
            status=AssetStatus.IDLE,
            on=today(),
            note="停产",
            expected_version=idle.version,
            actor=clerk_a,
        )
        low = legacy_asset(village_a, clerk_a, asset_type=AssetType.GREENHOUSE, value="100000.00")
        settled(low, clerk_a, income="20000.00")
        client.force_login(clerk_a)
        html = client.get(self.URL).content.decode()
        idle_rows = html.split('data-testid="revive-idle"')[1].split("</table>")[0]
        low_rows = html.split('data-testid="revive-low"')[1].split("</table>")[0]
        assert f'data-code="{idle.code}"' in idle_rows
        assert f'data-code="{low.code}"' in low_rows and "6,000.00" in low_rows

    def test_read_only_roles_read_it_and_another_township_sees_none(
        self, client, leader, clerk_b, village_a, clerk_a
    ):
        asset = legacy_asset(village_a, clerk_a, asset_type=AssetType.GREENHOUSE)
        services.asset_set_status(
            asset=asset,
            status=AssetStatus.DAMAGED,
            on=today(),
            note="风灾",
            expected_version=asset.version,
            actor=clerk_a,
        )
        client.force_login(leader)
        assert asset.code in client.get(self.URL).content.decode()
        client.force_login(clerk_b)
        assert asset.code not in client.get(self.URL).content.decode()


class TestCollectives:
    LIST = reverse("assets:collective_list")
    NEW = reverse("assets:collective_new")

    def test_the_clerk_registers_a_villages_organisation(self, client, clerk_a, village_a):
        client.force_login(clerk_a)
        html = client.get(self.LIST).content.decode()
        assert f"{self.NEW}?village={village_a.pk}" in html
        assert client.get(self.NEW, {"village": village_a.pk}).status_code == 200
        code = collective_uscc(village_a)
        data = {"village": village_a.pk, "name": "烟厂村股份经济合作社", "uscc": code}
        assert client.post(self.NEW, data).status_code == 302
        assert Collective.objects.get().uscc == code
        assert 'data-testid="collective-row"' in client.get(self.LIST).content.decode()

    def test_a_code_not_starting_n2_is_refused(self, client, clerk_a, village_a):
        client.force_login(clerk_a)
        data = {"village": village_a.pk, "name": "某合作社", "uscc": "93211282MA0QTGHB3L"}
        response = client.post(self.NEW, data)
        assert response.status_code == 200 and response.context["form"].errors["uscc"]
        assert not Collective.objects.exists()

    def test_only_the_users_villages_are_offered(
        self, client, clerk_a, clerk_b, village_a, village_b
    ):
        client.force_login(clerk_b)
        data = {
            "village": village_a.pk,
            "name": "烟厂村股份经济合作社",
            "uscc": collective_uscc(village_a),
        }
        response = client.post(self.NEW, data)
        assert "village" in response.context["form"].errors
        assert not Collective.objects.exists()
        Collective.objects.create(
            village=village_a, name="烟厂村股份经济合作社", uscc=collective_uscc(village_a)
        )
        assert 'data-testid="collective-row"' not in client.get(self.LIST).content.decode()

    def test_read_only_roles_get_403(self, client, leader, village_a):
        client.force_login(leader)
        assert client.get(self.LIST).status_code == 200
        assert client.get(self.NEW).status_code == 403
        data = {"village": village_a.pk, "name": "x", "uscc": collective_uscc(village_a)}
        assert client.post(self.NEW, data).status_code == 403


@pytest.mark.sqlite
def test_the_ledger_pages_answer_on_any_database(client, clerk_a, village_a):
    asset = legacy_asset(village_a, clerk_a, asset_type=AssetType.GREENHOUSE, value="100000.00")
    settled(asset, clerk_a)
    client.force_login(clerk_a)
    for url in (
        INDEX,
        LIST,
        asset.get_absolute_url(),
        reverse("assets:asset_new"),
        reverse("assets:asset_edit", args=[asset.pk]),
        reverse("assets:asset_status", args=[asset.pk]),
        reverse("assets:revive"),
        reverse("assets:collective_list"),
        reverse("assets:collective_new"),
    ):
        assert client.get(url).status_code == 200, url
