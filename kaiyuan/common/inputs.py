"""Values a service takes from a form, the API or an import, checked the same way in every app:
an amount of money, a percentage, a day that has happened. Each raises the app's own domain
error (``error``), with the field it concerns."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.common.money import yuan


def positive_amount(value, field: str = "amount", *, error=DomainError) -> Decimal:
    try:
        amount = yuan(value)
    except (TypeError, ValueError):
        raise error(_("Enter an amount in yuan, such as 12500.00."), field=field) from None
    if amount <= 0:
        raise error(_("The amount must be more than zero."), field=field)
    return amount


def amount_or_zero(value, field: str, *, error=DomainError) -> Decimal:
    """An amount that may be nothing (a deduction not taken): empty is 0.00, never negative."""
    if value in (None, ""):
        return Decimal("0.00")
    try:
        amount = yuan(value)
    except (TypeError, ValueError):
        raise error(_("Enter an amount in yuan, such as 12500.00."), field=field) from None
    if amount < 0:
        raise error(_("The amount cannot be negative."), field=field)
    return amount


def percent_value(value, field: str, message, *, error=DomainError) -> Decimal:
    """A rate in percent with two places (never a float), between 0 and 100."""
    try:
        rate = yuan(value)
    except (TypeError, ValueError):
        raise error(message, field=field) from None
    if not Decimal("0") <= rate <= Decimal("100"):
        raise error(_("A percentage is between 0 and 100."), field=field)
    return rate


def not_future(day: datetime.date | None, field: str, *, error=DomainError) -> datetime.date:
    if day is None:
        raise error(_("Enter the date."), field=field)
    if day > today():
        raise error(_("The date cannot be in the future."), field=field)
    return day
