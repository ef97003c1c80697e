"""Notices: the stored part of the inbox (the rest is computed from the records)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import VIEW, AreaScopedQuerySet


class NoticeQuerySet(AreaScopedQuerySet):
    def visible_to(self, user, *, action: str = VIEW):
        """A notice is its recipient's alone (the superuser flag is no exception), and only
        while its record is still in their area: a clerk moved to another township no longer
        reaches the old township's cases through old notices."""
        return super().visible_to(user, action=action).filter(recipient=user)


class Notice(models.Model):
    """A message to one user about a step someone else took on their proposal: a case the
    township returned, a case the county approved or did not approve. Written by the workflow
    (``kaiyuan.common.workflow``, steps declared ``notifies_proposer``) in the transaction of
    the step; read by the recipient, which records ``read_at``."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    what = models.CharField(_("what"), max_length=200)
    reason = models.TextField(_("reason"), blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    link = models.CharField(_("link"), max_length=300)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), null=True, blank=True, on_delete=models.PROTECT
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notice_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.what} {self.subject}"
