"""Reads of the asset ledger that pages, exports and the API share."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assets.codes import AssetClass, AssetStatus, AssetType, FundingSource
from assets.models import Asset, AssetFunding, Collective
from assets.rules import assets as rules
from funds.models import PaymentDraw
from kaiyuan.inbox.registry import Entry, Source
from projects.codes import FinanceMode
from projects.models import Project

DEBT, SELF_BUILT = "debt", "self_built"


def assets_for(user) -> QuerySet[Asset]:
    return Asset.objects.visible_to(user).select_related(
        "area__parent", "project", "collective", "owner_township", "owner_household"
    )


def paid_by_level(project) -> dict[str, Decimal]:
    """What the project paid from each level's linkage funds, through the payments' draws on
    its fund entries (reversals included, as negative draws)."""
    rows = (
        PaymentDraw.objects.filter(payment__project=project)
        .values_list("fund__allocation__level")
        .annotate(total=Sum("amount"))
    )
    return {level: total for level, total in rows}


def funding_in_assets(project, *, exclude=None) -> dict[str, Decimal]:
    """The value per fund source already in the project's assets on the ledger."""
    rows = AssetFunding.objects.filter(asset__project=project)
    if exclude is not None:
        rows = rows.exclude(asset=exclude)
    return {
        source: total for source, total in rows.values_list("source").annotate(total=Sum("amount"))
    }


def funding_of(asset) -> dict[str, Decimal]:
    return {row.source: row.amount for row in asset.funding.all()}


def return_basis(asset) -> str | None:
    """Which minimum return applies: a debt-type claim (AST-4, the placement's returns) or a
    self-built operating asset (AST-5, what the households receive). A PV station's income
    follows its 6:3:1 split instead, and public-welfare and household assets earn none."""
    if asset.placement_id or (asset.project_id and asset.project.finance_mode == FinanceMode.DEBT):
        return DEBT
    if asset.asset_class == AssetClass.OPERATING and asset.asset_type != AssetType.PV_STATION:
        return SELF_BUILT
    return None


def awaiting_handover(user) -> QuerySet[Project]:
    """AST-1: accepted projects of the user's area not yet handed over, and projects handed over
    as having formed assets that the ledger does not hold yet."""
    from projects.models import Handover

    handed_without_assets = Handover.objects.filter(asset_formed=True).exclude(
        project__assets__isnull=False
    )
    return (
        Project.objects.visible_to(user)
        .filter(rules.awaiting_handover_q() | Q(pk__in=handed_without_assets.values("project_id")))
        .select_related("area__parent")
        .order_by("year", "code")
    )


def missing_registration(user) -> QuerySet[Asset]:
    """AST-3-MISSING: the collective's assets without 确权 or 三资 entry, for the townships."""
    return assets_for(user).current().filter(rules.missing_registration_q())


def missing_by_township(user) -> list[dict]:
    """The same list counted per township: (township, not confirmed, not on 三资, assets)."""
    rows = (
        Asset.objects.visible_to(user)
        .current()
        .filter(rules.missing_registration_q())
        .values("area__parent__name", "area__parent__code")
        .annotate(
            assets=Count("id"),
            unconfirmed=Count("id", filter=Q(confirmed_on__isnull=True)),
            not_entered=Count("id", filter=Q(sanzi_entered_on__isnull=True)),
        )
        .order_by("area__parent__code")
    )
    return list(rows)


def to_revive(user) -> QuerySet[Asset]:
    """Operating assets listed for 盘活: idle or damaged, or classed 盘活一批 by their review.
    (Low-return assets are added by ``low_return``, which needs each year's figures.)"""
    from projects.codes import FourBatches

    return (
        assets_for(user)
        .current()
        .operating()
        .filter(
            Q(status__in=[AssetStatus.IDLE, AssetStatus.DAMAGED])
            | Q(four_batches=FourBatches.REVIVE)
        )
    )


def collectives_for(user) -> QuerySet[Collective]:
    return Collective.objects.visible_to(user).select_related("village__parent")


def collective_of(village) -> Collective | None:
    return Collective.objects.filter(village=village).first()


FUNDING_LABELS = dict(FundingSource.choices)


def _handover_entry(project) -> Entry:
    return Entry(
        subject=str(project),
        url=reverse("assets:handover", args=[project.pk]),
        detail=str(project.get_status_display()),
    )


INBOX_SOURCES = (
    Source(
        key="assets.to_hand_over",
        label=_("Accepted projects to hand over to the asset ledger"),
        capability="assets.record",
        items=awaiting_handover,
        entry=_handover_entry,
    ),
)
