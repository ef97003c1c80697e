"""A township clerk sees on the home page that a case waits for their township review, follows
the count to the 待办 list and the item to the case, and lands on the review form: on a desktop
and on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from kaiyuan.accounts.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory
from tests.monitoring.case_steps import at_township_review
from tests.monitoring.factories import make_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.mark.parametrize("screen", ["desktop_page", "phone_page"])
def test_a_clerk_goes_from_the_home_count_to_the_township_review(
    request, live_server, screen, reference_data, township_a, village_a, clerk_a, bureau
):
    entered_by = UserFactory(username="clerk2_a", role=Role.TOWNSHIP_CLERK, area=township_a)
    household = make_household(village_a, head_name="孙有田")
    case = at_township_review(household, entered_by, bureau)
    page = request.getfixturevalue(screen)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("clerk_a")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")

    card = page.get_by_test_id("inbox-count-cases.township_review")
    expect(card.get_by_test_id("inbox-count")).to_have_text("1")
    expect(card).to_contain_text("待乡镇审核")
    # Nothing spills sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"inbox-home-{screen}.png"), full_page=True)
    card.click()
    page.wait_for_url("**/inbox/?source=cases.township_review")

    item = page.get_by_test_id("inbox-item").filter(has_text="孙有田")
    expect(item).to_contain_text("办理期限")
    page.screenshot(path=str(SCREENSHOTS / f"inbox-list-{screen}.png"), full_page=True)
    item.get_by_role("link", name="去办理").click()
    page.wait_for_url(f"**/monitoring/cases/{case.pk}/")
    expect(page.get_by_test_id("step-township_review")).to_be_visible()
