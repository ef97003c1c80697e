"""Calls of the project library's API for tests: a proposal as the API takes it, and a step as a
POST sub-resource of the project, by a given user."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from kaiyuan.common.dates import today
from projects.codes import PublicityMedium
from tests.projects.factories import proposal

API = "/api/v1/projects/"


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def proposal_body(villages, **overrides: Any) -> dict:
    """The JSON of a whole valid proposal for ``villages`` (the factories' proposal)."""
    whole = proposal(villages)
    body = {name: _plain(value) for name, value in whole.fields.items()}
    body["villages"] = [
        {
            "village": row.village.pk,
            "share_percent": str(row.share_percent),
            "asset_share_percent": str(row.asset_share_percent),
            "duties": row.duties,
        }
        for row in whole.villages
    ]
    body["indicators"] = [
        {name: _plain(value) for name, value in vars(row).items()} for row in whole.indicators
    ]
    body.update(overrides)
    return body


def post(client, user, url: str, data: dict | None = None):
    client.force_login(user)
    return client.post(url, data or {}, content_type="application/json")


def create(client, user, villages, **overrides) -> dict:
    response = post(client, user, API, proposal_body(villages, **overrides))
    assert response.status_code == 201, response.json()
    return response.json()


def step(client, user, project: dict, name: str, expect: int = 200, **data) -> dict:
    """``POST /projects/{id}/{name}/`` with the project's version, by ``user``."""
    data.setdefault("version", project["version"])
    response = post(client, user, f"{API}{project['id']}/{name}/", data)
    assert response.status_code == expect, response.json()
    return response.json()


def publicise(client, user, project: dict, boards, clock) -> dict:
    """Each board's publicity for ten days from today, the clock past them, and the close."""
    start = today()
    for board in boards:
        project = step(
            client,
            user,
            project,
            "publicity",
            level=board,
            medium=PublicityMedium.BOARD,
            start_date=start.isoformat(),
            end_date=(start + datetime.timedelta(days=9)).isoformat(),
        )
    move_past(clock, start)
    return step(client, user, project, "publicity-close")


def move_past(clock, start: datetime.date) -> None:
    clock.move_to(datetime.datetime.combine(start + datetime.timedelta(days=10), datetime.time(10)))
