"""The API keeps the contract its schema states: schemathesis generates requests for every
operation (a few examples each) as a township clerk and as the bureau, and fails on any 5xx, any
status code the schema does not document, and any body or content type that contradicts it.

The requests go to the Django WSGI application in-process, inside the test's transaction."""

from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kaiyuan.accounts.services import api_token_issue
from kaiyuan.common import dates
from kaiyuan.jobs.models import Job
from monitoring.models import Visit
from projects.models import Project, ProjectBeneficiary
from tests.monitoring.factories import make_household, make_member
from tests.projects.factories import new_project, people_for, walk

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 6  # per operation and user: the whole run stays near a minute


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, with the per-request connection clean-up off: it would close the
    connection that holds the test's transaction (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def cast(village_a, grid_a, clerk_a, bureau, grid_worker_a, clock):
    """A household of township A with a member, a visit and a finished job per user, so that
    list and detail operations have something to answer with."""
    household = make_household(village_a, grid=grid_a)
    make_member(household, birth_date=datetime.date(2001, 4, 2))
    Visit.objects.create(
        household=household,
        area=household.area,
        visitor=clerk_a,
        level=Visit.Level.TOWNSHIP,
        visited_on=dates.today(),
        method=Visit.Method.ON_SITE,
        child_out_of_school=False,
        housing_unsafe=False,
        member_uninsured=False,
        water_unsafe=False,
    )
    for user in (clerk_a, bureau):
        Job.objects.create(kind="export", status=Job.Status.DONE, area=user.area, created_by=user)
    # A project with its publicity, announcement, progress and acceptance, one beneficiary, and
    # a draft beside it, so that the project library's details answer with something.
    people = people_for(village_a)
    accepted = walk(new_project([village_a], people), Project.Status.ACCEPTED, people, clock)
    ProjectBeneficiary.objects.create(project=accepted, household=household, role="受益")
    new_project([village_a], people)
    return household


@pytest.mark.parametrize("role", ["clerk_a", "bureau"])
def test_the_api_keeps_its_schema(request, wsgi_app, cast, role):
    user = request.getfixturevalue(role)
    _token, secret = api_token_issue(user=user)
    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, headers=headers)
    failures = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    for operation in operations:

        @given(
            case=st.one_of(
                operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
            )
        )
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # FailureGroup is a BaseExceptionGroup; report them all
            failures[operation.label] = f"{type(exc).__name__}: {exc}"[:2000]
    assert not failures, "\n\n".join(f"{label}: {text}" for label, text in failures.items())
