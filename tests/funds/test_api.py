"""The linkage funds' API: the three access answers of each endpoint (the officer of the area, the
read-only roles refused on writes, another township's clerk answered as if the record did not
exist), refusals in the API's format, stale versions, masked payee IDs and lists at a constant
query count."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from funds.codes import FundLevel, PayeeKind, Tranche
from funds.models import (
    DebtPlacement,
    FundAllocation,
    MicrocreditLoan,
    Payment,
    PaymentDraw,
    ProjectFund,
    Reallocation,
    Reimbursement,
)
from funds.services import allocations as allocation_services
from funds.services import microcredit as loan_services
from funds.services import placements as placement_services
from funds.services.payments import Payee
from kaiyuan.accounts.roles import Role
from kaiyuan.common.dates import today
from monitoring.models import Member
from projects.codes import FinanceMode
from tests.factories import UserFactory
from tests.funds import factories as f
from tests.monitoring.factories import make_household, next_id_number
from tests.projects.factories import VALID_USCC

pytestmark = pytest.mark.django_db
D = Decimal
API = "/api/v1/"


def post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def get(client, user, url, params=None):
    client.force_login(user)
    return client.get(url, params or {})


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def finance(county):
    return UserFactory(username="finance", role=Role.FINANCE, area=county)


@pytest.fixture
def project_a(village_a, clerk_a):
    project = f.project(village_a, clerk_a, total="1000000.00")
    f.fund(project, clerk_a)
    return project


@pytest.fixture
def project_b(village_b, clerk_b):
    project = f.project(village_b, clerk_b, total="1000000.00")
    f.fund(project, clerk_b)
    return project


def payment_body(of, **overrides) -> dict:
    body = {
        "project": of.pk,
        "tranche": Tranche.ADVANCE,
        "amount": "100000.00",
        "paid_on": today().isoformat(),
        "payee_name": f.PAYEE.name,
        "payee_account": f.PAYEE.account,
        "payee_kind": PayeeKind.ENTITY,
        "payee_uscc": VALID_USCC,
        "basis": "施工合同 KY-HT-001",
    }
    body.update(overrides)
    return body


# =============================================================================================
# Allocations
# =============================================================================================


def allocation_body(**overrides) -> dict:
    body = {
        "document_number": "辽财农〔2026〕88号",
        "issued_on": "2026-11-20",
        "level": FundLevel.PROVINCIAL,
        "fund_type": "linkage",
        "year": 2026,
        "amount": "2500000",
        "for_industry": True,
        "title": "省级衔接资金",
    }
    body.update(overrides)
    return body


def test_the_bureau_records_an_allocation_and_reads_its_figures(client, bureau, project_a):
    made = post(client, bureau, f"{API}allocations/", allocation_body())
    assert made.status_code == 201, made.json()
    row = made.json()
    assert row["amount"] == "2500000.00"
    assert row["assigned"] == "0.00" and row["unassigned"] == "2500000.00"
    assert row["issued_on"] == "2026-11-20" and row["fund_type"] == "linkage"
    again = post(client, bureau, f"{API}allocations/", allocation_body())
    assert again.status_code == 400 and again.json()["field"] == "document_number"
    listed = get(client, bureau, f"{API}allocations/", {"level": "provincial"})
    assert ids(listed) == [row["id"]]


def test_allocations_are_the_county_roles_reads_and_the_bureaus_writes(
    client, bureau, leader, auditor, clerk_a, project_a
):
    allocation = FundAllocation.objects.get()
    detail = f"{API}allocations/{allocation.pk}/"
    for reader in (leader, auditor, bureau):
        assert get(client, reader, detail).status_code == 200
    for read_only in (leader, auditor):
        assert post(client, read_only, f"{API}allocations/", allocation_body()).status_code == 403
        refused = post(client, read_only, f"{detail}reverse/", {"reason": "错录"})
        assert refused.status_code == 403
    # A township clerk never sees the county's allocations.
    assert get(client, clerk_a, f"{API}allocations/").status_code == 403
    assert post(client, clerk_a, f"{API}allocations/", allocation_body()).status_code == 403
    assert FundAllocation.objects.count() == 1


def test_an_allocation_is_assigned_to_a_project_and_reversed_once_nothing_is_assigned(
    client, bureau, village_a, clerk_a
):
    project = f.project(village_a, clerk_a, total="800000.00")
    allocation = f.allocation(bureau, amount="2000000.00")
    url = f"{API}allocations/{allocation.pk}/"
    missing = post(
        client,
        bureau,
        f"{url}assign/",
        {"project": 999999, "amount": "1", "assigned_on": "2026-12-01"},
    )
    assert missing.status_code == 400 and "project" in missing.json()
    assigned = post(
        client,
        bureau,
        f"{url}assign/",
        {"project": project.pk, "amount": "500000.00", "assigned_on": "2026-12-01"},
    )
    assert assigned.status_code == 201, assigned.json()
    entry = assigned.json()
    assert entry["kind"] == "assignment" and entry["balance"] == "500000.00"
    assert entry["arrived_on"] is None
    assert get(client, bureau, url).json()["assigned"] == "500000.00"
    refused = post(client, bureau, f"{url}reverse/", {"reason": "文件撤回"})
    assert refused.status_code == 400 and refused.json()["field"] == "reason"
    undone = post(client, bureau, f"{API}project-funds/{entry['id']}/reverse/", {"reason": "错录"})
    assert undone.status_code == 201 and undone.json()["amount"] == "-500000.00"
    reversed_ = post(client, bureau, f"{url}reverse/", {"reason": "文件撤回"})
    assert reversed_.status_code == 200
    assert reversed_.json()["is_reversed"] and reversed_.json()["net_amount"] == "0.00"


# =============================================================================================
# Project funds
# =============================================================================================


def test_project_funds_the_three_access_answers(
    client, clerk_a, clerk_b, leader, auditor, bureau, village_a, project_a
):
    project = f.project(village_a, clerk_a, total="300000.00")
    entry = allocation_services.assignment_add(
        allocation=f.allocation(bureau, amount="900000.00"),
        project=project,
        amount="300000.00",
        assigned_on=today(),
        actor=bureau,
    )
    url = f"{API}project-funds/{entry.pk}/"
    arrival = {"arrived_on": today().isoformat(), "township_account": "中固镇财政所专户"}
    assert get(client, clerk_b, url).status_code == 404
    assert post(client, clerk_b, f"{url}arrival/", arrival).status_code == 404
    for read_only in (leader, auditor):
        assert get(client, read_only, url).status_code == 200
        assert post(client, read_only, f"{url}arrival/", arrival).status_code == 403
    row = get(client, clerk_a, url).json()
    assert row["balance"] == "300000.00" and row["drawn"] == "0.00"
    done = post(client, clerk_a, f"{url}arrival/", arrival)
    assert done.status_code == 200, done.json()
    assert done.json()["arrived_on"] == today().isoformat()
    twice = post(client, clerk_a, f"{url}arrival/", arrival)
    assert twice.status_code == 400 and twice.json()["field"] == "arrived_on"
    assert sorted(ids(get(client, clerk_a, f"{API}project-funds/"))) == sorted(
        ProjectFund.objects.values_list("pk", flat=True)
    )
    assert ids(get(client, clerk_b, f"{API}project-funds/")) == []


def test_the_balance_of_an_entry_falls_with_what_is_paid_from_it(client, clerk_a, project_a):
    f.pay(project_a, clerk_a, "120000.00")
    entry = ProjectFund.objects.get(project=project_a)
    row = get(client, clerk_a, f"{API}project-funds/{entry.pk}/").json()
    assert row["drawn"] == "120000.00" and row["balance"] == "880000.00"


# =============================================================================================
# Payments
# =============================================================================================


def test_a_clerk_records_a_payment_and_the_read_only_roles_may_not(
    client, clerk_a, leader, auditor, project_a
):
    for read_only in (leader, auditor):
        assert (
            post(client, read_only, f"{API}payments/", payment_body(project_a)).status_code == 403
        )
    made = post(client, clerk_a, f"{API}payments/", payment_body(project_a))
    assert made.status_code == 201, made.json()
    row = made.json()
    assert row["amount"] == "100000.00" and row["paid_on"] == today().isoformat()
    assert row["reimbursement"]["status"] == "unreported"
    assert row["reimbursement"]["version"] == 1
    assert sum(d.amount for d in PaymentDraw.objects.all()) == D("100000.00")
    assert get(client, leader, f"{API}payments/{row['id']}/").status_code == 200


def test_another_township_neither_sees_a_payment_nor_pays_from_its_project(
    client, clerk_a, clerk_b, project_a, project_b
):
    payment = f.pay(project_a, clerk_a, "50000.00")
    url = f"{API}payments/{payment.pk}/"
    assert get(client, clerk_b, url).status_code == 404
    assert post(client, clerk_b, f"{url}reverse/", {"reason": "错录"}).status_code == 404
    assert ids(get(client, clerk_b, f"{API}payments/")) == []
    hidden = post(client, clerk_b, f"{API}payments/", payment_body(project_a))
    missing = post(client, clerk_b, f"{API}payments/", payment_body(project_a, project=999999))
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json()
    assert Payment.objects.count() == 1


def test_an_advance_over_30_percent_is_refused_with_the_rule_and_nothing_is_written(
    client, clerk_a, project_a
):
    refused = post(client, clerk_a, f"{API}payments/", payment_body(project_a, amount="300000.01"))
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "fnd_1"
    assert body["field"] == "amount"
    [violation] = [v for v in body["violations"] if v["rule"] == "FND-1"]
    assert "300,000.01" in violation["message"] and "30%" in violation["message"]
    assert body["detail"]
    assert not Payment.objects.exists()
    assert not PaymentDraw.objects.exists()
    assert not Reimbursement.objects.exists()
    exactly = post(client, clerk_a, f"{API}payments/", payment_body(project_a, amount="300000.00"))
    assert exactly.status_code == 201


def test_a_persons_id_number_is_never_answered_unmasked(client, clerk_a, bureau, project_a):
    number = next_id_number()
    body = payment_body(
        project_a, payee_kind=PayeeKind.PERSON, payee_uscc="", payee_id_number=number
    )
    made = post(client, clerk_a, f"{API}payments/", body)
    assert made.status_code == 201, made.json()
    payment = Payment.objects.get()
    answers = [
        made,
        get(client, clerk_a, f"{API}payments/"),
        get(client, clerk_a, f"{API}payments/{payment.pk}/"),
        get(client, bureau, f"{API}payments/{payment.pk}/"),
        post(client, clerk_a, f"{API}payments/{payment.pk}/reverse/", {"reason": "收款人错误"}),
    ]
    for answer in answers:
        text = answer.content.decode()
        assert number not in text
        assert payment.payee_id_cipher not in text and payment.payee_id_index not in text
    assert made.json()["payee_id_masked"] == payment.payee_id_masked
    assert "payee_id_number" not in made.json() and "payee_id_cipher" not in made.json()


def test_an_id_number_is_refused_in_a_query_string(client, clerk_a, project_a):
    refused = get(client, clerk_a, f"{API}payments/", {"payee": next_id_number()})
    assert refused.status_code == 400 and refused.json()["code"] == "id_number_in_query"


def test_a_payment_is_reversed_once(client, clerk_a, leader, project_a):
    payment = f.pay(project_a, clerk_a, "80000.00")
    url = f"{API}payments/{payment.pk}/reverse/"
    assert post(client, leader, url, {"reason": "错录"}).status_code == 403
    reversed_ = post(client, clerk_a, url, {"reason": "错录"})
    assert reversed_.status_code == 201
    assert reversed_.json()["amount"] == "-80000.00"
    assert reversed_.json()["reverses"] == payment.pk
    again = post(client, clerk_a, url, {"reason": "错录"})
    assert again.status_code == 400
    assert get(client, clerk_a, f"{API}payments/{payment.pk}/").json()["reversed"] is True


def voucher(name="发票.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 voucher", content_type="application/pdf")


def test_the_reimbursement_is_reported_with_vouchers_and_decided_by_finance(
    client, clerk_a, finance, leader, project_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    payment = f.pay(project_a, clerk_a, "60000.00")
    url = f"{API}payments/{payment.pk}/"
    no_files = post(client, clerk_a, f"{url}report/", {"version": 1, "reported_on": "2026-12-02"})
    assert no_files.status_code == 400 and no_files.json()["field"] == "vouchers"
    wrong_type = client.post(
        f"{url}report/",
        {"version": 1, "reported_on": "2026-12-02", "vouchers": [voucher("a.exe")]},
    )
    assert wrong_type.status_code == 400 and "vouchers" in wrong_type.json()
    client.force_login(leader)
    form = {"version": 1, "reported_on": "2026-12-02", "voucher_numbers": "记-12"}
    assert client.post(f"{url}report/", {**form, "vouchers": [voucher()]}).status_code == 403
    client.force_login(clerk_a)
    reported = client.post(
        f"{url}report/", {**form, "vouchers": [voucher(), voucher("花名册.png")]}
    )
    assert reported.status_code == 200, reported.json()
    reimbursement = reported.json()["reimbursement"]
    assert reimbursement["status"] == "reported" and reimbursement["version"] == 2
    assert reimbursement["vouchers"] == ["发票.pdf", "花名册.png"]

    stale = post(client, finance, f"{url}accept/", {"version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "concurrent_update"
    assert post(client, clerk_a, f"{url}accept/", {"version": 2}).status_code == 403
    no_reason = post(client, finance, f"{url}return/", {"version": 2, "reason": " "})
    assert no_reason.status_code == 400
    accepted = post(client, finance, f"{url}accept/", {"version": 2})
    assert accepted.status_code == 200
    assert accepted.json()["reimbursement"]["status"] == "accepted"
    assert accepted.json()["reimbursement"]["accepted_on"] == today().isoformat()
    assert Reimbursement.objects.get().version == 3


def test_a_returned_reimbursement_is_reported_again_on_the_vouchers_it_has(
    client, clerk_a, finance, project_a, settings, tmp_path
):
    try:  # the return leaves the clerk a notice that links to the payment's page
        reverse("funds:payment_detail", args=[1])
    except NoReverseMatch:
        pytest.skip("the payment pages (funds:payment_detail) are not in this branch")
    settings.MEDIA_ROOT = tmp_path
    payment = f.pay(project_a, clerk_a, "60000.00")
    url = f"{API}payments/{payment.pk}/"
    client.force_login(clerk_a)
    form = {"version": 1, "reported_on": "2026-12-02", "vouchers": [voucher()]}
    assert client.post(f"{url}report/", form).status_code == 200
    returned = post(client, finance, f"{url}return/", {"version": 2, "reason": "缺验收单"})
    assert returned.status_code == 200
    assert returned.json()["reimbursement"]["status"] == "returned"
    assert returned.json()["reimbursement"]["return_reason"] == "缺验收单"
    again = post(client, clerk_a, f"{url}report/", {"version": 3, "reported_on": "2026-12-02"})
    assert again.status_code == 200, again.json()
    assert again.json()["reimbursement"]["status"] == "reported"


# =============================================================================================
# Reallocations
# =============================================================================================


def test_the_bureau_reallocates_idle_money_and_others_may_not(
    client, bureau, leader, auditor, clerk_a, clerk_b, village_a2, project_a
):
    receiver = f.project(village_a2, clerk_a, total="400000.00")
    allocation = FundAllocation.objects.get()
    body = {
        "allocation": allocation.pk,
        "from_project": project_a.pk,
        "to_project": receiver.pk,
        "amount": "250000.00",
        "decided_on": today().isoformat(),
        "document_number": "开乡振〔2026〕9号",
        "reason": "闲置超过一个月",
    }
    for refused_user in (leader, auditor, clerk_a):
        assert post(client, refused_user, f"{API}reallocations/", body).status_code == 403
    made = post(client, bureau, f"{API}reallocations/", body)
    assert made.status_code == 201, made.json()
    assert made.json()["amount"] == "250000.00"
    assert made.json()["to_project_code"] == receiver.code
    decision = Reallocation.objects.get()
    assert ProjectFund.objects.filter(reallocation=decision).count() == 2
    too_much = post(client, bureau, f"{API}reallocations/", {**body, "amount": "750000.01"})
    assert too_much.status_code == 400 and too_much.json()["field"] == "amount"
    assert get(client, leader, f"{API}reallocations/{decision.pk}/").status_code == 200
    # The county's decisions: a township does not see them.
    assert get(client, clerk_b, f"{API}reallocations/{decision.pk}/").status_code == 404
    assert ids(get(client, clerk_b, f"{API}reallocations/")) == []


# =============================================================================================
# Debt placements
# =============================================================================================


def placement_body(of, **overrides) -> dict:
    body = {
        "project": of.pk,
        "counterparty": "开原市稻香农民专业合作社",
        "counterparty_uscc": VALID_USCC,
        "principal": "500000",
        "start_date": "2026-01-01",
        "end_date": "2028-12-31",
        "agreed_rate": "6.50",
        "collateral": "厂房抵押",
        "risk_measures": "按季度检查经营状况",
    }
    body.update(overrides)
    return body


@pytest.fixture
def debt_project(village_a, clerk_a):
    return f.project(village_a, clerk_a, total="1000000.00", mode=FinanceMode.DEBT)


def test_a_clerk_records_a_placement_and_its_returns_recoveries_and_checklist(
    client, clerk_a, bureau, debt_project
):
    made = post(client, clerk_a, f"{API}debt-placements/", placement_body(debt_project))
    assert made.status_code == 201, made.json()
    placement = made.json()
    assert placement["principal"] == "500000.00" and placement["agreed_rate"] == "6.50"
    assert placement["outstanding"] == "500000.00" and placement["flags"] == []
    url = f"{API}debt-placements/{placement['id']}/"
    returned = post(
        client,
        clerk_a,
        f"{url}returns/",
        {"year": 2026, "amount": "32500", "received_on": "2026-11-30"},
    )
    assert returned.status_code == 201 and returned.json()["returned"] == "32500.00"
    recovered = post(
        client, clerk_a, f"{url}recoveries/", {"amount": "200000", "recovered_on": "2026-12-01"}
    )
    assert recovered.status_code == 201
    assert recovered.json()["recovered"] == "200000.00"
    assert recovered.json()["outstanding"] == "300000.00"
    over = post(
        client, clerk_a, f"{url}redeployments/", {"amount": "200000.01", "purpose": "新项目"}
    )
    assert over.status_code == 400 and over.json()["code"] == "fnd_10"
    proposed = post(
        client, clerk_a, f"{url}redeployments/", {"amount": "200000", "purpose": "新项目"}
    )
    assert proposed.status_code == 201
    assert proposed.json()["redeployments"][0]["status"] == "proposed"
    items = {
        code: {"clear": True}
        for code in (
            "industry_funds",
            "household_funds",
            "injected_funds",
            "dividends",
            "operations",
            "problems",
        )
    }
    checklist = {"year": 2026, "items": items, "reviewed_on": "2026-12-02"}
    six = post(client, clerk_a, f"{url}six-clears/", checklist)
    assert six.status_code == 200, six.json()
    assert six.json()["six_clears"][0]["version"] == 1
    stale = post(client, clerk_a, f"{url}six-clears/", {**checklist, "version": 7})
    assert stale.status_code == 409
    unclear = {**items, "dividends": {"clear": False, "note": "未分红"}}
    refused = post(
        client, clerk_a, f"{url}six-clears/", {**checklist, "items": unclear, "version": 1}
    )
    assert refused.status_code == 400 and refused.json()["field"] == "problems"


def test_placements_the_three_access_answers_and_the_flags(
    client, clerk_a, clerk_b, leader, auditor, debt_project
):
    for read_only in (leader, auditor):
        refused = post(client, read_only, f"{API}debt-placements/", placement_body(debt_project))
        assert refused.status_code == 403
    hidden = post(client, clerk_b, f"{API}debt-placements/", placement_body(debt_project))
    missing = post(
        client, clerk_b, f"{API}debt-placements/", placement_body(debt_project, project=999999)
    )
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json()
    ended = placement_services.placement_create(
        project=debt_project,
        counterparty="开原市某农业公司",
        counterparty_uscc=VALID_USCC,
        principal="300000",
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2026, 6, 30),
        agreed_rate="6",
        collateral="担保",
        risk_measures="季度检查",
        actor=clerk_a,
    )
    url = f"{API}debt-placements/{ended.pk}/"
    assert get(client, clerk_b, url).status_code == 404
    returns = {"year": 2026, "amount": "1", "received_on": "2026-12-01"}
    assert post(client, clerk_b, f"{url}returns/", returns).status_code == 404
    assert post(client, leader, f"{url}returns/", returns).status_code == 403
    row = get(client, leader, url).json()
    assert [flag["rule"] for flag in row["flags"]] == ["FND-10-OVERDUE"]
    assert ids(get(client, clerk_a, f"{API}debt-placements/", {"flagged": "true"})) == [ended.pk]
    assert ids(get(client, clerk_a, f"{API}debt-placements/", {"flagged": "false"})) == []
    assert DebtPlacement.objects.count() == 1


# =============================================================================================
# Micro-credit
# =============================================================================================


@pytest.fixture
def household_a(village_a):
    return make_household(village_a)


def loan_body(household, **overrides) -> dict:
    body = {
        "household": household.pk,
        "borrower": Member.objects.get(household=household).pk,
        "bank": "开原农商银行",
        "contract_number": "XD-2026-001",
        "amount": "50000",
        "issued_on": "2026-03-01",
        "term_months": 36,
        "purpose": "养殖业",
        "annual_rate": "3.45",
    }
    body.update(overrides)
    return body


def test_a_clerk_records_a_loan_its_repayments_subsidy_and_extension(client, clerk_a, household_a):
    made = post(client, clerk_a, f"{API}microcredit-loans/", loan_body(household_a))
    assert made.status_code == 201, made.json()
    loan = made.json()
    assert loan["amount"] == "50000.00" and loan["due_on"] == "2029-03-01"
    assert loan["outstanding"] == "50000.00" and loan["overdue"] is False
    url = f"{API}microcredit-loans/{loan['id']}/"
    repaid = post(
        client, clerk_a, f"{url}repayments/", {"amount": "10000", "repaid_on": "2026-12-01"}
    )
    assert repaid.status_code == 201 and repaid.json()["outstanding"] == "40000.00"
    over = post(
        client, clerk_a, f"{url}repayments/", {"amount": "40000.01", "repaid_on": "2026-12-01"}
    )
    assert over.status_code == 400 and over.json()["code"] == "fnd_loan"
    subsidy = {
        "amount": "1293.75",
        "period_start": "2026-03-01",
        "period_end": "2026-11-30",
        "paid_on": "2026-12-01",
    }
    subsidised = post(client, clerk_a, f"{url}subsidies/", subsidy)
    assert subsidised.status_code == 201 and subsidised.json()["subsidised"] == "1293.75"
    stale = post(client, clerk_a, f"{url}extend/", {"version": 9, "extended_to": "2030-03-01"})
    assert stale.status_code == 409 and stale.json()["code"] == "concurrent_update"
    extended = post(client, clerk_a, f"{url}extend/", {"version": 1, "extended_to": "2030-03-01"})
    assert extended.status_code == 200
    assert extended.json()["final_due"] == "2030-03-01" and extended.json()["version"] == 2
    too_big = post(
        client,
        clerk_a,
        f"{API}microcredit-loans/",
        loan_body(household_a, amount="50000.01", contract_number="XD-2"),
    )
    assert too_big.status_code == 400 and too_big.json()["code"] == "fnd_loan"


def test_loans_the_three_access_answers_and_the_overdue_filter(
    client, clerk_a, clerk_b, leader, auditor, household_a
):
    for read_only in (leader, auditor):
        refused = post(client, read_only, f"{API}microcredit-loans/", loan_body(household_a))
        assert refused.status_code == 403
    hidden = post(client, clerk_b, f"{API}microcredit-loans/", loan_body(household_a))
    assert hidden.status_code == 400 and "household" in hidden.json()
    late = loan_services.loan_create(
        household=household_a,
        borrower=Member.objects.get(household=household_a),
        bank="开原农商银行",
        contract_number="XD-2024-007",
        amount="30000",
        issued_on=datetime.date(2024, 1, 10),
        term_months=24,
        purpose="种植业",
        annual_rate="3.45",
        actor=clerk_a,
    )
    current = loan_services.loan_create(
        household=household_a,
        borrower=Member.objects.get(household=household_a),
        bank="开原农商银行",
        contract_number="XD-2026-002",
        amount="20000",
        issued_on=datetime.date(2026, 6, 1),
        term_months=12,
        purpose="种植业",
        annual_rate="3.45",
        actor=clerk_a,
    )
    url = f"{API}microcredit-loans/{late.pk}/"
    assert get(client, clerk_b, url).status_code == 404
    repay = {"amount": "1", "repaid_on": "2026-12-01"}
    assert post(client, clerk_b, f"{url}repayments/", repay).status_code == 404
    assert post(client, auditor, f"{url}repayments/", repay).status_code == 403
    assert get(client, leader, url).json()["overdue"] is True
    listed = f"{API}microcredit-loans/"
    assert ids(get(client, clerk_a, listed, {"overdue": "true"})) == [late.pk]
    assert ids(get(client, clerk_a, listed, {"overdue": "false"})) == [current.pk]
    assert ids(get(client, clerk_b, listed)) == []
    assert MicrocreditLoan.objects.count() == 2


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


def _add_rows(clerk_a, bureau, village_a, n: int) -> None:
    person = Payee(name="张三", account="6228480000000001", kind=PayeeKind.PERSON)
    for i in range(n):
        project = f.project(village_a, clerk_a, total="1000000.00")
        f.fund(project, clerk_a)
        f.pay(project, clerk_a, "10000.00")
        person.id_number = next_id_number()
        f.pay(project, clerk_a, "5000.00", payee=person)
        debt = f.project(village_a, clerk_a, total="600000.00", mode=FinanceMode.DEBT)
        placement_services.placement_create(
            project=debt,
            counterparty="开原市稻香农民专业合作社",
            counterparty_uscc=VALID_USCC,
            principal="100000",
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2027, 1, 1),
            agreed_rate="6",
            collateral="担保",
            risk_measures="季度检查",
            actor=clerk_a,
        )
        household = make_household(village_a)
        loan_services.loan_create(
            household=household,
            borrower=Member.objects.get(household=household),
            bank="开原农商银行",
            contract_number=f"QC-{village_a.pk}-{FundAllocation.objects.count()}-{i}",
            amount="10000",
            issued_on=datetime.date(2026, 1, 1),
            term_months=12,
            purpose="种植业",
            annual_rate="3",
            actor=clerk_a,
        )
    receiver = f.project(village_a, clerk_a, total="1000000.00")
    source = ProjectFund.objects.filter(project__finance_mode=FinanceMode.SELF_BUILT).last()
    from funds.services.reallocations import reallocation_decide

    reallocation_decide(
        allocation=source.allocation,
        from_project=source.project,
        to_project=receiver,
        amount="1000",
        decided_on=today(),
        document_number=f"调剂-{ProjectFund.objects.count()}",
        reason="闲置",
        actor=bureau,
    )


@pytest.mark.parametrize(
    "endpoint",
    [
        "allocations",
        "project-funds",
        "payments",
        "reallocations",
        "debt-placements",
        "microcredit-loans",
    ],
)
def test_the_lists_run_a_constant_number_of_queries(client, clerk_a, bureau, village_a, endpoint):
    _add_rows(clerk_a, bureau, village_a, 1)
    url = f"{API}{endpoint}/"
    user = bureau
    few = _count(client, user, url)
    _add_rows(clerk_a, bureau, village_a, 3)
    assert len(get(client, user, url).json()["results"]) > 1
    assert _count(client, user, url) == few
