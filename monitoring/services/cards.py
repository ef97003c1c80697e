"""The 明白卡 delivery record (DOMAIN.md §2.11)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from kaiyuan.audit import record
from kaiyuan.common.dates import today
from kaiyuan.common.scoping import ensure_may_change
from monitoring.exceptions import MonitoringError
from monitoring.models import CardDelivery, Household


@transaction.atomic
def card_delivery_record(
    *,
    household: Household,
    actor,
    year: int,
    delivered_by: str,
    delivered_on: datetime.date,
    posted_on: datetime.date | None = None,
) -> CardDelivery:
    """Record (or correct) who delivered the household's 明白卡 and when it was posted."""
    ensure_may_change(actor, household)
    if not delivered_by.strip():
        raise MonitoringError(_("Name who delivered the card."), field="delivered_by")
    if delivered_on > today() or (posted_on is not None and posted_on > today()):
        raise MonitoringError(_("The date cannot be in the future."), field="delivered_on")
    if posted_on is not None and posted_on < delivered_on:
        raise MonitoringError(
            _("A card is posted on or after the day it is delivered."), field="posted_on"
        )
    delivery, created = CardDelivery.objects.update_or_create(
        household=household,
        year=year,
        defaults={
            "delivered_by": delivered_by.strip(),
            "delivered_on": delivered_on,
            "posted_on": posted_on,
            "recorded_by": actor,
        },
    )
    record(
        delivery,
        action="create" if created else "change",
        actor=actor,
        data={
            "delivered_on": delivered_on.isoformat(),
            "posted_on": posted_on.isoformat() if posted_on else None,
        },
    )
    return delivery
