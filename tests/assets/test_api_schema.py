"""The asset ledger's answers, on real records, keep the schema the API publishes (the contract
test's random ids rarely hit a record, so the details, the steps' answers and the nullable
fields are checked here with ids that exist)."""

from __future__ import annotations

import datetime

import pytest
import schemathesis

from assets.codes import AssetType, LineUse
from assets.services import distributions as distribution_services
from kaiyuan.accounts.services import api_token_issue
from kaiyuan.common.dates import today
from tests.assets.factories import distribution, exited, legacy_asset, monitored, settled
from tests.kaiyuan.test_api_contract import CHECKS, wsgi_app  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def test_the_answers_on_real_records_keep_the_schema(
    wsgi_app,  # noqa: F811
    village_a,
    village_b,
    clerk_a,
    clerk_b,
    bureau,
):
    station = legacy_asset(village_a, clerk_a, value="1000000.00")
    farm = legacy_asset(village_a, clerk_a, asset_type=AssetType.FARM_BASE, value="100000.00")
    pv_plan = distribution(station, clerk_a, income="100000.05")
    plan = distribution(farm, clerk_a, income="9000.00")
    here = exited(village_a, head_name="刘桂兰")
    there = monitored(village_b, head_name="赵春生")
    distribution_services.line_add(
        distribution=plan, use=LineUse.SHARE, household=here, amount="5000", actor=clerk_a
    )
    hidden_line = distribution_services.line_add(
        distribution=plan, use=LineUse.SHARE, household=there, amount="4000", actor=bureau
    )
    works = distribution_services.line_add(
        distribution=pv_plan, use=LineUse.PV_WORKS, item="村内路灯维修", amount="100", actor=clerk_a
    )
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
    listed = call(schema, "GET", "/api/v1/assets/", 200)
    assert len(listed["results"]) == 2
    asset = call(schema, "GET", "/api/v1/assets/{id}/", 200, id=farm.pk)
    assert asset["flags"] and asset["project"] is None and asset["operating_mode"] == ""
    call(schema, "GET", "/api/v1/asset-incomes/", 200)
    call(schema, "GET", "/api/v1/asset-incomes/{id}/", 200, id=plan.income_id)
    call(schema, "GET", "/api/v1/distributions/", 200)
    detail = call(schema, "GET", "/api/v1/distributions/{id}/", 200, id=plan.pk)
    assert detail["pv_shares"] is None and detail["flags"]
    detail = call(schema, "GET", "/api/v1/distributions/{id}/", 200, id=pv_plan.pk)
    assert len(detail["pv_shares"]) == 3
    lines = call(schema, "GET", "/api/v1/distribution-lines/", 200)
    assert {row["household"] is None for row in lines["results"]} == {True, False}
    row = call(schema, "GET", "/api/v1/distribution-lines/{id}/", 200, id=hidden_line.pk)
    assert row["household"] is None and row["payee"] is None

    current = {
        "asset": farm.pk,
        "year": today().year,
        "gross_income": "1000.00",
        "settled_on": today().isoformat(),
    }
    refused = call(schema, "POST", "/api/v1/asset-incomes/", 400, body=current)
    assert refused["code"] == "ast_8" and refused["violations"]
    made = call(
        schema,
        "POST",
        "/api/v1/asset-incomes/",
        201,
        body={**current, "year": 2024, "depreciation": "100.00"},
    )
    assert made["net_income"] == "900.00" and made["distribution"] is None
    stale = call(
        schema,
        "PATCH",
        "/api/v1/asset-incomes/{id}/",
        409,
        body={"version": 9, "note": "更正"},
        id=made["id"],
    )
    assert stale["code"] == "concurrent_update"
    call(
        schema,
        "PATCH",
        "/api/v1/asset-incomes/{id}/",
        200,
        body={"version": 1, "maintenance": "100.00"},
        id=made["id"],
    )
    wrong_use = {
        "distribution": pv_plan.pk,
        "use": "share",
        "household": here.pk,
        "amount": "10.00",
    }
    refused = call(schema, "POST", "/api/v1/distribution-lines/", 400, body=wrong_use)
    assert refused["code"] == "ast_pv_1"
    call(schema, "DELETE", "/api/v1/distribution-lines/{id}/", 204, id=works.pk)
    confirm = {"version": 1, "confirmed_on": "2026-11-20", "certificate_number": "开确字第1号"}
    confirmed = call(schema, "POST", "/api/v1/assets/{id}/confirm/", 200, body=confirm, id=farm.pk)
    assert confirmed["is_confirmed"]
    review = {"batch": "巩固一批", "reviewed_on": "2026-12-01", "reason": "运营良好"}
    call(schema, "POST", "/api/v1/assets/{id}/review/", 201, body=review, id=farm.pk)
    to = today() - datetime.timedelta(days=1)
    publicity = {
        "version": 3,
        "publicity_from": (to - datetime.timedelta(days=6)).isoformat(),
        "publicity_to": to.isoformat(),
        "place": "村务公开栏",
    }
    publicised = call(
        schema, "POST", "/api/v1/distributions/{id}/publicise/", 200, body=publicity, id=plan.pk
    )
    assert publicised["status"] == "publicised"
    pay = {"version": 4, "paid_on": today().isoformat(), "payment_reference": "V-118"}
    paid = call(schema, "POST", "/api/v1/distributions/{id}/pay/", 200, body=pay, id=plan.pk)
    assert paid["status"] == "paid"

    schema = schema_for(clerk_b)
    call(schema, "GET", "/api/v1/assets/{id}/", 404, id=farm.pk)
    theirs = call(schema, "GET", "/api/v1/distribution-lines/{id}/", 200, id=hidden_line.pk)
    assert theirs["household"]["head_name"] == "赵春生"

    schema = schema_for(bureau)
    income = settled(farm, clerk_a, year=2023)
    made = call(schema, "POST", "/api/v1/distributions/", 201, body={"income": income.pk})
    assert made["amount"] == "100000.00" and made["by_use"] == []
