"""Row scoping by the user's area: the one mechanism that views, API, exports and reports use.

A user sees the rows whose area lies in their own area's subtree (village users their village,
township users their township, county users the county). Read-only roles see the same rows but may
not change them. Out-of-area and missing objects answer the same 404, so a URL reveals nothing.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)

VIEW = "view"
CHANGE = "change"


class AreaScopedQuerySet(models.QuerySet):
    """QuerySet of a model that has an area. Models reaching their area through a relation declare
    ``area_lookup = "household__area"`` (the default is ``"area"``). A model whose object also
    belongs to other areas (a project's villages) declares ``member_area_lookup =
    "villages__village"``: users of those areas see it too (and only the users of its own area
    may change it, ``ensure_may_change``)."""

    def visible_to(self, user: Any, *, action: str = VIEW) -> AreaScopedQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if action != VIEW and not user_may_write(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.area_id is None:
            return self.none()
        rows = self.filter(in_area_q(self.model, user.area.path))
        if getattr(user, "department", ""):
            # Department staff are county-wide only for their own sector's objects (DESIGN.md
            # §5): a model shows them the rows its ``sector_q`` selects, and nothing else.
            sector_q = getattr(self.model, "sector_q", None)
            return rows.filter(sector_q(user.department)) if sector_q else self.none()
        return rows


def in_area_q(model: type[models.Model], path: str, *, lookup: str | None = None) -> Q:
    """Rows of ``model`` whose area is the area at ``path`` or below it (through ``lookup``, by
    default the model's ``area_lookup``), and the objects spread over it: an object that also
    belongs to other areas (a cross-village project, ``member_area_lookup``) is seen by the users
    of each of them, and picked by each of them, not only by the area that holds them all."""
    lookup = lookup or area_lookup_of(model)
    mine = Q(**{f"{lookup}__path__startswith": path})
    member = getattr(model, "member_area_lookup", None)
    if member and lookup == area_lookup_of(model):
        mine |= Exists(
            model._default_manager.filter(
                pk=OuterRef("pk"), **{f"{member}__path__startswith": path}
            )
        )
    return mine


def may_see_model(user: Any, model: type[models.Model]) -> bool:
    """False when no row of ``model`` can be visible to ``user``: department staff see only the
    models that define ``sector_q``. Pages leave such sections out instead of showing them
    empty."""
    if getattr(user, "department", "") and not user.is_superuser:
        return getattr(model, "sector_q", None) is not None
    return True


def area_lookup_of(model: type[models.Model]) -> str:
    return getattr(model, "area_lookup", "area")


def area_of(obj: models.Model):
    """The area of a scoped object, following its ``area_lookup`` (``household__area``)."""
    from kaiyuan.areas.models import Area

    if isinstance(obj, Area):
        return obj
    target: Any = obj
    for part in area_lookup_of(obj._meta.model).split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target if isinstance(target, Area) else None


def user_may_write(user: Any) -> bool:
    """Leaders and auditors read everything in their area and change nothing."""
    if user.is_superuser:
        return True
    return not getattr(user, "is_read_only", True)


def get_for_user(queryset: models.QuerySet, user: Any, *, write: bool = False, **lookup: Any):
    """The one object matching ``lookup`` that ``user`` may see, else 404; 403 if it must be
    written and the user only reads. The 404 is the same for missing and out-of-area objects."""
    obj = queryset.visible_to(user).filter(**lookup).first()
    if obj is None:
        raise Http404
    if write and not user_may_write(user):
        raise PermissionDenied
    return obj


def ensure_may_change(actor: Any, obj: models.Model) -> None:
    """Services call this before changing ``obj``: only writers whose area contains the object's
    area may change it. Views have already answered 404 for other areas; this guards services
    called from anywhere else (API, imports, tasks, scripts)."""
    from kaiyuan.common.errors import DomainError

    if not user_may_write(actor):
        raise DomainError(_("Your role may only read these records."), code="read_only")
    if actor.is_superuser:
        return
    area = area_of(obj)
    if actor.area is None or area is None or not area.path.startswith(actor.area.path):
        raise DomainError(_("This record is outside your area."), code="out_of_area")


def may_change(actor: Any, obj: models.Model) -> bool:
    """``ensure_may_change`` as a question, for the buttons a page shows: a writer whose area
    holds the record (a village user sees a cross-village project of the village and changes
    none)."""
    from kaiyuan.common.errors import DomainError

    try:
        ensure_may_change(actor, obj)
    except DomainError:
        return False
    return True
