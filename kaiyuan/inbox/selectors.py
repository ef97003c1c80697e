"""Reads of the inbox: the counts of each source the user sees (one COUNT each), a page of one
source's items, the first few of each, and the notices source."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kaiyuan.common import dates
from kaiyuan.common.paging import ProbePage, probe_page
from kaiyuan.common.scoping import get_for_user
from kaiyuan.inbox.models import Notice
from kaiyuan.inbox.registry import Entry, Source, sources_for

PAGE_SIZE = 50
PREVIEW_SIZE = 5


@dataclass(frozen=True)
class SourceCount:
    source: Source
    count: int

    @property
    def key(self) -> str:
        return self.source.key

    @property
    def label(self):
        return self.source.label

    @property
    def watch(self) -> bool:
        return self.source.watch

    @property
    def url(self) -> str:
        return f"{reverse('inbox:index')}?source={self.source.key}"


@dataclass(frozen=True)
class InboxItem:
    source: Source
    entry: Entry
    overdue: bool

    @property
    def since_date(self) -> datetime.date | None:
        """The day it started waiting, in Beijing (a step's moment or a period's first day)."""
        since = self.entry.since
        if isinstance(since, datetime.datetime):
            return dates.local_date(since)
        return since


def inbox_counts(user) -> list[SourceCount]:
    """How many items wait in each source ``user``'s role sees: one COUNT per source, of the
    same scoped query the items come from."""
    return [SourceCount(source, source.items(user).count()) for source in sources_for(user)]


@dataclass(frozen=True)
class InboxSummary:
    """The counts as the home page, the 待办 page and the API show them: the sources to act
    on with their total, and apart from them the sources only to follow."""

    counts: list[SourceCount]

    @property
    def to_act(self) -> list[SourceCount]:
        return [count for count in self.counts if not count.watch]

    @property
    def watches(self) -> list[SourceCount]:
        return [count for count in self.counts if count.watch]

    @property
    def total(self) -> int:
        return sum(count.count for count in self.to_act)


def inbox_summary(user) -> InboxSummary:
    return InboxSummary(inbox_counts(user))


def read_items(source: Source, objects: Iterable) -> list[InboxItem]:
    today = dates.today()
    items = []
    for obj in objects:
        entry = source.entry(obj)
        late = entry.deadline is not None and entry.deadline < today
        items.append(InboxItem(source=source, entry=entry, overdue=late))
    return items


def inbox_page(user, source: Source, raw_number: str | None, *, size: int = PAGE_SIZE) -> ProbePage:
    """A page of ``source``'s items for ``user`` (never COUNTs: ``probe_page``)."""
    page = probe_page(source.items(user), raw_number, size=size)
    return ProbePage(
        items=read_items(source, page.items), number=page.number, has_next=page.has_next
    )


def inbox_preview(user, source: Source, *, size: int = PREVIEW_SIZE) -> list[InboxItem]:
    """The first ``size`` items of ``source``, for the inbox's overview."""
    return read_items(source, source.items(user)[:size])


# ---- notices ---------------------------------------------------------------------------------


def notices_unread(user) -> QuerySet[Notice]:
    """The user's notices not yet opened, the newest first."""
    return (
        Notice.objects.visible_to(user).filter(read_at__isnull=True).order_by("-created_at", "-id")
    )


def notice_entry(notice: Notice) -> Entry:
    detail = str(notice.what)
    if notice.reason:
        detail = f"{detail}：{notice.reason}"
    return Entry(
        subject=notice.subject,
        url=notice.link,
        since=notice.created_at,
        detail=detail,
        open_url=reverse("inbox:notice_open", args=[notice.pk]),
    )


def notice_get_for_user(user, pk: int) -> Notice:
    """One of the user's own notices; 404 for anyone else's and for a missing one."""
    return get_for_user(Notice.objects.all(), user, pk=pk)


NOTICE_SOURCE = Source(
    key="notices",
    label=_("Notices about my proposals"),
    # Only those who may propose get answers to proposals (leaders and auditors read).
    capability="records.change",
    items=notices_unread,
    entry=notice_entry,
)
