"""Recording a person's jobs (DOMAIN.md §6.4): create, correct, end, confirm at a visit ("still
at the same job"), carry into the next year, review an EMP-4 flag, delete a mistake. Every write
checks all the record's rules at once (``record_problems``: the import and the pages show the
same refusals), is audited, and takes the version the user saw."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields, replace
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employment.codes import Source
from employment.exceptions import EmploymentError
from employment.models import EmploymentRecord, Trainee
from employment.rules import records as rules
from kaiyuan import audit
from kaiyuan.accounts.capabilities import require
from kaiyuan.audit import changes, snapshot
from kaiyuan.common import inputs, uscc
from kaiyuan.common.dates import today
from kaiyuan.common.errors import ConcurrentUpdate
from kaiyuan.common.rules import Violation, refuse_errors
from kaiyuan.common.scoping import ensure_may_change
from monitoring.models import Member


@dataclass(frozen=True)
class JobDetails:
    """What a clerk records about one job, from a form, the API or a row of the monthly file."""

    start_date: datetime.date
    months_worked: int
    job_type: str
    batch: str
    source: str
    end_date: datetime.date | None = None
    place_category: str = ""
    place: str = ""
    employer: str = ""
    employer_uscc: str = ""
    welfare_job_type: str = ""
    post: object = None
    workshop: object = None
    monthly_wage: Decimal | None = None
    channel: str = ""
    transport_subsidy: Decimal | None = None
    transport_subsidy_paid_on: datetime.date | None = None
    note: str = ""

    @classmethod
    def of(cls, record: EmploymentRecord) -> JobDetails:
        return cls(**{f.name: getattr(record, f.name) for f in fields(cls)})

    def cleaned(self) -> JobDetails:
        strip = {
            name: (getattr(self, name) or "").strip()
            for name in ("place", "employer", "welfare_job_type", "channel", "note")
        }
        wage = self.monthly_wage
        if wage in ("", None):
            wage = None
        else:
            wage = inputs.positive_amount(wage, "monthly_wage", error=EmploymentError)
        subsidy = self.transport_subsidy
        if subsidy in ("", None):
            subsidy = None
        else:
            subsidy = inputs.positive_amount(subsidy, "transport_subsidy", error=EmploymentError)
        try:
            months = int(self.months_worked)
        except (TypeError, ValueError):
            raise EmploymentError(
                _("Enter the months worked, 0 to 12."), field="months_worked"
            ) from None
        if not 0 <= months <= 12:
            raise EmploymentError(_("Enter the months worked, 0 to 12."), field="months_worked")
        return replace(
            self,
            **strip,
            months_worked=months,
            employer_uscc=uscc.normalise(self.employer_uscc),
            monthly_wage=wage,
            transport_subsidy=subsidy,
            place_category=self.place_category or "",
        )


FIELDS = [f.name for f in fields(JobDetails)]


def trained_before(member, day: datetime.date) -> bool:
    """The person finished a skills course on or before ``day`` (EMP-TRAINING)."""
    return Trainee.objects.filter(
        member=member, completed=True, training__end_date__lte=day
    ).exists()


def transport_claimed(member, year: int, *, exclude=None) -> bool:
    claims = EmploymentRecord.objects.filter(
        member=member, year=year, transport_subsidy__isnull=False
    )
    if exclude is not None:
        claims = claims.exclude(pk=exclude.pk)
    return claims.exists()


def record_problems(member, details: JobDetails, *, existing=None) -> list[Violation]:
    """Every rule a job breaks (errors and flags), for a new record or a change of ``existing``;
    ``details`` already cleaned."""
    problems = []
    if existing is None:
        problems += rules.population_problems(member)
    problems += rules.period_problems(
        start=details.start_date,
        end=details.end_date,
        months=details.months_worked,
        today=today(),
    )
    problems += rules.place_problems(
        months=details.months_worked,
        place_category=details.place_category,
        place=details.place,
    )
    problems += rules.job_problems(
        job_type=details.job_type,
        welfare_job_type=details.welfare_job_type,
        post=details.post,
        workshop=details.workshop,
    )
    problems += rules.employer_problems(employer_uscc=details.employer_uscc)
    problems += rules.batch_problems(
        batch=details.batch,
        trained_before_start=trained_before(member, details.start_date),
    )
    problems += rules.transport_problems(
        amount=details.transport_subsidy,
        place_category=details.place_category,
        already_claimed=details.transport_subsidy is not None
        and transport_claimed(member, details.start_date.year, exclude=existing),
    )
    problems += rules.labour_flags(
        labour_skill=member.labour_skill,
        place_category=details.place_category,
        months=details.months_worked,
    )
    return problems


def _lock_member(member) -> Member:
    # One writer per person at a time: the yearly transport subsidy is checked across records.
    return Member.objects.select_related("household").select_for_update().get(pk=member.pk)


def _locked_record(record, expected_version) -> EmploymentRecord:
    locked = (
        EmploymentRecord.objects.select_related("member__household__area")
        .select_for_update()
        .get(pk=record.pk)
    )
    if expected_version is not None and locked.version != int(expected_version):
        raise ConcurrentUpdate(
            _("Someone else changed this job record since you opened it. Reload the page.")
        )
    return locked


@transaction.atomic
def record_create(*, member, details: JobDetails, actor, verified: bool = True):
    """Record a job. ``verified``: the clerk checked it now (verified by them, today)."""
    require(actor, "employment.record")
    ensure_may_change(actor, member)
    member = _lock_member(member)
    details = details.cleaned()
    flags = refuse_errors(record_problems(member, details))
    job = EmploymentRecord(
        member=member,
        year=details.start_date.year,
        recorded_by=actor,
        **{name: getattr(details, name) for name in FIELDS},
    )
    if verified:
        job.verified_by, job.verified_on = actor, today()
    job.save()
    audit.record(
        member.household,
        action="employment_record",
        actor=actor,
        data={
            "member": member.pk,
            "record": job.pk,
            "year": job.year,
            "job_type": job.job_type,
            "flags": [v.rule for v in flags],
        },
    )
    return job


@transaction.atomic
def record_change(*, record, details: JobDetails, expected_version, actor):
    require(actor, "employment.record")
    ensure_may_change(actor, record)
    _lock_member(record.member)
    locked = _locked_record(record, expected_version)
    details = details.cleaned()
    if details.start_date.year != locked.year:
        raise EmploymentError(
            _("A record stays in its year (%(year)s); record another year as a new job.")
            % {"year": locked.year},
            field="start_date",
        )
    refuse_errors(record_problems(locked.member, details, existing=locked))
    before = snapshot(locked, FIELDS)
    for name in FIELDS:
        setattr(locked, name, getattr(details, name))
    locked.version += 1
    locked.save()
    audit.record(
        locked.member.household,
        action="employment_change",
        actor=actor,
        data={"member": locked.member_id, "record": locked.pk, "changes": changes(before, locked)},
    )
    return locked


@transaction.atomic
def record_end(*, record, end_date: datetime.date, months_worked, expected_version, actor):
    """The person left the job: its last day and the months worked in the end."""
    require(actor, "employment.record")
    ensure_may_change(actor, record)
    locked = _locked_record(record, expected_version)
    if locked.end_date is not None:
        raise EmploymentError(_("This job has already ended."))
    details = replace(JobDetails.of(locked), end_date=end_date, months_worked=months_worked)
    return record_change(
        record=locked, details=details, expected_version=locked.version, actor=actor
    )


def _spanned_to(job: EmploymentRecord, day: datetime.date) -> int:
    last = min(day, job.end_date) if job.end_date else day
    return max(rules.months_spanned(job.start_date, last), 0)


@transaction.atomic
def record_carry_over(*, record, year: int, actor) -> EmploymentRecord:
    """The job goes on into ``year``: this year's record ends on 31 December, and the same job
    starts the new year on 1 January with a month worked."""
    require(actor, "employment.record")
    ensure_may_change(actor, record)
    locked = _locked_record(record, None)
    if year != locked.year + 1:
        raise EmploymentError(_("A job is carried into the year after its own."))
    if locked.end_date is not None and locked.end_date < datetime.date(locked.year, 12, 31):
        raise EmploymentError(_("This job ended before the year did."))
    if locked.end_date is None:
        locked.end_date = datetime.date(locked.year, 12, 31)
        locked.version += 1
        locked.save(update_fields=["end_date", "version"])
    details = replace(
        JobDetails.of(locked),
        start_date=datetime.date(year, 1, 1),
        end_date=None,
        months_worked=1,
        transport_subsidy=None,
        transport_subsidy_paid_on=None,
    )
    return record_create(member=locked.member, details=details, actor=actor)


def record_confirm(
    *, record, on: datetime.date, actor, source: str = Source.VISIT
) -> EmploymentRecord:
    """ "Still at the same job" (a visit, or the monthly file unchanged): verified by the actor
    on ``on``, the months worked brought up to the months since it began. A job of last year
    is first carried into this one."""
    return records_confirm(confirmations=[(record, on, source)], actor=actor)[0]


CONFIRMED_FIELDS = ["months_worked", "verified_by", "verified_on", "source", "version"]


@transaction.atomic
def records_confirm(*, confirmations, actor) -> list[EmploymentRecord]:
    """``record_confirm`` for many jobs at once (``(record, on, source)`` each): the rows are
    locked in one query, written with one UPDATE per thousand and audited in bulk, so the
    monthly file of a county confirms ten thousand jobs in seconds. Any refusal refuses all."""
    require(actor, "employment.record")
    planned = []
    for record, on, source in confirmations:
        ensure_may_change(actor, record)
        on = inputs.not_future(on, "on", error=EmploymentError)
        if on.year > record.year:
            record = record_carry_over(record=record, year=on.year, actor=actor)
        planned.append((record.pk, on, source))
    locked = (
        EmploymentRecord.objects.select_related("member__household__area")
        .select_for_update(of=("self",))
        .in_bulk([pk for pk, _on, _source in planned])
    )
    confirmed = []
    for pk, on, source in planned:
        job = locked[pk]
        if job.end_date is not None and job.end_date < on:
            raise EmploymentError(_("This job has ended; record the person's new job instead."))
        job.months_worked = max(job.months_worked, min(_spanned_to(job, on), 12))
        job.verified_by, job.verified_on, job.source = actor, on, source
        job.version += 1
        confirmed.append((job, on))
    EmploymentRecord.objects.bulk_update(
        [job for job, _on in confirmed], CONFIRMED_FIELDS, batch_size=1000
    )
    audit.record_many(
        [
            (
                job.member.household,
                {"member": job.member_id, "record": job.pk, "on": on.isoformat()},
            )
            for job, on in confirmed
        ],
        action="employment_confirm",
        actor=actor,
    )
    return [job for job, _on in confirmed]


@transaction.atomic
def record_review(*, record, note: str, expected_version, actor) -> EmploymentRecord:
    """The township or county looked at an EMP-4 flag: the person does work (the labour
    category may be corrected on the member's page), with a note of what was checked."""
    require(actor, "employment.review")
    ensure_may_change(actor, record)
    locked = _locked_record(record, expected_version)
    note = (note or "").strip()
    if not note:
        raise EmploymentError(_("Say what was checked."), field="note")
    locked.reviewed_by, locked.reviewed_at, locked.review_note = actor, timezone.now(), note
    locked.version += 1
    locked.save(update_fields=["reviewed_by", "reviewed_at", "review_note", "version"])
    audit.record(
        locked.member.household,
        action="employment_review",
        actor=actor,
        note=note,
        data={"member": locked.member_id, "record": locked.pk},
    )
    return locked


@transaction.atomic
def record_delete(*, record, reason: str, expected_version, actor) -> None:
    """A record entered by mistake; a public-welfare post's job goes with its post."""
    require(actor, "employment.record")
    ensure_may_change(actor, record)
    locked = _locked_record(record, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise EmploymentError(_("Give the reason for deleting the record."), field="reason")
    if locked.post_id is not None:
        raise EmploymentError(_("This job is a public-welfare post's; change the post instead."))
    household = locked.member.household
    data = {"member": locked.member_id, "record": locked.pk, **snapshot(locked, FIELDS)}
    locked.delete()
    audit.record(household, action="employment_delete", actor=actor, note=reason, data=data)
