from __future__ import annotations

from pathlib import Path

import django_filters
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.forms import DateInput

# Models of the platform's own apps that are never the object of an event: the trail itself,
# API tokens (their events are the user's), and a case's steps and attachments (the case's).
NOT_AUDITED = frozenset(
    {"audit.auditevent", "accounts.apitoken", "monitoring.casestep", "monitoring.caseattachment"}
)


def _is_platform_app(app_config) -> bool:
    """An app of this code base, not Django's or a library's (sessions, permissions, tokens,
    the admin's log …), whose tables mean nothing to an auditor."""
    path = Path(app_config.path).resolve()
    return path.is_relative_to(settings.BASE_DIR) and "site-packages" not in path.parts


def object_type_choices() -> list[tuple[int, str]]:
    """The platform's own record types, each once, by their Chinese names."""
    models = [
        model
        for app_config in apps.get_app_configs()
        if _is_platform_app(app_config)
        for model in app_config.get_models()
        if model._meta.label_lower not in NOT_AUDITED
    ]
    types = ContentType.objects.get_for_models(*models)
    choices = {types[model].pk: str(model._meta.verbose_name) for model in models}
    return sorted(choices.items(), key=lambda choice: choice[1])


class AuditEventFilter(django_filters.FilterSet):
    """Filters of the auditors' log page and of its Excel export."""

    actor = django_filters.CharFilter(
        field_name="actor_name", lookup_expr="exact", label=_("User name")
    )
    content_type = django_filters.ChoiceFilter(
        field_name="content_type",
        choices=object_type_choices,
        label=_("Object type"),
        empty_label=_("All"),
    )
    action = django_filters.ChoiceFilter(
        field_name="action",
        choices=AuditEvent.Action.choices,
        label=_("Action"),
        empty_label=_("All"),
    )
    date_from = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=DateInput(),
    )
    date_to = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__lte",
        label=_("To"),
        widget=DateInput(),
    )

    class Meta:
        model = AuditEvent
        fields = ["actor", "content_type", "action", "date_from", "date_to"]
