"""Demo employment data for ``manage.py seed_demo`` (``employment.demo.employment.seed``), in the
app's sub-domains: ``trainings`` (the skills courses and their trainees), ``posts`` (the villages'
public-welfare posts, their holders' jobs and monthly pay), ``workshops`` (the
employment-assistance workshops and their workers) and ``records`` (the labour force and
everyone else's jobs, year by year); ``employment`` puts them together and resets them. The
numbers and names they share are here."""

from __future__ import annotations

import datetime
from decimal import Decimal

from stdnum.cn.uscc import calc_check_digit

from kaiyuan.common.uscc import ALPHABET

YEARS = (2024, 2025, 2026)  # two past years and the current one
DAY = datetime.timedelta(days=1)
CODE_CHARACTERS = "".join(sorted(ALPHABET))
COUNTY_DIVISION = "211282"

# At the size of ``make run`` (2,000 households); a smaller county has fewer.
COURSES = 30
EMP_4_CASES = 4  # people registered 丧失劳动力 recorded as working (half of them reviewed)
TRANSPORT_SUBSIDY = Decimal("300.00")
TRANSPORT_SHARE = 0.34  # of the workers outside the province, in a year


def courses_for(households: int) -> int:
    return max(4, round(COURSES * households / 2000))


def emp_4_cases_for(households: int) -> int:
    return max(2, round(EMP_4_CASES * households / 2000))


def credit_code(rng, prefix: str, division: str, used: set[str]) -> str:
    """A GB 32100 code never given before: the registration authority and kind (``91`` a
    company, ``92`` an individual business, ``93`` a farmers' cooperative), the division of the
    registering authority, a body (``MA`` and seven characters, as codes issued since 2016 are)
    and the check character."""
    while True:
        body = prefix + division + "MA" + "".join(rng.choice(CODE_CHARACTERS) for _ in range(7))
        code = body + calc_check_digit(body)
        if code not in used:
            used.add(code)
            return code


def month_first(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + 4 * DAY).replace(day=1)


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)
