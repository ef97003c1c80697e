"""A settled income's distribution on its pages: the plan drawn up, its lines with the
household picker, a PV station's 6:3:1 shares, the flags, the publicity, its reopening and the
payment; the list; the three access answers; a distribution across townships; bad input shown
beside its field with nothing written."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from assets.codes import AssetType, LineUse
from assets.models import Distribution, DistributionLine
from assets.services import distributions as services
from kaiyuan.common.dates import today
from tests.assets.factories import distribution, exited, legacy_asset, monitored, settled
from tests.monitoring.factories import next_id_number

pytestmark = pytest.mark.django_db
D = Decimal
LAST_YEAR = today().year - 1
S = Distribution.Status


def _farm(village, clerk, **fields):
    fields.setdefault("asset_type", AssetType.FARM_BASE)
    fields.setdefault("name", "食用菌种植基地")
    return legacy_asset(village, clerk, **fields)


def _station(village, clerk):
    return legacy_asset(village, clerk)  # a PV station of 2019 (the factories' default type)


def _detail(plan):
    return reverse("assets:distribution_detail", args=[plan.pk])


def _line(client, plan, **fields):
    plan.refresh_from_db()
    data = {"line-version": plan.version, **{f"line-{k}": v for k, v in fields.items()}}
    return client.post(reverse("assets:line_add", args=[plan.pk]), data)


def _share(plan, clerk, household, amount, use=LineUse.SHARE):
    return services.line_add(
        distribution=plan, use=use, household=household, amount=amount, actor=clerk
    )


def _publicise(plan, clerk, *, to=None):
    plan.refresh_from_db()
    to = to or today()
    return services.distribution_publicise(
        distribution=plan,
        publicity_from=to - datetime.timedelta(days=7),
        publicity_to=to,
        place="村务公开栏",
        expected_version=plan.version,
        actor=clerk,
    )


@pytest.fixture
def farm(village_a, clerk_a):
    return _farm(village_a, clerk_a)


@pytest.fixture
def plan(farm, clerk_a):
    return distribution(farm, clerk_a, income="10000.00", depreciation="1000.00")


# =============================================================================================
# Access
# =============================================================================================


class TestAccess:
    def test_the_clerk_draws_up_the_plan_of_the_net_income(self, client, clerk_a, farm):
        income = settled(farm, clerk_a, income="10000.00", depreciation="1000.00")
        url = reverse("assets:distribution_new", args=[income.pk])
        client.force_login(clerk_a)
        page = client.get(url)
        assert page.status_code == 200
        assert page.context["form"].initial["amount"] == D("9000.00")
        response = client.post(url, {"amount": "9000.00"})
        plan = Distribution.objects.get()
        assert response["Location"] == _detail(plan)
        assert (plan.amount, plan.status, plan.created_by) == (D("9000.00"), S.DRAFT, clerk_a)
        # Once drawn up, the address leads to the plan.
        assert client.get(url)["Location"] == _detail(plan)

    def test_a_read_only_role_sees_the_plan_and_may_take_no_step(
        self, client, leader, plan, clerk_a
    ):
        client.force_login(leader)
        page = client.get(_detail(plan))
        assert page.status_code == 200
        for form in ("line_form", "amount_form", "publicity_form", "pay_form", "revise_form"):
            assert form not in page.context
        html = page.content.decode()
        assert 'data-testid="line-form"' not in html
        assert 'data-testid="line-remove"' not in html
        line = _share(plan, clerk_a, exited(plan.asset.area), "100")
        version = {"version": plan.version}
        for name, data in (
            ("distribution_amount", {"total-amount": "10"}),
            ("line_add", {"line-use": "share", "line-amount": "10"}),
            ("distribution_publicise", {}),
            ("distribution_revise", {"revise-reason": "x"}),
            ("distribution_pay", {}),
        ):
            response = client.post(reverse(f"assets:{name}", args=[plan.pk]), data)
            assert response.status_code == 403, name
        assert (
            client.post(reverse("assets:line_remove", args=[line.pk]), version).status_code == 403
        )
        income = plan.income
        assert client.get(reverse("assets:distribution_new", args=[income.pk])).status_code == 403
        assert DistributionLine.objects.count() == 1

    def test_another_township_gets_not_found_everywhere(self, client, clerk_b, plan, clerk_a):
        line = _share(plan, clerk_a, exited(plan.asset.area), "100")
        client.force_login(clerk_b)
        assert client.get(_detail(plan)).status_code == 404
        assert (
            client.get(reverse("assets:distribution_new", args=[plan.income_id])).status_code == 404
        )
        for name in (
            "distribution_amount",
            "line_add",
            "distribution_publicise",
            "distribution_revise",
            "distribution_pay",
        ):
            assert client.post(reverse(f"assets:{name}", args=[plan.pk]), {}).status_code == 404
        assert client.post(reverse("assets:line_remove", args=[line.pk]), {}).status_code == 404
        assert client.post(reverse("assets:line_remove", args=[999999]), {}).status_code == 404
        assert DistributionLine.objects.count() == 1

    @pytest.mark.parametrize(
        ("role", "expected"),
        [
            ("township_clerk", {"assets.to_publicise", "assets.to_pay"}),
            ("bureau", {"assets.to_publicise"}),
            ("leader", set()),
            ("finance", set()),
        ],
    )
    def test_the_inbox_sources_go_to_the_roles_that_take_the_step(
        self, role, expected, county, township_a
    ):
        from kaiyuan.inbox.registry import sources_for
        from tests.factories import UserFactory

        user = UserFactory(role=role, area=township_a if role == "township_clerk" else county)
        keys = {s.key for s in sources_for(user)}
        assert {key for key in keys if key in {"assets.to_publicise", "assets.to_pay"}} == expected

    def test_the_inbox_leads_to_pages_that_open(self, client, clerk_a, plan):
        client.force_login(clerk_a)
        html = client.get("/inbox/", {"source": "assets.to_publicise"}).content.decode()
        assert _detail(plan) in html
        assert client.get(_detail(plan)).status_code == 200
        _share(plan, clerk_a, exited(plan.asset.area, head_name="甲"), "5000")
        _share(plan, clerk_a, exited(plan.asset.area, head_name="乙"), "4000")
        _publicise(plan, clerk_a)
        html = client.get("/inbox/", {"source": "assets.to_pay"}).content.decode()
        assert _detail(plan) in html
        assert client.get(_detail(plan)).context["pay_form"] is not None


# =============================================================================================
# The list
# =============================================================================================


class TestList:
    URL = reverse("assets:distribution_list")

    def test_it_filters_by_year_status_township_and_kind(
        self, client, bureau, clerk_a, clerk_b, village_a, village_b, township_b, clock
    ):
        farm_a = distribution(_farm(village_a, clerk_a), clerk_a)
        station_b = distribution(_station(village_b, clerk_b), clerk_b, year=2024)
        client.force_login(bureau)

        def shown(**query):
            html = client.get(self.URL, query).content.decode()
            return {
                plan.pk for plan in (farm_a, station_b) if f'data-distribution="{plan.pk}"' in html
            }

        assert shown() == {farm_a.pk, station_b.pk}
        assert shown(year=2024) == {station_b.pk}
        assert shown(township=township_b.pk) == {station_b.pk}
        assert shown(pv_station="true") == {station_b.pk}
        assert shown(pv_station="false") == {farm_a.pk}
        assert shown(status="paid") == set()
        assert shown(status="draft", year="not a year") == {farm_a.pk, station_b.pk}
        client.force_login(clerk_a)
        assert 'data-testid="distribution-row"' in client.get(self.URL).content.decode()
        assert f'data-distribution="{station_b.pk}"' not in client.get(self.URL).content.decode()

    def test_the_list_runs_the_same_queries_for_one_or_fifteen(
        self, client, clerk_a, village_a, django_assert_num_queries
    ):
        plan = distribution(_farm(village_a, clerk_a), clerk_a)
        _share(plan, clerk_a, exited(village_a), "100")
        client.force_login(clerk_a)
        client.get(self.URL)
        with CaptureQueriesContext(connection) as one:
            client.get(self.URL)
        for index in range(14):
            more = distribution(_farm(village_a, clerk_a, name=f"基地{index}"), clerk_a)
            _share(more, clerk_a, exited(village_a), "100")
        with django_assert_num_queries(len(one.captured_queries)):
            html = client.get(self.URL).content.decode()
        assert html.count('data-testid="distribution-row"') == 15


# =============================================================================================
# The plan's page and its steps
# =============================================================================================


class TestLines:
    def test_the_picker_offers_the_visible_exited_and_monitored_households(
        self, client, clerk_a, plan, village_a, village_b
    ):
        here = exited(village_a, head_name="刘桂兰")
        watched = monitored(village_a, head_name="刘长青")
        from monitoring.codes import HouseholdType
        from tests.monitoring.factories import make_household

        ordinary = make_household(
            village_a, household_type=HouseholdType.ORDINARY, head_name="刘三"
        )
        there = exited(village_b, head_name="刘春生")
        client.force_login(clerk_a)
        page = client.get(_detail(plan), {"q": "刘"})
        offered = {
            pk for pk, _label in page.context["line_form"].fields["household"].widget.choices
        }
        assert offered == {here.pk, watched.pk}
        assert ordinary.pk not in offered and there.pk not in offered
        by_number = client.get(_detail(plan), {"q": here.household_number})
        assert [
            pk for pk, _label in by_number.context["line_form"].fields["household"].widget.choices
        ] == [here.pk]
        # Through htmx only the choices are drawn again.
        partial = client.get(_detail(plan), {"q": "刘"}, headers={"HX-Request": "true"})
        html = partial.content.decode()
        assert html.startswith('<div id="household-choices"')
        assert f'value="{here.pk}"' in html and "<html" not in html
        # No ID number in the address.
        page = client.get(_detail(plan), {"q": next_id_number()})
        assert page.context["id_in_address"] is True

    def test_the_clerk_adds_and_removes_a_line(self, client, clerk_a, plan, village_a):
        household = monitored(village_a, head_name="刘长青")
        client.force_login(clerk_a)
        response = _line(
            client, plan, use="share", household=household.pk, amount="5000.00", note="监测户倾斜"
        )
        assert response.status_code == 302
        line = DistributionLine.objects.get()
        assert (line.household, line.amount, line.payee, line.note) == (
            household,
            D("5000.00"),
            "刘长青",
            "监测户倾斜",
        )
        page = client.get(_detail(plan))
        assert page.context["left"] == D("4000.00")
        assert 'data-testid="line-household">刘长青<' in page.content.decode()
        plan.refresh_from_db()
        response = client.post(
            reverse("assets:line_remove", args=[line.pk]), {"version": plan.version}
        )
        assert response.status_code == 302
        assert not DistributionLine.objects.exists()

    def test_a_stale_page_is_told_and_nothing_is_written(self, client, clerk_a, plan, village_a):
        household = exited(village_a)
        client.force_login(clerk_a)
        stale = plan.version
        _share(plan, clerk_a, exited(village_a, head_name="甲"), "100")
        response = client.post(
            reverse("assets:line_add", args=[plan.pk]),
            {
                "line-version": stale,
                "line-use": "share",
                "line-household": household.pk,
                "line-amount": "100",
            },
        )
        assert response.status_code == 400
        assert response.context["line_form"].non_field_errors()
        assert DistributionLine.objects.count() == 1

    def test_more_than_the_plan_is_refused_beside_the_amount(
        self, client, clerk_a, plan, village_a
    ):
        client.force_login(clerk_a)
        response = _line(
            client, plan, use="share", household=exited(village_a).pk, amount="9000.01"
        )
        assert response.status_code == 400
        [error] = response.context["line_form"].errors["amount"]
        assert "9,000.01" in error and "9,000.00" in error
        assert not DistributionLine.objects.exists()

    def test_a_stacked_share_above_the_line_is_refused_beside_the_use(
        self, client, clerk_a, plan, village_a
    ):
        above = exited(
            village_a, head_name="王富贵", per_capita_income=D("8500.01"), income_year=LAST_YEAR
        )
        client.force_login(clerk_a)
        response = _line(client, plan, use="stacked", household=above.pk, amount="300")
        assert response.status_code == 400
        [error] = response.context["line_form"].errors["use"]
        assert error == gettext(
            "%(head)s's household has %(income)s yuan per head, above the stacked line: "
            "no stacked share."
        ) % {"head": "王富贵", "income": "8,500.01"}
        # The household chosen is still chosen when the form comes back.
        assert [
            pk for pk, _label in response.context["line_form"].fields["household"].widget.choices
        ] == [above.pk]
        assert not DistributionLine.objects.exists()
        at_line = exited(village_a, per_capita_income=D("8500.00"), income_year=LAST_YEAR)
        assert (
            _line(client, plan, use="stacked", household=at_line.pk, amount="300").status_code
            == 302
        )

    def test_a_household_line_on_a_pv_station_is_refused(self, client, clerk_a, village_a):
        plan = distribution(_station(village_a, clerk_a), clerk_a, income="1000.00")
        client.force_login(clerk_a)
        response = _line(client, plan, use="share", household=exited(village_a).pk, amount="10")
        assert response.status_code == 400
        assert response.context["line_form"].errors["use"] == [
            gettext("A PV station's income goes to its three uses.")
        ]
        offered = [
            use for use, _label in response.context["line_form"].fields["use"].widget.choices
        ]
        assert offered == [LineUse.PV_JOBS, LineUse.PV_WORKS, LineUse.PV_REWARDS]
        response = _line(client, plan, use="pv_works", amount="10")
        assert response.context["line_form"].errors["item"] == [gettext("Name the public work.")]
        assert not DistributionLine.objects.exists()

    def test_an_ordinary_household_is_refused(self, client, clerk_a, plan, village_a):
        from monitoring.codes import HouseholdType
        from tests.monitoring.factories import make_household

        ordinary = make_household(
            village_a, household_type=HouseholdType.ORDINARY, head_name="孙平"
        )
        client.force_login(clerk_a)
        response = _line(client, plan, use="share", household=ordinary.pk, amount="10")
        assert response.status_code == 400
        assert "孙平" in response.context["line_form"].errors["household"][0]
        assert not DistributionLine.objects.exists()


class TestAmount:
    def test_more_than_the_net_income_is_refused_when_drawn_up(self, client, clerk_a, farm):
        income = settled(farm, clerk_a, income="10000.00", depreciation="1000.00")
        client.force_login(clerk_a)
        response = client.post(
            reverse("assets:distribution_new", args=[income.pk]), {"amount": "9000.01"}
        )
        assert response.status_code == 400
        assert response.context["form"].errors["amount"] == [
            gettext(
                "The settled income after deductions is %(net)s yuan; %(amount)s yuan cannot "
                "be distributed."
            )
            % {"net": "9,000.00", "amount": "9,000.01"}
        ]
        assert not Distribution.objects.exists()

    def test_the_amount_is_changed_within_the_net_income(self, client, clerk_a, plan):
        client.force_login(clerk_a)
        url = reverse("assets:distribution_amount", args=[plan.pk])
        response = client.post(url, {"total-amount": "9000.01", "total-version": plan.version})
        assert response.status_code == 400
        assert "9,000.01" in response.context["amount_form"].errors["amount"][0]
        response = client.post(url, {"total-amount": "8000.00", "total-version": plan.version})
        assert response.status_code == 302
        plan.refresh_from_db()
        assert plan.amount == D("8000.00")

    def test_nothing_left_after_deductions_offers_no_plan(self, client, clerk_a, farm):
        income = settled(farm, clerk_a, income="1000.00", depreciation="1000.00")
        client.force_login(clerk_a)
        page = client.get(reverse("assets:distribution_new", args=[income.pk]))
        assert page.context["nothing_left"] is True
        assert 'data-testid="distribution-form"' not in page.content.decode()


class TestPvStation:
    def test_the_page_shows_the_three_shares_and_what_the_lines_give(
        self, client, clerk_a, village_a
    ):
        plan = distribution(_station(village_a, clerk_a), clerk_a, income="100000.05")
        client.force_login(clerk_a)
        _line(client, plan, use="pv_jobs", item="村保洁员", payee="周玉梅", amount="60000.04")
        html = client.get(_detail(plan)).content.decode()
        assert 'data-testid="share-pv_jobs">60,000.04<' in html
        assert 'data-testid="share-pv_works">30,000.01<' in html
        assert 'data-testid="share-pv_rewards">10,000.00<' in html
        assert 'data-testid="given-pv_jobs">60,000.04<' in html

    def test_publicity_is_refused_until_the_uses_match(self, client, clerk_a, village_a):
        plan = distribution(_station(village_a, clerk_a), clerk_a, income="1000.00")
        client.force_login(clerk_a)
        _line(client, plan, use="pv_jobs", item="护林员", payee="周玉梅", amount="600.00")
        _line(client, plan, use="pv_works", item="村内路灯维修", amount="300.00")
        _line(client, plan, use="pv_rewards", item="孝老爱亲奖励", amount="99.99")
        plan.refresh_from_db()
        data = {
            "publicity-publicity_from": (today() - datetime.timedelta(days=7)).isoformat(),
            "publicity-publicity_to": today().isoformat(),
            "publicity-publicity_place": "村务公开栏",
            "publicity-version": plan.version,
        }
        response = client.post(reverse("assets:distribution_publicise", args=[plan.pk]), data)
        assert response.status_code == 400
        [error] = response.context["publicity_form"].non_field_errors()
        assert "99.99" in error and "100.00" in error
        plan.refresh_from_db()
        assert plan.status == S.DRAFT
        _line(client, plan, use="pv_rewards", item="道德模范奖励", amount="0.01")
        plan.refresh_from_db()
        data["publicity-version"] = plan.version
        response = client.post(reverse("assets:distribution_publicise", args=[plan.pk]), data)
        assert response.status_code == 302
        plan.refresh_from_db()
        assert plan.status == S.PUBLICISED


class TestFlagsAndSteps:
    def test_equal_shares_and_a_missing_stacked_share_are_shown_as_warnings(
        self, client, clerk_a, plan, village_a
    ):
        poor = exited(
            village_a, head_name="陈秀英", per_capita_income=D("8000"), income_year=LAST_YEAR
        )
        other = monitored(village_a)
        _share(plan, clerk_a, poor, "400")
        _share(plan, clerk_a, other, "400")
        client.force_login(clerk_a)
        html = client.get(_detail(plan)).content.decode()
        assert 'data-flag="AST-6"' in html
        assert 'data-flag="AST-STACKED"' in html and "陈秀英" in html

    def test_publicity_reopening_and_payment(self, client, clerk_a, plan, village_a):
        _share(plan, clerk_a, exited(village_a, head_name="甲"), "5000")
        _share(plan, clerk_a, monitored(village_a, head_name="乙"), "4000")
        client.force_login(clerk_a)
        plan.refresh_from_db()
        week_ago = today() - datetime.timedelta(days=7)
        response = client.post(
            reverse("assets:distribution_publicise", args=[plan.pk]),
            {
                "publicity-publicity_from": week_ago.isoformat(),
                "publicity-publicity_to": today().isoformat(),
                "publicity-publicity_place": "烟厂村村务公开栏",
                "publicity-version": plan.version,
            },
        )
        assert response.status_code == 302
        plan.refresh_from_db()
        page = client.get(_detail(plan))
        assert "line_form" not in page.context and "publicity_form" not in page.context
        assert page.context["pay_form"] and page.context["revise_form"]
        response = client.post(
            reverse("assets:distribution_revise", args=[plan.pk]),
            {"revise-reason": "", "revise-version": plan.version},
        )
        assert response.status_code == 400
        response = client.post(
            reverse("assets:distribution_pay", args=[plan.pk]),
            {
                "pay-paid_on": (today() - datetime.timedelta(days=1)).isoformat(),
                "pay-payment_reference": "开原农商银行代发 2026-118",
                "pay-version": plan.version,
            },
        )
        assert response.status_code == 400
        assert today().isoformat() in response.context["pay_form"].errors["paid_on"][0]
        response = client.post(
            reverse("assets:distribution_pay", args=[plan.pk]),
            {
                "pay-paid_on": today().isoformat(),
                "pay-payment_reference": "开原农商银行代发 2026-118",
                "pay-version": plan.version,
            },
        )
        assert response.status_code == 302
        plan.refresh_from_db()
        assert (plan.status, plan.paid_on) == (S.PAID, today())
        html = client.get(_detail(plan)).content.decode()
        assert 'data-status="paid"' in html and 'data-testid="pay-form"' not in html

    def test_an_upheld_objection_reopens_the_plan(self, client, clerk_a, plan, village_a):
        _share(plan, clerk_a, exited(village_a, head_name="甲"), "5000")
        _share(plan, clerk_a, monitored(village_a, head_name="乙"), "4000")
        _publicise(plan, clerk_a)
        plan.refresh_from_db()
        client.force_login(clerk_a)
        response = client.post(
            reverse("assets:distribution_revise", args=[plan.pk]),
            {"revise-reason": "村民异议：乙户份额偏低", "revise-version": plan.version},
        )
        assert response.status_code == 302
        plan.refresh_from_db()
        assert plan.status == S.DRAFT
        assert client.get(_detail(plan)).context["line_form"] is not None


# =============================================================================================
# Across townships (AST-7)
# =============================================================================================


class TestAcrossTownships:
    def test_the_bureau_adds_another_townships_household_and_township_a_sees_no_name(
        self, client, bureau, clerk_a, clerk_b, plan, village_a, village_b
    ):
        here = monitored(village_a, head_name="刘桂兰")
        there = monitored(village_b, head_name="赵春生")
        # The township clerk's picker offers only the township's households.
        client.force_login(clerk_a)
        offered = client.get(_detail(plan), {"q": "赵"}).context["line_form"].fields["household"]
        assert list(offered.widget.choices) == []
        response = _line(client, plan, use="share", household=there.pk, amount="3000")
        assert response.status_code == 400  # not hers to choose
        assert "household" in response.context["line_form"].errors
        _line(client, plan, use="share", household=here.pk, amount="5000")
        # The bureau's picker offers the county's.
        client.force_login(bureau)
        offered = client.get(_detail(plan), {"q": "赵"}).context["line_form"].fields["household"]
        assert [pk for pk, _label in offered.widget.choices] == [there.pk]
        assert (
            _line(client, plan, use="share", household=there.pk, amount="4000").status_code == 302
        )
        bureau_html = client.get(_detail(plan)).content.decode()
        assert "赵春生" in bureau_html and "威远村" in bureau_html

        client.force_login(clerk_a)
        page = client.get(_detail(plan))
        html = page.content.decode()
        assert "刘桂兰" in html
        assert "赵春生" not in html and "威远村" not in html
        assert html.count('data-testid="line-outside"') == 1
        assert 'data-testid="line-amount">4,000.00<' in html
        # Township B does not get township A's plan.
        client.force_login(clerk_b)
        assert client.get(_detail(plan)).status_code == 404


@pytest.mark.sqlite
def test_the_income_and_distribution_pages_open_on_any_database(client, clerk_a, plan, farm):
    _share(plan, clerk_a, exited(farm.area, head_name="甲"), "5000")
    client.force_login(clerk_a)
    for url in (
        reverse("assets:income_new", args=[farm.pk]),
        reverse("assets:income_edit", args=[plan.income_id]),
        reverse("assets:distribution_list"),
        _detail(plan),
    ):
        assert client.get(url, {"q": "甲"} if url == _detail(plan) else {}).status_code == 200
