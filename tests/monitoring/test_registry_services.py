"""Writes to households and members: rules refused in Chinese, typed changes, conflicts, audit."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.utils import translation

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common import pii
from kaiyuan.common.errors import DomainError
from kaiyuan.common.idcard import parse_id_number
from kaiyuan.common.rules import RulesBroken
from monitoring.codes import HouseholdType, Relation, Sex
from monitoring.exceptions import HouseholdChanged, MonitoringError
from monitoring.models import Household, HouseholdChange, Member
from monitoring.services.households import (
    household_change_head,
    household_create,
    household_merge,
    household_split,
    household_update,
)
from monitoring.services.members import (
    RevealNotAllowed,
    member_create,
    member_remove,
    member_reveal_id,
    member_update,
)
from tests.monitoring.factories import make_household, make_member, next_id_number

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 6, 1)

HEAD = dict(
    name="张三",
    health="健康",
    labour_skill="普通劳动力",
    education="初中",
    residents_medical_insurance=True,
    employees_medical_insurance=False,
    critical_illness_insurance=True,
)


def _person(**overrides):
    data = dict(HEAD)
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_a_household_is_created_with_its_head_and_an_encrypted_id(village_a, clerk_a):
    number = next_id_number()
    household = household_create(
        actor=clerk_a,
        area=village_a,
        household_number="2112821042010001",
        head=HEAD,
        id_number=number,
        household_type=HouseholdType.EXITED,
    )
    head = household.members.get()
    assert (head.relation, head.name, household.head_name) == (Relation.HEAD, "张三", "张三")
    assert head.id_cipher != number and pii.decrypt(head.id_cipher) == number
    assert head.id_masked == number[:6] + "********" + number[-4:]
    assert head.sex == Sex.MALE and head.birth_date == parse_id_number(number).birth_date
    assert AuditEvent.objects.filter(action="create", object_id=str(household.pk)).exists()


def test_a_bad_id_number_refuses_the_household_and_writes_nothing(village_a, clerk_a):
    with pytest.raises(RulesBroken) as error:
        household_create(
            actor=clerk_a,
            area=village_a,
            household_number="1",
            head=HEAD,
            id_number="110105194912310021",
            household_type=HouseholdType.EXITED,
        )
    assert "校验码错误" in str(error.value)
    assert error.value.code == "mon_dq_1"
    assert not Household.objects.exists() and not Member.objects.exists()


def test_a_member_is_added_with_a_typed_change(village_a, clerk_a):
    household = make_household(village_a)
    member = member_create(
        household=household,
        actor=clerk_a,
        id_number=next_id_number(sex=Sex.FEMALE),
        data=_person(name="李梅", relation=Relation.SPOUSE),
        kind="member_married_in",
        happened_on=DAY,
        reason="与户主结婚",
    )
    household.refresh_from_db()
    assert household.household_size == 2
    change = HouseholdChange.objects.get(household=household)
    assert (change.kind, change.member, change.reason) == (
        "member_married_in",
        member,
        "与户主结婚",
    )


def test_adding_needs_a_date_and_reason(village_a, clerk_a):
    household = make_household(village_a)
    with pytest.raises(MonitoringError, match="变更日期和原因"):
        member_create(
            household=household,
            actor=clerk_a,
            id_number=next_id_number(),
            data=_person(relation=Relation.SON),
            kind="member_born",
            happened_on=DAY,
            reason="",
        )


def test_the_same_person_cannot_be_a_member_twice_in_the_county(
    village_a, village_b, clerk_a, bureau
):
    number = next_id_number()
    first = make_household(village_a)
    make_member(first, id_number=number)
    other = make_household(village_b)
    with pytest.raises(RulesBroken) as error:
        member_create(
            household=other,
            actor=bureau,
            id_number=number,
            data=_person(relation=Relation.SON),
            kind="member_moved_in",
            happened_on=DAY,
            reason="迁入",
        )
    assert error.value.violations[0].rule == "MON-DQ-2"
    assert first.household_number in str(error.value)


def test_a_second_head_or_same_sex_spouse_is_refused(village_a, clerk_a):
    household = make_household(village_a, head_sex=Sex.MALE)
    with pytest.raises(RulesBroken) as error:
        member_create(
            household=household,
            actor=clerk_a,
            id_number=next_id_number(),
            data=_person(relation=Relation.HEAD),
            kind="member_born",
            happened_on=DAY,
            reason="x",
        )
    assert error.value.violations[0].rule == "MON-DQ-3"
    with pytest.raises(RulesBroken) as error:
        member_create(
            household=household,
            actor=clerk_a,
            id_number=next_id_number(sex=Sex.MALE),
            data=_person(relation=Relation.SPOUSE),
            kind="member_married_in",
            happened_on=DAY,
            reason="x",
        )
    assert error.value.violations[0].rule == "MON-DQ-9"


def test_members_are_removed_with_date_and_reason_never_deleted(village_a, clerk_a):
    household = make_household(village_a)
    son = make_member(household)
    household.household_size = 2
    household.save()
    member_remove(member=son, actor=clerk_a, kind="member_died", happened_on=DAY, reason="病故")
    son.refresh_from_db()
    assert (son.status, son.removed_on, son.removal_reason) == ("removed", DAY, "病故")
    household.refresh_from_db()
    assert household.household_size == 1
    event = AuditEvent.objects.get(action="remove")
    assert (event.from_state, event.to_state) == ("active", "removed")


def test_the_head_cannot_leave_before_a_new_head_is_named(village_a, clerk_a):
    household = make_household(village_a)
    with pytest.raises(MonitoringError, match="请先变更户主"):
        member_remove(
            member=household.members.get(),
            actor=clerk_a,
            kind="member_died",
            happened_on=DAY,
            reason="病故",
        )


def test_the_head_changes_and_the_old_head_takes_a_relation(village_a, clerk_a):
    household = make_household(village_a, head_name="王父")
    son = make_member(household, name="王子", relation=Relation.SON)
    household = household_change_head(
        household=household,
        new_head=son,
        actor=clerk_a,
        happened_on=DAY,
        reason="父亲年迈",
        old_head_relation=Relation.FATHER,
    )
    assert household.head_name == "王子"
    relations = dict(household.members.values_list("name", "relation"))
    assert relations == {"王父": Relation.FATHER, "王子": Relation.HEAD}


def test_a_household_splits_and_both_keep_one_head(village_a, clerk_a):
    household = make_household(village_a)
    son = make_member(household, name="王大", relation=Relation.SON)
    with pytest.raises(RulesBroken):  # the son is not yet recorded as head of the new household
        household_split(
            household=household,
            actor=clerk_a,
            members=[son],
            new_household_number="X1",
            happened_on=DAY,
            reason="分家",
        )
    Member.objects.filter(pk=son.pk).update(relation=Relation.HEAD)
    with pytest.raises(RulesBroken):  # now the old household would keep two heads before moving
        member_update(
            member=son, actor=clerk_a, expected_version=son.version, changes={"name": "王大"}
        )
    new = household_split(
        household=household,
        actor=clerk_a,
        members=[son],
        new_household_number="X1",
        happened_on=DAY,
        reason="分家",
    )
    assert new.head_name == "王大" and list(new.members.all()) == [son]
    assert household.members.count() == 1
    assert HouseholdChange.objects.filter(kind="split").count() == 2


def test_a_household_merges_into_another(village_a, clerk_a):
    source = make_household(village_a, head_name="老李", head_sex=Sex.FEMALE)
    target = make_household(village_a, head_name="小李")
    head = source.members.get()
    target = household_merge(
        household=source,
        into=target,
        actor=clerk_a,
        happened_on=DAY,
        reason="投靠子女",
        relations={head.pk: Relation.MOTHER},
    )
    source.refresh_from_db()
    assert source.merged_into == target
    assert target.household_size == 2
    assert dict(target.members.values_list("name", "relation")) == {"老李": "之母", "小李": "户主"}


def test_two_clerks_editing_the_same_household_the_second_gets_a_conflict(village_a, clerk_a):
    household = make_household(village_a)
    opened = household.version
    household_update(
        household=household,
        actor=clerk_a,
        expected_version=opened,
        changes={"phone": "13900000001"},
    )
    with pytest.raises(HouseholdChanged, match="其他人已保存"):
        household_update(
            household=household,
            actor=clerk_a,
            expected_version=opened,
            changes={"address": "烟厂村3组"},
        )
    household.refresh_from_db()
    assert (household.phone, household.address) == ("13900000001", "")


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_from_two_connections_lose_nothing(reference_data, village_a, clerk_a):
    household = make_household(village_a)
    opened = household.version
    results = []

    def save(phone):
        try:
            household_update(
                household=household,
                actor=clerk_a,
                expected_version=opened,
                changes={"phone": phone},
            )
            results.append(("saved", phone))
        except HouseholdChanged:
            results.append(("conflict", phone))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(p,)) for p in ("13900000001", "13900000002")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(kind for kind, _ in results) == ["conflict", "saved"]
    household.refresh_from_db()
    assert household.phone == next(p for kind, p in results if kind == "saved")
    assert household.version == opened + 1


def test_category_must_fit_the_household_type(village_a, clerk_a):
    ordinary = make_household(village_a, household_type=HouseholdType.ORDINARY)
    Household.objects.filter(pk=ordinary.pk).update(monitoring_category="脱贫不稳定户")
    with pytest.raises(RulesBroken, match="只有脱贫户"):
        household_update(
            household=ordinary,
            actor=clerk_a,
            expected_version=ordinary.version,
            changes={"phone": "13900000000"},
        )


def test_out_of_area_and_read_only_users_are_refused(village_a, clerk_b, leader):
    household = make_household(village_a)
    with pytest.raises(DomainError, match="不在您的管辖区域"):
        household_update(
            household=household, actor=clerk_b, expected_version=1, changes={"phone": "1"}
        )
    with pytest.raises(DomainError, match="只能查看"):
        household_update(
            household=household, actor=leader, expected_version=1, changes={"phone": "1"}
        )


def test_revealing_an_id_is_audited_and_refused_to_grid_workers(village_a, clerk_a, grid_worker_a):
    number = next_id_number()
    household = make_household(village_a)
    member = make_member(household, id_number=number)
    assert member_reveal_id(member=member, actor=clerk_a) == number
    event = AuditEvent.objects.get(action="reveal_id")
    assert (event.actor, event.object_id, event.area) == (clerk_a, str(member.pk), village_a)
    with pytest.raises(RevealNotAllowed):
        member_reveal_id(member=member, actor=grid_worker_a)
