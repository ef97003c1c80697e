"""The collectives, the assets the library's accepted projects hand over, the assets of earlier
years, their 确权 and 三资 entry, and their status.

The assets of a project still at 验收合格 go through ``asset_hand_over``, so the project moves to
资产移交 with its step in the audit trail. Those of the projects the library had handed over
already, and the assets of earlier years, are written together after the checks the services
make (class, owner, value by source), each handover's summary following its assets as the
service keeps it. The linkage funds in a project's assets are what it paid from each level: the
funds demo pays only some of the library's projects, so the others' assets carry their own funds
(other and self-raised) alone. Every village committee but a few has its registered collective.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from stdnum.cn.uscc import calc_check_digit

from assets.codes import LINKAGE_SOURCES, AssetClass, AssetStatus, AssetType, FundingSource
from assets.codes import OwnerKind as Owner
from assets.demo import DAY, EARLIER_YEARS, YUAN, ZERO, earlier_assets_for, pv_stations_for, split
from assets.demo.disposals import DISPOSED_TYPES, disposals_for
from assets.models import Asset, AssetFunding, Collective
from assets.rules import assets as asset_rules
from assets.selectors.assets import paid_by_level
from assets.services import assets as services
from funds.models import PaymentDraw
from kaiyuan.accounts.roles import DEPARTMENT_NAMES, Department
from kaiyuan.areas.models import Area
from kaiyuan.common.rules import refuse_errors
from kaiyuan.common.uscc import ALPHABET, is_valid, uscc_problems
from kaiyuan.demo.villages import SURNAMES, given_name
from projects.codes import AcceptanceResult, EntityType, OperatingMode, Subcategory
from projects.models import Acceptance, Handover, Project, ProjectVillage

C, P, H = AssetClass.OPERATING, AssetClass.PUBLIC, AssetClass.HOUSEHOLD
T = AssetType


@dataclass(frozen=True)
class Part:
    """One asset a kind of project or of earlier funds forms: its name ("{village}" is the
    village's name), class, type, unit, quantity range and share of the value."""

    name: str
    asset_class: str
    asset_type: str
    unit: str
    quantity: tuple[int, int]
    share: int = 100


# What each kind of project of the library forms, per village.
PROJECT_PARTS: dict[str, tuple[Part, ...]] = {
    Subcategory.ORGANIC_RICE: (Part("{village}有机稻米育秧大棚", C, T.GREENHOUSE, "座", (16, 24)),),
    Subcategory.GRAPE: (Part("{village}冷棚葡萄园", C, T.FARM_BASE, "亩", (25, 40)),),
    Subcategory.BEEF_CATTLE: (
        Part("{village}肉牛标准化养殖小区", C, T.FARM_BASE, "平方米", (1000, 1400)),
    ),
    Subcategory.COLD_CHAIN: (Part("{village}农产品保鲜冷库", C, T.STORAGE, "吨", (600, 900)),),
    Subcategory.PV: (Part("{village}村级光伏帮扶电站", C, T.PV_STATION, "千瓦", (300, 300)),),
    Subcategory.COLLECTIVE_ECONOMY: (
        Part("{village}粮食烘干塔及仓储设施", C, T.STORAGE, "座", (1, 1)),
    ),
    Subcategory.MODEL_VILLAGE: (
        Part("{village}村内道路硬化及边沟", P, T.ROAD, "公里", (2, 4), 70),
        Part("{village}生活污水治理设施", P, T.SANITATION, "处", (1, 3), 30),
    ),
    Subcategory.INFRASTRUCTURE: (Part("{village}产业路", P, T.ROAD, "公里", (2, 3)),),
    Subcategory.EMPLOYMENT: (Part("{village}就业帮扶车间", C, T.WORKSHOP, "平方米", (500, 700)),),
    Subcategory.BROILER: (Part("{entity}肉鸡养殖项目债权", C, T.EQUITY, "项", (1, 1)),),
}
COURTYARD_PARTS = (
    Part("{head}户庭院肉牛", H, T.LIVESTOCK, "头", (1, 3)),
    Part("{head}户庭院养羊", H, T.LIVESTOCK, "只", (6, 15)),
    Part("{head}户庭院暖棚", H, T.GREENHOUSE, "座", (1, 1)),
)

# The assets of earlier years: (weight, part, value range in 10,000 yuan).
EARLIER_PARTS: tuple[tuple[int, Part, tuple[int, int]], ...] = (
    (14, Part("{village}村内道路硬化", P, T.ROAD, "公里", (1, 4)), (40, 160)),
    (7, Part("{village}机电井及灌溉管网", P, T.IRRIGATION, "眼", (3, 10)), (20, 80)),
    (5, Part("{village}高标准农田灌排渠", P, T.IRRIGATION, "公里", (1, 3)), (30, 90)),
    (7, Part("{village}饮水安全巩固提升工程", P, T.WATER, "处", (1, 2)), (15, 60)),
    (5, Part("{village}垃圾收集转运设施", P, T.SANITATION, "处", (2, 6)), (8, 30)),
    (6, Part("{village}文化广场及健身器材", P, T.CULTURE, "处", (1, 1)), (10, 40)),
    (5, Part("{village}日光温室", C, T.GREENHOUSE, "栋", (4, 12)), (30, 120)),
    (4, Part("{village}特色种植基地", C, T.FARM_BASE, "亩", (50, 200)), (30, 100)),
    (3, Part("{village}果蔬保鲜库", C, T.STORAGE, "吨", (100, 300)), (40, 120)),
    (3, Part("{village}杂粮加工厂房及设备", C, T.PROCESSING, "平方米", (300, 800)), (50, 150)),
    (2, Part("{village}乡村旅游采摘园配套设施", C, T.TOURISM, "处", (1, 1)), (40, 100)),
    (2, Part("{village}产业扶贫资金入股合作社股权", C, T.EQUITY, "股", (1, 1)), (20, 60)),
    (2, Part("{village}村集体农机具", C, T.MACHINERY, "台", (2, 6)), (10, 40)),
    (2, Part("{village}扶贫车间", C, T.WORKSHOP, "平方米", (300, 600)), (40, 100)),
    (33, Part("{head}户基础母牛", H, T.LIVESTOCK, "头", (1, 3)), (1, 3)),
    (15, Part("{head}户户用暖棚", H, T.GREENHOUSE, "座", (1, 1)), (1, 2)),
)
EARLIER_PV = Part("{village}村级光伏扶贫电站", C, T.PV_STATION, "千瓦", (100, 400))
EARLIER_SOURCES = (
    "{year}年中央财政专项扶贫资金",
    "{year}年省级财政专项扶贫资金",
    "{year}年市县财政专项扶贫资金",
    "{year}年定点帮扶资金",
    "{year}年社会帮扶捐赠资金",
)
WATER_DEPARTMENT = f"开原市{DEPARTMENT_NAMES[Department.WATER][1]}"
IDLE_NOTES = (
    "原承包方合同到期退租，暂未找到新的经营主体",
    "市场行情下行，经营主体暂停生产",
)
DAMAGE_NOTES = (
    "2025年8月强降雨造成部分设施损毁，待修复",
    "设施老化，主体结构出现安全隐患",
)


def collective_uscc(rng, village: Area) -> str:
    """A village collective's credit code: N2, the county's division, a body unique to the
    village, and the GB 32100 check character."""
    body = "N2211282" + village.code[6:] + "".join(rng.choice(sorted(ALPHABET)) for _ in range(3))
    return body + calc_check_digit(body)


def person(rng) -> str:
    return rng.choice(SURNAMES) + given_name(rng, female=rng.random() < 0.3)


def gps(rng) -> str:
    return f"{rng.uniform(42.30, 42.80):.5f},{rng.uniform(123.75, 124.60):.5f}"


class AssetsDemo:
    """Part of ``assets.demo.ledger.LedgerDemo`` (its ``rng``, ``users``, ``today``, ``counts``)."""

    # ---- the collectives ---------------------------------------------------------------

    def collectives(self) -> None:
        """Most village committees' organisations, registered with the credit code the library
        already knows them by when a project names one."""
        known: dict[int, str] = {}
        seen: set[str] = set()
        for code, village_id in (
            ProjectVillage.objects.filter(project__entity_type=EntityType.COLLECTIVE_ORGANISATION)
            .order_by("project__code", "id")
            .values_list("project__entity_uscc", "village_id")
        ):
            if code in seen:
                continue  # a project's first village is the one its collective implements it
            seen.add(code)
            if is_valid(code) and code[:2] == "N2":
                known.setdefault(village_id, code)
        committees = [v for v in self.villages if v.kind == Area.Kind.VILLAGE_COMMITTEE]
        without = self.rng.sample(
            [v for v in committees if v.pk not in known],
            k=len(committees) * (100 - self.collective_percent) // 100,
        )
        skipped = {v.pk for v in without}
        used = set(known.values())
        rows = []
        for village in committees:
            if village.pk in skipped:
                continue
            code = known.get(village.pk) or collective_uscc(self.rng, village)
            while code in used and village.pk not in known:
                code = collective_uscc(self.rng, village)
            used.add(code)
            # What collective_register checks of the code, for rows written together.
            refuse_errors(uscc_problems(code, field="uscc"))
            refuse_errors(asset_rules.collective_code_problems(code))
            rows.append(
                Collective(
                    village=village,
                    name=f"{village.name}股份经济合作社",
                    uscc=code,
                    registered_on=datetime.date(self.rng.choice([2019, 2020]), 1, 1)
                    + self.rng.randint(0, 360) * DAY,
                )
            )
        for collective in Collective.objects.bulk_create(rows):
            self.collective_of[collective.village_id] = collective
        self.counts["collectives"] = len(self.collective_of)

    # ---- the library's projects -------------------------------------------------------

    def owner(self, village: Area, *, township: bool = False, department: str = "") -> dict:
        if department:
            return {"owner_kind": Owner.DEPARTMENT, "owner_department": department}
        collective = self.collective_of.get(village.pk)
        if township or collective is None:
            return {"owner_kind": Owner.TOWNSHIP}
        return {"owner_kind": Owner.COLLECTIVE, "collective": collective}

    def handover_day(self, project: Project) -> datetime.date:
        handover = getattr(project, "handover", None)
        if handover is not None:
            return handover.handed_over_on
        accepted = (
            Acceptance.objects.filter(project=project, result=AcceptanceResult.PASSED)
            .order_by("-accepted_on")
            .values_list("accepted_on", flat=True)
            .first()
        )
        return min(accepted + self.rng.randint(12, 40) * DAY, self.today)

    def from_projects(self) -> None:
        projects = list(
            Project.objects.filter(status__in=services.HANDOVER_STATES)
            .select_related("area", "handover", "operating_agreement")
            .prefetch_related("villages__village__parent", "placements")
            .order_by("code")
        )
        accepted = [p for p in projects if p.status == Project.Status.ACCEPTED]
        if len(accepted) >= 3:
            # One accepted project stays in the 待办 list, awaiting its handover (AST-1) ...
            self.awaiting = accepted[-1]
            projects.remove(self.awaiting)
            # ... and one, whose subsidies bought seedlings and feed, formed no asset.
            consumed = next(
                (p for p in accepted[:-1] if p.subcategory == Subcategory.COURTYARD), accepted[0]
            )
            projects.remove(consumed)
            services.project_no_asset(
                project=consumed,
                handed_over_on=self.handover_day(consumed),
                reason="到户补助资金用于种苗、饲料等消耗性投入，未形成固定资产或生物资产",
                expected_version=consumed.version,
                actor=self.implementer(consumed),
            )
            self.counts["projects without assets"] += 1
        self.earlier_handed: list[tuple] = []
        for project in projects:
            self.hand_over(project)
        self.write_handed_over()

    def implementer(self, project: Project):
        if project.area.level == Area.Level.COUNTY:
            return self.bureau
        return self.clerk(project.area)

    def hand_over(self, project: Project) -> None:
        villages = sorted(project.villages.all(), key=lambda v: (-v.asset_share_percent, v.pk))
        # A village with no share of the assets has none of them (its share was its duties).
        villages = [v for v in villages if v.asset_share_percent > 0] or villages[:1]
        paid = {level: amount for level, amount in paid_by_level(project).items() if amount > 0}
        day = self.handover_day(project)
        actor = self.implementer(project)
        if project.subcategory == Subcategory.COURTYARD:
            pieces = self.courtyard_pieces(project, villages, paid)
        else:
            pieces = self.project_pieces(project, villages, paid)
        for values, _funding in pieces:
            values.update(
                handed_over_on=day,
                completed_on=day - self.rng.randint(20, 40) * DAY,
                gps=gps(self.rng),
            )
        self.counts["projects handed over"] += 1
        self.counts["assets handed over"] += len(pieces)
        if project.status != Project.Status.ACCEPTED:
            # Handed over by the library already: its assets are written with the others.
            self.earlier_handed.append((project, paid, actor, pieces))
            return
        for values, funding in pieces:
            asset = services.asset_hand_over(
                project=project,
                values=values,
                funding=funding,
                expected_version=project.version,
                actor=actor,
            )
            project.refresh_from_db(fields=["status", "version"])
            self.keep(asset)

    def write_handed_over(self) -> None:
        """The assets of the projects the library had handed over already, written together
        (as ``asset_hand_over`` checks them, their linkage funds within what each project paid
        by level), and each handover's summary following its assets, as the service keeps it."""
        handovers = []
        for project, paid, actor, pieces in self.earlier_handed:
            assets = self.write(pieces, project=project, paid=paid, actor=actor)
            handover = project.handover
            handover.assets = "、".join(a.name for a in assets)
            handover.value = sum((a.original_value for a in assets), ZERO)
            handover.recipient = "、".join(dict.fromkeys(a.owner_name for a in assets))
            handovers.append(handover)
        self.flush()
        Handover.objects.bulk_update(handovers, ["assets", "value", "recipient"], batch_size=200)

    def write(self, pieces, *, project=None, paid=None, actor) -> list[Asset]:
        """Assets to be written by ``flush``, each checked first as the services check one:
        its class (AST-2), its owner (AST-3), its value the sum of its sources and, for a
        project's, the linkage funds of all its assets within what the project paid from each
        level (AST-VALUE)."""
        written: list[Asset] = []
        in_others: dict[str, Decimal] = {}
        for values, funding in pieces:
            values = dict(values)
            village = values["area"]
            refuse_errors(asset_rules.class_problems(values["asset_class"]))
            kind = values["owner_kind"]
            refuse_errors(
                asset_rules.owner_problems(
                    owner_kind=kind, village=village, collective=values.get("collective")
                )
            )
            if kind == Owner.TOWNSHIP:
                values["owner_township"] = village.parent
            if kind == Owner.HOUSEHOLD and values["owner_household"].area_id != village.pk:
                raise ValueError(f"{values['owner_household']} lives elsewhere")
            refuse_errors(uscc_problems(values.get("operator_uscc", ""), field="operator_uscc"))
            refuse_errors(
                asset_rules.funding_problems(
                    original_value=values["original_value"],
                    funding=funding,
                    paid_by_level=paid if project is not None else None,
                    in_other_assets=in_others,
                )
            )
            for source, amount in funding.items():
                in_others[source] = in_others.get(source, ZERO) + amount
            formed = values.pop("formed_year", None) or values["handed_over_on"].year
            if project is None and not (values.get("source_note") and formed >= 2012):
                raise ValueError(f"{values['name']}: an earlier year's asset names its funds")
            asset = Asset(
                code=f"demo-{len(self.pending)}",
                project=project,
                formed_year=formed,
                created_by=actor,
                **values,
            )
            self.pending.append((asset, funding))
            written.append(asset)
        return written

    def flush(self) -> None:
        """Write the assets ``write`` checked, with their codes and fund sources."""
        assets = Asset.objects.bulk_create([a for a, _f in self.pending], batch_size=500)
        for asset in assets:
            asset.code = services.asset_code(asset)
        Asset.objects.bulk_update(assets, ["code"], batch_size=500)
        AssetFunding.objects.bulk_create(
            [
                AssetFunding(asset=asset, source=source, amount=amount)
                for asset, funding in self.pending
                for source, amount in funding.items()
            ],
            batch_size=1000,
        )
        for asset in assets:
            self.keep(asset)
        self.pending = []

    def project_pieces(self, project: Project, villages, paid) -> list[tuple[dict, dict]]:
        parts = PROJECT_PARTS.get(project.subcategory) or (
            Part("{village}" + project.name[-10:], C, T.OTHER, "项", (1, 1)),
        )
        single = project.subcategory in (Subcategory.PV, Subcategory.BROILER)
        if single:
            villages = villages[:1]
        shares = [v.asset_share_percent or 1 for v in villages]
        # The value by source: what the project paid from each level, and its own funds.
        sources = {source: paid.get(source, ZERO) for source in LINKAGE_SOURCES}
        sources[FundingSource.OTHER] = project.other_funds
        sources[FundingSource.SELF_RAISED] = project.self_raised
        by_village = {
            source: split(amount, shares) for source, amount in sources.items() if amount > 0
        }
        agreement = getattr(project, "operating_agreement", None)
        placement = next(iter(sorted(project.placements.all(), key=lambda p: p.pk)), None)
        county_department = (
            f"开原市{DEPARTMENT_NAMES[project.sector][-1]}"
            if project.area.level == Area.Level.COUNTY and project.sector in DEPARTMENT_NAMES
            else ""
        )
        pieces = []
        for index, link in enumerate(villages):
            village = link.village
            amounts = {source: parts_[index] for source, parts_ in by_village.items()}
            per_part = {
                source: split(amount, [part.share for part in parts])
                for source, amount in amounts.items()
            }
            for number, part in enumerate(parts):
                funding = {s: a[number] for s, a in per_part.items() if a[number] > 0}
                if not funding:
                    continue
                values = self.part_values(part, village, project=project)
                values["original_value"] = sum(funding.values(), ZERO)
                public = part.asset_class == P
                values.update(
                    self.owner(
                        village,
                        township=project.entity_type == EntityType.TOWNSHIP_GOVERNMENT,
                        department=county_department if public else "",
                    )
                )
                if part.asset_type == T.EQUITY:
                    values.update(self.claim_terms(project, placement, village))
                elif not public:
                    values.update(self.operation(project, agreement, village))
                pieces.append((values, funding))
        return pieces

    def courtyard_pieces(self, project: Project, villages, paid) -> list[tuple[dict, dict]]:
        """A household project's livestock and greenhouses, each owned by the 脱贫 or monitored
        household that was subsidised, valued at its subsidy and what the household put in."""
        in_project = {v.village_id for v in villages}
        households = [
            row.household
            for row in project.beneficiaries.select_related("household").order_by(
                "household__household_number"
            )
            if row.household.area_id in in_project
            and row.household.merged_into_id is None
            and (row.household.is_exited or row.household.is_monitored)
        ]
        if not households:
            village = villages[0].village
            part = Part("{village}庭院经济示范园", C, T.FARM_BASE, "亩", (10, 20))
            values = self.part_values(part, village, project=project)
            values.update(self.owner(village))
            values.update(self.operation(project, None, village))
            funding = {s: a for s, a in paid.items()}
            if project.self_raised:
                funding[FundingSource.SELF_RAISED] = project.self_raised
            values["original_value"] = sum(funding.values(), ZERO)
            return [(values, funding)]
        own = split(project.self_raised, [self.rng.randint(3, 6) for _ in households])
        pieces = []
        for household, raised in zip(households, own, strict=True):
            drawn = (
                PaymentDraw.objects.filter(payment__project=project, payment__household=household)
                .values_list("fund__allocation__level")
                .annotate(total=Sum("amount"))
            )
            funding = {level: total for level, total in drawn if total > 0}
            if raised > 0:
                funding[FundingSource.SELF_RAISED] = raised
            if not funding:
                continue
            part = self.rng.choice(COURTYARD_PARTS)
            values = self.part_values(part, household.area, head=household.head_name)
            values.update(
                owner_kind=Owner.HOUSEHOLD,
                owner_household=household,
                custodian=household.head_name,
                maintenance_funding="农户自行管护",
                original_value=sum(funding.values(), ZERO),
            )
            pieces.append((values, funding))
        return pieces

    def part_values(self, part: Part, village: Area, *, project=None, head: str = "") -> dict:
        entity = project.entity_name if project else ""
        low, high = part.quantity
        return {
            "name": part.name.format(village=village.name, entity=entity, head=head)[:120],
            "asset_class": part.asset_class,
            "asset_type": part.asset_type,
            "quantity": Decimal(self.rng.randint(low, high)),
            "unit": part.unit,
            "area": village,
            "location": f"{village.parent.name}{village.name}"
            + self.rng.choice(["村部东侧", "村北", "村南", "一组", "二组", "主干道旁"]),
            "custodian": person(self.rng),
            "maintenance_funding": self.rng.choice(
                ["村集体经济收益", "资产收益中提取的维护费", "县级公益性资产管护经费"]
            ),
        }

    def operation(self, project: Project | None, agreement, village: Area) -> dict:
        """Who runs an operating asset: the project's operating agreement when it has one, the
        implementing enterprise, or the collective itself."""
        if agreement is not None:
            return {
                "operator": agreement.operator,
                "operator_uscc": agreement.operator_uscc,
                "operating_mode": agreement.mode,
                "contract_counterparty": agreement.operator,
                "contract_start": agreement.term_start,
                "contract_end": agreement.term_end,
                "guaranteed_return_percent": agreement.guaranteed_return_percent,
                "variable_return": agreement.variable_return,
            }
        if project is not None and project.entity_type == EntityType.ENTERPRISE:
            start = datetime.date(project.year, 12, 1)
            return {
                "operator": project.entity_name,
                "operator_uscc": project.entity_uscc,
                "operating_mode": OperatingMode.LEASE,
                "contract_counterparty": project.entity_name,
                "contract_start": start,
                "contract_end": start.replace(year=start.year + 5),
                "guaranteed_return_percent": Decimal("6"),
                "variable_return": "超出保底部分按三七分成",
            }
        collective = self.collective_of.get(village.pk)
        return {
            "operator": collective.name if collective else f"{village.name}村民委员会",
            "operating_mode": OperatingMode.VILLAGE_COLLECTIVE,
        }

    def claim_terms(self, project: Project, placement, village: Area) -> dict:
        """A debt-type project's claim: on its placement when the funds placed it."""
        if placement is None:
            return self.operation(project, None, village)
        return {
            "placement": placement,
            "operator": placement.counterparty,
            "operator_uscc": placement.counterparty_uscc,
            "contract_counterparty": placement.counterparty,
            "contract_start": placement.start_date,
            "contract_end": placement.end_date,
            "guaranteed_return_percent": placement.agreed_rate,
            "variable_return": "",
            "maintenance_funding": "不涉及（债权）",
        }

    # ---- the assets of earlier years --------------------------------------------------

    def earlier_years(self) -> None:
        """Assets of the poverty funds of 2014–2020, entered with their source: enough PV
        stations to make the county's 20, spread over the townships without one first; roads,
        water, irrigation and the rest; livestock and greenhouses of 脱贫户. Written together,
        each checked as ``asset_create`` checks it."""
        wanted = earlier_assets_for(self.context.households)
        stations = pv_stations_for(self.context.households) - len(
            [a for a in self.made.values() if a.asset_type == T.PV_STATION]
        )
        committees = [v for v in self.villages if v.kind == Area.Kind.VILLAGE_COMMITTEE]
        with_pv: dict[int, int] = {}
        for asset in list(self.made.values()):
            if asset.asset_type == T.PV_STATION:
                township = self.village_by_id[asset.area_id].parent_id
                with_pv[township] = with_pv.get(township, 0) + 1
        townships = sorted({v.parent_id for v in committees})
        exited = [h for h in self.eligible if h.is_exited]
        weights = [weight for weight, _part, _value in EARLIER_PARTS]
        # Of the early years, the damaged assets to be disposed of (assets.demo.disposals).
        doomed = [
            next(entry for entry in EARLIER_PARTS if entry[1].asset_type == asset_type)
            for asset_type in DISPOSED_TYPES[: disposals_for(self.context.households)]
        ]
        owned = [v for v in committees if v.pk in self.collective_of]
        for number in range(wanted):
            disposal = stations <= number < stations + len(doomed)
            if disposal:
                _weight, part, (low, high) = doomed[number - stations]
                household = None
                village = self.rng.choice(owned)
                value = Decimal(self.rng.randint(low * 10, high * 10) * 1000)
                quantity = None
                year = self.rng.randint(EARLIER_YEARS[0], 2016)
                note = self.rng.choice(EARLIER_SOURCES).format(year=year)
            elif number < stations:
                township = min(townships, key=lambda t: (with_pv.get(t, 0), t))
                with_pv[township] = with_pv.get(township, 0) + 1
                village = self.rng.choice([v for v in committees if v.parent_id == township])
                kw = self.rng.choice([100, 200, 300, 300, 400])
                part = EARLIER_PV
                value = Decimal(kw * self.rng.randint(6500, 7500))
                quantity = Decimal(kw)
                year = self.rng.randint(2016, 2019)
                note = f"{year}年村级光伏扶贫电站建设资金"
                household = None
            else:
                _weight, part, (low, high) = self.rng.choices(EARLIER_PARTS, weights=weights)[0]
                household = None
                if part.asset_class == H:
                    if not exited:
                        continue
                    # Each 脱贫户 is given one asset of earlier years at most.
                    household = exited.pop(self.rng.randrange(len(exited)))
                    village = self.village_by_id[household.area_id]
                else:
                    village = self.rng.choice(committees)
                value = Decimal(self.rng.randint(low * 10, high * 10) * 1000)
                quantity = None
                year = self.rng.randint(*EARLIER_YEARS)
                note = self.rng.choice(EARLIER_SOURCES).format(year=year)
            values = self.part_values(part, village, head=household.head_name if household else "")
            if quantity is not None:
                values["quantity"] = quantity
            own = Decimal(0)
            if household is not None:
                own = (value * Decimal(self.rng.choice([0, 20, 30])) / 100).quantize(YUAN)
                values.update(
                    owner_kind=Owner.HOUSEHOLD,
                    owner_household=household,
                    custodian=household.head_name,
                    maintenance_funding="农户自行管护",
                )
            elif part.asset_type in (T.WATER, T.IRRIGATION) and self.rng.random() < 0.3:
                values.update(self.owner(village, department=WATER_DEPARTMENT))
            else:
                values.update(
                    self.owner(village, township=not disposal and self.rng.random() < 0.05)
                )
                if part.asset_class == C:
                    values.update(self.operation(None, None, village))
                    if part.asset_type == T.EQUITY:
                        values.update(
                            operator=f"开原市{village.name}种植专业合作社",
                            operating_mode=OperatingMode.SHAREHOLDING,
                            guaranteed_return_percent=Decimal("6"),
                        )
            funding = {FundingSource.OTHER: value - own}
            if own:
                funding[FundingSource.SELF_RAISED] = own
            handed = datetime.date(year, self.rng.randint(9, 12), self.rng.randint(1, 28))
            values.update(
                original_value=value,
                formed_year=year,
                source_note=note,
                handed_over_on=handed,
                completed_on=handed - self.rng.randint(10, 60) * DAY,
                gps=gps(self.rng),
            )
            (asset,) = self.write([(values, funding)], actor=self.clerk(village))
            if disposal:
                self.disposal_candidates.append(asset)
            self.counts["assets of earlier years"] += 1
        self.flush()

    # ---- 确权, 三资 and status ----------------------------------------------------------

    def registration(self) -> None:
        """确权 for most collectives' and some townships' assets, the 三资 entry for most of
        the confirmed collectives' ones; the rest is what each township's list shows missing.
        Households' assets are theirs without a certificate. Written together, as the services
        would write them: a certificate with each 确权, a collective's 三资 entry after it."""
        serial = 0
        changed = []
        for asset in self.made.values():
            if asset.owner_kind == Owner.HOUSEHOLD:
                continue
            recent = asset.formed_year >= self.today.year - 1
            chance = {Owner.COLLECTIVE: 0.8, Owner.TOWNSHIP: 0.5}.get(asset.owner_kind, 0.4)
            if self.rng.random() >= chance - (0.35 if recent else 0):
                continue
            serial += 1
            start = max(
                asset.handed_over_on or datetime.date(asset.formed_year, 12, 1),
                datetime.date(2021, 3, 1),
            )
            asset.confirmed_on = min(start + self.rng.randint(30, 300) * DAY, self.today)
            asset.certificate_number = f"开农确字〔{asset.confirmed_on.year}〕第{serial:04d}号"
            asset.version += 1
            self.counts["confirmed (确权)"] += 1
            if asset.owner_kind == Owner.COLLECTIVE and self.rng.random() < 0.82:
                asset.sanzi_entered_on = min(
                    asset.confirmed_on + self.rng.randint(10, 120) * DAY, self.today
                )
                asset.sanzi_id = f"LN{self.village_by_id[asset.area_id].code}{serial:05d}"
                asset.version += 1
                self.counts["entered on 三资"] += 1
            changed.append(asset)
        Asset.objects.bulk_update(
            changed,
            ["confirmed_on", "certificate_number", "sanzi_entered_on", "sanzi_id", "version"],
            batch_size=500,
        )

    def statuses(self) -> None:
        """Most assets in use; some idle or damaged since this year (their last years' income
        was settled as usual), among them the ones that will be disposed of."""
        candidates = [
            a
            for a in self.made.values()
            if a.owner_kind != Owner.HOUSEHOLD and a.asset_type != T.PV_STATION
        ]
        doomed = {a.pk for a in self.disposal_candidates}
        idle = [a for a in candidates if a.asset_class == C and a.pk not in doomed]
        # At least one idle operating asset, for the 盘活 list, however small the county.
        first_idle = idle[len(idle) // 2].pk if idle else None
        for asset in candidates:
            roll = self.rng.random()
            if asset.pk in doomed or roll < 0.03:
                status, note = AssetStatus.DAMAGED, self.rng.choice(DAMAGE_NOTES)
            elif asset.pk == first_idle or (roll < 0.08 and asset.asset_class == C):
                status, note = AssetStatus.IDLE, self.rng.choice(IDLE_NOTES)
            else:
                continue
            since = min(
                datetime.date(self.today.year, 1, 1) + self.rng.randint(60, 240) * DAY, self.today
            )
            asset = services.asset_set_status(
                asset=asset,
                status=status,
                on=since,
                note=note,
                expected_version=asset.version,
                actor=self.clerk(self.village_by_id[asset.area_id]),
            )
            self.counts[f"assets {status}"] += 1
            self.keep(asset)

    def keep(self, asset: Asset) -> None:
        """The asset as the latest service returned it (its version for the next step)."""
        self.made[asset.pk] = asset
