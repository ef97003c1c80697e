"""Writes to members: add (birth, marriage, move-in), edit with a version check, remove (death,
marriage, move-out) with date and reason. Members are never deleted. Their ID numbers are
validated, encrypted with a blind index and masked here; revealing one is audited."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.audit import changes as audit_changes
from kaiyuan.audit import record, snapshot
from kaiyuan.common import dates, pii
from kaiyuan.common.errors import DomainError
from kaiyuan.common.idcard import (
    IdNumber,
    InvalidIdNumber,
    mask_id_number,
    parse_disability_certificate,
    parse_id_number,
)
from kaiyuan.common.rules import RulesBroken, Violation
from kaiyuan.common.scoping import ensure_may_change
from monitoring.codes import IdType, Relation, Sex
from monitoring.exceptions import HouseholdChanged, MonitoringError
from monitoring.models import Household, HouseholdChange, Member
from monitoring.rules.households import check_composition
from monitoring.rules.members import ID_DIS_1, MON_DQ_1, MON_DQ_2, check_member, duplicate_id

MEMBER_EDITABLE = (
    "person_number",
    "name",
    "relation",
    "ethnicity",
    "political_status",
    "education",
    "schooling",
    "dropout_reason",
    "health",
    "disability_category",
    "disability_grade",
    "disability_certificate_year",
    "labour_skill",
    "work_months",
    "work_place",
    "employer",
    "works_abroad",
    "employment_channel",
    "welfare_job_type",
    "welfare_job_months",
    "residents_medical_insurance",
    "employees_medical_insurance",
    "critical_illness_insurance",
    "commercial_medical_insurance",
    "medical_assistance",
    "other_health_assistance",
    "residents_pension",
    "employees_pension",
    "dibao",
    "tekun",
    "relocated",
    "speaks_mandarin",
    "phone",
    "id_type",
)
ADD_KINDS = (
    HouseholdChange.Kind.MEMBER_BORN,
    HouseholdChange.Kind.MEMBER_MARRIED_IN,
    HouseholdChange.Kind.MEMBER_MOVED_IN,
)
REMOVE_KINDS = (
    HouseholdChange.Kind.MEMBER_DIED,
    HouseholdChange.Kind.MEMBER_MARRIED_OUT,
    HouseholdChange.Kind.MEMBER_MOVED_OUT,
)


def apply_id_number(member: Member, raw: str, *, certificate: str = "") -> list[Violation]:
    """Validate and store the ID number on ``member`` (sex and birth date derived from it, ID-3);
    a disability certificate must carry the same number (ID-DIS-1)."""
    try:
        stored = id_store(raw)
    except InvalidIdNumber as exc:
        return [MON_DQ_1.violation("id_number", exc.message)]
    member.id_cipher, member.id_index, member.id_masked = stored.cipher, stored.index, stored.masked
    member.birth_date = stored.parsed.birth_date
    member.sex = Sex.MALE if stored.parsed.sex == "male" else Sex.FEMALE
    if certificate:
        try:
            cert = parse_disability_certificate(certificate, id_number=stored.parsed.number)
        except InvalidIdNumber as exc:
            return [ID_DIS_1.violation("disability_certificate", exc.message)]
        member.id_type = IdType.DISABILITY_CERT
        member.disability_category, member.disability_grade = cert.category, cert.grade
    return []


def validate_member(
    member: Member, household: Household, *, others: list[Member], actor
) -> list[Violation]:
    """All hard and flagged rules for ``member`` within ``household`` (``others`` are the other
    current members), as ``actor`` may be told them. Raises nothing; callers decide."""
    violations = check_member(member, household)
    if duplicate := duplicate_id(member, actor=actor):
        violations.append(duplicate)
    violations += check_composition([*others, member])
    return violations


def member_violations(
    member: Member,
    household: Household,
    *,
    others: list[Member],
    actor,
    id_number: str | None = None,
    certificate: str = "",
) -> list[Violation]:
    """Every rule ``member`` breaks, all in one list: the ID number's own checks (MON-DQ-1,
    ID-DIS-1) when a number is given, then every member and composition rule. A bad number does
    not hide the other rules: a clerk fixes everything in one round, not one error per save."""
    violations = []
    if id_number is not None or certificate:
        raw = id_number or pii.decrypt(member.id_cipher)
        violations += apply_id_number(member, raw, certificate=certificate)
    return violations + validate_member(member, household, others=others, actor=actor)


def _raise_errors(violations: list[Violation]) -> None:
    errors = [v for v in violations if v.is_error]
    if errors:
        raise RulesBroken(errors)


def _new_member(household: Household, data: dict[str, Any]) -> Member:
    return Member(household=household, **{k: v for k, v in data.items() if k in MEMBER_EDITABLE})


def _others(household: Household) -> list[Member]:
    return list(household.members.filter(status=Member.Status.ACTIVE).exclude(relation=""))


def registration_open(household: Household) -> bool:
    """Whether a member added now belongs to the household's first registration (首次登记):
    the household declared more members (家庭人口数) than it has, and nothing has happened to
    it since it was registered. After a birth, a marriage or a move, or once every declared
    member is entered, a new member is a change of the household and says which one."""
    active = household.members.filter(status=Member.Status.ACTIVE).count()
    if active >= household.household_size:
        return False
    return not household.changes.exclude(kind=HouseholdChange.Kind.FIRST_REGISTRATION).exists()


def member_add_problems(
    *, household: Household, actor, data: dict[str, Any], id_number: str | None, certificate=""
) -> list[Violation]:
    """The errors ``member_create`` would refuse, without writing anything: a page whose form
    has errors of its own shows these beside them, so that every error comes in one round."""
    member = _new_member(household, data)
    violations = member_violations(
        member,
        household,
        others=_others(household),
        actor=actor,
        id_number=id_number,
        certificate=certificate,
    )
    return [v for v in violations if v.is_error]


def member_edit_problems(
    *, member: Member, actor, changes: dict[str, Any], id_number: str | None, certificate=""
) -> list[Violation]:
    """The errors ``member_update`` would refuse, without writing anything (see above)."""
    edited = Member.objects.select_related("household").get(pk=member.pk)
    for name, value in changes.items():
        if name in MEMBER_EDITABLE:
            setattr(edited, name, value)
    violations = member_violations(
        edited,
        edited.household,
        others=list(edited.household.members.active().exclude(pk=edited.pk)),
        actor=actor,
        id_number=id_number,
        certificate=certificate,
    )
    return [v for v in violations if v.is_error]


def _lock_household(household: Household, actor) -> Household:
    locked = Household.objects.select_for_update().select_related("area").get(pk=household.pk)
    ensure_may_change(actor, locked)
    return locked


@transaction.atomic
def member_create(
    *,
    household: Household,
    actor,
    id_number: str,
    data: dict[str, Any],
    kind: str | None,
    happened_on: datetime.date | None = None,
    reason: str = "",
    certificate: str = "",
    audit: bool = True,
) -> Member:
    """Add a member. ``kind`` is the typed change (birth, marriage in, move in). None is the
    member's first registration with the household (its head, and the members it declared
    until they are all entered, ``registration_open``): recorded as such, never asked for."""
    locked = _lock_household(household, actor)
    if kind is not None and kind not in ADD_KINDS:
        raise MonitoringError(f"not a way to add a member: {kind}")
    if kind is None and not registration_open(locked):
        raise MonitoringError(
            _("Every member of the household is registered: say how this one joined it."),
            code="change_required",
            field="kind",
        )
    if kind is not None and (happened_on is None or not reason.strip()):
        raise MonitoringError(_("Give the date and reason of the change."), field="reason")
    member = _new_member(locked, data)
    _raise_errors(
        member_violations(
            member,
            locked,
            others=_others(locked),
            actor=actor,
            id_number=id_number,
            certificate=certificate,
        )
    )
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:  # a parallel save took the same ID number between check and insert
        raise RulesBroken(
            [MON_DQ_2.violation("id_number", _("This ID number already belongs to a member."))]
        ) from None
    if kind is not None:
        Household.objects.filter(pk=locked.pk).update(
            household_size=F("household_size") + 1, version=F("version") + 1
        )
    HouseholdChange.objects.create(
        household=locked,
        kind=kind or HouseholdChange.Kind.FIRST_REGISTRATION,
        happened_on=happened_on or dates.today(),
        reason=reason,
        member=member,
        actor=actor,
    )
    if audit:
        record(
            member,
            action="create",
            actor=actor,
            note=reason,
            data={"kind": kind or HouseholdChange.Kind.FIRST_REGISTRATION},
        )
    return member


@transaction.atomic
def member_update(
    *,
    member: Member,
    actor,
    expected_version: int,
    changes: dict[str, Any],
    id_number: str | None = None,
    certificate: str = "",
) -> Member:
    """Edit a member if nobody saved it since ``expected_version``; every rule is checked."""
    unknown = set(changes) - set(MEMBER_EDITABLE)
    if unknown:
        raise MonitoringError(f"not editable here: {sorted(unknown)}")
    locked_household = _lock_household(member.household, actor)
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if locked.version != expected_version:
        raise HouseholdChanged(
            _(
                "Someone else saved this member after you opened it. Your changes were not "
                "saved: reload the page to see the current record, then make them again."
            )
        )
    if not locked.is_active:
        raise MonitoringError(_("A removed member cannot be edited."))
    before = snapshot(locked, changes)
    for name, value in changes.items():
        setattr(locked, name, value)
    others = list(
        locked_household.members.filter(status=Member.Status.ACTIVE).exclude(pk=locked.pk)
    )
    _raise_errors(
        member_violations(
            locked,
            locked_household,
            others=others,
            actor=actor,
            id_number=id_number,
            certificate=certificate,
        )
    )
    locked.version = F("version") + 1
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise RulesBroken(
            [MON_DQ_2.violation("id_number", _("This ID number already belongs to a member."))]
        ) from None
    locked.refresh_from_db()
    if locked.relation == Relation.HEAD and locked.name != locked_household.head_name:
        Household.objects.filter(pk=locked_household.pk).update(head_name=locked.name)
    changed = audit_changes(before, locked)
    if id_number is not None:
        changed["id_number"] = ["…", "…"]  # never write an ID number into the trail
    record(locked, action="change", actor=actor, data={"changed": changed})
    return locked


@transaction.atomic
def member_remove(
    *, member: Member, actor, kind: str, happened_on: datetime.date, reason: str
) -> Member:
    """End a membership (death, marriage out, registration moved out) with date and reason. The
    head cannot leave before another member becomes head (MON-DQ-3)."""
    if kind not in REMOVE_KINDS:
        raise MonitoringError(f"not a way to remove a member: {kind}")
    if not (reason or "").strip():
        raise MonitoringError(_("Give the reason for the change."), field="reason")
    locked_household = _lock_household(member.household, actor)
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if not locked.is_active:
        raise MonitoringError(_("This member has already been removed."))
    if locked.relation == Relation.HEAD:
        raise MonitoringError(
            _("Change the head of household first: the head cannot be removed."),
            code="head_cannot_leave",
        )
    locked.status = Member.Status.REMOVED
    locked.removed_on, locked.removal_reason = happened_on, reason
    locked.version = F("version") + 1
    locked.save(update_fields=["status", "removed_on", "removal_reason", "version", "updated_at"])
    Household.objects.filter(pk=locked_household.pk).update(
        household_size=Greatest(F("household_size") - 1, 1), version=F("version") + 1
    )
    HouseholdChange.objects.create(
        household=locked_household,
        kind=kind,
        happened_on=happened_on,
        reason=reason,
        member=locked,
        actor=actor,
    )
    record(
        locked,
        action="remove",
        actor=actor,
        from_state="active",
        to_state="removed",
        note=reason,
        data={"kind": kind},
    )
    locked.refresh_from_db()
    return locked


# =============================================================================================
# ID numbers: validation, encryption with a blind index, masking, audited reveal
# =============================================================================================


class RevealNotAllowed(DomainError):
    code = "reveal_not_allowed"


@dataclass(frozen=True)
class StoredId:
    cipher: str
    index: str
    masked: str
    parsed: IdNumber


def id_store(raw: str) -> StoredId:
    """Validate (ID-1, ID-2, ID-5) and prepare an ID number for storage."""
    parsed = parse_id_number(raw)
    return StoredId(
        cipher=pii.encrypt(parsed.number),
        index=pii.blind_index(parsed.number),
        masked=mask_id_number(parsed.number),
        parsed=parsed,
    )


def id_index_of(raw: str) -> str | None:
    """The blind index of a typed number, or None if it is not a valid ID number."""
    try:
        return pii.blind_index(parse_id_number(raw).number)
    except InvalidIdNumber:
        return None


def may_see_full_ids(user) -> bool:
    """Clerks enter and reconcile numbers in the national system, the bureau approves cases,
    auditors inspect, the administrator answers for data (the capability matrix)."""
    return user_can(user, "members.reveal_id")


def member_reveal_id(*, member, actor, source: str = "web") -> str:
    """The full ID number of ``member`` for a role that needs it; every reveal is audited."""
    if not may_see_full_ids(actor):
        raise RevealNotAllowed(_("Your role may not see full ID numbers."))
    number = pii.decrypt(member.id_cipher)
    record(member, action="reveal_id", actor=actor, source=source, area=member.household.area)
    return number


@dataclass(frozen=True)
class IdCheck:
    empty: bool
    error: str = ""
    sex: str = ""
    birth_date: str = ""
    taken_by: str = ""  # household number of the current holder, if visible to the user
    taken: bool = False
    # Taken by someone the user may not see: the page says only that the number cannot be
    # registered here, nothing about where (no household, village or township).
    not_here: bool = False


class TooManyChecks(DomainError):
    code = "too_many_checks"


def _count_check(user) -> None:
    """At most ID_CHECKS_PER_MINUTE checks a minute per user (in the cache, shared by every
    process): an ID check must not become a way to sweep the county for who is registered."""
    key = f"id-check:{user.pk}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=120):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=120)
            count = 1
    if count > settings.ID_CHECKS_PER_MINUTE:
        raise TooManyChecks(
            _("Too many ID numbers checked in a minute. Wait a moment and try again.")
        )


def id_number_check(raw: str, *, user) -> IdCheck:
    """What a form shows beside an ID number as it is typed: validity, the sex and birth date it
    encodes, and whether it already belongs to a member (which household only when the user may
    see it). Each lookup is counted and audited; the number itself is kept only masked."""
    from monitoring.models import Member

    text = (raw or "").strip()
    if not text:
        return IdCheck(empty=True)
    try:
        parsed = parse_id_number(text)
    except InvalidIdNumber as exc:
        return IdCheck(empty=False, error=exc.message)
    _count_check(user)
    holder = (
        Member.objects.filter(id_index=pii.blind_index(parsed.number), status="active")
        .select_related("household")
        .first()
    )
    visible = holder is not None and (Member.objects.visible_to(user).filter(pk=holder.pk).exists())
    outcome = "free" if holder is None else "visible" if visible else "not_here"
    record(
        None,
        action="id_check",
        actor=user,
        area=user.area,
        data={"id_number": mask_id_number(parsed.number), "outcome": outcome},
    )
    return IdCheck(
        empty=False,
        sex=_("male") if parsed.sex == "male" else _("female"),
        birth_date=parsed.birth_date.isoformat(),
        taken=visible,
        taken_by=holder.household.household_number if visible else "",
        not_here=outcome == "not_here",
    )


def member_search_by_id(raw: str, *, user, source: str = "web") -> list:
    """The members ``user`` may see holding the ID number ``raw`` (current or removed), found
    through the blind index. Counted with the ID checks (the same sweep to guard against) and
    audited with the number masked and how many were found."""
    from monitoring.models import Member

    parsed = parse_id_number((raw or "").strip())
    _count_check(user)
    found = list(
        Member.objects.visible_to(user)
        .filter(id_index=pii.blind_index(parsed.number))
        .select_related("household")
        .order_by("id")
    )
    record(
        None,
        action="id_search",
        actor=user,
        area=user.area,
        source=source,
        data={"id_number": mask_id_number(parsed.number), "found": len(found)},
    )
    return found
