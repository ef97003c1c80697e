"""Recording a job (DOMAIN.md §6.4, §6.5): for a person the target counts (EMP-1), in one year,
with a place exactly when months are worked (EMP-5), under one of the seven batches (EMP-7),
"after training" only after a course (EMP-TRAINING); a person without labour ability recorded as
working is flagged for review (EMP-4), and the transport subsidy is for workers outside the
province, once a year (EMP-TRANSPORT)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from employment.codes import Batch, JobType, PlaceCategory
from employment.rules.counts import EMP_1, in_population
from kaiyuan.common import uscc
from kaiyuan.common.rules import FLAG, Rule, Violation
from monitoring.codes import NO_LABOUR, LabourSkill

EMP_4 = Rule(
    "EMP-4",
    _(
        "A person without labour ability recorded as working, or with weak labour working "
        "outside the province, is checked by the township."
    ),
    FLAG,
)
EMP_5 = Rule(
    "EMP-5",
    _("A place of work is recorded exactly when months are worked."),
)
EMP_7 = Rule("EMP-7", _("Each job is counted under exactly one of the seven batches."))
EMP_PERIOD = Rule(
    "EMP-PERIOD",
    _("A job lies within one year, has begun, and its months worked fit in its period."),
)
EMP_JOB = Rule(
    "EMP-JOB",
    _("A public-welfare job names its post type; a workshop job names its workshop."),
)
EMP_TRAINING = Rule(
    "EMP-TRAINING",
    _("A job is counted after skills training only when the person finished a course first."),
)
EMP_TRANSPORT = Rule(
    "EMP-TRANSPORT",
    _("The one-off transport subsidy is for a worker outside the province, once a year."),
)


def months_spanned(start: datetime.date, end: datetime.date) -> int:
    """The calendar months [start, end] touches: 31 January to 1 February is two."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def population_problems(member) -> list[Violation]:
    if member.status != "active":
        return [
            EMP_1.violation(
                "member",
                _("%(name)s is no longer a member of the household.") % {"name": member.name},
            )
        ]
    if not in_population(member.household):
        return [
            EMP_1.violation(
                "member",
                _(
                    "%(name)s's household is neither a 脱贫户 nor a monitored household; the "
                    "target does not count them."
                )
                % {"name": member.name},
            )
        ]
    return []


def period_problems(
    *, start: datetime.date, end: datetime.date | None, months: int, today: datetime.date
) -> list[Violation]:
    problems = []
    if start > today:
        problems.append(EMP_PERIOD.violation("start_date", _("Record a job once it has begun.")))
    if end is not None and end < start:
        problems.append(
            EMP_PERIOD.violation("end_date", _("A job ends on or after the day it starts."))
        )
    elif end is not None and end.year != start.year:
        problems.append(
            EMP_PERIOD.violation(
                "end_date",
                _(
                    "A record covers one year: end this one on 31 December and record %(year)s "
                    "as a new one."
                )
                % {"year": start.year + 1},
            )
        )
    else:
        limit = months_spanned(start, end or datetime.date(start.year, 12, 31))
        if months > limit:
            problems.append(
                EMP_PERIOD.violation(
                    "months_worked",
                    _("From %(start)s to %(end)s there are at most %(limit)s months of work.")
                    % {
                        "start": f"{start:%Y-%m-%d}",
                        "end": f"{end:%Y-%m-%d}" if end else _("the end of the year"),
                        "limit": limit,
                    },
                )
            )
    return problems


def place_problems(*, months: int, place_category: str, place: str) -> list[Violation]:
    """EMP-5, the record's form of the member rule MON-DQ-6: 务工所在地 ⇔ 务工时间 > 0."""
    has_place = bool(place_category or (place or "").strip())
    if months > 0 and not (place_category and (place or "").strip()):
        return [
            EMP_5.violation(
                "place" if place_category else "place_category",
                _("Months are worked: give the place category and the place of work."),
            )
        ]
    if months == 0 and has_place:
        return [
            EMP_5.violation(
                "months_worked",
                _("A place of work is given: enter the months worked (at least 1)."),
            )
        ]
    return []


def job_problems(*, job_type: str, welfare_job_type: str, post, workshop) -> list[Violation]:
    problems = []
    if job_type == JobType.WELFARE_POST and not welfare_job_type:
        problems.append(
            EMP_JOB.violation("welfare_job_type", _("Choose the public-welfare job type."))
        )
    if job_type != JobType.WELFARE_POST and (welfare_job_type or post is not None):
        problems.append(
            EMP_JOB.violation(
                "welfare_job_type", _("Only a public-welfare job has a post type or a post.")
            )
        )
    if job_type == JobType.WORKSHOP and workshop is None:
        problems.append(EMP_JOB.violation("workshop", _("Choose the workshop.")))
    if job_type != JobType.WORKSHOP and workshop is not None:
        problems.append(EMP_JOB.violation("workshop", _("Only a workshop job names a workshop.")))
    return problems


def employer_problems(*, employer_uscc: str) -> list[Violation]:
    return [v for v in uscc.uscc_problems(employer_uscc, field="employer_uscc") if v.is_error]


def batch_problems(*, batch: str, trained_before_start: bool) -> list[Violation]:
    """EMP-7 and EMP-TRAINING; ``trained_before_start``: the person finished a course on or
    before the job's first day (``selectors.trainings.trained_before``)."""
    if batch not in Batch.values:
        return [EMP_7.violation("batch", _("Choose the one batch this job is counted under."))]
    if batch == Batch.TRAINING and not trained_before_start:
        return [
            EMP_TRAINING.violation(
                "batch",
                _(
                    "No finished skills course of this person before the job began is recorded; "
                    "record the training first, or choose another batch."
                ),
            )
        ]
    return []


def transport_problems(*, amount, place_category: str, already_claimed: bool) -> list[Violation]:
    if amount is None:
        return []
    if place_category != PlaceCategory.OUT_OF_PROVINCE:
        return [
            EMP_TRANSPORT.violation(
                "transport_subsidy",
                _("The transport subsidy is only for work outside the province."),
            )
        ]
    if already_claimed:
        return [
            EMP_TRANSPORT.violation(
                "transport_subsidy",
                _("This person has had the one-off transport subsidy this year."),
            )
        ]
    return []


def labour_flags(*, labour_skill: str, place_category: str, months: int) -> list[Violation]:
    """EMP-4: the national public check 2_01_015."""
    if months <= 0:
        return []
    if labour_skill in NO_LABOUR:
        return [
            EMP_4.violation(
                "member",
                _("The person is registered as %(skill)s but recorded as working; check both.")
                % {"skill": labour_skill},
            )
        ]
    if labour_skill == LabourSkill.WEAK and place_category == PlaceCategory.OUT_OF_PROVINCE:
        return [
            EMP_4.violation(
                "place_category",
                _("The person has weak or half labour and works outside the province; check it."),
            )
        ]
    return []


def labour_flag_q() -> Q:
    """The queryset form of ``labour_flags`` for records not yet reviewed."""
    return Q(months_worked__gt=0, reviewed_at__isnull=True) & (
        Q(member__labour_skill__in=NO_LABOUR)
        | Q(
            member__labour_skill=LabourSkill.WEAK,
            place_category=PlaceCategory.OUT_OF_PROVINCE,
        )
    )
