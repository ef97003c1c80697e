"""The township → village picker of every page and API list that filters by area.

It starts at the user's own area: a county user chooses any township of their county (a
province deployment has many counties; nothing assumes there is one), then one of its villages;
a township clerk's township is fixed and they choose among its villages; a village user's
village is fixed. The villages of a township come from one htmx endpoint
(``areas:village_options``), limited to what the user may see; a form that places a record in
a grid follows its village with ``areas:grid_options`` (``grid_choice``)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from kaiyuan.areas.models import Area, Grid
from kaiyuan.common.api_filters import ApiFilterSet, IdFilter
from kaiyuan.common.scoping import in_area_q

FIELDS = ("id", "code", "name", "path", "parent_id", "level")


@dataclass(frozen=True)
class AreaPick:
    """What the picker shows and what it bounds: ``scope`` is the chosen village, else the
    chosen township, else the user's own area (None only for an account without an area that
    sees everything, the superuser)."""

    scope: Area | None
    townships: list[Area]
    villages: list[Area]
    township: Area | None
    village: Area | None
    township_fixed: bool
    village_fixed: bool = False

    @property
    def params(self) -> dict[str, str]:
        """The choice as request parameters (what a link or an export job carries)."""
        params = {}
        if self.township is not None and not self.township_fixed:
            params["township"] = str(self.township.pk)
        if self.village is not None and not self.village_fixed:
            params["village"] = str(self.village.pk)
        return params


class UnknownArea(ValueError):
    def __init__(self, field: str, message) -> None:
        super().__init__(str(message))
        self.field = field
        self.message = message


def townships_for(user) -> list[Area]:
    return list(Area.objects.visible_to(user).townships().order_by("code").only(*FIELDS))


def villages_for(user, township: Area) -> list[Area]:
    return list(
        Area.objects.visible_to(user)
        .villages()
        .filter(parent=township)
        .order_by("code")
        .only(*FIELDS)
    )


def _by_id(areas: list[Area], wanted: int | None) -> Area | None:
    return next((area for area in areas if area.pk == wanted), None)


def area_pick(
    user, township_id: int | None = None, village_id: int | None = None, *, strict: bool = False
) -> AreaPick:
    """The picker for ``user`` with the ids asked for. An id the user may not see (or that does
    not exist) is ignored, or with ``strict`` refused with ``UnknownArea`` (the same refusal for
    both). One query for the townships (county users), one for the villages once a township is
    known."""
    own = user.area if user.area_id is not None else None
    level = own.level if own is not None else Area.Level.COUNTY
    village_fixed = False
    if level == Area.Level.VILLAGE:
        township = Area.objects.only(*FIELDS).get(pk=own.parent_id)
        townships, villages, village, fixed, village_fixed = [township], [own], own, True, True
    elif level == Area.Level.TOWNSHIP:
        township, townships, fixed = own, [own], True
    else:
        townships = townships_for(user)
        township = _by_id(townships, township_id)
        fixed = False
    if level != Area.Level.VILLAGE:
        asked_other = township_id is not None and (township is None or township.pk != township_id)
        if strict and asked_other:
            raise UnknownArea("township", _("No such township in your area."))
        villages = villages_for(user, township) if township is not None else []
        village = _by_id(villages, village_id)
    if strict and village_id is not None and (village is None or village.pk != village_id):
        raise UnknownArea("village", _("No such village in your area (choose its township)."))
    scope = village or township or own
    return AreaPick(scope, townships, villages, township, village, fixed, village_fixed)


class AreaPickForm(forms.Form):
    """The form of a FilterSet that has the picker: the ids are checked against the areas the
    user may see (``user`` and ``strict`` are set by the FilterSet)."""

    user = None
    strict = True

    def clean(self):
        data = super().clean()
        self.pick = None
        if self.user is None or self.errors:
            return data
        try:
            self.pick = area_pick(
                self.user, data.get("township"), data.get("village"), strict=self.strict
            )
        except UnknownArea as exc:
            self.add_error(exc.field, exc.message)
        return data


class AreaFilterSet(ApiFilterSet):
    """A FilterSet with the picker's ``township`` and ``village`` ids. The API answers 400 for
    an id the user may not see (as for one that does not exist); a page ignores it
    (``strict=False``). The rows are bounded by the picked area through ``area_lookup``."""

    township = IdFilter(method="_picked", label=_("Township"))
    village = IdFilter(method="_picked", label=_("Village"))

    area_lookup = "area"
    strict = True

    def __init__(
        self, data=None, queryset=None, *, request=None, prefix=None, user=None, strict=None
    ):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user if user is not None else getattr(request, "user", None)
        if strict is not None:
            self.strict = strict

    def get_form_class(self):
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        return type(f"{type(self).__name__}Form", (AreaPickForm,), fields)

    @property
    def form(self):
        form = super().form
        form.user, form.strict = self.user, self.strict
        return form

    @property
    def pick(self) -> AreaPick:
        """The picked area (after validation); the user's own area when nothing was picked."""
        pick = getattr(self.form, "pick", None) if self.is_bound and self.is_valid() else None
        return pick or area_pick(self.user)

    def _picked(self, queryset, name, value):
        return queryset  # applied once, for both ids, in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        pick = getattr(self.form, "pick", None)
        own = getattr(self.user, "area_id", None)
        if pick is not None and pick.scope is not None and pick.scope.pk != own:
            # The same bound as the scoping's: a project of several villages is picked by each.
            queryset = queryset.filter(
                in_area_q(queryset.model, pick.scope.path, lookup=self.area_lookup)
            )
        return queryset


@dataclass(frozen=True)
class GridChoice:
    """The grids of one village the user may see, and the one chosen: a village with a single
    grid has it chosen (nobody should have to pick the only answer)."""

    grids: list[Grid]
    chosen: Grid | None

    @property
    def required(self) -> bool:
        return bool(self.grids)


def grid_choice(user, village_id: int | None, chosen_id: int | None = None) -> GridChoice:
    """The grids of village ``village_id`` for ``user`` (none for a village they may not see,
    as for one that does not exist), with ``chosen_id`` or else the only grid chosen."""
    if village_id is None:
        return GridChoice([], None)
    grids = list(
        Grid.objects.visible_to(user)
        .filter(area_id=village_id, area__level=Area.Level.VILLAGE)
        .select_related("area")
        .order_by("name")
    )
    chosen = next((grid for grid in grids if grid.pk == chosen_id), None)
    if chosen is None and len(grids) == 1:
        chosen = grids[0]
    return GridChoice(grids, chosen)


def village_field(field: forms.ModelChoiceField, user) -> None:
    """Make ``field`` the choice of one of the villages ``user`` may see, for a form that places
    a record in a village (registering a household, a project's villages). A county user
    chooses among some 300: grouped by township, as the division list is read; the queryset
    still decides what is valid."""
    field.queryset = (
        Area.objects.visible_to(user).villages().select_related("parent").order_by("code")
    )
    field.label_from_instance = lambda area: f"{area.parent.name}{area.name}"
    if user.is_county_wide:
        groups: dict[str, list[tuple[int, str]]] = {}
        for village in field.queryset:
            groups.setdefault(village.parent.name, []).append((village.pk, village.name))
        field.choices = [("", field.empty_label or ""), *groups.items()]
