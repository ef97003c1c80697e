"""The asset ledger's own rules (DOMAIN.md §5.7 AST-1..3) and the tracing of an asset's value to
its project's payments."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from assets.codes import LINKAGE_SOURCES, AssetClass, AssetStatus, FundingSource, OwnerKind
from kaiyuan.common.money import format_yuan
from kaiyuan.common.rules import FLAG, Rule, Violation

AST_1 = Rule(
    "AST-1",
    _(
        "Every accepted project hands over at least one asset to the ledger, or is recorded as "
        "having formed none, with the reason."
    ),
)
AST_2 = Rule("AST-2", _("Each asset has exactly one class: 经营性, 公益性 or 到户类."))
AST_3 = Rule(
    "AST-3",
    _(
        "An asset confirmed to a village collective names that village's collective economic "
        "organisation (credit code starting N2) and is entered on the 三资 platform."
    ),
)
AST_3_MISSING = Rule(
    "AST-3-MISSING",
    _("A collective's asset is not yet confirmed (确权) or not yet entered on the 三资 platform."),
    FLAG,
)
AST_VALUE = Rule(
    "AST-VALUE",
    _(
        "An asset's value is the sum of its fund sources, and the linkage funds in the assets of "
        "a project are no more than what the project paid from each level."
    ),
)

COLLECTIVE_PREFIX = "N2"


def class_problems(asset_class: str) -> list[Violation]:
    if asset_class not in AssetClass.values:
        return [AST_2.violation("asset_class", _("Choose the asset's class."))]
    return []


def owner_problems(*, owner_kind: str, village, collective) -> list[Violation]:
    """AST-3: an asset owned by a village collective is owned by *its* village's organisation,
    registered with a credit code that starts N2."""
    if owner_kind != OwnerKind.COLLECTIVE:
        return []
    if collective is None:
        return [
            AST_3.violation(
                "collective",
                _(
                    "The village's collective economic organisation is not registered: register "
                    "it with its credit code first."
                ),
            )
        ]
    problems = []
    if village is not None and collective.village_id != village.pk:
        problems.append(
            AST_3.violation(
                "collective",
                _("The collective economic organisation of %(village)s owns this asset.")
                % {"village": village.name},
            )
        )
    if not collective.uscc.startswith(COLLECTIVE_PREFIX):
        problems.append(
            AST_3.violation(
                "collective",
                _(
                    "A collective economic organisation's credit code starts with N2; "
                    "“%(code)s” does not."
                )
                % {"code": collective.uscc},
            )
        )
    return problems


def collective_code_problems(uscc: str) -> list[Violation]:
    if not uscc.startswith(COLLECTIVE_PREFIX):
        return [
            AST_3.violation(
                "uscc",
                _("A collective economic organisation's credit code starts with N2."),
            )
        ]
    return []


def missing_registration_q() -> Q:
    """AST-3-MISSING as a queryset filter: a collective's assets still on the ledger (not
    disposed) without 确权 or without their 三资 entry (the townships' list)."""
    return (
        Q(owner_kind=OwnerKind.COLLECTIVE)
        & ~Q(status=AssetStatus.DISPOSED)
        & (Q(confirmed_on__isnull=True) | Q(sanzi_entered_on__isnull=True))
    )


def missing_registration(asset) -> list[Violation]:
    if asset.owner_kind != OwnerKind.COLLECTIVE or asset.status == AssetStatus.DISPOSED:
        return []
    missing = []
    if asset.confirmed_on is None:
        missing.append(_("not confirmed (确权)"))
    if asset.sanzi_entered_on is None:
        missing.append(_("not entered on the 三资 platform"))
    if not missing:
        return []
    return [AST_3_MISSING.violation("sanzi_id", "、".join(str(m) for m in missing))]


def funding_problems(
    *,
    original_value: Decimal,
    funding: dict[str, Decimal],
    paid_by_level: dict[str, Decimal] | None,
    in_other_assets: dict[str, Decimal],
) -> list[Violation]:
    """AST-VALUE: the parts add up to the value; the linkage-fund parts of a project's assets
    (this one with ``in_other_assets``) stay within what the project paid from each level.
    ``paid_by_level`` is None for an asset formed before the project library."""
    problems = []
    if any(amount < 0 for amount in funding.values()):
        problems.append(AST_VALUE.violation("funding", _("A fund source's amount is positive.")))
    total = sum(funding.values(), Decimal("0.00"))
    if total != original_value:
        problems.append(
            AST_VALUE.violation(
                "original_value",
                _(
                    "The fund sources add up to %(total)s yuan, not the original value of "
                    "%(value)s yuan."
                )
                % {"total": format_yuan(total), "value": format_yuan(original_value)},
            )
        )
    if paid_by_level is None:
        return problems
    labels = dict(FundingSource.choices)
    for source in LINKAGE_SOURCES:
        wanted = funding.get(source, Decimal("0.00")) + in_other_assets.get(source, Decimal("0"))
        paid = paid_by_level.get(source, Decimal("0.00"))
        if wanted > paid:
            problems.append(
                AST_VALUE.violation(
                    f"funding_{source}",
                    _(
                        "%(source)s in the project's assets come to %(wanted)s yuan, but the "
                        "project paid %(paid)s yuan from them."
                    )
                    % {
                        "source": labels[source],
                        "wanted": format_yuan(wanted),
                        "paid": format_yuan(paid),
                    },
                )
            )
    return problems


def awaiting_handover_q() -> Q:
    """AST-1 as a queryset filter on projects: accepted and not handed over yet."""
    from projects.models import Handover
    from projects.models.projects import Project

    return Q(status=Project.Status.ACCEPTED) & ~Exists(
        Handover.objects.filter(project=OuterRef("pk"))
    )


def handover_problems(*, asset_formed: bool, assets: list, no_asset_reason: str):
    if asset_formed and not assets:
        return [AST_1.violation("assets", _("Add at least one asset, or say none was formed."))]
    if not asset_formed and not (no_asset_reason or "").strip():
        return [AST_1.violation("no_asset_reason", _("Say why no asset was formed."))]
    return []
