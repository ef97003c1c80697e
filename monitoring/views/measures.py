"""Assistance-measure pages (帮扶措施, §2.4.5): a household's measures by year with its MON-MEAS-1/2
standing, the form that adds a measure (MON-ID-5 is checked by the service), and the per-measure
"implemented" / "back to planned" switch."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common import dates
from kaiyuan.common.errors import DomainError
from kaiyuan.common.rules import add_refusal_to_form
from kaiyuan.common.scoping import get_for_user
from monitoring.forms.measures import (
    DEPARTMENT_SUGGESTIONS,
    MEASURE_SUGGESTIONS,
    MeasureForm,
    MeasureStatusForm,
)
from monitoring.models import AssistanceMeasure
from monitoring.rules.measures import check_measures
from monitoring.selectors.households import household_get_for_user
from monitoring.services.measures import (
    check_measure_allowed,
    measure_create,
    measure_set_status,
)


@capability_required("measures.view")
def household_measures(request, pk: int):
    """The household's measures, latest year first, and whether it meets MON-MEAS-1/2."""
    household = household_get_for_user(request.user, pk)
    measures = list(
        AssistanceMeasure.objects.visible_to(request.user)
        .filter(household=household)
        .order_by("-year", "group", "start_date", "id")
    )
    years = [(year, list(rows)) for year, rows in groupby(measures, key=lambda m: m.year)]
    return render(
        request,
        "monitoring/measures/household_measures.html",
        {
            "household": household,
            "years": years,
            "violations": check_measures(household, dates.today()),
            "may_write": user_can(request.user, "measures.edit"),
            "Status": AssistanceMeasure.Status,
        },
    )


@capability_required("measures.view")
def measure_add(request, pk: int):
    """Add a measure. 403 for readers, 404 for households outside the user's area."""
    if not user_can(request.user, "measures.edit"):
        raise PermissionDenied
    household = household_get_for_user(request.user, pk, write=True)
    if request.headers.get("HX-Request") and "group" in request.GET:
        # The group select asks for its suggestions when it changes.
        form = MeasureForm(initial={"group": request.GET["group"]})
        return render(
            request,
            "monitoring/measures/_suggestions.html",
            {"suggestions": MEASURE_SUGGESTIONS[form.chosen_group()]},
        )
    if request.method == "POST":
        form = MeasureForm(request.POST)
        if form.is_valid():
            try:
                measure = measure_create(
                    household=household, actor=request.user, **form.cleaned_data
                )
            except DomainError as exc:
                add_refusal_to_form(form, exc, user=request.user)
            else:
                messages.success(
                    request,
                    _("Measure %(measure)s (%(group)s, %(year)s) recorded.")
                    % {"measure": measure.subtype, "group": measure.group, "year": measure.year},
                )
                return redirect("monitoring:household_measures", pk=household.pk)
    else:
        form = MeasureForm()
    form.fields["group"].widget.attrs.update(
        {
            "hx-get": reverse("monitoring:measure_add", args=[household.pk]),
            "hx-trigger": "change",
            "hx-target": "#measure-suggestions",
            "hx-swap": "outerHTML",
        }
    )
    return render(
        request,
        "monitoring/measures/measure_form.html",
        {
            "household": household,
            "form": form,
            "refusals": [] if form.is_bound else check_measure_allowed(household),
            "suggestions": MEASURE_SUGGESTIONS[form.chosen_group()],
            "departments": DEPARTMENT_SUGGESTIONS,
        },
    )


@require_POST
@capability_required("measures.view")
def measure_status(request, pk: int):
    """Mark a measure implemented or back to planned; a stale page gets the conflict message."""
    if not user_can(request.user, "measures.edit"):
        raise PermissionDenied
    measure = get_for_user(
        AssistanceMeasure.objects.select_related("household", "household__area"),
        request.user,
        write=True,
        pk=pk,
    )
    form = MeasureStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The change could not be read; reload the page and try again."))
    else:
        try:
            measure = measure_set_status(
                measure=measure,
                actor=request.user,
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Measure %(measure)s is now: %(status)s.")
                % {"measure": measure.subtype, "status": measure.get_status_display()},
            )
    return redirect("monitoring:household_measures", pk=measure.household_id)
