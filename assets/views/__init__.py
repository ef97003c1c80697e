"""The asset ledger's pages, one module per sub-domain (assets: the ledger, handover,
registration, 盘活 and collectives; disposals; incomes; distributions; ledgers), and what they
share: which of the ledger's pages are open yet, whether a user may change a record, and a
record's trail."""

from __future__ import annotations

from functools import cache

from django.contrib.contenttypes.models import ContentType

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.errors import DomainError
from kaiyuan.common.scoping import ensure_may_change


@cache
def open_pages() -> frozenset[str]:
    """The names of the ledger's routes (``assets:<name>``) that lead to a page. The routes are
    named before their pages are written (``assets.urls._pending`` answers 404), so a page
    links to another block's page only once it is there: ``{% if "income_new" in open_pages %}``."""
    from assets import urls

    pending = getattr(urls, "_pending", None)
    return frozenset(
        pattern.name for pattern in urls.urlpatterns if pattern.callback is not pending
    )


def may_change(user, obj) -> bool:
    """``ensure_may_change`` as a question, for the buttons a page shows: a writer whose area
    holds the record."""
    try:
        ensure_may_change(user, obj)
    except DomainError:
        return False
    return True


def trail_of(obj) -> list[AuditEvent]:
    """The record's audit trail, oldest first: its steps and changes, read through the record
    (whoever sees it sees its trail)."""
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        )
        .select_related("content_type", "actor")
        .order_by("at", "id")
    )
