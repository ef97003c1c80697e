"""The data-quality rules (MON-DQ) at their edges, and the two forms of each rule agreeing."""

from __future__ import annotations

import datetime

import pytest

from kaiyuan.common import dates
from kaiyuan.common.idcard import age_on
from monitoring.codes import HouseholdType, LabourSkill, Relation, Sex
from monitoring.models import Member
from monitoring.rules.households import check_composition
from monitoring.rules.members import MEMBER_RULES, check_member
from tests.monitoring.factories import make_household, make_member

pytestmark = pytest.mark.django_db


def _rules(member, household) -> set[str]:
    return {v.rule for v in check_member(member, household)}


@pytest.fixture
def exited(village_a):
    return make_household(village_a, household_type=HouseholdType.EXITED)


def _birth_for_age(age: int, *, days_after_birthday: int = 0) -> datetime.date:
    today = dates.today()
    born = today.replace(year=today.year - age)
    return born - datetime.timedelta(days=days_after_birthday)


class TestMemberRules:
    def test_a_valid_member_breaks_nothing(self, exited):
        assert _rules(exited.members.get(), exited) == set()

    @pytest.mark.parametrize(
        ("education", "schooling", "broken"),
        [("初中", "", False), ("", "小学", False), ("", "", True), ("初中", "小学", True)],
    )
    def test_dq4_exactly_one_of_education_and_schooling(self, exited, education, schooling, broken):
        member = Member(
            education=education,
            schooling=schooling,
            health="健康",
            labour_skill="普通劳动力",
            residents_medical_insurance=True,
            employees_medical_insurance=False,
            critical_illness_insurance=True,
            birth_date=datetime.date(1980, 1, 1),
        )
        assert ("MON-DQ-4" in _rules(member, exited)) is broken

    def test_dq5_health_must_be_filled_and_labour_one_of_five(self, exited):
        member = exited.members.get()
        member.health = ""
        assert "MON-DQ-5" in _rules(member, exited)
        member.health = "健康,残疾"
        assert "MON-DQ-5" not in _rules(member, exited)
        member.labour_skill = "半劳动力"
        assert "MON-DQ-5" in _rules(member, exited)

    @pytest.mark.parametrize(
        ("months", "place", "broken"),
        [
            (0, "", False),
            (1, "沈阳市", False),
            (0, "沈阳市", True),
            (1, "", True),
            (12, "大连市", False),
        ],
    )
    def test_dq6_place_of_work_iff_months(self, exited, months, place, broken):
        member = exited.members.get()
        member.work_months, member.work_place = months, place
        assert ("MON-DQ-6" in _rules(member, exited)) is broken

    def test_dq7_poverty_exited_members_need_critical_illness_insurance(self, exited, village_a):
        member = exited.members.get()
        member.critical_illness_insurance = False
        assert "MON-DQ-7" in _rules(member, exited)
        member.critical_illness_insurance = None
        assert "MON-DQ-7" in _rules(member, exited)
        ordinary = make_household(village_a, household_type=HouseholdType.ORDINARY)
        member = ordinary.members.get()
        member.critical_illness_insurance = False
        assert "MON-DQ-7" not in _rules(member, ordinary)

    @pytest.mark.parametrize(
        ("residents", "employees", "broken"),
        [
            (True, False, False),
            (False, True, False),
            (True, True, True),
            (False, False, True),
            (None, None, True),
            (None, True, False),
        ],
    )
    def test_dq8_exactly_one_basic_medical_insurance(self, exited, residents, employees, broken):
        member = exited.members.get()
        member.residents_medical_insurance = residents
        member.employees_medical_insurance = employees
        assert ("MON-DQ-8" in _rules(member, exited)) is broken

    @pytest.mark.parametrize(("age", "flagged"), [(15, False), (16, True), (59, True), (60, False)])
    def test_dq10_flags_working_age_exited_members_without_labour(self, exited, age, flagged):
        member = exited.members.get()
        member.birth_date = _birth_for_age(age, days_after_birthday=1)
        assert age_on(member.birth_date, dates.today()) == age
        member.labour_skill = LabourSkill.NONE
        violations = {v.rule: v for v in check_member(member, exited)}
        assert ("MON-DQ-10" in violations) is flagged
        if flagged:
            assert violations["MON-DQ-10"].severity == "flag"

    def test_dq10_spares_students_and_the_ill(self, exited):
        member = exited.members.get()
        member.birth_date = _birth_for_age(20, days_after_birthday=3)
        member.labour_skill = LabourSkill.WEAK
        member.schooling, member.education = "本科二年级", ""
        assert "MON-DQ-10" not in _rules(member, exited)
        member.schooling, member.education, member.health = "", "初中", "长期慢性病"
        assert "MON-DQ-10" not in _rules(member, exited)

    def test_dq11_flags_workers_without_full_labour(self, exited):
        member = exited.members.get()
        member.work_months, member.work_place = 3, "沈阳市"
        for skill, flagged in [
            (LabourSkill.ORDINARY, False),
            (LabourSkill.SKILLED, False),
            (LabourSkill.WEAK, True),
            (LabourSkill.LOST, True),
            (LabourSkill.NONE, True),
        ]:
            member.labour_skill = skill
            assert ("MON-DQ-11" in _rules(member, exited)) is flagged


class TestComposition:
    def _m(self, relation, sex):
        return Member(relation=relation, sex=sex)

    def test_one_head_and_one_spouse_of_the_other_sex_is_right(self):
        assert (
            check_composition(
                [self._m(Relation.HEAD, Sex.MALE), self._m(Relation.SPOUSE, Sex.FEMALE)]
            )
            == []
        )

    def test_dq3_no_head_or_two_heads_or_two_spouses(self):
        assert {v.rule for v in check_composition([self._m(Relation.SON, Sex.MALE)])} == {
            "MON-DQ-3"
        }
        two_heads = [self._m(Relation.HEAD, Sex.MALE), self._m(Relation.HEAD, Sex.FEMALE)]
        assert {v.rule for v in check_composition(two_heads)} == {"MON-DQ-3"}
        two_spouses = [
            self._m(Relation.HEAD, Sex.MALE),
            self._m(Relation.SPOUSE, Sex.FEMALE),
            self._m(Relation.SPOUSE, Sex.FEMALE),
        ]
        assert {v.rule for v in check_composition(two_spouses)} == {"MON-DQ-3"}

    def test_dq9_head_and_spouse_of_the_same_sex(self):
        same = [self._m(Relation.HEAD, Sex.FEMALE), self._m(Relation.SPOUSE, Sex.FEMALE)]
        assert {v.rule for v in check_composition(same)} == {"MON-DQ-9"}


def test_each_rule_selects_in_the_database_what_it_judges_in_python(village_a, township_a):
    """The page's query form and the save-time form of every member rule agree on real rows."""
    exited = make_household(village_a, household_type=HouseholdType.EXITED)
    ordinary = make_household(village_a, household_type=HouseholdType.ORDINARY)
    specimens = [
        dict(education="", schooling=""),
        dict(education="初中", schooling="小学"),
        dict(health=""),
        dict(work_months=2, work_place=""),
        dict(work_months=0, work_place="沈阳"),
        dict(critical_illness_insurance=False),
        dict(residents_medical_insurance=True, employees_medical_insurance=True),
        dict(residents_medical_insurance=False, employees_medical_insurance=None),
        dict(labour_skill=LabourSkill.NONE, birth_date=_birth_for_age(30, days_after_birthday=5)),
        dict(labour_skill=LabourSkill.WEAK, work_months=4, work_place="大连"),
        dict(phone="1390000000"),
        dict(phone="13900000000"),
    ]
    for household in (exited, ordinary):
        for fields in specimens:
            make_member(household, **fields)
    members = Member.objects.filter(status="active").select_related("household")
    for rule in MEMBER_RULES:
        by_python = {m.pk for m in members if rule.applies(m, m.household)}
        by_query = set(
            rule.broken(Member.objects.filter(status="active")).values_list("pk", flat=True)
        )
        assert by_python == by_query, rule.rule_id
        assert by_python, f"{rule.rule_id} has no specimen"
