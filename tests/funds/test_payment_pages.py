"""The payment pages: a new payment on a project (a refusal keeps nothing and shows the rule's
reason beside the amount), a payment with its draws, payee, 报账 and reversal, the payments of
the area; each with the three access answers (officer of the area, read-only leader, the other
township's clerk)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funds.codes import PayeeKind, ReimbursementStatus, Tranche
from funds.models import Payment, Reimbursement
from kaiyuan.accounts.roles import Role
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.dates import today
from tests.factories import UserFactory
from tests.funds import factories as f
from tests.projects.factories import VALID_USCC

pytestmark = pytest.mark.django_db
D = Decimal
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def project(village_a, clerk_a):
    project = f.project(village_a, clerk_a, total="1000000.00")
    f.fund(project, clerk_a)
    return project


@pytest.fixture
def payment(project, clerk_a):
    return f.pay(project, clerk_a, "300000.00")


@pytest.fixture
def finance(county):
    return UserFactory(username="finance", role=Role.FINANCE, area=county)


def payment_data(**changes):
    data = {
        "tranche": Tranche.ADVANCE,
        "amount": "300000.00",
        "paid_on": today().isoformat(),
        "payee_name": "开原市稻香农民专业合作社",
        "payee_account": "6228480012345678",
        "payee_bank": "开原农商银行",
        "payee_kind": PayeeKind.ENTITY,
        "payee_uscc": VALID_USCC,
        "payee_id_number": "",
        "basis": "施工合同 KY-HT-001",
    }
    data.update(changes)
    return data


def voucher():
    return SimpleUploadedFile("发票.pdf", b"%PDF-1.4 invoice", content_type="application/pdf")


# ---- a new payment ------------------------------------------------------------------------------


class TestNewPayment:
    def url(self, project):
        return reverse("funds:payment_create", args=[project.pk])

    def test_the_clerk_of_the_area_pays_an_advance(self, client, clerk_a, project):
        client.force_login(clerk_a)
        assert client.get(self.url(project)).status_code == 200
        response = client.post(self.url(project), payment_data())
        payment = Payment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("funds:payment_detail", args=[payment.pk])
        assert (payment.amount, payment.tranche) == (D("300000.00"), Tranche.ADVANCE)
        assert payment.reimbursement.status == ReimbursementStatus.UNREPORTED

    def test_a_read_only_leader_may_not_pay(self, client, leader, project):
        client.force_login(leader)
        assert client.get(self.url(project)).status_code == 403
        assert client.post(self.url(project), payment_data()).status_code == 403
        assert not Payment.objects.exists()

    def test_the_other_townships_clerk_gets_404(self, client, clerk_b, project):
        client.force_login(clerk_b)
        assert client.get(self.url(project)).status_code == 404
        assert client.post(self.url(project), payment_data()).status_code == 404
        assert not Payment.objects.exists()

    def test_a_second_advance_is_refused_beside_the_amount_and_nothing_is_kept(
        self, client, clerk_a, project, payment
    ):
        client.force_login(clerk_a)
        response = client.post(self.url(project), payment_data(amount="0.01"))
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert "300,000.01" in errors["amount"][0]
        assert "1,000,000.00" in errors["amount"][0]
        assert Payment.objects.count() == 1
        assert Reimbursement.objects.count() == 1

    def test_a_payee_person_with_a_wrong_id_number_is_refused_beside_it(
        self, client, clerk_a, project
    ):
        client.force_login(clerk_a)
        response = client.post(
            self.url(project),
            payment_data(payee_kind=PayeeKind.PERSON, payee_uscc="", payee_id_number="123"),
        )
        assert response.status_code == 400
        assert response.context["form"].errors["payee_id_number"]
        assert not Payment.objects.exists()


# ---- a payment -------------------------------------------------------------------------------


class TestPaymentDetail:
    def url(self, payment, name="funds:payment_detail"):
        return reverse(name, args=[payment.pk])

    def test_the_clerk_sees_the_draws_and_the_open_reimbursement(self, client, clerk_a, payment):
        client.force_login(clerk_a)
        response = client.get(self.url(payment))
        assert response.status_code == 200
        draws = list(response.context["draws"])
        assert [d.amount for d in draws] == [D("300000.00")]
        assert draws[0].fund.allocation.level == "central"
        assert "report_form" in response.context
        assert "reverse_form" in response.context
        assert "decide_form" not in response.context

    def test_a_leader_reads_it_without_the_forms(self, client, leader, payment):
        client.force_login(leader)
        response = client.get(self.url(payment))
        assert response.status_code == 200
        assert "report_form" not in response.context
        assert "reverse_form" not in response.context

    def test_the_other_townships_clerk_gets_404(self, client, clerk_b, payment):
        client.force_login(clerk_b)
        assert client.get(self.url(payment)).status_code == 404
        for name in (
            "funds:reimbursement_report",
            "funds:payment_reverse",
            "funds:payee_id_reveal",
        ):
            assert client.post(self.url(payment, name), {"reason": "x"}).status_code == 404

    def test_it_flags_a_payment_not_reported_in_time(self, client, clerk_a, project, clock):
        payment = f.pay(project, clerk_a, "1000.00")
        clock.move_to("2027-03-05 10:00+08:00")
        client.force_login(clerk_a)
        response = client.get(self.url(payment))
        assert response.context["overdue"] is True
        assert 'data-testid="overdue"' in response.content.decode()


class TestReimbursement:
    def report(self, client, payment, **extra):
        data = {
            "version": payment.reimbursement.version,
            "reported_on": today().isoformat(),
            "voucher_numbers": "记-2026-118",
            "vouchers": voucher(),
            **extra,
        }
        return client.post(reverse("funds:reimbursement_report", args=[payment.pk]), data)

    def decide(self, client, payment, **data):
        payment.reimbursement.refresh_from_db()
        data.setdefault("version", payment.reimbursement.version)
        return client.post(reverse("funds:reimbursement_decide", args=[payment.pk]), data)

    def test_the_clerk_reports_and_finance_accepts(self, client, clerk_a, finance, payment):
        client.force_login(clerk_a)
        assert self.report(client, payment).status_code == 302
        payment.reimbursement.refresh_from_db()
        assert payment.reimbursement.status == ReimbursementStatus.REPORTED
        assert payment.reimbursement.vouchers.get().name == "发票.pdf"
        client.force_login(finance)
        response = client.get(reverse("funds:payment_detail", args=[payment.pk]))
        assert "decide_form" in response.context
        assert self.decide(client, payment, accept="true").status_code == 302
        payment.reimbursement.refresh_from_db()
        assert payment.reimbursement.status == ReimbursementStatus.ACCEPTED
        assert payment.reimbursement.accepted_on == today()

    def test_a_report_without_a_voucher_is_refused(self, client, clerk_a, payment):
        client.force_login(clerk_a)
        response = self.report(client, payment, vouchers="")
        assert response.status_code == 400
        assert response.context["report_form"].errors["vouchers"]
        payment.reimbursement.refresh_from_db()
        assert payment.reimbursement.status == ReimbursementStatus.UNREPORTED

    def test_finance_returns_it_with_a_reason(self, client, clerk_a, finance, payment):
        client.force_login(clerk_a)
        self.report(client, payment)
        client.force_login(finance)
        response = self.decide(client, payment, accept="false", reason="")
        assert response.status_code == 400
        assert self.decide(client, payment, accept="false", reason="缺少花名册").status_code == 302
        payment.reimbursement.refresh_from_db()
        assert payment.reimbursement.status == ReimbursementStatus.RETURNED
        assert payment.reimbursement.return_reason == "缺少花名册"

    def test_read_only_roles_neither_report_nor_decide(self, client, clerk_a, leader, payment):
        client.force_login(leader)
        assert self.report(client, payment).status_code == 403
        client.force_login(clerk_a)
        self.report(client, payment)
        client.force_login(leader)
        assert self.decide(client, payment, accept="true").status_code == 403
        payment.reimbursement.refresh_from_db()
        assert payment.reimbursement.status == ReimbursementStatus.REPORTED

    def test_the_clerk_does_not_accept_their_own_reimbursement(self, client, clerk_a, payment):
        client.force_login(clerk_a)
        self.report(client, payment)
        assert self.decide(client, payment, accept="true").status_code == 403


class TestReverse:
    def url(self, payment):
        return reverse("funds:payment_reverse", args=[payment.pk])

    def test_the_clerk_reverses_with_a_reason(self, client, clerk_a, payment):
        client.force_login(clerk_a)
        assert client.post(self.url(payment), {"reason": ""}).status_code == 400
        response = client.post(self.url(payment), {"reason": "收款账号录入错误"})
        reversal = Payment.objects.get(reverses=payment)
        assert response["Location"] == reverse("funds:payment_detail", args=[reversal.pk])
        assert reversal.amount == D("-300000.00")

    def test_a_leader_may_not_reverse(self, client, leader, payment):
        client.force_login(leader)
        assert client.post(self.url(payment), {"reason": "错误"}).status_code == 403
        assert not Payment.objects.filter(reverses=payment).exists()


class TestPayeeReveal:
    @pytest.fixture
    def paid_to_person(self, project, clerk_a):
        payee = f.Payee(
            name="王秀兰", account="6228480098765432", kind=PayeeKind.PERSON, id_number=ID_NUMBER
        )
        return f.pay(project, clerk_a, "2000.00", payee=payee)

    def test_the_number_is_masked_until_revealed_and_the_reveal_is_audited(
        self, client, clerk_a, paid_to_person
    ):
        client.force_login(clerk_a)
        page = client.get(reverse("funds:payment_detail", args=[paid_to_person.pk]))
        assert ID_NUMBER not in page.content.decode()
        assert paid_to_person.payee_id_masked in page.content.decode()
        response = client.post(reverse("funds:payee_id_reveal", args=[paid_to_person.pk]))
        assert response.status_code == 200
        assert ID_NUMBER in response.content.decode()
        assert AuditEvent.objects.filter(action="reveal", actor=clerk_a).count() == 1

    def test_a_leader_may_not_reveal(self, client, leader, paid_to_person):
        client.force_login(leader)
        response = client.post(reverse("funds:payee_id_reveal", args=[paid_to_person.pk]))
        assert response.status_code == 403
        assert not AuditEvent.objects.filter(action="reveal").exists()


# ---- the list -------------------------------------------------------------------------------


class TestPaymentList:
    def get(self, client, **query):
        return client.get(reverse("funds:payment_list"), query)

    def test_the_clerk_sees_their_areas_payments_and_not_the_others(
        self, client, clerk_a, clerk_b, payment, village_b
    ):
        other = f.project(village_b, clerk_b)
        f.fund(other, clerk_b)
        f.pay(other, clerk_b, "1000.00")
        client.force_login(clerk_a)
        response = self.get(client)
        assert [p.pk for p in response.context["page"]] == [payment.pk]

    def test_the_filters(self, client, clerk_a, project, payment, clock):
        f.progress(project, clerk_a, "70")
        progress = f.pay(project, clerk_a, "100000.00", tranche=Tranche.PROGRESS)
        client.force_login(clerk_a)
        assert [p.pk for p in self.get(client, tranche="progress").context["page"]] == [progress.pk]
        assert self.get(client, status="accepted").context["page"].items == []
        assert self.get(client, overdue="on").context["page"].items == []
        clock.move_to("2027-03-05 10:00+08:00")
        client.force_login(clerk_a)  # the session of December has expired
        overdue = self.get(client, overdue="on").context["page"]
        assert {p.pk for p in overdue} == {payment.pk, progress.pk}
        assert all(p.overdue for p in overdue)

    def test_a_leader_reads_the_county_list(self, client, leader, payment):
        client.force_login(leader)
        assert [p.pk for p in self.get(client).context["page"]] == [payment.pk]

    def test_its_query_count_does_not_grow_with_the_rows(
        self, client, clerk_a, project, django_assert_num_queries
    ):
        for _ in range(3):
            f.pay(project, clerk_a, "1000.00")
        client.force_login(clerk_a)
        self.get(client)  # warm the session and the calendar
        with django_assert_num_queries(QUERIES):
            self.get(client)
        for _ in range(5):
            f.pay(project, clerk_a, "1000.00")
        with django_assert_num_queries(QUERIES):
            response = self.get(client)
        assert len(response.context["page"]) == 8


QUERIES = 8


@pytest.mark.sqlite
def test_the_payment_pages_answer_on_any_database(client, clerk_a, project, payment):
    client.force_login(clerk_a)
    for url in (
        reverse("funds:index"),
        reverse("funds:project_funds", args=[project.pk]),
        reverse("funds:payment_create", args=[project.pk]),
        reverse("funds:payment_detail", args=[payment.pk]),
        reverse("funds:payment_list"),
    ):
        assert client.get(url).status_code == 200, url
