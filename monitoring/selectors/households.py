"""Reads of the household registry for pages, exports and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.scoping import get_for_user, may_see_model
from monitoring.models import (
    GuaranteeCheck,
    Household,
    HouseholdChange,
    IncomeRecord,
    LivingCondition,
    Member,
    Visit,
)
from monitoring.models.cases import MonitoringCase
from monitoring.models.warnings import DeptWarning
from monitoring.services.members import id_index_of

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class SearchResult:
    households: list[Household]
    kind: str  # "id", "number", "name" or "" (nothing searched)
    truncated: bool


def household_search(*, user, query: str, among: QuerySet[Household] | None = None) -> SearchResult:
    """Find households the user may see by a full ID number (exact, through the blind index: any
    member, current or removed), a household number (prefix) or a name (prefix of the head's or
    any member's name). Returns at most SEARCH_LIMIT households; ``among`` narrows the search
    to some households (a picker that offers only those a record may name)."""
    text = (query or "").strip()
    if not text:
        return SearchResult([], "", False)
    households = (
        (Household.objects.all() if among is None else among)
        .visible_to(user)
        .select_related("area", "area__parent", "grid")
    )
    index = id_index_of(text) if len(text) in (15, 18) else None
    if index is not None:
        kind = "id"
        households = households.filter(
            Exists(Member.objects.filter(household=OuterRef("pk"), id_index=index))
        )
    elif text.isdigit():
        kind = "number"
        households = households.filter(household_number__startswith=text)
    else:
        kind = "name"
        households = households.filter(
            Q(head_name__startswith=text)
            | Exists(Member.objects.filter(household=OuterRef("pk"), name__startswith=text))
        )
    rows = list(households.order_by("household_number")[: SEARCH_LIMIT + 1])
    return SearchResult(rows[:SEARCH_LIMIT], kind, len(rows) > SEARCH_LIMIT)


def household_get_for_user(user, pk: int, *, write: bool = False) -> Household:
    return get_for_user(
        Household.objects.select_related("area", "area__parent", "group", "grid", "merged_into"),
        user,
        write=write,
        pk=pk,
    )


def member_get_for_user(user, pk: int, *, write: bool = False) -> Member:
    return get_for_user(
        Member.objects.select_related("household", "household__area"), user, write=write, pk=pk
    )


@dataclass(frozen=True)
class HouseholdDetail:
    """What the household page shows. A section is None when the user may see none of its rows
    (department staff see the members, their sector's warnings and measures, nothing else)."""

    household: Household
    members: list[Member]
    removed_members: list[Member]
    incomes: list[IncomeRecord] | None
    conditions: list[LivingCondition] | None
    guarantee_checks: list[GuaranteeCheck] | None
    latest_visit: Visit | None
    changes: list[HouseholdChange] | None
    history: list[AuditEvent] | None
    cases: list | None
    warnings: list[DeptWarning] | None

    @property
    def open_case(self):
        return next((case for case in self.cases if case.is_open), None)


def _rows(user, model, household: Household, *order: str, related=(), limit: int | None = None):
    """The household's rows of ``model`` that ``user`` may see, or None if the user may see no
    row of that model at all."""
    if not may_see_model(user, model):
        return None
    rows = model.objects.visible_to(user).filter(household=household).order_by(*order)
    if related:
        rows = rows.select_related(*related)
    return list(rows[:limit] if limit else rows)


def household_detail(household: Household, *, user) -> HouseholdDetail:
    """Everything the household page shows, in a fixed number of queries, each section read
    through ``visible_to`` so that a role sees only what it may."""
    members = list(
        Member.objects.visible_to(user).filter(household=household).order_by("status", "id")
    )
    history = None
    if may_see_model(user, HouseholdChange):
        household_type = ContentType.objects.get_for_model(Household)
        member_type = ContentType.objects.get_for_model(Member)
        member_ids = [str(m.pk) for m in members]
        history = list(
            AuditEvent.objects.filter(
                Q(content_type=household_type, object_id=str(household.pk))
                | Q(content_type=member_type, object_id__in=member_ids)
            )
            # The states are shown in the words of the event's model.
            .select_related("content_type")
            .order_by("-at", "-id")[:30]
        )
    visits = _rows(user, Visit, household, "-visited_on", "-id", related=["visitor"], limit=1)
    return HouseholdDetail(
        household=household,
        members=[m for m in members if m.is_active],
        removed_members=[m for m in members if not m.is_active],
        incomes=_rows(user, IncomeRecord, household, "-year", "kind"),
        conditions=_rows(user, LivingCondition, household, "-year", limit=2),
        guarantee_checks=_rows(user, GuaranteeCheck, household, "-checked_on", limit=2),
        latest_visit=visits[0] if visits else None,
        changes=_rows(
            user,
            HouseholdChange,
            household,
            "-happened_on",
            "-id",
            related=["member", "actor", "other_household"],
            limit=20,
        ),
        history=history,
        cases=_rows(user, MonitoringCase, household, "-opened_at", limit=10),
        warnings=(
            _rows(user, DeptWarning, household, "-warned_on", "-id")
            if getattr(user, "department", "")
            else None
        ),
    )


def household_list(*, user) -> QuerySet[Household]:
    """The households of ``user``'s area (the roles with ``households.browse``), before the
    filters of monitoring.filters.HouseholdFilter (the API's and the page's)."""
    return (
        Household.objects.visible_to(user)
        .current()
        .select_related("area", "area__parent", "grid")
        .order_by("household_number")
    )
