"""/api/v1/members/: household members, their ID numbers masked (revealing one is audited)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.response import Response

from kaiyuan.accounts.capabilities import require
from kaiyuan.common.api import (
    ModuleViewSet,
    ScopedPrimaryKeyField,
    kind_choices,
    require_version,
)
from kaiyuan.common.errors import DomainError
from kaiyuan.common.idcard import InvalidIdNumber
from monitoring.filters import MemberFilter
from monitoring.models import Household, Member
from monitoring.services import members as member_services
from monitoring.services.members import ADD_KINDS, MEMBER_EDITABLE, REMOVE_KINDS


class MemberSummarySerializer(serializers.ModelSerializer):
    id_number_masked = serializers.CharField(source="id_masked", read_only=True)
    # The age, not the birth date: the birth date would complete the masked number.
    age = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Member
        fields = ["id", "name", "relation", "sex", "age", "id_number_masked", "status"]


class MemberSerializer(serializers.ModelSerializer):
    """A member as lists and details show it: the ID number only masked, with the age instead
    of the birth date that would complete it (the full number comes from POST
    /members/{id}/reveal-id/, audited)."""

    household_number = serializers.CharField(source="household.household_number", read_only=True)
    id_number_masked = serializers.CharField(source="id_masked", read_only=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Member
        fields = [
            "id",
            "household",
            "household_number",
            "person_number",
            "name",
            "sex",
            "age",
            "id_type",
            "id_number_masked",
            *[name for name in MEMBER_EDITABLE if name not in ("person_number", "name", "id_type")],
            "status",
            "removed_on",
            "removal_reason",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class MemberFieldsSerializer(serializers.ModelSerializer):
    """The editable member fields (MEMBER_EDITABLE), shape-checked only."""

    class Meta:
        model = Member
        fields = list(MEMBER_EDITABLE)
        extra_kwargs = {
            # Uniqueness and every other rule are the service's to answer (with a rule code).
            "person_number": {"validators": []},
        }


class MemberCreateSerializer(MemberFieldsSerializer):
    household = ScopedPrimaryKeyField(queryset=Household.objects.all())
    # Left out while the household's first registration is open (it declared more members than
    # it has): the member is then recorded as 首次登记. Afterwards the service asks for them.
    kind = serializers.ChoiceField(
        choices=kind_choices(ADD_KINDS), required=False, allow_null=True, default=None
    )
    happened_on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=22)
    certificate = serializers.CharField(max_length=22, required=False, allow_blank=True)

    class Meta(MemberFieldsSerializer.Meta):
        fields = [
            "household",
            "kind",
            "happened_on",
            "reason",
            "id_number",
            "certificate",
            *MEMBER_EDITABLE,
        ]
        extra_kwargs = {
            **MemberFieldsSerializer.Meta.extra_kwargs,
            "name": {"required": True},
            "relation": {"required": True},
            "health": {"required": True},
            "labour_skill": {"required": True},
        }


class MemberUpdateSerializer(MemberFieldsSerializer):
    version = serializers.IntegerField()
    id_number = serializers.CharField(max_length=22, required=False)
    certificate = serializers.CharField(max_length=22, required=False, allow_blank=True)

    class Meta(MemberFieldsSerializer.Meta):
        fields = ["version", "id_number", "certificate", *MEMBER_EDITABLE]

    def validate(self, attrs):
        require_version(attrs)
        return attrs


class MemberRemoveSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=kind_choices(REMOVE_KINDS))
    happened_on = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class MemberSearchSerializer(serializers.Serializer):
    id_number = serializers.CharField(
        max_length=22, help_text=_("The full ID number (15 or 18 characters).")
    )


class RevealedIdSerializer(serializers.Serializer):
    id_number = serializers.CharField(read_only=True)


@extend_schema(tags=["monitoring"])
class MemberViewSet(ModuleViewSet):
    """Household members. ID numbers are shown masked; a member is found by the full number
    with POST /members/search/ (never in a query string), and the full number is revealed one
    member at a time, audited."""

    module = "monitoring"
    queryset = Member.objects.select_related("household", "household__area")
    filterset_class = MemberFilter

    def get_serializer_class(self):
        return {
            "create": MemberCreateSerializer,
            "partial_update": MemberUpdateSerializer,
            "remove": MemberRemoveSerializer,
        }.get(self.action, MemberSerializer)

    def _out(self, member: Member, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=member.pk)
        return Response(MemberSerializer(fresh).data, status=code)

    @extend_schema(request=MemberCreateSerializer, responses={201: MemberSerializer})
    def create(self, request, *args, **kwargs):
        require(request.user, "households.edit")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        member = member_services.member_create(
            household=data.pop("household"),
            actor=request.user,
            id_number=data.pop("id_number"),
            kind=data.pop("kind"),
            happened_on=data.pop("happened_on"),
            reason=data.pop("reason"),
            certificate=data.pop("certificate", ""),
            data=data,
        )
        return self._out(member, status.HTTP_201_CREATED)

    @extend_schema(request=MemberUpdateSerializer, responses={200: MemberSerializer})
    def partial_update(self, request, *args, **kwargs):
        require(request.user, "households.edit")
        member = self.get_object()
        serializer = self.get_serializer(member, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version")
        id_number = changes.pop("id_number", None)
        certificate = changes.pop("certificate", "")
        member = member_services.member_update(
            member=member,
            actor=request.user,
            expected_version=version,
            changes=changes,
            id_number=id_number,
            certificate=certificate,
        )
        return self._out(member)

    @extend_schema(request=MemberRemoveSerializer, responses={200: MemberSerializer})
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        """End a membership (death, marriage out, registration moved out) with date and reason."""
        require(request.user, "households.edit")
        member = self.get_object()
        serializer = MemberRemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = member_services.member_remove(
            member=member, actor=request.user, **serializer.validated_data
        )
        return self._out(member)

    @extend_schema(request=MemberSearchSerializer, responses={200: MemberSerializer(many=True)})
    @action(
        detail=False,
        methods=["post"],
        # A search reads: auditors and leaders may search; the area bounds what is found.
        permission_classes=[permissions.IsAuthenticated],
    )
    def search(self, request):
        """The members of the user's area holding this ID number (current or removed), found
        through the blind index. POST, so that the number stays out of URLs and access logs;
        counted against the same per-user limit as the ID check, and audited with the number
        masked."""
        data = MemberSearchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            members = member_services.member_search_by_id(
                data.validated_data["id_number"], user=request.user, source="api"
            )
        except InvalidIdNumber as exc:
            raise DomainError(exc.message, code=exc.code, field="id_number") from None
        except member_services.TooManyChecks as exc:
            raise Throttled(detail=exc.message) from None
        rows = self.get_queryset().filter(pk__in=[member.pk for member in members])
        return Response(MemberSerializer(rows.order_by("id"), many=True).data)

    @extend_schema(request=None, responses={200: RevealedIdSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="reveal-id",
        # Revealing reads data: auditors (read-only) may do it; the role check is below.
        permission_classes=[permissions.IsAuthenticated],
    )
    def reveal_id(self, request, pk=None):
        """The member's full ID number, for the roles whose work needs it; every reveal is
        written to the audit trail."""
        member = self.get_object()
        try:
            number = member_services.member_reveal_id(
                member=member, actor=request.user, source="api"
            )
        except member_services.RevealNotAllowed as exc:
            raise PermissionDenied(exc.message) from None
        return Response({"id_number": number})
