"""Every form of monitoring and of the project library, as each role meets it in the demo
county, on a desktop and on a phone: no control is drawn over another or under the next field,
and each radio button, check box and field takes a click where a person would make it
(Playwright's actionability checks, never forced)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command

from kaiyuan.accounts.models import User
from kaiyuan.areas.models import Area
from monitoring.models import DeptWarning, Household, Member, MonitoringCase
from projects.codes import Category, ProposerLevel, Subcategory
from projects.models import ConstructionListItem, FourHavesItem
from projects.services.projects import project_create
from tests.browser.conftest import new_context
from tests.browser.forms import click_every_choice, click_every_field, covered_controls
from tests.projects.factories import proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
Status = MonitoringCase.Status


def _form_pages() -> dict[str, list[str]]:
    """The pages with a form that each demo login opens, found in the seeded data."""
    open_case = MonitoringCase.objects.filter(area__parent__code__isnull=False)
    busiest = (
        open_case.exclude(status__in=[Status.APPROVED, Status.REJECTED])
        .values_list("area__parent__code", flat=True)
        .first()
    )
    clerk = User.objects.get(username=f"clerk_{busiest}")
    township_cases = MonitoringCase.objects.filter(area__parent__code=busiest)
    household = Household.objects.filter(area__parent__code=busiest).order_by("pk").first()
    member = Member.objects.filter(household=household).exclude(relation="户主").first()
    h = f"/monitoring/households/{household.pk}"
    pages = {
        clerk.username: [
            "/monitoring/households/new/",
            f"{h}/edit/",
            f"{h}/members/add/",
            f"/monitoring/members/{member.pk}/edit/",
            f"/monitoring/members/{member.pk}/remove/",
            f"{h}/head/",
            f"{h}/split/",
            f"{h}/merge/",
            f"{h}/income/",
            f"{h}/conditions/",
            f"{h}/leads/new/",
            f"{h}/measures/add/",
            f"{h}/card/",
            f"/monitoring/visits/record/{household.pk}/",
            f"/monitoring/cards/village/{household.area_id}/",
            "/monitoring/transfer/import/",
            "/monitoring/transfer/export/",
            "/monitoring/lists/monitored/",
            "/accounts/password/",
        ],
        "bureau": ["/audit/", "/monitoring/lists/cases/", "/monitoring/visits/coverage/"],
    }
    for status in (
        Status.APPLICATION,
        Status.VERIFYING,
        Status.VILLAGE_APPRAISAL,
        Status.VILLAGE_PUBLICITY,
        Status.TOWNSHIP_REVIEW,
    ):
        case = township_cases.filter(status=status).first()
        if case:
            pages[clerk.username].append(f"/monitoring/cases/{case.pk}/")
    # The county's steps: a cross-check still to record, a decision to take.
    for waiting in (
        {"status": Status.VERIFYING, "kind": "identification", "crosscheck_on__isnull": True},
        {"status": Status.COUNTY_APPROVAL},
    ):
        case = MonitoringCase.objects.filter(**waiting).order_by("pk").first()
        pages["bureau"].append(f"/monitoring/cases/{case.pk}/")
    warning = DeptWarning.objects.filter(
        area__parent__code=busiest, result=DeptWarning.Result.PENDING
    ).first()
    if warning:
        pages[clerk.username].append(f"/monitoring/warnings/{warning.pk}/verify/")
    worker = User.objects.filter(role="grid_worker", grids__households__isnull=False).first()
    visited = Household.objects.filter(grid__worker=worker).first()
    pages[worker.username] = [f"/monitoring/visits/record/{visited.pk}/"]
    pages["dept_medical"] = ["/monitoring/warnings/upload/", "/projects/new/"]
    pages[worker.username].append("/projects/new/")
    _project_pages(pages, clerk)
    _funds_pages(pages)
    _assets_pages(pages, clerk)
    _asset_income_pages(pages, clerk)
    _employment_post_pages(pages, clerk)
    _employment_record_pages(pages, clerk)
    _employment_count_pages(pages, clerk)
    pages[clerk.username] += ["/employment/roster/", "/employment/roster/upload/"]
    return pages


def _clerk_of(area) -> str:
    return f"clerk_{area.code[: Area.CODE_LENGTH[Area.Level.TOWNSHIP]]}"


def _funds_pages(pages: dict[str, list[str]]) -> None:
    """The linkage funds' forms: a payment, its 报账 for the township and for finance, a
    placement's and a loan's steps, a new loan; the bureau's allocation, assignment,
    reallocation and the progress question."""
    from funds.models import DebtPlacement, FundAllocation, MicrocreditLoan, Payment, ProjectFund
    from funds.selectors.allocations import idle_entries

    def add(username, path):
        pages.setdefault(username, []).append(path)

    unreported = Payment.objects.filter(
        reverses__isnull=True, reversed_by__isnull=True, reimbursement__status="unreported"
    ).select_related("project__area")
    payment = unreported.order_by("pk").first()
    add(_clerk_of(payment.project.area), f"/funds/projects/{payment.project_id}/pay/")
    add(_clerk_of(payment.project.area), f"/funds/payments/{payment.pk}/")
    reported = Payment.objects.filter(reimbursement__status="reported").order_by("pk").first()
    add("finance", f"/funds/payments/{reported.pk}/")
    placement = DebtPlacement.objects.select_related("project__area").order_by("pk").first()
    add(_clerk_of(placement.project.area), f"/funds/placements/{placement.pk}/")
    loan = MicrocreditLoan.objects.select_related("household__area").order_by("pk").first()
    add(_clerk_of(loan.household.area), f"/funds/loans/{loan.pk}/")
    add(_clerk_of(loan.household.area), f"/funds/households/{loan.household_id}/loans/new/")
    allocation = FundAllocation.objects.filter(reverses__isnull=True).order_by("pk").first()
    add("bureau", "/funds/allocations/new/")
    add("bureau", f"/funds/allocations/{allocation.pk}/")
    add("bureau", "/funds/progress/")
    bureau = User.objects.get(username="bureau")
    idle = idle_entries(bureau).first() or ProjectFund.objects.order_by("pk").first()
    add("bureau", f"/funds/idle/{idle.pk}/reallocate/")


def _assets_pages(pages: dict[str, list[str]], clerk: User) -> None:
    """The asset ledger's forms: an asset of earlier years and its edit, 确权, 三资 entry,
    status and 四个一批 review, a disposal proposed and the steps of three disposals (the
    owner's decision and the disposal for the township, the approval for the bureau), a
    collective registered, the handover of an accepted project; and the ledger's filters."""
    from assets.codes import AssetType, DisposalMethod
    from assets.selectors.assets import awaiting_handover
    from assets.services import disposals
    from tests.assets.factories import legacy_asset

    def add(username, path):
        pages.setdefault(username, []).append(path)

    bureau = User.objects.get(username="bureau")
    village = Area.objects.filter(parent=clerk.area, level=Area.Level.VILLAGE).first()
    asset = legacy_asset(village, clerk, name="蔬菜温室大棚", asset_type=AssetType.GREENHOUSE)
    proposed, decided, approved = (
        disposals.disposal_propose(
            asset=legacy_asset(village, clerk),
            method=DisposalMethod.SCRAP,
            reason="损毁",
            actor=clerk,
        )
        for _index in range(3)
    )
    for disposal in (decided, approved):
        disposals.disposal_decide(
            disposal=disposal,
            dispose=True,
            decided_on=disposal.proposed_at.date(),
            decision="村民代表大会决议",
            expected_version=disposal.version,
            actor=clerk,
        )
    approved.refresh_from_db()
    disposals.disposal_approve(
        disposal=approved, approve=True, reason="", expected_version=approved.version, actor=bureau
    )
    a = f"/assets/{asset.pk}"
    for path in (
        "/assets/list/",
        "/assets/new/",
        f"{a}/edit/",
        f"{a}/confirm/",
        f"{a}/sanzi/",
        f"{a}/status/",
        f"{a}/review/",
        f"{a}/dispose/",
        f"/assets/disposals/{proposed.pk}/",
        f"/assets/disposals/{approved.pk}/",
        "/assets/collectives/new/",
    ):
        add(clerk.username, path)
    add("bureau", f"/assets/disposals/{decided.pk}/")
    add("bureau", "/assets/list/")
    project = awaiting_handover(bureau).first()
    if project is not None:
        add(_clerk_of(project.area), f"/assets/handover/{project.pk}/")


def _asset_income_pages(pages: dict[str, list[str]], clerk: User) -> None:
    """The asset income's forms, on a PV station of the clerk's township (an asset of earlier
    years, settled and distributed here through the services): a settlement, its correction, a
    plan to draw up, a plan being drawn up with the household picker's results, a publicised
    plan to pay or reopen, the list's filters; the bureau's picker across the county."""
    import datetime

    from assets.codes import LineUse
    from assets.services import distributions as services
    from kaiyuan.common.dates import today
    from monitoring.codes import HouseholdType
    from tests.assets.factories import legacy_asset, settled

    village = Area.objects.filter(parent=clerk.area, level=Area.Level.VILLAGE).order_by("code")[0]
    household = (
        Household.objects.filter(area__parent=clerk.area, household_type=HouseholdType.EXITED)
        .current()
        .order_by("pk")
        .first()
    )
    to_settle = legacy_asset(village, clerk, name="光伏帮扶电站（待清算）")
    to_distribute = settled(legacy_asset(village, clerk, name="光伏帮扶电站（待分配）"), clerk)
    drawn_up = services.distribution_create(
        income=settled(legacy_asset(village, clerk), clerk, income="1000.00"), actor=clerk
    )
    publicised = services.distribution_create(
        income=settled(legacy_asset(village, clerk), clerk, income="1000.00"), actor=clerk
    )
    for plan in (drawn_up, publicised):
        for use, item, amount in (
            (LineUse.PV_JOBS, "村保洁员", "600.00"),
            (LineUse.PV_WORKS, "村内路灯维修", "300.00"),
            (LineUse.PV_REWARDS, "孝老爱亲奖励", "100.00"),
        ):
            services.line_add(
                distribution=plan,
                use=use,
                item=item,
                amount=amount,
                household=household if use == LineUse.PV_JOBS else None,
                actor=clerk,
            )
    publicised.refresh_from_db()
    services.distribution_publicise(
        distribution=publicised,
        publicity_from=today() - datetime.timedelta(days=7),
        publicity_to=today(),
        place="村务公开栏",
        expected_version=publicised.version,
        actor=clerk,
    )
    pages[clerk.username] += [
        f"/assets/{to_settle.pk}/incomes/new/",
        f"/assets/incomes/{to_distribute.pk}/edit/",
        f"/assets/incomes/{to_distribute.pk}/distribute/",
        f"/assets/distributions/{drawn_up.pk}/?q={household.household_number}",
        f"/assets/distributions/{publicised.pk}/",
        "/assets/distributions/",
    ]
    pages["bureau"] += [
        f"/assets/distributions/{drawn_up.pk}/?q={household.household_number[:6]}",
        "/assets/distributions/",
    ]


def _employment_post_pages(pages: dict[str, list[str]], clerk: User) -> None:
    """The public-welfare posts' and the skills courses' forms, on records of the clerk's
    township made here through the services: a new post (the village first, then the post),
    a post with a month paid (its pay, reversal and end) and its correction; a course with the
    people search's results, its correction and a trainee's page; the lists' filters; the
    bureau's new post and course across the county."""
    import datetime

    from employment.rules.counts import population_q
    from employment.services import posts, trainings
    from kaiyuan.common.dates import today
    from monitoring.codes import HAS_LABOUR
    from tests.employment.factories import course, post_details

    people = Member.objects.active().filter(
        population_q("household__"),
        household__area__parent=clerk.area,
        labour_skill__in=HAS_LABOUR,
        welfare_posts__isnull=True,
    )
    holder, trainee_person = people.select_related("household__area").order_by("pk")[:2]
    village = holder.household.area
    start = datetime.date(today().year, 1, 1)
    post = posts.post_create(
        village=village,
        details=post_details(holder, start_date=start, months=1),
        actor=clerk,
    )
    posts.post_pay(post=post, month=start, amount=post.monthly_pay, paid_on=today(), actor=clerk)
    training = course(
        clerk.area,
        clerk,
        start_date=today() - datetime.timedelta(days=10),
        end_date=today() - datetime.timedelta(days=5),
    )
    trainee = trainings.trainee_add(training=training, member=trainee_person, actor=clerk)
    pages[clerk.username] += [
        "/employment/posts/",
        "/employment/posts/new/",
        f"/employment/posts/new/?village={village.pk}",
        f"/employment/posts/{post.pk}/",
        f"/employment/posts/{post.pk}/edit/",
        "/employment/trainings/",
        "/employment/trainings/new/",
        f"/employment/trainings/{training.pk}/?q={holder.name[:1]}",
        f"/employment/trainings/{training.pk}/edit/",
        f"/employment/trainees/{trainee.pk}/edit/",
    ]
    pages["bureau"] += ["/employment/posts/new/", "/employment/trainings/new/"]


def _employment_record_pages(pages: dict[str, list[str]], clerk: User) -> None:
    """Employment's forms, on a member of a 脱贫户 of the clerk's township with a job recorded
    here through the services: a new job, its correction, its end and deletion, the review of
    a person registered without labour and working, the visit's "still at the same job", the
    jobs list's and the labour force's filters."""
    from kaiyuan.common.dates import today
    from monitoring.codes import HAS_LABOUR, HouseholdType, LabourSkill
    from monitoring.models.members import Member as MemberModel
    from tests.employment.factories import record_job

    exited = (
        Household.objects.filter(area__parent=clerk.area, household_type=HouseholdType.EXITED)
        .current()
        .order_by("pk")
    )
    members = MemberModel.objects.filter(household__in=exited, status="active").order_by("pk")
    person = members.filter(labour_skill__in=HAS_LABOUR).first()
    without = (
        members.filter(labour_skill=LabourSkill.LOST).first()
        or members.exclude(pk=person.pk).first()
    )
    MemberModel.objects.filter(pk=without.pk).update(labour_skill=LabourSkill.LOST)
    without.refresh_from_db()
    this_month = {"start_date": today().replace(day=1), "months_worked": 1}
    job = record_job(person, clerk, **this_month)
    flagged = record_job(without, clerk, **this_month)
    pages[clerk.username] += [
        f"/employment/members/{person.pk}/jobs/new/",
        f"/employment/records/{job.pk}/",
        f"/employment/records/{job.pk}/edit/",
        f"/employment/records/{job.pk}/end/",
        f"/employment/records/{job.pk}/delete/",
        f"/employment/records/{flagged.pk}/review/",
        f"/monitoring/visits/record/{person.household_id}/",
        "/employment/records/",
        "/employment/labour/",
    ]
    pages["bureau"] += ["/employment/records/", "/employment/labour/"]


def _employment_count_pages(pages: dict[str, list[str]], clerk: User) -> None:
    """Employment's count page (its month, area and "not counted" check boxes), the 月调度/季通报
    export, and the workshops: the list's filters, a new workshop, a workshop's year and its
    edit (a workshop of the clerk's township, recorded here through the service)."""
    from tests.employment.factories import workshop

    village = Area.objects.filter(parent=clerk.area, level=Area.Level.VILLAGE).order_by("code")[0]
    shop = workshop(village, clerk, name="服装加工帮扶车间")
    pages[clerk.username] += [
        "/employment/count/",
        "/employment/count/export/",
        "/employment/workshops/",
        "/employment/workshops/new/",
        f"/employment/workshops/{shop.pk}/",
        f"/employment/workshops/{shop.pk}/edit/",
    ]
    pages["bureau"] += ["/employment/count/", "/employment/count/export/"]


def _project_pages(pages: dict[str, list[str]], clerk: User) -> None:
    """The project library's forms: a new proposal, two drafts of the clerk's township (an
    industry project with its 四有, a model village with its construction lists), the list, and
    the bureau's lists."""
    villages = list(Area.objects.filter(parent=clerk.area, level=Area.Level.VILLAGE)[:2])
    industry = project_create(
        proposal=proposal(villages), proposer_level=ProposerLevel.TOWNSHIP, actor=clerk
    )
    model_village = proposal(
        villages[:1],
        category=Category.RURAL_CONSTRUCTION,
        subcategory=Subcategory.MODEL_VILLAGE,
        four_haves={},
    )
    model_village.construction_items = list(
        ConstructionListItem.objects.filter(kind="positive")[:2]
    )
    village = project_create(
        proposal=model_village, proposer_level=ProposerLevel.VILLAGE, actor=clerk
    )
    pages[clerk.username] += [
        "/projects/new/",
        f"/projects/{industry.pk}/edit/",
        f"/projects/{village.pk}/edit/",
        "/projects/list/",
    ]
    item = ConstructionListItem.objects.order_by("pk").first()
    pages["bureau"] += [
        "/projects/list/",
        "/projects/lists/",
        f"/projects/lists/four-haves/{FourHavesItem.objects.order_by('pk').first().pk}/",
        "/projects/lists/construction/new/",
        f"/projects/lists/construction/{item.pk}/",
    ]


def _log_in(browser, live_server, username, viewport):
    context = new_context(browser, viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


@pytest.mark.parametrize("size", VIEWPORTS)
def test_every_form_can_be_clicked_as_a_person_clicks(live_server, browser, size):
    call_command("seed_demo", households=150, seed=2024)
    pages = _form_pages()
    assert sum(len(paths) for paths in pages.values()) >= 30
    problems, clicked = {}, 0
    for username, paths in pages.items():
        context, page = _log_in(browser, live_server, username, VIEWPORTS[size])
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, f"{username} {path}: {response.status}"
            assert page.locator("main form").count(), f"{username} {path}: no form"
            found = covered_controls(page)
            if found:
                problems[f"{username} {path}"] = found
                continue
            clicked += click_every_choice(page) + click_every_field(page)
        context.close()
    assert not problems, problems
    assert clicked > 200  # the member form alone has some forty controls
