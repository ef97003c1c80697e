"""Household-level data-quality rules: composition (MON-DQ-3, MON-DQ-9) and size."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaiyuan.areas.models import Grid
from kaiyuan.common.rules import FLAG, Rule, Violation
from monitoring.codes import Relation, Sex
from monitoring.models.households import Household
from monitoring.rules.cases import category_fits

MON_DQ_3 = Rule(
    "MON-DQ-3", gettext_lazy("A household has exactly one head and at most one spouse.")
)
MON_DQ_9 = Rule(
    "MON-DQ-9",
    gettext_lazy("The head and the spouse must be of different sexes (from their ID numbers)."),
)
MON_GRID = Rule(
    "MON-GRID",
    gettext_lazy(
        "A household of a village that has grids is in one of them, so that its grid worker "
        "visits it."
    ),
)
MON_HOUSEHOLD_NUMBER = Rule(
    "MON-HOUSEHOLD-NUMBER", gettext_lazy("A household number belongs to one household.")
)
MON_DQ_SIZE = Rule(
    "MON-DQ-SIZE",
    gettext_lazy("The household size differs from its number of current members."),
    FLAG,
)


def check_composition(members: Iterable) -> list[Violation]:
    """MON-DQ-3 (one head, at most one spouse) and MON-DQ-9 (head and spouse of different sex)
    over a household's active members, as they would be after a change."""
    members = list(members)
    heads = [m for m in members if m.relation == Relation.HEAD]
    spouses = [m for m in members if m.relation == Relation.SPOUSE]
    violations = []
    if len(heads) != 1:
        violations.append(
            MON_DQ_3.violation(
                "relation",
                _("A household has exactly one head (it would have %(n)s).") % {"n": len(heads)},
            )
        )
    if len(spouses) > 1:
        violations.append(
            MON_DQ_3.violation("relation", _("A household has at most one spouse of the head."))
        )
    if len(heads) == 1 and len(spouses) == 1 and heads[0].sex == spouses[0].sex:
        violations.append(
            MON_DQ_9.violation(
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
        MON_DQ_3.id: counted.filter(Q(heads__gt=1) | Q(heads=0) | Q(spouses__gt=1)),
        MON_DQ_9.id: counted.filter(heads=1, spouses=1).filter(
            Q(male_couple=2) | Q(female_couple=2)
        ),
    }


def check_household_size(household, active_members: int) -> Violation | None:
    """家庭人口数 should equal the number of members living in the household (flag: the
    national field counts co-residents, which a clerk may set apart from the register)."""
    if household.household_size != active_members:
        return MON_DQ_SIZE.violation(
            "household_size",
            _("The household size (%(size)s) differs from its %(n)s current members.")
            % {"size": household.household_size, "n": active_members},
        )
    return None


def check_household(household: Household) -> list[Violation]:
    """Household-level hard rules: MON-CAT-1 on the stored category, and the group and grid
    in the household's own village."""
    violations = category_fits(
        household, household.monitoring_category, field="monitoring_category"
    )
    if household.group_id and household.group.parent_id != household.area_id:
        violations.append(
            Violation(
                "AREA", "group", _("The villager group must belong to the household's village.")
            )
        )
    if household.grid_id and household.grid.area_id != household.area_id:
        violations.append(
            Violation("AREA", "grid", _("The grid must belong to the household's village."))
        )
    return violations


def check_grid(household: Household) -> list[Violation]:
    """MON-GRID: a household of a village with grids has one, or no grid worker ever sees it
    (their visits and lists are the households of their grids)."""
    if household.grid_id is not None or household.area_id is None:
        return []
    if not Grid.objects.filter(area_id=household.area_id).exists():
        return []
    return [MON_GRID.violation("grid", _("Choose the grid of the household."))]


def households_without_grid(households: QuerySet) -> QuerySet:
    """MON-GRID as a query: the households of villages that have grids but not in any of them
    (the data-quality page lists them for the clerk to place)."""
    has_grids = Grid.objects.filter(area_id=OuterRef("area_id"))
    return households.filter(grid__isnull=True).filter(Exists(has_grids))


def check_household_number(household: Household) -> list[Violation]:
    """The household number (assigned by the national platform) is not already another's."""
    number = household.household_number
    taken = Household.objects.filter(household_number=number)
    if household.pk:
        taken = taken.exclude(pk=household.pk)
    if not number or not taken.exists():
        return []
    return [
        MON_HOUSEHOLD_NUMBER.violation(
            "household_number", _("Household number %(n)s already exists.") % {"n": number}
        )
    ]
