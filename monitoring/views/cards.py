"""明白卡 and 明白纸 pages (§2.11): a household's card with its delivery record, a village's cards
with their delivery status and the batch PDF, and the policy sheet.

Grid workers and township clerks print and record deliveries in their area; the county readers
(bureau, leader, auditor, administrator) print and see the status; other roles get 403, and
households or villages outside the user's area 404.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.areas.models import Area
from kaiyuan.common import dates, exports
from kaiyuan.common.errors import DomainError
from kaiyuan.common.scoping import get_for_user, user_may_write
from monitoring.exports.cards import (
    AUDIT_WHAT,
    CARD_JOB_THRESHOLD,
    build_cards_pdf,
    build_policy_sheet_pdf,
    card_batch_start,
    needs_job,
    page_size,
    village_card_batch,
    village_cards_response,
)
from monitoring.forms.cards import CardDeliveryForm, CardPrintForm
from monitoring.models import CardDelivery, Household
from monitoring.selectors import cards as selectors
from monitoring.services.cards import card_delivery_record


def _may_record(user) -> bool:
    """Deliveries are recorded by the people who hand out the cards."""
    return user_can(user, "cards.record_delivery") and user_may_write(user)


def _print_options(data) -> dict:
    options = CardPrintForm(data).options()
    if "note" not in data:
        options["note"] = selectors.default_card_note()
    return options


def _village(user, pk: int) -> Area:
    return get_for_user(Area.objects.villages().select_related("parent"), user, pk=pk)


# ---- one household ------------------------------------------------------------------------------


@capability_required("cards.print")
def household_card(request, pk: int):
    """The card as an HTML preview with the PDF buttons, and this year's delivery record."""
    user = request.user
    household = get_for_user(Household.objects.select_related("area__parent"), user, pk=pk)
    year = dates.today().year
    delivery = CardDelivery.objects.filter(household=household, year=year).first()
    may_record = _may_record(user)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        form = CardDeliveryForm(request.POST)
        if form.is_valid():
            try:
                card_delivery_record(
                    household=household, actor=user, year=year, **form.cleaned_data
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    _("The %(year)s card delivery of the household of %(head)s was recorded.")
                    % {"year": year, "head": household.head_name},
                )
                return redirect("monitoring:household_card", pk=household.pk)
    elif delivery is not None:
        form = CardDeliveryForm(
            initial={
                "delivered_by": delivery.delivered_by,
                "delivered_on": delivery.delivered_on,
                "posted_on": delivery.posted_on,
            }
        )
    else:
        form = CardDeliveryForm(
            initial={"delivered_by": user.get_full_name(), "delivered_on": dates.today()}
        )
    note = selectors.default_card_note()
    card = selectors.household_card(user=user, household=household, year=year, note=note)
    return render(
        request,
        "monitoring/cards/household_card.html",
        {
            "household": household,
            "card": card,
            "year": year,
            "delivery": delivery,
            "status": selectors.delivery_status(
                delivery.delivered_on if delivery else None,
                delivery.posted_on if delivery else None,
            ),
            "form": form if may_record else None,
            "print_form": CardPrintForm(initial={"note": note}),
            "in_card_scope": household.is_monitored or household.is_exited,
            "today": dates.today(),
        },
    )


@capability_required("cards.print")
def household_card_pdf(request, pk: int):
    """One card, A5 by default (``?size=A4``). Audited: it carries names and phone numbers."""
    user = request.user
    household = get_for_user(Household.objects.select_related("area"), user, pk=pk)
    options = _print_options(request.GET)
    year = dates.today().year
    card = selectors.household_card(user=user, household=household, year=year, note=options["note"])
    pdf = exports.ExportBytes(content=build_cards_pdf([card], size=options["size"]), rows=1)
    size = page_size(options["size"])
    return exports.export_response(
        pdf,
        name=f"明白卡-{household.head_name}-{household.household_number}-{size}.pdf",
        content_type=exports.PDF,
        actor=user,
        audit_object=household,
        what=AUDIT_WHAT,
        filters={"household": household.household_number, "year": year, "size": size},
        data={
            "village": household.area.code,
            "households": 1,
            "household": household.household_number,
            "year": year,
            "size": size,
        },
    )


# ---- a village ----------------------------------------------------------------------------------


@capability_required("cards.print")
def card_village_list(request):
    """The villages of the user's area that have card households, with this year's delivery
    counts. A grid worker goes straight to their village."""
    user = request.user
    if user.level == "village" and user.area_id:
        return redirect("monitoring:village_cards", village_pk=user.area_id)
    year = dates.today().year
    return render(
        request,
        "monitoring/cards/village_list.html",
        {"villages": list(selectors.card_villages(user=user, year=year)), "year": year},
    )


@capability_required("cards.print")
def village_cards(request, village_pk: int):
    """The village's monitored households (optionally its 脱贫户 too) with their card delivery
    status this year, and the form that prints them all."""
    user = request.user
    village = _village(user, village_pk)
    year = dates.today().year
    include_exited = request.GET.get("exited") == "1"
    rows = selectors.village_delivery_list(
        user=user, village=village, year=year, include_exited=include_exited
    )
    counts = {key: 0 for key in ("not_yet", "delivered", "posted")}
    for row in rows:
        counts[row.card_status] += 1
    return render(
        request,
        "monitoring/cards/village_cards.html",
        {
            "village": village,
            "year": year,
            "rows": rows,
            "counts": counts,
            "total": len(rows),
            "include_exited": include_exited,
            "print_form": CardPrintForm(
                initial={"include_exited": include_exited, "note": selectors.default_card_note()}
            ),
            "threshold": CARD_JOB_THRESHOLD,
        },
    )


@require_POST
@capability_required("cards.print")
def village_cards_pdf(request, village_pk: int):
    """All cards of the village, one per page: built now for a small village, as a background
    job (the user waits on the job page) above the threshold."""
    user = request.user
    village = _village(user, village_pk)
    options = _print_options(request.POST)
    year = dates.today().year
    back = redirect("monitoring:village_cards", village_pk=village.pk)
    households = selectors.card_households(
        user=user, village=village, include_exited=options["include_exited"]
    ).count()
    if not households:
        messages.info(request, _("This village has no households to print a card for."))
        return back
    if needs_job(households):
        try:
            job = card_batch_start(actor=user, village=village, year=year, **options)
        except DomainError as exc:
            messages.error(request, exc.message)
            return back
        messages.info(
            request,
            _("The cards are being prepared; the PDF can be downloaded here when ready."),
        )
        return redirect("jobs:job_detail", pk=job.pk)
    batch = village_card_batch(actor=user, village=village, year=year, **options)
    return village_cards_response(batch, actor=user)


# ---- policy sheet -------------------------------------------------------------------------------


@capability_required("cards.print")
def policy_sheet(request):
    """The A4 明白纸 with this year's numbers (or ``?year=``)."""
    year = dates.today().year
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2021 <= int(raw) <= 2100:
        year = int(raw)
    # The 明白纸 holds this year's policy and no one's data: shown in the browser, not recorded.
    pdf = build_policy_sheet_pdf(selectors.policy_sheet(year=year))
    return FileResponse(
        io.BytesIO(pdf),
        as_attachment=False,
        filename=f"防止返贫监测帮扶明白纸-{year}.pdf",
        content_type=exports.PDF,
    )
