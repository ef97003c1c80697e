"""A person's jobs (DOMAIN.md §6.4): the filtered list of the area's jobs, a new job for a
member, a job with its flags and who verified it, its correction, its end, "still at the same
job" (confirmed today), the township's or county's review of an EMP-4 flag and the deletion of a
record entered by mistake. A public-welfare post's job is changed through its post."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employment.codes import Batch, JobType, PlaceCategory
from employment.filters import RecordFilter
from employment.forms import records as forms
from employment.models import EmploymentRecord
from employment.rules.records import EMP_4
from employment.selectors.records import records_for, unreviewed_flags
from employment.services import records as services
from kaiyuan.accounts.capabilities import require, user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import add_refusal_to_form, save_with_every_error, shown_to
from kaiyuan.common.scoping import get_for_user, may_change, user_may_write
from kaiyuan.common.views import lenient_filterset
from monitoring.models import Member

RECORD_ROWS = EmploymentRecord.objects.select_related(
    "member__household__area__parent",
    "workshop",
    "post",
    "verified_by",
    "reviewed_by",
    "recorded_by",
)


def _record(user, pk: int, *, write: bool = False) -> EmploymentRecord:
    return get_for_user(RECORD_ROWS, user, write=write, pk=pk)


def _may_record(user, record: EmploymentRecord | None = None) -> bool:
    """The recording of jobs, of ``record`` (or of any person of the user's area)."""
    if not user_can(user, "employment.record") or not user_may_write(user):
        return False
    return record is None or may_change(user, record)


def _problems(member, form: forms.JobForm, record: EmploymentRecord | None = None) -> list:
    """The errors the job's rules find in what parsed of a form with errors of its own."""
    details = form.details()
    if details is None:
        return []
    try:
        details = details.cleaned()
    except DomainError:
        return []
    problems = services.record_problems(member, details, existing=record)
    return [problem for problem in problems if problem.is_error]


def _post_job(request, record: EmploymentRecord):
    """A public-welfare post's job changes with its post."""
    messages.info(request, _("This job is a public-welfare post's; change the post instead."))
    return redirect(record)


# =============================================================================================
# The list
# =============================================================================================


@capability_required("employment.use")
def record_list(request):
    """The jobs of the people of the user's area with the API's filters (``RecordFilter``), in
    a constant number of queries."""
    user = request.user
    filterset = lenient_filterset(RecordFilter, request.GET, queryset=records_for(user), user=user)
    rows = filterset.qs.order_by(
        "-year", "member__household__area__code", "member_id", "-start_date", "-id"
    )
    page = probe_page(rows, request.GET.get("page"))
    for record in page:
        record.flags = [(flag.rule, shown_to(user, flag)) for flag in unreviewed_flags(record)]
    return render(
        request,
        "employment/records/record_list.html",
        {
            "page": page,
            "pick": filterset.pick,
            "chosen": filterset.form.cleaned_data,
            "job_types": JobType.choices,
            "batches": Batch.choices,
            "places": PlaceCategory.choices,
            "query": query_without_page(request),
            "this_year": today().year,
        },
    )


# =============================================================================================
# A job
# =============================================================================================


@capability_required("employment.use")
def record_detail(request, pk: int):
    """The job, the flags its rules raise, who verified it and when, and the steps the user may
    take on it."""
    user = request.user
    record = _record(user, pk)
    problems = services.record_problems(
        record.member, services.JobDetails.of(record), existing=record
    )
    flags = [problem for problem in problems if not problem.is_error]
    may_record = _may_record(user, record)
    own = record.post_id is None
    day = today()
    context = {
        "record": record,
        "member": record.member,
        "flags": [(flag.rule, shown_to(user, flag)) for flag in flags],
        "may_edit": may_record and own,
        "may_end": may_record and own and record.end_date is None,
        "may_confirm": may_record
        and record.year in (day.year, day.year - 1)
        and (record.end_date is None or record.end_date >= day),
        "may_review": user_can(user, "employment.review")
        and user_may_write(user)
        and may_change(user, record)
        and record.needs_review
        and any(flag.rule == EMP_4.id for flag in flags),
        "may_delete": may_record and own,
    }
    return render(request, "employment/records/record_detail.html", context)


def _form_page(request, form, *, title, member, record=None, submit=None, confirm=None):
    return render(
        request,
        "employment/records/record_form.html",
        {
            "form": form,
            "title": title,
            "member": member,
            "record": record,
            "submit": submit or _("Save"),
            "confirm": confirm,
        },
        status=400 if form.errors else 200,
    )


@capability_required("employment.use")
def record_new(request, member_pk: int):
    """A job of a member of the user's area, filled in for the common case (this month, in the
    county, seen at the visit)."""
    user = request.user
    require(user, "employment.record")
    member = get_for_user(
        Member.objects.select_related("household__area__parent"), user, write=True, pk=member_pk
    )
    form = forms.JobForm(request.POST or None, user=user)
    if request.method == "POST":
        job = save_with_every_error(
            form,
            save=lambda: services.record_create(member=member, details=form.details(), actor=user),
            problems=lambda: _problems(member, form),
            user=user,
        )
        if job is not None:
            done = _("The job of %(name)s was recorded.") % {"name": member.name}
            messages.success(request, done)
            return redirect(job)
    return _form_page(
        request, form, title=_("Record a job"), member=member, submit=_("Record the job")
    )


@capability_required("employment.use")
def record_edit(request, pk: int):
    """The job corrected, saved only over the version the user opened."""
    user = request.user
    require(user, "employment.record")
    record = _record(user, pk, write=True)
    if record.post_id is not None:
        return _post_job(request, record)
    form = forms.JobForm(request.POST or None, user=user, record=record)
    if request.method == "POST":
        saved = save_with_every_error(
            form,
            save=lambda: services.record_change(
                record=record,
                details=form.details(),
                expected_version=form.cleaned_data["version"],
                actor=user,
            ),
            problems=lambda: _problems(record.member, form, record),
            user=user,
        )
        if saved is not None:
            messages.success(request, _("The job was saved."))
            return redirect(saved)
    return _form_page(
        request, form, title=_("Correct the job"), member=record.member, record=record
    )


def _record_step(request, pk: int, *, form_class, run, title, submit, capability, confirm=None):
    """One of the job's own steps (end, review, delete): a small form, one service, back to the
    job's page (or the person's household once the job is gone)."""
    user = request.user
    require(user, capability)
    record = _record(user, pk, write=True)
    if record.post_id is not None and form_class is not forms.ReviewForm:
        return _post_job(request, record)
    kwargs = {"record": record} if form_class is forms.EndForm else {}
    initial = {} if kwargs else {"version": record.version}
    form = form_class(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            done, where = run(record, form.cleaned_data, user)
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=user)
        else:
            messages.success(request, done)
            return redirect(where)
    return _form_page(
        request,
        form,
        title=title,
        member=record.member,
        record=record,
        submit=submit,
        confirm=confirm,
    )


def _end(record, data, user):
    ended = services.record_end(
        record=record,
        end_date=data["end_date"],
        months_worked=data["months_worked"],
        expected_version=data["version"],
        actor=user,
    )
    return _("The job was ended."), ended


def _review(record, data, user):
    reviewed = services.record_review(
        record=record, note=data["note"], expected_version=data["version"], actor=user
    )
    return _("The review was recorded."), reviewed


def _delete(record, data, user):
    household = reverse("monitoring:household_detail", args=[record.member.household_id])
    services.record_delete(
        record=record, reason=data["reason"], expected_version=data["version"], actor=user
    )
    return _("The job record was deleted."), household


@capability_required("employment.use")
def record_end(request, pk: int):
    return _record_step(
        request,
        pk,
        form_class=forms.EndForm,
        run=_end,
        title=_("The person left the job"),
        submit=_("End the job"),
        capability="employment.record",
    )


@capability_required("employment.use")
def record_review(request, pk: int):
    return _record_step(
        request,
        pk,
        form_class=forms.ReviewForm,
        run=_review,
        title=_("Review a person working without labour ability"),
        submit=_("Record the review"),
        capability="employment.review",
    )


@capability_required("employment.use")
def record_delete(request, pk: int):
    return _record_step(
        request,
        pk,
        form_class=forms.DeleteForm,
        run=_delete,
        title=_("Delete the job record"),
        submit=_("Delete the record"),
        capability="employment.record",
        confirm=_("Delete the job record"),
    )


@require_POST
@capability_required("employment.use")
def record_confirm(request, pk: int):
    """ "Still at the same job" today: verified by the user, the months brought up to date (a
    job of last year goes on into this one)."""
    user = request.user
    require(user, "employment.record")
    record = _record(user, pk, write=True)
    try:
        confirmed = services.record_confirm(record=record, on=today(), actor=user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(record)
    messages.success(request, _("Confirmed: still at the same job."))
    return redirect(confirmed)
