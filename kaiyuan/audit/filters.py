from __future__ import annotations

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.forms import DateInput


class AuditEventFilter(django_filters.FilterSet):
    """Filters of the auditors' log page and of its Excel export."""

    actor = django_filters.CharFilter(
        field_name="actor_name", lookup_expr="exact", label=_("User name")
    )
    content_type = django_filters.ModelChoiceFilter(
        queryset=ContentType.objects.order_by("app_label", "model"), label=_("Object type")
    )
    action = django_filters.CharFilter(field_name="action", label=_("Action"))
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
