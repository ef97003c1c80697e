"""Reads of debt placements: the placements with their returns, recoveries and flags, and the
redeployments awaiting the bureau."""

from __future__ import annotations

import datetime

from django.db.models import F, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from funds.models import DebtPlacement, PlacementReturn, PrincipalRecovery, Redeployment
from funds.rules import placements as rules
from kaiyuan.common.dates import today
from kaiyuan.common.ledger import total_of
from kaiyuan.common.money import format_yuan
from kaiyuan.inbox.registry import Entry, Source
from kaiyuan.policy.services import policy_for


def _total(model):
    return total_of(model.objects.filter(placement=OuterRef("pk")), "placement")


def placements_for(user) -> QuerySet:
    """Placements with ``returned``, ``recovered`` and ``outstanding`` (constant query count)."""
    return (
        DebtPlacement.objects.visible_to(user)
        .select_related("project", "project__area")
        .annotate(returned=_total(PlacementReturn), recovered=_total(PrincipalRecovery))
        .annotate(outstanding=F("principal") - F("recovered"))
    )


def flagged(queryset: QuerySet, *, on: datetime.date | None = None) -> QuerySet:
    """FND-10 and FND-ENDING, the queryset form: agreements that ended with principal
    outstanding, or end within the days set."""
    day = on or today()
    window = rules.ending_window(day, ending_days_on(day))
    return queryset.filter(end_date__lte=window).exclude(recovered__gte=F("principal"))


def flags_of(placement, *, on: datetime.date | None = None, ending_days: int | None = None):
    """FND-10 and FND-ENDING of a placement of ``placements_for``; a list passes
    ``ending_days`` (``ending_days_on``) so the policy is read once for all its rows."""
    day = on or today()
    return rules.placement_flags(
        end_date=placement.end_date,
        outstanding=placement.outstanding,
        today=day,
        ending_days=ending_days if ending_days is not None else ending_days_on(day),
    )


def ending_days_on(day: datetime.date | None = None) -> int:
    return policy_for((day or today()).year).placement_ending_days


def _redeployments(user) -> QuerySet:
    return (
        Redeployment.objects.visible_to(user)
        .filter(status=Redeployment.Status.PROPOSED)
        .select_related("placement__project")
        .order_by("proposed_at", "id")
    )


def _redeployment_entry(redeployment: Redeployment) -> Entry:
    return Entry(
        subject=str(redeployment.placement.project),
        url=redeployment.get_absolute_url(),
        since=redeployment.proposed_at,
        detail=f"{format_yuan(redeployment.amount)} {redeployment.purpose}",
    )


INBOX_SOURCES = (
    Source(
        "funds.redeployments",
        _("Redeployments of recovered principal awaiting consent"),
        "funds.consent_redeployment",
        _redeployments,
        _redeployment_entry,
    ),
)
