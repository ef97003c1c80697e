"""Reads of the disposals, and what waits in the 待办 inbox."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from assets.models import Disposal
from kaiyuan.inbox.registry import Entry, Source

S = Disposal.Status


def disposals_for(user) -> QuerySet[Disposal]:
    return Disposal.objects.visible_to(user).select_related("asset__area__parent", "proposed_by")


def _entry(disposal: Disposal) -> Entry:
    return Entry(
        subject=str(disposal.asset),
        since=disposal.proposed_at,
        url=disposal.get_absolute_url(),
        detail=disposal.get_method_display(),
    )


INBOX_SOURCES = (
    Source(
        key="assets.disposals_to_approve",
        label=_("Disposals to approve"),
        capability="assets.approve_disposal",
        items=lambda user: disposals_for(user).filter(status=S.DECIDED),
        entry=_entry,
    ),
    Source(
        key="assets.disposals_to_carry_out",
        label=_("Disposals to decide or carry out"),
        capability="assets.dispose",
        items=lambda user: disposals_for(user).filter(status__in=[S.PROPOSED, S.APPROVED]),
        entry=_entry,
    ),
)
