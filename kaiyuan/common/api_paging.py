"""The API's pages (DEFAULT_PAGINATION_CLASS). Kept apart from kaiyuan.common.api, which imports
DRF's generic views: those read this setting while they load."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

from kaiyuan.common.api_filters import as_id
from kaiyuan.common.errors import DomainError
from kaiyuan.common.paging import probe_page

MAX_PAGE = 100_000  # 5 million rows deep; past it an offset only burns the database


class ProbePagination(pagination.BasePagination):
    """Page-number pages that never COUNT: one row more than the page is fetched to know
    whether a next page exists (kaiyuan.common.paging), so a page over a county's 120,000
    households costs what a page over 100 does. The answer has ``next`` and ``previous``
    links and no ``count``."""

    page_size = api_settings.PAGE_SIZE or 50
    page_query_param = "page"

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        number = 1 if raw in (None, "") else as_id(raw)
        if number is None or number > MAX_PAGE:
            raise DomainError(
                _("Enter a page number from 1 to %(max)s.") % {"max": MAX_PAGE},
                code="invalid_page",
                field=self.page_query_param,
            )
        self.request = request
        self.page = probe_page(queryset, str(number), size=self.page_size)
        return self.page.items

    def _link(self, number: int) -> str:
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_next_link(self) -> str | None:
        return self._link(self.page.next_page_number) if self.page.has_next else None

    def get_previous_link(self) -> str | None:
        return self._link(self.page.previous_page_number) if self.page.has_previous else None

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": str(_("The page, from 1.")),
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            }
        ]
