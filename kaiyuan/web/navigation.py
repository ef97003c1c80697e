"""The main navigation: the five areas of work, reports and administration, shown by role."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts.roles import AUDIT_LOG_ROLES, Role

ALL_ROLES = frozenset(Role)
FIELD_ROLES = frozenset({Role.GRID_WORKER, Role.TOWNSHIP_CLERK})
COUNTY_READERS = frozenset({Role.BUREAU, Role.LEADER, Role.AUDITOR, Role.ADMIN})


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Promise
    url_name: str
    roles: frozenset[str]
    description: Promise

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS = (
    NavItem(
        "monitoring",
        _("Relapse monitoring"),
        "monitoring:index",
        FIELD_ROLES | COUNTY_READERS | {Role.DEPARTMENT},
        _(
            "Households, members, incomes, visits, risk leads, department warnings, "
            "identification and elimination, assistance measures."
        ),
    ),
    NavItem(
        "projects",
        _("Project library"),
        "projects:index",
        frozenset({Role.TOWNSHIP_CLERK, Role.DEPARTMENT, Role.FINANCE}) | COUNTY_READERS,
        _("Project proposals, publicity, reviews, the county library and acceptance."),
    ),
    NavItem(
        "funds",
        _("Linkage funds"),
        "funds:index",
        frozenset({Role.TOWNSHIP_CLERK, Role.FINANCE}) | COUNTY_READERS,
        _("Allocations, tranche payments, reimbursement, idle funds and spending progress."),
    ),
    NavItem(
        "assets",
        _("Project assets"),
        "assets:index",
        frozenset({Role.TOWNSHIP_CLERK, Role.FINANCE}) | COUNTY_READERS,
        _("The asset ledger, ownership confirmation, yearly income and its distribution."),
    ),
    NavItem(
        "employment",
        _("Employment"),
        "employment:index",
        FIELD_ROLES | COUNTY_READERS | {Role.DEPARTMENT},
        _("Wage employment of poverty-exited and monitored people, public-welfare jobs."),
    ),
    NavItem(
        "reports",
        _("Reports"),
        "reports:index",
        ALL_ROLES,
        _("Monthly dispatch, quarterly bulletins, dashboards of the plan's targets."),
    ),
    NavItem(
        "audit",
        _("Audit log"),
        "audit:event_list",
        AUDIT_LOG_ROLES,
        _("Every login, change, transition, export and reveal, with filters and Excel export."),
    ),
)


def nav_items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(NAV_ITEMS)
    return [item for item in NAV_ITEMS if user.role in item.roles]


def module_required(key: str):
    """Only users whose role shows module ``key`` in the navigation may open the view (403)."""
    from functools import wraps

    from django.core.exceptions import PermissionDenied

    item = next(nav for nav in NAV_ITEMS if nav.key == key)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if item not in nav_items_for(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
