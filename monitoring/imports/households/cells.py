"""Reading one cell of the national layout: the value an import stores, or a Chinese message that
says what is wrong with it. Pure functions; no database.

ID, phone and national numbers are read as text. A number in such a cell is refused when digits
may have been lost (Excel keeps 15 significant digits, so 211282198005170011 becomes
2.11282E+17), because guessing the missing digits would attach records to the wrong person.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from kaiyuan.common.idcard import (
    DISABILITY_CATEGORIES,
    IdNumber,
    InvalidIdNumber,
    parse_disability_certificate,
    parse_id_number,
)
from kaiyuan.common.money import CENT
from monitoring.codes import NO, YES, IdType
from monitoring.imports.households import layout
from monitoring.imports.households.layout import Column

EXACT_DIGITS = 15  # what Excel keeps of a number
_MULTI_SEPARATORS = re.compile(r"[,，、;；/]")
_DISABILITY_BY_NAME = {name: code for code, name in DISABILITY_CATEGORIES.items()}


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def display(value: object) -> str:
    """A cell value as the user typed it, for messages."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def parse(column: Column, value: object, context: Context):
    """The stored value of ``value`` under ``column``; raises CellError."""
    parser = _PARSERS[column.kind]
    return parser(column, value, context)


# ---- text and national numbers ------------------------------------------------------------------


def _text(column: Column, value: object, context: Context) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        raise CellError(_("Enter text here, not a date."))
    text = display(value)
    if column.max_length and len(text) > column.max_length:
        raise CellError(
            _("At most %(n)s characters are allowed here; this cell has %(m)s.")
            % {"n": column.max_length, "m": len(text)}
        )
    return text


def _number_text(column: Column, value: object, context: Context) -> str:
    """户编号, 人编号 and phone numbers: text; a whole number of at most 15 digits is taken as it
    is (nothing was lost), anything longer or with a fraction was rounded by Excel."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        raise CellError(_("Enter the number as text."))
    if isinstance(value, datetime.datetime | datetime.date):
        raise CellError(_("Enter the number as text, not a date."))
    if isinstance(value, int | float):
        whole = isinstance(value, int) or value.is_integer()
        if not whole or len(str(abs(int(value)))) > EXACT_DIGITS:
            raise CellError(
                _(
                    "This number is stored as a number (%(shown)s) and Excel may have lost "
                    "digits: format the column as text and enter the full number."
                )
                % {"shown": _scientific(value)}
            )
        value = str(int(value))
    text = str(value).strip().replace(" ", "")
    if column.max_length and len(text) > column.max_length:
        raise CellError(
            _("At most %(n)s characters are allowed here; this cell has %(m)s.")
            % {"n": column.max_length, "m": len(text)}
        )
    return text


def _scientific(value: int | float) -> str:
    return f"{float(value):.5E}"


def _id_number(column: Column, value: object, context: Context) -> ParsedId | None:
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(
            _(
                "ID number stored as a number (%(shown)s): Excel keeps only 15 digits. Format "
                "the column as text and enter all 18 characters."
            )
            % {"shown": _scientific(value)}
        )
    text = str(value).strip().replace(" ", "").upper()
    if "*" in text:
        raise CellError(
            _(
                "This ID number is masked (it contains *). Import needs the full number: export "
                "with full ID numbers or enter it again."
            )
        )
    try:
        if len(text) in (20, 22):
            certificate = parse_disability_certificate(text)
            parsed = parse_id_number(certificate.id_number, today=context.today)
            return _parsed_id(
                parsed, IdType.DISABILITY_CERT, certificate.category, certificate.grade
            )
        parsed = parse_id_number(text, today=context.today)
    except InvalidIdNumber as exc:
        raise CellError(str(exc.message)) from None
    return _parsed_id(parsed, IdType.RESIDENT_ID)


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
    if is_blank(value):
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is None:
        raise CellError(_("Enter a whole number."))
    if column.minimum is not None and number < column.minimum:
        raise CellError(_("The number must be at least %(n)s.") % {"n": column.minimum})
    maximum = column.maximum
    if column.field == "disability_certificate_year":
        maximum = context.today.year
    if maximum is not None and number > maximum:
        raise CellError(_("The number must be at most %(n)s.") % {"n": maximum})
    return number


def _money(column: Column, value: object, context: Context) -> Decimal | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Enter an amount in yuan, for example 1234.56."))
    try:
        # A float from Excel is turned into text first: Decimal(0.1) would carry binary noise.
        text = repr(value) if isinstance(value, float) else str(value).strip().replace(",", "")
        amount = Decimal(text)
    except InvalidOperation:
        raise CellError(_("Enter an amount in yuan, for example 1234.56.")) from None
    if not amount.is_finite():
        raise CellError(_("Enter an amount in yuan, for example 1234.56."))
    if amount < 0:
        raise CellError(_("Amounts cannot be negative."))
    return amount.quantize(CENT)


# ---- code tables --------------------------------------------------------------------------------


def _yes_no(column: Column, value: object, context: Context) -> bool | None:
    if is_blank(value):
        return None
    text = str(value).strip()
    if text == YES:
        return True
    if text == NO:
        return False
    raise CellError(_("Enter 是 or 否, not “%(value)s”.") % {"value": display(value)})


def _choice(column: Column, value: object, context: Context) -> str:
    if is_blank(value):
        return ""
    text = display(value)
    if text not in column.choices:
        raise CellError(
            _("“%(value)s” is not a value of the national code table for %(column)s.")
            % {"value": text, "column": column.header}
        )
    return text


def _multi_choice(column: Column, value: object, context: Context) -> str:
    if is_blank(value):
        return ""
    parts: list[str] = []
    for part in _MULTI_SEPARATORS.split(str(value)):
        part = part.strip()
        if not part:
            continue
        if part not in column.choices:
            raise CellError(
                _("“%(value)s” is not a value of the national code table for %(column)s.")
                % {"value": part, "column": column.header}
            )
        if part not in parts:
            parts.append(part)
    return ",".join(parts)


def _code_item(column: Column, value: object, context: Context) -> str:
    if is_blank(value):
        return ""
    text = display(value)
    if text not in context.code_tables.get(column.code_table, frozenset()):
        raise CellError(
            _("“%(value)s” is not in the code table for %(column)s.")
            % {"value": text, "column": column.header}
        )
    return text


def _disability(column: Column, value: object, context: Context) -> str:
    """残疾类别: the certificate's category digit (1-7) or its name (肢体, 肢体残疾 …)."""
    if is_blank(value):
        return ""
    text = display(value)
    if text in DISABILITY_CATEGORIES:
        return text
    name = text.removesuffix("残疾")
    if name in _DISABILITY_BY_NAME:
        return _DISABILITY_BY_NAME[name]
    raise CellError(
        _("Enter a disability category: %(values)s.")
        % {"values": "、".join(DISABILITY_CATEGORIES.values())}
    )


def _sex(column: Column, value: object, context: Context) -> str:
    return _choice(column, value, context)


# ---- dates --------------------------------------------------------------------------------------

_DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?$")


def _date(column: Column, value: object, context: Context) -> datetime.date | None:
    if is_blank(value):
        return None
    day = _as_date(value)
    if day is None:
        raise CellError(
            _("Enter a date such as 2024-03-15 (or the month as 202403), not “%(value)s”.")
            % {"value": display(value)}
        )
    if day > context.today:
        raise CellError(_("The date %(date)s is in the future.") % {"date": day.isoformat()})
    if day.year < 1900:
        raise CellError(_("The date %(date)s is before 1900.") % {"date": day.isoformat()})
    return day


def _as_date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    try:
        if text.isdigit() and len(text) == 8:
            return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if text.isdigit() and len(text) == 6:  # YYYYMM, as the national system writes months
            return datetime.date(int(text[:4]), int(text[4:]), 1)
        match = _DATE_TEXT.match(text)
        if match:
            return datetime.date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError:
        return None
    return None


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
    layout.SEX: _sex,
    layout.BIRTH_DATE: _date,
}


def yes_no_text(value: bool | None) -> str | None:
    """How exports write a yes/no field (None stays an empty cell)."""
    if value is None:
        return None
    return YES if value else NO
