"""Ids in the API: a related id of every write endpoint goes through the one scoped field (an id
of another township is answered exactly like a missing one), every id filter is checked as an
id (no 500 for 2^63 on SQLite), and no ID number travels in a query string."""

from __future__ import annotations

import pytest

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common import pii
from kaiyuan.common.api import MAX_ID, ScopedPrimaryKeyField, ScopedSlugField
from tests.monitoring.factories import make_household, make_member

pytestmark = pytest.mark.django_db

JSON = {"content_type": "application/json"}


@pytest.fixture
def homes(village_a, village_b, grid_a, grid_b):
    return {"a": make_household(village_a, grid=grid_a), "b": make_household(village_b)}


def _bodies(client, url, field, hidden, missing, extra):
    answers = []
    for value in (hidden, missing):
        response = client.post(url, {**extra, field: value}, **JSON)
        answers.append((response.status_code, response.json().get(field)))
    return answers


# Each write endpoint that takes a related id, with the other fields it needs.
WRITES = [
    ("/api/v1/members/", "household", {"kind": "member_born", "name": "新生"}),
    ("/api/v1/incomes/", "household", {"year": 2024, "kind": "annual"}),
    ("/api/v1/visits/", "household", {"visited_on": "2024-01-02", "method": "on_site"}),
    ("/api/v1/leads/", "household", {"description": "x", "source": "self_application"}),
    ("/api/v1/cases/", "household", {"kind": "identification"}),
    ("/api/v1/measures/", "household", {"year": 2024, "group": "x"}),
]


@pytest.mark.parametrize(("url", "field", "extra"), WRITES)
def test_a_hidden_household_is_answered_like_a_missing_one(
    client, homes, clerk_a, url, field, extra
):
    client.force_login(clerk_a)
    hidden, missing = _bodies(client, url, field, homes["b"].pk, MAX_ID, extra)
    assert hidden == missing == (400, ["不存在这条记录。"])


def test_the_grid_of_another_township_is_answered_like_a_missing_one(
    client, homes, clerk_a, grid_b
):
    client.force_login(clerk_a)
    url = f"/api/v1/households/{homes['a'].pk}/"
    answers = [
        client.patch(url, {"version": homes["a"].version, "grid": grid}, **JSON)
        for grid in (grid_b.pk, MAX_ID)
    ]
    assert [(r.status_code, r.json()) for r in answers] == [
        (400, {"grid": ["不存在这条记录。"]})
    ] * 2


def test_the_group_of_another_township_is_answered_like_an_unknown_code(
    client, homes, clerk_a, village_b
):
    from kaiyuan.areas.models import Area

    group = Area.objects.create(
        code=village_b.code + "001", name="一组", level=Area.Level.GROUP, parent=village_b
    )
    client.force_login(clerk_a)
    url = f"/api/v1/households/{homes['a'].pk}/"
    answers = [
        client.patch(url, {"version": homes["a"].version, "group": code}, **JSON).json()
        for code in (group.code, "999999999999001")
    ]
    assert answers[0] == answers[1] == {"group": ["不存在这条记录。"]}


@pytest.mark.parametrize("value", [0, -1, 2**63, "2e19", "abc", True])
def test_impossible_ids_are_a_400_never_a_500(client, homes, clerk_a, value):
    client.force_login(clerk_a)
    response = client.post("/api/v1/leads/", {"household": value, "description": "x"}, **JSON)
    assert response.status_code == 400
    assert "household" in response.json()


def test_every_writable_related_field_is_scoped():
    """ScopedPrimaryKeyField (or ScopedSlugField, by code) is the only way a serializer of the
    API takes another record."""
    from rest_framework import serializers

    import monitoring.api.cases
    import monitoring.api.households
    import monitoring.api.incomes
    import monitoring.api.measures
    import monitoring.api.members
    import monitoring.api.visits  # noqa: F401

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    checked = 0
    for cls in set(subclasses(serializers.Serializer)):
        if not cls.__module__.startswith(("monitoring.api", "kaiyuan.")):
            continue
        try:
            fields = cls().fields
        except Exception:  # noqa: S112  (serializers that need arguments to be built)
            continue
        for name, field in fields.items():
            if field.read_only:
                continue
            checked += 1
            if isinstance(field, serializers.RelatedField):
                assert isinstance(field, ScopedPrimaryKeyField | ScopedSlugField), (cls, name)
            if name in {"household", "grid", "member", "lead", "visitor"}:
                assert isinstance(field, ScopedPrimaryKeyField), (cls, name)
    assert checked > 50


# =============================================================================================
# Id filters
# =============================================================================================

ID_FILTERS = [
    ("members", "household"),
    ("incomes", "household"),
    ("visits", "household"),
    ("visits", "visitor"),
    ("households", "grid"),
    ("leads", "household"),
    ("cases", "household"),
    ("warnings", "household"),
    ("measures", "household"),
    ("lists/monitored", "township"),
    ("lists/cases", "village"),
    ("visits/coverage", "township"),
]


@pytest.mark.sqlite
@pytest.mark.parametrize(("endpoint", "name"), ID_FILTERS)
@pytest.mark.parametrize("value", ["1e19", str(2**63), "99999999999999999999", "-1", "x"])
def test_an_id_filter_answers_400_in_the_api_format(client, bureau, endpoint, name, value):
    client.force_login(bureau)
    response = client.get(f"/api/v1/{endpoint}/", {name: value})
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_filter"
    assert response.json()["field"] == name


@pytest.mark.sqlite
def test_a_filter_on_a_hidden_household_is_an_empty_list_like_a_missing_one(client, homes, clerk_a):
    client.force_login(clerk_a)
    for value in (homes["b"].pk, MAX_ID):
        response = client.get("/api/v1/members/", {"household": value})
        assert (response.status_code, response.json()["results"]) == (200, [])


@pytest.mark.sqlite
def test_a_page_that_is_no_page_is_a_400(client, bureau):
    client.force_login(bureau)
    for value in ("0", "x", str(2**63)):
        response = client.get("/api/v1/households/", {"page": value})
        assert response.status_code == 400
        assert response.json()["field"] == "page"


# =============================================================================================
# ID numbers: never in a query string; POST /members/search/
# =============================================================================================


@pytest.fixture
def holder(village_a):
    household = make_household(village_a)
    return make_member(household, name="查找")


@pytest.mark.sqlite
@pytest.mark.parametrize("name", ["id_number", "name", "q", "household"])
def test_an_id_number_in_a_query_string_is_refused(client, holder, clerk_a, name):
    client.force_login(clerk_a)
    number = pii.decrypt(holder.id_cipher)
    response = client.get("/api/v1/members/", {name: number})
    assert response.status_code == 400
    assert response.json() == {
        "code": "id_number_in_query",
        "detail": "身份证号码不能放在地址中；请用 POST /api/v1/members/search/。",
        "field": name,
    }


def test_a_household_number_in_a_query_string_is_not_taken_for_an_id_number(client, holder, bureau):
    client.force_login(bureau)
    number = holder.household.household_number
    for value in (number, number[:15]):
        assert client.get("/api/v1/households/", {"q": value}).status_code == 200


def test_the_search_finds_a_member_of_the_area_and_is_audited(client, holder, clerk_a, clerk_b):
    number = pii.decrypt(holder.id_cipher)
    client.force_login(clerk_a)
    found = client.post("/api/v1/members/search/", {"id_number": number}, **JSON)
    assert [row["id"] for row in found.json()] == [holder.pk]
    assert number not in found.content.decode()
    event = AuditEvent.objects.filter(action="id_search").latest("id")
    assert event.data == {"id_number": holder.id_masked, "found": 1}
    client.force_login(clerk_b)
    elsewhere = client.post("/api/v1/members/search/", {"id_number": number}, **JSON)
    assert (elsewhere.status_code, elsewhere.json()) == (200, [])


def test_read_only_roles_may_search_and_outsiders_of_the_module_may_not(
    client, holder, auditor, request
):
    from tests.factories import UserFactory

    number = pii.decrypt(holder.id_cipher)
    client.force_login(auditor)
    found = client.post("/api/v1/members/search/", {"id_number": number}, **JSON)
    assert found.status_code == 200 and len(found.json()) == 1
    finance = UserFactory(role="finance", area=auditor.area)
    client.force_login(finance)
    assert client.post("/api/v1/members/search/", {"id_number": number}, **JSON).status_code == 403


def test_searches_are_limited_per_minute(client, holder, clerk_a, settings):
    settings.ID_CHECKS_PER_MINUTE = 2
    number = pii.decrypt(holder.id_cipher)
    client.force_login(clerk_a)
    codes = [
        client.post("/api/v1/members/search/", {"id_number": number}, **JSON).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
