"""A township clerk records a person's job on a phone (390 × 844), as they would at the
household's gate, and sees the township's employment count move."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context
from tests.employment.factories import worker
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone_390(browser):
    context = new_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def test_a_clerk_records_a_job_on_a_phone_and_the_count_moves(
    live_server, phone_390, reference_data, clerk_a, village_a
):
    person = worker(village_a, name="刘春生")
    page = phone_390
    page.goto(f"{live_server.url}/")
    page.get_by_label("用户名").fill("clerk_a")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/employment/count/")
    expect(page.get_by_test_id("count-total")).to_have_text("0")

    page.goto(f"{live_server.url}/employment/labour/")
    row = page.get_by_test_id("labour-row").filter(has_text="刘春生")
    expect(row.get_by_test_id("not-working")).to_be_visible()
    row.get_by_test_id("record-new").click()

    page.wait_for_url(f"**/employment/members/{person.pk}/jobs/new/")
    form = page.get_by_test_id("record-form")
    # The common case is filled in: this month, 县内务工, 走访核实; the clerk adds the rest.
    form.get_by_label("务工所在地").fill("开原市经济开发区")
    form.get_by_label("务工企业名称").fill("开原市某食品有限公司")
    form.get_by_label("务工（工资性就业）").check()
    form.get_by_label("“七个一批”类别").select_option(label="产业帮扶项目吸纳一批")
    submit = form.get_by_role("button", name="登记")
    submit.scroll_into_view_if_needed()
    submit.click()
    page.wait_for_url("**/employment/records/*/")
    expect(page.get_by_text("开原市某食品有限公司").first).to_be_visible()

    page.goto(f"{live_server.url}/employment/count/")
    expect(page.get_by_test_id("count-total")).to_have_text("1")
    page.goto(f"{live_server.url}/employment/labour/")
    row = page.get_by_test_id("labour-row").filter(has_text="刘春生")
    expect(row).to_have_attribute("data-working", "yes")
