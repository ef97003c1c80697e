"""Employment's API: people's jobs, public-welfare posts, workshops, skills courses and the count
against the target. Each endpoint's three access answers (the officer of the area, the read-only
roles refused on writes, another township's clerk answered as if the record did not exist), the
rules' refusals as 400 with the rule's id, stale versions as 409, ID numbers only masked, and
lists at a constant query count."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from employment.codes import Batch, JobType, PlaceCategory, PostFunding
from employment.models import EmploymentRecord, PostPayment, Trainee, WelfarePost, Workshop
from employment.rules import posts as post_rules
from employment.rules import records as record_rules
from employment.rules import trainings as training_rules
from employment.rules import workshops as workshop_rules
from employment.rules.counts import EMP_1
from employment.services import posts as post_services
from employment.services import trainings as training_services
from kaiyuan.common import pii
from kaiyuan.common.uscc import ID_USCC_1
from kaiyuan.policy.models import PolicySettings
from monitoring.codes import LabourSkill
from tests.employment.factories import (
    company_uscc,
    course,
    make_household,
    make_member,
    record_job,
    worker,
    workshop,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/"


def send(client, user, method, url, data=None):
    client.force_login(user)
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


def post(client, user, url, data=None):
    return send(client, user, "post", url, data)


def patch(client, user, url, data=None):
    return send(client, user, "patch", url, data)


def put(client, user, url, data=None):
    return send(client, user, "put", url, data)


def get(client, user, url, params=None):
    client.force_login(user)
    return client.get(url, params or {})


def delete(client, user, url, params=None):
    client.force_login(user)
    query = "&".join(f"{k}={v}" for k, v in (params or {}).items())
    return client.delete(f"{url}?{query}" if query else url)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def rules_of(response) -> set[str]:
    return {v["rule"] for v in response.json().get("violations", [])}


def policy(year=2026, **fields):
    settings, _ = PolicySettings.objects.update_or_create(year=year, defaults=fields)
    return settings


# =============================================================================================
# Employment records
# =============================================================================================

RECORDS = f"{API}employment-records/"


def job_body(member, **overrides) -> dict:
    body = {
        "member": member.pk,
        "start_date": "2026-03-01",
        "months_worked": 9,
        "job_type": JobType.WAGE,
        "batch": Batch.INDUSTRY,
        "source": "走访核实",
        "place_category": PlaceCategory.OUT_OF_PROVINCE,
        "place": "江苏省苏州市",
        "employer": "苏州某电子有限公司",
        "employer_uscc": company_uscc(),
        "monthly_wage": "4200.00",
        "channel": "劳务协作",
    }
    body.update(overrides)
    return body


def test_a_clerk_records_a_job_and_the_list_shows_it_with_the_id_number_masked(
    client, clerk_a, village_a
):
    person = worker(village_a, name="李春燕")
    made = post(client, clerk_a, RECORDS, job_body(person, transport_subsidy="300.00"))
    assert made.status_code == 201, made.json()
    row = made.json()
    assert row["member"] == person.pk and row["member_name"] == "李春燕"
    assert row["id_number_masked"] == person.id_masked and "*" in row["id_number_masked"]
    assert row["household"] == person.household_id and row["village_name"] == village_a.name
    assert row["township_name"] == village_a.parent.name and row["year"] == 2026
    assert row["monthly_wage"] == "4200.00" and row["transport_subsidy"] == "300.00"
    assert row["verified_by"] == str(clerk_a) and row["verified_on"] == "2026-12-02"
    assert row["flags"] == [] and row["version"] == 1
    full_number = pii.decrypt(person.id_cipher)
    listed = get(client, clerk_a, RECORDS, {"year": 2026})
    assert ids(listed) == [row["id"]]
    assert full_number not in listed.content.decode()
    assert full_number not in get(client, clerk_a, f"{RECORDS}{row['id']}/").content.decode()


def test_a_job_that_breaks_a_rule_is_refused_with_the_rules_id(client, clerk_a, village_a):
    person = worker(village_a)
    no_place = post(client, clerk_a, RECORDS, job_body(person, place_category="", place=""))
    assert no_place.status_code == 400
    assert no_place.json()["code"] == "emp_5" and rules_of(no_place) == {record_rules.EMP_5.id}
    in_county = job_body(person, place_category=PlaceCategory.IN_COUNTY, transport_subsidy="300")
    refused = post(client, clerk_a, RECORDS, in_county)
    assert rules_of(refused) == {record_rules.EMP_TRANSPORT.id}
    ordinary = make_member(make_household(village_a, household_type="一般农户"))
    outside = post(client, clerk_a, RECORDS, job_body(ordinary))
    assert outside.status_code == 400 and rules_of(outside) == {EMP_1.id}
    assert not EmploymentRecord.objects.exists()


def test_a_person_without_labour_recorded_as_working_is_flagged_until_reviewed(
    client, clerk_a, village_a
):
    person = worker(village_a, labour_skill=LabourSkill.LOST)
    made = post(client, clerk_a, RECORDS, job_body(person))
    assert made.status_code == 201
    record = made.json()
    assert [flag["rule"] for flag in record["flags"]] == [record_rules.EMP_4.id]
    assert ids(get(client, clerk_a, RECORDS, {"flagged": "true"})) == [record["id"]]
    url = f"{RECORDS}{record['id']}/review/"
    assert post(client, clerk_a, url, {"version": 1, "note": " "}).status_code == 400
    reviewed = post(client, clerk_a, url, {"version": 1, "note": "入户核实，本人在厂务工"})
    assert reviewed.status_code == 200, reviewed.json()
    assert reviewed.json()["flags"] == [] and reviewed.json()["version"] == 2
    assert reviewed.json()["reviewed_by"] == str(clerk_a)
    assert ids(get(client, clerk_a, RECORDS, {"flagged": "true"})) == []
    stale = post(client, clerk_a, url, {"version": 1, "note": "再次核实"})
    assert stale.status_code == 409


def test_a_job_is_corrected_with_the_version_loaded(client, clerk_a, village_a):
    record = record_job(worker(village_a), clerk_a)
    url = f"{RECORDS}{record.pk}/"
    changed = patch(client, clerk_a, url, {"version": 1, "employer": "开原市某粮食加工厂"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["employer"] == "开原市某粮食加工厂"
    assert changed.json()["place"] == "开原市经济开发区" and changed.json()["version"] == 2
    stale = patch(client, clerk_a, url, {"version": 1, "employer": "另一家"})
    assert stale.status_code == 409 and stale.json()["code"] == "concurrent_update"
    too_many = patch(client, clerk_a, url, {"version": 2, "months_worked": 11})
    assert too_many.status_code == 400
    assert rules_of(too_many) == {record_rules.EMP_PERIOD.id}
    assert patch(client, clerk_a, url, {"employer": "没有版本"}).status_code == 400
    # PUT replaces the details: what is not sent is cleared.
    body = job_body(record.member, version=2, employer="", employer_uscc="", monthly_wage=None)
    del body["member"]
    replaced = put(client, clerk_a, url, body)
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["employer"] == "" and replaced.json()["monthly_wage"] is None
    assert replaced.json()["place"] == "江苏省苏州市" and replaced.json()["version"] == 3
    another_year = put(client, clerk_a, url, {**body, "version": 3, "start_date": "2025-03-01"})
    assert another_year.status_code == 400 and another_year.json()["field"] == "start_date"


def test_a_job_is_ended_confirmed_and_a_mistake_deleted(client, clerk_a, village_a):
    record = record_job(worker(village_a), clerk_a, months_worked=6)
    url = f"{RECORDS}{record.pk}/"
    future = post(client, clerk_a, f"{url}confirm/", {"on": "2026-12-03"})
    assert future.status_code == 400 and future.json()["field"] == "on"
    confirmed = post(client, clerk_a, f"{url}confirm/", {})
    assert confirmed.status_code == 200, confirmed.json()
    assert (
        confirmed.json()["months_worked"] == 10 and confirmed.json()["verified_on"] == "2026-12-02"
    )
    end = {"version": 2, "end_date": "2026-11-30", "months_worked": 9}
    ended = post(client, clerk_a, f"{url}end/", end)
    assert ended.status_code == 200, ended.json()
    assert ended.json()["end_date"] == "2026-11-30" and ended.json()["version"] == 3
    again = post(client, clerk_a, f"{url}end/", {**end, "version": 3})
    assert again.status_code == 400
    assert delete(client, clerk_a, url).status_code == 400
    assert delete(client, clerk_a, url, {"reason": "录入错误", "version": 1}).status_code == 409
    assert delete(client, clerk_a, url, {"reason": "录入错误", "version": 3}).status_code == 204
    assert not EmploymentRecord.objects.exists()


def test_records_the_three_access_answers(
    client, clerk_a, clerk_b, leader, auditor, grid_worker_a, village_a, village_b
):
    mine = record_job(worker(village_a), clerk_a)
    theirs = record_job(worker(village_b), clerk_b)
    url = f"{RECORDS}{mine.pk}/"
    assert ids(get(client, clerk_a, RECORDS)) == [mine.pk]
    assert ids(get(client, grid_worker_a, RECORDS)) == [mine.pk]
    assert ids(get(client, clerk_b, RECORDS)) == [theirs.pk]
    hidden = get(client, clerk_b, url)
    missing = get(client, clerk_b, f"{RECORDS}999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert patch(client, clerk_b, url, {"version": 1, "note": "x"}).status_code == 404
    assert post(client, clerk_b, f"{url}confirm/").status_code == 404
    assert delete(client, clerk_b, url, {"reason": "x"}).status_code == 404
    # Another township's person is answered like a missing one.
    person = worker(village_a)
    hidden = post(client, clerk_b, RECORDS, job_body(person))
    missing = post(client, clerk_b, RECORDS, {**job_body(person), "member": 999999})
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json() and list(hidden.json()) == ["member"]
    for read_only in (leader, auditor):
        assert set(ids(get(client, read_only, RECORDS))) == {mine.pk, theirs.pk}
        assert get(client, read_only, url).status_code == 200
        assert post(client, read_only, RECORDS, job_body(person)).status_code == 403
        assert patch(client, read_only, url, {"version": 1, "note": "x"}).status_code == 403
        assert put(client, read_only, url, {"version": 1}).status_code == 403
        assert post(client, read_only, f"{url}confirm/").status_code == 403
        assert (
            post(client, read_only, f"{url}review/", {"version": 1, "note": "x"}).status_code == 403
        )
        assert delete(client, read_only, url, {"reason": "x"}).status_code == 403
    # A grid worker records jobs but does not review flags.
    review = {"version": 1, "note": "核实"}
    assert post(client, grid_worker_a, f"{url}review/", review).status_code == 403
    client.logout()
    assert client.get(RECORDS).status_code in (401, 403)
    mine.refresh_from_db()
    assert mine.version == 1 and EmploymentRecord.objects.count() == 2


# =============================================================================================
# Public-welfare posts
# =============================================================================================

POSTS = f"{API}welfare-posts/"


def post_body(village, holder, **overrides) -> dict:
    body = {
        "village": village.pk,
        "holder": holder.pk,
        "post_type": "保洁员",
        "duties": "村内道路保洁",
        "funding": PostFunding.POST_SUBSIDY,
        "start_date": "2026-01-01",
        "months": 12,
        "monthly_pay": "800.00",
    }
    body.update(overrides)
    return body


def a_post(village, actor, holder=None) -> WelfarePost:
    holder = holder or worker(village)
    details = post_services.PostDetails(
        post_type="护林员",
        funding=PostFunding.POST_SUBSIDY,
        holder=holder,
        start_date=datetime.date(2026, 1, 1),
        months=12,
        monthly_pay="800.00",
    )
    return post_services.post_create(village=village, details=details, actor=actor)


def test_a_post_is_created_with_its_holders_job_and_paid_month_by_month(client, clerk_a, village_a):
    holder = worker(village_a, name="张桂芝")
    made = post(client, clerk_a, POSTS, post_body(village_a, holder))
    assert made.status_code == 201, made.json()
    row = made.json()
    assert row["holder_name"] == "张桂芝" and row["holder_id_number_masked"] == holder.id_masked
    assert row["monthly_pay"] == "800.00" and row["paid"] == "0.00" and row["payments"] == []
    job = EmploymentRecord.objects.get(pk=row["record"])
    assert job.member == holder and job.job_type == JobType.WELFARE_POST
    assert ids(get(client, clerk_a, POSTS)) == [row["id"]]
    url = f"{POSTS}{row['id']}/"
    pay = {"month": "2026-11-01", "amount": "800.00", "paid_on": "2026-11-30"}
    paid = post(client, clerk_a, f"{url}pay/", pay)
    assert paid.status_code == 201, paid.json()
    assert paid.json()["paid"] == "800.00"
    assert [(p["month"], p["amount"]) for p in paid.json()["payments"]] == [
        ("2026-11-01", "800.00")
    ]
    twice = post(client, clerk_a, f"{url}pay/", pay)
    assert twice.status_code == 400 and rules_of(twice) == {post_rules.EMP_POST_PAY.id}
    too_much = post(client, clerk_a, f"{url}pay/", {**pay, "month": "2026-10-01", "amount": "900"})
    assert rules_of(too_much) == {post_rules.EMP_POST_PAY.id}
    assert PostPayment.objects.count() == 1


def test_a_post_that_breaks_a_rule_is_refused_with_the_rules_id(
    client, clerk_a, village_a, village_a2
):
    late = post(
        client, clerk_a, POSTS, post_body(village_a, worker(village_a), start_date="2026-11-01")
    )
    assert late.status_code == 400 and post_rules.EMP_POST.id in rules_of(late)
    elsewhere = post(client, clerk_a, POSTS, post_body(village_a, worker(village_a2)))
    assert elsewhere.status_code == 400 and rules_of(elsewhere) == {post_rules.EMP_POST.id}
    pv = post(client, clerk_a, POSTS, post_body(village_a, worker(village_a), funding="光伏收益"))
    assert pv.status_code == 400 and pv.json()["violations"][0]["field"] == "funding_asset"
    assert not WelfarePost.objects.exists() and not EmploymentRecord.objects.exists()


def test_a_post_is_changed_with_the_version_loaded_and_its_job_follows(client, clerk_a, village_a):
    the_post = a_post(village_a, clerk_a)
    url = f"{POSTS}{the_post.pk}/"
    changed = patch(client, clerk_a, url, {"version": 1, "monthly_pay": "900.00"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["monthly_pay"] == "900.00" and changed.json()["version"] == 2
    assert EmploymentRecord.objects.get(post=the_post).monthly_wage == 900
    stale = patch(client, clerk_a, url, {"version": 1, "monthly_pay": "1000.00"})
    assert stale.status_code == 409
    short = patch(client, clerk_a, url, {"version": 2, "end_date": "2026-03-31"})
    assert short.status_code == 400 and rules_of(short) == {post_rules.EMP_POST.id}
    body = post_body(village_a, the_post.holder, version=2, duties="")
    del body["village"], body["holder"]
    replaced = put(client, clerk_a, url, body)
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["duties"] == "" and replaced.json()["post_type"] == "保洁员"


def test_posts_the_three_access_answers(client, clerk_a, clerk_b, leader, village_a, village_b):
    mine, theirs = a_post(village_a, clerk_a), a_post(village_b, clerk_b)
    url = f"{POSTS}{mine.pk}/"
    assert ids(get(client, clerk_a, POSTS)) == [mine.pk]
    assert ids(get(client, clerk_b, POSTS)) == [theirs.pk]
    hidden, missing = get(client, clerk_b, url), get(client, clerk_b, f"{POSTS}999999/")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    pay = {"month": "2026-11-01", "amount": "800.00", "paid_on": "2026-11-30"}
    assert post(client, clerk_b, f"{url}pay/", pay).status_code == 404
    assert patch(client, clerk_b, url, {"version": 1, "duties": "x"}).status_code == 404
    refused = post(client, clerk_b, POSTS, post_body(village_a, worker(village_a)))
    assert refused.status_code == 400 and set(refused.json()) == {"village", "holder"}
    assert set(ids(get(client, leader, POSTS))) == {mine.pk, theirs.pk}
    assert get(client, leader, url).status_code == 200
    assert post(client, leader, POSTS, post_body(village_a, worker(village_a))).status_code == 403
    assert patch(client, leader, url, {"version": 1, "duties": "x"}).status_code == 403
    assert post(client, leader, f"{url}pay/", pay).status_code == 403
    assert not PostPayment.objects.exists() and WelfarePost.objects.count() == 2


# =============================================================================================
# Workshops
# =============================================================================================

WORKSHOPS = f"{API}workshops/"


def workshop_body(village, **overrides) -> dict:
    body = {
        "village": village.pk,
        "name": "烟厂村服装加工帮扶车间",
        "workshop_type": "厂房式",
        "operator": "开原市某服装有限公司",
        "operator_uscc": company_uscc(),
        "opened_on": "2024-05-01",
        "total_workers": 12,
        "contact": "刘经理",
    }
    body.update(overrides)
    return body


def test_a_workshop_is_flagged_until_five_poverty_exited_people_work_there(
    client, clerk_a, village_a
):
    made = post(client, clerk_a, WORKSHOPS, workshop_body(village_a))
    assert made.status_code == 201, made.json()
    row = made.json()
    assert row["year"] == 2026 and row["exited_workers"] == 0 and row["total_workers"] == 12
    assert [flag["rule"] for flag in row["flags"]] == [workshop_rules.EMP_WORKSHOP.id]
    shop = Workshop.objects.get(pk=row["id"])
    for _i in range(4):
        record_job(worker(village_a), clerk_a, job_type=JobType.WORKSHOP, workshop=shop)
    (listed,) = get(client, clerk_a, WORKSHOPS).json()["results"]
    assert listed["exited_workers"] == 4 and listed["flags"]
    record_job(worker(village_a), clerk_a, job_type=JobType.WORKSHOP, workshop=shop)
    (listed,) = get(client, clerk_a, WORKSHOPS).json()["results"]
    assert listed["exited_workers"] == 5 and listed["flags"] == []
    # Last year nobody worked there; before it opened, it is neither listed nor flagged.
    (last_year,) = get(client, clerk_a, WORKSHOPS, {"year": 2025}).json()["results"]
    assert last_year["year"] == 2025 and last_year["exited_workers"] == 0 and last_year["flags"]
    assert ids(get(client, clerk_a, WORKSHOPS, {"year": 2023})) == []
    detail = get(client, clerk_a, f"{WORKSHOPS}{shop.pk}/", {"year": 2025}).json()
    assert detail["year"] == 2025 and detail["exited_workers"] == 0 and detail["flags"]
    assert get(client, clerk_a, WORKSHOPS, {"year": "去年"}).json()["field"] == "year"
    policy(workshop_min_workers=6)
    (listed,) = get(client, clerk_a, WORKSHOPS).json()["results"]
    assert listed["flags"]


def test_a_workshop_that_breaks_a_rule_is_refused_and_changed_with_its_version(
    client, clerk_a, village_a
):
    bad = post(
        client, clerk_a, WORKSHOPS, workshop_body(village_a, operator_uscc="91211282MA0000000X")
    )
    assert bad.status_code == 400 and rules_of(bad) == {ID_USCC_1.id}
    shop = workshop(village_a, clerk_a)
    url = f"{WORKSHOPS}{shop.pk}/"
    changed = patch(client, clerk_a, url, {"version": 1, "products": "服装加工"})
    assert changed.status_code == 200 and changed.json()["products"] == "服装加工"
    assert patch(client, clerk_a, url, {"version": 1, "products": "x"}).status_code == 409
    wrong = patch(client, clerk_a, url, {"version": 2, "operator_uscc": "123"})
    assert wrong.status_code == 400 and rules_of(wrong) == {ID_USCC_1.id}
    body = workshop_body(village_a, version=2, name="新名称", contact="")
    del body["village"]
    replaced = put(client, clerk_a, url, body)
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["name"] == "新名称" and replaced.json()["products"] == ""


def test_workshops_the_three_access_answers(client, clerk_a, clerk_b, leader, village_a, village_b):
    mine, theirs = workshop(village_a, clerk_a), workshop(village_b, clerk_b)
    url = f"{WORKSHOPS}{mine.pk}/"
    assert ids(get(client, clerk_a, WORKSHOPS)) == [mine.pk]
    assert ids(get(client, clerk_b, WORKSHOPS)) == [theirs.pk]
    hidden, missing = get(client, clerk_b, url), get(client, clerk_b, f"{WORKSHOPS}999999/")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    assert patch(client, clerk_b, url, {"version": 1, "phone": "1"}).status_code == 404
    refused = post(client, clerk_b, WORKSHOPS, workshop_body(village_a))
    assert refused.status_code == 400 and list(refused.json()) == ["village"]
    assert len(ids(get(client, leader, WORKSHOPS))) == 2
    assert post(client, leader, WORKSHOPS, workshop_body(village_a)).status_code == 403
    assert patch(client, leader, url, {"version": 1, "phone": "1"}).status_code == 403
    assert Workshop.objects.count() == 2


# =============================================================================================
# Skills courses
# =============================================================================================

TRAININGS = f"{API}trainings/"


def course_body(area, **overrides) -> dict:
    body = {
        "area": area.pk,
        "course": "中式面点师培训",
        "course_type": "职业技能培训",
        "organiser": "开原市人社局",
        "place": "中固镇文化站",
        "start_date": "2026-10-10",
        "end_date": "2026-10-20",
        "hours": 80,
    }
    body.update(overrides)
    return body


def test_a_course_is_recorded_and_people_put_on_it(client, clerk_a, township_a, village_a):
    made = post(client, clerk_a, TRAININGS, course_body(township_a))
    assert made.status_code == 201, made.json()
    row = made.json()
    assert row["area"] == township_a.pk and row["area_level"] == "township"
    url = f"{TRAININGS}{row['id']}/"
    person = worker(village_a, name="王秀云")
    add = {"member": person.pk, "certificate": "培训合格证书", "certificate_number": "KY-2026-118"}
    added = post(client, clerk_a, f"{url}trainees/", add)
    assert added.status_code == 201, added.json()
    assert added.json()["member_name"] == "王秀云"
    assert added.json()["id_number_masked"] == person.id_masked
    listed = get(client, clerk_a, f"{url}trainees/").json()["results"]
    assert [t["member"] for t in listed] == [person.pk]
    twice = post(client, clerk_a, f"{url}trainees/", add)
    assert twice.status_code == 400 and rules_of(twice) == {training_rules.EMP_TRAINEE.id}
    unfinished = {"member": worker(village_a).pk, "completed": False, "certificate": "培训合格证书"}
    refused = post(client, clerk_a, f"{url}trainees/", unfinished)
    assert rules_of(refused) == {training_rules.EMP_TRAINEE.id}
    ordinary = make_member(make_household(village_a, household_type="一般农户"))
    outside = post(client, clerk_a, f"{url}trainees/", {"member": ordinary.pk})
    assert rules_of(outside) == {EMP_1.id}
    assert Trainee.objects.count() == 1


def test_a_course_is_changed_with_the_version_loaded(client, clerk_a, township_a):
    training = course(township_a, clerk_a)
    url = f"{TRAININGS}{training.pk}/"
    changed = patch(client, clerk_a, url, {"version": 1, "hours": 60})
    assert changed.status_code == 200 and changed.json()["hours"] == 60
    assert patch(client, clerk_a, url, {"version": 1, "hours": 40}).status_code == 409
    backwards = patch(client, clerk_a, url, {"version": 2, "end_date": "2025-12-31"})
    assert backwards.status_code == 400 and backwards.json()["field"] == "end_date"
    body = course_body(township_a, version=2, place="", hours=None)
    del body["area"]
    replaced = put(client, clerk_a, url, body)
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["hours"] is None and replaced.json()["course"] == "中式面点师培训"


def test_trainings_the_three_access_answers(
    client, clerk_a, clerk_b, leader, bureau, county, township_a, township_b, village_a, village_b
):
    mine, theirs = course(township_a, clerk_a), course(township_b, clerk_b)
    # The county's course is seen from each township whose people it trained, each seeing its own.
    county_course = course(county, bureau)
    here, there = worker(village_a), worker(village_b)
    for person in (here, there):
        training_services.trainee_add(training=county_course, member=person, actor=bureau)
    assert ids(get(client, clerk_a, TRAININGS)) == [mine.pk, county_course.pk]
    assert ids(get(client, clerk_b, TRAININGS)) == [theirs.pk, county_course.pk]
    seen = get(client, clerk_b, f"{TRAININGS}{county_course.pk}/trainees/").json()["results"]
    assert [t["member"] for t in seen] == [there.pk]
    url = f"{TRAININGS}{mine.pk}/"
    hidden, missing = get(client, clerk_b, url), get(client, clerk_b, f"{TRAININGS}999999/")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    assert get(client, clerk_b, f"{url}trainees/").status_code == 404
    assert post(client, clerk_b, f"{url}trainees/", {"member": there.pk}).status_code == 404
    refused = post(client, clerk_b, f"{TRAININGS}{theirs.pk}/trainees/", {"member": here.pk})
    assert refused.status_code == 400 and list(refused.json()) == ["member"]
    assert len(ids(get(client, leader, TRAININGS))) == 3
    assert get(client, leader, f"{url}trainees/").status_code == 200
    assert post(client, leader, TRAININGS, course_body(township_a)).status_code == 403
    assert patch(client, leader, url, {"version": 1, "hours": 1}).status_code == 403
    assert post(client, leader, f"{url}trainees/", {"member": here.pk}).status_code == 403
    assert Trainee.objects.count() == 2


# =============================================================================================
# The count against the target
# =============================================================================================

COUNT = f"{API}employment-count/"


def test_the_count_of_the_month_with_its_breakdowns_and_the_target_for_the_county(
    client,
    clerk_a,
    clerk_b,
    bureau,
    leader,
    township_a,
    township_b,
    village_a,
    village_a2,
    village_b,
):
    policy(employment_target=3, employment_count_basis="month")
    record_job(worker(village_a), clerk_a)
    record_job(worker(village_a2), clerk_a, job_type=JobType.FLEXIBLE, batch=Batch.FLEXIBLE)
    record_job(worker(village_b), clerk_b, start_date=datetime.date(2026, 10, 1), months_worked=2)
    county = get(client, bureau, COUNT).json()
    assert (county["year"], county["month"], county["total"]) == (2026, 12, 3)
    assert county["target"] == 3 and county["met"] is True and county["short_by"] == 0
    assert county["area"]["level"] == "county"
    by_township = {row["township"]: row["count"] for row in county["by_township"]}
    assert by_township == {township_a.pk: 2, township_b.pk: 1}
    by_job = {row["value"]: row["count"] for row in county["by_job_type"]}
    assert by_job[JobType.WAGE] == 2 and by_job[JobType.FLEXIBLE] == 1
    assert by_job[JobType.WORKSHOP] == 0
    assert [row["total"] for row in county["monthly"]] == [0, 0, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3]
    assert [row["met"] for row in county["monthly"]][8:] == [False, True, True, True]
    assert get(client, leader, COUNT).json()["total"] == 3
    # Leaving flexible employment out of the count.
    without = get(client, bureau, COUNT, {"without_job_type": JobType.FLEXIBLE}).json()
    assert without["total"] == 2 and without["met"] is False and without["short_by"] == 1
    assert without["without"]["job_type"] == [JobType.FLEXIBLE]
    both = get(client, bureau, f"{COUNT}?without_township={township_a.pk}&without_township=1")
    assert both.json()["total"] == 1
    # A township sees its own people, without the county's target.
    mine = get(client, clerk_a, COUNT).json()
    assert mine["total"] == 2 and mine["target"] is None and mine["met"] is None
    assert mine["area"]["id"] == township_a.pk
    assert get(client, clerk_a, COUNT, {"village": village_a2.pk}).json()["total"] == 1
    assert get(client, clerk_b, COUNT).json()["total"] == 1
    # A month asked for; August had no job of township B's yet.
    august = get(client, clerk_b, COUNT, {"year": 2026, "month": 8}).json()
    assert august["total"] == 0 and len(august["monthly"]) == 8
    assert august["first"] == "2026-08-01" and august["last"] == "2026-08-31"


def test_the_count_refuses_an_area_outside_the_users_and_a_month_not_begun(
    client, clerk_a, bureau, township_b, village_b, dept_medical
):
    other = get(client, clerk_a, COUNT, {"township": township_b.pk})
    assert other.status_code == 400 and other.json()["field"] == "township"
    missing = get(client, clerk_a, COUNT, {"township": 999999})
    assert missing.json() == other.json()
    assert get(client, clerk_a, COUNT, {"village": village_b.pk}).status_code == 400
    future = get(client, bureau, COUNT, {"year": 2027, "month": 1})
    assert future.status_code == 400 and future.json()["field"] == "year"
    assert get(client, bureau, COUNT, {"month": 13}).status_code == 400
    assert get(client, bureau, COUNT, {"without_batch": "第八批"}).status_code == 400
    last_year = get(client, bureau, COUNT, {"year": 2025}).json()
    assert last_year["month"] == 12 and len(last_year["monthly"]) == 12
    # Department staff see no employment record, so no count made of them.
    assert get(client, dept_medical, COUNT).status_code == 403
    client.logout()
    assert client.get(COUNT).status_code in (401, 403)


# =============================================================================================
# Lists at a constant query count
# =============================================================================================


def _count(client, user, url) -> int:
    client.force_login(user)
    client.get(url)  # the session and the caches warmed up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_rows(clerk_a, bureau, village_a, training, n: int) -> None:
    for _i in range(n):
        shop = workshop(village_a, clerk_a)
        person = worker(village_a, labour_skill=LabourSkill.LOST)
        record_job(person, clerk_a, job_type=JobType.WORKSHOP, workshop=shop)
        the_post = a_post(village_a, clerk_a)
        post_services.post_pay(
            post=the_post,
            month=datetime.date(2026, 11, 1),
            amount="800.00",
            paid_on=datetime.date(2026, 11, 30),
            actor=clerk_a,
        )
        course(village_a, clerk_a)
        training_services.trainee_add(training=training, member=person, actor=bureau)


@pytest.mark.parametrize(
    "endpoint", ["employment-records", "welfare-posts", "workshops", "trainings", "trainees"]
)
def test_the_lists_run_a_constant_number_of_queries(
    client, clerk_a, bureau, county, village_a, endpoint
):
    training = course(county, bureau)
    url = f"{TRAININGS}{training.pk}/trainees/" if endpoint == "trainees" else f"{API}{endpoint}/"
    _add_rows(clerk_a, bureau, village_a, training, 2)
    few = _count(client, clerk_a, url)
    _add_rows(clerk_a, bureau, village_a, training, 6)
    assert len(get(client, clerk_a, url).json()["results"]) >= 8
    assert _count(client, clerk_a, url) == few
