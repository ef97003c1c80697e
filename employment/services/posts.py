"""Public-welfare posts: create (the holder's job is recorded with it, so the post counts towards
the target as the person's employment), change, end, and pay a month (a ledger entry, corrected
by a reversal)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields, replace
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from employment.codes import Batch, JobType, PlaceCategory, PostFunding, Source
from employment.exceptions import EmploymentError
from employment.models import EmploymentRecord, PostPayment, WelfarePost
from employment.rules import posts as rules
from employment.services import records
from kaiyuan import audit
from kaiyuan.accounts.capabilities import require
from kaiyuan.audit import changes, snapshot
from kaiyuan.common import inputs
from kaiyuan.common.dates import today
from kaiyuan.common.errors import ConcurrentUpdate
from kaiyuan.common.rules import refuse_errors
from kaiyuan.common.scoping import ensure_may_change


@dataclass(frozen=True)
class PostDetails:
    post_type: str
    funding: str
    holder: object
    start_date: datetime.date
    months: int
    monthly_pay: Decimal
    end_date: datetime.date | None = None
    funding_asset: object = None
    funding_note: str = ""
    duties: str = ""

    @classmethod
    def of(cls, post: WelfarePost) -> PostDetails:
        return cls(**{f.name: getattr(post, f.name) for f in fields(cls)})

    def cleaned(self) -> PostDetails:
        if not (self.post_type or "").strip():
            raise EmploymentError(_("Choose the public-welfare job type."), field="post_type")
        if self.funding not in PostFunding.values:
            raise EmploymentError(_("Say what pays for the post."), field="funding")
        if self.funding == PostFunding.OTHER and not (self.funding_note or "").strip():
            raise EmploymentError(
                _("Name the source that pays for the post."), field="funding_note"
            )
        try:
            months = int(self.months)
        except (TypeError, ValueError):
            raise EmploymentError(_("Enter the months employed."), field="months") from None
        return replace(
            self,
            post_type=self.post_type.strip(),
            months=months,
            monthly_pay=inputs.positive_amount(
                self.monthly_pay, "monthly_pay", error=EmploymentError
            ),
            funding_note=(self.funding_note or "").strip(),
            duties=(self.duties or "").strip(),
        )


FIELDS = [f.name for f in fields(PostDetails)]


# The fields of the holder's job that the post's form calls by its own names.
JOB_FIELDS = {"months_worked": "months", "welfare_job_type": "post_type", "member": "holder"}


def post_problems(village, details: PostDetails):
    """The post's rules and those of its holder's job, each on the post's field; a field the
    post's rules already refuse is not refused twice by the job's."""
    problems = rules.post_problems(
        village=village,
        holder=details.holder,
        funding=details.funding,
        funding_asset=details.funding_asset,
        start=details.start_date,
        end=details.end_date,
        months=details.months,
    )
    try:
        job = _job_of(village, details)
    except EmploymentError:
        if any(v.is_error for v in problems):
            return problems  # the months the post's rule refuses are not a job's either
        raise
    refused = {v.field for v in problems if v.is_error}
    for violation in records.record_problems(details.holder, job, existing=None):
        violation = replace(violation, field=JOB_FIELDS.get(violation.field, violation.field))
        if not (violation.is_error and violation.field in refused):
            problems.append(violation)
    return problems


def _job_of(village, details: PostDetails, job: EmploymentRecord | None = None):
    base = records.JobDetails.of(job) if job is not None else None
    return replace(
        base
        or records.JobDetails(
            start_date=details.start_date,
            months_worked=details.months,
            job_type=JobType.WELFARE_POST,
            batch=Batch.WELFARE_POSTS,
            source=Source.EMPLOYER,
        ),
        start_date=details.start_date,
        end_date=details.end_date,
        months_worked=details.months,
        place_category=PlaceCategory.IN_COUNTY,
        place=village.full_name,
        welfare_job_type=details.post_type,
        monthly_wage=details.monthly_pay,
    ).cleaned()


@transaction.atomic
def post_create(*, village, details: PostDetails, actor) -> WelfarePost:
    require(actor, "employment.posts")
    ensure_may_change(actor, village)
    details = details.cleaned()
    refuse_errors(post_problems(village, details))
    post = WelfarePost.objects.create(
        area=village, created_by=actor, **{name: getattr(details, name) for name in FIELDS}
    )
    job = replace(_job_of(village, details), post=post)
    records.record_create(member=details.holder, details=job, actor=actor)
    audit.record(
        post,
        action="create",
        actor=actor,
        data={"holder": details.holder.pk, "post_type": post.post_type},
    )
    return post


def _locked(post, expected_version) -> WelfarePost:
    locked = WelfarePost.objects.select_for_update().select_related("area").get(pk=post.pk)
    if expected_version is not None and locked.version != int(expected_version):
        raise ConcurrentUpdate(
            _("Someone else changed this post since you opened it. Reload the page.")
        )
    return locked


@transaction.atomic
def post_change(*, post, details: PostDetails, expected_version, actor) -> WelfarePost:
    """A correction of the post; its holder's job follows it. A new holder is a new post."""
    require(actor, "employment.posts")
    ensure_may_change(actor, post)
    locked = _locked(post, expected_version)
    details = details.cleaned()
    if details.holder.pk != locked.holder_id:
        raise EmploymentError(
            _("A new holder is a new post: end this one and create another."), field="holder"
        )
    if details.start_date.year != locked.start_date.year:
        raise EmploymentError(_("A post stays in its year."), field="start_date")
    refuse_errors(
        rules.post_problems(
            village=locked.area,
            holder=details.holder,
            funding=details.funding,
            funding_asset=details.funding_asset,
            start=details.start_date,
            end=details.end_date,
            months=details.months,
        )
    )
    before = snapshot(locked, FIELDS)
    for name in FIELDS:
        setattr(locked, name, getattr(details, name))
    locked.version += 1
    locked.save()
    job = locked.records.order_by("-id").first()
    if job is not None:
        records.record_change(
            record=job,
            details=_job_of(locked.area, details, job),
            expected_version=job.version,
            actor=actor,
        )
    audit.record(locked, action="change", actor=actor, data={"changes": changes(before, locked)})
    return locked


def post_end(*, post, end_date: datetime.date, expected_version, actor) -> WelfarePost:
    """The holder leaves the post: its last day; the months employed are those it spanned."""
    details = PostDetails.of(post)
    spanned = records.rules.months_spanned(post.start_date, end_date)
    return post_change(
        post=post,
        details=replace(details, end_date=end_date, months=min(details.months, spanned)),
        expected_version=expected_version,
        actor=actor,
    )


@transaction.atomic
def post_pay(*, post, month: datetime.date, amount, paid_on: datetime.date, actor) -> PostPayment:
    require(actor, "employment.posts")
    ensure_may_change(actor, post)
    locked = _locked(post, None)
    amount = inputs.positive_amount(amount, "amount", error=EmploymentError)
    paid_on = inputs.not_future(paid_on, "paid_on", error=EmploymentError)
    month = month.replace(day=1)
    already = PostPayment.objects.filter(
        post=locked, month=month, reverses__isnull=True, reversed_by__isnull=True
    ).exists()
    refuse_errors(
        rules.payment_problems(post=locked, month=month, amount=amount, already_paid=already)
    )
    payment = PostPayment.objects.create(
        post=locked, month=month, amount=amount, paid_on=paid_on, recorded_by=actor
    )
    audit.record(
        locked,
        action="post_pay",
        actor=actor,
        data={"month": f"{month:%Y-%m}", "amount": str(amount), "payment": payment.pk},
    )
    return payment


@transaction.atomic
def post_payment_reverse(*, payment: PostPayment, reason: str, actor) -> PostPayment:
    require(actor, "employment.posts")
    ensure_may_change(actor, payment)
    reason = (reason or "").strip()
    if not reason:
        raise EmploymentError(_("Give the reason for the reversal."), field="reason")
    if payment.is_reversal or payment.is_reversed:
        raise EmploymentError(_("This payment is already reversed."))
    reversal = PostPayment.objects.create(
        post=payment.post,
        month=payment.month,
        amount=-payment.amount,
        paid_on=today(),
        reverses=payment,
        reason=reason,
        recorded_by=actor,
    )
    audit.record(
        payment.post,
        action="reverse",
        actor=actor,
        note=reason,
        data={"payment": payment.pk, "reversal": reversal.pk},
    )
    return reversal
