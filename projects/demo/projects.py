"""Demo projects: about 300 projects of the 2023–2025 libraries (fewer in a tiny county), in every
state of the workflow, driven through the real services so that every step is audited with the
user who may take it (a village's steps by its grid worker or the township's second clerk, the
township's by its first clerk, the sector's by its department, the county's by the bureau).

Dates recorded on the records (publicity periods, the announcement, progress, acceptance,
handover) are those of the project's year; the audit trail's times are the seeding's. The 2024
library is made to sit near the plan's targets (PRJ-8: 21 industry projects with strong
farmer-linking, 11 model villages, 9 collective-economy projects)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from stdnum.cn.uscc import calc_check_digit

from kaiyuan.accounts.roles import Department
from kaiyuan.areas.models import Area
from kaiyuan.common.dates import today
from kaiyuan.policy.services import policy_for
from monitoring.codes import HouseholdType
from monitoring.models import Household
from monitoring.models.households import MONITORED_STATES
from projects.codes import (
    AcceptanceResult,
    Category,
    EntityType,
    FinanceMode,
    IndicatorGroup,
    IndicatorKind,
    Mechanism,
    OperatingMode,
    ProposerLevel,
    PublicityMedium,
    Subcategory,
)
from projects.models import ConstructionListItem, FourHavesItem, Project
from projects.services import beneficiaries, implementation, publicity, reviews
from projects.services import projects as proposals
from projects.services.projects import Indicator, Proposal, VillageShare

Status = Project.Status
V, T, C = ProposerLevel.VILLAGE, ProposerLevel.TOWNSHIP, ProposerLevel.COUNTY
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Kind:
    category: str
    subcategory: str
    name: str  # "{place}" is the village or township
    content: str
    scale: str
    sector: str
    entity_type: str
    entity: str
    mechanisms: tuple[str, ...]
    amount: tuple[int, int]  # total investment in 10,000 yuan
    finance: str = FinanceMode.SELF_BUILT


KINDS = {
    "rice": Kind(
        Category.INDUSTRY,
        Subcategory.ORGANIC_RICE,
        "{place}有机稻米育秧大棚建设项目",
        "新建育秧大棚及配套灌溉设施",
        "育秧大棚20座",
        Department.AGRICULTURE,
        EntityType.COLLECTIVE_ORGANISATION,
        "{village}股份经济合作社",
        (Mechanism.EMPLOYMENT, Mechanism.ASSET_SHARES),
        (80, 200),
    ),
    "grape": Kind(
        Category.INDUSTRY,
        Subcategory.GRAPE,
        "{place}葡萄种植基地提升项目",
        "新建冷棚葡萄园，配套滴灌",
        "冷棚30亩",
        Department.AGRICULTURE,
        EntityType.COOPERATIVE,
        "开原市{village}葡萄种植专业合作社",
        (Mechanism.ORDER_FARMING, Mechanism.EMPLOYMENT),
        (60, 150),
    ),
    "cattle": Kind(
        Category.INDUSTRY,
        Subcategory.BEEF_CATTLE,
        "{place}肉牛养殖小区建设项目",
        "新建标准化牛舍、青贮窖及粪污处理设施",
        "牛舍1200平方米",
        Department.AGRICULTURE,
        EntityType.COLLECTIVE_ORGANISATION,
        "{village}股份经济合作社",
        (Mechanism.CUSTODY, Mechanism.ASSET_SHARES),
        (100, 300),
        FinanceMode.SELF_BUILT,
    ),
    "broiler": Kind(
        Category.INDUSTRY,
        Subcategory.BROILER,
        "{place}肉鸡养殖项目",
        "建设肉鸡标准化养殖棚舍",
        "棚舍4栋",
        Department.AGRICULTURE,
        EntityType.ENTERPRISE,
        "开原市禾丰食品有限公司",
        (Mechanism.PROTECTIVE_PRICE, Mechanism.EMPLOYMENT),
        (150, 400),
        FinanceMode.DEBT,
    ),
    "cold": Kind(
        Category.INDUSTRY,
        Subcategory.COLD_CHAIN,
        "{place}农产品冷链仓储项目",
        "新建保鲜冷库及分拣车间",
        "冷库800吨",
        Department.AGRICULTURE,
        EntityType.COLLECTIVE_ORGANISATION,
        "{village}股份经济合作社",
        (Mechanism.ASSET_SHARES, Mechanism.EMPLOYMENT),
        (120, 350),
    ),
    "pv": Kind(
        Category.INDUSTRY,
        Subcategory.PV,
        "{place}分布式光伏帮扶电站项目",
        "采取“公司+村镇”模式建设屋顶分布式光伏",
        "装机300千瓦",
        Department.AGRICULTURE,
        EntityType.COLLECTIVE_ORGANISATION,
        "{village}股份经济合作社",
        (Mechanism.ASSET_SHARES,),
        (90, 180),
    ),
    "courtyard": Kind(
        Category.INDUSTRY,
        Subcategory.COURTYARD,
        "{place}庭院经济到户扶持项目",
        "扶持脱贫户发展庭院种植养殖，先建后补",
        "扶持50户",
        Department.AGRICULTURE,
        EntityType.TOWNSHIP_GOVERNMENT,
        "{township}人民政府",
        (Mechanism.ORDER_GUARANTEE,),
        (10, 20),
        FinanceMode.HOUSEHOLD,
    ),
    "collective": Kind(
        Category.COLLECTIVE,
        Subcategory.COLLECTIVE_ECONOMY,
        "{place}新型农村集体经济发展项目",
        "建设粮食烘干仓储设施，村集体经营",
        "烘干塔1座",
        Department.AGRICULTURE,
        EntityType.COLLECTIVE_ORGANISATION,
        "{village}股份经济合作社",
        (Mechanism.ASSET_SHARES, Mechanism.TRUSTEESHIP),
        (100, 200),
    ),
    "model": Kind(
        Category.RURAL_CONSTRUCTION,
        Subcategory.MODEL_VILLAGE,
        "{place}乡村建设典型村创建项目",
        "村内道路硬化、边沟及生活污水治理",
        "道路3.2公里",
        Department.HOUSING,
        EntityType.VILLAGE_COMMITTEE,
        "{village}村民委员会",
        (Mechanism.EMPLOYMENT,),
        (100, 300),
    ),
    "road": Kind(
        Category.RURAL_CONSTRUCTION,
        Subcategory.INFRASTRUCTURE,
        "{place}产业路建设项目",
        "新建水泥混凝土产业路",
        "道路2.5公里",
        Department.TRANSPORT,
        EntityType.TOWNSHIP_GOVERNMENT,
        "{township}人民政府",
        (Mechanism.EMPLOYMENT,),
        (80, 220),
    ),
    "jobs": Kind(
        Category.EMPLOYMENT,
        Subcategory.EMPLOYMENT,
        "{place}就业帮扶车间建设项目",
        "改造厂房用于就业帮扶车间",
        "车间600平方米",
        Department.HR,
        EntityType.ENTERPRISE,
        "开原市兴源服饰有限公司",
        (Mechanism.EMPLOYMENT,),
        (40, 90),
    ),
}
INDUSTRY_KINDS = ("rice", "grape", "cattle", "broiler", "cold", "pv", "courtyard")
OTHER_KINDS = ("road", "jobs")

# Every state at least once, by library year (the later a year, the earlier its projects stand).
S = Status
EVERY_STATE = [
    (2023, S.OPERATING), (2023, S.HANDED_OVER), (2023, S.ROLLED_OVER),
    (2024, S.ACCEPTED), (2024, S.COMPLETED), (2024, S.IMPLEMENTING),
    (2024, S.PLANNED), (2024, S.WITHDRAWN), (2024, S.REJECTED),
    (2025, S.IN_LIBRARY), (2025, S.COUNTY_ANNOUNCED), (2025, S.COUNTY_DECIDED),
    (2025, S.COUNTY_REVIEW), (2025, S.SECTOR_REVIEW), (2025, S.TOWNSHIP_PUBLICITY),
    (2025, S.COUNTY_PUBLICITY), (2025, S.TOWNSHIP_REVIEW), (2025, S.VILLAGE_PUBLICITY),
    (2025, S.PROPOSED), (2025, S.IDEA),
]  # fmt: skip
LATER_STATES = {
    2023: [S.OPERATING] * 6 + [S.HANDED_OVER, S.ACCEPTED, S.WITHDRAWN, S.REJECTED],
    2024: [S.OPERATING] * 3 + [S.HANDED_OVER, S.ACCEPTED, S.COMPLETED]
    + [S.IMPLEMENTING] * 3 + [S.PLANNED, S.IN_LIBRARY, S.REJECTED],
    2025: [S.PLANNED, S.IN_LIBRARY, S.COUNTY_ANNOUNCED, S.COUNTY_DECIDED, S.COUNTY_REVIEW,
           S.SECTOR_REVIEW, S.TOWNSHIP_REVIEW, S.PROPOSED, S.IDEA, S.REJECTED],
}  # fmt: skip
ORDER = [
    s for s in Status.values if s not in (Status.REJECTED, Status.WITHDRAWN, Status.ROLLED_OVER)
]


def uscc(rng, prefix: str) -> str:
    body = (
        prefix + "211282" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    )
    return body + calc_check_digit(body)


@dataclass
class Plan:
    year: int
    state: str
    kind: str
    level: str
    villages: list[Area]
    linked: int  # beneficiary households from the registry
    adjust: bool = False
    fail_first_acceptance: bool = False
    rejected_at: str = ""
    project: Project | None = None
    done: list[str] = field(default_factory=list)


class Library:
    def __init__(self, context) -> None:
        self.context = context
        self.rng = context.random
        self.users = context.made["users"]
        self.bureau = self.users["bureau"]
        villages = [v for v in context.made["villages"]]
        self.townships = {}
        for village in villages:
            self.townships.setdefault(village.parent_id, []).append(village)
        self.township_ids = sorted(self.townships)
        self.households = self._households()
        self.positive = list(ConstructionListItem.objects.filter(kind="positive", active=True))
        self.four_haves = {
            code: True for code in FourHavesItem.objects.values_list("code", flat=True)
        }

    def _households(self) -> dict[int, list[int]]:
        """Per township, the 脱贫户 and monitored households first (联农带农 beneficiaries)."""
        rows = Household.objects.current().filter(
            household_type=HouseholdType.EXITED
        ) | Household.objects.current().filter(monitoring_status__in=MONITORED_STATES)
        found: dict[int, list[int]] = {}
        for pk, township in rows.order_by("household_number").values_list("pk", "area__parent_id"):
            found.setdefault(township, []).append(pk)
        return found

    # ---- planning ------------------------------------------------------------------------

    def plans(self, total: int) -> list[Plan]:
        wanted = list(EVERY_STATE)
        targets = []
        if total >= 200:
            # The 2024 portfolio near PRJ-8: 22 strongly linked industry projects, 11 model
            # villages, 9 collective-economy projects, all admitted.
            admitted = [Status.OPERATING, Status.IMPLEMENTING, Status.ACCEPTED, Status.PLANNED]
            targets += [(2024, self.rng.choice(admitted), "industry_strong")] * 22
            targets += [(2024, self.rng.choice(admitted), "model")] * 11
            targets += [(2024, self.rng.choice(admitted), "collective")] * 9
        plans: list[Plan] = []
        for year, state in wanted:
            plans.append(self._plan(year, state, self._kind_for(state)))
        for year, state, kind in targets:
            plans.append(self._plan(year, state, kind))
        years = [2023, 2024, 2025]
        while len(plans) < total:
            year = years[len(plans) % 3]
            state = self.rng.choice(LATER_STATES[year])
            plans.append(self._plan(year, state, self._kind_for(state)))
        return plans

    def _kind_for(self, state: str) -> str:
        roll = self.rng.random()
        if roll < 0.55:
            return "industry"
        if roll < 0.7:
            return "model"
        if roll < 0.8:
            return "collective"
        return self.rng.choice(OTHER_KINDS)

    def _plan(self, year: int, state: str, kind: str) -> Plan:
        strong = kind == "industry_strong"
        if kind in ("industry", "industry_strong"):
            kind = self.rng.choice(INDUSTRY_KINDS)
        if state in (Status.VILLAGE_PUBLICITY, Status.TOWNSHIP_REVIEW):
            level = V
        elif state == Status.COUNTY_PUBLICITY:
            level = C
        elif state == Status.TOWNSHIP_PUBLICITY:
            level = self.rng.choice([V, T])
        else:
            level = self.rng.choices([V, T, C], weights=[6, 3, 1])[0]
        if level == C and KINDS[kind].sector not in (
            Department.AGRICULTURE,
            Department.HOUSING,
            Department.TRANSPORT,
            Department.HR,
        ):
            level = T
        township = self.rng.choice(self.township_ids)
        villages = self.townships[township]
        count = 1 if level == V and self.rng.random() < 0.85 else self.rng.choice([1, 2, 3])
        chosen = self.rng.sample(villages, min(count, len(villages)))
        rejected_at = ""
        if state == Status.REJECTED:
            rejected_at = self.rng.choice(["township", "department", "county", "objection"])
            if rejected_at == "township":
                level = V
        return Plan(
            year=year,
            state=state,
            kind=kind,
            level=level,
            villages=sorted(chosen, key=lambda v: v.code),
            linked=self.rng.randint(10, 16) if strong else self.rng.randint(2, 8),
            adjust=state in (Status.IMPLEMENTING, Status.PLANNED) and self.rng.random() < 0.1,
            fail_first_acceptance=self.rng.random() < 0.08,
            rejected_at=rejected_at,
        )

    # ---- who acts ------------------------------------------------------------------------

    def proposer(self, plan: Plan):
        code = plan.villages[0].parent.code
        if plan.level == V:
            grid = self.users.get(f"grid_{plan.villages[0].code}")
            return (
                grid
                if grid is not None and len(plan.villages) == 1
                else self.users[f"clerk2_{code}"]
            )
        if plan.level == T:
            return self.users[f"clerk_{code}"]
        return self.users[f"dept_{KINDS[plan.kind].sector}"]

    def township(self, plan: Plan):
        return self.users[f"clerk_{plan.villages[0].parent.code}"]

    def implementer(self, plan: Plan):
        project = plan.project
        return self.township(plan) if project.area.level != Area.Level.COUNTY else self.bureau

    # ---- the proposal -----------------------------------------------------------------

    def proposal(self, plan: Plan) -> Proposal:
        kind = KINDS[plan.kind]
        village = plan.villages[0]
        township = village.parent
        place = village.name if len(plan.villages) == 1 else township.name
        total = Decimal(self.rng.randint(*kind.amount) * 10000)
        central = (total * Decimal("0.6")).quantize(Decimal("1"))
        provincial = (total * Decimal("0.2")).quantize(Decimal("1"))
        county = (total * Decimal("0.1")).quantize(Decimal("1"))
        self_raised = total - central - provincial - county
        shares = [Decimal(100) // len(plan.villages)] * len(plan.villages)
        shares[0] += Decimal(100) - sum(shares)
        entity = kind.entity.format(village=village.name, township=township.name)
        prefix = {
            EntityType.COLLECTIVE_ORGANISATION: "N2",
            EntityType.COOPERATIVE: "93",
            EntityType.ENTERPRISE: "91",
        }.get(kind.entity_type, "11")
        year = plan.year
        return Proposal(
            fields={
                "name": kind.name.format(place=place),
                "year": year,
                "category": kind.category,
                "subcategory": kind.subcategory,
                "finance_mode": kind.finance,
                "sector": kind.sector,
                "entity_name": entity,
                "entity_type": kind.entity_type,
                "entity_uscc": uscc(self.rng, prefix),
                "responsible_person": self._person(),
                "responsible_phone": f"139{self.rng.randint(10000000, 99999999)}",
                "beneficiary_entity": ""
                if len(plan.villages) == 1
                else f"{township.name}各项目村集体经济组织",
                "content": kind.content,
                "scale": kind.scale,
                "location": f"{township.name}{village.name}",
                "start_date": datetime.date(year, 4, 1),
                "end_date": datetime.date(year, 10, 31),
                "subsidy_standard": "按实际建设内容据实补助",
                "total_investment": total,
                "central_funds": central,
                "provincial_funds": provincial,
                "city_funds": Decimal("0"),
                "county_funds": county,
                "other_funds": Decimal("0"),
                "self_raised": self_raised,
                "mechanisms": list(kind.mechanisms),
                "mechanism_note": "优先吸纳脱贫户、监测户务工，收益按股分红",
                "four_haves": dict(self.four_haves),
                "asset_owner": entity
                if kind.entity_type != EntityType.ENTERPRISE
                else f"{village.name}股份经济合作社",
            },
            villages=[
                VillageShare(v, share, share, duties=f"{v.name}负责土地协调和群众动员")
                for v, share in zip(plan.villages, shares, strict=True)
            ],
            indicators=[
                Indicator(
                    IndicatorGroup.OUTPUT,
                    IndicatorKind.QUANTITY,
                    kind.scale[:20],
                    "项",
                    Decimal("1"),
                ),
                Indicator(
                    IndicatorGroup.BENEFIT,
                    IndicatorKind.ECONOMIC,
                    "带动脱贫户（监测户）增收",
                    "元/户",
                    Decimal(self.rng.randint(8, 30) * 100),
                ),
                Indicator(
                    IndicatorGroup.SATISFACTION,
                    IndicatorKind.BENEFICIARY_SATISFACTION,
                    "受益脱贫户满意度",
                    "%",
                    Decimal("95"),
                ),
            ],
            construction_items=self.rng.sample(self.positive, min(2, len(self.positive)))
            if kind.subcategory == Subcategory.MODEL_VILLAGE
            else [],
        )

    def _person(self) -> str:
        from kaiyuan.demo.villages import SURNAMES, given_name

        return self.rng.choice(SURNAMES) + given_name(self.rng, female=self.rng.random() < 0.3)

    # ---- the walk ----------------------------------------------------------------------

    def fresh(self, plan: Plan) -> Project:
        plan.project = Project.objects.select_related("area").get(pk=plan.project.pk)
        return plan.project

    def reached(self, plan: Plan, state: str) -> bool:
        """True once the plan's project must go no further than ``state``."""
        target = plan.state
        if target in (Status.REJECTED, Status.WITHDRAWN, Status.ROLLED_OVER):
            return False
        return ORDER.index(target) <= ORDER.index(state)

    def propose(self, plan: Plan) -> None:
        plan.project = proposals.project_create(
            proposal=self.proposal(plan), proposer_level=plan.level, actor=self.proposer(plan)
        )
        for household in self.households.get(plan.villages[0].parent_id, [])[: plan.linked]:
            beneficiaries.beneficiary_add(
                project=plan.project,
                household=Household.objects.get(pk=household),
                role=self.rng.choice(["受益", "务工", "分红"]),
                actor=self.township(plan)
                if plan.project.area.level != Area.Level.COUNTY
                else self.proposer(plan),
            )

    def _publicise(self, plan: Plan, actor, boards, start: datetime.date) -> bool:
        """Post the publicity on ``boards`` and end it; False when the plan stops during it."""
        days = policy_for(start.year).project_publicity_days
        for board in boards:
            project = self.fresh(plan)
            publicity.publicity_record(
                project=project,
                level=board,
                medium=PublicityMedium.BOARD if board != "county" else PublicityMedium.WEBSITE,
                place=f"{plan.villages[0].name}村务公开栏" if board == "village" else "",
                start_date=start,
                end_date=start + (days - 1) * DAY,
                expected_version=project.version,
                actor=actor,
            )
        state = self.fresh(plan).status
        if self.reached(plan, state):
            return False
        if plan.rejected_at == "objection":
            record = plan.project.publicity_records.order_by("-id").first()
            objection = publicity.objection_record(
                publicity=record, received_on=start + DAY, text="受益户名单与实际不符", actor=actor
            )
            project = self.fresh(plan)
            publicity.objection_handle(
                objection=objection,
                upheld=True,
                handling="经核实异议属实，项目不予申报",
                expected_version=project.version,
                actor=actor,
            )
            return False
        project = self.fresh(plan)
        publicity.publicity_close(project=project, expected_version=project.version, actor=actor)
        return True

    def to_decision(self, plan: Plan) -> None:
        """From the draft to the county's decision (or wherever the plan stops before)."""
        self.propose(plan)
        if self.reached(plan, Status.IDEA):
            return
        project = self.fresh(plan)
        proposals.project_submit(
            project=project, expected_version=project.version, actor=self.proposer(plan)
        )
        if self.reached(plan, Status.PROPOSED):
            return
        autumn = datetime.date(plan.year - 1, 9, 1) + self.rng.randint(0, 20) * DAY
        if plan.level == V:
            if not self._publicise(plan, self.proposer(plan), ["village"], autumn):
                return
            project = self.fresh(plan)
            if self.reached(plan, Status.TOWNSHIP_REVIEW):
                return
            if plan.rejected_at == "township":
                reviews.township_review(
                    project=project,
                    decision="reject",
                    reason="项目选址与村庄规划不符",
                    expected_version=project.version,
                    actor=self.township(plan),
                )
                return
            reviews.township_review(
                project=project,
                decision="pass",
                reason="",
                expected_version=project.version,
                actor=self.township(plan),
            )
            if not self._publicise(plan, self.township(plan), ["township"], autumn + 12 * DAY):
                return
        elif plan.level == T:
            if not self._publicise(plan, self.township(plan), ["village", "township"], autumn):
                return
        else:
            if not self._publicise(plan, self.proposer(plan), ["county", "township"], autumn):
                return
        project = self.fresh(plan)
        if project.status == Status.SECTOR_REVIEW:
            if self.reached(plan, Status.SECTOR_REVIEW):
                return
            department = self.users[f"dept_{project.sector}"]
            passed = plan.rejected_at != "department"
            reviews.department_review(
                project=project,
                passed=passed,
                opinion="符合行业规划，用地手续可办理" if passed else "不符合行业发展规划",
                expected_version=project.version,
                actor=department,
            )
            if not passed:
                return
        if plan.rejected_at == "department":
            plan.rejected_at = "county"
        if self.reached(plan, Status.COUNTY_REVIEW):
            return
        project = self.fresh(plan)
        project = reviews.joint_review(
            project=project,
            opinion="经县级论证，项目必要可行，投资估算合理",
            expected_version=project.version,
            actor=self.bureau,
        )
        if plan.rejected_at == "county":
            reviews.county_decide(
                project=project,
                approved=False,
                reason="资金来源不落实，暂不入库",
                expected_version=project.version,
                actor=self.bureau,
            )
            return
        reviews.county_decide(
            project=project,
            approved=True,
            reason="",
            expected_version=project.version,
            actor=self.bureau,
        )

    def after_announcement(self, plan: Plan) -> None:
        project = self.fresh(plan)
        if plan.state == Status.COUNTY_ANNOUNCED:
            return
        if plan.state == Status.WITHDRAWN and self.rng.random() < 0.5:
            reviews.project_withdraw(
                project=project,
                reason="实施条件发生变化，申请退库",
                expected_version=project.version,
                actor=self.bureau,
            )
            return
        project = reviews.project_admit(
            project=project, expected_version=project.version, actor=self.bureau
        )
        if plan.state == Status.ROLLED_OVER:
            reviews.project_roll_over(
                project=project, expected_version=project.version, actor=self.bureau
            )
            return
        if plan.state == Status.IN_LIBRARY:
            return
        if plan.state == Status.WITHDRAWN:
            reviews.project_withdraw(
                project=project,
                reason="当年资金未安排，退出项目库",
                expected_version=project.version,
                actor=self.bureau,
            )
            return
        project = reviews.project_plan(
            project=project,
            plan_year=plan.year,
            expected_version=project.version,
            actor=self.bureau,
        )
        if plan.state == Status.PLANNED and not plan.adjust:
            return
        self.implement(plan)

    def implement(self, plan: Plan) -> None:
        year = plan.year
        actor = self.implementer(plan)
        project = self.fresh(plan)
        if project.status == Status.PLANNED:
            implementation.project_start(
                project=project,
                started_on=datetime.date(year, 4, 10),
                expected_version=project.version,
                actor=actor,
            )
        if plan.adjust:
            project = self.fresh(plan)
            reviews.project_adjust(
                project=project,
                values={
                    "scale": project.scale + "（调整后）",
                    "end_date": datetime.date(year, 11, 30),
                },
                reason="受汛期影响，调整建设工期",
                expected_version=project.version,
                actor=self.bureau,
            )
            return  # back at the county's review, as adjusted
        last = today()
        report_day = min(datetime.date(year, 7, 15), last)
        implementation.progress_report(
            project=self.fresh(plan),
            reported_on=report_day,
            percent=Decimal(self.rng.choice([40, 55, 65])),
            text="主体工程施工中",
            actor=actor,
        )
        if self.reached(plan, Status.IMPLEMENTING):
            return
        implementation.progress_report(
            project=self.fresh(plan),
            reported_on=min(datetime.date(year, 10, 20), last),
            percent=Decimal("100"),
            text="全部建设内容完工",
            actor=actor,
        )
        project = self.fresh(plan)
        implementation.project_complete(
            project=project, expected_version=project.version, actor=actor
        )
        if self.reached(plan, Status.COMPLETED):
            return
        if project.category == Category.RURAL_CONSTRUCTION:
            implementation.maintenance_set(
                project=project,
                arrangements=[
                    {
                        "maintainer": f"{plan.villages[0].name}村民委员会",
                        "responsibility": "日常巡查养护",
                        "method": "公益岗位人员定期巡查",
                        "funding_source": "村集体经济收益",
                    }
                ],
                actor=actor,
            )
        if plan.fail_first_acceptance:
            project = self.fresh(plan)
            implementation.acceptance_record(
                project=project,
                accepted_on=datetime.date(year, 11, 5),
                result=AcceptanceResult.FAILED,
                findings="部分附属设施未按设计施工，限期整改",
                inspectors="县乡村振兴局验收组",
                expected_version=project.version,
                actor=self.bureau,
            )
            implementation.progress_report(
                project=self.fresh(plan),
                reported_on=min(datetime.date(year, 11, 20), last),
                percent=Decimal("100"),
                text="整改完成",
                actor=actor,
            )
            project = self.fresh(plan)
            implementation.project_complete(
                project=project, expected_version=project.version, actor=actor
            )
        project = self.fresh(plan)
        implementation.acceptance_record(
            project=project,
            accepted_on=min(datetime.date(year, 11, 28), last),
            result=AcceptanceResult.PASSED,
            findings="",
            inspectors="县乡村振兴局、财政局、行业部门联合验收组",
            expected_version=project.version,
            actor=self.bureau,
        )
        if self.reached(plan, Status.ACCEPTED):
            return
        project = self.fresh(plan)
        implementation.project_hand_over(
            project=project,
            handed_over_on=min(datetime.date(year, 12, 10), last),
            asset_formed=True,
            assets=project.scale,
            value=project.total_investment,
            recipient=project.asset_owner or f"{plan.villages[0].name}股份经济合作社",
            expected_version=project.version,
            actor=actor,
        )
        if self.reached(plan, Status.HANDED_OVER):
            return
        project = self.fresh(plan)
        mode = OperatingMode.VILLAGE_COLLECTIVE
        if KINDS[plan.kind].entity_type == EntityType.ENTERPRISE or self.rng.random() < 0.3:
            mode = self.rng.choice(
                [OperatingMode.LEASE, OperatingMode.ENTRUSTED, OperatingMode.SHAREHOLDING]
            )
            start = min(datetime.date(year, 12, 15), last)
            implementation.agreement_record(
                project=project,
                values={
                    "mode": mode,
                    "operator": KINDS[plan.kind].entity.format(
                        village=plan.villages[0].name, township=plan.villages[0].parent.name
                    ),
                    "operator_uscc": uscc(self.rng, "91"),
                    "signed_on": start,
                    "term_start": start,
                    "term_end": start.replace(year=start.year + 5),
                    "guaranteed_return_percent": Decimal("6"),
                    "variable_return": "超出保底部分按三七分成",
                    "rights_obligations": (
                        "经营方负责资产日常维护，按年支付保底收益；村集体监督资产使用"
                    ),
                },
                actor=actor,
            )
            project = self.fresh(plan)
        implementation.project_operate(
            project=project, mode=mode, expected_version=project.version, actor=actor
        )


def projects_for(households: int) -> int:
    """About 300 in the county of ``make run`` (2,000 households) and above; fewer below, but
    always one in every state."""
    return 300 if households >= 2000 else max(len(EVERY_STATE) + 4, households // 6)


def seed(context) -> None:
    library = Library(context)
    plans = library.plans(projects_for(context.households))
    for plan in plans:
        library.to_decision(plan)
    # The county announces each year's decided projects at once, in the November before.
    for year in (2023, 2024, 2025):
        decided = [
            plan.project
            for plan in plans
            if plan.year == year
            and Project.objects.filter(pk=plan.project.pk, status=Status.COUNTY_DECIDED).exists()
            and plan.state not in ORDER[: ORDER.index(Status.COUNTY_ANNOUNCED)]
        ]
        if not decided:
            continue
        start = datetime.date(year - 1, 11, 10)
        days = policy_for(start.year).project_publicity_days
        publicity.announcement_create(
            year=year,
            title="",
            number=f"开乡振发〔{year - 1}〕{library.rng.randint(10, 40)}号",
            medium=PublicityMedium.WEBSITE,
            start_date=start,
            end_date=start + (days - 1) * DAY,
            projects=[Project.objects.get(pk=p.pk) for p in decided],
            actor=library.bureau,
        )
        for plan in plans:
            if plan.year == year and plan.project in decided:
                library.after_announcement(plan)
    context.log(f"projects: {Project.objects.count()}")
