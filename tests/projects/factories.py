"""Valid proposals for tests, and the walk that takes a project through the workflow's steps by
the services, each step by a user who may take it (separation of duties kept).

``proposal(villages)`` is a whole valid proposal; ``walk(project, to, people)`` moves a project
to state ``to`` along its proposer level's path, moving the clock past each publicity.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from kaiyuan.accounts.models import User
from kaiyuan.accounts.roles import Department, Role
from kaiyuan.common.dates import today
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
from projects.models import FourHavesItem, Project
from projects.services import implementation, projects, publicity, reviews
from projects.services.projects import Indicator, Proposal, VillageShare
from tests.factories import UserFactory

Status = Project.Status
VALID_USCC = "91110000600037341L"

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BEIJING)


def indicators() -> list[Indicator]:
    return [
        Indicator(IndicatorGroup.OUTPUT, IndicatorKind.QUANTITY, "新建大棚", "座", Decimal("20")),
        Indicator(
            IndicatorGroup.BENEFIT,
            IndicatorKind.ECONOMIC,
            "带动脱贫户增收",
            "元/户",
            Decimal("1500"),
        ),
        Indicator(
            IndicatorGroup.SATISFACTION,
            IndicatorKind.BENEFICIARY_SATISFACTION,
            "受益脱贫户满意度",
            "%",
            Decimal("90"),
        ),
    ]


def proposal(villages, *, year: int = 2025, shares=None, **fields: Any) -> Proposal:
    villages = list(villages)
    if shares is None:
        share = (Decimal("100") / len(villages)).quantize(Decimal("0.01"))
        shares = [share] * len(villages)
        shares[0] += Decimal("100") - sum(shares)
    values: dict[str, Any] = {
        "name": "有机稻米种植基地建设项目",
        "year": year,
        "category": Category.INDUSTRY,
        "subcategory": Subcategory.ORGANIC_RICE,
        "finance_mode": FinanceMode.SELF_BUILT,
        "sector": Department.AGRICULTURE,
        "entity_name": "开原市稻香农民专业合作社",
        "entity_type": EntityType.COOPERATIVE,
        "entity_uscc": "",
        "responsible_person": "李国强",
        "responsible_phone": "13904100001",
        "beneficiary_entity": "" if len(villages) == 1 else "各村集体经济组织",
        "content": "新建育秧大棚20座，配套灌溉设施",
        "scale": "育秧大棚20座",
        "location": "中固镇",
        "start_date": datetime.date(year, 4, 1),
        "end_date": datetime.date(year, 10, 31),
        "total_investment": Decimal("1000000.00"),
        "central_funds": Decimal("600000.00"),
        "provincial_funds": Decimal("200000.00"),
        "city_funds": Decimal("0"),
        "county_funds": Decimal("100000.00"),
        "other_funds": Decimal("0"),
        "self_raised": Decimal("100000.00"),
        "mechanisms": [Mechanism.EMPLOYMENT, Mechanism.ASSET_SHARES],
        "four_haves": {code: True for code in FourHavesItem.objects.values_list("code", flat=True)},
    }
    values.update(fields)
    return Proposal(
        fields=values,
        villages=[
            VillageShare(village, share, share, duties=f"{village.name}负责土地协调")
            for village, share in zip(villages, shares, strict=True)
        ],
        indicators=indicators(),
    )


@dataclass
class People:
    """One user per part of the walk. The village's steps are the grid worker's; the township
    review and publicity another clerk's; the county's steps the bureau's."""

    proposer: User
    township: User
    department: User
    bureau: User


def people_for(village, *, proposer_level: str = ProposerLevel.VILLAGE) -> People:
    township = village.parent
    county = township.parent

    def user(name, role, area, **extra):
        return User.objects.filter(username=name).first() or UserFactory(
            username=name, role=role, area=area, **extra
        )

    clerk = user(f"pc_{township.code}", Role.TOWNSHIP_CLERK, township)
    department = user("p_dept_agri", Role.DEPARTMENT, county, department=Department.AGRICULTURE)
    proposer = {
        ProposerLevel.VILLAGE: lambda: user(f"pg_{village.code}", Role.GRID_WORKER, village),
        ProposerLevel.TOWNSHIP: lambda: clerk,
        ProposerLevel.COUNTY: lambda: department,
    }[proposer_level]()
    return People(
        proposer=proposer,
        township=clerk,
        department=department,
        bureau=user("p_bureau", Role.BUREAU, county),
    )


def _fresh(project: Project) -> Project:
    return Project.objects.get(pk=project.pk)


def _publicise(project: Project, actor, clock, boards) -> Project:
    start = today()
    for board in boards:
        project = _fresh(project)
        publicity.publicity_record(
            project=project,
            level=board,
            medium=PublicityMedium.BOARD,
            start_date=start,
            end_date=start + datetime.timedelta(days=9),
            expected_version=project.version,
            actor=actor,
        )
    clock.move_to(beijing(start + datetime.timedelta(days=10), 10))
    project = _fresh(project)
    return publicity.publicity_close(project=project, expected_version=project.version, actor=actor)


def walk(project: Project, to: str, people: People, clock) -> Project:
    """``project`` moved step by step until it reaches ``to`` (a state on its main path)."""
    level = project.proposer_level
    steps = []

    def step(state, run):
        steps.append((state, run))

    step(
        Status.PROPOSED,
        lambda p: projects.project_submit(
            project=p, expected_version=p.version, actor=people.proposer
        ),
    )
    if level == ProposerLevel.VILLAGE:
        step(Status.TOWNSHIP_REVIEW, lambda p: _publicise(p, people.proposer, clock, ["village"]))
        step(
            Status.TOWNSHIP_PUBLICITY,
            lambda p: reviews.township_review(
                project=p,
                decision="pass",
                reason="",
                expected_version=p.version,
                actor=people.township,
            ),
        )
        step(Status.SECTOR_REVIEW, lambda p: _publicise(p, people.township, clock, ["township"]))
    elif level == ProposerLevel.TOWNSHIP:
        step(
            Status.SECTOR_REVIEW,
            lambda p: _publicise(p, people.township, clock, ["village", "township"]),
        )
    else:
        step(
            Status.COUNTY_REVIEW,
            lambda p: _publicise(p, people.department, clock, ["county", "township"]),
        )
    if level != ProposerLevel.COUNTY:
        step(
            Status.COUNTY_REVIEW,
            lambda p: reviews.department_review(
                project=p,
                passed=True,
                opinion="符合行业规划",
                expected_version=p.version,
                actor=people.department,
            ),
        )

    def decide(p):
        p = reviews.joint_review(
            project=p, opinion="论证通过", expected_version=p.version, actor=people.bureau
        )
        return reviews.county_decide(
            project=p, approved=True, reason="", expected_version=p.version, actor=people.bureau
        )

    step(Status.COUNTY_DECIDED, decide)

    def announce(p):
        start = today()
        publicity.announcement_create(
            year=p.year,
            title="",
            number="开乡振发〔2024〕1号",
            medium=PublicityMedium.WEBSITE,
            start_date=start,
            end_date=start + datetime.timedelta(days=9),
            projects=[p],
            actor=people.bureau,
        )
        clock.move_to(beijing(start + datetime.timedelta(days=10), 10))
        return _fresh(p)

    step(Status.COUNTY_ANNOUNCED, announce)
    step(
        Status.IN_LIBRARY,
        lambda p: reviews.project_admit(project=p, expected_version=p.version, actor=people.bureau),
    )
    step(
        Status.PLANNED,
        lambda p: reviews.project_plan(
            project=p, plan_year=p.year, expected_version=p.version, actor=people.bureau
        ),
    )
    step(
        Status.IMPLEMENTING,
        lambda p: implementation.project_start(
            project=p, started_on=today(), expected_version=p.version, actor=people.township
        ),
    )

    def complete(p):
        implementation.progress_report(
            project=p,
            reported_on=today(),
            percent=Decimal("100"),
            text="全部完工",
            actor=people.township,
        )
        p = _fresh(p)
        return implementation.project_complete(
            project=p, expected_version=p.version, actor=people.township
        )

    step(Status.COMPLETED, complete)
    step(
        Status.ACCEPTED,
        lambda p: (
            implementation.acceptance_record(
                project=p,
                accepted_on=today(),
                result=AcceptanceResult.PASSED,
                findings="",
                inspectors="验收组",
                expected_version=p.version,
                actor=people.bureau,
            )
            and _fresh(p)
        ),
    )
    step(
        Status.HANDED_OVER,
        lambda p: (
            implementation.project_hand_over(
                project=p,
                handed_over_on=today(),
                asset_formed=True,
                assets="育秧大棚20座",
                value=p.total_investment,
                recipient="村集体经济组织",
                expected_version=p.version,
                actor=people.township,
            )
            and _fresh(p)
        ),
    )
    step(
        Status.OPERATING,
        lambda p: implementation.project_operate(
            project=p,
            mode=OperatingMode.VILLAGE_COLLECTIVE,
            expected_version=p.version,
            actor=people.township,
        ),
    )

    states = [state for state, _run in steps]
    if to not in states:
        raise ValueError(f"{to} is not on the main path of a {level} proposal")
    for state, run in steps:
        project = _fresh(project)
        if project.status == to:
            break
        if (
            states.index(state) <= states.index(project.status)
            if project.status in states
            else False
        ):
            continue
        project = _fresh(run(project) or project)
        if state == to:
            break
    return _fresh(project)


def new_project(
    villages, people: People, *, proposer_level: str = ProposerLevel.VILLAGE, **fields
) -> Project:
    return projects.project_create(
        proposal=proposal(villages, **fields), proposer_level=proposer_level, actor=people.proposer
    )
