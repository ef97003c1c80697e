"""/api/v1/employment-count/: the employment count against the target (EMP-1, EMP-2, EMP-3,
EMP-6) for a month (``?year=&month=``, default the current month) in the user's area or the
township or village picked in it: the distinct 脱贫 and monitored people counted, the target and
whether it is met (for the county, whose target it is), the breakdowns by township, seven
batches measure, place and job type, and the count of each month of the year up to it. The
``without_<dimension>`` parameters leave categories out, to see what they add. The same figures
as the count page and the 月调度/季通报 tables (``selectors.counts``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from employment.api.records import MODULE
from employment.codes import Batch, JobType, PlaceCategory
from employment.filters import CountFilter
from employment.models import EmploymentRecord
from employment.selectors.counts import employment_count, monthly_series, township_names
from kaiyuan.areas.models import Area
from kaiyuan.common.api import ModulePermission
from kaiyuan.common.api_filters import FilterBackend
from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.common.scoping import may_see_model
from kaiyuan.policy.services import policy_for

# The labels of each dimension's values, in the order the tables show them.
LABELS = {
    "batch": Batch.choices,
    "place_category": PlaceCategory.choices,
    "job_type": JobType.choices,
}


class CountAreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()


class TownshipCountSerializer(serializers.Serializer):
    township = serializers.IntegerField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class CategoryCountSerializer(serializers.Serializer):
    value = serializers.CharField(allow_blank=True)
    label = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField()


class MonthCountSerializer(serializers.Serializer):
    month = serializers.IntegerField(min_value=1, max_value=12)
    total = serializers.IntegerField()
    met = serializers.BooleanField(
        allow_null=True, help_text=_("Whether the target was met; null below the county.")
    )


class LeftOutSerializer(serializers.Serializer):
    township = serializers.ListField(child=serializers.IntegerField())
    batch = serializers.ListField(child=serializers.CharField())
    place_category = serializers.ListField(child=serializers.CharField())
    job_type = serializers.ListField(child=serializers.CharField())


class EmploymentCountSerializer(serializers.Serializer):
    area = CountAreaSerializer(help_text=_("The area counted."))
    year = serializers.IntegerField()
    month = serializers.IntegerField(min_value=1, max_value=12)
    first = serializers.DateField(help_text=_("The first day whose jobs count."))
    last = serializers.DateField(help_text=_("The last day whose jobs count."))
    basis = serializers.CharField(help_text=_("year: the year up to the month; month: it alone."))
    min_months = serializers.IntegerField(help_text=_("The months worked a job needs to count."))
    total = serializers.IntegerField(help_text=_("Distinct persons counted."))
    target = serializers.IntegerField(
        allow_null=True, help_text=_("The county's target; null below the county.")
    )
    met = serializers.BooleanField(
        allow_null=True, help_text=_("At the target or above; null below the county.")
    )
    short_by = serializers.IntegerField(allow_null=True)
    without = LeftOutSerializer(help_text=_("The categories left out of the count."))
    by_township = TownshipCountSerializer(many=True)
    by_batch = CategoryCountSerializer(many=True)
    by_place_category = CategoryCountSerializer(many=True)
    by_job_type = CategoryCountSerializer(many=True)
    monthly = MonthCountSerializer(many=True, help_text=_("January to the month counted."))


def month_asked(data: dict) -> tuple[int, int]:
    """The month counted: the one asked for, else the current one (of a past year: December).
    A month that has not begun has nothing to count."""
    now = today()
    year = data.get("year") or now.year
    month = data.get("month") or (now.month if year == now.year else 12)
    if (year, month) > (now.year, now.month):
        raise DomainError(
            _("Choose a month that has begun."),
            code="invalid_filter",
            field="month" if year == now.year else "year",
        )
    return year, month


def categories(dimension: str, counted: dict) -> list[dict]:
    rows = [
        {"value": value, "label": str(label), "count": counted.get(value, 0)}
        for value, label in LABELS[dimension]
    ]
    rows += [  # a value no longer in the code table still shows what it counted
        {"value": value or "", "label": value or "", "count": n}
        for value, n in counted.items()
        if value not in dict(LABELS[dimension])
    ]
    return rows


def townships(counted: dict) -> list[dict]:
    names = township_names(counted)
    rows = [
        {"township": pk, "name": names.get(pk, ""), "count": n}
        for pk, n in counted.items()
        if pk is not None
    ]
    return sorted(rows, key=lambda row: (-row["count"], row["name"]))


@extend_schema(tags=["employment"])
class EmploymentCountView(generics.GenericAPIView):
    """The employment count of a month against the target, with its breakdowns and the year's
    months (``employment.use``)."""

    permission_classes = [permissions.IsAuthenticated, ModulePermission]
    module = MODULE
    filter_backends = [FilterBackend]
    filterset_class = CountFilter
    documents_filters = True
    serializer_class = EmploymentCountSerializer
    pagination_class = None

    def get_queryset(self):
        return EmploymentRecord.objects.none()  # the figures come from selectors.counts

    def get(self, request, *args, **kwargs):
        if not may_see_model(request.user, EmploymentRecord):
            raise PermissionDenied
        filterset = FilterBackend().validated_filterset(request, self.get_queryset(), self)
        area = filterset.pick.scope
        if area is None:
            raise PermissionDenied  # an account without an area has nothing to count
        year, month = month_asked(filterset.form.cleaned_data)
        without = filterset.without()
        policy = policy_for(year)
        count = employment_count(area, year, month, policy=policy, without=without)
        county = area.level == Area.Level.COUNTY
        series = monthly_series(area, year, month, policy=policy, without=without)
        answer = {
            "area": area,
            "year": year,
            "month": month,
            "first": count.period.first,
            "last": count.period.last,
            "basis": policy.employment_count_basis,
            "min_months": policy.employment_min_months,
            "total": count.total,
            "target": count.target if county else None,
            "met": count.met if county else None,
            "short_by": count.short_by if county else None,
            "without": {dimension: without.get(dimension, []) for dimension in CountFilter.WITHOUT},
            "by_township": townships(count.by["township"]),
            **{f"by_{name}": categories(name, count.by[name]) for name in LABELS},
            "monthly": [
                {"month": m, "total": total, "met": met if county else None}
                for m, total, met in series
            ],
        }
        return Response(EmploymentCountSerializer(answer).data)
