"""Demo data of monitoring part 2, seeded after ``monitoring.demo.households``: the
identification (and elimination) history of every monitored household, open cases in every state
(some overdue,
some refused), assistance measures (with a few households breaking MON-MEAS-1/2 on purpose),
self-application leads, two departments' screening lists with warnings in every result, and
明白卡 deliveries in 中固镇.

Like ``monitoring.demo.households``: all randomness from ``context.random`` (same seed, same
day, same data),
dates relative to today, bulk inserts, no audit rows (the seed is logged by the command).
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
from kaiyuan.policy.models import PolicySettings
from monitoring.codes import HAS_LABOUR, NO_LABOUR
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

Status = MonitoringCase.Status
HouseholdStatus = Household.MonitoringStatus
ZHONGGU = "211282104"
OPEN_STATES = (
    Status.APPLICATION,
    Status.VERIFYING,
    Status.VILLAGE_APPRAISAL,
    Status.VILLAGE_PUBLICITY,
    Status.TOWNSHIP_REVIEW,
    Status.COUNTY_APPROVAL,
)
HOUSEHOLD_STATUS_OF = {
    Status.APPLICATION: HouseholdStatus.LEAD_RECEIVED,
    Status.VERIFYING: HouseholdStatus.VERIFYING,
    Status.VILLAGE_APPRAISAL: HouseholdStatus.VILLAGE_APPRAISAL,
    Status.VILLAGE_PUBLICITY: HouseholdStatus.VILLAGE_PUBLICITY,
    Status.TOWNSHIP_REVIEW: HouseholdStatus.TOWNSHIP_REVIEW,
    Status.COUNTY_APPROVAL: HouseholdStatus.COUNTY_APPROVAL,
}
# The steps an approved case went through, in order, with the level that took each.
APPROVED_PATH = (
    ("open", "", Status.APPLICATION, "village"),
    ("submit_application", Status.APPLICATION, Status.VERIFYING, "village"),
    ("crosscheck", Status.VERIFYING, Status.VERIFYING, "county"),
    ("verify", Status.VERIFYING, Status.VILLAGE_APPRAISAL, "village"),
    ("appraise", Status.VILLAGE_APPRAISAL, Status.VILLAGE_PUBLICITY, "village"),
    ("close_publicity", Status.VILLAGE_PUBLICITY, Status.TOWNSHIP_REVIEW, "village"),
    ("township_pass", Status.TOWNSHIP_REVIEW, Status.COUNTY_APPROVAL, "township"),
    ("county_approve", Status.COUNTY_APPROVAL, Status.APPROVED, "county"),
)
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


def path_to(status: str) -> list[tuple[str, str, str, str]]:
    """The steps of APPROVED_PATH that bring a new case to ``status``."""
    target = OPEN_STATES.index(status)
    steps = []
    for step in APPROVED_PATH:
        action, _before, after, _level = step
        if after == Status.APPROVED or OPEN_STATES.index(after) > target:
            break
        if action == "crosscheck" and status == Status.VERIFYING:
            continue  # the county has not cross-checked yet
        steps.append(step)
    return steps


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


class CaseSeeder:
    def __init__(self, context) -> None:
        self.rng = context.random
        self.today = dates.today()
        self.now = timezone.now()
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
        self.steps: list[CaseStep] = []
        self.attachments: list[CaseAttachment] = []

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
        self.open_eliminations(monitored)
        self.leads()
        self.warnings()
        self.cards()
        CaseStep.objects.bulk_create(self.steps, batch_size=5000)
        CaseAttachment.objects.bulk_create(self.attachments, batch_size=5000)
        self.counts["steps"] = len(self.steps)

    # ---- helpers -------------------------------------------------------------------------

    def clerk_of(self, household: Household) -> User:
        return self.clerks[household.area.parent.code]

    def actor(self, household: Household, level: str) -> User:
        if level == "county":
            return self.bureau
        if level == "village":
            return self.entering_clerks[household.area.parent.code]
        return self.clerk_of(household)

    def at(self, day: datetime.date) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(10, self.rng.randint(0, 59)))
        return timezone.make_aware(moment)

    def verifiers(self) -> list[str]:
        return sorted(self.rng.sample(VERIFIER_NAMES, 2))

    def publicity_days(self, year: int) -> int:
        policy = PolicySettings.objects.filter(year__lte=year).order_by("-year").first()
        return policy.monitoring_publicity_days if policy else 5

    def case(self, household, *, kind, status, opened, **fields) -> MonitoringCase:
        return MonitoringCase(
            kind=kind,
            household=household,
            area_id=household.area_id,
            status=status,
            opened_by=self.actor(household, "village"),
            opened_at=self.at(opened),
            category=household.monitoring_category,
            risk_1=household.risk_1,
            risk_2=household.risk_2,
            risk_3=household.risk_3,
            risk_4=household.risk_4,
            risk_5=household.risk_5,
            **fields,
        ), opened

    def add_steps(self, case, household, path, start: datetime.date) -> None:
        day = start
        for action, before, after, level in path:
            self.steps.append(
                CaseStep(
                    case=case,
                    action=action,
                    level=level,
                    from_state=before,
                    to_state=after,
                    actor=self.actor(household, level),
                    at=self.at(day),
                    data={},
                    reason="演示数据",
                )
            )
            day = min(self.today, day + datetime.timedelta(days=2))
        for kind in (CaseAttachment.Kind.AUTHORISATION, CaseAttachment.Kind.MINUTES):
            if len(path) > (1 if kind == CaseAttachment.Kind.AUTHORISATION else 4):
                self.attachments.append(
                    CaseAttachment(
                        case=case,
                        kind=kind,
                        file=self.scan,
                        name=f"{kind.label}（演示）.pdf",
                        uploaded_by=self.clerk_of(household),
                    )
                )

    # ---- cases -----------------------------------------------------------------------------

    def history(self, monitored: list[Household]) -> None:
        """Every monitored household reached the list through an approved identification, and
        every eliminated one through an approved elimination."""
        cases = []
        for household in monitored:
            decided = household.risk_identified_on
            applied = decided - datetime.timedelta(days=18)
            publicity_start = applied + datetime.timedelta(days=6)
            fields = dict(
                application_date=applied,
                deadline=dates.add_working_days(applied, 20),
                verifiers=self.verifiers(),
                verified_on=applied + datetime.timedelta(days=3),
                crosscheck_result="与公安、不动产、市场监管、社保数据比对无异常",
                crosscheck_on=applied + datetime.timedelta(days=2),
                appraisal_on=publicity_start,
                publicity_start=publicity_start,
                publicity_end=publicity_start
                + datetime.timedelta(days=self.publicity_days(applied.year) - 1),
                announced_on=decided,
                decided_at=self.at(decided),
                household_status_before=HouseholdStatus.NOT_MONITORED,
            )
            cases.append(
                self.case(
                    household,
                    kind="identification",
                    status=Status.APPROVED,
                    opened=applied,
                    **fields,
                )
            )
            if (
                household.monitoring_status == HouseholdStatus.ELIMINATED
                and household.risk_eliminated_on
            ):
                done = household.risk_eliminated_on
                proposed = done - datetime.timedelta(days=14)
                cases.append(
                    self.case(
                        household,
                        kind="elimination",
                        status=Status.APPROVED,
                        opened=proposed,
                        elimination_mode=household.elimination_mode or "帮扶消除",
                        application_date=proposed,
                        verifiers=self.verifiers(),
                        verified_on=proposed + datetime.timedelta(days=2),
                        appraisal_on=proposed + datetime.timedelta(days=4),
                        publicity_start=proposed + datetime.timedelta(days=4),
                        publicity_end=proposed + datetime.timedelta(days=8),
                        announced_on=done,
                        decided_at=self.at(done),
                        household_status_before=HouseholdStatus.MONITORED,
                    )
                )
        created = MonitoringCase.objects.bulk_create([case for case, _ in cases], batch_size=2000)
        for case, (_case, opened) in zip(created, cases, strict=True):
            path = (
                APPROVED_PATH
                if case.kind == "identification"
                else [
                    step
                    for step in APPROVED_PATH
                    if step[0] not in ("submit_application", "crosscheck")
                ]
            )
            self.add_steps(case, case.household, path, opened)
        self.counts["cases"] += len(created)

    def open_cases(self) -> None:
        """Cases under way in every state, in 中固镇 first so that its demo clerk sees them, a
        third of them past the 20-working-day limit, and three refused ones."""
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
        cases, households_by_status = [], defaultdict(list)
        for index, household in enumerate(chosen):
            if household in rejected:
                continue
            status = OPEN_STATES[index % len(OPEN_STATES)]
            late = index % 3 == 2
            applied = self.today - datetime.timedelta(days=40 if late else self.rng.randint(2, 12))
            lead = leads.get(household.pk)
            category = "脱贫不稳定户" if household.household_type == "脱贫户" else "边缘易致贫户"
            fields = dict(
                lead=lead,
                category=category if status != Status.APPLICATION else "",
                risk_1="因病" if status != Status.APPLICATION else "",
                household_status_before=HouseholdStatus.NOT_MONITORED,
            )
            if status != Status.APPLICATION:
                fields.update(
                    application_date=applied,
                    deadline=dates.add_working_days(applied, 20),
                    overdue=late,
                )
            if status in (
                Status.VILLAGE_APPRAISAL,
                Status.VILLAGE_PUBLICITY,
                Status.TOWNSHIP_REVIEW,
                Status.COUNTY_APPROVAL,
            ):
                fields.update(
                    verifiers=self.verifiers(),
                    verified_on=applied,
                    crosscheck_result="比对无异常",
                    crosscheck_on=applied,
                )
            if status in (Status.VILLAGE_PUBLICITY, Status.TOWNSHIP_REVIEW, Status.COUNTY_APPROVAL):
                start = min(self.today, applied + datetime.timedelta(days=3))
                fields.update(
                    appraisal_on=start,
                    publicity_start=start,
                    publicity_end=start + datetime.timedelta(days=4),
                )
            case = MonitoringCase(
                kind="identification",
                household=household,
                area_id=household.area_id,
                status=status,
                opened_by=self.actor(household, "village"),
                opened_at=self.at(applied),
                **fields,
            )
            case.risk_2 = case.risk_3 = case.risk_4 = case.risk_5 = ""
            cases.append((case, applied, status))
            households_by_status[HOUSEHOLD_STATUS_OF[status]].append(household.pk)
        for household, (action, reason) in zip(
            rejected,
            (
                ("appraise_not_eligible", "民主评议认为家庭收入稳定，不符合纳入条件"),
                ("objection_upheld", "公示期间群众反映该户有经营性车辆，经核实属实"),
                ("county_reject", "信息比对发现家庭成员为财政供养人员"),
            ),
            strict=False,
        ):
            applied = self.today - datetime.timedelta(days=30)
            case = MonitoringCase(
                kind="identification",
                household=household,
                area_id=household.area_id,
                status=Status.REJECTED,
                opened_by=self.actor(household, "village"),
                opened_at=self.at(applied),
                category="边缘易致贫户",
                risk_1="因病",
                application_date=applied,
                deadline=dates.add_working_days(applied, 20),
                decided_at=self.at(self.today - datetime.timedelta(days=3)),
                household_status_before=HouseholdStatus.NOT_MONITORED,
            )
            cases.append((case, applied, (action, reason)))
        created = MonitoringCase.objects.bulk_create([c for c, _, _ in cases])
        for case, (_c, applied, status) in zip(created, cases, strict=True):
            if isinstance(status, tuple):
                action, reason = status
                path = [step for step in APPROVED_PATH[:3]]
                self.add_steps(case, case.household, path, applied)
                self.steps.append(
                    CaseStep(
                        case=case,
                        action=action,
                        level="county",
                        from_state="",
                        to_state=Status.REJECTED,
                        actor=self.bureau,
                        reason=reason,
                    )
                )
                continue
            reached = [
                s
                for s in APPROVED_PATH
                if OPEN_STATES.index(status) >= (OPEN_STATES.index(s[1]) if s[1] else -1)
                and s[2] != Status.APPROVED
            ]
            self.add_steps(case, case.household, reached, applied)
        for status, pks in households_by_status.items():
            Household.objects.filter(pk__in=pks).update(monitoring_status=status)
        RiskLead.objects.filter(cases__isnull=False, status="open").update(status="case_opened")
        self.counts["cases"] += len(created)

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

    def open_eliminations(self, monitored: list[Household]) -> None:
        """A few monitored households whose risk elimination is under way, at three steps."""
        earliest = dates.add_months(self.today, -6)
        implemented = AssistanceMeasure.objects.filter(
            household=OuterRef("pk"), status="implemented"
        )
        ready = [
            h
            for h in Household.objects.filter(
                pk__in=[h.pk for h in monitored],
                monitoring_status=HouseholdStatus.MONITORED,
                risk_identified_on__lte=earliest,
            )
            .filter(Exists(implemented))
            .select_related("area__parent")
            .order_by("household_number")
        ][:3]
        states = (Status.VERIFYING, Status.TOWNSHIP_REVIEW, Status.COUNTY_APPROVAL)
        for household, status in zip(ready, states, strict=False):
            proposed = self.today - datetime.timedelta(days=12)
            case = MonitoringCase.objects.create(
                kind="elimination",
                household=household,
                area_id=household.area_id,
                status=status,
                opened_by=self.actor(household, "village"),
                opened_at=self.at(proposed),
                category=household.monitoring_category,
                risk_1=household.risk_1,
                elimination_mode="帮扶消除",
                application_date=proposed,
                household_status_before=HouseholdStatus.MONITORED,
            )
            path = [
                step
                for step in path_to(status)
                if step[0] not in ("submit_application", "crosscheck")
            ]
            self.add_steps(case, household, path, proposed)
            self.counts["cases"] += 1
        Household.objects.filter(pk__in=[h.pk for h in ready]).update(
            monitoring_status=HouseholdStatus.ELIMINATION_PENDING
        )

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
        rows = []
        for index, household in enumerate(households):
            received = self.today - datetime.timedelta(days=1 if index % 2 else 9)
            rows.append(
                RiskLead(
                    household=household,
                    area_id=household.area_id,
                    source="self_application",
                    description="农户自主申报：家庭成员患病，医疗支出较大",
                    deadline=dates.add_working_days(received, 2),
                    overdue=dates.add_working_days(received, 2) < self.today,
                    created_by=self.clerk_of(household),
                )
            )
        RiskLead.objects.bulk_create(rows)

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
            content = screening_list_xlsx(picked, warning_type)
            upload = WarningUpload.objects.create(
                department=department,
                file=ContentFile(content, name="demo.xlsx"),
                file_name=f"{Department(department).label}筛查名单（演示）.xlsx",
                sha256=hashlib.sha256(content).hexdigest(),
                status=WarningUpload.Status.DONE,
                rows=len(picked) + 2,
                matched=len(picked),
                unmatched=[
                    {"row": len(picked) + 2, "name": "查无此人", "id": "211282********0011"}
                ],
                uploaded_by=uploader,
            )
            rows = []
            for index, member in enumerate(picked):
                warned = self.today - datetime.timedelta(days=3 + index % 12)
                deadline = warned + datetime.timedelta(days=7)
                result = ("pending", "pending", "no_risk", "risk")[index % 4]
                if member.household.monitoring_status == HouseholdStatus.MONITORED:
                    result = "already_monitored"
                rows.append(
                    DeptWarning(
                        upload=upload,
                        department=department,
                        member=member,
                        household=member.household,
                        area_id=member.household.area_id,
                        id_index=member.id_index,
                        listed_name=member.name,
                        warning_type=warning_type,
                        indicator=indicator.format(self.rng.randint(8, 60) * 500),
                        warned_on=warned,
                        deadline=deadline,
                        overdue=result == "pending" and deadline < self.today,
                        result=result,
                        verified_by=None
                        if result == "pending"
                        else self.clerk_of(member.household),
                        verified_at=None if result == "pending" else self.at(warned),
                        note="" if result in ("pending", "risk") else "经入户核实，无返贫致贫风险",
                    )
                )
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
            DeptWarning.objects.bulk_create(rows)
            self.counts["warnings"] += len(rows)

    def cards(self) -> None:
        households = (
            Household.objects.filter(
                monitoring_status=HouseholdStatus.MONITORED, area__parent__code=ZHONGGU
            )
            .select_related("area__parent")
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
                    delivered_by="王网格",
                    delivered_on=delivered,
                    posted_on=delivered + datetime.timedelta(days=1) if index % 3 else None,
                    recorded_by=self.clerk_of(household),
                )
            )
        CardDelivery.objects.bulk_create(rows)
        self.counts["cards"] = len(rows)
