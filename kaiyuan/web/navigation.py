"""The main navigation: the 待办 inbox, the five areas of work, reports and the audit log, each
shown to the roles holding its capability (the inbox to everyone: it holds what their role
sees)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts.capabilities import user_can


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Promise
    url_name: str
    capability: str | None
    description: Promise

    @property
    def url(self) -> str:
        return reverse(self.url_name)


INBOX = "inbox"
NAV_ITEMS = (
    NavItem(
        INBOX,
        _("To-do"),
        "inbox:index",
        None,
        _("What waits for you: steps to take, warnings to verify, visits due, notices."),
    ),
    NavItem(
        "monitoring",
        _("Relapse monitoring"),
        "monitoring:index",
        "monitoring.use",
        _(
            "Households, members, incomes, visits, risk leads, department warnings, "
            "identification and elimination, assistance measures."
        ),
    ),
    NavItem(
        "projects",
        _("Project library"),
        "projects:index",
        "projects.use",
        _("Project proposals, publicity, reviews, the county library and acceptance."),
    ),
    NavItem(
        "funds",
        _("Linkage funds"),
        "funds:index",
        "funds.use",
        _("Allocations, tranche payments, reimbursement, idle funds and spending progress."),
    ),
    NavItem(
        "assets",
        _("Project assets"),
        "assets:index",
        "assets.use",
        _("The asset ledger, ownership confirmation, yearly income and its distribution."),
    ),
    NavItem(
        "employment",
        _("Employment"),
        "employment:index",
        "employment.use",
        _("Wage employment of poverty-exited and monitored people, public-welfare jobs."),
    ),
    NavItem(
        "reports",
        _("Reports"),
        "reports:index",
        "reports.use",
        _("Monthly dispatch, quarterly bulletins, dashboards of the plan's targets."),
    ),
    NavItem(
        "audit",
        _("Audit log"),
        "audit:event_list",
        "audit.read_log",
        _("Every login, change, transition, export and reveal, with filters and Excel export."),
    ),
)


def _may_open(user, item: NavItem) -> bool:
    if item.capability is None:
        return bool(getattr(user, "is_authenticated", False))
    return user_can(user, item.capability)


def nav_items_for(user) -> list[NavItem]:
    return [item for item in NAV_ITEMS if _may_open(user, item)]
