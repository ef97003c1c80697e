"""Writes to the division tree: the bureau's import of village (and group) codes."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from kaiyuan.areas.models import Area
from kaiyuan.audit import record
from kaiyuan.common.errors import DomainError

LEVEL_BY_LENGTH = {12: Area.Level.VILLAGE, 15: Area.Level.GROUP}
PARENT_CODE_LENGTH = {Area.Level.VILLAGE: 9, Area.Level.GROUP: 12}


class AreaImportError(DomainError):
    code = "area_import_invalid"

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class AreaImportResult:
    created: int
    updated: int
    unchanged: int


def kind_for(level: str, name: str) -> str:
    if level == Area.Level.GROUP:
        return Area.Kind.GROUP
    if name.endswith(("社区", "居委会", "社区居委会")):
        return Area.Kind.RESIDENTS_COMMITTEE
    return Area.Kind.VILLAGE_COMMITTEE


def child_path(parent: Area, code: str) -> str:
    return f"{parent.path}{code}/"


def area_import_csv(*, text: str, actor=None) -> AreaImportResult:
    """Import villages (12-digit codes) and villager groups (15-digit codes) from CSV text with the
    columns ``code,name``. The whole file is checked first; one bad row refuses the whole file, so
    the tree is never half-imported. Importing the same file twice changes nothing."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or not {"code", "name"} <= {f.strip() for f in reader.fieldnames}:
        raise AreaImportError([_("The file must have the columns code and name.")])
    rows: list[tuple[int, str, str]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        code = (raw.get("code") or "").strip()
        name = (raw.get("name") or "").strip()
        if not code.isdigit() or len(code) not in LEVEL_BY_LENGTH:
            errors.append(
                _("Line %(line)s: the code %(code)r must have 12 (village) or 15 (group) digits.")
                % {"line": line, "code": code}
            )
            continue
        if not name or len(name) > 64:
            errors.append(_("Line %(line)s: the name is empty or too long.") % {"line": line})
            continue
        if code in seen:
            errors.append(
                _("Line %(line)s: the code %(code)s appears twice.") % {"line": line, "code": code}
            )
            continue
        seen.add(code)
        rows.append((line, code, name))

    # Villages before groups, so that a group's village may come from the same file.
    rows.sort(key=lambda row: (len(row[1]), row[1]))
    existing = {area.code: area for area in Area.objects.filter(code__in=seen | _parents(seen))}
    new_codes = {code for _line, code, _name in rows}
    for line, code, _name in rows:
        level = LEVEL_BY_LENGTH[len(code)]
        parent_code = code[: PARENT_CODE_LENGTH[level]]
        if parent_code not in existing and parent_code not in new_codes:
            errors.append(
                _("Line %(line)s: the parent division %(parent)s of %(code)s does not exist.")
                % {"line": line, "parent": parent_code, "code": code}
            )
    if errors:
        raise AreaImportError(errors)

    created = updated = unchanged = 0
    with transaction.atomic():
        for _line, code, name in rows:
            level = LEVEL_BY_LENGTH[len(code)]
            parent = existing[code[: PARENT_CODE_LENGTH[level]]]
            area = existing.get(code)
            if area is None:
                area = Area.objects.create(
                    code=code,
                    name=name,
                    level=level,
                    kind=kind_for(level, name),
                    parent=parent,
                    path=child_path(parent, code),
                )
                existing[code] = area
                created += 1
            elif area.name != name:
                area.name = name
                area.kind = kind_for(level, name)
                area.save(update_fields=["name", "kind"])
                updated += 1
            else:
                unchanged += 1
        result = AreaImportResult(created=created, updated=updated, unchanged=unchanged)
        record(
            None,
            action="area_import",
            actor=actor,
            # From a page the request says web or admin; without an actor it is the command.
            source="command" if actor is None else None,
            data={"created": created, "updated": updated, "unchanged": unchanged},
        )
    return result


def _parents(codes: set[str]) -> set[str]:
    return {code[: PARENT_CODE_LENGTH[LEVEL_BY_LENGTH[len(code)]]] for code in codes}
