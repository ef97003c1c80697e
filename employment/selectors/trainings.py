"""Skills courses as the pages and the API read them: the courses a user sees with the trainees
of their area counted (one query), a course's trainees with whether each now holds a job counted
under "乡村振兴技能提升培训一批", and the people a course may take, found by name."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from employment.codes import Batch
from employment.models import EmploymentRecord, Trainee, Training
from employment.rules.counts import population_q
from kaiyuan.common.dates import today
from monitoring.models import Member

SEARCH_LIMIT = 50


def trainings_for(user) -> QuerySet[Training]:
    """The courses ``user`` sees (a county course from each village whose people it trained),
    each with ``trainee_count``: its trainees ``user`` sees."""
    trainees = (
        Trainee.objects.visible_to(user)
        .filter(training=OuterRef("pk"))
        .order_by()
        .values("training")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        Training.objects.visible_to(user)
        .select_related("area__parent")
        .annotate(trainee_count=Coalesce(Subquery(trainees), Value(0), output_field=IntegerField()))
    )


def trained_into_a_job_q():
    """The jobs of a trainee's person held today and counted under the training batch."""
    day = today()
    return (
        EmploymentRecord.objects.filter(member=OuterRef("member_id"), batch=Batch.TRAINING)
        .overlapping(day, day)
        .values("pk")
    )


def trainees_of(training: Training, user) -> QuerySet[Trainee]:
    """The course's trainees ``user`` sees, each with ``in_job``: the person now holds a job
    counted under "乡村振兴技能提升培训一批"."""
    return (
        Trainee.objects.visible_to(user)
        .filter(training=training)
        .select_related("member__household__area__parent")
        .annotate(in_job=Exists(trained_into_a_job_q()))
        .order_by("member__household__area__code", "member__name", "id")
    )


@dataclass(frozen=True)
class PeopleFound:
    members: list[Member]
    truncated: bool


def people_to_train(training: Training, user, query: str) -> PeopleFound:
    """Members of the 脱贫 and monitored households of the course's area that ``user`` sees,
    whose name begins with ``query`` (never searched by ID number), those already on the course
    left out; at most SEARCH_LIMIT."""
    text = (query or "").strip()
    if not text:
        return PeopleFound([], False)
    rows = list(
        Member.objects.visible_to(user)
        .active()
        .filter(
            population_q("household__"),
            household__area__path__startswith=training.area.path,
            name__startswith=text,
        )
        .exclude(trainings__training=training)
        .select_related("household__area__parent")
        .order_by("name", "household__household_number", "id")[: SEARCH_LIMIT + 1]
    )
    return PeopleFound(rows[:SEARCH_LIMIT], len(rows) > SEARCH_LIMIT)
