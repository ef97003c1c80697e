"""Reading the cells of a proposal's row that hold more than one value (villages' duties,
performance targets, mechanisms) or a value of a code table: pure functions that return the
value or raise ``CellError`` with a Chinese message."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from kaiyuan.accounts.roles import DEPARTMENT_NAMES, department_of
from kaiyuan.areas.models import Area
from kaiyuan.common.imports import cells
from kaiyuan.common.imports.cells import CellError
from projects.codes import IndicatorGroup, Mechanism, Subcategory
from projects.exports.library import layout as published
from projects.services.projects import Indicator

SUBCATEGORIES = {
    **{label: value for value, label in Subcategory.choices},
    **{value: value for value in Subcategory.values},
}
SPLIT_NAMES = re.compile(r"[、，,;；/\s]+")
SPLIT_ENTRIES = re.compile(r"[；;\n]+")
NAMED = re.compile(r"^(?P<name>[^:：]+)[:：](?P<text>.*)$", re.S)
INDICATOR = re.compile(
    r"^(?P<group>[^/／:：]+)[/／](?P<kind>[^:：]+)[:：](?P<name>.+?)"
    r"(?P<direction>≥|≤|>=|<=|=)(?P<target>\d+(?:\.\d+)?)(?P<unit>.*)$"
)
DIRECTIONS = {">=": "≥", "<=": "≤"}


def bounds(ref: str) -> tuple[int, int, int]:
    from openpyxl.utils import range_boundaries

    min_col, min_row, _max_col, max_row = range_boundaries(ref)
    return min_col, min_row, max_row


def choice(value: object, values, header: str) -> str:
    shown = cells.display(value)
    if shown not in values:
        raise CellError(
            _("“%(value)s” is not a value of %(column)s: write one of %(values)s.")
            % {"value": shown, "column": header, "values": "、".join(values)}
        )
    return shown


def subcategory(value: object) -> str:
    shown = cells.display(value)
    if shown not in SUBCATEGORIES:
        raise CellError(
            _("“%(value)s” is not a value of %(column)s: write one of %(values)s.")
            % {
                "value": shown,
                "column": published.SUBCATEGORY,
                "values": "、".join(Subcategory.values),
            }
        )
    return SUBCATEGORIES[shown]


def date(value: object):
    day = cells.as_date(value)
    if day is None:
        raise CellError(
            _("Enter a date such as 2024-03-15 (or the month as 202403), not “%(value)s”.")
            % {"value": cells.display(value)}
        )
    return day


def sector(value: object) -> str:
    shown = cells.display(value)
    department = department_of(shown)
    if not department:
        names = "、".join(names[0] for names in DEPARTMENT_NAMES.values())
        raise CellError(
            _("“%(value)s” is not a sector department: write one of %(values)s.")
            % {"value": shown, "values": names}
        )
    return department


def mechanisms(value: object) -> tuple[list[str], str]:
    """联农带农机制: the mechanisms separated by 、, then after ； how farmers are linked."""
    head, *rest = re.split(r"[；;]", cells.text(value), maxsplit=1)
    note = rest[0].strip() if rest else ""
    chosen = [name for name in SPLIT_NAMES.split(head) if name]
    unknown = [name for name in chosen if name not in Mechanism.values]
    if unknown:
        raise CellError(
            _(
                "“%(value)s” is not a farmer-linking mechanism: write the mechanisms among "
                "%(values)s, separated by 、, and any explanation after ；."
            )
            % {"value": "、".join(unknown), "values": "、".join(Mechanism.values)}
        )
    if len(note) > 500:
        raise CellError(
            _("At most %(n)s characters are allowed here; this cell has %(m)s.")
            % {"n": 500, "m": len(note)}
        )
    return list(dict.fromkeys(chosen)), note


def indicators(value: object) -> list[Indicator]:
    """绩效目标: entries separated by ；, each 产出指标/数量指标：新建大棚≥20座."""
    found, problems = [], []
    for entry in SPLIT_ENTRIES.split(cells.text(value)):
        entry = entry.strip()
        if not entry:
            continue
        match = INDICATOR.match(entry)
        if match is None or match["group"].strip() not in IndicatorGroup.values:
            problems.append(
                _("“%(entry)s” is not read as a target: write it as %(example)s.")
                % {"entry": entry, "example": "产出指标/数量指标：新建大棚≥20座"}
            )
            continue
        name, unit = match["name"].strip(), match["unit"].strip()
        if len(name) > 100 or len(unit) > 16:
            problems.append(
                _(
                    "The target “%(entry)s” is too long: at most 100 characters for its name "
                    "and 16 for its unit."
                )
                % {"entry": entry}
            )
            continue
        found.append(
            Indicator(
                group=match["group"].strip(),
                kind=match["kind"].strip(),
                name=name,
                unit=unit,
                target=Decimal(match["target"]),
                direction=DIRECTIONS.get(match["direction"], match["direction"]),
            )
        )
    if problems:
        raise CellError("".join(problems))
    return found


def duties(value: object, villages: list[Area]) -> dict[int, str]:
    """各村职责: entries separated by ；, each 村名：职责 (the name may be left out for a project
    of one village)."""
    by_name = {v.name: v for v in villages}
    duties: dict[int, str] = {}
    problems = []
    for entry in SPLIT_ENTRIES.split(cells.text(value)):
        entry = entry.strip()
        if not entry:
            continue
        match = NAMED.match(entry)
        if match is None and len(villages) == 1:
            village, text = villages[0], entry
        elif match is None:
            problems.append(
                _("Write each village's duties as %(example)s.")
                % {"example": "烟厂村：负责土地协调；大白庙子村：负责用工组织"}
            )
            continue
        else:
            name = match["name"].strip()
            village = by_name.get(name) or by_name.get(f"{name}村")
            text = match["text"].strip()
            if village is None:
                problems.append(
                    _("“%(village)s” is not one of the project's villages in 建设地点.")
                    % {"village": name}
                )
                continue
        if len(text) > 300:
            problems.append(
                _("The duties of %(village)s are longer than %(n)s characters.")
                % {"village": village.name, "n": 300}
            )
            continue
        duties[village.pk] = text
    if problems:
        raise CellError("".join(problems))
    return duties
