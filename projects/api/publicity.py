"""/api/v1/publicity-records/ and /api/v1/announcements/: 两公示一公告.

A publicity is recorded and ended on its project (``POST /projects/{id}/publicity/`` and
``/projects/{id}/publicity-close/``, in ``projects.api.projects``). Its objections are
sub-resources of the record: ``POST /publicity-records/{id}/objections/`` records one, and
``POST /publicity-records/{id}/objections/{objection_id}/handle/`` says how it was handled (with
the project's ``version``: an upheld objection ends the project's way to the library). Both
answer the record with its objections. The county's announcement lists many projects at once:
``POST /announcements/``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from kaiyuan.common.api import (
    ModuleReadOnlyViewSet,
    ModuleViewSet,
    ScopedPrimaryKeyField,
    as_id,
)
from projects.codes import PublicityMedium
from projects.filters import FIRST_YEAR, LAST_YEAR, AnnouncementFilter, PublicityRecordFilter
from projects.models import Announcement, Project, PublicityObjection, PublicityRecord
from projects.services import publicity as publicity_services

TEXT = 500


def dates_in_order(attrs: dict, start: str = "start_date", end: str = "end_date") -> dict:
    if attrs.get(start) and attrs.get(end) and attrs[end] < attrs[start]:
        raise serializers.ValidationError({end: _("The end cannot be before the start.")})
    return attrs


# =============================================================================================
# Read
# =============================================================================================


class PublicityObjectionSerializer(serializers.ModelSerializer):
    is_handled = serializers.BooleanField(read_only=True)

    class Meta:
        model = PublicityObjection
        fields = ["id", "received_on", "text", "handling", "upheld", "is_handled"]
        read_only_fields = fields


class PublicityBriefSerializer(serializers.ModelSerializer):
    """A publicity as its project's detail lists it."""

    days = serializers.IntegerField(read_only=True)
    objection_count = serializers.SerializerMethodField()

    class Meta:
        model = PublicityRecord
        fields = [
            "id",
            "level",
            "medium",
            "place",
            "start_date",
            "end_date",
            "days",
            "closed_on",
            "announcement",
            "objection_count",
        ]
        read_only_fields = fields

    def get_objection_count(self, record) -> int:
        return len(record.objections.all())


class PublicityRecordSerializer(PublicityBriefSerializer):
    """A publicity with its project's code, state and version (the version a handling sends)
    and its objections."""

    project_code = serializers.CharField(source="project.code", read_only=True)
    project_status = serializers.CharField(source="project.status", read_only=True)
    project_version = serializers.IntegerField(source="project.version", read_only=True)
    objections = PublicityObjectionSerializer(many=True, read_only=True)

    class Meta(PublicityBriefSerializer.Meta):
        fields = [
            "id",
            "project",
            "project_code",
            "project_status",
            "project_version",
            *PublicityBriefSerializer.Meta.fields[1:],
            "objections",
        ]
        read_only_fields = fields


# =============================================================================================
# Input (the project's publicity steps take these too)
# =============================================================================================


class PublicityInputSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    level = serializers.ChoiceField(
        choices=PublicityRecord.Level.choices,
        help_text=_("The board it is posted on: village, township or county."),
    )
    medium = serializers.ChoiceField(choices=PublicityMedium.choices)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    start_date = serializers.DateField()
    end_date = serializers.DateField()

    def validate(self, attrs):
        return dates_in_order(attrs)


class ObjectionInputSerializer(serializers.Serializer):
    received_on = serializers.DateField()
    text = serializers.CharField(max_length=TEXT)


class ObjectionHandleSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        help_text=_("The project's version (project_version of the publicity record).")
    )
    upheld = serializers.BooleanField(
        help_text=_("An upheld objection ends the project's way to the library.")
    )
    handling = serializers.CharField(max_length=TEXT, allow_blank=True, default="")


@extend_schema(tags=["projects"])
class PublicityRecordViewSet(ModuleReadOnlyViewSet):
    """The publicity of the projects the user sees, each with its objections."""

    module = "projects"
    queryset = PublicityRecord.objects.select_related("project").prefetch_related(
        Prefetch("objections", queryset=PublicityObjection.objects.order_by("received_on", "id"))
    )
    serializer_class = PublicityRecordSerializer
    filterset_class = PublicityRecordFilter

    def _answer(self, record: PublicityRecord) -> Response:
        return Response(PublicityRecordSerializer(self.get_queryset().get(pk=record.pk)).data)

    @extend_schema(request=ObjectionInputSerializer, responses={201: PublicityRecordSerializer})
    @action(detail=True, methods=["post"])
    def objections(self, request, pk=None):
        """Record an objection received during the publicity (not yet handled)."""
        record = self.get_object()
        data = ObjectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        publicity_services.objection_record(
            publicity=record, actor=request.user, **data.validated_data
        )
        answer = self._answer(record)
        answer.status_code = status.HTTP_201_CREATED
        return answer

    @extend_schema(
        request=ObjectionHandleSerializer,
        responses={200: PublicityRecordSerializer},
        parameters=[
            OpenApiParameter(
                "objection_id",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description=str(_("The objection's id (of this publicity).")),
            )
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"objections/(?P<objection_id>[0-9]+)/handle",
        url_name="objection-handle",
    )
    def handle(self, request, pk=None, objection_id=None):
        """How an objection was handled: upheld (the project is not approved) or not."""
        record = self.get_object()
        objection_pk = as_id(objection_id)
        objection = next((o for o in record.objections.all() if o.pk == objection_pk), None)
        if objection is None:
            raise Http404
        data = ObjectionHandleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        objection.record = record
        publicity_services.objection_handle(
            objection=objection,
            upheld=values["upheld"],
            handling=values["handling"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._answer(record)


# =============================================================================================
# The county's announcement
# =============================================================================================


class AnnouncementSerializer(serializers.ModelSerializer):
    projects = serializers.SerializerMethodField()

    class Meta:
        model = Announcement
        fields = [
            "id",
            "year",
            "title",
            "number",
            "medium",
            "start_date",
            "end_date",
            "projects",
            "created_at",
        ]
        read_only_fields = fields

    def get_projects(self, announcement) -> list[int]:
        return [record.project_id for record in announcement.records.all()]


class AnnouncementCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    number = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The document number (文号)."),
    )
    medium = serializers.ChoiceField(
        choices=PublicityMedium.choices, required=False, default=PublicityMedium.WEBSITE
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    projects = serializers.ListField(
        child=ScopedPrimaryKeyField(queryset=Project.objects.all()),
        max_length=1000,
        help_text=_("The ids of the decided projects the announcement lists."),
    )

    def validate(self, attrs):
        attrs = dates_in_order(attrs)
        attrs["projects"] = list({p.pk: p for p in attrs["projects"]}.values())
        return attrs


@extend_schema(tags=["projects"])
class AnnouncementViewSet(ModuleViewSet):
    """The county's announcements (公告) of its library; a new one takes each listed project
    from "decided" to "announced", all or none."""

    module = "projects"
    http_method_names = ["get", "post", "head", "options"]
    queryset = Announcement.objects.prefetch_related("records")
    serializer_class = AnnouncementSerializer
    filterset_class = AnnouncementFilter

    @extend_schema(request=AnnouncementCreateSerializer, responses={201: AnnouncementSerializer})
    def create(self, request, *args, **kwargs):
        data = AnnouncementCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        announcement = publicity_services.announcement_create(
            actor=request.user, **data.validated_data
        )
        fresh = self.get_queryset().get(pk=announcement.pk)
        return Response(AnnouncementSerializer(fresh).data, status=status.HTTP_201_CREATED)
