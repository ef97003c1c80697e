"""The asset ledger going out (DOMAIN.md §5.3, the plan's disclosure duty): the three-level
ledger (``ledgers``: the county's master ledger, the townships' and villages' detail ledgers),
the distribution rosters (``distributions``), the chain from the allocations to the households
(``chains``) and the village's published ledger as PDF (``village``). The Excel exports that grow
with the area are background jobs (kaiyuan.jobs) written and recorded by kaiyuan.common.exports;
one asset's chain and one village's PDF are small and served at once, recorded the same way.

Every row is the exporting user's (``visible_to``), in an area the user chose inside their own
(the user's area by default): a township's clerk exports the township's ledger, never another
township's. The headers are the file format and stay Chinese in every language, like the funds'
ledgers. Money is Decimal yuan, dates are dates, codes and household numbers are text. A
household of another township appears in a distribution of the user's assets (AST-7) with its
amount, not its name or number.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.areas.models import Area
from kaiyuan.common.errors import DomainError

EXPORT_CAPABILITY = "assets.export"
CHUNK = 2000


def may_export(user) -> bool:
    return user_can(user, EXPORT_CAPABILITY)


def ensure_may_export(user) -> None:
    if not may_export(user):
        raise DomainError(_("Your role may not export the asset ledgers."))


def user_scope(user) -> Area:
    return user.area or Area.objects.home_county()


def export_scope(user, area_id) -> Area:
    """The area a job exports: ``area_id`` if the user still sees it, else a refusal (the same
    for an area that does not exist)."""
    area = Area.objects.visible_to(user).filter(pk=area_id).select_related("parent").first()
    if area is None or area.level not in (
        Area.Level.COUNTY,
        Area.Level.TOWNSHIP,
        Area.Level.VILLAGE,
    ):
        raise DomainError(_("This area is not in yours."))
    return area


def township_and_village(level: str, name: str, parent_name: str | None) -> tuple[str, str]:
    """(township, village) of an asset placed at an area of ``level``."""
    if level == Area.Level.VILLAGE:
        return parent_name or "", name
    if level == Area.Level.TOWNSHIP:
        return name, ""
    return "", ""


def hidden_household() -> str:
    """What stands for the name of a household the exporting user may not see."""
    return _("Household outside your area")
