"""Debt placements on the pages: the flagged list, a new placement on a debt-type project, and a
placement's page with its returns, recoveries, reversals, redeployments and 六清楚."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funds.codes import SixClears
from funds.models import (
    DebtPlacement,
    PlacementReturn,
    PrincipalRecovery,
    Redeployment,
    SixClearsReview,
)
from funds.services import placements as services
from kaiyuan.common.dates import today
from projects.codes import FinanceMode
from tests.funds import factories as f
from tests.projects.factories import VALID_USCC

pytestmark = pytest.mark.django_db
D = Decimal
LIST = reverse("funds:placement_list")


def _placement(project, clerk, *, start="2024-01-01", end="2028-12-31", principal="500000.00"):
    return services.placement_create(
        project=project,
        counterparty="开原市稻香农民专业合作社",
        counterparty_uscc=VALID_USCC,
        principal=principal,
        start_date=datetime.date.fromisoformat(start),
        end_date=datetime.date.fromisoformat(end),
        agreed_rate="6.00",
        collateral="厂房抵押",
        risk_measures="每季度查看经营台账",
        actor=clerk,
    )


@pytest.fixture
def debt_project(village_a, clerk_a):
    return f.project(village_a, clerk_a, mode=FinanceMode.DEBT)


@pytest.fixture
def placement(debt_project, clerk_a):
    return _placement(debt_project, clerk_a)


def _form(**changes):
    data = {
        "counterparty": "开原市稻香农民专业合作社",
        "counterparty_uscc": VALID_USCC,
        "principal": "400000.00",
        "start_date": "2026-01-01",
        "end_date": "2029-12-31",
        "agreed_rate": "6.00",
        "collateral": "厂房抵押",
        "risk_measures": "每季度查看经营台账",
        "agreement_number": "KY-ZQ-001",
    }
    data.update(changes)
    return data


def _post(client, placement, step, **fields):
    data = {"step": step, **{f"{step}-{name}": value for name, value in fields.items()}}
    return client.post(reverse("funds:placement_detail", args=[placement.pk]), data)


class TestList:
    def test_flags_mark_agreements_ending_soon_and_ended_with_principal_out(
        self, client, clerk_a, debt_project
    ):
        ended = _placement(debt_project, clerk_a, end="2026-11-30", principal="100000.00")
        ending = _placement(debt_project, clerk_a, end="2027-01-31", principal="100000.00")
        quiet = _placement(debt_project, clerk_a, end="2028-12-31", principal="100000.00")
        client.force_login(clerk_a)
        html = client.get(LIST).content.decode()

        def row(placement):
            return html.split(f'data-placement="{placement.pk}"')[1].split("</tr>")[0]

        assert 'data-flag="FND-10-OVERDUE"' in row(ended)
        assert 'data-flag="FND-ENDING"' in row(ending)
        assert "data-flag" not in row(quiet)
        flagged = client.get(LIST, {"flagged": "1"}).content.decode()
        assert flagged.count('data-testid="placement-row"') == 2
        assert f'data-placement="{quiet.pk}"' not in flagged

    def test_a_recovered_agreement_is_no_longer_flagged(self, client, clerk_a, debt_project):
        ended = _placement(debt_project, clerk_a, end="2026-11-30", principal="100000.00")
        services.recovery_record(
            placement=ended, amount="100000.00", recovered_on=today(), actor=clerk_a
        )
        client.force_login(clerk_a)
        assert (
            'data-testid="placement-row"' not in client.get(LIST, {"flagged": "1"}).content.decode()
        )

    def test_the_list_runs_a_constant_number_of_queries(
        self, client, clerk_a, debt_project, django_assert_num_queries
    ):
        _placement(debt_project, clerk_a, principal="10000.00")
        client.force_login(clerk_a)
        client.get(LIST)
        with CaptureQueriesContext(connection) as few:
            client.get(LIST)
        for _index in range(6):
            placement = _placement(debt_project, clerk_a, principal="10000.00")
            services.return_record(
                placement=placement, year=2025, amount="600.00", received_on=today(), actor=clerk_a
            )
        with django_assert_num_queries(len(few.captured_queries)):
            response = client.get(LIST)
        assert response.content.decode().count('data-testid="placement-row"') == 7

    def test_another_township_sees_none_of_them(self, client, clerk_b, placement):
        client.force_login(clerk_b)
        assert 'data-testid="placement-row"' not in client.get(LIST).content.decode()


class TestNewPlacement:
    def test_the_clerk_records_a_placement_of_a_debt_type_project(
        self, client, clerk_a, debt_project
    ):
        client.force_login(clerk_a)
        assert (
            reverse("funds:placement_new", args=[debt_project.pk])
            in client.get(LIST).content.decode()
        )
        response = client.post(reverse("funds:placement_new", args=[debt_project.pk]), _form())
        placement = DebtPlacement.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("funds:placement_detail", args=[placement.pk])
        assert (placement.principal, placement.agreed_rate) == (D("400000.00"), D("6.00"))

    def test_a_self_built_project_and_a_low_return_are_refused(self, client, clerk_a, village_a):
        own = f.project(village_a, clerk_a)
        client.force_login(clerk_a)
        response = client.post(
            reverse("funds:placement_new", args=[own.pk]), _form(agreed_rate="5.99")
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert "5.99" in errors["agreed_rate"][0]
        assert errors["__all__"]  # only a debt-type project places its money
        assert not DebtPlacement.objects.exists()

    def test_read_only_roles_get_403_and_other_townships_404(
        self, client, leader, auditor, clerk_b, debt_project
    ):
        url = reverse("funds:placement_new", args=[debt_project.pk])
        for user in (leader, auditor):
            client.force_login(user)
            assert client.get(url).status_code == 403
            assert client.post(url, _form()).status_code == 403
        client.force_login(clerk_b)
        assert client.get(url).status_code == 404
        assert client.post(url, _form()).status_code == 404
        assert not DebtPlacement.objects.exists()


class TestPlacementPage:
    def test_returns_by_year_recovery_and_reversal(self, client, clerk_a, placement):
        client.force_login(clerk_a)
        day = today().isoformat()
        assert (
            _post(
                client, placement, "return", year=2025, amount="30000", received_on=day
            ).status_code
            == 302
        )
        _post(client, placement, "return", year=2025, amount="1000", received_on=day)
        _post(client, placement, "return", year=2026, amount="30000", received_on=day)
        _post(client, placement, "recovery", amount="200000", recovered_on=day)
        html = client.get(reverse("funds:placement_detail", args=[placement.pk])).content.decode()
        by_year = html.split('data-testid="returns-by-year"')[1].split("</table>")[0]
        assert '<tr data-year="2025"><td>2025</td><td class="text-end">31,000.00</td>' in by_year
        assert "300,000.00" in html.split('data-testid="outstanding"')[1][:40]
        recovery = PrincipalRecovery.objects.get()
        response = _post(
            client, placement, "recovery_reverse", entry=recovery.pk, reason="重复录入"
        )
        assert response.status_code == 302
        assert PrincipalRecovery.objects.filter(reverses=recovery).exists()
        first = PlacementReturn.objects.filter(year=2026).get()
        _post(client, placement, "return_reverse", entry=first.pk, reason="金额有误")
        assert PlacementReturn.objects.filter(reverses=first, amount=D("-30000.00")).exists()

    def test_refusals_are_shown_and_nothing_is_saved(self, client, clerk_a, placement):
        client.force_login(clerk_a)
        day = today().isoformat()
        response = _post(client, placement, "recovery", amount="500000.01", recovered_on=day)
        assert response.status_code == 200
        assert "500,000.00" in response.context["forms"]["recovery"].errors["amount"][0]
        response = _post(client, placement, "return", year=2030, amount="1", received_on=day)
        assert response.context["forms"]["return"].errors["year"]
        response = _post(client, placement, "return_reverse", entry=0, reason="x")
        assert response.status_code == 404
        assert not PrincipalRecovery.objects.exists() and not PlacementReturn.objects.exists()

    def test_the_township_proposes_a_redeployment_and_the_bureau_decides(
        self, client, clerk_a, bureau, placement
    ):
        services.recovery_record(
            placement=placement, amount="200000.00", recovered_on=today(), actor=clerk_a
        )
        client.force_login(clerk_a)
        refused = _post(client, placement, "redeploy", amount="200000.01", purpose="新建大棚")
        assert "200,000.00" in refused.context["forms"]["redeploy"].errors["amount"][0]
        assert (
            _post(client, placement, "redeploy", amount="150000", purpose="新建大棚").status_code
            == 302
        )
        redeployment = Redeployment.objects.get()
        html = client.get(reverse("funds:placement_detail", args=[placement.pk])).content.decode()
        assert 'data-testid="redeployment-decide"' not in html  # the clerk does not decide
        assert (
            _post(
                client,
                placement,
                "decide",
                redeployment=redeployment.pk,
                version=1,
                consent="true",
                note="",
            ).status_code
            == 403
        )
        client.force_login(bureau)
        html = client.get(reverse("funds:placement_detail", args=[placement.pk])).content.decode()
        assert 'data-testid="redeployment-decide"' in html
        response = _post(
            client,
            placement,
            "decide",
            redeployment=redeployment.pk,
            version=1,
            consent="false",
            note="",
        )
        assert response.status_code == 200  # a refusal needs its reason
        redeployment.refresh_from_db()
        assert redeployment.status == Redeployment.Status.PROPOSED
        response = _post(
            client,
            placement,
            "decide",
            redeployment=redeployment.pk,
            version=1,
            consent="true",
            note="同意",
        )
        assert response.status_code == 302
        redeployment.refresh_from_db()
        assert redeployment.status == Redeployment.Status.CONSENTED

    def test_the_six_clears_checklist_needs_problems_and_measures_for_an_open_item(
        self, client, clerk_a, placement
    ):
        client.force_login(clerk_a)
        items = {f"clear_{code}": "on" for code in SixClears.values}
        del items[f"clear_{SixClears.OPERATIONS}"]
        items[f"note_{SixClears.OPERATIONS}"] = "销售下滑"
        day = today().isoformat()
        response = _post(client, placement, "six_clears", year=2026, reviewed_on=day, **items)
        assert response.status_code == 200
        assert response.context["forms"]["six_clears"].errors["problems"]
        assert not SixClearsReview.objects.exists()
        response = _post(
            client,
            placement,
            "six_clears",
            year=2026,
            reviewed_on=day,
            problems="订单减少",
            measures="对接消费帮扶",
            **items,
        )
        assert response.status_code == 302
        review = SixClearsReview.objects.get()
        assert review.open_items == [SixClears.OPERATIONS]
        assert review.items[SixClears.OPERATIONS]["note"] == "销售下滑"
        html = client.get(reverse("funds:placement_detail", args=[placement.pk])).content.decode()
        assert html.count('data-open="1"') == 1

    def test_read_only_roles_see_the_page_but_their_posts_get_403(
        self, client, leader, auditor, placement
    ):
        url = reverse("funds:placement_detail", args=[placement.pk])
        for user in (leader, auditor):
            client.force_login(user)
            html = client.get(url).content.decode()
            assert 'data-testid="step-return"' not in html
            day = today().isoformat()
            assert (
                _post(
                    client, placement, "return", year=2025, amount="1", received_on=day
                ).status_code
                == 403
            )
        assert not PlacementReturn.objects.exists()

    def test_another_townships_clerk_gets_404(self, client, clerk_b, placement):
        client.force_login(clerk_b)
        assert client.get(reverse("funds:placement_detail", args=[placement.pk])).status_code == 404
        day = today().isoformat()
        assert (
            _post(client, placement, "return", year=2025, amount="1", received_on=day).status_code
            == 404
        )
        assert not PlacementReturn.objects.exists()
