"""The audit trail. ``record`` is the only way rows are written."""

from __future__ import annotations

from typing import Any

from django.db import models

from kaiyuan.common.scoping import area_of


def record(
    obj: models.Model | None,
    *,
    action: str,
    actor: Any,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    area: Any = None,
    source: str | None = None,
    ip: str | None = None,
):
    """Write one audit event. Call it inside the transaction of the change it describes, so the
    change and its trail commit or roll back together.

    Without ``source`` or ``ip`` the event takes those of the request being served (set by
    ``RequestSourceMiddleware``), so a service called from the API is recorded as the API's
    without knowing about requests; outside a request the source is "web" as before.
    """
    from django.contrib.contenttypes.models import ContentType

    from kaiyuan.audit.context import current_source
    from kaiyuan.audit.models import AuditEvent

    served = current_source()
    if source is None:
        source = served.source if served else AuditEvent.Source.WEB
    if ip is None and served is not None:
        ip = served.ip

    actor_obj = actor if getattr(actor, "pk", None) is not None else None
    event = AuditEvent(
        actor=actor_obj,
        actor_name=actor_obj.get_username() if actor_obj else "",
        action=action,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        note=note or "",
        data=data or {},
        source=source,
        ip=ip,
    )
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(obj)
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:200]
        event.area = area if area is not None else area_of(obj)
    else:
        event.area = area
    event.save()
    return event


def record_many(rows, *, action: str, actor: Any, source: str | None = None) -> int:
    """One audit event per ``(obj, data)`` of ``rows``, written in bulk: a service that makes
    the same change to many records at once (the monthly file's confirmations) records each of
    them as ``record`` would, in a few queries rather than one per record."""
    from django.contrib.contenttypes.models import ContentType

    from kaiyuan.audit.context import current_source
    from kaiyuan.audit.models import AuditEvent

    served = current_source()
    if source is None:
        source = served.source if served else AuditEvent.Source.WEB
    ip = served.ip if served is not None else None
    actor_obj = actor if getattr(actor, "pk", None) is not None else None
    types: dict[type, ContentType] = {}
    events = []
    for obj, data in rows:
        model = type(obj)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(obj)
        events.append(
            AuditEvent(
                actor=actor_obj,
                actor_name=actor_obj.get_username() if actor_obj else "",
                action=action,
                data=data or {},
                source=source,
                ip=ip,
                content_type=types[model],
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                area=area_of(obj),
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)


def snapshot(obj: models.Model, names) -> dict[str, Any]:
    """The values of ``names`` on ``obj`` as the trail keeps them (related objects by pk,
    dates as ISO text), to compare with ``changes`` after the write."""
    return {name: _plain(getattr(obj, name)) for name in names}


def changes(before: dict[str, Any], obj: models.Model) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field of ``before`` whose value on ``obj`` differs:
    what an audit event of a change records."""
    after = snapshot(obj, before)
    return {name: [before[name], after[name]] for name in before if before[name] != after[name]}


def _plain(value: Any) -> Any:
    import datetime

    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value if isinstance(value, bool | int | str | type(None)) else str(value)
