"""The audit-log export as a background job: streamed, never cut short, and itself audited."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from kaiyuan.audit.selectors import audit_event_list
from kaiyuan.common import exports
from kaiyuan.jobs.registry import register

AUDIT_EXPORT = "audit_export"

# The time keeps its seconds on screen: events of one minute are told apart and ordered by it.
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def _rows(events):
    for event in events.iterator(chunk_size=2000):
        yield [
            event.at,  # a real time, written as Beijing time by kaiyuan.common.exports
            event.actor_name,
            event.action_label,
            event.object_type_label,
            event.object_id,
            event.object_repr,
            event.area.name if event.area_id else "",
            event.from_state_label,
            event.to_state_label,
            event.note,
            event.ip or "",
        ]


def _shown_filters(filterset) -> list[tuple[str, str]]:
    """The filters as the log page showed them (label, value), for the title row."""
    if not filterset.form.is_valid():
        return []
    shown = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, ""):
            continue
        text = value.isoformat() if isinstance(value, datetime.date) else str(value)
        shown.append((filterset.filters[name].label, text))
    return shown


@register(AUDIT_EXPORT)
def run_audit_export(job, progress) -> None:
    user = job.created_by
    events, filterset = audit_event_list(user=user, filters=job.params.get("filters", {}))
    as_of = timezone.now()
    events = events.filter(at__lte=as_of)
    progress.total(events.count())
    headers = [
        _("Time"),
        _("User name"),
        _("Action"),
        _("Object type"),
        _("Object id"),
        _("Object"),
        _("Area"),
        _("From state"),
        _("To state"),
        _("Note"),
        _("IP address"),
    ]
    name = f"audit-{timezone.localtime(as_of):%Y%m%d-%H%M%S}-{job.pk}.xlsx"
    filters = job.params.get("filters", {})
    written = exports.write_xlsx(
        exports.temp_path(name),
        title=_("Audit log"),
        headers=headers,
        rows=_rows(events.select_related("content_type", "area")),
        caption=exports.caption(
            _("Audit log"),
            scope=user.area.name if user.area_id else None,
            filters=_shown_filters(filterset),
            as_of=as_of,
        ),
        text_columns=frozenset({4, 10}),
        formats={0: TIME_FORMAT},
        on_progress=progress.step,
    )
    exports.export_to_job(
        job, written, stored_name=name, name=name, what=AUDIT_EXPORT, filters=filters, as_of=as_of
    )
