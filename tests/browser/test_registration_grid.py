"""The grid of a new household follows its village as a clerk chooses it, in a real Chromium
under the site's Content-Security-Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, GridFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_grid_choices_follow_the_village(
    live_server, desktop_page, reference_data, clerk_a, village_a, village_a2, grid_a
):
    GridFactory(area=village_a2, name="东网格")
    GridFactory(area=village_a2, name="西网格")
    page = desktop_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/")
    page.get_by_label("用户名").fill("clerk_a")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/monitoring/households/new/")

    grid = page.get_by_label("网格", exact=True)
    expect(grid.locator("option:checked")).to_have_text("请先选择行政村")
    page.get_by_label("行政村", exact=True).select_option(label="中固镇烟厂村")
    # The village's only grid is chosen for the clerk.
    expect(grid.locator("option:checked")).to_have_text("第一网格")
    page.get_by_label("行政村", exact=True).select_option(label="中固镇大白庙子村")
    expect(grid.locator("option")).to_have_text(["请选择网格", "东网格", "西网格"])
    grid.select_option(label="西网格")
    expect(grid.locator("option:checked")).to_have_text("西网格")
    assert errors == []
