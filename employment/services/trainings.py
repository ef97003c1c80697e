"""Recording skills courses and the people trained in them, with their certificates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields, replace

from django.db import transaction
from django.utils.translation import gettext as _

from employment.codes import Certificate, CourseType
from employment.exceptions import EmploymentError
from employment.models import Trainee, Training
from employment.rules import trainings as rules
from kaiyuan import audit
from kaiyuan.accounts.capabilities import require
from kaiyuan.audit import changes, snapshot
from kaiyuan.common.errors import ConcurrentUpdate
from kaiyuan.common.rules import refuse_errors
from kaiyuan.common.scoping import ensure_may_change


@dataclass(frozen=True)
class CourseDetails:
    course: str
    course_type: str
    organiser: str
    start_date: datetime.date
    end_date: datetime.date
    place: str = ""
    hours: int | None = None

    def cleaned(self) -> CourseDetails:
        text = {n: (getattr(self, n) or "").strip() for n in ("course", "organiser", "place")}
        if not text["course"]:
            raise EmploymentError(_("Enter the course."), field="course")
        if not text["organiser"]:
            raise EmploymentError(_("Enter who organises it."), field="organiser")
        if self.course_type not in CourseType.values:
            raise EmploymentError(_("Choose the course type."), field="course_type")
        if self.end_date < self.start_date:
            raise EmploymentError(
                _("A course ends on or after the day it starts."), field="end_date"
            )
        return replace(self, **text)


FIELDS = [f.name for f in fields(CourseDetails)]


@transaction.atomic
def training_create(*, area, details: CourseDetails, actor) -> Training:
    require(actor, "employment.training")
    ensure_may_change(actor, area)
    details = details.cleaned()
    training = Training.objects.create(
        area=area, created_by=actor, **{n: getattr(details, n) for n in FIELDS}
    )
    audit.record(training, action="create", actor=actor, data={"course": training.course})
    return training


@transaction.atomic
def training_change(*, training, details: CourseDetails, expected_version, actor) -> Training:
    require(actor, "employment.training")
    ensure_may_change(actor, training)
    locked = Training.objects.select_for_update().get(pk=training.pk)
    if locked.version != int(expected_version):
        raise ConcurrentUpdate(
            _("Someone else changed this course since you opened it. Reload the page.")
        )
    details = details.cleaned()
    before = snapshot(locked, FIELDS)
    for name in FIELDS:
        setattr(locked, name, getattr(details, name))
    locked.version += 1
    locked.save()
    audit.record(locked, action="change", actor=actor, data={"changes": changes(before, locked)})
    return locked


def _certificate(completed: bool, certificate: str, number: str):
    certificate = certificate or ""
    if certificate not in Certificate.values:
        raise EmploymentError(_("Choose the kind of certificate."), field="certificate")
    number = (number or "").strip()
    refuse_errors(
        rules.certificate_problems(completed=completed, certificate=certificate, number=number)
    )
    return certificate, number


@transaction.atomic
def trainee_add(
    *, training, member, completed: bool = True, certificate: str = "", number: str = "", actor
) -> Trainee:
    """Put a person on a course. The course's area records it; the person may come from any
    village of that area."""
    require(actor, "employment.training")
    ensure_may_change(actor, training)
    if not member.household.area.path.startswith(training.area.path):
        raise EmploymentError(
            _("%(name)s does not live in the area the course is for.") % {"name": member.name},
            field="member",
        )
    Training.objects.select_for_update().get(pk=training.pk)
    already = Trainee.objects.filter(training=training, member=member).exists()
    refuse_errors(rules.trainee_problems(training=training, member=member, already_in=already))
    certificate, number = _certificate(completed, certificate, number)
    trainee = Trainee.objects.create(
        training=training,
        member=member,
        completed=completed,
        certificate=certificate,
        certificate_number=number,
        added_by=actor,
    )
    audit.record(
        training,
        action="trainee_add",
        actor=actor,
        data={"member": member.pk, "certificate": certificate},
    )
    return trainee


@transaction.atomic
def trainee_change(*, trainee, completed: bool, certificate: str, number: str, actor) -> Trainee:
    require(actor, "employment.training")
    ensure_may_change(actor, trainee.training)
    locked = Trainee.objects.select_for_update().get(pk=trainee.pk)
    certificate, number = _certificate(completed, certificate, number)
    before = snapshot(locked, ["completed", "certificate", "certificate_number"])
    locked.completed, locked.certificate, locked.certificate_number = completed, certificate, number
    locked.save(update_fields=["completed", "certificate", "certificate_number"])
    audit.record(
        locked.training,
        action="change",
        actor=actor,
        data={"member": locked.member_id, "changes": changes(before, locked)},
    )
    return locked


@transaction.atomic
def trainee_remove(*, trainee, reason: str, actor) -> None:
    require(actor, "employment.training")
    ensure_may_change(actor, trainee.training)
    reason = (reason or "").strip()
    if not reason:
        raise EmploymentError(_("Give the reason."), field="reason")
    training, member_id = trainee.training, trainee.member_id
    trainee.delete()
    audit.record(
        training, action="trainee_remove", actor=actor, note=reason, data={"member": member_id}
    )
