"""Settling an asset's income on its pages: a past year with only depreciation and maintenance
deducted (AST-8, AST-9), a debt-type asset's income pre-filled with its placement's returns,
the correction of a settlement, and the three access answers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from assets.codes import AssetClass, AssetType
from assets.models import AssetIncome
from funds.services import placements as placement_services
from kaiyuan.common.dates import today
from projects.codes import FinanceMode
from tests.assets.factories import distribution, legacy_asset, settled
from tests.funds import factories as funds_factories
from tests.projects.factories import VALID_USCC

pytestmark = pytest.mark.django_db
D = Decimal
LAST_YEAR = today().year - 1


@pytest.fixture
def asset(village_a, clerk_a):
    return legacy_asset(village_a, clerk_a, asset_type=AssetType.FARM_BASE)


def _form(**changes):
    data = {
        "year": str(LAST_YEAR),
        "gross_income": "50000.00",
        "depreciation": "3000.00",
        "maintenance": "2000.00",
        "settled_on": today().isoformat(),
        "note": "承包费",
    }
    data.update(changes)
    return data


class TestAccess:
    def test_the_township_clerk_settles_last_year(self, client, clerk_a, asset):
        url = reverse("assets:income_new", args=[asset.pk])
        client.force_login(clerk_a)
        page = client.get(url)
        assert page.status_code == 200
        assert page.context["form"].initial["year"] == LAST_YEAR
        response = client.post(url, _form())
        income = AssetIncome.objects.get(asset=asset)
        assert response.status_code == 302
        assert response["Location"] == reverse("assets:distribution_new", args=[income.pk])
        assert (income.year, income.net_income) == (LAST_YEAR, D("45000.00"))
        assert income.recorded_by == clerk_a

    def test_a_read_only_role_may_not_settle(self, client, leader, asset):
        client.force_login(leader)
        url = reverse("assets:income_new", args=[asset.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, _form()).status_code == 403
        assert not AssetIncome.objects.exists()

    def test_another_townships_asset_is_not_found(self, client, clerk_b, asset):
        client.force_login(clerk_b)
        url = reverse("assets:income_new", args=[asset.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, _form()).status_code == 404
        assert not AssetIncome.objects.exists()

    def test_the_correction_answers_the_same(self, client, clerk_a, clerk_b, leader, asset):
        income = settled(asset, clerk_a)
        url = reverse("assets:income_edit", args=[income.pk])
        data = {"gross_income": "90000.00", "depreciation": "0", "maintenance": "0"}
        client.force_login(clerk_b)
        assert client.post(url, {**data, "version": income.version}).status_code == 404
        client.force_login(leader)
        assert client.post(url, {**data, "version": income.version}).status_code == 403
        client.force_login(clerk_a)
        assert client.get(url).status_code == 200
        response = client.post(url, {**data, "version": income.version})
        assert response.status_code == 302
        income.refresh_from_db()
        assert income.gross_income == D("90000.00")
        assert income.version == 2


class TestRefusals:
    def test_deductions_beyond_the_income_are_refused_beside_the_field(
        self, client, clerk_a, asset
    ):
        client.force_login(clerk_a)
        response = client.post(
            reverse("assets:income_new", args=[asset.pk]),
            _form(gross_income="1000.00", depreciation="600.00", maintenance="400.01"),
        )
        assert response.status_code == 400
        [error] = response.context["form"].errors["maintenance"]
        assert "1,000.01" in error and "1,000.00" in error
        assert not AssetIncome.objects.exists()

    def test_the_current_year_is_not_settled(self, client, clerk_a, asset):
        client.force_login(clerk_a)
        response = client.post(
            reverse("assets:income_new", args=[asset.pk]), _form(year=str(today().year))
        )
        assert response.status_code == 400
        assert str(today().year) in response.context["form"].errors["year"][0]
        assert not AssetIncome.objects.exists()

    def test_a_year_already_settled_is_refused(self, client, clerk_a, asset):
        settled(asset, clerk_a)
        client.force_login(clerk_a)
        response = client.post(reverse("assets:income_new", args=[asset.pk]), _form())
        assert response.status_code == 400
        assert response.context["form"].errors["year"] == [
            gettext("%(year)s's income of this asset is already settled.") % {"year": LAST_YEAR}
        ]
        assert AssetIncome.objects.count() == 1

    def test_a_publicised_plans_income_is_not_corrected(self, client, clerk_a, asset):
        from assets.services import distributions as services
        from tests.assets.factories import exited

        plan = distribution(asset, clerk_a, income="100.00")
        for head, amount in (("甲", "60"), ("乙", "40")):
            services.line_add(
                distribution=plan,
                use="share",
                household=exited(asset.area, head_name=head),
                amount=amount,
                actor=clerk_a,
            )
        plan.refresh_from_db()
        services.distribution_publicise(
            distribution=plan,
            publicity_from=today() - datetime.timedelta(days=7),
            publicity_to=today(),
            place="村务公开栏",
            expected_version=plan.version,
            actor=clerk_a,
        )
        income = plan.income
        client.force_login(clerk_a)
        response = client.post(
            reverse("assets:income_edit", args=[income.pk]),
            {"gross_income": "200.00", "version": income.version},
        )
        assert response.status_code == 400
        assert response.context["form"].non_field_errors() == [
            gettext("The distribution of this income is publicised; it stays as it was.")
        ]
        income.refresh_from_db()
        assert income.gross_income == D("100.00")


class TestDebtType:
    @pytest.fixture
    def claim(self, village_a, clerk_a):
        project = funds_factories.project(village_a, clerk_a, mode=FinanceMode.DEBT)
        placement = placement_services.placement_create(
            project=project,
            counterparty="开原市稻香农民专业合作社",
            counterparty_uscc=VALID_USCC,
            principal="500000.00",
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2028, 12, 31),
            agreed_rate="6.00",
            collateral="厂房抵押",
            risk_measures="每季度查看经营台账",
            actor=clerk_a,
        )
        for amount in ("20000.00", "9999.99"):
            placement_services.return_record(
                placement=placement,
                year=LAST_YEAR,
                amount=amount,
                received_on=today(),
                actor=clerk_a,
            )
        return legacy_asset(
            village_a,
            clerk_a,
            name="稻香合作社债权",
            asset_class=AssetClass.OPERATING,
            asset_type=AssetType.EQUITY,
            value="500000.00",
            placement=placement,
        )

    def test_the_income_is_prefilled_with_the_years_returns(self, client, clerk_a, claim):
        client.force_login(clerk_a)
        page = client.get(reverse("assets:income_new", args=[claim.pk]))
        form = page.context["form"]
        assert form.initial["gross_income"] == D("29999.99")
        assert "29,999.99" in form.fields["gross_income"].help_text
        # 29,999.99 is a fen short of 6 % of 500,000.00: the shortfall is shown (AST-4).
        assert [rule for rule, _message in page.context["return_flags"]] == ["AST-4"]
        assert 'data-flag="AST-4"' in page.content.decode()

    def test_another_year_is_prefilled_from_its_own_returns(self, client, clerk_a, claim):
        client.force_login(clerk_a)
        page = client.get(
            reverse("assets:income_new", args=[claim.pk]), {"year": str(LAST_YEAR - 1)}
        )
        assert page.context["form"].initial["gross_income"] == D("0.00")
        assert page.context["form"].initial["year"] == LAST_YEAR - 1

    def test_a_self_built_asset_is_not_prefilled(self, client, clerk_a, asset):
        client.force_login(clerk_a)
        form = client.get(reverse("assets:income_new", args=[asset.pk])).context["form"]
        assert "gross_income" not in form.initial
