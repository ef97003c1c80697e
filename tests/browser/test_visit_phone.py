"""A grid worker records a visit on a phone-sized screen, as they would standing in a courtyard."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kaiyuan.common import dates
from monitoring.models import Household, Visit
from tests.factories import TEST_PASSWORD
from tests.monitoring.factories import make_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
QUESTIONS = (
    "是否义务教育阶段适龄儿童少年失学辍学",
    "是否住房出现安全问题",
    "是否有家庭成员未参加城乡居民（职工）基本医疗保险",
    "是否饮水出现安全问题",
)


def _household(village, grid, head_name: str) -> Household:
    household = make_household(village, grid=grid, head_name=head_name)
    created = datetime.datetime(2023, 1, 1, 1, tzinfo=datetime.UTC)
    Household.objects.filter(pk=household.pk).update(created_at=created)
    return household


def _visit(household, day, visitor, **fields) -> None:
    Visit.objects.create(
        household=household,
        area=household.area,
        visitor=visitor,
        level=Visit.Level.VILLAGE,
        visited_on=day,
        method=fields.pop("method", Visit.Method.ON_SITE),
        child_out_of_school=False,
        housing_unsafe=False,
        member_uninsured=False,
        water_unsafe=False,
        **fields,
    )


def test_a_grid_worker_records_a_visit_on_a_phone(
    live_server, phone_page, reference_data, grid_worker_a, grid_a, village_a
):
    grid_a.worker = grid_worker_a
    grid_a.save()
    today = dates.today()
    last_month = dates.month_of(today).start - datetime.timedelta(days=1)
    due = _household(village_a, grid_a, "李待访")
    _visit(due, last_month, grid_worker_a, method=Visit.Method.PHONE)
    _household(village_a, grid_a, "赵逾期")
    _visit(_household(village_a, grid_a, "张已访"), today, grid_worker_a)

    page = phone_page
    page.goto(f"{live_server.url}/")
    page.get_by_label("用户名").fill("grid_a")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/monitoring/visits/my-month/")

    assert page.get_by_role("heading", name="我的走访").is_visible()
    assert page.get_by_test_id("count-overdue").inner_text() == "1"
    assert page.get_by_test_id("count-due").inner_text() == "1"
    rows = page.get_by_test_id("household-row")
    assert "赵逾期" in rows.first.inner_text()  # overdue first
    row = rows.filter(has_text="李待访")
    assert row.get_by_test_id("status").inner_text() == "待走访"
    row.get_by_role("link", name="记录走访").click()

    page.wait_for_url("**/visits/record/**")
    assert page.get_by_text("李待访").first.is_visible()
    # "No change since the last visit" fills in the last visit's answers (by phone, no problem).
    page.get_by_label("与上次走访相比无变化").check()
    phone = page.get_by_role("radio", name="电话")
    phone.wait_for(state="attached")
    # A locator assertion, not wait_for_function: the page's policy forbids the eval it uses.
    expect(page.locator("#id_method_1")).to_be_checked()
    for question in QUESTIONS:
        assert page.get_by_role("group", name=question).get_by_role("radio", name="否").is_checked()
    # This time the worker went in person and found the house damaged by rain.
    page.get_by_role("group", name="走访方式").get_by_text("入户", exact=True).click()
    page.get_by_role("group", name=QUESTIONS[1]).get_by_text("是", exact=True).click()
    page.get_by_label("备注").fill("雨后西屋漏雨，已报村委会")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "visit-form-phone.png"), full_page=True)
    # Nothing on the form is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="保存走访").click()

    page.wait_for_url("**/visits/my-month/")
    assert page.get_by_role("alert").filter(has_text="李待访户的走访").is_visible()
    row = page.get_by_test_id("household-row").filter(has_text="李待访")
    assert row.get_by_test_id("status").inner_text() == "已走访"
    assert page.get_by_test_id("count-due").inner_text() == "0"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SCREENSHOTS / "visit-phone.png"), full_page=True)

    visit = Visit.objects.get(household=due, visited_on=today)
    assert (visit.method, visit.housing_unsafe, visit.no_change) == ("on_site", True, True)
