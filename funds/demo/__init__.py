"""Demo linkage funds for ``manage.py seed_demo`` (``funds.demo.funds.seed``), in the app's
sub-domains: ``allocations`` (the documents, their assignment and arrival), ``payments`` (the
tranches, household subsidies, 报账, a reversal), ``placements`` (debt placements) and
``microcredit``; ``funds`` puts them together and resets them. The numbers they share are here."""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from funds.codes import FundLevel

YEARS = (2023, 2024, 2025)
DAY = datetime.timedelta(days=1)
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
PER_YEAR = 10  # funded projects given money each year
COUNTY_OWN_2024 = Decimal("10000000.00")  # the plan's 1000万元 of Kaiyuan's own budget
LEVEL_FIELD = {
    FundLevel.CENTRAL: "central_funds",
    FundLevel.PROVINCIAL: "provincial_funds",
    FundLevel.CITY: "city_funds",
    FundLevel.COUNTY: "county_funds",
}
BANKS = ("开原市农村信用合作联社", "中国邮政储蓄银行开原市支行", "辽宁开原农村商业银行")
RETURN_REASONS = ("发票抬头与收款单位不一致", "缺少验收单原件", "支付凭证金额与合同不符")


def share(amount: Decimal, percent: int | Decimal) -> Decimal:
    return (amount * Decimal(percent) / 100).quantize(CENT, ROUND_DOWN)


def voucher(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% demo voucher\n", content_type="application/pdf")
