"""Employment's answers, on real records, keep the schema the API publishes (the contract test's
random ids rarely hit a record, so the details, the steps' answers, the count and the nullable
fields are checked here with ids that exist)."""

from __future__ import annotations

import datetime

import pytest
import schemathesis

from employment.codes import JobType, PostFunding
from employment.services import posts as post_services
from employment.services import trainings as training_services
from kaiyuan.accounts.services import api_token_issue
from monitoring.codes import LabourSkill
from tests.employment.factories import company_uscc, course, record_job, worker, workshop
from tests.kaiyuan.test_api_contract import CHECKS, wsgi_app  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def test_the_answers_on_real_records_keep_the_schema(
    wsgi_app,  # noqa: F811
    county,
    township_a,
    village_a,
    village_b,
    clerk_a,
    clerk_b,
    bureau,
):
    shop = workshop(village_a, clerk_a)
    flagged = record_job(
        worker(village_a, labour_skill=LabourSkill.NONE),
        clerk_a,
        job_type=JobType.WORKSHOP,
        workshop=shop,
    )
    plain = record_job(worker(village_a), clerk_a, employer="", monthly_wage=None)
    holder = worker(village_a)
    welfare_post = post_services.post_create(
        village=village_a,
        details=post_services.PostDetails(
            post_type="保洁员",
            funding=PostFunding.POST_SUBSIDY,
            holder=holder,
            start_date=datetime.date(2026, 1, 1),
            months=12,
            monthly_pay="800.00",
        ),
        actor=clerk_a,
    )
    training = course(county, bureau)
    training_services.trainee_add(training=training, member=holder, actor=bureau)
    theirs = worker(village_b)
    training_services.trainee_add(training=training, member=theirs, actor=bureau)
    headers = {}

    def schema_for(user):
        _token, secret = api_token_issue(user=user)
        headers["Authorization"] = f"Bearer {secret}"
        return schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", wsgi_app, headers=dict(headers)
        )

    def call(schema, method, path, expect, *, body=None, query=None, **path_parameters):
        operation = schema[path][method]
        kwargs = {"path_parameters": path_parameters} if path_parameters else {}
        if body is not None:
            kwargs.update(body=body, media_type="application/json")
        if query is not None:
            kwargs["query"] = query
        case = operation.Case(**kwargs)
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        assert response.status_code == expect, (path, response.text[:500])
        return response.json() if response.content else None

    schema = schema_for(clerk_a)
    listed = call(schema, "GET", "/api/v1/employment-records/", 200)
    assert len(listed["results"]) == 3
    row = call(schema, "GET", "/api/v1/employment-records/{id}/", 200, id=flagged.pk)
    assert row["flags"] and row["workshop_name"] == shop.name and row["reviewed_by"] is None
    row = call(schema, "GET", "/api/v1/employment-records/{id}/", 200, id=plain.pk)
    assert row["monthly_wage"] is None and row["workshop"] is None and row["post"] is None
    call(schema, "GET", "/api/v1/welfare-posts/", 200)
    detail = call(schema, "GET", "/api/v1/welfare-posts/{id}/", 200, id=welfare_post.pk)
    assert detail["funding_asset"] is None and detail["funding_asset_name"] is None
    listed = call(schema, "GET", "/api/v1/workshops/", 200, query={"year": 2026})
    assert listed["results"][0]["exited_workers"] == 1 and listed["results"][0]["flags"]
    call(schema, "GET", "/api/v1/workshops/{id}/", 200, id=shop.pk)
    call(schema, "GET", "/api/v1/trainings/", 200)
    call(schema, "GET", "/api/v1/trainings/{id}/", 200, id=training.pk)
    trainees = call(schema, "GET", "/api/v1/trainings/{id}/trainees/", 200, id=training.pk)
    assert [t["member"] for t in trainees["results"]] == [holder.pk]
    count = call(schema, "GET", "/api/v1/employment-count/", 200)
    assert count["total"] == 3 and count["target"] is None and count["monthly"][0]["met"] is None

    body = {
        "member": worker(village_a).pk,
        "start_date": "2026-06-01",
        "months_worked": 6,
        "job_type": JobType.WAGE,
        "batch": "招聘活动推送一批",
        "source": "本人申报",
    }
    refused = call(schema, "POST", "/api/v1/employment-records/", 400, body=body)
    assert refused["code"] == "emp_5" and refused["violations"]
    place = {"place_category": "县内务工", "place": "开原市"}
    made = call(schema, "POST", "/api/v1/employment-records/", 201, body={**body, **place})
    assert made["employer_uscc"] == "" and made["end_date"] is None
    url = "/api/v1/employment-records/{id}/"
    stale = call(schema, "PATCH", url, 409, body={"version": 9, "note": "更正"}, id=made["id"])
    assert stale["code"] == "concurrent_update"
    changed = call(
        schema, "PATCH", url, 200, body={"version": 1, "channel": "亲友介绍"}, id=made["id"]
    )
    assert changed["version"] == 2
    del body["member"]
    call(schema, "PUT", url, 200, body={**body, **place, "version": 2}, id=made["id"])
    end = {"version": 3, "end_date": "2026-11-30", "months_worked": 6}
    call(schema, "POST", "/api/v1/employment-records/{id}/end/", 200, body=end, id=made["id"])
    call(schema, "POST", "/api/v1/employment-records/{id}/confirm/", 200, body={}, id=plain.pk)
    review = {"version": 1, "note": "入户核实，本人在车间务工"}
    reviewed = call(
        schema, "POST", "/api/v1/employment-records/{id}/review/", 200, body=review, id=flagged.pk
    )
    assert reviewed["flags"] == [] and reviewed["reviewed_by"]
    call(schema, "DELETE", url, 204, query={"reason": "录入错误"}, id=made["id"])

    pay = {"month": "2026-11-01", "amount": "800.00", "paid_on": "2026-11-30"}
    pay_url = "/api/v1/welfare-posts/{id}/pay/"
    paid = call(schema, "POST", pay_url, 201, body=pay, id=welfare_post.pk)
    assert paid["paid"] == "800.00" and len(paid["payments"]) == 1
    again = call(schema, "POST", pay_url, 400, body=pay, id=welfare_post.pk)
    assert again["code"] == "emp_post_pay"
    post_body = {
        "village": village_a.pk,
        "holder": worker(village_a).pk,
        "post_type": "护路员",
        "funding": PostFunding.OTHER,
        "funding_note": "村集体收益",
        "start_date": "2026-04-01",
        "months": 9,
        "monthly_pay": "600.00",
    }
    made = call(schema, "POST", "/api/v1/welfare-posts/", 201, body=post_body)
    assert made["record"] and made["payments"] == []
    call(
        schema,
        "PATCH",
        "/api/v1/welfare-posts/{id}/",
        200,
        body={"version": 1, "duties": "村道养护"},
        id=made["id"],
    )

    shop_body = {
        "village": village_a.pk,
        "name": "烟厂村编织帮扶车间",
        "workshop_type": "居家式",
        "operator": "开原市某编织专业合作社",
        "operator_uscc": company_uscc(),
        "opened_on": "2025-03-01",
    }
    made = call(schema, "POST", "/api/v1/workshops/", 201, body=shop_body)
    assert made["closed_on"] is None and made["flags"]
    call(
        schema,
        "PATCH",
        "/api/v1/workshops/{id}/",
        409,
        body={"version": 2, "phone": "024-12345678"},
        id=made["id"],
    )
    course_body = {
        "area": township_a.pk,
        "course": "家政服务员培训",
        "course_type": "职业技能培训",
        "organiser": "中固镇人民政府",
        "start_date": "2026-09-01",
        "end_date": "2026-09-10",
    }
    made = call(schema, "POST", "/api/v1/trainings/", 201, body=course_body)
    assert made["hours"] is None
    trainee = call(
        schema,
        "POST",
        "/api/v1/trainings/{id}/trainees/",
        201,
        body={"member": holder.pk},
        id=made["id"],
    )
    assert trainee["certificate"] == ""

    schema = schema_for(clerk_b)
    call(schema, "GET", "/api/v1/employment-records/{id}/", 404, id=plain.pk)
    seen = call(schema, "GET", "/api/v1/trainings/{id}/trainees/", 200, id=training.pk)
    assert [t["member"] for t in seen["results"]] == [theirs.pk]

    schema = schema_for(bureau)
    count = call(
        schema,
        "GET",
        "/api/v1/employment-count/",
        200,
        query={"year": 2026, "month": 11, "without_job_type": ["灵活就业"]},
    )
    assert count["target"] == 2500 and count["met"] is False and count["by_township"]
