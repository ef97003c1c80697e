"""Who may change a household: checked by every write service, whatever called it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from kaiyuan.common.scoping import user_may_write
from monitoring.exceptions import MonitoringError

if TYPE_CHECKING:
    from monitoring.models import Household


def ensure_may_edit(actor, household: Household) -> None:
    """Only writers whose area contains the household's village may change it (the views have
    already answered 404 for other areas; this guards services called from elsewhere)."""
    if not user_may_write(actor):
        raise MonitoringError(_("Your role may only read these records."), code="read_only")
    if actor.is_superuser:
        return
    if actor.area is None or not household.area.path.startswith(actor.area.path):
        raise MonitoringError(_("This household is outside your area."), code="out_of_area")
