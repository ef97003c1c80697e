"""The visit pages as their users see them: the grid worker's month list and form, the township
clerk's quarter list, coverage for township and county users, and a household's visit history."""

from __future__ import annotations

import datetime
import io
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kaiyuan.accounts.roles import Role
from kaiyuan.common import dates
from monitoring.codes import HouseholdType
from monitoring.models import Household, RiskLead, Visit
from tests.conftest import PINNED_NOW
from tests.factories import GridFactory, UserFactory
from tests.monitoring.factories import make_household

pytestmark = pytest.mark.django_db

# The pinned clock's day (tests/conftest.py), not the day the module is imported on.
TODAY = PINNED_NOW.date()
LAST_MONTH = dates.month_of(TODAY).start - datetime.timedelta(days=1)
MY_MONTH = reverse("monitoring:visit_my_month")
COVERAGE = reverse("monitoring:visit_coverage")
NO_PROBLEMS = {
    "child_out_of_school": False,
    "housing_unsafe": False,
    "member_uninsured": False,
    "water_unsafe": False,
}


def _household(area, *, grid=None, head_name="王建国", **fields) -> Household:
    household = make_household(area, grid=grid, head_name=head_name, **fields)
    created = datetime.datetime(2023, 1, 1, 1, tzinfo=datetime.UTC)
    Household.objects.filter(pk=household.pk).update(created_at=created)
    household.refresh_from_db()
    return household


def _visit(household, day, visitor, *, level=Visit.Level.VILLAGE, **fields) -> Visit:
    values = {**NO_PROBLEMS, "method": Visit.Method.ON_SITE, **fields}
    return Visit.objects.create(
        household=household,
        area=household.area,
        visitor=visitor,
        level=level,
        visited_on=day,
        **values,
    )


def _rows(html: str) -> dict[str, str]:
    """Household number → the status shown on its row of the month list."""
    found = {}
    for number, body in re.findall(r'data-household="(\d+)">(.*?)</li>', html, flags=re.DOTALL):
        found[number] = re.search(r'data-testid="status">([^<]+)<', body).group(1)
    return found


def _cells(html: str, table: str, **attrs: str) -> list[str]:
    """The cells of the row of coverage table ``table`` with the given data attributes."""
    body = re.search(rf'data-testid="{table}">(.*?)</table>', html, flags=re.DOTALL).group(1)
    selector = "".join(f' data-{key}="{value}"' for key, value in attrs.items())
    row = re.search(rf"<tr{selector}>(.*?)</tr>", body, flags=re.DOTALL).group(1)
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)
    ]


def _form(**changes) -> dict:
    data = {
        "visited_on": TODAY.isoformat(),
        "method": Visit.Method.ON_SITE,
        "child_out_of_school": "false",
        "housing_unsafe": "false",
        "member_uninsured": "false",
        "water_unsafe": "false",
        "income_change": Visit.IncomeChange.NONE,
        "note": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def my_grid(grid_a, grid_worker_a):
    grid_a.worker = grid_worker_a
    grid_a.save()
    return grid_a


@pytest.fixture
def other_grid(village_a):
    worker = UserFactory(username="grid_a_2", role=Role.GRID_WORKER, area=village_a)
    return GridFactory(area=village_a, name="第二网格", worker=worker)


@pytest.fixture
def cast(my_grid, other_grid, village_a, village_a2, village_b, grid_worker_a, clerk_a):
    """Village A grid 1 (grid_worker_a): visited, due and overdue households and an ordinary
    household out of scope; grid 2: one household visited at both levels; village A2: one
    household without a grid, never visited; village B: one household."""
    h = {
        "visited": _household(village_a, grid=my_grid, head_name="张已访"),
        "due": _household(village_a, grid=my_grid, head_name="李待访"),
        "overdue": _household(village_a, grid=my_grid, head_name="赵逾期"),
        "ordinary": _household(
            village_a, grid=my_grid, head_name="钱一般", household_type=HouseholdType.ORDINARY
        ),
        "other_grid": _household(village_a, grid=other_grid, head_name="孙二格"),
        "no_grid": _household(village_a2, head_name="周无格"),
        "township_b": _household(village_b, head_name="吴外镇"),
    }
    _visit(h["visited"], TODAY, grid_worker_a)
    _visit(h["visited"], TODAY, clerk_a, level=Visit.Level.TOWNSHIP)
    _visit(h["due"], LAST_MONTH, grid_worker_a)
    _visit(h["other_grid"], TODAY, other_grid.worker)
    _visit(h["other_grid"], TODAY, clerk_a, level=Visit.Level.TOWNSHIP)
    return h


# ---- the grid worker's month list ------------------------------------------------------------


def test_a_grid_worker_sees_the_households_of_their_grid_with_their_status(
    client, grid_worker_a, cast
):
    client.force_login(grid_worker_a)
    response = client.get(MY_MONTH)
    assert response.status_code == 200
    html = response.content.decode()
    rows = _rows(html)
    assert rows == {
        cast["visited"].household_number: "已走访",
        cast["due"].household_number: "待走访",
        cast["overdue"].household_number: "已逾期",
    }
    # Overdue first, then due, then visited.
    assert list(rows) == [
        cast["overdue"].household_number,
        cast["due"].household_number,
        cast["visited"].household_number,
    ]
    assert re.search(r'data-testid="count-overdue">1<', html)
    assert re.search(r'data-testid="count-due">1<', html)
    assert re.search(r'data-testid="count-visited">1<', html)
    assert "记录走访" in html


def test_the_month_list_filters_by_status(client, grid_worker_a, cast):
    client.force_login(grid_worker_a)
    html = client.get(MY_MONTH, {"status": "overdue"}).content.decode()
    assert list(_rows(html)) == [cast["overdue"].household_number]


def test_a_past_month_shows_who_was_visited_then(client, grid_worker_a, cast):
    client.force_login(grid_worker_a)
    html = client.get(MY_MONTH, {"month": LAST_MONTH.strftime("%Y-%m")}).content.decode()
    assert _rows(html) == {
        cast["visited"].household_number: "已逾期",
        cast["due"].household_number: "已走访",
        cast["overdue"].household_number: "已逾期",
    }
    assert f"{LAST_MONTH.year}年{LAST_MONTH.month}月" in html


def test_a_township_clerk_sees_township_visits_of_the_quarter_by_village(
    client, clerk_a, cast, village_a2
):
    client.force_login(clerk_a)
    html = client.get(MY_MONTH).content.decode()
    rows = _rows(html)
    assert rows[cast["visited"].household_number] == "已走访"
    assert rows[cast["other_grid"].household_number] == "已走访"
    # No township-level visit last quarter either: overdue at once.
    assert rows[cast["overdue"].household_number] == "已逾期"
    assert cast["township_b"].household_number not in rows
    assert cast["ordinary"].household_number not in rows
    assert "季度" in html
    previous_quarter = dates.add_months(dates.quarter_of(TODAY).start, -3)
    assert f'href="?month={previous_quarter:%Y-%m}"' in html
    html = client.get(MY_MONTH, {"village": village_a2.pk}).content.decode()
    assert list(_rows(html)) == [cast["no_grid"].household_number]


@pytest.mark.parametrize(
    "role", ["bureau", "leader", "auditor", "dept_medical", "admin_user", "finance"]
)
def test_roles_that_do_not_visit_get_403_on_the_month_list(client, role, request, county):
    if role == "finance":
        user = UserFactory(username="finance", role=Role.FINANCE, area=county)
    else:
        user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(MY_MONTH).status_code == 403


def test_the_month_list_runs_the_same_queries_for_3_and_30_households(
    client, grid_worker_a, my_grid, village_a, clerk_a, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            household = _household(village_a, grid=my_grid)
            _visit(household, LAST_MONTH, grid_worker_a)
            _visit(household, TODAY, grid_worker_a)

    add(3)
    client.force_login(grid_worker_a)
    with django_assert_max_num_queries(12) as few:
        assert client.get(MY_MONTH).status_code == 200
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(MY_MONTH).content.decode()
    assert len(_rows(html)) == 30


def test_the_month_list_is_paginated(client, grid_worker_a, my_grid, village_a):
    for _ in range(52):
        _household(village_a, grid=my_grid)
    client.force_login(grid_worker_a)
    html = client.get(MY_MONTH).content.decode()
    assert len(_rows(html)) == 50
    assert "第 1 页" in html and "下一页" in html  # a next page, found without counting
    assert len(_rows(client.get(MY_MONTH, {"page": 2}).content.decode())) == 2


# ---- the visit form --------------------------------------------------------------------------


def test_a_grid_worker_records_a_visit_and_sees_the_household_visited(client, grid_worker_a, cast):
    household = cast["overdue"]
    url = reverse("monitoring:visit_record", args=[household.pk])
    client.force_login(grid_worker_a)
    page = client.get(url).content.decode()
    assert "是否住房出现安全问题" in page
    assert "与上次走访相比无变化" not in page  # never visited: nothing to carry over
    response = client.post(url, _form(method=Visit.Method.PHONE, note="电话回访"))
    assert response.status_code == 302
    assert response["Location"] == MY_MONTH
    visit = Visit.objects.get(household=household)
    assert (visit.level, visit.method, visit.visitor) == ("village", "phone", grid_worker_a)
    html = client.get(MY_MONTH).content.decode()
    assert _rows(html)[household.household_number] == "已走访"
    assert f"已记录{TODAY.isoformat()}对赵逾期户的走访。" in html


def test_a_visit_with_a_new_risk_opens_a_lead_and_says_so(client, grid_worker_a, cast):
    household = cast["due"]
    client.force_login(grid_worker_a)
    response = client.post(
        reverse("monitoring:visit_record", args=[household.pk]),
        _form(new_risk="on", risk_note="儿子辍学外出打工", child_out_of_school="true"),
        follow=True,
    )
    lead = RiskLead.objects.get(household=household)
    assert lead.description == "儿子辍学外出打工"
    assert "已生成风险线索" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"water_unsafe": None}, "必填项"),
        ({"new_risk": "on", "risk_note": ""}, "请说明发现的新风险"),
        (
            {"visited_on": (TODAY - datetime.timedelta(days=32)).isoformat()},
            "超过31天的走访不能再补录",
        ),
        (
            {"visited_on": (TODAY + datetime.timedelta(days=1)).isoformat()},
            "走访日期不能晚于今天",
        ),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, grid_worker_a, cast, changes, message):
    client.force_login(grid_worker_a)
    response = client.post(
        reverse("monitoring:visit_record", args=[cast["overdue"].pk]), _form(**changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Visit.objects.filter(household=cast["overdue"]).exists()


def test_no_change_fills_in_the_answers_of_the_last_visit(client, grid_worker_a, cast):
    household = cast["due"]
    Visit.objects.filter(household=household).update(housing_unsafe=True, method=Visit.Method.PHONE)
    url = reverse("monitoring:visit_record", args=[household.pk])
    client.force_login(grid_worker_a)
    blank = client.get(url).content.decode()
    assert "与上次走访相比无变化" in blank
    assert not re.search(r'name="housing_unsafe"[^>]*value="true"[^>]*checked', blank)
    filled = client.get(url, {"prefill": 1}).content.decode()
    assert re.search(r'name="housing_unsafe"[^>]*value="true"[^>]*checked', filled)
    assert re.search(r'name="member_uninsured"[^>]*value="false"[^>]*checked', filled)
    assert re.search(r'name="method"[^>]*value="phone"[^>]*checked', filled)
    # The switch asks through htmx and gets the filled form alone.
    partial = client.get(url, {"no_change": "on"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert re.search(r'name="housing_unsafe"[^>]*value="true"[^>]*checked', partial)
    assert re.search(r'name="no_change"[^>]*checked', partial)


def test_the_form_of_another_township_is_not_found(client, clerk_b, cast):
    client.force_login(clerk_b)
    url = reverse("monitoring:visit_record", args=[cast["overdue"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form()).status_code == 404
    assert not Visit.objects.filter(household=cast["overdue"]).exists()


def test_a_grid_worker_cannot_open_a_household_of_another_village(client, grid_worker_a, cast):
    client.force_login(grid_worker_a)
    url = reverse("monitoring:visit_record", args=[cast["no_grid"].pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["bureau", "leader", "auditor", "admin_user"])
def test_roles_that_do_not_visit_get_403_on_the_form(client, role, request, cast):
    client.force_login(request.getfixturevalue(role))
    url = reverse("monitoring:visit_record", args=[cast["overdue"].pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _form()).status_code == 403
    assert not Visit.objects.filter(household=cast["overdue"]).exists()


def test_a_township_clerk_records_a_township_visit(client, clerk_a, cast):
    client.force_login(clerk_a)
    response = client.post(reverse("monitoring:visit_record", args=[cast["due"].pk]), _form())
    assert response.status_code == 302
    assert Visit.objects.get(household=cast["due"], visitor=clerk_a).level == "township"
    assert _rows(client.get(MY_MONTH).content.decode())[cast["due"].household_number] == "已走访"


def _png(size: tuple[int, int], *, noise: bool = False) -> bytes:
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (30, 120, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_photo_is_kept_and_shown_only_inside_the_area(client, grid_worker_a, clerk_b, cast):
    household = cast["overdue"]
    client.force_login(grid_worker_a)
    photo = SimpleUploadedFile("house.png", _png((40, 30)), content_type="image/png")
    response = client.post(
        reverse("monitoring:visit_record", args=[household.pk]), {**_form(), "photo": photo}
    )
    assert response.status_code == 302
    visit = Visit.objects.get(household=household)
    assert visit.photo
    photo_url = reverse("monitoring:visit_photo", args=[visit.pk])
    history = client.get(reverse("monitoring:household_visits", args=[household.pk]))
    assert photo_url in history.content.decode()
    assert client.get(photo_url).status_code == 200
    client.force_login(clerk_b)
    assert client.get(photo_url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.png", "big", "照片超过 5 MB"),
        ("notes.png", b"not an image at all", "图片"),
    ],
)
def test_a_photo_that_is_too_large_or_not_an_image_is_refused(
    client, grid_worker_a, cast, name, content, message
):
    if content == "big":
        content = _png((1400, 1400), noise=True)
        assert len(content) > 5 * 1024 * 1024
    client.force_login(grid_worker_a)
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = client.post(
        reverse("monitoring:visit_record", args=[cast["overdue"].pk]),
        {**_form(), "photo": upload},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Visit.objects.filter(household=cast["overdue"]).exists()


# ---- coverage ---------------------------------------------------------------------------------


def test_a_clerk_sees_coverage_by_village_and_grid(client, clerk_a, cast):
    client.force_login(clerk_a)
    html = client.get(COVERAGE).content.decode()
    # in scope, visited, due, overdue, coverage
    assert _cells(html, "month-coverage", area="烟厂村", grid="第一网格")[2:] == [
        "3",
        "1",
        "1",
        "1",
        "33%",
    ]
    assert _cells(html, "month-coverage", area="烟厂村", grid="第二网格")[2:] == [
        "1",
        "1",
        "0",
        "0",
        "100%",
    ]
    assert _cells(html, "month-coverage", area="大白庙子村", grid="")[2:] == [
        "1",
        "0",
        "0",
        "1",
        "0%",
    ]
    assert _cells(html, "quarter-coverage", area="烟厂村")[1:] == ["4", "2", "0", "2", "50%"]
    assert _cells(html, "quarter-coverage", area="大白庙子村")[1:] == ["1", "0", "0", "1", "0%"]
    assert "吴外镇" not in html
    # Overdue at either level: the unvisited household, the one without a township visit, and
    # the household of village A2.
    assert re.search(r'data-testid="overdue-total">3<', html)
    listed = re.findall(r'<tr data-household="(\d+)">', html)
    assert sorted(listed) == sorted(
        cast[key].household_number for key in ("due", "overdue", "no_grid")
    )


def test_a_clerk_of_another_township_sees_none_of_it(client, clerk_b, cast, township_a):
    client.force_login(clerk_b)
    html = client.get(COVERAGE, {"township": township_a.pk}).content.decode()
    assert "烟厂村" not in html
    assert cast["overdue"].household_number not in html
    assert _cells(html, "month-coverage", area="威远村", grid="")[2:] == [
        "1",
        "0",
        "0",
        "1",
        "0%",
    ]


def test_a_county_user_chooses_a_township_or_sees_the_county_by_township(
    client, bureau, cast, township_a
):
    client.force_login(bureau)
    html = client.get(COVERAGE).content.decode()
    assert _cells(html, "month-coverage", area="中固镇")[1:] == ["5", "2", "1", "2", "40%"]
    assert _cells(html, "month-coverage", area="威远堡镇")[1:] == ["1", "0", "0", "1", "0%"]
    # The county's overdue households are listed township by township.
    assert "选择乡镇后列出该乡镇的逾期未走访户" in html
    assert 'data-testid="overdue-list"' not in html
    html = client.get(COVERAGE, {"township": township_a.pk}).content.decode()
    assert _cells(html, "month-coverage", area="烟厂村", grid="第一网格")[2:4] == ["3", "1"]
    assert "威远村" not in html


def test_a_village_of_the_township_can_be_chosen(client, clerk_a, cast, village_a2):
    client.force_login(clerk_a)
    html = client.get(COVERAGE, {"village": village_a2.pk}).content.decode()
    assert "第一网格" not in html
    assert re.search(r'data-testid="overdue-total">1<', html)


@pytest.mark.parametrize("role", ["dept_medical", "grid_worker_a", "finance"])
def test_coverage_is_not_for_departments_finance_or_grid_workers(client, role, request, county):
    if role == "finance":
        user = UserFactory(username="finance", role=Role.FINANCE, area=county)
    else:
        user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(COVERAGE).status_code == 403


@pytest.mark.parametrize("role", ["leader", "auditor", "admin_user"])
def test_county_readers_see_coverage(client, role, request, cast):
    client.force_login(request.getfixturevalue(role))
    assert client.get(COVERAGE).status_code == 200


def test_the_overdue_list_is_paginated_by_50(client, clerk_a, village_a2):
    for _ in range(53):
        _household(village_a2)
    client.force_login(clerk_a)
    html = client.get(COVERAGE).content.decode()
    assert re.search(r'data-testid="overdue-total">53<', html)
    assert len(re.findall(r'<tr data-household="', html)) == 50
    html = client.get(COVERAGE, {"page": 2}).content.decode()
    assert len(re.findall(r'<tr data-household="', html)) == 3


def test_coverage_runs_the_same_queries_for_3_and_30_households(
    client, clerk_a, my_grid, village_a, grid_worker_a, django_assert_max_num_queries
):
    def add(count):
        for index in range(count):
            household = _household(village_a, grid=my_grid)
            if index % 2:
                _visit(household, TODAY, grid_worker_a)

    add(3)
    client.force_login(clerk_a)
    with django_assert_max_num_queries(16) as few:
        assert client.get(COVERAGE).status_code == 200
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(COVERAGE).content.decode()
    assert _cells(html, "month-coverage", area="烟厂村", grid="第一网格")[2] == "30"


# ---- a household's visits --------------------------------------------------------------------


def test_the_history_lists_visits_latest_first_with_the_status(client, grid_worker_a, cast):
    household = cast["due"]
    _visit(
        household,
        TODAY,
        grid_worker_a,
        water_unsafe=True,
        new_risk=True,
        risk_note="水井干涸",
    )
    client.force_login(grid_worker_a)
    html = client.get(reverse("monitoring:household_visits", args=[household.pk])).content.decode()
    dates_shown = re.findall(r'data-testid="visit">\s*<div[^>]*>\s*<span[^>]*>([\d-]+)', html)
    assert dates_shown == [TODAY.isoformat(), LAST_MONTH.isoformat()]
    assert "饮水不安全" in html
    assert "水井干涸" in html
    status = re.search(r'data-testid="visit-status">(.*?)</div>', html, flags=re.DOTALL).group(1)
    assert "村级" in status and "已走访" in status


def test_the_history_is_scoped(client, clerk_b, cast, county):
    url = reverse("monitoring:household_visits", args=[cast["due"].pk])
    client.force_login(clerk_b)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(username="finance", role=Role.FINANCE, area=county))
    assert client.get(url).status_code == 403


def test_the_history_runs_the_same_queries_for_3_and_30_visits(
    client, grid_worker_a, cast, django_assert_max_num_queries
):
    household = cast["overdue"]
    for day in range(3):
        _visit(household, TODAY - datetime.timedelta(days=day), grid_worker_a)
    url = reverse("monitoring:household_visits", args=[household.pk])
    client.force_login(grid_worker_a)
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    for day in range(27):
        _visit(household, TODAY - datetime.timedelta(days=40 + day), grid_worker_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count('data-testid="visit"') == 20
