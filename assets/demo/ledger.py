"""Demo asset ledger for ``manage.py seed_demo``: the villages' collective economic
organisations (most of them, with valid N2 codes); the assets the library's accepted projects
hand over (the projects move to 资产移交; one stays in the 待办 list, one formed none) and those
of 2014–2020, about 400 in the demo county, in the three classes and many types, 20 of them PV
stations spread over the townships, debt-type claims on the funds demo's placements, livestock
and greenhouses of 脱贫户; 确权 and 三资 entry done for most, missing for some in every township;
a few assets idle or damaged, three disposed of and one disposal waiting for the bureau;
四个一批 reviews; 2024's and 2025's income settled and distributed (PV stations 6:3:1 into named
posts, works and rewards; the rest to 脱贫户 and monitored households of the whole county,
differentiated, tilted and stacked), most paid. Two plans are flagged on purpose: one of equal
shares (AST-6), one whose households get less than the minimum return (AST-5).

Dates are the records' own (a handover after its acceptance, a settlement after its year),
never after today. Randomness is the module's own generator, seeded by the seed and the
county's household count, so the earlier seeders' data does not move when this changes."""

from __future__ import annotations

import random
import time
from collections import defaultdict

from django.db.models import Q

from assets.demo import COLLECTIVE_PERCENT
from assets.demo.assets import AssetsDemo
from assets.demo.disposals import DisposalsDemo
from assets.demo.distributions import DistributionsDemo
from assets.demo.incomes import IncomesDemo
from assets.demo.reviews import ReviewsDemo
from assets.models import (
    Asset,
    AssetFunding,
    AssetIncome,
    AssetReview,
    Collective,
    Disposal,
    Distribution,
    DistributionLine,
)
from kaiyuan.areas.models import Area
from kaiyuan.common.dates import today
from monitoring.codes import HouseholdType
from monitoring.models import Household
from monitoring.models.households import MONITORED_STATES
from monitoring.rules.incomes import IncomeBand, income_band_q


class LedgerDemo(AssetsDemo, DisposalsDemo, ReviewsDemo, IncomesDemo, DistributionsDemo):
    def __init__(self, context) -> None:
        self.context = context
        self.rng = random.Random(context.seed * 100_019 + context.households)  # noqa: S311
        self.users = context.made["users"]
        self.bureau = self.users["bureau"]
        self.today = today()
        self.counts: dict[str, int] = defaultdict(int)
        self.collective_percent = COLLECTIVE_PERCENT
        self.villages = list(Area.objects.villages().select_related("parent").order_by("code"))
        self.village_by_id = {village.pk: village for village in self.villages}
        self.collective_of: dict[int, Collective] = {}
        self.made: dict[int, Asset] = {}
        self.pending: list[tuple[Asset, dict]] = []
        self.settled: list[AssetIncome] = []
        self.awaiting = None
        self.short = None
        self.disposal_candidates: list[Asset] = []
        # The households asset income may go to (AST-7): 脱贫户 and monitored, not merged.
        self.eligible = [
            household
            for household in Household.objects.current()
            .filter(
                Q(household_type=HouseholdType.EXITED) | Q(monitoring_status__in=MONITORED_STATES)
            )
            .order_by("household_number")
            if household.is_exited or household.is_monitored
        ]
        self.eligible_by_village: dict[int, list[Household]] = defaultdict(list)
        for household in self.eligible:
            self.eligible_by_village[household.area_id].append(household)
        self.stacked = set(
            Household.objects.filter(pk__in=[h.pk for h in self.eligible])
            .filter(income_band_q(IncomeBand.BELOW_STACKED))
            .values_list("pk", flat=True)
        )

    def clerk(self, area: Area):
        return self.users[f"clerk_{area.code[: Area.CODE_LENGTH[Area.Level.TOWNSHIP]]}"]

    def run(self) -> None:
        self.collectives()
        self.from_projects()
        self.earlier_years()
        self.registration()
        self.statuses()
        self.incomes()
        self.distributions()
        self.reviews()
        self.disposals()
        self.counts["assets"] = len(self.made)
        self.counts["PV stations"] = sum(1 for a in self.made.values() if a.is_pv_station)


def seed(context) -> None:
    started = time.perf_counter()
    demo = LedgerDemo(context)
    demo.run()
    shown = ", ".join(f"{count} {name}" for name, count in sorted(demo.counts.items()))
    context.log(f"assets: {shown} in {time.perf_counter() - started:.1f} s")


# What points at a row before the row.
ORDER = (
    DistributionLine,
    Distribution,
    AssetIncome,
    Disposal,
    AssetReview,
    AssetFunding,
    Asset,
    Collective,
)


def delete_all() -> None:
    """Delete every asset-ledger row, and the notices its disposals left, for the demo's
    reset. The rows are ordinary ones (no ledger guard): deleted in the order they point."""
    from kaiyuan.inbox.models import Notice

    Notice.objects.filter(content_type__app_label="assets").delete()
    for model in ORDER:
        model.objects.all().delete()
