"""The idle-funds page (FND-7 and FND-NO-PAYMENT), the bureau's reallocation from an idle row,
and the list of reallocations."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funds.models import ProjectFund, Reallocation
from kaiyuan.common.dates import today
from tests.funds import factories as f

pytestmark = pytest.mark.django_db
D = Decimal
IDLE = reverse("funds:idle_list")


def _idle(village, clerk, *, days=40, total="1000000.00"):
    project = f.project(village, clerk, total=total)
    entry = f.fund(project, clerk, arrived_on=today() - datetime.timedelta(days=days))
    return project, entry


@pytest.fixture
def idle_a(village_a, clerk_a):
    return _idle(village_a, clerk_a)


@pytest.fixture
def receiver(village_b, clerk_b):
    return f.project(village_b, clerk_b, total="500000.00")


def _rows(response) -> str:
    return response.content.decode()


def test_the_bureau_sees_idle_money_with_its_markers(client, bureau, idle_a, village_a, clerk_a):
    _project, entry = idle_a
    paid, paid_entry = _idle(village_a, clerk_a)
    f.pay(paid, clerk_a, "100000.00")
    _recent, recent_entry = _idle(village_a, clerk_a, days=20)
    client.force_login(bureau)
    html = _rows(client.get(IDLE))
    assert html.count('data-testid="idle-row"') == 2
    row = html.split(f'data-entry="{entry.pk}"')[1].split("</tr>")[0]
    assert 'data-flag="FND-7"' in row and 'data-flag="FND-NO-PAYMENT"' in row
    assert "1,000,000.00" in row
    paid_row = html.split(f'data-entry="{paid_entry.pk}"')[1].split("</tr>")[0]
    assert 'data-flag="FND-7"' in paid_row and "FND-NO-PAYMENT" not in paid_row
    assert "900,000.00" in paid_row
    assert f'data-entry="{recent_entry.pk}"' not in html
    assert reverse("funds:reallocation_new", args=[entry.pk]) in html


def test_the_township_filter_keeps_that_townships_rows(
    client, bureau, idle_a, township_a, village_b, clerk_b
):
    _project, entry = idle_a
    _other, other_entry = _idle(village_b, clerk_b)
    client.force_login(bureau)
    html = _rows(client.get(IDLE, {"township": township_a.pk}))
    assert f'data-entry="{entry.pk}"' in html
    assert f'data-entry="{other_entry.pk}"' not in html
    assert f'data-entry="{other_entry.pk}"' in _rows(client.get(IDLE))


def test_the_idle_list_runs_a_constant_number_of_queries(
    client, bureau, village_a, clerk_a, django_assert_num_queries
):
    _idle(village_a, clerk_a)
    client.force_login(bureau)
    client.get(IDLE)
    with CaptureQueriesContext(connection) as few:
        client.get(IDLE)
    for _index in range(5):
        _idle(village_a, clerk_a)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(IDLE)
    assert _rows(response).count('data-testid="idle-row"') == 6


def test_the_bureau_reallocates_from_an_idle_row(client, bureau, idle_a, receiver):
    project, entry = idle_a
    client.force_login(bureau)
    url = reverse("funds:reallocation_new", args=[entry.pk])
    assert "1,000,000.00" in _rows(client.get(url))
    response = client.post(
        url,
        {
            "to_project": receiver.pk,
            "amount": "300000.00",
            "decided_on": today().isoformat(),
            "document_number": "开乡振〔2026〕12号",
            "reason": "闲置超过一个月",
        },
    )
    assert response.status_code == 302
    decision = Reallocation.objects.get()
    assert (decision.from_project, decision.to_project, decision.amount) == (
        project,
        receiver,
        D("300000.00"),
    )
    assert ProjectFund.objects.get(project=receiver).amount == D("300000.00")
    listing = _rows(client.get(reverse("funds:reallocation_list")))
    assert "开乡振〔2026〕12号" in listing and "300,000.00" in listing


def test_a_reallocation_beyond_the_unspent_money_is_refused_and_nothing_saved(
    client, bureau, idle_a, receiver
):
    _project, entry = idle_a
    client.force_login(bureau)
    response = client.post(
        reverse("funds:reallocation_new", args=[entry.pk]),
        {
            "to_project": receiver.pk,
            "amount": "1000000.01",
            "decided_on": today().isoformat(),
            "document_number": "开乡振〔2026〕13号",
            "reason": "闲置",
        },
    )
    assert response.status_code == 200
    assert "1,000,000.00" in response.context["form"].errors["amount"][0]
    assert not Reallocation.objects.exists()


def test_leaders_and_auditors_read_but_may_not_reallocate(client, leader, auditor, idle_a):
    _project, entry = idle_a
    for user in (leader, auditor):
        client.force_login(user)
        assert client.get(IDLE).status_code == 200
        assert client.get(reverse("funds:reallocation_list")).status_code == 200
        url = reverse("funds:reallocation_new", args=[entry.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"amount": "1.00"}).status_code == 403
    assert not Reallocation.objects.exists()


def test_township_clerks_have_no_county_view_and_a_missing_entry_is_not_found(
    client, clerk_a, clerk_b, bureau, idle_a
):
    _project, entry = idle_a
    for clerk in (clerk_a, clerk_b):
        client.force_login(clerk)
        assert client.get(IDLE).status_code == 403
        assert client.get(reverse("funds:reallocation_new", args=[entry.pk])).status_code == 403
    client.force_login(bureau)
    assert client.get(reverse("funds:reallocation_new", args=[entry.pk + 999])).status_code == 404
