"""What the proposal page posts, built from a proposal of the factories: the form's fields, the
villages' rows and the performance targets' rows with their management forms."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from projects.models import FourHavesItem
from tests.projects.factories import indicators

FORM_FIELDS = {
    "name": "有机稻米种植基地建设项目",
    "year": "2027",
    "category": "产业发展",
    "subcategory": "有机稻米",
    "finance_mode": "自建类",
    "sector": "agriculture",
    "entity_name": "开原市稻香农民专业合作社",
    "entity_type": "农民专业合作社",
    "entity_uscc": "",
    "responsible_person": "李国强",
    "responsible_phone": "13904100001",
    "beneficiary_entity": "",
    "content": "新建育秧大棚20座，配套灌溉设施",
    "scale": "育秧大棚20座",
    "location": "中固镇",
    "start_date": "2027-04-01",
    "end_date": "2027-10-31",
    "subsidy_standard": "",
    "total_investment": "1000000.00",
    "central_funds": "600000.00",
    "provincial_funds": "200000.00",
    "city_funds": "0",
    "county_funds": "100000.00",
    "other_funds": "0",
    "self_raised": "100000.00",
    "land_status": "无需办理",
    "environment_status": "无需办理",
    "mechanism_note": "吸纳脱贫户务工",
    "operating_mode": "",
    "asset_owner": "",
    "four_batches": "",
    "four_batches_on": "",
    "four_batches_reason": "",
}


def _value(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return "" if value is None else str(value)


def rows(prefix: str, items: list[dict], *, initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        for key, value in item.items():
            data[f"{prefix}-{index}-{key}"] = _value(value)
    return data


def village_rows(villages, shares=None, duties=None) -> list[dict]:
    villages = list(villages)
    if shares is None:
        share = (Decimal("100") / len(villages)).quantize(Decimal("0.01"))
        shares = [share] * len(villages)
        shares[0] += Decimal("100") - sum(shares)
    if duties is None:
        duties = [f"{village.name}负责土地协调" for village in villages]
    return [
        {
            "village": village.pk,
            "share_percent": share,
            "asset_share_percent": share,
            "duties": duty,
        }
        for village, share, duty in zip(villages, shares, duties, strict=True)
    ]


def indicator_rows() -> list[dict]:
    return [
        {
            "group": row.group,
            "kind": row.kind,
            "name": row.name,
            "unit": row.unit,
            "direction": row.direction,
            "target": row.target,
        }
        for row in indicators()
    ]


def proposal_post(
    villages,
    *,
    shares=None,
    duties=None,
    village_initial: int = 0,
    indicator_initial: int = 0,
    **fields: Any,
) -> dict[str, Any]:
    """A whole, valid proposal as the page posts it (``fields`` override the form's values)."""
    data: dict[str, Any] = {**FORM_FIELDS}
    if len(list(villages)) > 1:
        data["beneficiary_entity"] = "各村集体经济组织"
    data["mechanisms"] = ["吸纳就业", "资产入股收益"]
    data["four_haves"] = list(FourHavesItem.objects.values_list("code", flat=True))
    data.update({key: value for key, value in fields.items()})
    data.update(rows("villages", village_rows(villages, shares, duties), initial=village_initial))
    data.update(rows("indicators", indicator_rows(), initial=indicator_initial))
    return data
