"""明白卡 PDFs: a 30-card village batch (the most built while the user waits) and a single card,
each against WeasyPrint's floor for the same number of pages (one line of Chinese per page, same
fonts), measured in the same run."""

from __future__ import annotations

from django.db.models import Count, Q

from benchmarks.harness import Result, median_time
from kaiyuan.accounts.models import User
from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from monitoring.codes import HouseholdType
from monitoring.exports.cards import CARD_JOB_THRESHOLD, build_cards_pdf
from monitoring.models.households import MONITORED_STATES
from monitoring.selectors.cards import village_cards

FLOOR_PAGE = (
    "<div style=\"page-break-after: always; font-family: 'Noto Sans CJK SC'\">"
    "防止返贫监测帮扶明白卡 王建国 边缘易致贫户</div>"
)


def _floor(pages: int) -> None:
    from weasyprint import HTML

    HTML(string="<style>@page { size: A5 }</style>" + FLOOR_PAGE * pages).write_pdf()


def _busiest_village() -> Area:
    card_households = Q(households__monitoring_status__in=MONITORED_STATES) | Q(
        households__household_type=HouseholdType.EXITED
    )
    village = (
        Area.objects.villages()
        .annotate(n=Count("households", filter=card_households))
        .order_by("-n")
        .first()
    )
    if village is None:
        raise RuntimeError("seed the demo county first")
    return village


def run(households: int) -> list[Result]:
    user = User.objects.filter(is_superuser=True).first() or User.objects.get(username="admin")
    village = _busiest_village()
    cards = village_cards(user=user, village=village, year=dates.today().year, include_exited=True)
    if not cards:
        raise RuntimeError("the demo county has no monitored or poverty-exited households")
    batch = (cards * CARD_JOB_THRESHOLD)[:CARD_JOB_THRESHOLD]
    return [
        Result(
            name=f"village cards PDF ({len(batch)} cards, A5)",
            median_s=median_time(lambda: build_cards_pdf(batch), repeat=3),
            baseline_name=f"WeasyPrint, {len(batch)} one-line pages",
            baseline_median_s=median_time(lambda: _floor(len(batch)), repeat=3),
        ),
        Result(
            name="one household card PDF (A5)",
            median_s=median_time(lambda: build_cards_pdf(batch[:1])),
            baseline_name="WeasyPrint, one one-line page",
            baseline_median_s=median_time(lambda: _floor(1)),
        ),
    ]
