"""/api/v1/employment-records/: people's jobs (DOMAIN.md §6.4), one record per job and year.

Each record is listed with its person (the ID number only masked), household and village, its
period and months worked, where and for whom, the kind of job and its one 七个一批 measure, how
it is known and who verified it, the transport subsidy, and its flags (EMP-4: a person
registered without labour ability recorded as working, shown until the township has reviewed
it). ``POST`` records a job of a person; ``PUT`` replaces and ``PATCH`` corrects its details
with the ``version`` loaded (a stale one answers 409); ``/end/`` records its last day,
``/confirm/`` "still at the same job" (a job of last year is carried into this one first),
``/review/`` the township's look at a flag; ``DELETE`` removes a record entered by mistake,
with the reason. Every write is one call of the service the pages use; a broken rule answers
400 with ``code`` (the rule's id, ``emp_5``), ``detail``, ``field`` and ``violations``.
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from employment.codes import Batch, JobType, PlaceCategory, Source
from employment.filters import RecordFilter
from employment.models import EmploymentRecord, WelfarePost, Workshop
from employment.rules import records as rules
from employment.services import records as services
from kaiyuan.accounts.capabilities import require
from kaiyuan.common.api import (
    FlagSerializer,
    ModuleViewSet,
    ScopedPrimaryKeyField,
    ServiceActionsMixin,
    money,
    require_version,
)
from kaiyuan.common.dates import today
from monitoring.models import Member

MODULE = "employment"
VERSION_HELP = _("The version you loaded; a newer saved version answers 409.")
READ_WRITE_AND_PUT = ["get", "post", "put", "patch", "head", "options"]


class EmploymentViewSetMixin(ServiceActionsMixin):
    """What every viewset of employment shares: the module (``employment.use``), and an update
    that is a replacement (``PUT``) or a correction in part (``PATCH``) through the service."""

    module = MODULE
    http_method_names = READ_WRITE_AND_PUT

    def _update_values(self, serializer_class, partial: bool) -> tuple[dict, int]:
        """The input of a ``PUT`` (fields not sent take their defaults) or a ``PATCH`` (fields
        not sent stay), checked by ``serializer_class``; and the version loaded."""
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        return values, values.pop("version")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=VERSION_HELP)

    def validate(self, attrs):
        require_version(attrs)
        return attrs


def text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


def optional(field_class, **kwargs):
    return field_class(required=False, allow_null=True, default=None, **kwargs)


# =============================================================================================
# What the list and the detail show
# =============================================================================================


class RecordSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    id_number_masked = serializers.CharField(source="member.id_masked", read_only=True)
    household = serializers.IntegerField(source="member.household_id", read_only=True)
    village = serializers.IntegerField(source="member.household.area_id", read_only=True)
    village_name = serializers.CharField(source="member.household.area.name", read_only=True)
    township_name = serializers.CharField(
        source="member.household.area.parent.name", read_only=True, default=None
    )
    workshop_name = serializers.CharField(source="workshop.name", read_only=True, default=None)
    monthly_wage = money(read_only=True, allow_null=True)
    transport_subsidy = money(read_only=True, allow_null=True)
    verified_by = serializers.SerializerMethodField(help_text=_("Who verified the job."))
    reviewed_by = serializers.SerializerMethodField(
        help_text=_("Who reviewed the flag of a person registered without labour ability.")
    )
    flags = serializers.SerializerMethodField(
        help_text=_(
            "A person registered without labour ability recorded as working (or with weak "
            "labour working outside the province), until the township has reviewed it."
        )
    )

    class Meta:
        model = EmploymentRecord
        fields = [
            "id",
            "member",
            "member_name",
            "id_number_masked",
            "household",
            "village",
            "village_name",
            "township_name",
            "year",
            "start_date",
            "end_date",
            "months_worked",
            "place_category",
            "place",
            "employer",
            "employer_uscc",
            "job_type",
            "welfare_job_type",
            "post",
            "workshop",
            "workshop_name",
            "batch",
            "monthly_wage",
            "channel",
            "source",
            "verified_by",
            "verified_on",
            "transport_subsidy",
            "transport_subsidy_paid_on",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "note",
            "flags",
            "recorded_at",
            "version",
        ]
        read_only_fields = fields

    def get_verified_by(self, record) -> str | None:
        return str(record.verified_by) if record.verified_by_id else None

    def get_reviewed_by(self, record) -> str | None:
        return str(record.reviewed_by) if record.reviewed_by_id else None

    @extend_schema_field(FlagSerializer(many=True))
    def get_flags(self, record) -> list[dict]:
        if not record.needs_review:
            return []
        flags = rules.labour_flags(
            labour_skill=record.member.labour_skill,
            place_category=record.place_category,
            months=record.months_worked,
        )
        return FlagSerializer([v.as_dict() for v in flags], many=True).data


# =============================================================================================
# What a clerk sends
# =============================================================================================


class JobFieldsSerializer(serializers.Serializer):
    """The fields of ``services.records.JobDetails``, shape-checked only: the service checks
    the rules (the period, the place, the job's post or workshop, the batch, the subsidy)."""

    start_date = serializers.DateField(help_text=_("The first day of the job in its year."))
    end_date = optional(
        serializers.DateField, help_text=_("Left out while the person still works.")
    )
    months_worked = serializers.IntegerField(min_value=0, max_value=12)
    job_type = serializers.ChoiceField(choices=JobType.choices)
    batch = serializers.ChoiceField(
        choices=Batch.choices, help_text=_("The one seven batches measure it is counted under.")
    )
    source = serializers.ChoiceField(choices=Source.choices)
    place_category = serializers.ChoiceField(
        choices=PlaceCategory.choices, required=False, allow_blank=True, default=""
    )
    place = text(100)
    employer = text(100)
    employer_uscc = text(40, help_text=_("The employer's unified social credit code."))
    welfare_job_type = text(32, help_text=_("A public-welfare job's type (护林员, 保洁员 …)."))
    post = optional(ScopedPrimaryKeyField, queryset=WelfarePost.objects.all())
    workshop = optional(ScopedPrimaryKeyField, queryset=Workshop.objects.all())
    monthly_wage = optional(money)
    channel = text(32)
    transport_subsidy = optional(
        money, help_text=_("The one-off transport subsidy of a worker outside the province.")
    )
    transport_subsidy_paid_on = optional(serializers.DateField)
    note = text(300)


class RecordCreateSerializer(JobFieldsSerializer):
    member = ScopedPrimaryKeyField(
        queryset=Member.objects.all(),
        help_text=_("The person: a member of a 脱贫户 or monitored household of your area."),
    )
    verified = serializers.BooleanField(
        required=False,
        default=True,
        help_text=_("You checked it now (verified by you, today)."),
    )


class RecordUpdateSerializer(JobFieldsSerializer):
    """``PUT``: the job's details as they are now (what is not sent is cleared); ``PATCH``:
    only what changes. The year stays; another year is a new record."""

    version = serializers.IntegerField(help_text=VERSION_HELP)

    def validate(self, attrs):
        require_version(attrs)
        return attrs


class RecordEndSerializer(VersionSerializer):
    end_date = serializers.DateField(help_text=_("The job's last day."))
    months_worked = serializers.IntegerField(
        min_value=0, max_value=12, help_text=_("The months worked in the end.")
    )


class RecordConfirmSerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False, default=None, allow_null=True, help_text=_("Left out, today.")
    )
    source = serializers.ChoiceField(choices=Source.choices, required=False, default=Source.VISIT)


class RecordReviewSerializer(VersionSerializer):
    note = serializers.CharField(max_length=300, help_text=_("What was checked."))


class RecordDeleteSerializer(serializers.Serializer):
    """The query of a ``DELETE`` (it has no body)."""

    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


def records_for(user):
    return EmploymentRecord.objects.visible_to(user).select_related(
        "member__household__area__parent", "workshop", "verified_by", "reviewed_by"
    )


@extend_schema(tags=["employment"])
class RecordViewSet(EmploymentViewSetMixin, ModuleViewSet):
    """The jobs of the people of the user's area."""

    http_method_names = [*READ_WRITE_AND_PUT, "delete"]
    queryset = EmploymentRecord.objects.all()
    serializer_class = RecordSerializer
    filterset_class = RecordFilter

    def get_queryset(self):
        return records_for(self.request.user)

    @extend_schema(request=RecordCreateSerializer, responses={201: RecordSerializer})
    def create(self, request, *args, **kwargs):
        """A job of a person recorded."""
        require(request.user, "employment.record")
        values = self._valid(RecordCreateSerializer)
        member, verified = values.pop("member"), values.pop("verified")
        record = services.record_create(
            member=member,
            details=services.JobDetails(**values),
            actor=request.user,
            verified=verified,
        )
        return self._answer(record, status.HTTP_201_CREATED)

    @extend_schema(request=RecordUpdateSerializer, responses={200: RecordSerializer})
    def update(self, request, *args, **kwargs):
        """The job's details replaced (``PUT``) or corrected in part (``PATCH``)."""
        record = self.get_object()
        require(request.user, "employment.record")
        values, version = self._update_values(RecordUpdateSerializer, kwargs.get("partial", False))
        record = services.record_change(
            record=record,
            details=replace(services.JobDetails.of(record), **values),
            expected_version=version,
            actor=request.user,
        )
        return self._answer(record)

    @extend_schema(request=RecordUpdateSerializer, responses={200: RecordSerializer})
    def partial_update(self, request, *args, **kwargs):
        """The job's details corrected; what is not sent stays."""
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=RecordEndSerializer, responses={200: RecordSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """The person left the job: its last day and the months worked in the end."""
        record = self.get_object()
        require(request.user, "employment.record")
        values = self._valid(RecordEndSerializer)
        record = services.record_end(
            record=record,
            end_date=values["end_date"],
            months_worked=values["months_worked"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._answer(record)

    @extend_schema(request=RecordConfirmSerializer, responses={200: RecordSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """ "Still at the same job" (a visit): verified, the months worked brought up to date.
        A job of last year is carried into this one, and the answer is this year's record."""
        record = self.get_object()
        require(request.user, "employment.record")
        values = self._valid(RecordConfirmSerializer)
        record = services.record_confirm(
            record=record,
            on=values["on"] or today(),
            source=values["source"],
            actor=request.user,
        )
        return self._answer(record)

    @extend_schema(request=RecordReviewSerializer, responses={200: RecordSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """The township's look at a flagged job: the person does work, with what was checked."""
        record = self.get_object()
        require(request.user, "employment.review")
        values = self._valid(RecordReviewSerializer)
        record = services.record_review(
            record=record,
            note=values["note"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._answer(record)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "reason",
                {"type": "string", "minLength": 1, "maxLength": 300},
                required=True,
                description=str(_("Why the record is deleted (entered by mistake).")),
            ),
            OpenApiParameter(
                "version",
                {"type": "integer", "minimum": 1},
                required=False,
                description=str(VERSION_HELP),
            ),
        ],
        responses={204: None},
    )
    def destroy(self, request, *args, **kwargs):
        """A record entered by mistake deleted, with the reason (a post's job goes with its
        post)."""
        record = self.get_object()
        require(request.user, "employment.record")
        values = self._valid(RecordDeleteSerializer, data=request.query_params)
        services.record_delete(
            record=record,
            reason=values["reason"],
            expected_version=values["version"],
            actor=request.user,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
