"""A township clerk pays a project's funds under 报账制 and finance accepts the 报账: an advance of
30 %, a second advance refused with the plan's reason beside the amount, 70 % progress reported
on the project's page, the progress payment, the 报账 with its voucher, finance's acceptance;
every step clicked in real Chromium, at a desktop and at a phone size.

The project is built by the funds factories (planned, started, its funds assigned and arrived),
since the project library's own journey walks the steps before."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from funds.codes import ReimbursementStatus, Tranche
from funds.models import Payment
from kaiyuan.accounts.roles import Role
from projects.models import Project
from tests.browser.conftest import new_context
from tests.browser.forms import confirm, covered_controls
from tests.factories import TEST_PASSWORD, UserFactory
from tests.funds import factories as f
from tests.projects.factories import VALID_USCC

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


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _open_payment_form(page, live_server, project):
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_test_id("project-funds").click()
    page.wait_for_url(f"**/funds/projects/{project.pk}/")
    page.get_by_test_id("payment-new").click()
    page.wait_for_url(f"**/funds/projects/{project.pk}/pay/")
    return page.get_by_test_id("payment-form")


def _pay(page, tranche, amount):
    form = page.get_by_test_id("payment-form")
    form.get_by_label("拨付类型").select_option(tranche)
    form.get_by_label("金额（元）").fill(amount)
    form.get_by_label("收款人", exact=True).fill("开原市稻香农民专业合作社")
    form.get_by_label("收款人账号").fill("6228480012345678")
    form.get_by_label("开户银行").fill("开原农商银行")
    form.get_by_label("收款单位统一社会信用代码").fill(VALID_USCC)
    form.get_by_label("拨付依据").fill("施工合同 KY-HT-001")
    form.get_by_role("button", name="登记拨付").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
def test_a_clerk_pays_by_tranche_and_finance_accepts_the_reimbursement(
    live_server, browser, reference_data, county, village_a, clerk_a, size, tmp_path
):
    viewport = SIZES[size]
    UserFactory(username="finance", role=Role.FINANCE, area=county)
    project = f.project(village_a, clerk_a, total="1000000.00")
    Project.objects.filter(pk=project.pk).update(status=Project.Status.IMPLEMENTING)
    f.fund(project, clerk_a)
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 the works at 70 %")
    invoice = tmp_path / "发票.pdf"
    invoice.write_bytes(b"%PDF-1.4 the contractor's invoice")

    # ---- the advance, 30 % of the fund total -------------------------------------------------
    clerk = _log_in(browser, live_server, "clerk_a", viewport)
    _open_payment_form(clerk, live_server, project)
    _no_sideways_scroll(clerk)
    assert covered_controls(clerk) == []
    _pay(clerk, Tranche.ADVANCE, "300000")
    clerk.wait_for_url("**/funds/payments/*/")
    expect(clerk.get_by_test_id("payment-amount")).to_have_text("300,000.00")
    expect(clerk.get_by_test_id("draw-row")).to_have_count(1)

    # ---- a second advance: refused, the reason beside the amount, nothing kept ---------------
    _open_payment_form(clerk, live_server, project)
    _pay(clerk, Tranche.ADVANCE, "1000")
    amount = clerk.get_by_test_id("payment-form").get_by_label("金额（元）")
    expect(amount).to_have_value("1000")
    expect(amount.locator("xpath=..")).to_contain_text("累计拨付 301,000.00 元")
    expect(amount.locator("xpath=..")).to_contain_text("超过资金总额 1,000,000.00 元的 30%")
    assert Payment.objects.count() == 1

    # ---- 70 % progress on the project's page ------------------------------------------------
    clerk.goto(f"{live_server.url}/projects/{project.pk}/")
    progress = clerk.get_by_test_id("step-progress_report")
    progress.get_by_label("形象进度（%）").fill("70")
    progress.get_by_label("进度", exact=True).fill("主体工程完成70%")
    progress.get_by_label("现场照片").set_input_files(str(photo))
    progress.get_by_role("button", name="提交").click()
    expect(clerk.get_by_test_id("progress-bar")).to_have_attribute("aria-valuenow", "70")

    # ---- the progress payment ----------------------------------------------------------------
    _open_payment_form(clerk, live_server, project)
    _pay(clerk, Tranche.PROGRESS, "400000")
    clerk.wait_for_url("**/funds/payments/*/")
    expect(clerk.get_by_test_id("payment-amount")).to_have_text("400,000.00")
    payment_url = clerk.url

    # ---- the clerk reports its 报账 with the voucher -----------------------------------------
    report = clerk.get_by_test_id("report-form")
    report.get_by_label("凭证号").fill("记-2026-118")
    report.get_by_label("报账凭证（发票、花名册、收据）").set_input_files(str(invoice))
    _no_sideways_scroll(clerk)
    assert covered_controls(clerk) == []
    report.get_by_role("button", name="报账", exact=True).click()
    expect(clerk.get_by_test_id("voucher")).to_have_text("发票.pdf")
    expect(clerk.get_by_test_id("report-form")).to_have_count(0)
    expect(clerk.get_by_test_id("decide-form")).to_have_count(0)  # finance's, not the clerk's

    # ---- finance opens the payment and accepts the 报账 --------------------------------------
    finance = _log_in(browser, live_server, "finance", viewport)
    finance.goto(payment_url)
    decision = finance.get_by_test_id("decide-form")
    decision.get_by_label("报账审核通过").check()
    _no_sideways_scroll(finance)
    decision.get_by_role("button", name="提交").click()
    confirm(finance)
    expect(finance.get_by_test_id("decide-form")).to_have_count(0)

    progress_payment = Payment.objects.get(tranche=Tranche.PROGRESS)
    assert progress_payment.amount == 400000
    assert progress_payment.progress_report.percent == 70
    assert progress_payment.reimbursement.status == ReimbursementStatus.ACCEPTED
    assert progress_payment.reimbursement.vouchers.get().name == "发票.pdf"
