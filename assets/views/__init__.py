"""The asset ledger's pages, one module per sub-domain (assets: the ledger, handover,
registration, 盘活 and collectives; disposals; incomes; distributions; ledgers), and what they
share: whether a user may change a record, and a record's trail."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.errors import DomainError
from kaiyuan.common.scoping import ensure_may_change


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
