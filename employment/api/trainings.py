"""/api/v1/trainings/: skills courses (乡村振兴技能提升培训, DOMAIN.md §6.2 item 4) organised for
the user's area, and those of the county or a township that trained people of it.

``POST`` records a course for an area (a village, a township, or the county); ``PUT``/``PATCH``
change it with the ``version`` loaded. ``/trainees/`` lists the people of the course the user
may see (``GET``, paged) and puts a person on it (``POST``: a person of a 脱贫 or monitored
household of the course's area, once; a certificate only for a finished course).
"""

from __future__ import annotations

from dataclasses import fields, replace

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from employment.api.records import VERSION_HELP, EmploymentViewSetMixin, optional, text
from employment.codes import Certificate, CourseType
from employment.filters import TrainingFilter
from employment.models import Trainee, Training
from employment.services import trainings as services
from kaiyuan.accounts.capabilities import require
from kaiyuan.areas.models import Area
from kaiyuan.common.api import ModuleViewSet, ScopedPrimaryKeyField, require_version
from kaiyuan.common.api_paging import MAX_PAGE
from monitoring.models import Member


class TrainingSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    area_level = serializers.CharField(source="area.level", read_only=True)

    class Meta:
        model = Training
        fields = [
            "id",
            "area",
            "area_name",
            "area_level",
            "course",
            "course_type",
            "organiser",
            "place",
            "start_date",
            "end_date",
            "hours",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class TraineeSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    id_number_masked = serializers.CharField(source="member.id_masked", read_only=True)
    village_name = serializers.CharField(source="member.household.area.name", read_only=True)

    class Meta:
        model = Trainee
        fields = [
            "id",
            "training",
            "member",
            "member_name",
            "id_number_masked",
            "village_name",
            "completed",
            "certificate",
            "certificate_number",
            "added_at",
        ]
        read_only_fields = fields


class TraineePageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = TraineeSerializer(many=True)


class CourseFieldsSerializer(serializers.Serializer):
    """The fields of ``services.trainings.CourseDetails``, shape-checked only."""

    course = serializers.CharField(max_length=120)
    course_type = serializers.ChoiceField(choices=CourseType.choices)
    organiser = serializers.CharField(max_length=100)
    place = text(100)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    hours = optional(serializers.IntegerField, min_value=1, max_value=10_000)


class TrainingCreateSerializer(CourseFieldsSerializer):
    area = ScopedPrimaryKeyField(
        queryset=Area.objects.all(),
        help_text=_("The village or township whose people it trains, or the county."),
    )


class TrainingUpdateSerializer(CourseFieldsSerializer):
    """``PUT``: the course as it is now; ``PATCH``: only what changes. Its area stays."""

    version = serializers.IntegerField(help_text=VERSION_HELP)

    def validate(self, attrs):
        require_version(attrs)
        return attrs


class TraineeAddSerializer(serializers.Serializer):
    member = ScopedPrimaryKeyField(
        queryset=Member.objects.all(),
        help_text=_("A person of a 脱贫 or monitored household of the course's area."),
    )
    completed = serializers.BooleanField(required=False, default=True)
    certificate = serializers.ChoiceField(
        choices=Certificate.choices, required=False, allow_blank=True, default=""
    )
    certificate_number = text(40)


def details_of(training: Training) -> services.CourseDetails:
    return services.CourseDetails(
        **{f.name: getattr(training, f.name) for f in fields(services.CourseDetails)}
    )


@extend_schema(tags=["employment"])
class TrainingViewSet(EmploymentViewSetMixin, ModuleViewSet):
    """The courses of the user's area, and those that trained its people."""

    queryset = Training.objects.all()
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilter

    def get_queryset(self):
        return Training.objects.visible_to(self.request.user).select_related("area")

    @extend_schema(request=TrainingCreateSerializer, responses={201: TrainingSerializer})
    def create(self, request, *args, **kwargs):
        """A course recorded for an area."""
        require(request.user, "employment.training")
        values = self._valid(TrainingCreateSerializer)
        area = values.pop("area")
        training = services.training_create(
            area=area, details=services.CourseDetails(**values), actor=request.user
        )
        return self._answer(training, status.HTTP_201_CREATED)

    @extend_schema(request=TrainingUpdateSerializer, responses={200: TrainingSerializer})
    def update(self, request, *args, **kwargs):
        """The course replaced (``PUT``) or corrected in part (``PATCH``)."""
        training = self.get_object()
        require(request.user, "employment.training")
        values, version = self._update_values(
            TrainingUpdateSerializer, kwargs.get("partial", False)
        )
        training = services.training_change(
            training=training,
            details=replace(details_of(training), **values),
            expected_version=version,
            actor=request.user,
        )
        return self._answer(training)

    @extend_schema(request=TrainingUpdateSerializer, responses={200: TrainingSerializer})
    def partial_update(self, request, *args, **kwargs):
        """The course corrected; what is not sent stays."""
        return self.update(request, *args, **{**kwargs, "partial": True})

    @extend_schema(
        methods=["GET"],
        parameters=[
            OpenApiParameter(
                "page",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                required=False,
                description=str(_("The page, from 1.")),
            )
        ],
        responses={200: TraineePageSerializer},
    )
    @extend_schema(
        methods=["POST"], request=TraineeAddSerializer, responses={201: TraineeSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def trainees(self, request, pk=None):
        """``GET``: the people of the course you may see; ``POST``: a person put on it."""
        training = self.get_object()
        if request.method == "GET":
            rows = (
                Trainee.objects.visible_to(request.user)
                .filter(training=training)
                .select_related("member__household__area")
                .order_by("id")
            )
            page = self.paginate_queryset(rows)
            data = TraineeSerializer(page, many=True, context=self.get_serializer_context()).data
            return self.get_paginated_response(data)
        require(request.user, "employment.training")
        values = self._valid(TraineeAddSerializer)
        trainee = services.trainee_add(
            training=training,
            member=values["member"],
            completed=values["completed"],
            certificate=values["certificate"],
            number=values["certificate_number"],
            actor=request.user,
        )
        trainee = Trainee.objects.select_related("member__household__area").get(pk=trainee.pk)
        return Response(
            TraineeSerializer(trainee, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
