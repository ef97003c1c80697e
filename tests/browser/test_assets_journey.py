"""A township clerk settles a PV station's income, distributes it 6:3:1, records its publicity
and pays it: every step clicked in real Chromium, at a desktop and at a phone size.

The station is an asset of earlier years on the ledger (the handover has its own pages). The
journey starts from the settlement page of the asset, reached by its address; the steps after
it follow the pages' own links and forms. Fields are found by their names and buttons by their
forms, so the test reads the same before and after the catalogue has the new strings; the
status it ends on is the label the page shows for "paid" (已发放)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assets.codes import LineUse
from assets.models import AssetIncome, Distribution
from kaiyuan.common.dates import today
from tests.assets.factories import exited, legacy_asset
from tests.browser.conftest import new_context
from tests.browser.forms import confirm, covered_controls
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}


def _log_in(browser, live_server, username, viewport):
    context = new_context(browser, viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def _check_layout(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert covered_controls(page) == []


def _submit(form):
    form.locator("button[type=submit]").click()


def _share(page, use) -> str:
    return page.get_by_test_id(f"share-{use}").inner_text().replace(",", "")


def _add_line(page, use, *, item, amount, payee="", household=None):
    form = page.get_by_test_id("line-form")
    form.locator("[name=line-use]").select_option(use)
    if household is not None:
        search = page.get_by_test_id("household-search")
        search.locator("[name=q]").fill(household.head_name)
        _submit(search)
        form.locator(f"input[name=line-household][value='{household.pk}']").check()
    form.locator("[name=line-item]").fill(item)
    if payee:
        form.locator("[name=line-payee]").fill(payee)
    form.locator("[name=line-amount]").fill(amount)
    _submit(form)
    page.wait_for_load_state()
    expect(page.locator(f"[data-testid=line-row][data-use={use}]")).to_have_count(1)


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
def test_a_clerk_settles_distributes_publicises_and_pays_a_pv_stations_income(
    live_server, browser, reference_data, village_a, clerk_a, size
):
    station = legacy_asset(village_a, clerk_a, name="烟厂村光伏帮扶电站")
    holder = exited(village_a, head_name="周玉梅")
    last_year = today().year - 1
    clerk = _log_in(browser, live_server, "clerk_a", SIZES[size])

    # ---- settle last year's income (清算): the station's income less maintenance ---------------
    clerk.goto(f"{live_server.url}/assets/{station.pk}/incomes/new/")
    form = clerk.get_by_test_id("income-form")
    expect(form.locator("[name=year]")).to_have_value(str(last_year))
    form.locator("[name=gross_income]").fill("100000.05")
    form.locator("[name=depreciation]").fill("0")
    form.locator("[name=maintenance]").fill("2000.00")
    form.locator("[name=note]").fill("国网结算电费收入")
    _check_layout(clerk)
    _submit(form)
    clerk.wait_for_url("**/assets/incomes/*/distribute/")
    expect(clerk.get_by_test_id("net-income")).to_have_text("98,000.05")

    # ---- the plan, of all the net income -------------------------------------------------------
    plan_form = clerk.get_by_test_id("distribution-form")
    expect(plan_form.locator("[name=amount]")).to_have_value("98000.05")
    _check_layout(clerk)
    _submit(plan_form)
    clerk.wait_for_url("**/assets/distributions/*/")
    expect(clerk.get_by_test_id("distribution-status")).to_have_attribute("data-status", "draft")

    # ---- the three uses' lines, at the shares the page shows (6:3:1) -----------------------------
    jobs, works, rewards = (
        _share(clerk, use) for use in (LineUse.PV_JOBS, LineUse.PV_WORKS, LineUse.PV_REWARDS)
    )
    assert (jobs, works, rewards) == ("58800.04", "29400.01", "9800.00")
    _check_layout(clerk)
    _add_line(clerk, LineUse.PV_JOBS, item="村保洁员", amount=jobs, household=holder)
    _add_line(clerk, LineUse.PV_WORKS, item="村内路灯维修", payee="烟厂村村民委员会", amount=works)
    _add_line(
        clerk, LineUse.PV_REWARDS, item="孝老爱亲奖励", payee="烟厂村村民委员会", amount=rewards
    )
    expect(clerk.get_by_test_id("planned")).to_have_text("98,000.05")
    expect(clerk.get_by_test_id("line-household")).to_have_text("周玉梅")

    # ---- the publicity ------------------------------------------------------------------------
    publicity = clerk.get_by_test_id("publicity-form")
    week_ago = (today() - datetime.timedelta(days=7)).isoformat()
    publicity.locator("[name=publicity-publicity_from]").fill(week_ago)
    publicity.locator("[name=publicity-publicity_to]").fill(today().isoformat())
    publicity.locator("[name=publicity-publicity_place]").fill("烟厂村村务公开栏")
    publicity.locator("[name=publicity-publicity_objections]").fill("无异议")
    _check_layout(clerk)
    _submit(publicity)
    confirm(clerk)
    expect(clerk.get_by_test_id("distribution-status")).to_have_attribute(
        "data-status", "publicised"
    )
    expect(clerk.get_by_test_id("line-form")).to_have_count(0)

    # ---- the payment --------------------------------------------------------------------------
    pay = clerk.get_by_test_id("pay-form")
    expect(pay.locator("[name=pay-paid_on]")).to_have_value(today().isoformat())
    pay.locator("[name=pay-payment_reference]").fill("开原农商银行代发 2026-118")
    _check_layout(clerk)
    _submit(pay)
    confirm(clerk)
    status = clerk.get_by_test_id("distribution-status")
    expect(status).to_have_attribute("data-status", "paid")
    expect(status).to_have_text(str(Distribution.Status.PAID.label))  # 已发放
    expect(clerk.get_by_test_id("pay-form")).to_have_count(0)
    _check_layout(clerk)

    income = AssetIncome.objects.get(asset=station)
    assert (income.year, income.net_income) == (last_year, Decimal("98000.05"))
    plan = Distribution.objects.get(income=income)
    assert plan.status == Distribution.Status.PAID
    assert plan.publicity_place == "烟厂村村务公开栏"
    assert {line.use: (line.item, line.amount) for line in plan.lines.all()} == {
        LineUse.PV_JOBS: ("村保洁员", Decimal("58800.04")),
        LineUse.PV_WORKS: ("村内路灯维修", Decimal("29400.01")),
        LineUse.PV_REWARDS: ("孝老爱亲奖励", Decimal("9800.00")),
    }
    assert plan.lines.get(use=LineUse.PV_JOBS).household == holder
