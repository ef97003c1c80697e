"""The writes of the inbox: a notice sent by a workflow step, a notice opened by its reader."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from kaiyuan.audit import record
from kaiyuan.common.scoping import area_of
from kaiyuan.inbox.models import Notice


def notice_send(
    *,
    recipient_id: int,
    actor: Any,
    obj: models.Model,
    what: str,
    subject: str,
    link: str,
    reason: str = "",
) -> Notice:
    """A notice to ``recipient_id`` about ``obj``. Called inside the transaction of the step it
    tells of, so the two commit or roll back together."""
    return Notice.objects.create(
        recipient_id=recipient_id,
        actor=actor if getattr(actor, "pk", None) else None,
        what=str(what)[:200],
        reason=reason,
        subject=str(subject)[:200],
        link=link[:300],
        area=area_of(obj),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
    )


@transaction.atomic
def notice_open(*, notice: Notice, actor: Any) -> Notice:
    """The recipient opens a notice: it is marked read once (a second open, or two tabs at
    once, change nothing) and the reading is audited."""
    changed = Notice.objects.filter(pk=notice.pk, recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    notice.refresh_from_db(fields=["read_at"])
    if changed:
        record(notice, action="notice_read", actor=actor)
    return notice
