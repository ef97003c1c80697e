"""The linkage funds going out (DOMAIN.md §4): the fund ledger by allocation and by project
(``allocations``), the payments with their payees and 报账 (``payments``), the spending progress
and industry share of a year (``progress``) and the debt placements with their returns and 六清楚
(``placements``). Each is a background job (kaiyuan.jobs) written and recorded by
kaiyuan.common.exports; ``start_<name>_export(user, **filters)`` starts it.

Every row is the exporting user's (``visible_to``): a township's clerk exports the township's
projects and payments, never another township's. The headers are the file format and stay
Chinese in every language, like the project library's. Money is Decimal yuan, dates are dates,
codes, accounts and credit codes are text; a person's ID number is only ever written masked.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.areas.models import Area
from kaiyuan.common.errors import DomainError

EXPORT_CAPABILITY = "funds.export"
CHUNK = 500
TOWNSHIP_CODE_LENGTH = Area.CODE_LENGTH[Area.Level.TOWNSHIP]


def may_export(user) -> bool:
    return user_can(user, EXPORT_CAPABILITY)


def ensure_may_export(user) -> None:
    if not may_export(user):
        raise DomainError(_("Your role may not export the linkage funds."))


def user_scope(user) -> Area:
    return user.area or Area.objects.home_county()


def township_names() -> dict[str, str]:
    """Township codes → names (one query), for the 乡镇 column."""
    return dict(Area.objects.filter(level=Area.Level.TOWNSHIP).values_list("code", "name"))


def township_of(area_code: str, names: dict[str, str], county_name: str) -> str:
    """The township a project lies in, by its area's code; a county-wide project (its area the
    county, its villages in several townships) is the county's."""
    return names.get(area_code[:TOWNSHIP_CODE_LENGTH], county_name)
