"""The data-quality page: every MON-DQ rule broken in the user's area, counted per township.

The rules themselves live in monitoring/rules/ (members, households); this module only asks each
for the rows that break it and groups them, in a fixed number of queries whatever the size of the
county.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from kaiyuan.areas.models import Area
from monitoring.models import Household, Member
from monitoring.rules.households import (
    MON_DQ_3,
    MON_DQ_9,
    MON_DQ_SIZE,
    MON_GRID,
    households_breaking_composition,
    households_without_grid,
)
from monitoring.rules.members import MEMBER_RULES

TOWNSHIP_CODE = "area__parent__code"


@dataclass
class RuleRow:
    rule_id: str
    label: str
    severity: str
    subject: str  # "member" or "household"
    by_township: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_township.values())


HOUSEHOLD_RULES = {rule.id: rule for rule in (MON_DQ_3, MON_DQ_9, MON_DQ_SIZE, MON_GRID)}
HOUSEHOLD_RULE_LABELS = {rule_id: rule.statement for rule_id, rule in HOUSEHOLD_RULES.items()}


def _members(user) -> QuerySet[Member]:
    return Member.objects.visible_to(user).active().filter(household__merged_into__isnull=True)


def _households(user) -> QuerySet[Household]:
    return Household.objects.visible_to(user).current()


def size_mismatch(households: QuerySet[Household]) -> QuerySet[Household]:
    return households.annotate(
        current_members=Count("members", filter=Q(members__status=Member.Status.ACTIVE))
    ).exclude(household_size=F("current_members"))


def broken_members(user, rule_id: str) -> QuerySet[Member]:
    rule = next(r for r in MEMBER_RULES if r.rule_id == rule_id)
    return rule.broken(_members(user))


def broken_households(user, rule_id: str) -> QuerySet[Household]:
    if rule_id == MON_DQ_SIZE.id:
        return size_mismatch(_households(user))
    if rule_id == MON_GRID.id:
        return households_without_grid(_households(user))
    return households_breaking_composition(_households(user))[rule_id]


def quality_overview(user) -> tuple[list[RuleRow], list[Area]]:
    """One row per rule with its count in each township the user can see."""
    rows: list[RuleRow] = []
    for rule in MEMBER_RULES:
        row = RuleRow(rule.rule_id, rule.message(), rule.severity, "member")
        counts = (
            rule.broken(_members(user))
            .values(code=F(f"household__{TOWNSHIP_CODE}"))
            .annotate(n=Count("id"))
            .order_by()
        )
        row.by_township = {c["code"]: c["n"] for c in counts}
        rows.append(row)
    for rule_id, rule in HOUSEHOLD_RULES.items():
        row = RuleRow(rule_id, str(rule.statement), rule.severity, "household")
        # Counted over the broken households' ids: the rule's own grouping must not mix with
        # the per-township grouping.
        broken_ids = broken_households(user, rule_id).values("pk")
        counts = (
            Household.objects.filter(pk__in=broken_ids)
            .values(code=F(TOWNSHIP_CODE))
            .annotate(n=Count("id"))
            .order_by()
        )
        row.by_township = {c["code"]: c["n"] for c in counts}
        rows.append(row)
    townships = list(Area.objects.visible_to(user).townships().order_by("code"))
    if not townships and user.area is not None and user.area.level != Area.Level.COUNTY:
        townships = [user.area.township()] if user.area.township() else []
    return rows, townships
