"""The 月调度 and 季通报 in Excel, read back with openpyxl: one row per township and the total row,
a township's figures (labour force, counted persons, by place, by job type, by 七个一批, the change
from the previous month), the quarter's months with the change and the rank, the county against
the target; a name that looks like a formula stays text; the export is recorded, bounded by the
user's area and costs the same number of queries whatever the people."""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from employment.codes import Batch, JobType, PlaceCategory
from kaiyuan.areas.models import Area
from kaiyuan.audit.models import AuditEvent
from tests.employment.factories import record_job, worker

pytestmark = pytest.mark.django_db
EXPORT = reverse("employment:count_export")
HEADER_ROW = 2  # below the caption
FORMULA = '=HYPERLINK("http://example.com","点此")'


def export(client, user, **data):
    client.force_login(user)
    response = client.post(EXPORT, data)
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def monthly(client, user, month=11, **data):
    return export(client, user, report="monthly", year=2026, month=month, **data)


def quarterly(client, user, quarter=4, **data):
    return export(client, user, report="quarterly", year=2026, quarter=quarter, **data)


def headers(sheet) -> list[str]:
    return [cell.value for cell in sheet[HEADER_ROW]]


def rows(sheet) -> dict[str, dict]:
    names = headers(sheet)
    return {
        row[0].value: dict(zip(names, [cell.value for cell in row], strict=True))
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1)
    }


@pytest.fixture
def jobs(village_a, village_b, clerk_a, clerk_b):
    """Township A (中固镇): a wage job in the county since March, a person with a wage job and a
    flexible one outside the province, and a welfare-post job since 10 November; township B
    (威远堡镇): a wage job. Each worker's household has two people with labour."""
    record_job(worker(village_a), clerk_a)
    both = worker(village_a)
    record_job(both, clerk_a)
    record_job(
        both,
        clerk_a,
        job_type=JobType.FLEXIBLE,
        batch=Batch.FLEXIBLE,
        place_category=PlaceCategory.OUT_OF_PROVINCE,
        place="浙江省杭州市",
    )
    record_job(
        worker(village_a),
        clerk_a,
        start_date=datetime.date(2026, 11, 10),
        months_worked=1,
        job_type=JobType.WELFARE_POST,
        welfare_job_type="保洁员",
        batch=Batch.WELFARE_POSTS,
    )
    record_job(worker(village_b), clerk_b)


class TestMonthly:
    def test_one_row_per_township_and_the_total(self, client, bureau, jobs):
        sheet = monthly(client, bureau)
        caption = sheet["A1"].value
        assert "开原市" in caption and "2026-11" in caption and "截至" in caption
        assert headers(sheet)[:6] == [
            "乡镇",
            "脱贫人口和监测对象劳动力（人）",
            "务工就业人数（人）",
            "县内务工（人）",
            "省内县外务工（人）",
            "省外务工（人）",
        ]
        assert headers(sheet)[-2:] == ["上月务工就业人数（人）", "较上月增减（人）"]
        table = rows(sheet)
        townships = Area.objects.townships().filter(path__startswith="211282").count()
        assert len(table) == townships + 1
        assert list(table)[-1] == "合计"
        total = table["合计"]
        assert total["务工就业人数（人）"] == 4
        assert total["脱贫人口和监测对象劳动力（人）"] == 8
        assert total["较上月增减（人）"] == 1

    def test_a_townships_figures(self, client, bureau, jobs):
        township = rows(monthly(client, bureau))["中固镇"]
        assert township["脱贫人口和监测对象劳动力（人）"] == 6
        assert township["务工就业人数（人）"] == 3
        assert township["县内务工（人）"] == 3
        assert township["省外务工（人）"] == 1
        assert township["省内县外务工（人）"] == 0
        assert township["务工（人）"] == 2
        assert township["灵活就业（人）"] == 1
        assert township["公益性岗位（人）"] == 1
        assert township["产业帮扶项目吸纳一批（人）"] == 2
        assert township["公益性岗位灵活兜底一批（人）"] == 1
        assert township["灵活就业一批（人）"] == 1
        assert township["上月务工就业人数（人）"] == 2
        assert township["较上月增减（人）"] == 1
        assert rows(monthly(client, bureau))["威远堡镇"]["务工就业人数（人）"] == 1

    def test_january_is_compared_with_december_of_the_year_before(self, client, bureau, jobs):
        table = rows(monthly(client, bureau, month=1))
        assert table["中固镇"]["务工就业人数（人）"] == 0
        assert table["中固镇"]["上月务工就业人数（人）"] == 0

    def test_a_township_name_that_looks_like_a_formula_stays_text(
        self, client, bureau, jobs, township_b
    ):
        Area.objects.filter(pk=township_b.pk).update(name=FORMULA)
        sheet = monthly(client, bureau)
        cells = [
            row[0] for row in sheet.iter_rows(min_row=HEADER_ROW + 1) if row[0].value == FORMULA
        ]
        assert len(cells) == 1 and cells[0].data_type == "s"
        assert not any(
            cell.data_type == "f" for row in sheet.iter_rows() for cell in row if cell.value
        )

    def test_the_export_is_recorded(self, client, bureau, jobs, county):
        sheet = monthly(client, bureau)
        event = AuditEvent.objects.get(action="export")
        assert event.actor == bureau and event.area == county
        assert event.data["what"] == "employment_monthly_dispatch"
        assert event.data["rows"] == sheet.max_row - HEADER_ROW
        assert event.data["filters"] == {"year": 2026, "month": 11, "area": county.code}
        assert len(event.data["sha256"]) == 64

    def test_its_queries_do_not_grow_with_the_people(
        self, client, bureau, village_a, village_b, clerk_a, clerk_b, django_assert_num_queries
    ):
        record_job(worker(village_a), clerk_a)
        client.force_login(bureau)
        data = {"report": "monthly", "year": 2026, "month": 11}
        client.post(EXPORT, data)
        with CaptureQueriesContext(connection) as one:
            client.post(EXPORT, data)
        for _index in range(4):
            record_job(worker(village_a), clerk_a)
            record_job(worker(village_b), clerk_b, batch=Batch.RECRUITMENT)
        with django_assert_num_queries(len(one.captured_queries)):
            response = client.post(EXPORT, data)
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        assert rows(sheet)["合计"]["务工就业人数（人）"] == 9


class TestQuarterly:
    def test_the_quarters_months_the_change_the_rank_and_the_target(self, client, bureau, jobs):
        sheet = quarterly(client, bureau)
        assert headers(sheet) == [
            "乡镇",
            "10月末务工就业人数（人）",
            "11月末务工就业人数（人）",
            "12月末务工就业人数（人）",
            "上季度末务工就业人数（人）",
            "较上季度末增减（人）",
            "排名",
            "目标任务（人）",
            "完成情况",
        ]
        table = rows(sheet)
        a, b = table["中固镇"], table["威远堡镇"]
        assert [a["10月末务工就业人数（人）"], a["11月末务工就业人数（人）"]] == [2, 3]
        assert a["12月末务工就业人数（人）"] == 3
        assert a["上季度末务工就业人数（人）"] == 2 and a["较上季度末增减（人）"] == 1
        assert a["排名"] == 1 and b["排名"] == 2
        others = [
            row["排名"] for name, row in table.items() if name not in ("中固镇", "威远堡镇", "合计")
        ]
        assert set(others) == {3}  # the townships with nobody share the next rank
        total = table["合计"]
        assert total["12月末务工就业人数（人）"] == 4 and total["排名"] is None
        assert total["目标任务（人）"] == 2500 and total["完成情况"] == "差2496人"
        event = AuditEvent.objects.get(action="export")
        assert event.data["what"] == "employment_quarterly_bulletin"

    def test_the_target_met(self, client, bureau, jobs):
        from kaiyuan.policy.models import PolicySettings

        PolicySettings.objects.update_or_create(year=2026, defaults={"employment_target": 4})
        assert rows(quarterly(client, bureau))["合计"]["完成情况"] == "已达标"

    def test_months_not_begun_are_left_empty(self, client, bureau, jobs, clock):
        clock.move_to(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
        township = rows(quarterly(client, bureau))["中固镇"]
        assert township["12月末务工就业人数（人）"] is None
        assert township["11月末务工就业人数（人）"] == 3 and township["较上季度末增减（人）"] == 1


class TestTheArea:
    def test_a_township_exports_its_own_row_without_rank_or_target(
        self, client, clerk_a, jobs, township_b
    ):
        table = rows(monthly(client, clerk_a))
        assert list(table) == ["中固镇", "合计"]
        assert table["合计"]["务工就业人数（人）"] == 3
        bulletin = quarterly(client, clerk_a)
        assert "排名" not in headers(bulletin) and "目标任务（人）" not in headers(bulletin)
        # A township asked for by another township's clerk is not theirs to choose.
        assert list(rows(monthly(client, clerk_a, township=township_b.pk))) == ["中固镇", "合计"]

    def test_the_county_exports_one_township(self, client, bureau, jobs, township_b):
        table = rows(monthly(client, bureau, township=township_b.pk))
        assert list(table) == ["威远堡镇", "合计"]
        event = AuditEvent.objects.get(action="export")
        assert event.area == township_b

    def test_read_only_roles_export_and_a_grid_worker_may_not(
        self, client, leader, grid_worker_a, jobs
    ):
        assert rows(monthly(client, leader))["合计"]["务工就业人数（人）"] == 4
        client.force_login(grid_worker_a)
        assert client.get(EXPORT).status_code == 403
        assert (
            client.post(EXPORT, {"report": "monthly", "year": 2026, "month": 11}).status_code == 403
        )


class TestTheForm:
    def test_the_page_is_filled_from_the_count_page(self, client, bureau, township_a):
        client.force_login(bureau)
        html = client.get(EXPORT, {"year": 2026, "month": 5, "township": township_a.pk})
        assert html.status_code == 200
        page = html.content.decode()
        assert 'value="5" selected' in page and f'value="{township_a.pk}" selected' in page
        assert 'value="2" selected' in page  # the quarter of May
        default = client.get(EXPORT).content.decode()
        assert 'value="12" selected' in default and 'value="4" selected' in default

    def test_a_month_or_quarter_not_begun_is_refused(self, client, bureau, clock):
        clock.move_to(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
        client.force_login(bureau)
        for data in (
            {"report": "monthly", "year": 2026, "month": 7},
            {"report": "quarterly", "year": 2026, "quarter": 3},
            {"report": "monthly", "year": 2026},
        ):
            response = client.post(EXPORT, data)
            assert response.status_code == 400, data
            assert "invalid-feedback" in response.content.decode()
        assert not AuditEvent.objects.filter(action="export").exists()
