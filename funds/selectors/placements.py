"""Reads of debt placements: the placements with their returns, recoveries and flags, and the
redeployments awaiting the bureau."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from funds.models import DebtPlacement, PlacementReturn, PrincipalRecovery, Redeployment
from funds.rules import placements as rules
from kaiyuan.common.dates import today
from kaiyuan.common.money import format_yuan
from kaiyuan.inbox.registry import Entry, Source
from kaiyuan.policy.services import policy_for

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def _total(model, field: str = "amount"):
    return Coalesce(
        Subquery(
            model.objects.filter(placement=OuterRef("pk"))
            .order_by()
            .values("placement")
            .annotate(total=Sum(field))
            .values("total")
        ),
        ZERO,
    )


def placements_for(user) -> QuerySet:
    """Placements with ``returned``, ``recovered`` and ``outstanding`` (constant query count)."""
    return (
        DebtPlacement.objects.visible_to(user)
        .select_related("project", "project__area")
        .annotate(returned=_total(PlacementReturn), recovered=_total(PrincipalRecovery))
    )


def flagged(queryset: QuerySet, *, on: datetime.date | None = None) -> QuerySet:
    """FND-10 and FND-ENDING, the queryset form: agreements that ended with principal
    outstanding, or end within the days set."""
    day = on or today()
    window = rules.ending_window(day, policy_for(day.year).placement_ending_days)
    return queryset.filter(end_date__lte=window).exclude(recovered__gte=F("principal"))


def flags_of(placement, *, on: datetime.date | None = None):
    day = on or today()
    return rules.placement_flags(
        end_date=placement.end_date,
        outstanding=placement.principal - placement.recovered,
        today=day,
        ending_days=policy_for(day.year).placement_ending_days,
    )


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
