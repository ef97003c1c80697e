"""The allocation pages and a project's fund page: the funds index, the allocation ledger, a new
allocation, its assignment and reversals, the arrival at the township and the retention flag;
each with the three access answers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from funds.codes import FundLevel
from funds.models import FundAccount, FundAllocation, ProjectFund
from funds.services import allocations as services
from kaiyuan.common.dates import today
from tests.funds import factories as f

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def project(village_a, clerk_a):
    return f.project(village_a, clerk_a, total="1000000.00")


@pytest.fixture
def source(bureau):
    return f.allocation(bureau, amount="5000000.00")


@pytest.fixture
def entry(project, source, bureau):
    """An assignment not yet arrived."""
    return services.assignment_add(
        allocation=source,
        project=project,
        amount="1000000.00",
        assigned_on=today() - datetime.timedelta(days=5),
        actor=bureau,
    )


def allocation_data(**changes):
    data = {
        "document_number": "辽财农〔2026〕88号",
        "issued_on": today().isoformat(),
        "level": FundLevel.PROVINCIAL,
        "fund_type": f.linkage().pk,
        "year": today().year,
        "amount": "2000000.00",
        "title": "2026年第二批衔接资金",
    }
    data.update(changes)
    return data


# ---- the index -------------------------------------------------------------------------------


def test_a_clerk_sees_the_funded_projects_and_the_reimbursements_owed(client, clerk_a, project):
    f.fund(project, clerk_a)
    f.pay(project, clerk_a, "100000.00")
    client.force_login(clerk_a)
    response = client.get(reverse("funds:index"))
    assert response.status_code == 200
    assert response.context["owed"] == 1
    (account,) = response.context["accounts"]
    assert (account.project, account.assigned, account.paid_total) == (
        project,
        D("1000000.00"),
        D("100000.00"),
    )


def test_the_other_townships_clerk_does_not_see_them(client, clerk_b, project, clerk_a):
    f.fund(project, clerk_a)
    client.force_login(clerk_b)
    response = client.get(reverse("funds:index"))
    assert list(response.context["accounts"]) == []


def test_the_county_gets_the_ledgers_and_only_the_pages_that_exist(client, bureau):
    client.force_login(bureau)
    response = client.get(reverse("funds:index"))
    assert response.context["county"] is True
    assert reverse("funds:allocation_list") in response.content.decode()
    assert "accounts" not in response.context


# ---- allocations -----------------------------------------------------------------------------


class TestAllocationList:
    def test_the_bureau_and_a_leader_read_it_a_clerk_may_not(
        self, client, bureau, leader, clerk_a, source
    ):
        for user in (bureau, leader):
            client.force_login(user)
            response = client.get(reverse("funds:allocation_list"))
            assert [a.pk for a in response.context["page"]] == [source.pk]
        client.force_login(clerk_a)
        assert client.get(reverse("funds:allocation_list")).status_code == 403

    def test_the_filters(self, client, bureau, source):
        provincial = f.allocation(bureau, level=FundLevel.PROVINCIAL)
        client.force_login(bureau)

        def rows(**query):
            response = client.get(reverse("funds:allocation_list"), query)
            return [a.pk for a in response.context["page"]]

        assert rows(level="provincial") == [provincial.pk]
        assert rows(year=today().year - 1) == []
        assert set(rows(year=today().year)) == {source.pk, provincial.pk}
        assert rows(level="nonsense") == rows()  # a value that does not check is left out

    def test_its_query_count_does_not_grow_with_the_rows(
        self, client, bureau, django_assert_num_queries
    ):
        for _ in range(2):
            f.allocation(bureau)
        client.force_login(bureau)
        client.get(reverse("funds:allocation_list"))
        with django_assert_num_queries(QUERIES):
            client.get(reverse("funds:allocation_list"))
        for _ in range(6):
            f.allocation(bureau)
        with django_assert_num_queries(QUERIES):
            response = client.get(reverse("funds:allocation_list"))
        assert len(response.context["page"]) == 8


QUERIES = 8


class TestNewAllocation:
    url = "/funds/allocations/new/"

    def test_the_bureau_records_one(self, client, bureau):
        client.force_login(bureau)
        assert client.get(self.url).status_code == 200
        response = client.post(self.url, allocation_data())
        allocation = FundAllocation.objects.get()
        assert response["Location"] == reverse("funds:allocation_detail", args=[allocation.pk])
        assert (allocation.amount, allocation.level) == (D("2000000.00"), "provincial")

    def test_a_duplicate_document_number_is_refused_beside_it(self, client, bureau):
        client.force_login(bureau)
        client.post(self.url, allocation_data())
        response = client.post(self.url, allocation_data())
        assert response.context["form"].errors["document_number"]
        assert FundAllocation.objects.count() == 1

    def test_a_leader_and_an_auditor_may_not(self, client, leader, auditor):
        for user in (leader, auditor):
            client.force_login(user)
            assert client.get(self.url).status_code == 403
            assert client.post(self.url, allocation_data()).status_code == 403
        assert not FundAllocation.objects.exists()


class TestAllocationDetail:
    def test_the_bureau_assigns_it_to_a_project_of_the_plan(self, client, bureau, source, project):
        client.force_login(bureau)
        page = client.get(reverse("funds:allocation_detail", args=[source.pk]))
        assert list(page.context["assign_form"].fields["project"].queryset) == [project]
        response = client.post(
            reverse("funds:assignment_add", args=[source.pk]),
            {"project": project.pk, "amount": "600000.00", "assigned_on": today().isoformat()},
        )
        assert response.status_code == 302
        entry = ProjectFund.objects.get()
        assert (entry.project, entry.amount) == (project, D("600000.00"))
        assert FundAccount.objects.filter(project=project).exists()

    def test_an_assignment_over_the_projects_funds_is_refused(
        self, client, bureau, source, project
    ):
        client.force_login(bureau)
        response = client.post(
            reverse("funds:assignment_add", args=[source.pk]),
            {"project": project.pk, "amount": "1000000.01", "assigned_on": today().isoformat()},
        )
        assert response.status_code == 400
        assert response.context["assign_form"].errors
        assert not ProjectFund.objects.exists()

    def test_a_leader_reads_it_and_may_not_assign(self, client, leader, source, project):
        client.force_login(leader)
        page = client.get(reverse("funds:allocation_detail", args=[source.pk]))
        assert page.status_code == 200
        assert "assign_form" not in page.context
        response = client.post(
            reverse("funds:assignment_add", args=[source.pk]),
            {"project": project.pk, "amount": "100.00", "assigned_on": today().isoformat()},
        )
        assert response.status_code == 403
        assert not ProjectFund.objects.exists()

    def test_a_clerk_may_not_open_it(self, client, clerk_a, source):
        client.force_login(clerk_a)
        assert client.get(reverse("funds:allocation_detail", args=[source.pk])).status_code == 403

    def test_the_allocation_is_reversed_after_its_assignments(self, client, bureau, entry):
        client.force_login(bureau)
        source = entry.allocation
        refused = client.post(
            reverse("funds:allocation_reverse", args=[source.pk]), {"allocation-reason": "撤销"}
        )
        assert refused.status_code == 400
        assert refused.context["reverse_form"].errors["reason"]
        response = client.post(
            reverse("funds:assignment_reverse", args=[entry.pk]), {"entry-reason": "录入错误"}
        )
        assert response.status_code == 302
        assert ProjectFund.objects.get(reduces=entry).amount == D("-1000000.00")
        client.post(
            reverse("funds:allocation_reverse", args=[source.pk]), {"allocation-reason": "撤销"}
        )
        assert FundAllocation.objects.get(reverses=source).amount == D("-5000000.00")

    def test_a_leader_may_not_reverse(self, client, leader, entry):
        client.force_login(leader)
        url = reverse("funds:assignment_reverse", args=[entry.pk])
        assert client.post(url, {"entry-reason": "录入错误"}).status_code == 403
        url = reverse("funds:allocation_reverse", args=[entry.allocation_id])
        assert client.post(url, {"allocation-reason": "撤销"}).status_code == 403
        assert not ProjectFund.objects.filter(reduces=entry).exists()


# ---- a project's funds -----------------------------------------------------------------------


class TestProjectFunds:
    def url(self, project):
        return reverse("funds:project_funds", args=[project.pk])

    def test_it_shows_where_the_money_stands(self, client, clerk_a, project):
        f.fund(project, clerk_a)
        f.pay(project, clerk_a, "300000.00")
        f.progress(project, clerk_a, "40")
        client.force_login(clerk_a)
        response = client.get(self.url(project))
        position = response.context["position"]
        assert (position.fund_total, position.paid, position.available) == (
            D("1000000.00"),
            D("300000.00"),
            D("700000.00"),
        )
        assert position.latest_progress == D("40")
        assert response.context["withheld"] == D("30000.00")  # 3 % of the fund total
        assert [amount for _label, amount in response.context["paid_rows"]] == [D("300000.00")]
        assert response.context["may_pay"]

    def test_a_leader_reads_it_and_the_other_township_gets_404(
        self, client, leader, clerk_b, project
    ):
        client.force_login(leader)
        assert client.get(self.url(project)).status_code == 200
        client.force_login(clerk_b)
        assert client.get(self.url(project)).status_code == 404

    def test_the_clerk_records_the_arrival(self, client, clerk_a, entry):
        client.force_login(clerk_a)
        url = reverse("funds:arrival_record", args=[entry.pk])
        refused = client.post(url, {"arrived_on": today().isoformat(), "township_account": ""})
        assert refused.status_code == 400
        response = client.post(
            url, {"arrived_on": today().isoformat(), "township_account": "中固镇财政所专户"}
        )
        assert response.status_code == 302
        entry.refresh_from_db()
        assert (entry.arrived_on, entry.arrival_recorded_by) == (today(), clerk_a)

    def test_a_leader_may_not_record_it_and_the_other_township_gets_404(
        self, client, leader, clerk_b, entry
    ):
        url = reverse("funds:arrival_record", args=[entry.pk])
        data = {"arrived_on": today().isoformat(), "township_account": "专户"}
        client.force_login(leader)
        assert client.post(url, data).status_code == 403
        client.force_login(clerk_b)
        assert client.post(url, data).status_code == 404
        entry.refresh_from_db()
        assert entry.arrived_on is None

    def test_the_bureau_sets_the_retention_flag_with_the_version(self, client, bureau, entry):
        project = entry.project
        client.force_login(bureau)
        url = reverse("funds:retention_set", args=[project.pk])
        stale = client.post(url, {"required": "false", "version": 7})
        assert stale.status_code == 400
        assert client.post(url, {"required": "false", "version": 1}).status_code == 302
        account = FundAccount.objects.get(project=project)
        assert (account.retention_required, account.version) == (False, 2)

    def test_a_leader_and_a_clerk_may_not_set_it(self, client, leader, clerk_a, entry):
        url = reverse("funds:retention_set", args=[entry.project_id])
        for user in (leader, clerk_a):
            client.force_login(user)
            assert client.post(url, {"required": "false", "version": 1}).status_code == 403
        assert FundAccount.objects.get(project=entry.project).retention_required is True

    def test_the_project_page_links_to_its_funds(self, client, clerk_a, grid_worker_a, project):
        client.force_login(clerk_a)
        page = client.get(reverse("projects:project_detail", args=[project.pk]))
        assert self.url(project) in page.content.decode()
        client.force_login(grid_worker_a)
        page = client.get(reverse("projects:project_detail", args=[project.pk]))
        assert self.url(project) not in page.content.decode()


@pytest.mark.sqlite
def test_the_allocation_pages_answer_on_any_database(client, bureau, entry):
    client.force_login(bureau)
    for url in (
        reverse("funds:index"),
        reverse("funds:allocation_list"),
        reverse("funds:allocation_create"),
        reverse("funds:allocation_detail", args=[entry.allocation_id]),
        reverse("funds:project_funds", args=[entry.project_id]),
    ):
        assert client.get(url).status_code == 200, url
