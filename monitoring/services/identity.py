"""ID numbers of members: validation, encryption with a blind index, masking, audited reveal."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kaiyuan.accounts.roles import Role
from kaiyuan.audit import record
from kaiyuan.common import pii
from kaiyuan.common.errors import DomainError
from kaiyuan.common.idcard import IdNumber, InvalidIdNumber, mask_id_number, parse_id_number

# Roles whose work needs full ID numbers: clerks enter and reconcile them in the national
# system, the bureau approves cases, auditors inspect, the administrator answers for data.
FULL_ID_ROLES = frozenset({Role.TOWNSHIP_CLERK, Role.BUREAU, Role.AUDITOR, Role.ADMIN})


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
    return user.is_superuser or user.role in FULL_ID_ROLES


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


def id_number_check(raw: str, *, user) -> IdCheck:
    """What a form shows beside an ID number as it is typed (nothing is written or audited: the
    number was typed by the user, and the answer reveals no one else's number)."""
    from monitoring.models import Member

    text = (raw or "").strip()
    if not text:
        return IdCheck(empty=True)
    try:
        parsed = parse_id_number(text)
    except InvalidIdNumber as exc:
        return IdCheck(empty=False, error=exc.message)
    holder = (
        Member.objects.filter(id_index=pii.blind_index(parsed.number), status="active")
        .select_related("household")
        .first()
    )
    visible = holder is not None and (Member.objects.visible_to(user).filter(pk=holder.pk).exists())
    return IdCheck(
        empty=False,
        sex=_("male") if parsed.sex == "male" else _("female"),
        birth_date=parsed.birth_date.isoformat(),
        taken=holder is not None,
        taken_by=holder.household.household_number if visible else "",
    )
