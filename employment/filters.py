"""FilterSets of employment, shared by the API and the list pages.

Every FilterSet narrows a queryset already scoped to the user's area; a filter never widens what
the user sees. The picker's township or village selects the records of the people who live in
it (a post, a workshop or a course by its own village)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from employment.codes import Batch, CourseType, JobType, PlaceCategory, PostFunding, WorkshopType
from employment.models import EmploymentRecord, Training, WelfarePost, Workshop
from employment.rules.records import labour_flag_q
from employment.selectors.workshops import open_in
from funds.filters import YearFilter
from kaiyuan.areas.picker import AreaFilterSet
from kaiyuan.common.api_filters import IdFilter, IdListFilter


class RecordFilter(AreaFilterSet):
    """The jobs list (``employment:record_list``, /api/v1/employment-records/)."""

    year = YearFilter(field_name="year", label=_("Year"))
    job_type = django_filters.ChoiceFilter(choices=JobType.choices, label=_("Job type"))
    batch = django_filters.ChoiceFilter(choices=Batch.choices, label=_("Seven batches measure"))
    place_category = django_filters.ChoiceFilter(
        choices=PlaceCategory.choices, label=_("Place category")
    )
    ongoing = django_filters.BooleanFilter(
        field_name="end_date", lookup_expr="isnull", label=_("Still working")
    )
    flagged = django_filters.BooleanFilter(
        method="filter_flagged",
        label=_("To review"),
        help_text=_("Recorded as working but registered without labour ability."),
    )
    member = IdFilter(field_name="member_id", label=_("Person"))
    workshop = IdFilter(field_name="workshop_id", label=_("Workshop"))
    q = django_filters.CharFilter(
        method="filter_q", label=_("Search"), help_text=_("Name, employer or place (contains).")
    )

    area_lookup = "member__household__area"

    class Meta:
        model = EmploymentRecord
        fields = [
            "township",
            "village",
            "year",
            "job_type",
            "batch",
            "place_category",
            "ongoing",
            "flagged",
            "member",
            "workshop",
            "q",
        ]

    def filter_flagged(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(labour_flag_q()) if value else queryset.exclude(labour_flag_q())

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(member__name__contains=value) | Q(employer__contains=value) | Q(place__contains=value)
        )


class PostFilter(AreaFilterSet):
    """Public-welfare posts (``employment:post_list``, /api/v1/welfare-posts/)."""

    post_type = django_filters.CharFilter(
        field_name="post_type", label=_("Public-welfare job type")
    )
    funding = django_filters.ChoiceFilter(choices=PostFunding.choices, label=_("Funded by"))
    year = YearFilter(field_name="start_date__year", label=_("Year"))
    current = django_filters.BooleanFilter(
        field_name="end_date", lookup_expr="isnull", label=_("In post")
    )

    class Meta:
        model = WelfarePost
        fields = ["township", "village", "post_type", "funding", "year", "current"]


class WorkshopFilter(AreaFilterSet):
    """Employment-assistance workshops (``employment:workshop_list``, /api/v1/workshops/)."""

    workshop_type = django_filters.ChoiceFilter(
        choices=WorkshopType.choices, label=_("Workshop type")
    )
    open = django_filters.BooleanFilter(
        field_name="closed_on", lookup_expr="isnull", label=_("In operation")
    )
    year = YearFilter(
        method="filter_year",
        label=_("Year"),
        help_text=_("Open in the year, with their workers of that year (default: this year)."),
    )
    q = django_filters.CharFilter(
        method="filter_q", label=_("Search"), help_text=_("Name or operating entity (contains).")
    )

    class Meta:
        model = Workshop
        fields = ["township", "village", "workshop_type", "open", "year", "q"]

    def filter_year(self, queryset, name, value):
        return queryset if value is None else queryset.filter(open_in(value))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__contains=value) | Q(operator__contains=value))


class TrainingFilter(AreaFilterSet):
    """Skills courses (``employment:training_list``, /api/v1/trainings/)."""

    course_type = django_filters.ChoiceFilter(choices=CourseType.choices, label=_("Course type"))
    year = YearFilter(field_name="start_date__year", label=_("Year"))
    q = django_filters.CharFilter(
        method="filter_q", label=_("Search"), help_text=_("Course or organiser (contains).")
    )

    class Meta:
        model = Training
        fields = ["township", "village", "course_type", "year", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(course__contains=value) | Q(organiser__contains=value))


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 12})
class MonthFilter(django_filters.NumberFilter):
    """A month of the year, 1 to 12, else 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 12)
        super().__init__(*args, **kwargs)


class CountFilter(AreaFilterSet):
    """The count against the target (``employment:count``, /api/v1/employment-count/): the
    month counted, the township or village of the picker, and the categories left out of it
    (``without_<dimension>``, each value once per parameter). The filters choose what is
    counted; they do not narrow a list (``counted_records`` reads them)."""

    year = YearFilter(method="as_asked", label=_("Year"))
    month = MonthFilter(
        method="as_asked", label=_("Month"), help_text=_("Default: the current month.")
    )
    without_township = IdListFilter(
        method="as_asked", label=_("Leave out townships"), help_text=_("Township ids.")
    )
    without_batch = django_filters.MultipleChoiceFilter(
        choices=Batch.choices, method="as_asked", label=_("Leave out seven batches measures")
    )
    without_place_category = django_filters.MultipleChoiceFilter(
        choices=PlaceCategory.choices, method="as_asked", label=_("Leave out place categories")
    )
    without_job_type = django_filters.MultipleChoiceFilter(
        choices=JobType.choices, method="as_asked", label=_("Leave out job types")
    )

    area_lookup = "member__household__area"

    # The dimensions of ``selectors.counts.DIMENSIONS`` a parameter leaves out.
    WITHOUT = ("township", "batch", "place_category", "job_type")

    class Meta:
        model = EmploymentRecord
        fields = [
            "township",
            "village",
            "year",
            "month",
            "without_township",
            "without_batch",
            "without_place_category",
            "without_job_type",
        ]

    def as_asked(self, queryset, name, value):
        return queryset

    def without(self) -> dict[str, list]:
        """The categories left out, as ``employment_count`` takes them (a valid filterset)."""
        data = self.form.cleaned_data
        return {
            dimension: list(data.get(f"without_{dimension}") or [])
            for dimension in self.WITHOUT
            if data.get(f"without_{dimension}")
        }
