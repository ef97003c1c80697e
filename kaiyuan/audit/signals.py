"""Administrative changes made in Django's admin go to the audit trail as well.

The admin writes a LogEntry for every addition, change and deletion; mirroring it here means no
admin class can forget to audit.
"""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from kaiyuan.audit.context import current_source
from kaiyuan.audit.models import AuditEvent

_ACTIONS = {ADDITION: "admin_add", CHANGE: "admin_change", DELETION: "admin_delete"}


@receiver(post_save, sender=LogEntry)
def mirror_admin_log_entry(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created:
        return
    served = current_source()
    AuditEvent.objects.create(
        actor=instance.user,
        actor_name=instance.user.get_username(),
        action=_ACTIONS.get(instance.action_flag, "admin_change"),
        content_type=instance.content_type,
        object_id=instance.object_id or "",
        object_repr=(instance.object_repr or "")[:200],
        data={"change": instance.get_change_message()},
        source=AuditEvent.Source.ADMIN,
        ip=served.ip if served else None,
    )
