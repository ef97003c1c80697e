"""Settling an asset's income for a past year (清算, AST-8), with only depreciation and
maintenance deducted (AST-9). A settlement may be corrected until its distribution is
publicised; after that it is the record the households were paid from."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assets.codes import AssetStatus
from assets.exceptions import AssetsError
from assets.models import Asset, AssetIncome, Distribution
from assets.rules import incomes as rules
from kaiyuan.accounts.capabilities import require
from kaiyuan.audit import changes, record, snapshot
from kaiyuan.common import inputs
from kaiyuan.common.dates import today
from kaiyuan.common.errors import ConcurrentUpdate
from kaiyuan.common.rules import refuse_errors
from kaiyuan.common.scoping import ensure_may_change


def _amounts(gross_income, deductions: dict):
    gross = inputs.amount_or_zero(gross_income, "gross_income", error=AssetsError)
    amounts = {
        kind: inputs.amount_or_zero(value, kind, error=AssetsError)
        for kind, value in deductions.items()
    }
    refuse_errors(rules.deduction_problems(gross_income=gross, deductions=amounts))
    return gross, amounts


@transaction.atomic
def income_settle(
    *,
    asset: Asset,
    year: int,
    gross_income,
    deductions: dict,
    settled_on: datetime.date,
    note: str = "",
    actor,
) -> AssetIncome:
    require(actor, "assets.settle")
    ensure_may_change(actor, asset)
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.status == AssetStatus.DISPOSED and year > (asset.status_on or today()).year:
        raise AssetsError(_("The asset was disposed of before that year."), field="year")
    refuse_errors(
        rules.settlement_problems(
            year=int(year), today_year=today().year, formed_year=asset.formed_year
        )
    )
    gross, amounts = _amounts(gross_income, deductions)
    settled_on = inputs.not_future(settled_on, "settled_on", error=AssetsError)
    if settled_on.year <= int(year):
        raise AssetsError(_("A year's income is settled after the year ends."), field="settled_on")
    try:
        with transaction.atomic():
            income = AssetIncome.objects.create(
                asset=asset,
                year=int(year),
                gross_income=gross,
                depreciation=amounts.get("depreciation", 0),
                maintenance=amounts.get("maintenance", 0),
                settled_on=settled_on,
                note=(note or "").strip(),
                recorded_by=actor,
            )
    except IntegrityError:
        raise AssetsError(
            _("%(year)s's income of this asset is already settled.") % {"year": year},
            field="year",
        ) from None
    record(
        asset,
        action="settle",
        actor=actor,
        data={"year": int(year), "income": str(gross), "net": str(income.net_income)},
    )
    return income


@transaction.atomic
def income_correct(
    *,
    income: AssetIncome,
    gross_income,
    deductions: dict,
    note: str,
    expected_version: int,
    actor,
) -> AssetIncome:
    require(actor, "assets.settle")
    ensure_may_change(actor, income)
    locked = AssetIncome.objects.select_for_update().get(pk=income.pk)
    if locked.version != expected_version:
        raise ConcurrentUpdate(
            _("Someone else changed this settlement since you opened it. Reload the page.")
        )
    distribution = Distribution.objects.filter(income=locked).first()
    if distribution is not None and distribution.status != Distribution.Status.DRAFT:
        raise AssetsError(_("The distribution of this income is publicised; it stays as it was."))
    gross, amounts = _amounts(gross_income, deductions)
    if distribution is not None and gross - sum(amounts.values()) < distribution.amount:
        raise AssetsError(
            _("The distribution drawn up gives out more than this; change it first."),
            field="gross_income",
        )
    fields = ["gross_income", "depreciation", "maintenance", "note"]
    before = snapshot(locked, fields)
    locked.gross_income = gross
    locked.depreciation = amounts.get("depreciation", 0)
    locked.maintenance = amounts.get("maintenance", 0)
    locked.note = (note or "").strip()
    locked.version += 1
    locked.save(update_fields=[*fields, "version"])
    record(locked.asset, action="change", actor=actor, data={"income": changes(before, locked)})
    return locked
