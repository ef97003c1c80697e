"""The same visit submitted twice at once created 3 visits and 3 open risk leads. A submission
now carries its key (the form's hidden field, or the API's Idempotency-Key), and the second of
two submissions of one visit returns the first instead of recording a copy."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from kaiyuan.common.dates import today
from monitoring.models import RiskLead, Visit
from monitoring.services.visits import visit_record
from tests.monitoring.factories import make_household

ANSWERS = dict(
    child_out_of_school=False, housing_unsafe=False, member_uninsured=False, water_unsafe=False
)


def _visit(household, actor, key):
    return visit_record(
        household=household,
        actor=actor,
        visited_on=today(),
        method=Visit.Method.ON_SITE,
        new_risk=True,
        risk_note="户主突发重病住院",
        submission_key=key,
        **ANSWERS,
    )


@pytest.mark.django_db(transaction=True)
def test_three_simultaneous_submissions_of_one_visit_record_one_visit_and_one_lead(
    reference_data, village_a, grid_a, grid_worker_a
):
    household = make_household(village_a, grid=grid_a)
    key = uuid.uuid4()
    barrier = threading.Barrier(3)
    visits, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            visits.append(_visit(household, grid_worker_a, key).pk)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(set(visits)) == 1 and len(visits) == 3
    assert Visit.objects.filter(household=household).count() == 1
    assert RiskLead.objects.filter(household=household).count() == 1


@pytest.mark.django_db
def test_the_form_sent_twice_records_one_visit(client, village_a, grid_a, grid_worker_a):
    household = make_household(village_a, grid=grid_a)
    client.force_login(grid_worker_a)
    url = reverse("monitoring:visit_record", args=[household.pk])
    page = client.get(url).content.decode()
    key = page.split('name="submission_key" value="')[1].split('"')[0]
    form = {
        "submission_key": key,
        "visited_on": today().isoformat(),
        "method": Visit.Method.ON_SITE,
        "child_out_of_school": "false",
        "housing_unsafe": "false",
        "member_uninsured": "false",
        "water_unsafe": "false",
        "income_change": Visit.IncomeChange.NONE,
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # the retry of a weak connection
    assert Visit.objects.filter(household=household).count() == 1
    # A new form is a new visit.
    fresh = client.get(url).content.decode().split('name="submission_key" value="')[1][:36]
    assert fresh != key


@pytest.mark.django_db
def test_the_api_honours_the_idempotency_key(client, village_a, grid_a, grid_worker_a):
    household = make_household(village_a, grid=grid_a)
    client.force_login(grid_worker_a)
    body = {
        "household": household.pk,
        "visited_on": today().isoformat(),
        "method": Visit.Method.ON_SITE,
        **ANSWERS,
    }
    key = str(uuid.uuid4())
    first = client.post(
        "/api/v1/visits/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )
    again = client.post(
        "/api/v1/visits/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Visit.objects.filter(household=household).count() == 1
    bad = client.post(
        "/api/v1/visits/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="x"
    )
    assert bad.status_code == 400
