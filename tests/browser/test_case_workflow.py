"""A township clerk takes a household from a risk lead to county approval through the pages, with
a second clerk of the township reviewing (the one who entered the village's steps may not) and
the bureau cross-checking and approving, in real Chromium."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kaiyuan.common.dates import today
from monitoring.codes import HouseholdType
from monitoring.models import Household, MonitoringCase
from tests.browser.conftest import new_context
from tests.browser.forms import confirm
from tests.factories import TEST_PASSWORD
from tests.monitoring.factories import make_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _log_in(browser, live_server, username):
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def _submit_step(page, step):
    page.get_by_test_id(f"step-{step}").get_by_role("button", name="提交").click()
    confirm(page)


def test_lead_to_county_approval(
    live_server, browser, reference_data, village_a, clerk_a, reviewer_a, bureau, tmp_path
):
    household = make_household(village_a, household_type=HouseholdType.ORDINARY, head_name="赵大勇")
    scan = tmp_path / "授权书.pdf"
    scan.write_bytes(b"%PDF-1.4 signed by the household")

    clerk = _log_in(browser, live_server, "clerk_a")
    clerk.goto(f"{live_server.url}/monitoring/households/{household.pk}/")
    clerk.get_by_role("link", name="登记风险线索").click()
    clerk.get_by_label("情况说明").fill("户主突发脑梗住院，自付医疗费用较高")
    clerk.get_by_role("button", name="保存").click()
    clerk.wait_for_load_state()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    clerk.screenshot(path=str(SCREENSHOTS / "lead-saved.png"), full_page=True)
    clerk.get_by_role("button", name="启动识别").click()
    clerk.wait_for_url("**/monitoring/cases/*/")
    case_url = clerk.url

    form = clerk.get_by_test_id("step-submit_application")
    form.locator("[name='submit_application-category']").select_option("突发严重困难户")
    form.locator("[name='submit_application-risk_1']").select_option("因病")
    for name in ("child_out_of_school", "housing_unsafe", "member_uninsured", "water_unsafe"):
        form.locator(f"[name='submit_application-{name}']").select_option("false")
    form.locator("[name='submit_application-authorisation']").set_input_files(str(scan))
    _submit_step(clerk, "submit_application")
    assert "入户核实和信息比对" in clerk.get_by_test_id("case-status").inner_text()

    office = _log_in(browser, live_server, "bureau")
    office.goto(case_url)
    office.locator("[name='crosscheck-result']").fill("与公安、不动产、市场监管数据比对无异常")
    _submit_step(office, "crosscheck")

    clerk.goto(case_url)
    clerk.locator("[name='verify-verifiers']").fill("孙立国，钱明")
    clerk.locator("[name='verify-findings']").fill("入户核实属实")
    _submit_step(clerk, "verify")
    clerk.get_by_test_id("step-appraise").get_by_label("符合条件，进入公示").check()
    clerk.locator("[name='appraise-minutes']").set_input_files(str(scan))
    _submit_step(clerk, "appraise")
    assert "村内公示" in clerk.get_by_test_id("case-status").inner_text()

    # Five days of publicity pass (the page refuses to close it earlier; tests/monitoring cover
    # that): move the end of the period into the past instead of waiting.
    MonitoringCase.objects.update(publicity_end=today() - datetime.timedelta(days=1))
    clerk.goto(case_url)
    clerk.get_by_test_id("step-close_publicity").get_by_label("无异议或异议不成立").check()
    _submit_step(clerk, "close_publicity")
    # The clerk entered the village's steps for the village committee: the township review is
    # another clerk's, and the page says so instead of offering the form.
    assert clerk.get_by_test_id("step-township_review").count() == 0
    assert "须由其他人员办理" in clerk.get_by_test_id("case-waiting").inner_text()

    reviewer = _log_in(browser, live_server, "reviewer_a")
    reviewer.goto(case_url)
    reviewer.get_by_test_id("step-township_review").get_by_label("审核通过，报县级审定").check()
    _submit_step(reviewer, "township_review")
    assert "县级审定" in reviewer.get_by_test_id("case-status").inner_text()
    assert reviewer.get_by_test_id("step-county_decide").count() == 0  # not the clerk's step

    office.goto(case_url)
    # A finger lands on 未通过: the confirmation names the household and the decision, and
    # 返回修改 leaves the case where it was.
    decision = office.get_by_test_id("step-county_decide")
    decision.get_by_label("未通过").check()
    decision.get_by_role("button", name="提交").click()
    dialog = office.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("赵大勇户")
    expect(dialog).to_contain_text("县级审定意见：未通过")
    dialog.get_by_role("button", name="返回修改").click()
    expect(dialog).to_be_hidden()
    assert "县级审定" in office.get_by_test_id("case-status").inner_text()
    assert MonitoringCase.objects.get().status == MonitoringCase.Status.COUNTY_APPROVAL
    decision.get_by_label("审定通过").check()
    decision.get_by_role("button", name="提交").click()
    expect(dialog).to_contain_text("县级审定意见：审定通过")
    confirm(office)
    assert "已审定并公告" in office.get_by_test_id("case-status").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    office.screenshot(path=str(SCREENSHOTS / "case-approved.png"), full_page=True)

    household.refresh_from_db()
    assert household.monitoring_status == Household.MonitoringStatus.MONITORED
    assert household.monitoring_category == "突发严重困难户"
