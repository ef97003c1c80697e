"""Resident identity card numbers (公民身份号码, GB 11643-1999) and disability certificate numbers.

Rules ID-1 to ID-5 and ID-DIS-1 of DOMAIN.md §9. Every function is pure; errors are
``InvalidIdNumber`` with a Chinese message that says what is wrong.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kaiyuan.common import dates
from kaiyuan.common.errors import DomainError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
DISABILITY_CATEGORIES = {
    "1": "视力",
    "2": "听力",
    "3": "言语",
    "4": "肢体",
    "5": "智力",
    "6": "精神",
    "7": "多重",
}


class InvalidIdNumber(DomainError):
    code = "invalid_id_number"


@dataclass(frozen=True)
class IdNumber:
    number: str  # 18 characters, upper-case X
    birth_date: datetime.date
    sex: str  # "male" / "female"

    @property
    def province_code(self) -> str:
        return self.number[:2]


def check_character(body: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(body, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def parse_id_number(raw: str, *, today: datetime.date | None = None) -> IdNumber:
    """Validate and normalise an ID number (ID-1, ID-2, ID-5): trims, upper-cases a trailing x,
    converts a legacy 15-digit number to 18 digits, checks the birth date and the checksum."""
    number = (raw or "").strip().replace(" ", "").upper()
    if not number:
        raise InvalidIdNumber(_("The ID number is empty."))
    if len(number) == 15:
        if not number.isdigit():
            raise InvalidIdNumber(_("A 15-digit ID number may contain digits only."))
        body = f"{number[:6]}19{number[6:]}"
        number = body + check_character(body)
    if len(number) != 18:
        raise InvalidIdNumber(
            _("An ID number has 18 characters (or 15 on old cards); this one has %(n)s.")
            % {"n": len(number)}
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber(
            _("The first 17 characters of an ID number are digits and the last is a digit or X.")
        )
    birth = _birth_date(number[6:14])
    if birth is None:
        raise InvalidIdNumber(
            _("The birth date %(date)s in the ID number is not a real date.")
            % {"date": number[6:14]}
        )
    today = today or dates.today()
    if birth.year < 1900 or birth > today:
        raise InvalidIdNumber(
            _("The birth date %(date)s in the ID number is before 1900 or in the future.")
            % {"date": birth.isoformat()}
        )
    expected = check_character(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber(
            _("The check character of the ID number is wrong: it should end in %(c)s.")
            % {"c": expected}
        )
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return IdNumber(number=number, birth_date=birth, sex=sex)


def looks_like_id_number(text: str) -> bool:
    """Whether ``text`` has the shape of an ID number (15 or 18 characters, digits and X): such a
    value must not travel in a URL."""
    value = (text or "").strip().upper()
    return (
        len(value) in (15, 18)
        and value[:-1].isdigit()
        and (value[-1].isdigit() or value[-1] == "X")
    )


def _birth_date(digits: str) -> datetime.date | None:
    try:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def mask_id_number(number: str) -> str:
    """211282********123X: the division and the last four, as lists show them (§9.1 privacy)."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Completed years on ``day`` (ID-6)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class DisabilityCertificate:
    id_number: str
    category: str  # 1..7
    grade: str  # 1..4


def parse_disability_certificate(
    raw: str, *, id_number: str | None = None
) -> DisabilityCertificate:
    """A disability certificate number: the 18-character ID number, then the category (1-7) and
    grade (1-4); 22-character variants carry two more characters (§9.3, ID-DIS-1)."""
    number = (raw or "").strip().upper()
    if len(number) not in (20, 22):
        raise InvalidIdNumber(
            _("A disability certificate number has 20 (or 22) characters; this one has %(n)s.")
            % {"n": len(number)}
        )
    person = parse_id_number(number[:18])
    category, grade = number[18], number[19]
    if category not in DISABILITY_CATEGORIES:
        raise InvalidIdNumber(_("The disability category (character 19) must be 1 to 7."))
    if grade not in "1234":
        raise InvalidIdNumber(_("The disability grade (character 20) must be 1 to 4."))
    if id_number is not None and person.number != id_number:
        raise InvalidIdNumber(
            _("The first 18 characters of the disability certificate must be the ID number.")
        )
    return DisabilityCertificate(id_number=person.number, category=category, grade=grade)


def build_id_number(address_code: str, birth_date: datetime.date, sequence: int) -> str:
    """A valid 18-character number for ``address_code`` (6 digits), ``birth_date`` and a 3-digit
    ``sequence`` (odd for men, even for women): for demo data and tests."""
    body = f"{address_code}{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return body + check_character(body)
