"""The linkage funds' answers, on real records, keep the schema the API publishes (the contract
test's random ids rarely hit a record, so the details and the steps' answers are checked here
with ids that exist)."""

from __future__ import annotations

import datetime

import pytest
import schemathesis

from funds.models import FundAllocation, ProjectFund
from funds.services import microcredit as loan_services
from funds.services import placements as placement_services
from kaiyuan.accounts.services import api_token_issue
from kaiyuan.common.dates import today
from monitoring.models import Member
from projects.codes import FinanceMode
from tests.funds import factories as f
from tests.kaiyuan.test_api_contract import CHECKS, wsgi_app  # noqa: F401  (a fixture)
from tests.monitoring.factories import make_household
from tests.projects.factories import VALID_USCC

pytestmark = pytest.mark.django_db


def test_the_answers_on_real_records_keep_the_schema(wsgi_app, village_a, clerk_a):  # noqa: F811
    project = f.project(village_a, clerk_a, total="1000000.00")
    f.fund(project, clerk_a)
    payment = f.pay(project, clerk_a, "100000.00")
    debt = f.project(village_a, clerk_a, total="500000.00", mode=FinanceMode.DEBT)
    placement = placement_services.placement_create(
        project=debt,
        counterparty="开原市稻香农民专业合作社",
        counterparty_uscc=VALID_USCC,
        principal="200000",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2026, 6, 30),
        agreed_rate="6",
        collateral="担保",
        risk_measures="季度检查",
        actor=clerk_a,
    )
    household = make_household(village_a)
    loan = loan_services.loan_create(
        household=household,
        borrower=Member.objects.get(household=household),
        bank="开原农商银行",
        contract_number="XD-2024-001",
        amount="30000",
        issued_on=datetime.date(2024, 1, 1),
        term_months=24,
        purpose="种植业",
        annual_rate="3.45",
        actor=clerk_a,
    )
    entry = ProjectFund.objects.get(project=project)
    bureau = f.bureau_user()
    headers = {}

    def schema_for(user):
        _token, secret = api_token_issue(user=user)
        headers["Authorization"] = f"Bearer {secret}"
        return schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", wsgi_app, headers=dict(headers)
        )

    def call(schema, method, path, expect, *, body=None, **path_parameters):
        operation = schema[path][method]
        kwargs = {"path_parameters": path_parameters} if path_parameters else {}
        if body is not None:
            kwargs.update(body=body, media_type="application/json")
        case = operation.Case(**kwargs)
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        assert response.status_code == expect, (path, response.text[:500])
        return response.json() if response.content else None

    schema = schema_for(clerk_a)
    call(schema, "GET", "/api/v1/project-funds/", 200)
    call(schema, "GET", "/api/v1/project-funds/{id}/", 200, id=entry.pk)
    call(schema, "GET", "/api/v1/payments/", 200)
    call(schema, "GET", "/api/v1/payments/{id}/", 200, id=payment.pk)
    call(schema, "GET", "/api/v1/debt-placements/", 200)
    detail = call(schema, "GET", "/api/v1/debt-placements/{id}/", 200, id=placement.pk)
    assert detail["flags"]
    call(schema, "GET", "/api/v1/microcredit-loans/", 200)
    call(schema, "GET", "/api/v1/microcredit-loans/{id}/", 200, id=loan.pk)
    body = {
        "project": project.pk,
        "tranche": "advance",
        "amount": "300000.00",
        "paid_on": today().isoformat(),
        "payee_name": "开原市稻香农民专业合作社",
        "payee_account": "6228480012345678",
        "payee_kind": "entity",
        "payee_uscc": VALID_USCC,
        "basis": "施工合同",
    }
    refused = call(schema, "POST", "/api/v1/payments/", 400, body=body)
    assert refused["code"] == "fnd_1" and refused["violations"]
    made = call(schema, "POST", "/api/v1/payments/", 201, body={**body, "amount": "200000.00"})
    assert made["amount"] == "200000.00"
    stale = call(
        schema,
        "POST",
        "/api/v1/microcredit-loans/{id}/extend/",
        409,
        body={"version": 5, "extended_to": "2027-06-01"},
        id=loan.pk,
    )
    assert stale["code"] == "concurrent_update"
    call(
        schema,
        "POST",
        "/api/v1/microcredit-loans/{id}/extend/",
        200,
        body={"version": 1, "extended_to": "2027-06-01"},
        id=loan.pk,
    )

    schema = schema_for(bureau)
    call(schema, "GET", "/api/v1/allocations/", 200)
    call(schema, "GET", "/api/v1/allocations/{id}/", 200, id=FundAllocation.objects.first().pk)
    call(schema, "GET", "/api/v1/reallocations/", 200)
