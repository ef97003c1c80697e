"""Household-level data-quality rules: composition (MON-DQ-3, MON-DQ-9) and size."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from kaiyuan.common.rules import FLAG, Violation
from monitoring.codes import Relation, Sex


def check_composition(members: Iterable) -> list[Violation]:
    """MON-DQ-3 (one head, at most one spouse) and MON-DQ-9 (head and spouse of different sex)
    over a household's active members, as they would be after a change."""
    members = list(members)
    heads = [m for m in members if m.relation == Relation.HEAD]
    spouses = [m for m in members if m.relation == Relation.SPOUSE]
    violations = []
    if len(heads) != 1:
        violations.append(
            Violation(
                "MON-DQ-3",
                "relation",
                _("A household has exactly one head (it would have %(n)s).") % {"n": len(heads)},
            )
        )
    if len(spouses) > 1:
        violations.append(
            Violation("MON-DQ-3", "relation", _("A household has at most one spouse of the head."))
        )
    if len(heads) == 1 and len(spouses) == 1 and heads[0].sex == spouses[0].sex:
        violations.append(
            Violation(
                "MON-DQ-9",
                "relation",
                _("The head and the spouse must be of different sexes (from their ID numbers)."),
            )
        )
    return violations


def households_breaking_composition(households: QuerySet) -> dict[str, QuerySet]:
    active = Q(members__status="active")
    counted = households.annotate(
        heads=Count("members", filter=active & Q(members__relation=Relation.HEAD)),
        spouses=Count("members", filter=active & Q(members__relation=Relation.SPOUSE)),
        male_couple=Count(
            "members",
            filter=active
            & Q(members__relation__in=[Relation.HEAD, Relation.SPOUSE])
            & Q(members__sex=Sex.MALE),
        ),
        female_couple=Count(
            "members",
            filter=active
            & Q(members__relation__in=[Relation.HEAD, Relation.SPOUSE])
            & Q(members__sex=Sex.FEMALE),
        ),
    )
    return {
        "MON-DQ-3": counted.filter(Q(heads__gt=1) | Q(heads=0) | Q(spouses__gt=1)),
        "MON-DQ-9": counted.filter(heads=1, spouses=1).filter(
            Q(male_couple=2) | Q(female_couple=2)
        ),
    }


def check_household_size(household, active_members: int) -> Violation | None:
    """家庭人口数 should equal the number of members living in the household (flag: the
    national field counts co-residents, which a clerk may set apart from the register)."""
    if household.household_size != active_members:
        return Violation(
            "MON-DQ-SIZE",
            "household_size",
            _("The household size (%(size)s) differs from its %(n)s current members.")
            % {"size": household.household_size, "n": active_members},
            FLAG,
        )
    return None
