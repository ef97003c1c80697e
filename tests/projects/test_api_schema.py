"""The project library's answers, on real records, keep the schema the API publishes (the
contract test's random ids rarely hit a record, so the details and the steps' answers are
checked here with ids that exist)."""

from __future__ import annotations

import pytest
import schemathesis

from kaiyuan.accounts.services import api_token_issue
from projects.models import Acceptance, Project, ProjectBeneficiary
from tests.kaiyuan.test_api_contract import CHECKS, wsgi_app  # noqa: F401  (a fixture)
from tests.monitoring.factories import make_household
from tests.projects.api_calls import proposal_body
from tests.projects.factories import new_project, people_for, walk

pytestmark = pytest.mark.django_db


def test_the_answers_on_real_records_keep_the_schema(wsgi_app, village_a, village_a2, clock):  # noqa: F811
    people = people_for(village_a)
    accepted = walk(new_project([village_a], people), Project.Status.ACCEPTED, people, clock)
    beneficiary = ProjectBeneficiary.objects.create(
        project=accepted, household=make_household(village_a), role="受益"
    )
    draft = new_project([village_a], people)
    record = accepted.publicity_records.filter(announcement__isnull=True).first()
    _token, secret = api_token_issue(user=people.township)
    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, headers=headers)

    def call(method, path, expect, *, body=None, **path_parameters):
        operation = schema[path][method]
        kwargs = {"path_parameters": path_parameters} if path_parameters else {}
        if body is not None:
            kwargs.update(body=body, media_type="application/json")
        case = operation.Case(**kwargs)
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        assert response.status_code == expect, (path, response.text[:500])
        return response.json() if response.content else None

    call("GET", "/api/v1/projects/", 200)
    call("GET", "/api/v1/projects/{id}/", 200, id=accepted.pk)
    call("GET", "/api/v1/publicity-records/", 200)
    call("GET", "/api/v1/publicity-records/{id}/", 200, id=record.pk)
    call("GET", "/api/v1/project-beneficiaries/{id}/", 200, id=beneficiary.pk)
    call("GET", "/api/v1/progress-reports/", 200)
    call("GET", "/api/v1/acceptances/{id}/", 200, id=Acceptance.objects.get().pk)
    call("GET", "/api/v1/announcements/", 200)

    bad = proposal_body([village_a], central_funds="1.00")
    refused = call("POST", "/api/v1/projects/", 400, body=bad)
    assert refused["violations"]
    made = call("POST", "/api/v1/projects/", 201, body=proposal_body([village_a]))
    patched = call(
        "PATCH", "/api/v1/projects/{id}/", 200, body={"version": 1, "name": "改名"}, id=made["id"]
    )
    assert patched["version"] == 2
    submit = "/api/v1/projects/{id}/submit/"
    assert call("POST", submit, 200, body={"version": 1}, id=draft.pk)["status"] == "proposed"
    stale = call("POST", submit, 409, body={"version": 1}, id=draft.pk)
    assert stale["code"] == "concurrent_update"
