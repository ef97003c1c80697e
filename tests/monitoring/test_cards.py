"""明白卡 and 明白纸 (DOMAIN.md §2.11) as their users get them: the printed card of a household
(its text read back from the PDF), a village's cards in one PDF (in the request, or as a job above
30 households), the policy sheet with the year's numbers, and the record of card delivery."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaiyuan.accounts.roles import Role
from kaiyuan.audit.models import AuditEvent
from kaiyuan.jobs.models import Job
from kaiyuan.policy.models import PolicySettings
from monitoring.codes import HouseholdType, MonitoringCategory
from monitoring.exports.cards import CARD_JOB_THRESHOLD
from monitoring.models import AssistanceMeasure, CardDelivery, Household
from tests.conftest import PINNED_NOW
from tests.factories import GridFactory, UserFactory
from tests.monitoring.factories import make_household, make_member, next_id_number

pytestmark = pytest.mark.django_db

# The pinned clock's day (tests/conftest.py), not the day the module is imported on.
TODAY = PINNED_NOW.date()
YEAR = TODAY.year
A5 = (420, 595)
A4 = (595, 842)


# ---- helpers ------------------------------------------------------------------------------------


def _monitored(village, head_name: str, **fields) -> Household:
    values = {
        "household_type": HouseholdType.ORDINARY,
        "monitoring_status": Household.MonitoringStatus.MONITORED,
        "monitoring_category": MonitoringCategory.MARGINAL,
        "risk_1": "因病",
        "risk_2": "因学",
        "risk_identified_on": datetime.date(YEAR, 1, 15),
        "helper_name": "李红梅",
        "helper_unit": "开原市乡村振兴局",
        "helper_phone": "13841012345",
        **fields,
    }
    return make_household(village, head_name=head_name, **values)


def _measure(household, actor, *, year: int = YEAR, subtype: str = "庭院经济补贴", **fields):
    values = {
        "group": AssistanceMeasure.Group.INDUSTRY,
        "department": "开原市农业农村局",
        "amount": Decimal("1500.00"),
        "start_date": datetime.date(year, 2, 1),
        "status": AssistanceMeasure.Status.IMPLEMENTED,
        **fields,
    }
    return AssistanceMeasure.objects.create(
        household=household, year=year, subtype=subtype, created_by=actor, **values
    )


def _pdf(content: bytes) -> pypdf.PdfReader:
    assert content.startswith(b"%PDF")
    return pypdf.PdfReader(io.BytesIO(content))


def _text(reader: pypdf.PdfReader, page: int | None = None) -> str:
    """The text of the PDF (or of one page) without whitespace, which the extraction scatters
    between Chinese characters at line ends."""
    pages = reader.pages if page is None else [reader.pages[page]]
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in pages))


def _size(reader: pypdf.PdfReader) -> tuple[int, int]:
    box = reader.pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _card_pdf(client, household, **params) -> pypdf.PdfReader:
    response = client.get(reverse("monitoring:household_card_pdf", args=[household.pk]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return _pdf(_content(response))


def _deliver(client, household, **fields):
    data = {"delivered_by": "张伟", "delivered_on": TODAY.isoformat(), "posted_on": "", **fields}
    return client.post(reverse("monitoring:household_card", args=[household.pk]), data)


@pytest.fixture
def grid_worker_with_phone(village_a):
    return UserFactory(
        username="grid_zhang",
        role=Role.GRID_WORKER,
        area=village_a,
        last_name="张",
        first_name="伟",
        phone="13904100000",
    )


@pytest.fixture
def household_a(village_a, grid_worker_with_phone, clerk_a):
    grid = GridFactory(area=village_a, name="第二网格", worker=grid_worker_with_phone)
    household = _monitored(village_a, "王建国", grid=grid)
    _measure(household, clerk_a)
    return household


# ---- the card -----------------------------------------------------------------------------------


def test_the_card_prints_household_category_risks_helper_measures_and_channels(
    client, clerk_a, household_a
):
    _measure(household_a, clerk_a, year=YEAR - 1, subtype="去年的小额信贷")
    client.force_login(clerk_a)
    text = _text(_card_pdf(client, household_a))
    assert "防止返贫监测帮扶明白卡" in text
    assert f"开原市·{YEAR}年度" in text
    assert "王建国" in text
    assert household_a.household_number in text
    assert "边缘易致贫户" in text
    assert "因病、因学" in text
    assert "13841012345" in text and "李红梅" in text
    assert "庭院经济补贴" in text and "开原市农业农村局" in text
    assert "去年的小额信贷" not in text  # only this year's measures
    # The application channels name the household's grid worker and township.
    assert "网格员：张伟，电话：13904100000" in text
    assert "向中固镇乡村振兴办申报" in text
    assert "拨打乡镇值班电话或向村两委、网格员反映" in text
    assert "发放人" in text and "上墙日期" in text


def test_the_card_never_shows_an_id_number(client, clerk_a, household_a):
    id_number = next_id_number()
    member = make_member(household_a, name="王小明", id_number=id_number)
    client.force_login(clerk_a)
    text = _text(_card_pdf(client, household_a))
    assert id_number not in text
    assert member.id_masked not in text
    page = client.get(reverse("monitoring:household_card", args=[household_a.pk])).content
    assert id_number.encode() not in page
    assert member.id_masked.encode() not in page


def test_the_card_is_a5_unless_a4_is_asked_for(client, clerk_a, household_a):
    client.force_login(clerk_a)
    assert _size(_card_pdf(client, household_a)) == A5
    assert _size(_card_pdf(client, household_a, size="A4")) == A4
    assert _size(_card_pdf(client, household_a, size="nonsense")) == A5


def test_a_poverty_exited_household_card_says_so_without_risks(client, clerk_a, village_a):
    household = make_household(village_a, head_name="赵淑芬", risk_1="因产业项目失败")
    client.force_login(clerk_a)
    text = _text(_card_pdf(client, household))
    assert "赵淑芬" in text
    assert "脱贫户" in text
    assert "因产业项目失败" not in text  # risks belong to monitored households only


def test_a_poverty_exited_household_is_not_given_a_monitoring_category(client, clerk_a, village_a):
    household = make_household(village_a, head_name="赵淑芬")
    client.force_login(clerk_a)
    text = _text(_card_pdf(client, household))
    assert "户类型脱贫户" in text
    assert "监测对象类别—" in text  # 脱贫户 is a household type, not a monitored type
    page = client.get(reverse("monitoring:household_card", args=[household.pk])).content.decode()
    category = re.search(r'data-testid="card-category">([^<]*)<', page).group(1)
    assert category == "—"


@pytest.mark.parametrize("category", MonitoringCategory.values)
def test_a_monitored_households_card_shows_its_monitored_type(client, clerk_a, village_a, category):
    household_type = (
        HouseholdType.ORDINARY if category == MonitoringCategory.MARGINAL else HouseholdType.EXITED
    )
    household = _monitored(
        village_a, "孙立国", monitoring_category=category, household_type=household_type
    )
    client.force_login(clerk_a)
    text = _text(_card_pdf(client, household))
    assert f"监测对象类别{category}" in text
    assert f"户类型{household_type}" in text


def test_a_card_without_a_helper_leaves_the_helper_blank(client, clerk_a, village_a):
    household = _monitored(village_a, "钱明", helper_name="", helper_phone="", helper_unit="")
    client.force_login(clerk_a)
    text = _text(_card_pdf(client, household))
    assert "帮扶责任人联系电话" in text  # nothing printed between the two labels


def test_the_card_prints_the_years_line_labelled_when_it_is_the_demos(client, clerk_a, household_a):
    client.force_login(clerk_a)
    assert "监测范围" not in _text(_card_pdf(client, household_a))  # no line set this year
    PolicySettings.objects.update_or_create(
        year=YEAR, defaults={"monitoring_line": Decimal("7600"), "demo_values": True}
    )
    text = _text(_card_pdf(client, household_a))
    assert f"{YEAR}年监测范围：家庭年人均纯收入7600元" in text and "（演示数据）" in text
    page = client.get(reverse("monitoring:household_card", args=[household_a.pk])).content
    assert "（演示数据）".encode() in page
    PolicySettings.objects.filter(year=YEAR).update(demo_values=False)
    text = _text(_card_pdf(client, household_a))
    assert "7600元" in text and "演示数据" not in text


def test_the_extra_line_of_the_print_form_is_printed(client, clerk_a, household_a):
    client.force_login(clerk_a)
    text = _text(_card_pdf(client, household_a, note="中固镇值班电话024-73800000"))
    assert "中固镇值班电话024-73800000" in text


def test_printing_a_card_is_audited(client, clerk_a, household_a):
    client.force_login(clerk_a)
    _card_pdf(client, household_a, size="A4")
    event = AuditEvent.objects.get(action="export", actor=clerk_a)
    assert event.data["what"] == "明白卡"
    assert event.data["households"] == 1
    assert event.data["household"] == household_a.household_number
    assert event.data["size"] == "A4"
    assert event.area == household_a.area


def test_the_card_page_previews_the_card(client, grid_worker_a, household_a):
    client.force_login(grid_worker_a)
    response = client.get(reverse("monitoring:household_card", args=[household_a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="card"' in page
    assert "防止返贫监测帮扶明白卡" in page and "13841012345" in page
    assert "下载PDF（A5）" in page and "下载PDF（A4）" in page
    assert "未发放" in page


# ---- a village's cards --------------------------------------------------------------------------


def _batch(client, village, **data):
    return client.post(reverse("monitoring:village_cards_pdf", args=[village.pk]), data)


def test_a_village_batch_has_one_card_per_monitored_household(
    client, clerk_a, village_a, village_a2
):
    names = ["王建国", "李秀兰", "张德明"]
    for name in names:
        _monitored(village_a, name)
    make_household(village_a, head_name="赵淑芬")  # 脱贫户, not monitored
    make_household(village_a, head_name="钱多多", household_type=HouseholdType.ORDINARY)
    _monitored(village_a2, "孙邻村")
    client.force_login(clerk_a)

    reader = _pdf(_content(_batch(client, village_a)))
    assert len(reader.pages) == 3
    assert _size(reader) == A5
    pages = [_text(reader, i) for i in range(3)]
    for page, name in zip(pages, names, strict=True):  # in household-number order
        assert name in page
        assert sum(other in page for other in names) == 1
    everything = _text(reader)
    assert "赵淑芬" not in everything and "钱多多" not in everything and "孙邻村" not in everything

    with_exited = _pdf(_content(_batch(client, village_a, include_exited="on", size="A4")))
    assert len(with_exited.pages) == 4
    assert _size(with_exited) == A4
    assert "赵淑芬" in _text(with_exited)
    event = AuditEvent.objects.filter(action="export").latest("at")
    assert event.data["what"] == "明白卡"
    assert event.data["village"] == village_a.code
    assert event.data["households"] == 4
    assert event.source == AuditEvent.Source.WEB


def test_a_village_without_card_households_prints_nothing(client, clerk_a, village_a):
    client.force_login(clerk_a)
    response = _batch(client, village_a)
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_large_village_batch_runs_as_a_job_and_is_audited(
    client, bureau, village_a, django_capture_on_commit_callbacks
):
    count = CARD_JOB_THRESHOLD + 1
    for i in range(count):
        _monitored(village_a, f"户主{i:02d}")
    client.force_login(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        response = _batch(client, village_a)
    job = Job.objects.get(created_by=bureau)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert job.status == Job.Status.DONE, job.message
    assert job.result_name == f"明白卡-{village_a.name}-{YEAR}.pdf"

    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    reader = _pdf(_content(download))
    assert len(reader.pages) == count
    assert "户主00" in _text(reader, 0) and f"户主{count - 1}" in _text(reader, count - 1)
    event = AuditEvent.objects.get(action="export", actor=bureau)
    assert event.data["what"] == "明白卡"
    assert event.data["village"] == village_a.code
    assert event.data["households"] == count
    assert event.data["job"] == job.pk
    assert event.source == AuditEvent.Source.TASK


def test_the_village_page_shows_each_households_delivery_status(client, grid_worker_a, village_a):
    posted = _monitored(village_a, "王建国")
    delivered = _monitored(village_a, "李秀兰")
    _monitored(village_a, "张德明")
    exited = make_household(village_a, head_name="赵淑芬")
    CardDelivery.objects.create(
        household=posted, year=YEAR, delivered_by="张伟", delivered_on=TODAY,
        posted_on=TODAY, recorded_by=grid_worker_a,
    )  # fmt: skip
    CardDelivery.objects.create(
        household=delivered, year=YEAR, delivered_by="张伟", delivered_on=TODAY,
        recorded_by=grid_worker_a,
    )  # fmt: skip
    CardDelivery.objects.create(  # last year's delivery does not count
        household=exited, year=YEAR - 1, delivered_by="张伟",
        delivered_on=datetime.date(YEAR - 1, 3, 1), recorded_by=grid_worker_a,
    )  # fmt: skip
    client.force_login(grid_worker_a)
    url = reverse("monitoring:village_cards", args=[village_a.pk])
    page = client.get(url).content.decode()
    statuses = dict(
        re.findall(
            r'data-household="(\d+)">.*?data-testid="card-status">([^<]+)<', page, flags=re.S
        )
    )
    assert statuses == {
        posted.household_number: "已上墙",
        delivered.household_number: "已发放未上墙",
        Household.objects.get(head_name="张德明").household_number: "未发放",
    }
    with_exited = client.get(url, {"exited": "1"}).content.decode()
    assert f'data-household="{exited.household_number}"' in with_exited


def test_the_village_page_costs_the_same_queries_for_more_households(
    client, clerk_a, village_a, grid_worker_a
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("monitoring:village_cards", args=[village_a.pk]))
        assert response.status_code == 200
        return len(captured)

    def add(n: int) -> None:
        for _ in range(n):
            household = _monitored(village_a, "王建国", grid=GridFactory(area=village_a))
            CardDelivery.objects.create(
                household=household, year=YEAR, delivered_by="张伟", delivered_on=TODAY,
                recorded_by=grid_worker_a,
            )  # fmt: skip

    client.force_login(clerk_a)
    add(2)
    small = queries()
    add(10)
    assert queries() == small


def test_the_village_list_costs_the_same_queries_for_more_villages(
    client, bureau, village_a, village_a2, village_b
):
    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("monitoring:card_villages")).content.decode()
        return len(captured), page

    _monitored(village_a, "王建国")
    client.force_login(bureau)
    small, page = queries()
    assert f'data-village="{village_a.code}"' in page
    assert f'data-village="{village_b.code}"' not in page  # nothing to print there
    _monitored(village_a2, "李秀兰")
    _monitored(village_b, "张德明")
    more, page = queries()
    assert more == small
    assert f'data-village="{village_b.code}"' in page


def test_a_grid_worker_goes_straight_to_their_village(client, grid_worker_a, village_a):
    client.force_login(grid_worker_a)
    response = client.get(reverse("monitoring:card_villages"))
    assert response["Location"] == reverse("monitoring:village_cards", args=[village_a.pk])


# ---- the policy sheet ---------------------------------------------------------------------------


def test_the_policy_sheet_prints_this_years_numbers_and_follows_the_settings(client, clerk_a):
    client.force_login(clerk_a)
    url = reverse("monitoring:policy_sheet")
    reader = _pdf(_content(client.get(url)))
    text = _text(reader)
    assert len(reader.pages) == 1
    assert _size(reader) == A4
    assert "防止返贫动态监测和帮扶政策明白纸" in text
    for step in ("申请及承诺授权", "入户核实", "信息比对", "民主评议", "乡镇审核", "县级审定"):
        assert step in text
    assert "公示5天" in text and "不少于5天" in text
    assert "农户自主申报" in text and "基层干部排查" in text and "部门筛查预警" in text
    assert "产业帮扶、就业帮扶、金融帮扶、公益岗位帮扶" in text and "综合保障" in text
    assert "原则上稳定6个月以上" in text
    assert "以省级当年公布标准为准" in text  # no line set for this year

    policy = PolicySettings.defaults_for(YEAR) if YEAR != 2024 else PolicySettings.objects.get()
    policy.monitoring_publicity_days = 7
    policy.elimination_stable_income_months = 9
    policy.monitoring_line = Decimal("7600")
    policy.save()
    text = _text(_pdf(_content(client.get(url))))
    assert "公示7天" in text and "不少于7天" in text and "公示5天" not in text
    assert "原则上稳定9个月以上" in text
    assert f"{YEAR}年监测范围：家庭年人均纯收入7600元" in text
    assert "演示数据" not in text  # the province's line, entered by the administrator

    PolicySettings.objects.filter(year=YEAR).update(demo_values=True)
    text = _text(_pdf(_content(client.get(url))))
    assert f"{YEAR}年监测范围：家庭年人均纯收入7600元" in text
    assert "（演示数据）" in text


# ---- recording the delivery ---------------------------------------------------------------------


def test_a_grid_worker_records_the_delivery_and_corrects_it(client, grid_worker_a, household_a):
    client.force_login(grid_worker_a)
    delivered_on = TODAY - datetime.timedelta(days=3)
    response = _deliver(client, household_a, delivered_on=delivered_on.isoformat())
    assert response.status_code == 302
    delivery = CardDelivery.objects.get(household=household_a, year=YEAR)
    assert (delivery.delivered_by, delivery.delivered_on, delivery.posted_on) == (
        "张伟",
        delivered_on,
        None,
    )
    assert delivery.recorded_by == grid_worker_a
    assert AuditEvent.objects.filter(action="create", object_id=str(delivery.pk)).count() == 1
    page = client.get(reverse("monitoring:household_card", args=[household_a.pk])).content
    assert "已发放未上墙" in page.decode()

    response = _deliver(
        client,
        household_a,
        delivered_by="张伟、李红梅",
        delivered_on=delivered_on.isoformat(),
        posted_on=TODAY.isoformat(),
    )
    assert response.status_code == 302
    assert CardDelivery.objects.filter(household=household_a).count() == 1
    delivery.refresh_from_db()
    assert (delivery.delivered_by, delivery.posted_on) == ("张伟、李红梅", TODAY)
    change = AuditEvent.objects.get(action="change", object_id=str(delivery.pk))
    assert change.data["posted_on"] == TODAY.isoformat()
    assert change.actor == grid_worker_a
    page = client.get(reverse("monitoring:household_card", args=[household_a.pk])).content
    assert "已上墙" in page.decode()


def test_a_card_cannot_be_posted_before_it_is_delivered(client, clerk_a, household_a):
    client.force_login(clerk_a)
    response = _deliver(
        client,
        household_a,
        delivered_on=TODAY.isoformat(),
        posted_on=(TODAY - datetime.timedelta(days=1)).isoformat(),
    )
    assert response.status_code == 200
    assert "明白卡上墙日期不能早于发放日期。" in response.content.decode()
    assert not CardDelivery.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


@pytest.mark.parametrize("field", ["delivered_on", "posted_on"])
def test_future_dates_are_refused(client, clerk_a, household_a, field):
    client.force_login(clerk_a)
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = _deliver(client, household_a, **{field: tomorrow})
    assert response.status_code == 200
    assert "日期不能晚于今天。" in response.content.decode()
    assert not CardDelivery.objects.exists()


def test_county_readers_print_and_see_status_but_do_not_record(
    client, leader, bureau, auditor, admin_user, household_a
):
    for user in (leader, bureau, auditor, admin_user):
        client.force_login(user)
        url = reverse("monitoring:household_card", args=[household_a.pk])
        page = client.get(url)
        assert page.status_code == 200
        assert 'name="delivered_on"' not in page.content.decode()
        assert _deliver(client, household_a).status_code == 403
        assert _card_pdf(client, household_a)
        village = reverse("monitoring:village_cards", args=[household_a.area_id])
        assert client.get(village).status_code == 200
    assert not CardDelivery.objects.exists()


# ---- who may see what ---------------------------------------------------------------------------


def test_another_townships_clerk_gets_404(client, clerk_b, household_a, village_a):
    client.force_login(clerk_b)
    assert (
        client.get(reverse("monitoring:household_card", args=[household_a.pk])).status_code == 404
    )
    assert (
        client.get(reverse("monitoring:household_card_pdf", args=[household_a.pk])).status_code
        == 404
    )
    assert _deliver(client, household_a).status_code == 404
    assert client.get(reverse("monitoring:village_cards", args=[village_a.pk])).status_code == 404
    assert _batch(client, village_a).status_code == 404
    assert not CardDelivery.objects.exists()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_grid_worker_sees_only_their_village(client, grid_worker_a, village_a2):
    household = _monitored(village_a2, "李秀兰")
    client.force_login(grid_worker_a)
    assert client.get(reverse("monitoring:household_card", args=[household.pk])).status_code == 404
    assert client.get(reverse("monitoring:village_cards", args=[village_a2.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.DEPARTMENT, Role.FINANCE])
def test_departments_and_finance_get_403(client, county, household_a, village_a, role):
    user = UserFactory(role=role, area=county, department="medical" if role == "department" else "")
    client.force_login(user)
    urls = [
        reverse("monitoring:household_card", args=[household_a.pk]),
        reverse("monitoring:household_card_pdf", args=[household_a.pk]),
        reverse("monitoring:card_villages"),
        reverse("monitoring:village_cards", args=[village_a.pk]),
        reverse("monitoring:policy_sheet"),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert _batch(client, village_a).status_code == 403
    assert _deliver(client, household_a).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, household_a):
    response = client.get(reverse("monitoring:household_card_pdf", args=[household_a.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_card_pdf_is_recorded_with_the_sha256_of_the_file_handed_out(client, clerk_a, village_a):
    household = _monitored(village_a, "王建国")
    _monitored(village_a, "李秀兰")
    client.force_login(clerk_a)

    batch = _content(_batch(client, village_a))
    single = _content(client.get(reverse("monitoring:household_card_pdf", args=[household.pk])))

    village_event, household_event = AuditEvent.objects.filter(action="export").order_by("id")
    assert village_event.data["sha256"] == hashlib.sha256(batch).hexdigest()
    assert (village_event.data["rows"], village_event.data["households"]) == (2, 2)
    assert village_event.data["filters"]["village"] == village_a.code
    assert village_event.data["as_of"]
    assert household_event.data["sha256"] == hashlib.sha256(single).hexdigest()
    assert household_event.data["rows"] == 1
    assert "王建国" in _text(_pdf(single))


def test_a_large_batchs_pdf_is_served_to_its_owner_only_and_each_download_recorded(
    client, bureau, clerk_a, village_a, django_capture_on_commit_callbacks
):
    for i in range(CARD_JOB_THRESHOLD + 1):
        _monitored(village_a, f"户主{i:02d}")
    client.force_login(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        _batch(client, village_a)
    job = Job.objects.get(created_by=bureau)
    url = reverse("jobs:job_download", args=[job.pk])

    content = _content(client.get(url))

    export = AuditEvent.objects.get(action="export")
    download = AuditEvent.objects.get(action="download")
    assert export.data["sha256"] == download.data["sha256"] == hashlib.sha256(content).hexdigest()
    assert job.result["sha256"] == export.data["sha256"]
    assert download.actor == bureau
    client.force_login(clerk_a)  # the village is in the clerk's township; the file is not theirs
    assert client.get(url).status_code == 404
