"""/api/v1/reallocations/: the bureau's reallocations (调剂) of idle money (FND-7).

A reallocation moves money of one allocation from one project's unspent entries (idle ones
first) to another project; ``POST`` is one call of the reallocation service, which writes the
entries out and in. They are the county's decisions: the county-wide roles see them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status

from funds.api.allocations import REASON, FundViewSetMixin, positive, yuan
from funds.filters import ReallocationFilter
from funds.models import FundAllocation, Reallocation
from funds.services import reallocations as services
from kaiyuan.accounts.capabilities import require
from kaiyuan.common.api import ModuleViewSet, ScopedPrimaryKeyField
from projects.models import Project


class ReallocationSerializer(serializers.ModelSerializer):
    document = serializers.CharField(source="allocation.document_number", read_only=True)
    from_project_code = serializers.CharField(source="from_project.code", read_only=True)
    to_project_code = serializers.CharField(source="to_project.code", read_only=True)
    amount = yuan(read_only=True)

    class Meta:
        model = Reallocation
        fields = [
            "id",
            "allocation",
            "document",
            "from_project",
            "from_project_code",
            "to_project",
            "to_project_code",
            "amount",
            "decided_on",
            "document_number",
            "reason",
            "recorded_at",
        ]
        read_only_fields = fields


class ReallocationCreateSerializer(serializers.Serializer):
    allocation = ScopedPrimaryKeyField(queryset=FundAllocation.objects.filter(reverses=None))
    from_project = ScopedPrimaryKeyField(queryset=Project.objects.all())
    to_project = ScopedPrimaryKeyField(queryset=Project.objects.all())
    amount = positive()
    decided_on = serializers.DateField()
    document_number = serializers.CharField(
        max_length=80, help_text=_("The decision's document number.")
    )
    reason = serializers.CharField(max_length=REASON)


@extend_schema(tags=["funds"])
class ReallocationViewSet(FundViewSetMixin, ModuleViewSet):
    """Reallocations of idle money between projects."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = Reallocation.objects.select_related("allocation", "from_project", "to_project")
    serializer_class = ReallocationSerializer
    filterset_class = ReallocationFilter

    @extend_schema(request=ReallocationCreateSerializer, responses={201: ReallocationSerializer})
    def create(self, request, *args, **kwargs):
        require(request.user, "funds.reallocate")
        values = self._valid(ReallocationCreateSerializer)
        decision = services.reallocation_decide(actor=request.user, **values)
        return self._answer(decision, status.HTTP_201_CREATED)
