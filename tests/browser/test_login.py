from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _log_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_a_clerk_logs_in_and_sees_the_home_page_in_chinese(live_server, desktop_page, clerk_a):
    page = desktop_page
    _log_in(page, live_server, "clerk_a", TEST_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="工作板块").is_visible()
    assert "乡镇办事员 · 开原市中固镇" in page.get_by_test_id("home-role").inner_text()
    assert "clerk_a" in page.get_by_test_id("current-user").inner_text()
    assert page.get_by_role("link", name="防返贫监测").first.is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "home-clerk.png"), full_page=True)


def test_a_wrong_password_is_explained_in_chinese_on_a_phone(live_server, phone_page, clerk_a):
    page = phone_page
    _log_in(page, live_server, "clerk_a", "not-the-password-1")
    assert page.get_by_role("alert").filter(has_text="请核对用户名和密码").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "login-phone.png"), full_page=True)


def test_the_menu_collapses_on_a_phone_and_opens(live_server, phone_page, bureau):
    page = phone_page
    _log_in(page, live_server, "bureau", TEST_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    nav_link = page.locator("#mainNav").get_by_role("link", name="项目库")
    assert not nav_link.is_visible()
    page.get_by_role("button", name="菜单").click()
    nav_link.wait_for(state="visible")
    nav_link.click()
    page.wait_for_url(f"{live_server.url}/projects/")
    assert page.get_by_role("heading", name="项目库").is_visible()
