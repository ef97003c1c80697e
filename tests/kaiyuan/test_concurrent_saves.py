"""Two people saving one household at the same instant: one save wins (200), the other is told
someone else saved first (409), on PostgreSQL and on the embedded SQLite alike; never a 500. Two
saves of different households both succeed, and a save that finds SQLite locked is a 409."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connections
from django.test import Client

from monitoring.codes import HouseholdType
from monitoring.models import Household
from tests.monitoring.factories import make_household

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db(transaction=True)]

PAIRS = 6


def _patch_at_once(url: str, bodies: list[dict], clients: list[Client]) -> list[int]:
    return _patch_each_at_once(
        [(url, body, client) for body, client in zip(bodies, clients, strict=True)]
    )


def _patch_each_at_once(requests: list[tuple[str, dict, Client]]) -> list[int]:
    """Each client PATCHes from its own thread (its own database connection); a barrier lets
    them go at the same moment."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = [0] * len(requests)
    errors: list[BaseException] = []

    def save(index: int) -> None:
        url, body, client = requests[index]
        try:
            barrier.wait(timeout=10)
            response = client.patch(url, json.dumps(body), content_type="application/json")
            statuses[index] = response.status_code
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return statuses


def test_simultaneous_saves_of_one_household_give_one_200_and_one_409(clerk_a, village_a):
    household = make_household(village_a)
    initial_version = household.version
    url = f"/api/v1/households/{household.pk}/"
    clients = []
    for _ in range(2):
        client = Client(raise_request_exception=False)
        client.force_login(clerk_a)
        clients.append(client)
    answers = []
    for pair in range(PAIRS):
        version = Household.objects.get(pk=household.pk).version
        bodies = [
            {"version": version, "phone": f"1391111{pair:02d}{n}0"} for n in range(len(clients))
        ]
        answers.append(sorted(_patch_at_once(url, bodies, clients)))
    assert answers == [[200, 409]] * PAIRS
    household.refresh_from_db()
    assert household.version == initial_version + PAIRS


def test_simultaneous_saves_of_two_households_both_succeed(clerk_a, village_a):
    """No conflict, no refusal: on SQLite the second writer waits for the first (IMMEDIATE
    transactions and a busy timeout) instead of failing on the lock."""
    households = [make_household(village_a), make_household(village_a)]
    clients = []
    for _ in households:
        client = Client(raise_request_exception=False)
        client.force_login(clerk_a)
        clients.append(client)
    answers = []
    for pair in range(PAIRS):
        for household in households:
            household.refresh_from_db()
        requests = [
            (
                f"/api/v1/households/{h.pk}/",
                {"version": h.version, "phone": f"13922220{pair}{n}0"},
                c,
            )
            for n, (h, c) in enumerate(zip(households, clients, strict=True))
        ]
        answers.append(_patch_each_at_once(requests))
    assert answers == [[200, 200]] * PAIRS


def _edit_form(household) -> dict:
    return {
        "household_type": HouseholdType.EXITED,
        "household_size": 1,
        "version": household.version,
        "phone": "13900000001",
    }


def _hold_the_write_lock():
    """Another process writing: a second connection to the SQLite file holds its write lock."""
    import sqlite3

    other = sqlite3.connect(connections["default"].settings_dict["NAME"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_save_that_finds_the_database_locked_answers_409_in_the_api(clerk_a, village_a):
    """Should SQLite still be busy past its timeout (a long background job), the API gives the
    conflict answer of a simultaneous save, not a 500."""
    from django.db import connection

    from kaiyuan.accounts.services import api_token_issue

    if connection.vendor != "sqlite":
        pytest.skip("a lock past the busy timeout exists on SQLite only")
    household = make_household(village_a)
    _token, secret = api_token_issue(user=clerk_a)  # no session: nothing else writes then
    connection.ensure_connection()
    connection.connection.execute("PRAGMA busy_timeout = 50")
    other = _hold_the_write_lock()
    try:
        response = Client(raise_request_exception=False).patch(
            f"/api/v1/households/{household.pk}/",
            json.dumps({"version": household.version, "phone": "13911112222"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
    finally:
        other.rollback()
        other.close()
        connection.close()
    assert response.status_code == 409, response.content.decode()
    assert response.json()["code"] == "concurrent_update"
    assert "同时" in response.json()["detail"]


def test_a_page_whose_save_finds_the_database_locked_answers_409(
    client, clerk_a, village_a, monkeypatch
):
    from django.db import OperationalError

    from monitoring.services import households

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(households, "household_update", locked)
    household = make_household(village_a)
    client.force_login(clerk_a)
    response = client.post(
        f"/monitoring/households/{household.pk}/edit/",
        _edit_form(household),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "同时" in page
    assert "重新加载" in page or "刷新" in page


def test_other_database_errors_are_not_taken_for_a_conflict(
    client, clerk_a, village_a, monkeypatch
):
    from django.db import OperationalError

    from monitoring.services import households

    def broken(**kwargs):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(households, "household_update", broken)
    household = make_household(village_a)
    client.force_login(clerk_a)
    client.raise_request_exception = False
    response = client.post(
        f"/monitoring/households/{household.pk}/edit/",
        _edit_form(household),
    )
    assert response.status_code == 500


def test_the_embedded_database_writes_ahead_and_begins_writes_at_once():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000
    assert connection.transaction_mode == "IMMEDIATE"
