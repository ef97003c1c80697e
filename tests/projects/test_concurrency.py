"""Two people taking a step on one project at the same instant: one wins, the other is told the
project changed, and the project moves once (on PostgreSQL's row lock and on the embedded
SQLite's write lock alike)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from kaiyuan.accounts.roles import Role
from kaiyuan.common.errors import ConcurrentUpdate
from projects.models import Project
from projects.services import reviews
from tests.factories import UserFactory
from tests.projects.factories import new_project, people_for, walk

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db(transaction=True)]
Status = Project.Status


def _at_once(calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index):
        try:
            barrier.wait(timeout=10)
            results[index] = calls[index]()
        except BaseException as exc:  # compared by the main thread
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_township_reviews_at_once_one_passes_the_other_is_told(village_a, clock):
    people = people_for(village_a)
    second = UserFactory(
        username="second_reviewer", role=Role.TOWNSHIP_CLERK, area=village_a.parent
    )
    project = walk(new_project([village_a], people), Status.TOWNSHIP_REVIEW, people, clock)
    seen = Project.objects.get(pk=project.pk)

    def review(actor, decision):
        return lambda: reviews.township_review(
            project=Project.objects.get(pk=seen.pk),
            decision=decision,
            reason="与规划不符" if decision == "reject" else "",
            expected_version=seen.version,
            actor=actor,
        )

    results = _at_once([review(people.township, "pass"), review(second, "reject")])
    won = [r for r in results if isinstance(r, Project)]
    told = [r for r in results if isinstance(r, ConcurrentUpdate)]
    assert len(won) == 1 and len(told) == 1, results
    assert "其他人已办理" in str(told[0])
    final = Project.objects.get(pk=project.pk)
    assert final.status == won[0].status
    assert final.version == seen.version + 1
