"""Reads of the distributions: a plan with its lines, its flags (AST-5, AST-6, the stacked
share missing for an eligible household), the households' receipts, the rosters."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from assets.codes import HOUSEHOLD_USES, LineUse
from assets.models import Distribution, DistributionLine
from assets.rules import distributions as rules
from assets.selectors.assets import SELF_BUILT, return_basis
from kaiyuan.common.rules import Violation
from kaiyuan.inbox.registry import Entry, Source
from kaiyuan.policy.services import policy_for
from monitoring.models import Household
from monitoring.selectors.households import household_search

D = Distribution.Status


def distributions_for(user) -> QuerySet[Distribution]:
    return Distribution.objects.visible_to(user).select_related("asset__area__parent", "income")


def household_visible(user, lookup: str = "household") -> Exists:
    """Whether the household at ``lookup`` is one ``user`` may see: a line of a household of
    another township (AST-7 spreads them over the county) shows its amount, not its name, on
    the plan, in the API, the rosters, the chain and the village's PDF."""
    return Exists(Household.objects.visible_to(user).filter(pk=OuterRef(lookup)))


def lines_of(distribution: Distribution, *, user) -> list[DistributionLine]:
    return list(
        distribution.lines.select_related("household__area__parent")
        .annotate(household_visible=household_visible(user))
        .order_by("use", "id")
    )


def household_kind(household) -> str:
    return "monitored" if household.is_monitored else "exited"


@dataclass
class Plan:
    distribution: Distribution
    lines: list[DistributionLine]
    by_use: dict[str, Decimal]
    planned: Decimal
    pv_shares: dict[str, Decimal] | None
    pv_labels: dict[str, str] | None
    flags: list[Violation]
    visible_households: set[int]


def plan_of(distribution: Distribution, *, user) -> Plan:
    """The plan as its page shows it. Lines of households outside the user's area are shown
    without their names (``visible_households`` are the ones the user may see)."""
    lines = lines_of(distribution, user=user)
    by_use: dict[str, Decimal] = {}
    for line in lines:
        by_use[line.use] = by_use.get(line.use, Decimal("0.00")) + line.amount
    policy = policy_for(distribution.year)
    visible = {line.household_id for line in lines if line.household_visible}
    pv = distribution.asset.is_pv_station
    return Plan(
        distribution=distribution,
        lines=lines,
        by_use=by_use,
        planned=sum(by_use.values(), Decimal("0.00")),
        pv_shares=rules.pv_split(distribution.amount, policy=policy) if pv else None,
        pv_labels=rules.pv_labels(policy) if pv else None,
        flags=flags_of(distribution, lines, policy=policy, visible=visible),
        visible_households=visible,
    )


def flags_of(
    distribution: Distribution,
    lines: list[DistributionLine],
    *,
    policy,
    visible: set[int] | None = None,
) -> list:
    """AST-6 over the household shares (stacked shares are extra, so left out), the stacked
    share missing for a household at or below the line, and AST-5 for a self-built asset.
    A household not in ``visible`` (when given) is not named: the flag says only that it is
    outside the reader's area."""
    shares = [
        (household_kind(line.household), line.amount)
        for line in lines
        if line.use == LineUse.SHARE and line.household_id
    ]
    flags = rules.tilt_flags(shares, tilt_required=policy.distribution_tilt)
    flags.extend(rules.missing_stacked_flags(lines, visible=visible))
    if return_basis(distribution.asset) == SELF_BUILT:
        given = sum((line.amount for line in lines if line.use in HOUSEHOLD_USES), Decimal("0.00"))
        flags.extend(
            rules.self_built_return_flags(
                value=distribution.asset.original_value,
                to_households=given,
                percent=policy.minimum_return_percent,
                year=distribution.year,
            )
        )
    return flags


def household_receipts(household, user) -> list[DistributionLine] | None:
    """What the household received from asset income: the lines of paid distributions, from
    any township's assets (AST-7). The household page has already checked the user may see the
    household, so the lines are read by household, not by the asset's area."""
    from kaiyuan.accounts.capabilities import user_can

    if not user_can(user, "assets.use"):
        return None
    lines = list(
        DistributionLine.objects.filter(household=household, distribution__status=D.PAID)
        .select_related("distribution__asset")
        .order_by("-distribution__year", "-distribution__paid_on", "id")
    )
    # A receipt from another township's asset is listed, but its plan (other households'
    # names) opens only for those who see the asset: ``may_open`` says whether to link it.
    shown = (
        set(
            Distribution.objects.visible_to(user)
            .filter(pk__in={line.distribution_id for line in lines})
            .values_list("pk", flat=True)
        )
        if lines
        else set()
    )
    for line in lines:
        line.may_open = line.distribution_id in shown
    return lines


def households_to_pick(*, user, query: str):
    """The households a line may name (AST-7's 脱贫户 and monitored households) that ``user``
    sees, found by monitoring's household search: a township clerk's in the township, the
    bureau's anywhere in the county."""
    return household_search(
        user=user, query=query, among=Household.objects.filter(rules.eligible_q())
    )


def roster(queryset: QuerySet[Distribution]) -> QuerySet[DistributionLine]:
    """The lines of the distributions, for the rosters export: one row each."""
    return (
        DistributionLine.objects.filter(distribution__in=queryset)
        .select_related("distribution__asset__area__parent", "household__area__parent")
        .order_by("distribution__asset__code", "distribution__year", "use", "id")
    )


def _to_publicise(user) -> QuerySet[Distribution]:
    return distributions_for(user).filter(status=D.DRAFT)


def _to_pay(user) -> QuerySet[Distribution]:
    return distributions_for(user).filter(status=D.PUBLICISED)


def _entry(distribution: Distribution) -> Entry:
    return Entry(
        subject=str(distribution.asset),
        since=distribution.created_at,
        deadline=None,
        url=distribution.get_absolute_url(),
    )


INBOX_SOURCES = (
    Source(
        key="assets.to_publicise",
        label=_("Distributions to publicise"),
        capability="assets.distribute",
        items=_to_publicise,
        entry=_entry,
    ),
    Source(
        key="assets.to_pay",
        label=_("Distributions to pay"),
        capability="assets.pay",
        items=_to_pay,
        entry=_entry,
    ),
)
