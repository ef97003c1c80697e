"""The workshop pages: the list with each workshop's 脱贫 and monitored workers of the year and the
flag of one with fewer than the year's minimum (at 4, 5 and 6 workers, and with the minimum
changed), a workshop's page with its workers, a new workshop (a bad credit code refused in
Chinese), its edit (a stale one refused); the three access answers (township A's clerk, a
read-only leader, township B's clerk)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from employment.codes import JobType, WorkshopType
from employment.models import Workshop
from kaiyuan.policy.models import PolicySettings
from tests.employment.factories import company_uscc, record_job, worker, workshop

pytestmark = pytest.mark.django_db
LIST = reverse("employment:workshop_list")
NEW = reverse("employment:workshop_new")
FLAG = 'data-flag="EMP-WORKSHOP"'


def _rows(html: str) -> int:
    return html.count('data-testid="workshop-row"')


def _row(html: str, shop: Workshop) -> str:
    return html.split(f'data-testid="workshop-row" data-pk="{shop.pk}"')[1].split("</tr>")[0]


def _employ(shop: Workshop, village, actor, people: int) -> None:
    for _index in range(people):
        record_job(worker(village), actor, job_type=JobType.WORKSHOP, workshop=shop)


@pytest.fixture
def shop(village_a, clerk_a):
    return workshop(village_a, clerk_a, name="烟厂村服装加工车间")


def _form(village=None, **changes):
    data = {
        "name": "大白庙子村编织车间",
        "workshop_type": WorkshopType.HOME_BASED,
        "operator": "开原市某编织有限公司",
        "operator_uscc": company_uscc(),
        "opened_on": "2025-04-01",
        "total_workers": "12",
        "contact": "李主任",
        "phone": "13800000000",
    }
    if village is not None:
        data["area"] = village.pk
    data.update(changes)
    return data


class TestTheFlag:
    @pytest.mark.parametrize(("people", "flagged"), [(4, True), (5, False), (6, False)])
    def test_a_workshop_is_flagged_below_five_workers(
        self, client, clerk_a, village_a, shop, people, flagged
    ):
        _employ(shop, village_a, clerk_a, people)
        client.force_login(clerk_a)
        row = _row(client.get(LIST).content.decode(), shop)
        assert f'data-testid="workshop-workers">{people}<' in row
        assert (FLAG in row) is flagged
        detail = client.get(shop.get_absolute_url()).content.decode()
        assert (FLAG in detail) is flagged
        assert detail.count('data-testid="workshop-job"') == people

    def test_changing_the_minimum_in_the_settings_moves_the_flag(
        self, client, clerk_a, village_a, shop
    ):
        _employ(shop, village_a, clerk_a, 5)
        client.force_login(clerk_a)
        assert FLAG not in _row(client.get(LIST).content.decode(), shop)
        PolicySettings.objects.update_or_create(year=2026, defaults={"workshop_min_workers": 6})
        assert FLAG in _row(client.get(LIST).content.decode(), shop)
        PolicySettings.objects.filter(year=2026).update(workshop_min_workers=5)
        assert FLAG not in _row(client.get(LIST).content.decode(), shop)

    def test_the_workers_are_those_of_the_year_asked(self, client, clerk_a, village_a, shop):
        _employ(shop, village_a, clerk_a, 5)
        client.force_login(clerk_a)
        last_year = client.get(LIST, {"year": 2025}).content.decode()
        assert 'data-testid="workshop-workers">0<' in _row(last_year, shop)
        # The flag names the year asked, not the year of the settings in force (2024's).
        assert "2025" in _row(last_year, shop).split(FLAG)[1].split("<")[0]
        detail = client.get(shop.get_absolute_url(), {"year": 2025}).content.decode()
        assert "2025" in detail.split(FLAG)[1].split("<")[0]
        assert detail.count('data-testid="workshop-job"') == 0

    def test_a_closed_workshop_is_not_flagged_for_a_year_after_it_closed(
        self, client, clerk_a, village_a
    ):
        closed = workshop(village_a, clerk_a, closed_on=datetime.date(2025, 6, 30))
        client.force_login(clerk_a)
        assert FLAG not in _row(client.get(LIST).content.decode(), closed)
        assert FLAG in _row(client.get(LIST, {"year": 2025}).content.decode(), closed)


class TestList:
    def test_the_filters(self, client, bureau, clerk_a, clerk_b, shop, village_a, village_b):
        other = workshop(
            village_b, clerk_b, name="威远村种植车间", workshop_type=WorkshopType.FARMING
        )
        client.force_login(bureau)

        def rows(**query):
            return _rows(client.get(LIST, query).content.decode())

        assert rows() == 2
        assert rows(workshop_type=WorkshopType.FARMING) == 1
        assert rows(q="加工") == 1
        assert rows(open="false") == 0
        picked = client.get(LIST, {"township": village_b.parent_id}).content.decode()
        assert f'data-pk="{other.pk}"' in picked and f'data-pk="{shop.pk}"' not in picked

    def test_its_query_count_does_not_grow_with_the_rows(
        self, client, clerk_a, village_a, shop, django_assert_num_queries
    ):
        _employ(shop, village_a, clerk_a, 1)
        client.force_login(clerk_a)
        client.get(LIST)
        with CaptureQueriesContext(connection) as one:
            client.get(LIST)
        for _index in range(6):
            _employ(workshop(village_a, clerk_a), village_a, clerk_a, 2)
        with django_assert_num_queries(len(one.captured_queries)):
            html = client.get(LIST).content.decode()
        assert _rows(html) == 7


class TestNew:
    def test_the_clerk_records_a_workshop_in_a_village_of_the_township(
        self, client, clerk_a, village_a2
    ):
        client.force_login(clerk_a)
        assert client.get(NEW).status_code == 200
        response = client.post(NEW, _form(village_a2))
        shop = Workshop.objects.get(name="大白庙子村编织车间")
        assert response.status_code == 302 and response["Location"] == shop.get_absolute_url()
        assert shop.area == village_a2 and shop.created_by == clerk_a

    def test_a_bad_credit_code_is_refused_in_chinese(self, client, clerk_a, village_a):
        client.force_login(clerk_a)
        response = client.post(NEW, _form(village_a, operator_uscc="91211282MA0000000X"))
        assert response.status_code == 400
        assert "不是有效的统一社会信用代码" in response.content.decode()
        assert not Workshop.objects.exists()

    def test_the_code_is_refused_with_the_forms_own_errors_in_one_round(
        self, client, clerk_a, village_a
    ):
        client.force_login(clerk_a)
        html = client.post(NEW, _form(village_a, operator_uscc="12345", name="")).content.decode()
        assert "不是有效的统一社会信用代码" in html
        assert html.count("invalid-feedback") >= 2

    def test_a_village_of_another_township_is_not_offered(self, client, clerk_a, village_b):
        client.force_login(clerk_a)
        assert client.post(NEW, _form(village_b)).status_code == 400
        assert not Workshop.objects.exists()


class TestEdit:
    def test_the_clerk_changes_it_over_the_version_opened(self, client, clerk_a, shop):
        client.force_login(clerk_a)
        url = reverse("employment:workshop_edit", args=[shop.pk])
        assert client.get(url).status_code == 200
        data = _form(name="烟厂村服装加工车间", operator_uscc=shop.operator_uscc, version=1)
        assert client.post(url, {**data, "total_workers": "30"}).status_code == 302
        shop.refresh_from_db()
        assert shop.total_workers == 30 and shop.version == 2
        # The first page, still open with version 1, does not overwrite the change.
        stale = client.post(url, {**data, "total_workers": "8"})
        assert stale.status_code == 400
        assert 'class="alert alert-danger"' in stale.content.decode()
        shop.refresh_from_db()
        assert shop.total_workers == 30


class TestAccess:
    def test_the_townships_clerk_opens_every_page(self, client, clerk_a, shop):
        client.force_login(clerk_a)
        edit = reverse("employment:workshop_edit", args=[shop.pk])
        for url in (LIST, NEW, shop.get_absolute_url(), edit):
            assert client.get(url).status_code == 200, url
        html = client.get(shop.get_absolute_url()).content.decode()
        assert reverse("employment:workshop_edit", args=[shop.pk]) in html

    def test_the_leader_reads_and_may_not_write(self, client, leader, shop, village_a):
        client.force_login(leader)
        assert _rows(client.get(LIST).content.decode()) == 1
        detail = client.get(shop.get_absolute_url())
        assert detail.status_code == 200
        assert reverse("employment:workshop_edit", args=[shop.pk]) not in detail.content.decode()
        assert NEW not in client.get(LIST).content.decode()
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, _form(village_a)).status_code == 403
        edit = reverse("employment:workshop_edit", args=[shop.pk])
        assert client.get(edit).status_code == 403
        assert client.post(edit, _form(version=1)).status_code == 403

    def test_another_townships_clerk_finds_no_such_workshop(self, client, clerk_b, shop):
        client.force_login(clerk_b)
        assert _rows(client.get(LIST).content.decode()) == 0
        assert client.get(shop.get_absolute_url()).status_code == 404
        edit = reverse("employment:workshop_edit", args=[shop.pk])
        assert client.get(edit).status_code == 404
        assert client.post(edit, _form(version=1)).status_code == 404
