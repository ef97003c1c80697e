"""The division tree (county → township → village → group) and the grids of the monitoring net."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaiyuan.areas.divisions import COUNTY
from kaiyuan.common.scoping import AreaScopedQuerySet


class AreaQuerySet(models.QuerySet["Area"]):
    def visible_to(self, user, *, action: str = "view") -> AreaQuerySet:
        """The user's own area and everything below it."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.area_id is None:
            return self.none()
        return self.filter(path__startswith=user.area.path)

    def home_county(self) -> Area:
        """The county this platform serves (``divisions.COUNTY``). The table follows the national
        codes, so a province's other counties may stand in it too: never "the one county"."""
        return self.get(level=Area.Level.COUNTY, code=COUNTY[0])

    def townships(self) -> AreaQuerySet:
        return self.filter(level=Area.Level.TOWNSHIP)

    def villages(self) -> AreaQuerySet:
        return self.filter(level=Area.Level.VILLAGE)


class Area(models.Model):
    """One administrative division. ``path`` (codes joined by '/') makes "this area and below" one
    indexed prefix filter, which every scoped query of the platform relies on."""

    class Level(models.TextChoices):
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")
        VILLAGE = "village", _("Village")
        GROUP = "group", _("Villager group")

    class Kind(models.TextChoices):
        COUNTY_CITY = "county_city", _("County-level city")
        SUBDISTRICT = "subdistrict", _("Subdistrict")
        TOWN = "town", _("Town")
        TOWNSHIP = "township", _("Township")
        ETHNIC_TOWNSHIP = "ethnic_township", _("Ethnic township")
        VILLAGE_COMMITTEE = "village_committee", _("Village committee")
        RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
        GROUP = "group", _("Villager group")

    # The code lengths of the statistical division codes: 6 (county), 9 (township), 12 (village);
    # villager groups have no national code, so the county numbers them with 3 more digits.
    CODE_LENGTH = {Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12, Level.GROUP: 15}
    CHILD_LEVEL = {
        Level.COUNTY: Level.TOWNSHIP,
        Level.TOWNSHIP: Level.VILLAGE,
        Level.VILLAGE: Level.GROUP,
    }

    code = models.CharField(_("division code"), max_length=15, unique=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=80, unique=True, editable=False)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        ordering = ["code"]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%'.
            models.Index(
                fields=["path"], name="area_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["level", "code"], name="area_level_code"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        return self.name if self.parent_id is None else f"{self.parent.full_name}{self.name}"

    def township(self) -> Area | None:
        """The township this area belongs to (itself for a township), None for the county."""
        node: Area | None = self
        while node is not None:
            if node.level == self.Level.TOWNSHIP:
                return node
            node = node.parent
        return None

    def contains(self, other: Area) -> bool:
        return other.path.startswith(self.path)


class GridQuerySet(AreaScopedQuerySet):
    def only_grids(self, area_ids) -> dict[int, int]:
        """{village id: grid id} for the villages of ``area_ids`` that have exactly one grid:
        a household of such a village is in that grid unless someone chooses otherwise
        (registration, the import, the grid picker), since nobody should pick the only answer.
        One query whatever the number of villages."""
        rows = (
            self.filter(area_id__in=area_ids)
            .values("area_id")
            .annotate(n=models.Count("id"), grid_id=models.Min("id"))
            .order_by()
        )
        return {row["area_id"]: row["grid_id"] for row in rows if row["n"] == 1}


class Grid(models.Model):
    """A monitoring grid (网格): a set of households in one village under one grid worker."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="grids",
        limit_choices_to={"level": Area.Level.VILLAGE},
    )
    name = models.CharField(_("grid name"), max_length=64)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grids",
    )

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["area__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="grid_unique_name_in_village"),
        ]

    def __str__(self) -> str:
        return f"{self.area.name}·{self.name}"
