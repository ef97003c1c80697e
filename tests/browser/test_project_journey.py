"""A township clerk proposes a project and records both publicities; the department and the
bureau review it; the bureau takes it into the library; it is implemented and accepted: every
step through the pages, in real Chromium, the clerk on a phone and the county on desktops.

The real clock runs (see tests/conftest.py), so each publicity and the announcement are
recorded with past dates, ten days ending yesterday, and may be ended at once."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kaiyuan.accounts.roles import Department, Role
from kaiyuan.common.dates import today
from projects.models import Project
from tests.browser.conftest import new_context
from tests.browser.forms import confirm, covered_controls
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NAME = "中固镇有机稻米种植基地建设项目"


def _log_in(browser, live_server, username, viewport):
    context = new_context(browser, viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"project-{name}.png"), full_page=True)


def _status(page):
    return page.get_by_test_id("project-status")


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _submit(page, step, *, confirmed=True):
    """Press the step form's 提交 (and confirm the decision when the page asks)."""
    page.get_by_test_id(f"step-{step}").get_by_role("button", name="提交").click()
    if confirmed:
        confirm(page)
    else:
        page.wait_for_load_state()


def _fill_proposal(page, year, dates):
    form = page.get_by_test_id("proposal-form")
    # A township's own proposal, publicised by the township on the village and township boards.
    form.get_by_label("乡镇（街道）").check()
    form.get_by_label("项目名称").fill(NAME)
    expect(form.get_by_label("项目库年度")).to_have_value(str(year))
    form.get_by_label("项目类别").select_option("产业发展")
    form.get_by_label("项目子类").select_option(label="有机稻米")
    form.get_by_label("项目类型").select_option("自建类")
    form.get_by_label("行业主管部门").select_option(label="农业农村局")

    form.get_by_label("建设地点").fill("中固镇烟厂村东侧")
    row = form.get_by_test_id("village-row")
    row.get_by_label("村", exact=True).select_option(label="中固镇烟厂村")
    row.get_by_label("项目份额（%）").fill("100")
    row.get_by_label("资产份额（%）").fill("100")
    row.get_by_label("村级职责").fill("负责土地流转协调和日常管护")

    form.get_by_label("实施主体", exact=True).fill("开原市稻香农民专业合作社")
    form.get_by_label("主体类型").select_option("农民专业合作社")
    form.get_by_label("统一社会信用代码").fill("91110000600037341L")
    form.get_by_label("责任人", exact=True).fill("李国强")
    form.get_by_label("责任人电话").fill("13904100001")

    form.get_by_label("建设内容").fill("新建育秧大棚20座，配套灌溉设施")
    form.get_by_label("建设规模").fill("育秧大棚20座")
    form.get_by_label("计划开工日期").fill(dates[0])  # a date input takes its value typed in
    form.get_by_label("计划完工日期").fill(dates[1])

    form.get_by_label("总投资（元）").fill("1000000")
    form.get_by_label("中央衔接资金").fill("600000")
    form.get_by_label("省级衔接资金").fill("200000")
    form.get_by_label("县级衔接资金").fill("100000")
    form.get_by_label("自筹资金").fill("100000")

    form.get_by_label("吸纳就业").check()
    form.get_by_label("资产入股收益").check()

    rows = form.get_by_test_id("indicator-row")
    targets = [
        ("产出指标", "数量指标", "新建育秧大棚", "座", "20"),
        ("效益指标", "经济效益", "带动脱贫户增收", "元/户", "1500"),
        ("满意度指标", "服务对象满意度", "受益脱贫户满意度", "%", "90"),
    ]
    for index, (group, kind, name, unit, target) in enumerate(targets):
        row = rows.nth(index)
        row.get_by_label("一级指标").select_option(group)
        row.get_by_label("二级指标").select_option(kind)
        row.get_by_label("三级指标").fill(name)
        row.get_by_label("计量单位").fill(unit)
        row.get_by_label("指标值").fill(target)

    # The 四有 checklist shows once the category is an industry one.
    four_haves = form.locator("[data-section=four_haves]")
    expect(four_haves).to_be_visible()
    for label in ("有经营主体", "有联农带农机制", "有稳定收益", "有风险防控措施"):
        four_haves.get_by_label(label).check()


def _record_publicity(page, board, medium, start, end, photo):
    form = page.get_by_test_id("step-publicity_record")
    form.get_by_label("公示栏").select_option(label=board)
    form.get_by_label("公示方式").select_option(medium)
    form.get_by_label("公示地点").fill(f"{board}公示栏")
    form.get_by_label("公示开始").fill(start.isoformat())
    form.get_by_label("公示结束").fill(end.isoformat())
    form.get_by_label("公示现场照片").set_input_files(str(photo))
    _submit(page, "publicity_record", confirmed=False)


def test_a_township_project_from_proposal_to_acceptance(
    live_server, browser, reference_data, county, village_a, clerk_a, bureau, tmp_path
):
    UserFactory(
        username="dept_agri",
        role=Role.DEPARTMENT,
        area=county,
        department=Department.AGRICULTURE,
    )
    board_photo = tmp_path / "公示照片.jpg"
    board_photo.write_bytes(b"\xff\xd8\xff\xe0 the board with the publicity")
    site_photo = tmp_path / "现场照片.jpg"
    site_photo.write_bytes(b"\xff\xd8\xff\xe0 the greenhouses built")
    report = tmp_path / "验收报告.pdf"
    report.write_bytes(b"%PDF-1.4 acceptance report")
    now = today()
    year = now.year + 1  # proposals are gathered in the year before their library
    start = now - datetime.timedelta(days=10)
    end = now - datetime.timedelta(days=1)

    # ---- the clerk, on a phone, proposes the township's project ------------------------------
    clerk = _log_in(browser, live_server, "clerk_a", PHONE)
    clerk.goto(f"{live_server.url}/projects/new/")
    _fill_proposal(clerk, year, (f"{year}-04-01", f"{year}-10-31"))
    _no_sideways_scroll(clerk)
    assert covered_controls(clerk) == []
    _shot(clerk, "proposal-form")
    clerk.get_by_role("button", name="保存草稿").click()
    clerk.wait_for_url("**/projects/*/")
    project_url = clerk.url
    expect(_status(clerk)).to_have_text("谋划中")
    expect(clerk.get_by_test_id("project-header")).to_contain_text("乡镇（街道）")
    expect(clerk.get_by_test_id("entity-uscc")).to_contain_text("91110000600037341L")
    expect(clerk.get_by_test_id("indicators")).to_contain_text("受益脱贫户满意度")
    _submit(clerk, "submit")
    expect(_status(clerk)).to_have_text("已申报")

    # The village board: ten days, ended yesterday.
    _record_publicity(clerk, "村内公示", "村务公开栏", start, end, board_photo)
    expect(_status(clerk)).to_have_text("乡镇公示")
    # The township board, first with a day too few: refused, with the rule's words, and kept
    # in the form to correct.
    _record_publicity(
        clerk, "乡镇公示", "乡镇政务公开栏", start, end - datetime.timedelta(days=1), board_photo
    )
    refused = clerk.get_by_test_id("step-publicity_record")
    expect(refused).to_contain_text("公示期为9天")
    expect(refused).to_contain_text("不得少于10天")
    assert clerk.get_by_test_id("publicity-row").count() == 1
    _record_publicity(clerk, "乡镇公示", "乡镇政务公开栏", start, end, board_photo)
    rows = clerk.get_by_test_id("publicity-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="乡镇公示")).to_contain_text("10天")
    expect(rows.first.get_by_role("link", name="公示照片.jpg")).to_be_visible()
    _no_sideways_scroll(clerk)
    assert covered_controls(clerk) == []
    _shot(clerk, "publicities")
    _submit(clerk, "publicity_close")
    expect(_status(clerk)).to_have_text("行业部门审核")
    # The sector's review is the department's: the clerk is told who acts next, not offered it.
    expect(clerk.get_by_test_id("step-department_review")).to_have_count(0)
    expect(clerk.get_by_test_id("project-waiting")).to_contain_text("农业农村局")

    # ---- the agriculture department finds it in its 待办 and passes it ------------------------
    department = _log_in(browser, live_server, "dept_agri", DESKTOP)
    department.goto(f"{live_server.url}/inbox/")
    item = department.get_by_test_id("inbox-item").filter(has_text=NAME)
    item.get_by_role("link", name="去办理").click()
    department.wait_for_url(project_url)
    review = department.get_by_test_id("step-department_review")
    review.get_by_label("审核通过").select_option("是")
    review.get_by_label("审核意见").fill("符合农业产业发展规划，用地、环评手续齐全")
    _submit(department, "department_review")
    expect(_status(department)).to_have_text("县级论证")

    # ---- the bureau: joint review, decision, announcement, library, plan -----------------------
    office = _log_in(browser, live_server, "bureau", DESKTOP)
    office.goto(project_url)
    office.get_by_test_id("step-joint_review").get_by_label("论证意见").fill(
        "合规性、投资估算、资金来源、用地和环评论证通过"
    )
    _submit(office, "joint_review", confirmed=False)
    expect(_status(office)).to_have_text("县级论证")
    decision = office.get_by_test_id("step-county_decide")
    decision.get_by_label("审定通过").select_option("是")
    decision.get_by_role("button", name="提交").click()
    expect(office.get_by_test_id("confirm-dialog")).to_contain_text(NAME)
    confirm(office)
    expect(_status(office)).to_have_text("县级审定")

    office.get_by_test_id("announce-link").get_by_role("link").click()
    office.wait_for_url(f"**/projects/announcements/new/?year={year}")
    announcement = office.get_by_test_id("announcement-form")
    announcement.get_by_label("文号").fill(f"开乡振发〔{now.year}〕12号")
    announcement.get_by_label("公告日期").fill(start.isoformat())
    announcement.get_by_label("公告截止日期").fill(end.isoformat())
    expect(announcement.get_by_label(NAME, exact=False)).to_be_checked()
    announcement.get_by_role("button", name="登记公告").click()
    confirm(office)
    office.wait_for_url("**/projects/announcements/*/")
    expect(office.get_by_role("main")).to_contain_text(NAME)
    _shot(office, "announcement")

    office.goto(project_url)
    expect(_status(office)).to_have_text("县级公告")
    _submit(office, "admit")
    expect(_status(office)).to_have_text("已入库")
    expect(office.get_by_test_id("step-plan").get_by_label("计划年度")).to_have_value(str(year))
    _submit(office, "plan")
    expect(_status(office)).to_have_text("已纳入年度计划")

    # ---- the clerk implements it --------------------------------------------------------------
    clerk.goto(project_url)
    _submit(clerk, "start")
    expect(_status(clerk)).to_have_text("实施中")
    progress = clerk.get_by_test_id("step-progress_report")
    progress.get_by_label("形象进度（%）").fill("100")
    progress.get_by_label("进度", exact=True).fill("育秧大棚20座全部建成，灌溉设施安装完毕")
    progress.get_by_label("现场照片").set_input_files(str(site_photo))
    _submit(clerk, "progress_report", confirmed=False)
    expect(clerk.get_by_test_id("progress-bar")).to_have_attribute("aria-valuenow", "100")
    expect(clerk.get_by_test_id("progress-row")).to_contain_text("现场照片.jpg")
    _no_sideways_scroll(clerk)
    _submit(clerk, "complete")
    expect(_status(clerk)).to_have_text("竣工")
    expect(clerk.get_by_test_id("step-acceptance")).to_have_count(0)  # the bureau's
    _shot(clerk, "completed")

    # ---- the bureau accepts it ----------------------------------------------------------------
    office.goto(project_url)
    acceptance = office.get_by_test_id("step-acceptance")
    acceptance.get_by_label("合格", exact=True).check()
    acceptance.get_by_label("验收组").fill("县乡村振兴局、农业农村局、中固镇联合验收组")
    acceptance.get_by_label("验收报告").set_input_files(str(report))
    _submit(office, "acceptance")
    expect(_status(office)).to_have_text("验收合格")
    expect(office.get_by_test_id("acceptances")).to_contain_text("合格")
    _shot(office, "accepted")

    project = Project.objects.get()
    assert project.status == Project.Status.ACCEPTED
    assert project.proposer_level == "township"
    assert project.publicity_records.filter(announcement__isnull=True).count() == 2
    assert project.plan_year == year
