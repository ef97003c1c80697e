"""The asset ledger's pages, one module per sub-domain (assets: the ledger, handover,
registration, 盘活 and collectives; disposals; incomes; distributions; ledgers), and what they
share: a record's trail."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from kaiyuan.audit.models import AuditEvent


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
