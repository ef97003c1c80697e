"""The bureau's lists: the 四有 checklist items and the rural-construction positive and
negative lists. Items in use on projects are retired (not in use), never deleted."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kaiyuan.accounts.capabilities import require
from kaiyuan.audit import changes as audit_changes
from kaiyuan.audit import record, snapshot
from projects.exceptions import ProjectError
from projects.models import ConstructionListItem, FourHavesItem


@transaction.atomic
def construction_item_save(
    *, item: ConstructionListItem | None, kind: str, text: str, active: bool, order: int, actor
):
    require(actor, "projects.lists_edit")
    text = (text or "").strip()
    if not text:
        raise ProjectError(_("Write the item."), field="text")
    duplicate = ConstructionListItem.objects.filter(kind=kind, text=text)
    if item is not None:
        duplicate = duplicate.exclude(pk=item.pk)
    if duplicate.exists():
        raise ProjectError(_("This item is already on the list."), field="text")
    item = item or ConstructionListItem(kind=kind)
    before = snapshot(item, ("text", "active", "order")) if item.pk else {}
    item.kind, item.text, item.active, item.order = kind, text, active, order
    item.save()
    record(
        item,
        action="change" if before else "create",
        actor=actor,
        data=audit_changes(before, item) if before else {"text": text},
    )
    return item


@transaction.atomic
def four_haves_item_save(*, item: FourHavesItem, label: str, active: bool, order: int, actor):
    require(actor, "projects.lists_edit")
    label = (label or "").strip()
    if not label:
        raise ProjectError(_("Write the item."), field="label")
    before = snapshot(item, ("label", "active", "order"))
    item.label, item.active, item.order = label, active, order
    item.to_confirm = item.to_confirm and before.get("label") == label
    item.save()
    record(item, action="change", actor=actor, data=audit_changes(before, item))
    return item
