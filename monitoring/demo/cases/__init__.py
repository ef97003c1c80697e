"""Demo data of monitoring part 2, seeded after ``monitoring.demo.households``: the
identification (and elimination) history of every monitored household, open cases in every state
(some overdue, some refused), assistance measures (with a few households breaking MON-MEAS-1/2 on
purpose), self-application leads, two departments' screening lists with warnings in every result,
and 明白卡 deliveries in 中固镇.

Every case is dated step by step by ``timeline`` as the workflow and its rules allow (steps in
order, in office hours on working days, never after now; the publicity run to its end before the
township review), its fields read off its steps, and checked against the workflow and
monitoring.rules.cases before it is written: a demo case that breaks a rule stops the seed.

Like ``monitoring.demo.households``: all randomness from ``context.random`` (same seed, same
day, same data), dates relative to today, bulk inserts, no audit rows (the seed is logged by the
command).
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections import defaultdict
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef
from django.utils import timezone

from kaiyuan.accounts.models import User
from kaiyuan.accounts.roles import Department, Role, department_of
from kaiyuan.common import dates
from kaiyuan.common.workflow import COUNTY, VILLAGE
from monitoring.codes import HAS_LABOUR, NO_LABOUR, HouseholdType, MonitoringCategory
from monitoring.demo.cases.timeline import (
    PlannedStep,
    Scheduler,
    actor_problem,
    case_fields,
    case_problems,
    path,
)
from monitoring.models import (
    AssistanceMeasure,
    CardDelivery,
    CaseAttachment,
    CaseStep,
    DeptWarning,
    Household,
    Member,
    MonitoringCase,
    RiskLead,
    WarningUpload,
)
from monitoring.services.cases import IDENTIFICATION_HOUSEHOLD_STATUS

Status = MonitoringCase.Status
Kind = MonitoringCase.Kind
HouseholdStatus = Household.MonitoringStatus
ZHONGGU = "211282104"
OPEN_STATES = MonitoringCase.OPEN_STATES
# The refused cases: the step that refused each, why, and an objection for the upheld one.
REFUSALS = (
    ("appraise_not_eligible", "民主评议认为家庭收入稳定，不符合纳入条件"),
    ("objection_upheld", "公示期间群众反映该户有经营性车辆，经核实属实"),
    ("county_reject", "信息比对发现家庭成员为财政供养人员"),
)
OBJECTION = "村民反映该户家中有经营性车辆"
# A case under way waits since its last step this many working days: in time, or long enough
# for an identification to be past its 20-working-day deadline (MON-ID-4).
WAITING_IN_TIME = (0, 3)
WAITING_LATE = (22, 30)
VERIFIER_NAMES = ("孙立国", "钱明", "周海燕", "吴志刚", "郑秀兰", "冯建军", "陈玉华", "褚文平")
DEVELOPMENT = (
    ("产业帮扶", "到户产业发展补贴", "农业农村局", "1500.00"),
    ("就业帮扶", "务工交通补贴", "人社局", "300.00"),
    ("公益岗位帮扶", "乡村保洁员公益岗位", "乡村振兴局", "6000.00"),
    ("金融帮扶", "脱贫人口小额信贷贴息", "乡村振兴局", "1200.00"),
)
SAFETY_NET = ("综合保障", "纳入农村低保", "民政局", "4800.00")
WARNING_TYPES = {
    Department.MEDICAL: ("大额医疗费用自付", "自付{0}元"),
    Department.CIVIL: ("临时救助", "救助{0}元"),
}
DEMO_PDF = b"%PDF-1.4\n% demo scan\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class DemoCaseBroken(RuntimeError):
    """A demo case the workflow or its rules would not have allowed (a defect of the demo)."""


def seed(context) -> None:
    if context.households <= 0:
        return
    started = time.perf_counter()
    seeder = CaseSeeder(context)
    seeder.run()
    context.log(
        f"monitoring part 2: {seeder.counts['cases']} cases, {seeder.counts['steps']} steps, "
        f"{seeder.counts['measures']} measures, {seeder.counts['warnings']} warnings, "
        f"{seeder.counts['cards']} card deliveries in {time.perf_counter() - started:.1f} s"
    )


def screening_list_xlsx(members, warning_type: str) -> bytes:
    """The demo department's list as it would have uploaded it (masked IDs: it is a demo)."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["证件号码", "姓名", "预警类型", "金额或指标", "预警日期"])
    for member in members:
        sheet.append([member.id_masked, member.name, warning_type, "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def proposed_category(household: Household) -> str:
    """The category a demo case proposes for a household not yet monitored (MON-CAT-1)."""
    if household.household_type == HouseholdType.EXITED:
        return MonitoringCategory.UNSTABLE
    return MonitoringCategory.MARGINAL


class CaseSeeder:
    def __init__(self, context) -> None:
        self.rng = context.random
        self.today = dates.today()
        self.now = timezone.now()
        self.scheduler = Scheduler(self.rng, now=self.now)
        self.counts: dict[str, int] = defaultdict(int)
        users = User.objects.select_related("area")
        self.bureau = users.get(username="bureau")
        clerks = users.filter(role=Role.TOWNSHIP_CLERK)
        self.clerks = {u.area.code: u for u in clerks if u.username.startswith("clerk_")}
        # The village steps of the demo's cases were entered by each township's second clerk,
        # so that the first one may take their township reviews (separation of duties).
        self.entering_clerks = {u.area.code: u for u in clerks if u.username.startswith("clerk2_")}
        self.departments = {u.department: u for u in users.filter(role=Role.DEPARTMENT)}
        self.scan = default_storage.save("cases/demo/demo-scan.pdf", ContentFile(DEMO_PDF))
        # Cases waiting to be written, each with its planned steps and the reasons of refusals.
        self.planned: list[tuple[MonitoringCase, list[PlannedStep], str]] = []

    def run(self) -> None:
        monitored = list(
            Household.objects.filter(
                monitoring_status__in=[HouseholdStatus.MONITORED, HouseholdStatus.ELIMINATED],
                risk_identified_on__isnull=False,
            )
            .select_related("area__parent")
            .order_by("household_number")
        )
        self.history(monitored)
        self.open_cases()
        self.measures(monitored)
        self.open_eliminations()
        self.write_cases()
        self.leads()
        self.warnings()
        self.cards()

    # ---- helpers -------------------------------------------------------------------------

    def clerk_of(self, household: Household) -> User:
        return self.clerks[household.area.parent.code]

    def actor(self, household: Household, level: str) -> User:
        if level == COUNTY:
            return self.bureau
        if level == VILLAGE:
            return self.entering_clerks[household.area.parent.code]
        return self.clerk_of(household)

    def at(self, day: datetime.date) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(10, self.rng.randint(0, 59)))
        return timezone.make_aware(moment)

    def verifiers(self) -> list[str]:
        return sorted(self.rng.sample(VERIFIER_NAMES, 2))

    def waiting_since(self, late: bool) -> datetime.datetime:
        """The moment of the last step of a case under way (or refused lately)."""
        low, high = WAITING_LATE if late else WAITING_IN_TIME
        back = self.rng.randint(low, high)
        day = self.today
        for _ in range(back):
            day = self.scheduler.working_day_on_or_before(day - datetime.timedelta(days=1))
        return self.scheduler.last_moment(day)

    def plan(
        self,
        household: Household,
        *,
        kind: str,
        status: str,
        last: datetime.datetime,
        rejected_by: str = "",
        reason: str = "",
        **fields,
    ) -> MonitoringCase:
        """A case of ``household`` brought to ``status`` (or refused by ``rejected_by``) by
        steps dated back from ``last``, its dates read off the steps."""
        steps = self.scheduler.schedule(path(kind, status, rejected_by=rejected_by), last=last)
        case = MonitoringCase(
            kind=kind,
            household=household,
            area_id=household.area_id,
            opened_by=self.actor(household, VILLAGE),
            **fields,
        )
        for name, value in case_fields(kind, steps, today=self.today).items():
            setattr(case, name, value)
        actions = {step.action for step in steps}
        if "verify" in actions:
            case.verifiers = self.verifiers()
        if "crosscheck" in actions:
            case.crosscheck_result = "与公安、不动产、市场监管、社保数据比对无异常"
        for step in steps:
            if step.action == "objection":
                case.objections = f"{step.day.isoformat()}：{OBJECTION}"
        self.planned.append((case, steps, reason))
        return case

    def write_cases(self) -> None:
        """Check every planned case (DemoCaseBroken if one breaks a rule), then write the cases,
        their steps and their documents."""
        problems: list[str] = []
        for case, steps, _reason in self.planned:
            problems += case_problems(case, steps, now=self.now)
            for step in steps:
                problem = actor_problem(self.actor(case.household, step.level), step.action)
                if problem:
                    problems.append(problem)
        if problems:
            raise DemoCaseBroken("; ".join(problems[:10]))
        created = MonitoringCase.objects.bulk_create(
            [case for case, _steps, _reason in self.planned], batch_size=2000
        )
        rows, attachments = [], []
        for case, (_case, steps, reason) in zip(created, self.planned, strict=True):
            household = case.household
            for step in steps:
                data: dict = {}
                if step.action == "appraise":
                    data = {"publicity_end": case.publicity_end.isoformat()}
                elif step.action == "verify":
                    data = {"verifiers": case.verifiers}
                note = reason if step.to_state == Status.REJECTED else "演示数据"
                rows.append(
                    CaseStep(
                        case=case,
                        action=step.action,
                        level=step.level,
                        from_state=step.from_state,
                        to_state=step.to_state,
                        actor=self.actor(household, step.level),
                        at=step.at,
                        data=data,
                        reason=OBJECTION if step.action == "objection" else note,
                    )
                )
            actions = {step.action for step in steps}
            for kind, needed in (
                (CaseAttachment.Kind.AUTHORISATION, {"submit_application"}),
                (CaseAttachment.Kind.MINUTES, {"appraise", "appraise_not_eligible"}),
            ):
                if actions & needed:
                    attachments.append(
                        CaseAttachment(
                            case=case,
                            kind=kind,
                            file=self.scan,
                            name=f"{kind.label}（演示）.pdf",
                            uploaded_by=self.actor(household, VILLAGE),
                        )
                    )
        CaseStep.objects.bulk_create(rows, batch_size=5000)
        CaseAttachment.objects.bulk_create(attachments, batch_size=5000)
        self.counts["cases"] = len(created)
        self.counts["steps"] = len(rows)

    # ---- cases -----------------------------------------------------------------------------

    def history(self, monitored: list[Household]) -> None:
        """Every monitored household reached the list through an identification approved on its
        identification date, and every eliminated one through an elimination approved on its
        elimination date."""
        for household in monitored:
            risks = {f"risk_{n}": getattr(household, f"risk_{n}") for n in range(1, 6)}
            case = self.plan(
                household,
                kind=Kind.IDENTIFICATION,
                status=Status.APPROVED,
                last=self.scheduler.last_moment(household.risk_identified_on),
                category=household.monitoring_category,
                household_status_before=HouseholdStatus.NOT_MONITORED,
                **risks,
            )
            if case.announced_on != household.risk_identified_on:
                raise DemoCaseBroken(f"{household}: identified on a day off")
            if (
                household.monitoring_status == HouseholdStatus.ELIMINATED
                and household.risk_eliminated_on
            ):
                case = self.plan(
                    household,
                    kind=Kind.ELIMINATION,
                    status=Status.APPROVED,
                    last=self.scheduler.last_moment(household.risk_eliminated_on),
                    category=household.monitoring_category,
                    elimination_mode=household.elimination_mode or "帮扶消除",
                    household_status_before=HouseholdStatus.MONITORED,
                    **risks,
                )
                if case.announced_on != household.risk_eliminated_on:
                    raise DemoCaseBroken(f"{household}: eliminated on a day off")

    def open_cases(self) -> None:
        """Cases under way in every state, in 中固镇 first so that its demo clerk sees them, a
        third of them waiting past the 20-working-day limit, and three refused ones."""
        leads = {lead.household_id: lead for lead in RiskLead.objects.filter(status="open")}
        open_case = MonitoringCase.objects.filter(household=OuterRef("pk"), status__in=OPEN_STATES)
        candidates = list(
            Household.objects.filter(
                monitoring_status=HouseholdStatus.NOT_MONITORED, merged_into__isnull=True
            )
            .exclude(Exists(open_case))
            .select_related("area__parent")
            .order_by("household_number")[:4000]
        )
        zhonggu = [h for h in candidates if h.area.parent.code == ZHONGGU]
        others = [h for h in candidates if h.area.parent.code != ZHONGGU]
        self.rng.shuffle(others)
        wanted = max(len(OPEN_STATES) * 2, len(candidates) // 40)
        chosen = (zhonggu[: len(OPEN_STATES) * 2] + others)[:wanted]
        rejected = chosen[-3:] if len(chosen) > len(OPEN_STATES) + 3 else []
        households_by_status = defaultdict(list)
        for index, household in enumerate(chosen):
            if household in rejected:
                continue
            status = OPEN_STATES[index % len(OPEN_STATES)]
            proposed = status != Status.APPLICATION
            self.plan(
                household,
                kind=Kind.IDENTIFICATION,
                status=status,
                # Every third round of the states waits past its deadline: each state has
                # cases in time and late ones.
                last=self.waiting_since(late=(index // len(OPEN_STATES)) % 3 == 1),
                lead=leads.get(household.pk),
                category=proposed_category(household) if proposed else "",
                risk_1="因病" if proposed else "",
                household_status_before=HouseholdStatus.NOT_MONITORED,
            )
            households_by_status[IDENTIFICATION_HOUSEHOLD_STATUS[status]].append(household.pk)
        for household, (action, reason) in zip(rejected, REFUSALS, strict=False):
            self.plan(
                household,
                kind=Kind.IDENTIFICATION,
                status=Status.REJECTED,
                rejected_by=action,
                reason=reason,
                last=self.scheduler.last_moment(
                    self.today - datetime.timedelta(days=self.rng.randint(2, 8))
                ),
                category=proposed_category(household),
                risk_1="因病",
                household_status_before=HouseholdStatus.NOT_MONITORED,
            )
        for status, pks in households_by_status.items():
            Household.objects.filter(pk__in=pks).update(monitoring_status=status)
        opened = [case.lead_id for case, _steps, _reason in self.planned if case.lead_id]
        RiskLead.objects.filter(pk__in=opened, status="open").update(status="case_opened")

    def open_eliminations(self) -> None:
        """A few monitored households whose risk elimination is under way, at three steps:
        identified long enough ago (MON-ELIM-1), with a measure implemented."""
        months = 1 + max(6, self._elimination_min_months())
        implemented = AssistanceMeasure.objects.filter(
            household=OuterRef("pk"), status="implemented"
        )
        ready = list(
            Household.objects.filter(
                monitoring_status=HouseholdStatus.MONITORED,
                risk_identified_on__lte=dates.add_months(self.today, -months),
            )
            .filter(Exists(implemented))
            .select_related("area__parent")
            .order_by("household_number")[:3]
        )
        states = (Status.VERIFYING, Status.TOWNSHIP_REVIEW, Status.COUNTY_APPROVAL)
        for household, status in zip(ready, states, strict=False):
            self.plan(
                household,
                kind=Kind.ELIMINATION,
                status=status,
                last=self.waiting_since(late=False),
                category=household.monitoring_category,
                risk_1=household.risk_1,
                elimination_mode="帮扶消除",
                household_status_before=HouseholdStatus.MONITORED,
            )
        Household.objects.filter(pk__in=[h.pk for h in ready]).update(
            monitoring_status=HouseholdStatus.ELIMINATION_PENDING
        )

    def _elimination_min_months(self) -> int:
        from kaiyuan.policy.services import policy_for

        return policy_for(self.today.year).elimination_min_months

    # ---- measures, leads, warnings, cards ------------------------------------------------

    def measures(self, monitored: list[Household]) -> None:
        labour = defaultdict(list)
        for household_id, skill in Member.objects.filter(
            status="active", household__in=monitored
        ).values_list("household_id", "labour_skill"):
            labour[household_id].append(skill)
        rows = []
        for index, household in enumerate(monitored):
            skills = labour[household.pk]
            identified = household.risk_identified_on
            # About one in twelve households is left without its measure on purpose, so that
            # the bureau's MON-MEAS-1/2 list has rows to show.
            if index % 12 == 5:
                continue
            if skills and all(s in NO_LABOUR for s in skills):
                options = [SAFETY_NET]
            elif any(s in HAS_LABOUR for s in skills):
                options = self.rng.sample(DEVELOPMENT, self.rng.randint(1, 2))
            else:
                continue
            for group, subtype, department, amount in options:
                start = identified + datetime.timedelta(days=self.rng.randint(5, 40))
                rows.append(
                    AssistanceMeasure(
                        household=household,
                        year=min(start, self.today).year,
                        group=group,
                        subtype=subtype,
                        department=department,
                        sector=department_of(department),
                        amount=Decimal(amount),
                        start_date=min(start, self.today),
                        status="implemented"
                        if start < self.today - datetime.timedelta(days=30)
                        else "planned",
                        created_by=self.clerk_of(household),
                    )
                )
        AssistanceMeasure.objects.bulk_create(rows, batch_size=5000)
        self.counts["measures"] = len(rows)

    def leads(self) -> None:
        """A few households' own applications, entered by clerks; some past their deadline."""
        households = list(
            Household.objects.filter(
                monitoring_status=HouseholdStatus.NOT_MONITORED, area__parent__code=ZHONGGU
            )
            .exclude(Exists(MonitoringCase.objects.filter(household=OuterRef("pk"))))
            .select_related("area__parent")
            .order_by("household_number")[:6]
        )
        for index, household in enumerate(households):
            received = self.today - datetime.timedelta(days=1 if index % 2 else 9)
            lead = RiskLead.objects.create(
                household=household,
                area_id=household.area_id,
                source="self_application",
                description="农户自主申报：家庭成员患病，医疗支出较大",
                deadline=dates.add_working_days(received, 2),
                overdue=dates.add_working_days(received, 2) < self.today,
                created_by=self.clerk_of(household),
            )
            # Received the day the household applied (created_at is set on insert).
            RiskLead.objects.filter(pk=lead.pk).update(created_at=self.at(received))

    def warnings(self) -> None:
        # About sixty members spread over the county, read by id so that the 330,000 members
        # of a county-scale demo are never loaded whole.
        ids = list(
            Member.objects.filter(status="active", household__merged_into__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)
        )
        picked_ids = ids[:: max(1, len(ids) // 60)]
        members = list(
            Member.objects.filter(pk__in=picked_ids).select_related("household").order_by("id")
        )
        for department, (warning_type, indicator) in WARNING_TYPES.items():
            uploader = self.departments.get(department)
            if uploader is None or not members:
                continue
            picked = (
                members[: len(members) // 2]
                if department == Department.MEDICAL
                else (members[len(members) // 2 :])
            )
            # A department sends a list now and then: three lists, each dated the day it was
            # uploaded, its warnings dated that day (the deadline counts from it).
            rows = []
            for days_ago, batch in zip((13, 8, 3), _thirds(picked), strict=True):
                if not batch:
                    continue
                listed_on = self.today - datetime.timedelta(days=days_ago)
                content = screening_list_xlsx(batch, warning_type)
                upload = WarningUpload.objects.create(
                    department=department,
                    file=ContentFile(content, name="demo.xlsx"),
                    file_name=f"{Department(department).label}筛查名单（演示）"
                    f"{listed_on:%m%d}.xlsx",
                    sha256=hashlib.sha256(content).hexdigest(),
                    status=WarningUpload.Status.DONE,
                    rows=len(batch) + 2,
                    matched=len(batch),
                    unmatched=[
                        {"row": len(batch) + 2, "name": "查无此人", "id": "211282********0011"}
                    ],
                    uploaded_by=uploader,
                )
                WarningUpload.objects.filter(pk=upload.pk).update(uploaded_at=self.at(listed_on))
                for index, member in enumerate(batch):
                    rows.append(self.warning(upload, member, listed_on, index, indicator))
            for warning in rows:
                if warning.result == "risk":
                    warning.lead = RiskLead.objects.create(
                        household=warning.household,
                        area_id=warning.area_id,
                        source="department",
                        description=f"{Department(department).label}：{warning_type} "
                        f"{warning.indicator}",
                        deadline=dates.add_working_days(warning.warned_on, 2),
                        created_by=warning.verified_by,
                    )
                    RiskLead.objects.filter(pk=warning.lead.pk).update(
                        created_at=warning.verified_at
                    )
            DeptWarning.objects.bulk_create(rows)
            self.counts["warnings"] += len(rows)

    def warning(self, upload, member, warned, index, indicator) -> DeptWarning:
        """One warning of a screening list, as matching makes it, in one of its demo states."""
        department = upload.department
        deadline = warned + datetime.timedelta(days=7)
        result = ("pending", "pending", "no_risk", "risk")[index % 4]
        if member.household.monitoring_status == HouseholdStatus.MONITORED:
            result = "already_monitored"
        return DeptWarning(
            upload=upload,
            department=department,
            member=member,
            household=member.household,
            area_id=member.household.area_id,
            id_index=member.id_index,
            listed_name=member.name,
            warning_type=WARNING_TYPES[department][0],
            indicator=indicator.format(self.rng.randint(8, 60) * 500),
            warned_on=warned,
            deadline=deadline,
            overdue=result == "pending" and deadline < self.today,
            result=result,
            verified_by=None if result == "pending" else self.clerk_of(member.household),
            verified_at=None if result == "pending" else self.at(warned),
            note="" if result in ("pending", "risk") else "经入户核实，无返贫致贫风险",
        )

    def deliverer(self, household: Household) -> str:
        """Who handed the card over: the grid worker, else the household's helper, else the
        township clerk (a person's name, as the delivery form asks)."""
        worker = household.grid.worker if household.grid_id else None
        if worker is not None and worker.get_full_name():
            return worker.get_full_name()
        return household.helper_name or self.clerk_of(household).get_full_name()

    def cards(self) -> None:
        households = (
            Household.objects.filter(
                monitoring_status=HouseholdStatus.MONITORED, area__parent__code=ZHONGGU
            )
            .select_related("area__parent", "grid__worker")
            .order_by("household_number")
        )
        rows = []
        for index, household in enumerate(households):
            if index % 5 == 4:
                continue  # not delivered yet
            delivered = self.today - datetime.timedelta(days=10 + index % 20)
            rows.append(
                CardDelivery(
                    household=household,
                    year=self.today.year,
                    delivered_by=self.deliverer(household),
                    delivered_on=delivered,
                    posted_on=delivered + datetime.timedelta(days=1) if index % 3 else None,
                    recorded_by=self.clerk_of(household),
                )
            )
        CardDelivery.objects.bulk_create(rows)
        self.counts["cards"] = len(rows)


def _thirds(items: list) -> list[list]:
    """``items`` cut into three runs of (nearly) equal length, in order."""
    size = -(-len(items) // 3)
    return [items[i * size : (i + 1) * size] for i in range(3)]
