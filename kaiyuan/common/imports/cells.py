"""Reading one cell: the value an import keeps, or a Chinese message that says what is wrong with
that cell. Pure functions, no database; every importer builds its columns from these.

ID, phone and other national numbers are read as text and never through float: Excel keeps 15
significant digits, so an 18-digit ID number typed into a number cell (211282198005170011 shown
as 2.11282E+17) has already lost its last digits, and guessing them would attach records to the
wrong person. Such a cell is refused with a message that says so.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from kaiyuan.common.idcard import IdNumber, InvalidIdNumber, parse_id_number
from kaiyuan.common.money import CENT

EXACT_DIGITS = 15  # what Excel keeps of a number
YES, NO = "是", "否"
# Excel's serial day numbers of 1900-01-01 and 9999-12-31.
_SERIAL_MIN, _SERIAL_MAX = 1, 2_958_465
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月)?$")


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def display(value: object) -> str:
    """A cell value as the user typed it, for messages."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def _too_long(text: str, max_length: int) -> CellError:
    return CellError(
        _("At most %(n)s characters are allowed here; this cell has %(m)s.")
        % {"n": max_length, "m": len(text)}
    )


# ---- text and numbers kept as text --------------------------------------------------------------


def text(value: object, *, max_length: int = 0) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        raise CellError(_("Enter text here, not a date."))
    shown = display(value)
    if max_length and len(shown) > max_length:
        raise _too_long(shown, max_length)
    return shown


def number_text(value: object, *, max_length: int = 0) -> str:
    """户编号, 人编号, phone numbers: text. A whole number of at most 15 digits is taken as it is
    (nothing was lost); anything longer, or with a fraction, was rounded by Excel."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        raise CellError(_("Enter the number as text."))
    if isinstance(value, datetime.datetime | datetime.date):
        raise CellError(_("Enter the number as text, not a date."))
    if isinstance(value, int | float):
        if not _exact_whole(value):
            raise CellError(
                _(
                    "This number is stored as a number (%(shown)s) and Excel may have lost "
                    "digits: format the column as text and enter the full number."
                )
                % {"shown": scientific(value)}
            )
        value = str(int(value))
    shown = str(value).strip().replace(" ", "")
    if max_length and len(shown) > max_length:
        raise _too_long(shown, max_length)
    return shown


def _exact_whole(value: int | float) -> bool:
    whole = isinstance(value, int) or value.is_integer()
    return whole and len(str(abs(int(value)))) <= EXACT_DIGITS


def scientific(value: int | float) -> str:
    return f"{float(value):.5E}"


def id_text(value: object) -> str:
    """The characters of an ID (or disability certificate) number, upper case, without spaces;
    "" for a blank cell. A number cell is refused unless it is a whole number short enough for
    Excel to have kept every digit (a 15-digit number of an old card)."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        raise CellError(_("Enter the ID number as text."))
    if isinstance(value, int | float):
        if not _exact_whole(value):
            raise CellError(
                _(
                    "ID number stored as a number (%(shown)s): Excel keeps only 15 digits, so "
                    "its last digits are lost. Format the column as text and enter all 18 "
                    "characters."
                )
                % {"shown": scientific(value)}
            )
        value = str(int(value))
    return str(value).strip().replace(" ", "").upper()


def id_number(
    value: object, *, today: datetime.date | None = None, required: bool = False
) -> IdNumber | None:
    """A GB 11643 number (15 or 18 characters, check character verified); None for a blank
    cell unless ``required``."""
    raw = id_text(value)
    if not raw and not required:
        return None
    if "*" in raw:
        raise CellError(
            _(
                "This ID number is masked (it contains *). Import needs the full number: export "
                "with full ID numbers or enter it again."
            )
        )
    try:
        return parse_id_number(raw, today=today)
    except InvalidIdNumber as exc:
        raise CellError(str(exc.message)) from None


# ---- numbers ------------------------------------------------------------------------------------


def integer(value: object, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
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
    if minimum is not None and number < minimum:
        raise CellError(_("The number must be at least %(n)s.") % {"n": minimum})
    if maximum is not None and number > maximum:
        raise CellError(_("The number must be at most %(n)s.") % {"n": maximum})
    return number


def money(value: object, *, negative: bool = False) -> Decimal | None:
    """Yuan as Decimal with two places; a float from Excel goes through its shortest text
    (Decimal(0.1) would carry binary noise)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Enter an amount in yuan, for example 1234.56."))
    try:
        shown = repr(value) if isinstance(value, float) else str(value).strip().replace(",", "")
        amount = Decimal(shown.replace("，", "").removesuffix("元"))
    except InvalidOperation:
        raise CellError(_("Enter an amount in yuan, for example 1234.56.")) from None
    if not amount.is_finite():
        raise CellError(_("Enter an amount in yuan, for example 1234.56."))
    if amount < 0 and not negative:
        raise CellError(_("Amounts cannot be negative."))
    return amount.quantize(CENT)


# ---- yes/no and code tables ---------------------------------------------------------------------


def yes_no(value: object) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    shown = str(value).strip()
    if shown == YES:
        return True
    if shown == NO:
        return False
    raise CellError(_("Enter 是 or 否, not “%(value)s”.") % {"value": display(value)})


def choice(value: object, choices: Collection[str], *, column: str) -> str:
    """A value of a national code table (``choices``) for ``column``."""
    if is_blank(value):
        return ""
    shown = display(value)
    if shown not in choices:
        raise CellError(
            _("“%(value)s” is not a value of the national code table for %(column)s.")
            % {"value": shown, "column": column}
        )
    return shown


def code_item(value: object, items: Collection[str], *, column: str) -> str:
    """A value of one of the county's editable code tables."""
    if is_blank(value):
        return ""
    shown = display(value)
    if shown not in items:
        raise CellError(
            _("“%(value)s” is not in the code table for %(column)s.")
            % {"value": shown, "column": column}
        )
    return shown


# ---- dates --------------------------------------------------------------------------------------


def date(
    value: object, *, today: datetime.date, earliest: datetime.date = datetime.date(1900, 1, 1)
) -> datetime.date | None:
    """A date cell, an Excel serial day number, or text as 2024-03-15, 2024/3/15, 2024.3.15,
    2024年3月15日, 20240315, or a month (202403, 2024年3月: its first day). Refuses dates after
    ``today`` or before ``earliest``."""
    if is_blank(value):
        return None
    day = as_date(value)
    if day is None:
        raise CellError(
            _("Enter a date such as 2024-03-15 (or the month as 202403), not “%(value)s”.")
            % {"value": display(value)}
        )
    if day > today:
        raise CellError(_("The date %(date)s is in the future.") % {"date": day.isoformat()})
    if day < earliest:
        raise CellError(
            _("The date %(date)s is before %(earliest)s.")
            % {"date": day.isoformat(), "earliest": earliest.isoformat()}
        )
    return day


def as_date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float):
        digits = str(value)
        # 20240315 and 202403 typed as numbers read as text; other numbers are the serial day
        # numbers of a date cell that lost its date format.
        if not (isinstance(value, int) and len(digits) in (6, 8)):
            if _SERIAL_MIN <= value <= _SERIAL_MAX:
                try:
                    return from_excel(value).date()
                except (ValueError, OverflowError, TypeError):
                    return None
            return None
    shown = str(value).strip()
    try:
        if shown.isdigit() and len(shown) == 8:
            return datetime.date(int(shown[:4]), int(shown[4:6]), int(shown[6:]))
        if shown.isdigit() and len(shown) == 6:  # YYYYMM, as the national system writes months
            return datetime.date(int(shown[:4]), int(shown[4:]), 1)
        match = _DATE_TEXT.match(shown)
        if match:
            return datetime.date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError:
        return None
    return None
