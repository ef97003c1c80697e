"""/api/v1/project-beneficiaries/: the households a project benefits (联农带农), picked from the
registry, each with its role. A household is named by its household number and its head's
name; ID numbers never appear here. Created and deleted through the beneficiary services."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from kaiyuan.common.api import ModuleReadOnlyViewSet, ScopedPrimaryKeyField, money
from monitoring.models import Household
from projects.codes import BeneficiaryRole
from projects.filters import ProjectBeneficiaryFilter
from projects.models import Project, ProjectBeneficiary
from projects.services import beneficiaries as beneficiary_services


class ProjectBeneficiarySerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    household_number = serializers.CharField(source="household.household_number", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    village_name = serializers.CharField(source="household.area.name", read_only=True)
    household_type = serializers.CharField(source="household.household_type", read_only=True)
    amount = money(read_only=True, allow_null=True)

    class Meta:
        model = ProjectBeneficiary
        fields = [
            "id",
            "project",
            "project_code",
            "household",
            "household_number",
            "head_name",
            "village_name",
            "household_type",
            "role",
            "amount",
            "note",
        ]
        read_only_fields = fields


class ProjectBeneficiaryCreateSerializer(serializers.Serializer):
    project = ScopedPrimaryKeyField(queryset=Project.objects.all())
    household = ScopedPrimaryKeyField(queryset=Household.objects.all())
    role = serializers.ChoiceField(choices=BeneficiaryRole.choices)
    amount = money(min_value=Decimal("0"), required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


@extend_schema(tags=["projects"])
class ProjectBeneficiaryViewSet(ModuleReadOnlyViewSet):
    """Beneficiary households of the projects the user sees; add one, or remove one."""

    module = "projects"
    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = ProjectBeneficiary.objects.select_related("project", "household", "household__area")
    serializer_class = ProjectBeneficiarySerializer
    filterset_class = ProjectBeneficiaryFilter

    @extend_schema(
        request=ProjectBeneficiaryCreateSerializer, responses={201: ProjectBeneficiarySerializer}
    )
    def create(self, request, *args, **kwargs):
        data = ProjectBeneficiaryCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        row = beneficiary_services.beneficiary_add(actor=request.user, **data.validated_data)
        fresh = self.get_queryset().get(pk=row.pk)
        return Response(ProjectBeneficiarySerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, *args, **kwargs):
        beneficiary_services.beneficiary_remove(beneficiary=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
