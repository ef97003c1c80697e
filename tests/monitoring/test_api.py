"""The monitoring API (/api/v1/households/, /members/, /incomes/, /visits/): scoped like the
pages, writes through the services, domain refusals as 400 with a code and a Chinese detail."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaiyuan.accounts.roles import Role
from kaiyuan.accounts.services import api_token_issue
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common import dates, pii
from kaiyuan.common.dates import today
from kaiyuan.common.idcard import age_on, build_id_number
from kaiyuan.policy.models import PolicySettings
from monitoring.codes import HouseholdType, MonitoringCategory, Relation, Sex
from monitoring.models import Household, IncomeRecord, Visit
from monitoring.services.incomes import income_record_save
from tests.factories import UserFactory
from tests.monitoring.factories import make_household, make_member, next_id_number

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


# =============================================================================================
# The cast's data: one household with a member, an income and a visit in each township
# =============================================================================================


def _income(household, actor, per_capita: str, *, year: int = 2024) -> IncomeRecord:
    size = household.household_size
    record, _flags = income_record_save(
        household=household,
        actor=actor,
        year=year,
        kind=IncomeRecord.Kind.ANNUAL,
        values={"wage_income": str(Decimal(per_capita) * size)},
    )
    return record


def _visit(household, visitor, *, day: datetime.date | None = None, level="village") -> Visit:
    return Visit.objects.create(
        household=household,
        area=household.area,
        visitor=visitor,
        level=level,
        visited_on=day or dates.today(),
        method=Visit.Method.ON_SITE,
        child_out_of_school=False,
        housing_unsafe=False,
        member_uninsured=False,
        water_unsafe=False,
    )


@pytest.fixture
def rows(village_a, village_b, grid_a, clerk_a, clerk_b, grid_worker_a):
    """A's and B's household, son, income record and visit."""
    made = {}
    for key, village, clerk in (("a", village_a, clerk_a), ("b", village_b, clerk_b)):
        household = make_household(
            village, head_name=f"户主{key}", grid=grid_a if key == "a" else None
        )
        member = make_member(household, name=f"儿子{key}", birth_date=datetime.date(2005, 3, 1))
        income = _income(household, clerk, "9000.00")
        visit = _visit(household, clerk, level="township")
        made[key] = {"household": household, "member": member, "income": income, "visit": visit}
    return made


ENDPOINTS = ("households", "members", "incomes", "visits")
ROW_OF = {"households": "household", "members": "member", "incomes": "income", "visits": "visit"}


# =============================================================================================
# Access: the named cast
# =============================================================================================


class TestAccess:
    @pytest.mark.parametrize("endpoint", ENDPOINTS)
    def test_a_clerk_lists_only_the_rows_of_their_township(self, client, rows, clerk_a, endpoint):
        client.force_login(clerk_a)
        data = client.get(f"/api/v1/{endpoint}/").json()
        ids = {row["id"] for row in data["results"]}
        assert rows["a"][ROW_OF[endpoint]].pk in ids
        assert rows["b"][ROW_OF[endpoint]].pk not in ids

    @pytest.mark.parametrize("endpoint", ENDPOINTS)
    def test_another_townships_row_is_not_found(self, client, rows, clerk_b, endpoint):
        client.force_login(clerk_b)
        own = rows["b"][ROW_OF[endpoint]].pk
        other = rows["a"][ROW_OF[endpoint]].pk
        assert client.get(f"/api/v1/{endpoint}/{own}/").status_code == 200
        assert client.get(f"/api/v1/{endpoint}/{other}/").status_code == 404

    @pytest.mark.parametrize("endpoint", ("households", "members", "incomes"))
    def test_another_townships_row_cannot_be_changed(self, client, rows, clerk_b, endpoint):
        client.force_login(clerk_b)
        row = rows["a"][ROW_OF[endpoint]]
        response = client.patch(
            f"/api/v1/{endpoint}/{row.pk}/",
            {"version": 1, "note": "x"},
            content_type="application/json",
        )
        assert response.status_code == 404

    @pytest.mark.parametrize("role_user", ["leader", "auditor"])
    @pytest.mark.parametrize("endpoint", ENDPOINTS)
    def test_read_only_roles_read_but_cannot_write(
        self, client, rows, request, role_user, endpoint
    ):
        user = request.getfixturevalue(role_user)
        client.force_login(user)
        row = rows["a"][ROW_OF[endpoint]]
        expected = 4 if endpoint == "members" else 2  # each household: a head and a son
        assert len(client.get(f"/api/v1/{endpoint}/").json()["results"]) == expected
        assert client.get(f"/api/v1/{endpoint}/{row.pk}/").status_code == 200
        assert client.post(f"/api/v1/{endpoint}/", {}).status_code == 403
        patch = client.patch(
            f"/api/v1/{endpoint}/{row.pk}/", {"version": 1}, content_type="application/json"
        )
        assert patch.status_code in (403, 405)  # visits are never edited: 405 for everyone

    def test_a_grid_worker_reads_the_registry_but_does_not_keep_it(
        self, client, rows, grid_worker_a
    ):
        client.force_login(grid_worker_a)
        household = rows["a"]["household"]
        assert client.get(f"/api/v1/households/{household.pk}/").status_code == 200
        response = client.patch(
            f"/api/v1/households/{household.pk}/",
            {"version": household.version, "phone": "13900000000"},
            content_type="application/json",
        )
        assert response.status_code == 403
        household.refresh_from_db()
        assert household.phone == ""

    def test_the_finance_bureau_has_no_monitoring_api(self, client, rows, county):
        client.force_login(UserFactory(role=Role.FINANCE, area=county))
        assert client.get("/api/v1/households/").status_code == 403

    @pytest.mark.parametrize("endpoint", ENDPOINTS)
    def test_anonymous_requests_are_refused(self, client, rows, endpoint):
        assert client.get(f"/api/v1/{endpoint}/").status_code in (401, 403)
        assert client.post(f"/api/v1/{endpoint}/", {}).status_code in (401, 403)

    def test_token_authentication_works(self, client, rows, clerk_a):
        _token, secret = api_token_issue(user=clerk_a)
        response = client.get("/api/v1/households/", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 200
        assert [row["id"] for row in response.json()["results"]] == [rows["a"]["household"].pk]

    def test_the_schema_documents_the_endpoints(self, client, clerk_a):
        client.force_login(clerk_a)
        schema = client.get("/api/schema/").content.decode()
        for path in (
            "/api/v1/households/",
            "/api/v1/households/{id}/",
            "/api/v1/members/",
            "/api/v1/members/{id}/remove/",
            "/api/v1/members/{id}/reveal-id/",
            "/api/v1/incomes/",
            "/api/v1/visits/",
        ):
            assert path in schema
        assert "income_band" in schema and "id_number_masked" in schema


# =============================================================================================
# Households
# =============================================================================================


def _head(**extra) -> dict:
    return {
        "name": "李春生",
        "health": "健康",
        "labour_skill": "普通劳动力",
        "education": "初中",
        "residents_medical_insurance": True,
        "employees_medical_insurance": False,
        "critical_illness_insurance": True,
        **extra,
    }


class TestHouseholds:
    def test_a_clerk_creates_a_household_with_its_head(self, client, clerk_a, village_a):
        client.force_login(clerk_a)
        number = build_id_number("211282", datetime.date(1970, 1, 2), 13)
        response = client.post(
            "/api/v1/households/",
            {
                "household_number": "2112821042010999",
                "area": village_a.code,
                "household_type": HouseholdType.EXITED,
                "exited_attribute": "一般脱贫户",
                "head": _head(),
                "head_id_number": number,
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content.decode()
        body = response.json()
        assert body["head_name"] == "李春生"
        assert body["village_code"] == village_a.code
        [head] = body["members"]
        assert head["relation"] == Relation.HEAD
        assert head["id_number_masked"] == number[:6] + "*" * 8 + number[-4:]
        assert number not in response.content.decode()
        household = Household.objects.get(household_number="2112821042010999")
        assert AuditEvent.objects.filter(object_id=str(household.pk), action="create").exists()

    def test_a_bad_id_checksum_is_refused_in_chinese_and_nothing_is_saved(
        self, client, clerk_a, village_a
    ):
        client.force_login(clerk_a)
        number = build_id_number("211282", datetime.date(1970, 1, 2), 13)
        wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
        response = client.post(
            "/api/v1/households/",
            {
                "household_number": "2112821042010998",
                "area": village_a.code,
                "household_type": HouseholdType.ORDINARY,
                "head": _head(),
                "head_id_number": wrong,
            },
            content_type="application/json",
            **ZH,
        )
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "mon_dq_1"
        assert "校验码" in body["detail"]
        assert body["field"] == "id_number"
        assert not Household.objects.filter(household_number="2112821042010998").exists()

    def test_a_village_of_another_township_cannot_be_used(self, client, clerk_b, village_a):
        client.force_login(clerk_b)
        response = client.post(
            "/api/v1/households/",
            {
                "household_number": "2112821042010997",
                "area": village_a.code,
                "household_type": HouseholdType.ORDINARY,
                "head": _head(),
                "head_id_number": next_id_number(),
            },
            content_type="application/json",
        )
        assert response.status_code == 400
        assert "area" in response.json()
        assert not Household.objects.filter(household_number="2112821042010997").exists()

    def test_an_edit_needs_the_version_and_a_stale_one_changes_nothing(self, client, rows, clerk_a):
        client.force_login(clerk_a)
        household = rows["a"]["household"]
        url = f"/api/v1/households/{household.pk}/"
        missing = client.patch(url, {"phone": "13911112222"}, content_type="application/json")
        assert missing.status_code == 400
        assert "version" in missing.json()
        ok = client.patch(
            url,
            {"version": household.version, "phone": "13911112222"},
            content_type="application/json",
        )
        assert ok.status_code == 200, ok.content.decode()
        assert ok.json()["version"] == household.version + 1
        stale = client.patch(
            url,
            {"version": household.version, "phone": "13933334444"},
            content_type="application/json",
            **ZH,
        )
        assert stale.status_code == 409
        assert stale.json()["code"] == "concurrent_update"
        assert "其他人" in stale.json()["detail"] or "他人" in stale.json()["detail"]
        household.refresh_from_db()
        assert household.phone == "13911112222"

    def test_a_put_is_not_offered(self, client, rows, clerk_a):
        client.force_login(clerk_a)
        household = rows["a"]["household"]
        response = client.put(
            f"/api/v1/households/{household.pk}/", {}, content_type="application/json"
        )
        assert response.status_code == 405

    def test_the_detail_lists_members_with_masked_ids_only(self, client, rows, clerk_a):
        client.force_login(clerk_a)
        household = rows["a"]["household"]
        body = client.get(f"/api/v1/households/{household.pk}/").json()
        assert {m["name"] for m in body["members"]} == {"户主a", "儿子a"}
        assert all("*" in m["id_number_masked"] for m in body["members"])
        assert "id_cipher" not in str(body) and "id_index" not in str(body)
        assert body["per_capita_income"] == "9000.00"


class TestHouseholdFilters:
    @pytest.fixture
    def spread(self, village_a, village_a2, village_b, grid_a):
        return {
            "a1": make_household(village_a, head_name="张大山", grid=grid_a),
            "a2": make_household(
                village_a2,
                head_name="李小河",
                household_type=HouseholdType.ORDINARY,
                monitoring_status=Household.MonitoringStatus.MONITORED,
                monitoring_category=MonitoringCategory.MARGINAL,
                flagged_for_attention=True,
            ),
            "b": make_household(village_b, head_name="张远方"),
        }

    def _ids(self, client, **params) -> set[int]:
        response = client.get("/api/v1/households/", params)
        assert response.status_code == 200, response.content.decode()
        return {row["id"] for row in response.json()["results"]}

    def test_area_matches_the_whole_subtree(self, client, spread, bureau, township_a, village_a):
        client.force_login(bureau)
        both = {spread["a1"].pk, spread["a2"].pk}
        assert self._ids(client, area=township_a.code) == both
        assert self._ids(client, area=village_a.code) == {spread["a1"].pk}
        assert self._ids(client, area="211282") == {*both, spread["b"].pk}
        assert self._ids(client, area="999999") == set()

    def test_a_filter_never_widens_the_users_scope(self, client, spread, clerk_a, township_b):
        client.force_login(clerk_a)
        assert self._ids(client, area=township_b.code) == set()

    def test_type_category_status_flag_grid_and_search(self, client, spread, bureau, grid_a):
        client.force_login(bureau)
        a2 = {spread["a2"].pk}
        assert self._ids(client, household_type=HouseholdType.ORDINARY) == a2
        assert self._ids(client, monitoring_category=MonitoringCategory.MARGINAL) == a2
        assert self._ids(client, monitoring_status="monitored") == a2
        assert self._ids(client, flagged_for_attention="true") == a2
        assert self._ids(client, grid=grid_a.pk) == {spread["a1"].pk}
        assert self._ids(client, q="张") == {spread["a1"].pk, spread["b"].pk}
        number = spread["b"].household_number
        assert self._ids(client, q=number[:-1]) >= {spread["b"].pk}

    def test_a_bad_choice_is_a_400_in_the_api_format(self, client, spread, bureau):
        client.force_login(bureau)
        response = client.get("/api/v1/households/", {"income_band": "rich"})
        assert response.status_code == 400
        assert response.json()["field"] == "income_band"

    def test_income_bands_follow_the_years_thresholds(self, client, village_a, bureau, clerk_a):
        made = {}
        for amount in ("8500.00", "8500.01", "10000.00", "10000.01"):
            household = make_household(village_a, head_name=f"户{amount}")
            _income(household, clerk_a, amount)
            made[amount] = household.pk
        client.force_login(bureau)
        # Each line includes its own number (以下, DOMAIN.md §1.5).
        assert self._ids(client, income_band="below_stacked") == {made["8500.00"]}
        assert self._ids(client, income_band="below_focus") == {made["8500.01"], made["10000.00"]}
        assert self._ids(client, income_band="above_focus") == {made["10000.01"]}

    def test_a_later_years_own_thresholds_are_used(self, client, village_a, bureau, clerk_a):
        PolicySettings.objects.create(
            year=2025,
            stacked_income_threshold=Decimal("9000"),
            low_income_focus_threshold=Decimal("11000"),
        )
        old = make_household(village_a, head_name="旧年")
        _income(old, clerk_a, "8800.00", year=2024)
        new = make_household(village_a, head_name="新年")
        _income(new, clerk_a, "8800.00", year=2025)
        client.force_login(bureau)
        assert self._ids(client, income_band="below_focus") == {old.pk}
        assert self._ids(client, income_band="below_stacked") == {new.pk}


# =============================================================================================
# Members
# =============================================================================================


class TestMembers:
    def test_the_id_number_is_shown_masked_and_never_stored_plain(self, client, rows, clerk_a):
        client.force_login(clerk_a)
        member = rows["a"]["member"]
        body = client.get(f"/api/v1/members/{member.pk}/").json()
        number = pii.decrypt(member.id_cipher)
        assert body["id_number_masked"] == member.id_masked
        assert number not in str(body)
        assert not {"id_cipher", "id_index", "id_masked"} & set(body)

    def test_two_people_of_the_same_name_are_told_apart_by_id(self, client, village_a, clerk_a):
        household = make_household(village_a)
        first = make_member(household, name="王芳", sex=Sex.FEMALE, relation=Relation.DAUGHTER)
        second = make_member(household, name="王芳", sex=Sex.FEMALE, relation=Relation.DAUGHTER)
        client.force_login(clerk_a)
        same_name = client.get("/api/v1/members/", {"name": "王芳"}).json()["results"]
        assert {row["id"] for row in same_name} == {first.pk, second.pk}
        number = pii.decrypt(second.id_cipher)
        by_id = client.post(
            "/api/v1/members/search/",
            {"id_number": number.lower()},
            content_type="application/json",
        ).json()
        assert [row["id"] for row in by_id] == [second.pk]

    def test_an_invalid_id_number_search_is_a_400_with_the_id_message(self, client, rows, clerk_a):
        client.force_login(clerk_a)
        response = client.post(
            "/api/v1/members/search/",
            {"id_number": "21128219800517001"},
            content_type="application/json",
            **ZH,
        )
        assert response.status_code == 400
        body = response.json()
        assert body["field"] == "id_number"
        assert "18" in body["detail"]

    def test_status_labour_and_household_filters(self, client, rows, clerk_a):
        client.force_login(clerk_a)
        household = rows["a"]["household"]
        results = client.get("/api/v1/members/", {"household": household.pk}).json()["results"]
        assert len(results) == 2
        weak = client.get("/api/v1/members/", {"labour_skill": "弱劳动力或半劳动力"}).json()
        assert weak["results"] == []
        assert len(client.get("/api/v1/members/", {"status": "removed"}).json()["results"]) == 0

    def test_a_member_is_added_by_birth_and_the_household_grows(self, client, rows, clerk_a):
        client.force_login(clerk_a)
        household = rows["a"]["household"]
        born = dates.today() - datetime.timedelta(days=40)
        number = build_id_number("211282", born, 24)
        response = client.post(
            "/api/v1/members/",
            {
                "household": household.pk,
                "kind": "member_born",
                "happened_on": born.isoformat(),
                "reason": "出生",
                "id_number": number,
                "name": "王小雨",
                "relation": Relation.GRANDDAUGHTER,
                "health": "健康",
                "labour_skill": "无劳动力",
                "schooling": "学龄前儿童",
                "residents_medical_insurance": True,
                "employees_medical_insurance": False,
                "critical_illness_insurance": True,
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content.decode()
        body = response.json()
        assert (body["sex"], body["age"]) == (Sex.FEMALE, age_on(born, today()))
        assert "birth_date" not in body
        household.refresh_from_db()
        assert household.household_size == 2

    def test_first_registration_needs_no_change_type_and_afterwards_one_is_asked(
        self, client, clerk_a, village_a
    ):
        from monitoring.models import HouseholdChange
        from tests.monitoring.factories import make_household

        household = make_household(village_a)
        Household.objects.filter(pk=household.pk).update(household_size=2)  # declared two
        client.force_login(clerk_a)

        def add(name, relation, sex=Sex.MALE):
            return client.post(
                "/api/v1/members/",
                {
                    "household": household.pk,
                    "id_number": next_id_number(sex=sex),
                    "name": name,
                    "relation": relation,
                    "health": "健康",
                    "labour_skill": "普通劳动力",
                    "education": "初中",
                    "residents_medical_insurance": True,
                    "employees_medical_insurance": False,
                    "critical_illness_insurance": True,
                },
                content_type="application/json",
                **ZH,
            )

        response = add("王秀英", Relation.SPOUSE, Sex.FEMALE)
        assert response.status_code == 201, response.content.decode()
        kinds = set(household.changes.values_list("kind", flat=True))
        assert kinds == {HouseholdChange.Kind.FIRST_REGISTRATION}
        # The household now has the two members it declared: a third joined somehow.
        response = add("王小军", Relation.SON)
        assert response.status_code == 400
        assert (response.json()["code"], response.json()["field"]) == ("change_required", "kind")
        assert household.members.count() == 2

    def test_a_second_head_is_refused_with_mon_dq_3(self, client, rows, clerk_a):
        client.force_login(clerk_a)
        household = rows["a"]["household"]
        response = client.post(
            "/api/v1/members/",
            {
                "household": household.pk,
                "kind": "member_moved_in",
                "happened_on": "2025-01-05",
                "reason": "迁入",
                "id_number": next_id_number(),
                "name": "赵二",
                "relation": Relation.HEAD,
                "health": "健康",
                "labour_skill": "普通劳动力",
                "education": "初中",
                "residents_medical_insurance": True,
                "employees_medical_insurance": False,
                "critical_illness_insurance": True,
            },
            content_type="application/json",
            **ZH,
        )
        assert response.status_code == 400
        assert response.json()["code"] == "mon_dq_3"
        assert "户主" in response.json()["detail"]
        assert household.members.count() == 2

    def test_an_edit_with_a_stale_version_is_a_conflict(self, client, rows, clerk_a):
        client.force_login(clerk_a)
        member = rows["a"]["member"]
        url = f"/api/v1/members/{member.pk}/"
        ok = client.patch(
            url,
            {"version": member.version, "phone": "13800001111"},
            content_type="application/json",
        )
        assert ok.status_code == 200, ok.content.decode()
        stale = client.patch(
            url,
            {"version": member.version, "phone": "13800002222"},
            content_type="application/json",
        )
        assert stale.status_code == 409
        member.refresh_from_db()
        assert member.phone == "13800001111"

    def test_a_member_is_removed_with_date_and_reason_but_the_head_is_not(
        self, client, rows, clerk_a
    ):
        client.force_login(clerk_a)
        son = rows["a"]["member"]
        response = client.post(
            f"/api/v1/members/{son.pk}/remove/",
            {"kind": "member_moved_out", "happened_on": "2025-02-01", "reason": "外出落户"},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content.decode()
        assert response.json()["status"] == "removed"
        head = rows["a"]["household"].members.get(relation=Relation.HEAD)
        refused = client.post(
            f"/api/v1/members/{head.pk}/remove/",
            {"kind": "member_died", "happened_on": "2025-02-01", "reason": "病故"},
            content_type="application/json",
        )
        assert refused.status_code == 400
        assert refused.json()["code"] == "head_cannot_leave"

    def test_the_full_id_is_revealed_to_a_clerk_and_audited(self, client, rows, clerk_a):
        client.force_login(clerk_a)
        member = rows["a"]["member"]
        response = client.post(f"/api/v1/members/{member.pk}/reveal-id/")
        assert response.status_code == 200
        assert response.json() == {"id_number": pii.decrypt(member.id_cipher)}
        event = AuditEvent.objects.get(action="reveal_id", object_id=str(member.pk))
        assert (event.actor, event.source) == (clerk_a, "api")

    def test_an_auditor_may_reveal_although_read_only(self, client, rows, auditor):
        client.force_login(auditor)
        member = rows["a"]["member"]
        assert client.post(f"/api/v1/members/{member.pk}/reveal-id/").status_code == 200

    def test_a_grid_worker_may_not_reveal_and_nothing_is_audited(self, client, rows, grid_worker_a):
        client.force_login(grid_worker_a)
        member = rows["a"]["member"]
        assert client.post(f"/api/v1/members/{member.pk}/reveal-id/").status_code == 403
        assert not AuditEvent.objects.filter(action="reveal_id").exists()

    def test_another_townships_member_is_not_revealed(self, client, rows, clerk_b):
        client.force_login(clerk_b)
        member = rows["a"]["member"]
        assert client.post(f"/api/v1/members/{member.pk}/reveal-id/").status_code == 404


# =============================================================================================
# Incomes
# =============================================================================================


class TestIncomes:
    def test_a_record_is_computed_and_returned_with_money_as_strings(
        self, client, village_a, clerk_a
    ):
        household = make_household(village_a)
        make_member(household)
        Household.objects.filter(pk=household.pk).update(household_size=2)
        client.force_login(clerk_a)
        response = client.post(
            "/api/v1/incomes/",
            {
                "household": household.pk,
                "year": 2025,
                "kind": "identification",
                "wage_income": "50.00",
                "business_income": "12000.10",
                "property_income": "0",
                "transfer_income": "3000",
                "business_expense": "2000.05",
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content.decode()
        body = response.json()
        assert body["net_income"] == "13050.05"
        assert body["per_capita_net_income"] == "6525.03"
        assert body["wage_income"] == "50.00"
        assert [flag["rule"] for flag in body["flags"]] == ["MON-INC-5"]
        household.refresh_from_db()
        assert (household.per_capita_income, household.income_year) == (Decimal("6525.03"), 2025)

    def test_replacing_needs_the_loaded_version(self, client, rows, clerk_a):
        client.force_login(clerk_a)
        income = rows["a"]["income"]
        payload = {
            "household": income.household_id,
            "year": income.year,
            "kind": income.kind,
            "wage_income": "1.00",
        }
        stale = client.post("/api/v1/incomes/", payload, content_type="application/json")
        assert stale.status_code == 409
        income.refresh_from_db()
        assert income.wage_income != Decimal("1.00")
        replaced = client.post(
            "/api/v1/incomes/",
            {**payload, "version": income.version},
            content_type="application/json",
        )
        assert replaced.status_code == 200
        assert replaced.json()["net_income"] == "1.00"

    def test_a_patch_changes_some_amounts_and_keeps_the_others(self, client, rows, clerk_a):
        client.force_login(clerk_a)
        income = rows["a"]["income"]
        response = client.patch(
            f"/api/v1/incomes/{income.pk}/",
            {"version": income.version, "transfer_income": "100.00"},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content.decode()
        body = response.json()
        assert body["wage_income"] == str(income.wage_income)
        assert Decimal(body["net_income"]) == income.wage_income + Decimal("100.00")

    def test_a_negative_amount_is_refused_with_its_rule(self, client, rows, clerk_a):
        client.force_login(clerk_a)
        household = rows["a"]["household"]
        response = client.post(
            "/api/v1/incomes/",
            {"household": household.pk, "year": 2023, "kind": "annual", "wage_income": "-5"},
            content_type="application/json",
            **ZH,
        )
        assert response.status_code == 400
        assert response.json()["code"] == "mon_inc_3"
        assert not IncomeRecord.objects.filter(household=household, year=2023).exists()

    def test_filters_by_year_and_kind(self, client, rows, clerk_a):
        client.force_login(clerk_a)
        assert len(client.get("/api/v1/incomes/", {"year": 2024}).json()["results"]) == 1
        assert len(client.get("/api/v1/incomes/", {"year": 2025}).json()["results"]) == 0
        assert len(client.get("/api/v1/incomes/", {"kind": "elimination"}).json()["results"]) == 0


# =============================================================================================
# Visits
# =============================================================================================


class TestVisits:
    def test_filters_by_month_level_visitor_and_household(
        self, client, rows, clerk_a, grid_worker_a
    ):
        household = rows["a"]["household"]
        old = _visit(household, grid_worker_a, day=datetime.date(2024, 3, 9))
        client.force_login(clerk_a)

        def ids(**params):
            response = client.get("/api/v1/visits/", params)
            assert response.status_code == 200, response.content.decode()
            return {row["id"] for row in response.json()["results"]}

        assert ids(month="2024-03") == {old.pk}
        assert ids(level="village") == {old.pk}
        assert ids(visitor=grid_worker_a.pk) == {old.pk}
        assert ids(household=household.pk) == {old.pk, rows["a"]["visit"].pk}
        bad = client.get("/api/v1/visits/", {"month": "2024-13"})
        assert bad.status_code == 400 and bad.json()["field"] == "month"

    def test_a_grid_worker_records_a_village_visit(self, client, rows, grid_worker_a):
        client.force_login(grid_worker_a)
        household = rows["a"]["household"]
        response = client.post(
            "/api/v1/visits/",
            {
                "household": household.pk,
                "visited_on": dates.today().isoformat(),
                "method": "on_site",
                "child_out_of_school": False,
                "housing_unsafe": False,
                "member_uninsured": False,
                "water_unsafe": True,
                "new_risk": True,
                "risk_note": "水井干涸",
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content.decode()
        body = response.json()
        assert (body["level"], body["visitor"], body["water_unsafe"]) == (
            "village",
            grid_worker_a.pk,
            True,
        )
        assert Visit.objects.get(pk=body["id"]).lead.description == "水井干涸"

    def test_a_visit_in_the_future_is_refused_with_a_code(self, client, rows, grid_worker_a):
        client.force_login(grid_worker_a)
        response = client.post(
            "/api/v1/visits/",
            {
                "household": rows["a"]["household"].pk,
                "visited_on": (dates.today() + datetime.timedelta(days=2)).isoformat(),
                "method": "phone",
                "child_out_of_school": False,
                "housing_unsafe": False,
                "member_uninsured": False,
                "water_unsafe": False,
            },
            content_type="application/json",
            **ZH,
        )
        assert response.status_code == 400
        assert response.json()["code"] == "visit_in_future"
        assert Visit.objects.filter(visitor=grid_worker_a).count() == 0

    def test_a_household_of_another_township_cannot_be_visited(self, client, rows, clerk_b):
        client.force_login(clerk_b)
        response = client.post(
            "/api/v1/visits/",
            {
                "household": rows["a"]["household"].pk,
                "visited_on": dates.today().isoformat(),
                "method": "phone",
                "child_out_of_school": False,
                "housing_unsafe": False,
                "member_uninsured": False,
                "water_unsafe": False,
            },
            content_type="application/json",
        )
        assert response.status_code == 400
        assert "household" in response.json()


# =============================================================================================
# Query counts: list endpoints do not grow with their rows
# =============================================================================================


def _fill(village, grid, clerk, worker, count: int) -> None:
    for index in range(count):
        household = make_household(village, head_name=f"户{index}", grid=grid)
        make_member(household, name=f"子{index}")
        _income(household, clerk, "9100.00")
        _visit(household, worker)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_query_counts_do_not_grow_with_rows(
    client, village_a, grid_a, clerk_a, grid_worker_a, endpoint
):
    client.force_login(clerk_a)
    _fill(village_a, grid_a, clerk_a, grid_worker_a, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/api/v1/{endpoint}/").status_code == 200
    _fill(village_a, grid_a, clerk_a, grid_worker_a, 12)
    with CaptureQueriesContext(connection) as large:
        response = client.get(f"/api/v1/{endpoint}/")
    assert len(response.json()["results"]) >= 14
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_household_list_stays_constant_with_filters(
    client, village_a, grid_a, clerk_a, grid_worker_a, township_a
):
    client.force_login(clerk_a)
    params = {"area": township_a.code, "income_band": "below_focus", "q": "户"}
    _fill(village_a, grid_a, clerk_a, grid_worker_a, 2)
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/households/", params)
    _fill(village_a, grid_a, clerk_a, grid_worker_a, 10)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/api/v1/households/", params)
    assert len(response.json()["results"]) == 12
    assert len(large.captured_queries) == len(small.captured_queries)
