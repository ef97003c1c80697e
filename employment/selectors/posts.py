"""Public-welfare posts as the pages and the API read them: the area's posts with what each has
been paid so far (one query), a post's months with their payments and reversals, and the people
a village's post may be given to (EMP-POST)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet

from assets.codes import AssetStatus
from assets.models import Asset
from employment.models import PostPayment, WelfarePost
from employment.rules.counts import population_q
from kaiyuan.common.ledger import total_of
from monitoring.codes import HAS_LABOUR
from monitoring.models import Member


def posts_for(user) -> QuerySet[WelfarePost]:
    """The posts ``user`` sees, each with its village, holder and station, and ``paid``: the net
    of its payments and their reversals."""
    return (
        WelfarePost.objects.visible_to(user)
        .select_related("area__parent", "holder__household", "funding_asset")
        .annotate(paid=total_of(PostPayment.objects.filter(post=OuterRef("pk")), "post"))
    )


def pv_stations_of(user, village, *, keep=None) -> QuerySet[Asset]:
    """The PV stations of ``village`` on the ledger that ``user`` sees (the station a post
    already names is kept, whatever became of it since)."""
    current = ~Q(status=AssetStatus.DISPOSED)
    if keep is not None:
        current |= Q(pk=keep.pk)
    return (
        Asset.objects.visible_to(user)
        .pv_stations()
        .filter(current, area=village)
        .order_by("code", "id")
    )


def holders_of(user, village) -> QuerySet[Member]:
    """The people a post of ``village`` may be given to: members with labour ability of the
    village's 脱贫 and monitored households."""
    return (
        Member.objects.visible_to(user)
        .active()
        .filter(population_q("household__"), household__area=village, labour_skill__in=HAS_LABOUR)
        .select_related("household")
        .order_by("household__household_number", "id")
    )


@dataclass
class PostMonth:
    """A month of the post's period, with the entries written for it: its payment and, if it
    was reversed, the reversal (a month may be paid again after a reversal)."""

    month: datetime.date
    entries: list[PostPayment] = field(default_factory=list)

    @property
    def paid(self) -> Decimal:
        return sum((entry.amount for entry in self.entries), Decimal("0.00"))

    @property
    def open(self) -> bool:
        """No payment of the month stands (none, or each one reversed)."""
        return not any(
            not entry.is_reversal and entry.pk not in self._reversed for entry in self.entries
        )

    @property
    def _reversed(self) -> set[int]:
        return {entry.reverses_id for entry in self.entries if entry.is_reversal}


def period_months(post: WelfarePost) -> list[datetime.date]:
    """The first day of each month the post's period touches (to the end of its year while it
    has no end)."""
    last = post.end_date or datetime.date(post.start_date.year, 12, 31)
    months, month = [], post.start_date.replace(day=1)
    while month <= last:
        months.append(month)
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def post_months(post: WelfarePost) -> list[PostMonth]:
    """The post's months in order, each with its entries (one query); a month outside the
    period that was paid, before the period was corrected, is shown too."""
    entries = list(
        PostPayment.objects.filter(post=post)
        .select_related("recorded_by", "reversed_by")
        .order_by("month", "id")
    )
    months = {month: PostMonth(month) for month in period_months(post)}
    for entry in entries:
        months.setdefault(entry.month, PostMonth(entry.month)).entries.append(entry)
    return [months[month] for month in sorted(months)]
