"""/api/v1/inbox/: the counts of the user's 待办 sources, and a page of one source's items (the
same reads as the 待办 page)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from kaiyuan.common.api_paging import MAX_PAGE, ProbePagination
from kaiyuan.common.errors import DomainError
from kaiyuan.inbox import selectors
from kaiyuan.inbox.registry import all_sources, source_for


class SourceCountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    watch = serializers.BooleanField(help_text=_("For following only: nothing to act on."))
    count = serializers.IntegerField()


class InboxSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text=_("Items waiting in the sources to act on."))
    sources = SourceCountSerializer(many=True)


class InboxItemSerializer(serializers.Serializer):
    source = serializers.CharField(source="source.key")
    what = serializers.CharField(source="source.label")
    detail = serializers.CharField(source="entry.detail", allow_blank=True)
    subject = serializers.CharField(source="entry.subject")
    since = serializers.DateField(source="since_date", allow_null=True)
    deadline = serializers.DateField(source="entry.deadline", allow_null=True)
    overdue = serializers.BooleanField()
    url = serializers.CharField(
        source="entry.url", help_text=_("The page where the step is taken.")
    )


class InboxItemPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = InboxItemSerializer(many=True)


@extend_schema(tags=["inbox"], responses=InboxSerializer)
class InboxView(APIView):
    """How many items wait for the user in each source their role sees (one count each)."""

    permission_classes = [permissions.IsAuthenticated]

    def get(self, request, *args, **kwargs):
        summary = selectors.inbox_summary(request.user)
        return Response(InboxSerializer({"total": summary.total, "sources": summary.counts}).data)


@extend_schema(
    tags=["inbox"],
    parameters=[
        OpenApiParameter(
            "source",
            str,
            required=True,
            enum=[source.key for source in all_sources()] or None,
            description=str(_("The source, one of the keys /api/v1/inbox/ lists for the user.")),
        ),
        OpenApiParameter(
            "page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            required=False,
            description=str(_("The page, from 1.")),
        ),
    ],
    responses=InboxItemPageSerializer,
)
class InboxItemsView(APIView):
    """One source's items, in the order of the 待办 page, paged without a count. A source the
    user's role does not see answers as an unknown one."""

    permission_classes = [permissions.IsAuthenticated]

    def get(self, request, *args, **kwargs):
        source = source_for(request.user, request.query_params.get("source", ""))
        if source is None:
            raise DomainError(
                _("Choose one of your inbox's sources."), code="invalid", field="source"
            )
        paginator = ProbePagination()
        objects = paginator.paginate_queryset(source.items(request.user), request, view=self)
        items = selectors.read_items(source, objects)
        return paginator.get_paginated_response(InboxItemSerializer(items, many=True).data)
