"""Employment-assistance workshops (就业帮扶车间, DOMAIN.md §6.3): the list of the user's area
with each workshop's poverty-exited and monitored workers in a year and the flag of one with
fewer than the year's minimum (EMP-WORKSHOP), a new workshop, a workshop with its workers (the
jobs recorded there that year), and its edit, saved only over the version the user opened."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from employment.codes import WorkshopType
from employment.filters import WorkshopFilter
from employment.forms import workshops as forms
from employment.forms.counts import FIRST_YEAR
from employment.models import EmploymentRecord, Workshop
from employment.rules import workshops as rules
from employment.rules.counts import in_population
from employment.selectors.workshops import workshops_with_workers
from employment.services import workshops as services
from kaiyuan.accounts.capabilities import require, user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common import uscc
from kaiyuan.common.api_filters import as_id
from kaiyuan.common.dates import today
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import save_with_every_error, shown_to
from kaiyuan.common.scoping import get_for_user, may_change, user_may_write
from kaiyuan.common.views import lenient_filterset
from kaiyuan.policy.services import policy_for

CAPABILITY = "employment.workshops"


def _year(request) -> int:
    """The year asked in ``?year=`` (this year by default, or for a year out of range)."""
    this_year = today().year
    year = as_id(request.GET.get("year", ""))
    return year if year and FIRST_YEAR <= year <= this_year else this_year


def _years() -> list[int]:
    return list(range(today().year, FIRST_YEAR - 1, -1))


def _may_record(user, workshop: Workshop | None = None) -> bool:
    if not user_can(user, CAPABILITY) or not user_may_write(user):
        return False
    return workshop is None or may_change(user, workshop)


def open_in(workshop: Workshop, year: int) -> bool:
    """The workshop ran at some time in ``year`` (the definition is checked for those years)."""
    return workshop.opened_on <= datetime.date(year, 12, 31) and (
        workshop.closed_on is None or workshop.closed_on >= datetime.date(year, 1, 1)
    )


def _flags(user, workshop: Workshop, year: int, policy) -> list[tuple[str, str]]:
    """EMP-WORKSHOP for a workshop that ran in the year: (rule, message as ``user`` sees it)."""
    if not open_in(workshop, year):
        return []
    flags = rules.workshop_flags(exited_workers=workshop.exited_workers, policy=policy, year=year)
    return [(flag.rule, shown_to(user, flag)) for flag in flags]


@capability_required("employment.use")
def workshop_list(request):
    """The area's workshops with the API's filters, each with its 脱贫 and monitored workers in
    the year, in a constant number of queries."""
    user = request.user
    year = _year(request)
    policy = policy_for(year)
    filterset = lenient_filterset(
        WorkshopFilter, request.GET, queryset=workshops_with_workers(user, year), user=user
    )
    page = probe_page(filterset.qs.order_by("area__code", "name", "id"), request.GET.get("page"))
    for workshop in page:
        workshop.flags = _flags(user, workshop, year, policy)
    return render(
        request,
        "employment/workshops/workshop_list.html",
        {
            "page": page,
            "pick": filterset.pick,
            "chosen": filterset.form.cleaned_data,
            "types": WorkshopType.choices,
            "year": year,
            "years": _years(),
            "minimum": policy.workshop_min_workers,
            "query": query_without_page(request),
            "may_record": _may_record(user),
        },
    )


@capability_required("employment.use")
def workshop_detail(request, pk: int):
    """A workshop with its workers in the year (the jobs recorded there that the user may see)
    and the flag when it has fewer 脱贫 and monitored workers than the year's minimum."""
    user = request.user
    year = _year(request)
    policy = policy_for(year)
    workshop = get_for_user(workshops_with_workers(user, year), user, pk=pk)
    jobs = (
        EmploymentRecord.objects.visible_to(user)
        .filter(workshop=workshop, year=year)
        .select_related("member__household__area__parent")
        .order_by("member__household__area__code", "member__name", "-start_date", "id")
    )
    page = probe_page(jobs, request.GET.get("page"))
    for job in page:
        job.counted_population = in_population(job.member.household)
    return render(
        request,
        "employment/workshops/workshop_detail.html",
        {
            "workshop": workshop,
            "year": year,
            "years": _years(),
            "open": open_in(workshop, year),
            "flags": _flags(user, workshop, year, policy),
            "page": page,
            "query": query_without_page(request),
            "may_record": _may_record(user, workshop),
        },
    )


def _problems(form):
    """The credit code's problems beside the form's own errors (one round of errors)."""
    return lambda: rules.operator_problems(
        operator_uscc=uscc.normalise(form.data.get("operator_uscc", ""))
    )


def _form_page(request, form, *, title, workshop=None):
    return render(
        request,
        "employment/workshops/workshop_form.html",
        {"form": form, "title": title, "workshop": workshop},
        status=400 if form.errors else 200,
    )


@capability_required("employment.use")
def workshop_new(request):
    """A workshop in one of the villages of the user's area."""
    user = request.user
    require(user, CAPABILITY)
    if not user_may_write(user):
        raise PermissionDenied
    form = forms.WorkshopCreateForm(request.POST or None, user=user)
    if request.method == "POST":
        workshop = save_with_every_error(
            form,
            save=lambda: services.workshop_create(
                village=form.cleaned_data["area"], details=form.details(), actor=user
            ),
            problems=_problems(form),
            user=user,
        )
        if workshop is not None:
            messages.success(request, _("%(name)s was recorded.") % {"name": workshop.name})
            return redirect(workshop)
    return _form_page(request, form, title=_("A new employment-assistance workshop"))


@capability_required("employment.use")
def workshop_edit(request, pk: int):
    """The workshop's details, saved only over the version the user opened (a change someone
    else saved meanwhile is never overwritten)."""
    user = request.user
    require(user, CAPABILITY)
    rows = Workshop.objects.select_related("area__parent")
    workshop = get_for_user(rows, user, write=True, pk=pk)
    form = forms.WorkshopEditForm(
        request.POST or None, initial=forms.WorkshopEditForm.initial_of(workshop)
    )
    if request.method == "POST":
        saved = save_with_every_error(
            form,
            save=lambda: services.workshop_change(
                workshop=workshop,
                details=form.details(),
                expected_version=form.cleaned_data["version"],
                actor=user,
            ),
            problems=_problems(form),
            user=user,
        )
        if saved is not None:
            messages.success(request, _("The workshop was saved."))
            return redirect(saved)
    return _form_page(request, form, title=_("Edit the workshop"), workshop=workshop)
