"""What an import checks the file against: the areas the importing user may write to, the code
tables, and what the database already holds for a chunk of households (one query each, whatever
the number of rows)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kaiyuan.areas.models import Area
from kaiyuan.common.imports import bulk  # noqa: F401  (registers the any_of lookup)
from monitoring.models import CodeItem, Household, Member


class AreaResolver:
    """Township and village names of the file → villages inside the importing user's area. A row
    of another area is an error, never imported somewhere else."""

    def __init__(self, actor) -> None:
        self.scope = actor.area.path if actor.area_id else ""
        areas = Area.objects.filter(
            level__in=[Area.Level.COUNTY, Area.Level.TOWNSHIP, Area.Level.VILLAGE]
        ).only("id", "name", "path", "parent_id", "level", "code")
        if self.scope:
            areas = areas.filter(path__startswith=self.scope.split("/")[0] + "/")
        self.counties: set[str] = set()
        self.townships: dict[str, list[Area]] = defaultdict(list)
        self.villages: dict[tuple[int, str], Area] = {}
        for area in areas:
            if area.level == Area.Level.COUNTY:
                self.counties.add(area.name)
            elif area.level == Area.Level.TOWNSHIP:
                self.townships[area.name].append(area)
            else:
                self.villages[(area.parent_id, area.name)] = area
        self.own_name = actor.area.name if actor.area_id else ""
        self._cache: dict[tuple[str, str], tuple[Area | None, str, str]] = {}

    def county_problem(self, name: str) -> str:
        if not name or not self.counties or name in self.counties:
            return ""
        return _("“%(name)s” is not %(county)s.") % {
            "name": name,
            "county": "、".join(sorted(self.counties)),
        }

    def resolve(self, township: str, village: str) -> tuple[Area | None, str, str]:
        """(village, header of the bad cell, message); the message is empty when found."""
        key = (township, village)
        if key not in self._cache:
            self._cache[key] = self._resolve(township, village)
        return self._cache[key]

    def _resolve(self, township_name: str, village_name: str) -> tuple[Area | None, str, str]:
        candidates = self.townships.get(township_name, [])
        if not candidates:
            return None, "乡(镇)", _("No township is called “%(name)s”.") % {"name": township_name}
        inside = [t for t in candidates if self._visible(t)]
        if not inside:
            return (
                None,
                "乡(镇)",
                _(
                    "%(name)s is outside your area (%(own)s): rows of other townships cannot be "
                    "imported here."
                )
                % {"name": township_name, "own": self.own_name},
            )
        for township in inside:
            found = self.villages.get((township.pk, village_name))
            if found is not None:
                if not self._visible(found):
                    return (
                        None,
                        "行政村",
                        _("%(name)s is outside your area (%(own)s).")
                        % {"name": village_name, "own": self.own_name},
                    )
                return found, "", ""
        return (
            None,
            "行政村",
            _("No village called “%(village)s” in %(township)s.")
            % {"village": village_name, "township": township_name},
        )

    def _visible(self, area: Area) -> bool:
        return not self.scope or area.path.startswith(self.scope)

    def contains(self, area: Area) -> bool:
        return self._visible(area)

    def contains_path(self, path: str) -> bool:
        return not self.scope or path.startswith(self.scope)


def code_tables() -> dict[str, frozenset[str]]:
    tables: dict[str, set[str]] = defaultdict(set)
    for table, value in CodeItem.objects.filter(active=True).values_list("table", "value"):
        tables[table].add(value)
    return {table: frozenset(values) for table, values in tables.items()}


@dataclass
class Lookups:
    """What the database holds for one chunk of households: current households by number, all
    their members, and the person numbers and active ID numbers held elsewhere."""

    households: dict[str, Household]
    members: dict[int, list[Member]]
    # person number / id index → (household number, area path) of a member of another household
    # (active members only for ID numbers); the path says whether the importing user may be told
    # the household's number.
    other_persons: dict[str, tuple[str, str]]
    other_ids: dict[str, tuple[str, str]]

    @classmethod
    def load(cls, *, numbers: list[str], persons: list[str], indexes: list[str]) -> Lookups:
        """Four queries for a chunk: its households (by 户编号), their members, and the file's
        person numbers and ID numbers (blind indexes) held by members of other households."""
        households = {
            h.household_number: h
            for h in Household.objects.filter(household_number__any_of=numbers).select_related(
                "area", "group", "grid"
            )
        }
        ids = [h.pk for h in households.values()]
        members: dict[int, list[Member]] = defaultdict(list)
        for member in Member.objects.filter(household_id__in=ids).order_by("id"):
            members[member.household_id].append(member)
        other_persons = {
            person: (number, path)
            for person, number, path in Member.objects.filter(person_number__any_of=persons)
            .exclude(household_id__in=ids)
            .values_list("person_number", "household__household_number", "household__area__path")
        }
        other_ids = {
            index: (number, path)
            for index, number, path in Member.objects.filter(
                id_index__any_of=indexes, status=Member.Status.ACTIVE
            )
            .exclude(household_id__in=ids)
            .values_list("id_index", "household__household_number", "household__area__path")
        }
        return cls(households, members, other_persons, other_ids)
