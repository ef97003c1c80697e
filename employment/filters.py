"""FilterSets of employment, shared by the API and the list pages.

Every FilterSet narrows a queryset already scoped to the user's area; a filter never widens what
the user sees. The picker's township or village selects the records of the people who live in
it (a post, a workshop or a course by its own village)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from employment.codes import Batch, CourseType, JobType, PlaceCategory, PostFunding, WorkshopType
from employment.models import EmploymentRecord, Training, WelfarePost, Workshop
from employment.rules.records import labour_flag_q
from funds.filters import YearFilter
from kaiyuan.areas.picker import AreaFilterSet
from kaiyuan.common.api_filters import IdFilter


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
        field_name="closed_on", lookup_expr="isnull", label=_("Open")
    )
    q = django_filters.CharFilter(
        method="filter_q", label=_("Search"), help_text=_("Name or operating entity (contains).")
    )

    class Meta:
        model = Workshop
        fields = ["township", "village", "workshop_type", "open", "q"]

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
