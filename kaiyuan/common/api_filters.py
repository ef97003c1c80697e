"""The API's filter backend (DEFAULT_FILTER_BACKENDS): ids validated as ids, ID numbers never in
a URL, bad values answered in the API's error format. Kept apart from kaiyuan.common.api, which
imports DRF's generic views: those read this setting while they load."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field

from kaiyuan.common.errors import DomainError
from kaiyuan.common.idcard import looks_like_id_number

MAX_ID = 2**63 - 1  # the largest primary key a database column holds (bigint)


def as_id(raw) -> int | None:
    """``raw`` as a primary key (1 … 2^63-1), else None. Anything larger would reach the
    database and overflow there (SQLite raises OverflowError: a 500)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip()
        if not text.isdigit() or not text.isascii():
            return None
        value = int(text)
    return value if 1 <= value <= MAX_ID else None


class IdField(forms.Field):
    """An id in a query string: a whole number from 1 to 2^63-1, else 400 (never a 500 from a
    value the database cannot hold)."""

    default_error_messages = {"invalid": _("Enter an id (a whole number).")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        pk = as_id(value)
        if pk is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid_id")
        return pk


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    """Every filter on an id (``?household=``, ``?grid=``, ``?visitor=``) is this one."""

    field_class = IdField


class IdListField(IdField):
    """Several ids in a query string (``?without_township=3&without_township=5``), each checked
    as ``IdField`` checks one."""

    widget = forms.SelectMultiple  # reads every value of the parameter

    def to_python(self, value):
        if value in self.empty_values:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [pk for pk in (super(IdListField, self).to_python(v) for v in values) if pk]


@extend_schema_field(
    {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}
)
class IdListFilter(django_filters.Filter):
    """A filter on several ids, each an ``IdFilter``'s."""

    field_class = IdListField


class ApiFilterSet(django_filters.FilterSet):
    """The base of every FilterSet, and of the ones DRF builds from ``filterset_fields``: a
    relation is filtered by its id through ``IdFilter``, never by a choice over the whole
    table (which would tell a hidden id from a missing one, and reach the database with any
    number)."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
        models.AutoField: {"filter_class": IdFilter},
        models.BigAutoField: {"filter_class": IdFilter},
    }


def could_be_id_number(value: str) -> bool:
    """Shaped like an ID number (15 or 18 characters) with a real birth date in it: a person's
    number, perhaps with a mistyped check character. A household number (16 digits) or its
    15-digit prefix has no birth date where an ID number has one."""
    if not looks_like_id_number(value):
        return False
    text = value.strip().upper()
    digits = text[6:12] if len(text) == 15 else text[8:14]
    century = "19" if len(text) == 15 else text[6:8]
    try:
        born = datetime.date(int(century + digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    return born.year >= 1900


def id_number_in_query(params) -> str | None:
    """The name of the first query parameter holding what could be an ID number."""
    for name, values in params.lists():
        if any(could_be_id_number(value) for value in values):
            return name
    return None


class FilterBackend(DjangoFilterBackend):
    """django-filter, with a bad filter value answered in the API's error format (400 with
    ``code``, ``detail`` and ``field``) instead of DRF's field map, and any value shaped like
    an ID number refused: access logs keep query strings (members are found by their number
    through POST /api/v1/members/search/)."""

    filterset_base = ApiFilterSet

    def validated_filterset(self, request, queryset, view):
        """The view's FilterSet bound to the query string and valid, else a 400 (None when the
        view has no filters)."""
        name = id_number_in_query(request.query_params)
        if name is not None:
            raise DomainError(
                _("ID numbers are never sent in an address; use POST /api/v1/members/search/."),
                code="id_number_in_query",
                field=name,
            )
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None and not filterset.is_valid():
            field, messages = next(iter(filterset.errors.items()))
            raise DomainError(messages[0], code="invalid_filter", field=field)
        return filterset

    def filter_queryset(self, request, queryset, view):
        filterset = self.validated_filterset(request, queryset, view)
        return queryset if filterset is None else filterset.qs
