"""Reading one cell of the national layout: the value an import stores, or a Chinese message that
says what is wrong with it. Pure functions; no database. Each kind of column is read by the
pipeline's cell parsers (kaiyuan.common.imports.cells); what is national is here: which parser
a column takes, the disability certificate number, and the 1-7 disability categories.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext

from kaiyuan.common.idcard import (
    DISABILITY_CATEGORIES,
    IdNumber,
    InvalidIdNumber,
    parse_disability_certificate,
    parse_id_number,
)
from kaiyuan.common.imports import cells as pipeline_cells
from kaiyuan.common.imports.cells import CellError, display, is_blank
from monitoring.codes import NO, YES, IdType
from monitoring.imports.households import layout
from monitoring.imports.households.layout import Column

__all__ = ["CellError", "Context", "ParsedId", "display", "is_blank", "parse", "yes_no_text"]

_MULTI_SEPARATORS = re.compile(r"[,，、;；/]")
_DISABILITY_BY_NAME = {name: code for code, name in DISABILITY_CATEGORIES.items()}


@dataclass(frozen=True)
class ParsedId:
    number: str  # 18 characters
    birth_date: datetime.date
    sex: str  # 男 / 女
    id_type: str  # 居民身份证, or 残疾人证 when a certificate number was given
    disability_category: str = ""
    disability_grade: str = ""


@dataclass(frozen=True)
class Context:
    """What parsing needs besides the cell: the editable code tables and today's date."""

    code_tables: dict[str, frozenset[str]]
    today: datetime.date


def parse(column: Column, value: object, context: Context):
    """The stored value of ``value`` under ``column``; raises CellError."""
    return _PARSERS[column.kind](column, value, context)


def parser_for(column: Column):
    """The function ``parse`` calls for ``column`` (looked up once per column, not per cell)."""
    return _PARSERS[column.kind]


# ---- text and national numbers ------------------------------------------------------------------


def _text(column: Column, value: object, context: Context) -> str:
    return pipeline_cells.text(value, max_length=column.max_length)


def _number_text(column: Column, value: object, context: Context) -> str:
    return pipeline_cells.number_text(value, max_length=column.max_length)


def _id_number(column: Column, value: object, context: Context) -> ParsedId | None:
    number = pipeline_cells.id_text(value)
    if not number:
        return None
    if len(number) not in (20, 22):
        parsed = pipeline_cells.id_number(number, today=context.today)
        return _parsed_id(parsed, IdType.RESIDENT_ID)
    try:
        certificate = parse_disability_certificate(number)
        parsed = parse_id_number(certificate.id_number, today=context.today)
    except InvalidIdNumber as exc:
        raise CellError(str(exc.message)) from None
    return _parsed_id(parsed, IdType.DISABILITY_CERT, certificate.category, certificate.grade)


def _parsed_id(parsed: IdNumber, id_type: str, category: str = "", grade: str = "") -> ParsedId:
    return ParsedId(
        number=parsed.number,
        birth_date=parsed.birth_date,
        sex="男" if parsed.sex == "male" else "女",
        id_type=id_type,
        disability_category=category,
        disability_grade=grade,
    )


# ---- numbers ------------------------------------------------------------------------------------


def _integer(column: Column, value: object, context: Context) -> int | None:
    maximum = column.maximum
    if column.field == "disability_certificate_year":
        maximum = context.today.year
    return pipeline_cells.integer(value, minimum=column.minimum, maximum=maximum)


def _money(column: Column, value: object, context: Context):
    return pipeline_cells.money(value)


# ---- code tables --------------------------------------------------------------------------------


def _yes_no(column: Column, value: object, context: Context) -> bool | None:
    return pipeline_cells.yes_no(value)


def _choice(column: Column, value: object, context: Context) -> str:
    return pipeline_cells.choice(value, column.choices, column=column.header)


def _multi_choice(column: Column, value: object, context: Context) -> str:
    if is_blank(value):
        return ""
    parts: list[str] = []
    for part in _MULTI_SEPARATORS.split(str(value)):
        part = part.strip()
        if not part:
            continue
        pipeline_cells.choice(part, column.choices, column=column.header)
        if part not in parts:
            parts.append(part)
    return ",".join(parts)


def _code_item(column: Column, value: object, context: Context) -> str:
    items = context.code_tables.get(column.code_table, frozenset())
    return pipeline_cells.code_item(value, items, column=column.header)


def _disability(column: Column, value: object, context: Context) -> str:
    """残疾类别: the certificate's category digit (1-7) or its name (肢体, 肢体残疾 …)."""
    if is_blank(value):
        return ""
    shown = display(value)
    if shown in DISABILITY_CATEGORIES:
        return shown
    name = shown.removesuffix("残疾")
    if name in _DISABILITY_BY_NAME:
        return _DISABILITY_BY_NAME[name]
    raise CellError(
        gettext("Enter a disability category: %(values)s.")
        % {"values": "、".join(DISABILITY_CATEGORIES.values())}
    )


# ---- dates --------------------------------------------------------------------------------------


def _date(column: Column, value: object, context: Context) -> datetime.date | None:
    return pipeline_cells.date(value, today=context.today)


def _ignored(column: Column, value: object, context: Context) -> None:
    return None


_PARSERS = {
    layout.SERIAL: _ignored,
    layout.DATA_DATE: _ignored,
    layout.COUNTY: _text,
    layout.TOWNSHIP: _text,
    layout.VILLAGE: _text,
    layout.TEXT: _text,
    layout.NUMBER: _number_text,
    layout.PHONE: _number_text,
    layout.ID_NUMBER: _id_number,
    layout.INTEGER: _integer,
    layout.MONEY: _money,
    layout.YES_NO: _yes_no,
    layout.CHOICE: _choice,
    layout.MULTI_CHOICE: _multi_choice,
    layout.CODE_ITEM: _code_item,
    layout.DISABILITY: _disability,
    layout.DATE: _date,
    layout.SEX: _choice,
    layout.BIRTH_DATE: _date,
}


def yes_no_text(value: bool | None) -> str | None:
    """How exports write a yes/no field (None stays an empty cell)."""
    if value is None:
        return None
    return YES if value else NO
