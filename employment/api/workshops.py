"""/api/v1/workshops/: employment-assistance workshops (就业帮扶车间, DOMAIN.md §6.3) of the
villages of the user's area, each with the distinct 脱贫 and monitored people working there in a
year (``?year=``, default this one) and, for a workshop open that year, its flag when they are
fewer than the year's minimum (EMP-WORKSHOP, 5 by default: 以上 includes five).

``POST`` records a workshop; ``PUT``/``PATCH`` change it with the ``version`` loaded. Its workers
are the employment records that name it (``/api/v1/employment-records/?workshop=``).
"""

from __future__ import annotations

import datetime
from dataclasses import fields, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status

from employment.api.records import VERSION_HELP, EmploymentViewSetMixin, optional, text
from employment.codes import WorkshopType
from employment.filters import WorkshopFilter
from employment.models import Workshop
from employment.rules import workshops as rules
from employment.selectors.workshops import workshops_with_workers
from employment.services import workshops as services
from funds.filters import YearFilter
from kaiyuan.accounts.capabilities import require
from kaiyuan.areas.models import Area
from kaiyuan.common.api import FlagSerializer, ModuleViewSet, ScopedPrimaryKeyField, require_version
from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.policy.services import policy_for

YEAR = YearFilter().field


def counted_year(request) -> int:
    """The year whose workers are counted: ``?year=``, else this one (400 for no year)."""
    raw = request.query_params.get("year", "")
    if raw == "":
        return today().year
    try:
        return YEAR.clean(raw)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="invalid_filter", field="year") from None


def open_in(workshop: Workshop, year: int) -> bool:
    return workshop.opened_on <= datetime.date(year, 12, 31) and (
        workshop.closed_on is None or workshop.closed_on >= datetime.date(year, 1, 1)
    )


class WorkshopSerializer(serializers.ModelSerializer):
    village = serializers.IntegerField(source="area_id", read_only=True)
    village_name = serializers.CharField(source="area.name", read_only=True)
    township_name = serializers.CharField(source="area.parent.name", read_only=True, default=None)
    year = serializers.SerializerMethodField(help_text=_("The year whose workers are counted."))
    exited_workers = serializers.IntegerField(
        read_only=True,
        help_text=_("The distinct 脱贫 and monitored people with a job here in the year."),
    )
    flags = serializers.SerializerMethodField(
        help_text=_("Fewer such workers in the year than a workshop employs (open that year).")
    )

    class Meta:
        model = Workshop
        fields = [
            "id",
            "village",
            "village_name",
            "township_name",
            "name",
            "workshop_type",
            "operator",
            "operator_uscc",
            "products",
            "opened_on",
            "closed_on",
            "total_workers",
            "contact",
            "phone",
            "year",
            "exited_workers",
            "flags",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def get_year(self, workshop) -> int:
        return self.context["year"]

    @extend_schema_field(FlagSerializer(many=True))
    def get_flags(self, workshop) -> list[dict]:
        year = self.context["year"]
        if not open_in(workshop, year):
            return []
        flags = rules.workshop_flags(
            exited_workers=workshop.exited_workers, policy=self.context["policy"]
        )
        return FlagSerializer([v.as_dict() for v in flags], many=True).data


class WorkshopFieldsSerializer(serializers.Serializer):
    """The fields of ``services.workshops.WorkshopDetails``, shape-checked only."""

    name = serializers.CharField(max_length=100)
    workshop_type = serializers.ChoiceField(choices=WorkshopType.choices)
    operator = serializers.CharField(max_length=100, help_text=_("The operating entity."))
    operator_uscc = serializers.CharField(
        max_length=40, help_text=_("The operating entity's unified social credit code.")
    )
    opened_on = serializers.DateField()
    closed_on = optional(serializers.DateField)
    products = text(200)
    total_workers = serializers.IntegerField(
        min_value=0, max_value=100_000, required=False, default=0
    )
    contact = text(40)
    phone = text(20)


class WorkshopCreateSerializer(WorkshopFieldsSerializer):
    village = ScopedPrimaryKeyField(queryset=Area.objects.filter(level=Area.Level.VILLAGE))


class WorkshopUpdateSerializer(WorkshopFieldsSerializer):
    """``PUT``: the workshop as it is now; ``PATCH``: only what changes."""

    version = serializers.IntegerField(help_text=VERSION_HELP)

    def validate(self, attrs):
        require_version(attrs)
        return attrs


def details_of(workshop: Workshop) -> services.WorkshopDetails:
    return services.WorkshopDetails(
        **{f.name: getattr(workshop, f.name) for f in fields(services.WorkshopDetails)}
    )


@extend_schema(tags=["employment"])
class WorkshopViewSet(EmploymentViewSetMixin, ModuleViewSet):
    """The workshops of the villages of the user's area, with the year's 脱贫 workers."""

    queryset = Workshop.objects.all()
    serializer_class = WorkshopSerializer
    filterset_class = WorkshopFilter

    def get_queryset(self):
        return workshops_with_workers(self.request.user, self._year())

    def _year(self) -> int:
        if not hasattr(self, "_counted_year"):
            self._counted_year = counted_year(self.request)
        return self._counted_year

    def get_serializer_context(self):
        year = self._year()
        return {**super().get_serializer_context(), "year": year, "policy": policy_for(year)}

    @extend_schema(request=WorkshopCreateSerializer, responses={201: WorkshopSerializer})
    def create(self, request, *args, **kwargs):
        """A workshop recorded."""
        require(request.user, "employment.workshops")
        values = self._valid(WorkshopCreateSerializer)
        village = values.pop("village")
        workshop = services.workshop_create(
            village=village, details=services.WorkshopDetails(**values), actor=request.user
        )
        return self._answer(workshop, status.HTTP_201_CREATED)

    @extend_schema(request=WorkshopUpdateSerializer, responses={200: WorkshopSerializer})
    def update(self, request, *args, **kwargs):
        """The workshop replaced (``PUT``) or corrected in part (``PATCH``)."""
        workshop = self.get_object()
        require(request.user, "employment.workshops")
        values, version = self._update_values(
            WorkshopUpdateSerializer, kwargs.get("partial", False)
        )
        workshop = services.workshop_change(
            workshop=workshop,
            details=replace(details_of(workshop), **values),
            expected_version=version,
            actor=request.user,
        )
        return self._answer(workshop)

    @extend_schema(request=WorkshopUpdateSerializer, responses={200: WorkshopSerializer})
    def partial_update(self, request, *args, **kwargs):
        """The workshop corrected; what is not sent stays."""
        return self.update(request, *args, **{**kwargs, "partial": True})
