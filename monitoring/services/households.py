"""Writes to households: creation with the head, edits guarded by version, typed changes."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kaiyuan.areas.models import Grid
from kaiyuan.audit import changes as audit_changes
from kaiyuan.audit import record, snapshot
from kaiyuan.common.rules import RulesBroken, Violation
from kaiyuan.common.scoping import ensure_may_change
from monitoring.codes import Relation
from monitoring.exceptions import HouseholdChanged, MonitoringError
from monitoring.models import Household, HouseholdChange, Member
from monitoring.rules.households import (
    check_composition,
    check_grid,
    check_household,
    check_household_number,
)
from monitoring.services import members as member_services

HOUSEHOLD_EDITABLE = (
    "natural_village",
    "group",
    "grid",
    "address",
    "phone",
    "household_type",
    "exited_attribute",
    "household_size",
    "military_family",
    "in_relocation_site",
    "relocation_site_address",
    "whole_household_no_labour",
    "flagged_for_attention",
    "poverty_cause",
    "helper_name",
    "helper_unit",
    "helper_phone",
    "monitoring_contact",
    "monitoring_contact_phone",
    "dangerous_house",
    "safe_drinking_water",
)


def default_grid_id(area) -> int | None:
    """The grid a new household of ``area`` goes to when none is chosen: the village's only
    grid, if it has exactly one (``Grid.objects.only_grids``, as the import places its rows)."""
    return Grid.objects.only_grids([area.pk]).get(area.pk) if area is not None else None


def _new_household(area, household_number: str, head: dict[str, Any], fields) -> Household:
    household = Household(area=area, household_number=household_number.strip(), **fields)
    household.head_name = head.get("name", "")
    if household.grid_id is None:
        household.grid_id = default_grid_id(area)
    return household


def _registration_violations(
    household: Household, *, actor, head: dict[str, Any], id_number: str | None, certificate: str
) -> list[Violation]:
    """Every rule a new household and its head break, in one list: the household's own rules
    (its grid MON-GRID, MON-CAT-1, the village's group and grid), its number, and every rule of
    the head (ID number included). Nothing is checked one error at a time."""
    violations = []
    if household.area_id is not None:
        violations += check_household(household) + check_grid(household)
    violations += check_household_number(household)
    member = Member(
        household=household,
        relation=Relation.HEAD,
        **{k: v for k, v in head.items() if k in member_services.MEMBER_EDITABLE},
    )
    violations += member_services.member_violations(
        member, household, others=[], actor=actor, id_number=id_number, certificate=certificate
    )
    return [v for v in violations if v.is_error]


def household_create_problems(
    *,
    actor,
    area,
    household_number: str,
    head: dict[str, Any],
    id_number: str | None,
    certificate: str = "",
    **fields: Any,
) -> list[Violation]:
    """The errors ``household_create`` would refuse, without writing anything: a page whose
    form has errors of its own shows these beside them, so that every error comes at once."""
    household = _new_household(area, household_number or "", head, fields)
    return _registration_violations(
        household, actor=actor, head=head, id_number=id_number, certificate=certificate
    )


@transaction.atomic
def household_create(
    *,
    actor,
    area,
    household_number: str,
    head: dict[str, Any],
    id_number: str,
    certificate: str = "",
    **fields: Any,
) -> Household:
    """Create a household with its head (a household always has exactly one, MON-DQ-3), in its
    grid: the one chosen, else the village's only grid (MON-GRID). The head is recorded as the
    household's first registration; so are the other members it declares (``household_size``)
    as they are added, until they are all entered."""
    household = _new_household(area, household_number, head, fields)
    ensure_may_change(actor, household)
    errors = _registration_violations(
        household, actor=actor, head=head, id_number=id_number, certificate=certificate
    )
    if errors:
        raise RulesBroken(errors)
    household.save()
    member_services.member_create(
        household=household,
        actor=actor,
        id_number=id_number,
        kind=None,
        data={**head, "relation": Relation.HEAD},
        certificate=certificate,
        audit=False,
    )
    record(household, action="create", actor=actor, data={"household_number": household_number})
    return household


def household_violations(household: Household, *, changed) -> list[Violation]:
    """The errors of an edited household: its own rules, and its grid when the edit sets one
    (an edit that leaves the grid alone does not have to fix an imported household's)."""
    violations = check_household(household)
    if "grid" in changed:
        violations += check_grid(household)
    return [v for v in violations if v.is_error]


def household_edit_problems(*, household: Household, changes: dict[str, Any]) -> list[Violation]:
    """The errors ``household_update`` would refuse, without writing anything (see above)."""
    edited = Household.objects.select_related("area").get(pk=household.pk)
    for name, value in changes.items():
        if name in HOUSEHOLD_EDITABLE:
            setattr(edited, name, value)
    return household_violations(edited, changed=changes)


@transaction.atomic
def household_update(
    *, household: Household, actor, expected_version: int, changes: dict[str, Any]
) -> Household:
    """Apply ``changes`` if nobody saved the household since the user loaded ``expected_version``;
    otherwise refuse with a conflict so that nothing anyone typed is lost silently."""
    unknown = set(changes) - set(HOUSEHOLD_EDITABLE)
    if unknown:
        raise MonitoringError(f"not editable here: {sorted(unknown)}")
    locked = Household.objects.select_for_update().select_related("area").get(pk=household.pk)
    ensure_may_change(actor, locked)
    if locked.version != expected_version:
        raise HouseholdChanged(
            _(
                "Someone else saved this household after you opened it. Your changes were not "
                "saved: reload the page to see the current record, then make them again."
            )
        )
    before = snapshot(locked, changes)
    for name, value in changes.items():
        setattr(locked, name, value)
    errors = household_violations(locked, changed=changes)
    if errors:
        raise RulesBroken(errors)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    record(locked, action="change", actor=actor, data={"changed": audit_changes(before, locked)})
    return locked


@transaction.atomic
def household_change_head(
    *,
    household: Household,
    new_head: Member,
    actor,
    happened_on: datetime.date,
    reason: str,
    old_head_relation: str,
) -> Household:
    """Make ``new_head`` the head; the former head (if still a member) takes ``old_head_relation``
    relative to the new one. Both sit in one change record."""
    locked = Household.objects.select_for_update().select_related("area").get(pk=household.pk)
    ensure_may_change(actor, locked)
    _require_reason(reason)
    members = list(locked.members.select_for_update().filter(status=Member.Status.ACTIVE))
    target = next((m for m in members if m.pk == new_head.pk), None)
    if target is None:
        raise MonitoringError(_("The new head must be a current member of the household."))
    for member in members:
        if member.relation == Relation.HEAD and member.pk != target.pk:
            member.relation = old_head_relation
        elif member.pk == target.pk:
            member.relation = Relation.HEAD
    violations = [v for v in check_composition(members) if v.is_error]
    if violations:
        raise RulesBroken(violations)
    for member in members:
        Member.objects.filter(pk=member.pk).update(
            relation=member.relation, version=F("version") + 1
        )
    locked.head_name = target.name
    locked.version = F("version") + 1
    locked.save(update_fields=["head_name", "version", "updated_at"])
    change = HouseholdChange.objects.create(
        household=locked,
        kind=HouseholdChange.Kind.HEAD_CHANGED,
        happened_on=happened_on,
        reason=reason,
        member=target,
        actor=actor,
    )
    record(
        locked,
        action="head_changed",
        actor=actor,
        note=reason,
        data={"new_head": target.pk, "change": change.pk},
    )
    locked.refresh_from_db()
    return locked


@transaction.atomic
def household_split(
    *,
    household: Household,
    actor,
    members: list[Member],
    new_household_number: str,
    happened_on: datetime.date,
    reason: str,
) -> Household:
    """Move ``members`` (one of them the new head) into a new household in the same village.
    Both households must still have exactly one head afterwards (MON-DQ-3)."""
    locked = Household.objects.select_for_update().select_related("area").get(pk=household.pk)
    ensure_may_change(actor, locked)
    _require_reason(reason)
    moving_ids = {m.pk for m in members}
    current = list(locked.members.select_for_update().filter(status=Member.Status.ACTIVE))
    moving = [m for m in current if m.pk in moving_ids]
    staying = [m for m in current if m.pk not in moving_ids]
    if len(moving) != len(moving_ids) or not moving or not staying:
        raise MonitoringError(
            _("Choose some, but not all, current members of the household to move.")
        )
    violations = [v for v in check_composition(moving) + check_composition(staying) if v.is_error]
    if violations:
        raise RulesBroken(violations)
    if Household.objects.filter(household_number=new_household_number).exists():
        raise MonitoringError(
            _("Household number %(n)s already exists.") % {"n": new_household_number},
            field="household_number",
        )
    head = next(m for m in moving if m.relation == Relation.HEAD)
    new = Household.objects.create(
        household_number=new_household_number,
        area=locked.area,
        group=locked.group,
        natural_village=locked.natural_village,
        grid=locked.grid,
        head_name=head.name,
        address=locked.address,
        household_type=locked.household_type,
        exited_attribute=locked.exited_attribute,
        household_size=len(moving),
    )
    Member.objects.filter(pk__in=moving_ids).update(household=new, version=F("version") + 1)
    locked.household_size = len(staying)
    locked.version = F("version") + 1
    locked.save(update_fields=["household_size", "version", "updated_at"])
    for source, other in ((locked, new), (new, locked)):
        HouseholdChange.objects.create(
            household=source,
            kind=HouseholdChange.Kind.SPLIT,
            happened_on=happened_on,
            reason=reason,
            other_household=other,
            actor=actor,
        )
    record(
        locked,
        action="split",
        actor=actor,
        note=reason,
        data={"new_household": new.pk, "members": sorted(moving_ids)},
    )
    record(new, action="create", actor=actor, note=reason, data={"split_from": locked.pk})
    return new


@transaction.atomic
def household_merge(
    *,
    household: Household,
    into: Household,
    actor,
    happened_on: datetime.date,
    reason: str,
    relations: dict[int, str],
) -> Household:
    """Move every member of ``household`` into ``into``; ``relations`` gives each moving member's
    relation to the receiving head (the moving head may not stay 户主). The merged household keeps
    its record with size 0 members and a change entry pointing at the receiver."""
    first, second = sorted([household.pk, into.pk])
    locked = {
        h.pk: h
        for h in Household.objects.select_for_update()
        .select_related("area")
        .filter(pk__in=[first, second])
    }
    source, target = locked[household.pk], locked[into.pk]
    if source.pk == target.pk:
        raise MonitoringError(_("A household cannot be merged into itself."))
    ensure_may_change(actor, source)
    ensure_may_change(actor, target)
    _require_reason(reason)
    moving = list(source.members.select_for_update().filter(status=Member.Status.ACTIVE))
    receiving = list(target.members.select_for_update().filter(status=Member.Status.ACTIVE))
    for member in moving:
        member.relation = relations.get(member.pk, "")
        if not member.relation:
            raise MonitoringError(
                _("Give the relation to the new head for %(name)s.") % {"name": member.name}
            )
    violations = [v for v in check_composition(receiving + moving) if v.is_error]
    if violations:
        raise RulesBroken(violations)
    for member in moving:
        Member.objects.filter(pk=member.pk).update(
            household=target, relation=member.relation, version=F("version") + 1
        )
    target.household_size = len(receiving) + len(moving)
    target.version = F("version") + 1
    target.save(update_fields=["household_size", "version", "updated_at"])
    # The merged household keeps its record (and history) and points at the receiver.
    source.merged_into = target
    source.version = F("version") + 1
    source.save(update_fields=["merged_into", "version", "updated_at"])
    for one, other in ((source, target), (target, source)):
        HouseholdChange.objects.create(
            household=one,
            kind=HouseholdChange.Kind.MERGED,
            happened_on=happened_on,
            reason=reason,
            other_household=other,
            actor=actor,
        )
    record(source, action="merged", actor=actor, note=reason, data={"into": target.pk})
    record(target, action="merged_in", actor=actor, note=reason, data={"from": source.pk})
    target.refresh_from_db()
    return target


def _require_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise MonitoringError(_("Give the reason for the change."), field="reason")


def refresh_head_name(household: Household) -> None:
    head = household.members.filter(status=Member.Status.ACTIVE, relation=Relation.HEAD).first()
    if head is not None and head.name != household.head_name:
        Household.objects.filter(pk=household.pk).update(head_name=head.name)


CONDITION_FIELDS = (
    "cultivated_land",
    "pasture",
    "water_surface",
    "forest_land",
    "returned_forest",
    "orchard",
    "road_type",
    "distance_to_road_km",
    "cooperative_member",
    "house_grade",
    "house_area",
    "main_fuel",
    "linked_leading_firm",
    "linked_entrepreneur",
    "has_electricity",
    "has_broadcast_tv",
    "industry_assistance_type",
)


@transaction.atomic
def living_condition_save(*, household: Household, actor, year: int, values: dict[str, Any]):
    """Create or replace the production and living conditions of ``household`` for ``year``."""
    from monitoring.models import LivingCondition

    locked = Household.objects.select_for_update().select_related("area").get(pk=household.pk)
    ensure_may_change(actor, locked)
    condition, created = LivingCondition.objects.get_or_create(household=locked, year=year)
    before = snapshot(condition, CONDITION_FIELDS)
    for name in CONDITION_FIELDS:
        if name in values:
            setattr(condition, name, values[name])
    condition.full_clean()
    condition.save()
    changed = audit_changes(before, condition)
    record(
        condition,
        action="create" if created else "change",
        actor=actor,
        area=locked.area,
        data={"year": year, "changed": changed},
    )
    return condition
