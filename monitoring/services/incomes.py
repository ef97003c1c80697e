"""Household incomes (MON-INC-1..5) and how they compare with the year's lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kaiyuan.audit import record
from kaiyuan.common.money import yuan
from kaiyuan.common.rules import RulesBroken, Violation
from kaiyuan.common.scoping import ensure_may_change
from monitoring.exceptions import HouseholdChanged
from monitoring.models import Household, IncomeRecord
from monitoring.rules.incomes import MON_INC_3, income_compute, income_flags


def _money_fields(values: dict[str, Any]) -> dict[str, Decimal]:
    parsed = {}
    for name in IncomeRecord.MONEY_FIELDS:
        try:
            parsed[name] = yuan(values.get(name) if values.get(name) not in (None, "") else "0")
        except (ValueError, TypeError):
            raise RulesBroken(
                [MON_INC_3.violation(name, _("Enter an amount in yuan, for example 1234.56."))]
            ) from None
        if parsed[name] < 0:
            raise RulesBroken([MON_INC_3.violation(name, _("Amounts cannot be negative."))])
    return parsed


@transaction.atomic
def income_record_save(
    *,
    household: Household,
    actor,
    year: int,
    kind: str,
    values: dict[str, Any],
    household_size: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> tuple[IncomeRecord, list[Violation]]:
    """Create or replace the income record of (household, year, kind) and return it with the
    flags to review. Replacing needs the version the user loaded; the latest annual or
    identification figure becomes the household's current per-capita income."""
    locked = Household.objects.select_for_update().select_related("area").get(pk=household.pk)
    ensure_may_change(actor, locked)
    amounts = _money_fields(values)
    size = household_size or locked.household_size
    figures = income_compute(
        wage_income=amounts["wage_income"],
        business_income=amounts["business_income"],
        property_income=amounts["property_income"],
        transfer_income=amounts["transfer_income"],
        business_expense=amounts["business_expense"],
        household_size=size,
    )
    existing = (
        IncomeRecord.objects.select_for_update()
        .filter(household=locked, year=year, kind=kind)
        .first()
    )
    if existing is not None and expected_version != existing.version:
        raise HouseholdChanged(
            _(
                "Someone else saved this income record after you opened it. Reload the page and "
                "enter your changes again."
            )
        )
    income = existing or IncomeRecord(household=locked, year=year, kind=kind)
    for name, amount in amounts.items():
        setattr(income, name, amount)
    income.net_income = figures.net_income
    income.per_capita_net_income = figures.per_capita_net_income
    income.household_size = size
    income.note = note
    income.recorded_by = actor
    if existing is not None:
        income.version = F("version") + 1
    income.save()
    income.refresh_from_db()
    latest = (
        IncomeRecord.objects.filter(household=locked)
        .exclude(kind=IncomeRecord.Kind.ELIMINATION)
        .order_by("-year", "-recorded_at")
        .first()
    )
    if latest is not None:
        Household.objects.filter(pk=locked.pk).update(
            per_capita_income=latest.per_capita_net_income, income_year=latest.year
        )
    record(
        income,
        action="change" if existing else "create",
        actor=actor,
        data={"year": year, "kind": kind, "per_capita": str(income.per_capita_net_income)},
    )
    flags = income_flags(
        record_kind=kind,
        wage_income=amounts["wage_income"],
        compliant_self_paid=amounts["compliant_self_paid"],
        household=locked,
    )
    return income, flags
