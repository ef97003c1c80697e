"""Registering a household as a clerk does it: in its grid (the village's only one by default),
every error of the form at once, and its members' first registration (首次登记) without a
change type, which later members still give."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from kaiyuan.accounts.roles import Role
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.rules import RulesBroken
from monitoring.codes import HouseholdType, LabourSkill, Relation, Sex
from monitoring.exceptions import MonitoringError
from monitoring.models import Household, HouseholdChange, Member
from monitoring.services.households import household_create
from monitoring.services.members import member_create, registration_open
from tests.factories import GridFactory, UserFactory
from tests.monitoring.factories import make_household, next_id_number

pytestmark = pytest.mark.django_db
NEW = "/monitoring/households/new/"
NUMBER = "211282104201099"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _person(**overrides) -> dict:
    data = {
        "name": "刘强",
        "ethnicity": "满族",
        "political_status": "群众",
        "education": "高中",
        "health": ["健康"],
        "labour_skill": LabourSkill.SKILLED,
        "work_months": 0,
        "welfare_job_months": 0,
        "residents_medical_insurance": "true",
        "employees_medical_insurance": "false",
        "critical_illness_insurance": "true",
        "id_number": next_id_number(),
    }
    data.update(overrides)
    return data


def _registration(village, **overrides) -> dict:
    data = {
        "village": village.pk,
        "household_number": NUMBER,
        "household_type": HouseholdType.EXITED,
        "household_size": 1,
        **_person(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _bad_check_digit(number: str) -> str:
    return number[:17] + ("1" if number[17] == "0" else "0")


def _grid_options(html: str) -> list[str]:
    select = re.search(r'<select name="grid".*?</select>', html, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def _rules_shown(response) -> set[str]:
    """The rules whose messages the page shows beside the form's fields or above it (each error
    carries its rule id as its code; the clerk sees the message, not the id)."""
    form = response.context["form"]
    shown = {error.code for errors in form.errors.as_data().values() for error in errors}
    html = response.content.decode()
    assert not any(rule in html for rule in shown if rule and rule.startswith("MON-"))
    return shown


class TestGridChoice:
    def test_the_grids_follow_the_village_and_the_only_one_is_chosen(
        self, client, clerk_a, village_a, grid_a
    ):
        client.force_login(clerk_a)
        html = client.get("/areas/grids/", {"village": village_a.pk}).content.decode()
        assert re.search(rf'<option value="{grid_a.pk}" selected>第一网格</option>', html)
        assert "请选择网格" not in html

    def test_a_village_with_two_grids_asks_for_one(self, client, clerk_a, village_a, grid_a):
        second = GridFactory(area=village_a, name="第二网格")
        client.force_login(clerk_a)
        html = client.get("/areas/grids/", {"village": village_a.pk}).content.decode()
        assert "请选择网格" in html and " selected" not in html
        assert f'value="{grid_a.pk}"' in html and f'value="{second.pk}"' in html

    def test_another_townships_grids_are_like_a_village_without_grids(
        self, client, clerk_a, village_b, grid_b
    ):
        client.force_login(clerk_a)
        hidden = client.get("/areas/grids/", {"village": village_b.pk}).content.decode()
        missing = client.get("/areas/grids/", {"village": 2**62}).content.decode()
        assert hidden == missing
        assert "第一网格" not in hidden

    def test_the_form_asks_htmx_for_the_grids_of_the_village(self, client, clerk_a, village_a):
        client.force_login(clerk_a)
        html = client.get(NEW).content.decode()
        assert 'hx-get="/areas/grids/"' in html and 'hx-target="#id_grid"' in html
        assert _grid_options(html) == ["请先选择行政村"]


class TestRegistrationWithAGrid:
    def test_a_household_is_registered_in_the_grid_chosen(self, client, clerk_a, village_a, grid_a):
        second = GridFactory(area=village_a, name="第二网格")
        client.force_login(clerk_a)
        response = client.post(NEW, _registration(village_a, grid=second.pk))
        assert response.status_code == 302
        assert Household.objects.get(household_number=NUMBER).grid == second

    def test_the_villages_only_grid_is_the_default(self, client, clerk_a, village_a, grid_a):
        client.force_login(clerk_a)
        assert client.post(NEW, _registration(village_a)).status_code == 302
        assert Household.objects.get(household_number=NUMBER).grid == grid_a

    def test_a_village_with_two_grids_requires_a_choice(self, client, clerk_a, village_a, grid_a):
        GridFactory(area=village_a, name="第二网格")
        client.force_login(clerk_a)
        response = client.post(NEW, _registration(village_a))
        assert response.status_code == 200
        html = response.content.decode()
        assert "请选择户所在的网格" in html and "MON-GRID" in _rules_shown(response)
        assert _grid_options(html) == ["请选择网格", "第一网格", "第二网格"]
        assert not Household.objects.exists()

    def test_a_village_without_grids_registers_without_one(self, client, clerk_a, village_a):
        client.force_login(clerk_a)
        assert client.post(NEW, _registration(village_a)).status_code == 302
        assert Household.objects.get(household_number=NUMBER).grid is None

    def test_a_grid_of_another_village_is_refused(self, client, clerk_a, village_a, village_a2):
        other = GridFactory(area=village_a2, name="第一网格")
        client.force_login(clerk_a)
        response = client.post(NEW, _registration(village_a, grid=other.pk))
        assert "选择一个有效的选项" in response.content.decode()
        assert not Household.objects.exists()

    def test_the_grid_worker_sees_the_new_household_in_my_visits(
        self, client, clerk_a, grid_worker_a, village_a, grid_a
    ):
        grid_a.worker = grid_worker_a
        grid_a.save()
        client.force_login(grid_worker_a)
        assert NUMBER not in client.get("/monitoring/visits/my-month/").content.decode()
        client.force_login(clerk_a)
        client.post(NEW, _registration(village_a))
        client.force_login(grid_worker_a)
        html = client.get("/monitoring/visits/my-month/").content.decode()
        assert f'data-household="{NUMBER}"' in html

    def test_an_edit_moves_the_household_to_another_grid_audited(
        self, client, clerk_a, grid_worker_a, village_a, grid_a
    ):
        second = GridFactory(area=village_a, name="第二网格", worker=grid_worker_a)
        home = make_household(village_a, grid=grid_a)
        client.force_login(clerk_a)
        form = {
            "household_type": home.household_type,
            "household_size": 1,
            "version": home.version,
            "grid": second.pk,
        }
        assert client.post(f"/monitoring/households/{home.pk}/edit/", form).status_code == 302
        home.refresh_from_db()
        assert home.grid == second
        event = AuditEvent.objects.get(action="change", object_id=str(home.pk))
        assert event.data["changed"]["grid"] == [grid_a.pk, second.pk]
        client.force_login(grid_worker_a)
        html = client.get("/monitoring/visits/my-month/").content.decode()
        assert f'data-household="{home.household_number}"' in html

    def test_an_edit_cannot_leave_a_village_with_grids_without_one(
        self, client, clerk_a, village_a, grid_a
    ):
        home = make_household(village_a, grid=grid_a)
        client.force_login(clerk_a)
        form = {"household_type": home.household_type, "household_size": 1, "version": 1}
        response = client.post(f"/monitoring/households/{home.pk}/edit/", form)
        assert "MON-GRID" in _rules_shown(response)
        home.refresh_from_db()
        assert home.grid == grid_a


class TestEveryErrorAtOnce:
    def test_a_bad_id_and_an_insurance_breach_show_together_and_nothing_is_written(
        self, client, clerk_a, village_a
    ):
        client.force_login(clerk_a)
        form = _registration(
            village_a,
            id_number=_bad_check_digit(next_id_number()),
            critical_illness_insurance="false",  # MON-DQ-7 for a 脱贫户
            employees_medical_insurance="true",  # MON-DQ-8: both medical insurances
        )
        response = client.post(NEW, form)
        html = response.content.decode()
        assert response.status_code == 200
        assert "校验码错误" in html
        assert {"MON-DQ-1", "MON-DQ-7", "MON-DQ-8"} <= _rules_shown(response)
        assert not Household.objects.exists() and not Member.objects.exists()

    def test_the_forms_own_errors_come_with_the_rules(self, client, clerk_a, village_a):
        client.force_login(clerk_a)
        form = _registration(
            village_a,
            name="",  # the form's own error
            household_size="many",  # another
            critical_illness_insurance="false",  # and a rule
        )
        response = client.post(NEW, form)
        html = response.content.decode()
        assert "该字段是必填项" in html and "请填写整数" in html
        assert "MON-DQ-7" in _rules_shown(response)
        assert not Household.objects.exists()

    def test_the_service_refuses_every_broken_rule_at_once(self, clerk_a, village_a):
        with pytest.raises(RulesBroken) as error:
            household_create(
                actor=clerk_a,
                area=village_a,
                household_number=NUMBER,
                head={
                    "name": "刘强",
                    "health": "健康",
                    "labour_skill": LabourSkill.ORDINARY,
                    "education": "初中",
                    "schooling": "初中",  # MON-DQ-4
                    "residents_medical_insurance": False,  # MON-DQ-8
                    "critical_illness_insurance": False,  # MON-DQ-7
                },
                id_number=_bad_check_digit(next_id_number()),
                household_type=HouseholdType.EXITED,
            )
        rules = {v.rule for v in error.value.violations}
        assert {"MON-DQ-1", "MON-DQ-4", "MON-DQ-7", "MON-DQ-8"} <= rules
        assert not Household.objects.exists()

    def test_adding_a_member_shows_the_id_and_the_insurance_errors_together(
        self, client, clerk_a, village_a
    ):
        home = make_household(village_a)
        client.force_login(clerk_a)
        form = _person(
            relation=Relation.SON,
            id_number=_bad_check_digit(next_id_number()),
            critical_illness_insurance="false",
            kind="member_born",
            happened_on="2026-11-01",
            reason="出生",
        )
        response = client.post(f"/monitoring/households/{home.pk}/members/add/", form)
        assert {"MON-DQ-1", "MON-DQ-7"} <= _rules_shown(response)
        assert home.members.count() == 1

    def test_editing_a_member_shows_every_error_at_once(self, client, clerk_a, village_a):
        home = make_household(village_a)
        head = home.members.get()
        client.force_login(clerk_a)
        form = _person(
            name="王建国",
            relation=Relation.HEAD,
            version=head.version,
            id_number=_bad_check_digit(next_id_number()),
            employees_medical_insurance="true",
            work_months=13,  # the form's own error (at most 12)
        )
        response = client.post(f"/monitoring/members/{head.pk}/edit/", form)
        assert {"MON-DQ-1", "MON-DQ-8"} <= _rules_shown(response)
        assert "12" in response.content.decode()
        head.refresh_from_db()
        assert head.employees_medical_insurance is False


class TestFirstRegistration:
    def test_the_head_is_recorded_as_the_first_registration(self, client, clerk_a, village_a):
        client.force_login(clerk_a)
        client.post(NEW, _registration(village_a))
        household = Household.objects.get(household_number=NUMBER)
        change = household.changes.get()
        assert change.kind == HouseholdChange.Kind.FIRST_REGISTRATION
        assert change.member == household.members.get() and change.actor == clerk_a
        html = client.get(f"/monitoring/households/{household.pk}/").content.decode()
        assert "首次登记 · 刘强" in html

    def test_the_declared_members_are_registered_without_a_change_type(
        self, client, clerk_a, village_a
    ):
        client.force_login(clerk_a)
        response = client.post(NEW, _registration(village_a, household_size=3))
        household = Household.objects.get(household_number=NUMBER)
        add = f"/monitoring/households/{household.pk}/members/add/"
        assert response["Location"] == add
        html = client.get(add).content.decode()
        assert 'name="kind"' not in html and "婚入" not in html and 'name="reason"' not in html
        assert "第 2 人，共 3 人" in html
        wife = next_id_number(sex=Sex.FEMALE)
        spouse = _person(name="张丽", relation=Relation.SPOUSE, id_number=wife)
        assert client.post(add, spouse).headers["Location"] == add
        son = _person(name="刘小强", relation=Relation.SON)
        detail = f"/monitoring/households/{household.pk}/"
        assert client.post(add, son).headers["Location"] == detail
        household.refresh_from_db()
        assert household.household_size == 3 and household.members.count() == 3
        kinds = set(household.changes.values_list("kind", flat=True))
        assert kinds == {HouseholdChange.Kind.FIRST_REGISTRATION}
        assert household.changes.count() == 3
        # Registration is complete: the next member says how they joined.
        html = client.get(add).content.decode()
        assert 'name="kind"' in html and "新增成员：婚入" in html and "首次登记" not in html

    def test_a_member_joining_later_still_gives_the_change_type(self, client, clerk_a, village_a):
        home = make_household(village_a)
        client.force_login(clerk_a)
        add = f"/monitoring/households/{home.pk}/members/add/"
        html = client.get(add).content.decode()
        assert 'name="kind"' in html
        form = _person(name="王小", relation=Relation.SON)  # no change type given
        response = client.post(add, form)
        assert response.status_code == 200 and home.members.count() == 1

    def test_the_service_records_first_registration_only_while_it_is_open(self, clerk_a, village_a):
        household = household_create(
            actor=clerk_a,
            area=village_a,
            household_number=NUMBER,
            head={
                "name": "刘强",
                "health": "健康",
                "labour_skill": LabourSkill.ORDINARY,
                "education": "初中",
                "residents_medical_insurance": True,
                "critical_illness_insurance": True,
            },
            id_number=next_id_number(),
            household_type=HouseholdType.EXITED,
            household_size=2,
        )
        assert registration_open(household)
        data = {
            "name": "刘小",
            "relation": Relation.SON,
            "health": "健康",
            "labour_skill": LabourSkill.ORDINARY,
            "education": "小学",
            "residents_medical_insurance": True,
            "critical_illness_insurance": True,
        }
        # A birth before the registration is complete is a change of the household: it ends
        # the first registration.
        member_create(
            household=household,
            actor=clerk_a,
            id_number=next_id_number(),
            data=data,
            kind=HouseholdChange.Kind.MEMBER_BORN,
            happened_on=household.created_at.date(),
            reason="出生",
        )
        household.refresh_from_db()
        assert not registration_open(household)
        with pytest.raises(MonitoringError) as refused:
            member_create(
                household=household,
                actor=clerk_a,
                id_number=next_id_number(),
                data=data,
                kind=None,
            )
        assert refused.value.field == "kind"

    def test_a_grid_worker_does_not_register(self, client, village_a):
        worker = UserFactory(role=Role.GRID_WORKER, area=village_a)
        client.force_login(worker)
        assert client.get(NEW).status_code == 403


def test_a_county_user_picks_the_village_under_its_township(client, bureau, village_a, village_b):
    client.force_login(bureau)
    html = client.get(NEW).content.decode()
    assert f'<optgroup label="{village_a.parent.name}">' in html
    assert f'<optgroup label="{village_b.parent.name}">' in html
    response = client.post(NEW, _registration(village_b))
    assert response.status_code == 302
    assert Household.objects.get(household_number=NUMBER).area == village_b
