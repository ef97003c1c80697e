"""The labour force and its jobs, year by year (DOMAIN.md §6.2–§6.4).

The labour force is every active member with labour ability (普通, 技能, 弱劳动力或半劳动力) of the
county's 脱贫户 and monitored households, aged 18 to 70 in one of the years. The posts and
workshops take their people first; everyone else has a job followed over 2024, 2025 and the
current year as the national system would see it: a wage job in the county (the county's
industry-assistance companies, those the project library names, or others), in Liaoning outside
the county (沈阳市, 大连市, 铁岭市 …) or in another province (北京市, 天津市, 江苏省苏州市 …),
flexible work or a business of one's own, year-round or seasonal. Most jobs go on from year to
year (a record per year, as ``record_carry_over`` makes them: the past year's ends on 31
December, the new one starts on 1 January and this year's is still going); some end during a
year, and some people find another job the same year, or a second one after the season. People
whose registry entry says where they work (``Member.work_place``) work there. Jobs found after a
finished course are counted under the training batch; graduates of 脱贫 families under theirs.
About a third of the workers outside the province have the 300-yuan transport subsidy, once a
year. A few people registered 丧失劳动力 are recorded as working (EMP-4), half of them reviewed.

Every record is checked as ``record_create`` checks it (``record_problems``' rules, with what
the demo knows of the person's courses and subsidies instead of queries) before they are all
written together; verified by the grid worker of the household's grid where it has a login, else
by one of the township's clerks, on a day of the job never after today."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils import timezone

from employment.codes import Batch, JobType, PlaceCategory, Source
from employment.demo import (
    COUNTY_DIVISION,
    DAY,
    TRANSPORT_SHARE,
    TRANSPORT_SUBSIDY,
    YEARS,
    credit_code,
    emp_4_cases_for,
    year_end,
)
from employment.models import EmploymentRecord
from employment.rules import records as rules
from employment.rules.counts import population_q
from employment.services.records import JobDetails
from kaiyuan.areas.models import Area
from kaiyuan.common.rules import refuse_errors
from monitoring.codes import HAS_LABOUR, Education, LabourSkill
from monitoring.demo.households import Row, Table
from monitoring.models import CodeItem, Member
from monitoring.models.codes import INITIAL
from projects.codes import EntityType

IN, PROVINCE, OUT = (
    PlaceCategory.IN_COUNTY,
    PlaceCategory.IN_PROVINCE,
    PlaceCategory.OUT_OF_PROVINCE,
)
HUNDRED = Decimal("100.00")

# Where people of the county work: the city as the registry writes it, its category, the
# districts (with their division codes, for the employers' credit codes) and the short name its
# companies carry.
PLACES: dict[str, tuple[str, tuple[tuple[str, str], ...], str]] = {
    "沈阳市": (PROVINCE, (("沈阳市铁西区", "210106"), ("沈阳市浑南区", "210112")), "沈阳"),
    "大连市": (PROVINCE, (("大连市金州区", "210213"), ("大连市甘井子区", "210211")), "大连"),
    "铁岭市": (PROVINCE, (("铁岭市银州区", "211202"), ("铁岭市铁岭县", "211221")), "铁岭"),
    "抚顺市": (PROVINCE, (("抚顺市望花区", "210404"),), "抚顺"),
    "鞍山市": (PROVINCE, (("鞍山市铁东区", "210302"),), "鞍山"),
    "北京市": (OUT, (("北京市大兴区", "110115"), ("北京市朝阳区", "110105")), "北京"),
    "天津市": (OUT, (("天津市滨海新区", "120116"),), "天津"),
    "江苏省苏州市": (
        OUT,
        (("江苏省苏州市昆山市", "320583"), ("江苏省苏州市吴中区", "320506")),
        "苏州",
    ),
    "浙江省宁波市": (OUT, (("浙江省宁波市北仑区", "330206"),), "宁波"),
    "山东省青岛市": (OUT, (("山东省青岛市黄岛区", "370211"),), "青岛"),
    "河北省廊坊市": (OUT, (("河北省廊坊市固安县", "131022"),), "廊坊"),
}
PROVINCE_CITIES = (("沈阳市", 35), ("大连市", 25), ("铁岭市", 25), ("抚顺市", 8), ("鞍山市", 7))
OUT_CITIES = (
    ("北京市", 28),
    ("天津市", 18),
    ("江苏省苏州市", 20),
    ("浙江省宁波市", 10),
    ("山东省青岛市", 14),
    ("河北省廊坊市", 10),
)
COUNTY_PLACES = ("开原市经济开发区", "开原市城区")  # or the worker's own township
BRANDS = (
    "恒达", "宏远", "鑫源", "华信", "盛隆", "众诚", "金泰", "瑞丰", "东盛", "兴业",
    "嘉禾", "润通", "远航", "天成", "福瑞", "铭泰", "安达", "佳和", "永盛", "中兴",
)  # fmt: skip
# (trade, seasonal): seasonal trades work from spring to the late autumn.
TRADES = (
    ("建筑工程", True),
    ("物流", False),
    ("食品", False),
    ("汽车零部件", False),
    ("电子科技", False),
    ("物业服务", False),
    ("家政服务", False),
    ("服装", False),
    ("机械制造", False),
    ("餐饮管理", False),
    ("园林绿化工程", True),
)
FLEXIBLE_WORK = (
    ("农忙季节打零工", True),
    ("外卖配送", False),
    ("家政钟点工", False),
    ("装修散工", True),
    ("农村经纪人", False),
)
BUSINESSES = ("农资经销部", "小卖店", "电动车维修部", "粮食收购点", "豆腐坊", "快递代收点")
REVIEW_NOTES = (
    "经入户核实，本人长期慢性病，可从事轻体力零工，劳动能力登记待村里复核更正",
    "乡镇已核实：本人确在务工，劳动技能信息登记有误，已通知村级在系统中更正",
)
LAST_AGE = 65  # the oldest who take a job other than a post
# The kinds of job the first new jobs are, one each (kind, batch), then they are drawn.
WISHES = (
    ("own", ""),
    ("out", Batch.LABOUR_EXPORT),
    ("province", Batch.RECRUITMENT),
    ("county", Batch.INDUSTRY),
    ("flexible", ""),
    ("out", Batch.RECRUITMENT),
    ("province", Batch.LABOUR_EXPORT),
    ("county", Batch.RECRUITMENT),
)
INDUSTRY_STATES = ("implementing", "completed", "accepted", "handed_over", "operating")


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def pay(rng, low: int, high: int) -> Decimal:
    """A monthly wage in whole hundreds of yuan."""
    return rng.randint(low, high) * HUNDRED


@dataclass
class Worker:
    """A member of the labour force, with what the demo has decided about them."""

    member: Member
    village: Area
    township: Area
    role: str = ""  # "post", "workshop" or "" (found below)
    courses: list[datetime.date] = field(default_factory=list)  # finished courses' last days

    @property
    def born(self) -> int:
        return self.member.birth_date.year

    def age(self, year: int) -> int:
        return year - self.born

    @property
    def weak(self) -> bool:
        return self.member.labour_skill == LabourSkill.WEAK

    @property
    def graduate(self) -> bool:
        return (
            self.member.education in (Education.COLLEGE, Education.BACHELOR)
            and self.age(YEARS[0]) <= 30
        )

    @property
    def registry_place(self) -> str:
        """Where the registry says the person works (MON-DQ-6: only with months worked)."""
        return self.member.work_place if self.member.work_months else ""

    def trained_by(self, day: datetime.date) -> bool:
        """EMP-TRAINING: a course finished on or before ``day``."""
        return any(end <= day for end in self.courses)


@dataclass(frozen=True)
class Job:
    """One job as it goes on over the years: what each year's record of it repeats."""

    job_type: str
    batch: str
    place_category: str
    place: str
    employer: str = ""
    employer_uscc: str = ""
    welfare_job_type: str = ""
    workshop: object = None
    wage: Decimal | None = None
    channel: str = ""
    source: str = Source.VISIT
    season: tuple[int, int] | None = None  # first and last month of a seasonal job
    note: str = ""


class RecordsDemo:
    """Part of ``employment.demo.employment.EmploymentDemo`` (its ``rng``, ``users``, ``today``,
    ``counts``)."""

    # ---- the labour force ----------------------------------------------------------------

    def labour_force(self) -> None:
        villages = {
            v.pk: v
            for v in Area.objects.villages().select_related("parent__parent").order_by("code")
        }
        self.villages = villages
        first, last = YEARS[0], YEARS[-1]
        members = (
            Member.objects.active()
            .filter(population_q("household__"), labour_skill__in=sorted(HAS_LABOUR))
            .filter(birth_date__year__gte=first - 70, birth_date__year__lte=last - 18)
            .select_related("household__grid")
            .order_by("household__household_number", "person_number")
        )
        self.workers = []
        for member in members:
            village = villages[member.household.area_id]
            self.workers.append(Worker(member, village, village.parent))
        self.by_village: dict[int, list[Worker]] = {}
        self.by_township: dict[int, list[Worker]] = {}
        for worker in self.workers:
            self.by_village.setdefault(worker.village.pk, []).append(worker)
            self.by_township.setdefault(worker.township.pk, []).append(worker)
        self.townships = sorted(
            {w.township.pk: w.township for w in self.workers}.values(), key=lambda t: t.code
        )
        self.channels = CodeItem.objects.values_of("employment_channel") or list(
            INITIAL["employment_channel"]
        )
        self.codes_used: set[str] = set()
        self.employers: dict[str, list[tuple[str, str, bool]]] = {}
        self.industry = self._industry_employers()
        self.record_table = Table(EmploymentRecord, now=timezone.now())
        self.records: list[Row] = []
        self.claimed: set[tuple[int, int]] = set()
        self.flagged_ids: set[int] = set()
        self.counts["labour force"] = len(self.workers)

    def _industry_employers(self) -> dict[int, list[tuple[str, str]]]:
        """The companies and cooperatives that carry out the library's industry projects, by the
        township of the project's first village: they take on local people (产业帮扶项目吸纳)."""
        from projects.models import ProjectVillage

        found: dict[int, list[tuple[str, str]]] = {}
        seen: set[str] = set()
        for name, code, village_id in (
            ProjectVillage.objects.filter(
                project__entity_type__in=[EntityType.ENTERPRISE, EntityType.COOPERATIVE],
                project__status__in=INDUSTRY_STATES,
            )
            .exclude(project__entity_uscc="")
            .order_by("project__code", "id")
            .values_list("project__entity_name", "project__entity_uscc", "village_id")
        ):
            if code in seen or rules.employer_problems(employer_uscc=code):
                continue
            seen.add(code)
            self.codes_used.add(code)
            found.setdefault(self.villages[village_id].parent_id, []).append((name, code))
        return found

    # ---- who checks ------------------------------------------------------------------------

    def clerk(self, township: Area, second: bool = False):
        return self.users[f"{'clerk2' if second else 'clerk'}_{township.code}"]

    def verifier(self, worker: Worker):
        grid = worker.member.household.grid
        if grid is not None and grid.worker_id is not None:
            return self.users_by_id[grid.worker_id]
        return self.clerk(worker.township, second=self.rng.random() < 0.4)

    def moment(self, day: datetime.date) -> datetime.datetime:
        at = datetime.datetime.combine(day, datetime.time(self.rng.randint(8, 17), 0))
        return min(timezone.make_aware(at), timezone.now())

    # ---- one record ----------------------------------------------------------------------

    def record(
        self,
        worker: Worker,
        job: Job,
        start: datetime.date,
        end: datetime.date | None,
        *,
        post=None,
        months: int | None = None,
        flagged: bool = False,
        reviewed: str = "",
    ) -> Row | None:
        """The record of ``job`` from ``start`` to ``end`` (None: still going), checked as
        ``record_create`` checks it. A job not begun by today is not recorded; one that ends
        after today is still going."""
        if start > self.today:
            return None
        if end is not None and end > self.today:
            end = None
        if end is None and start.year < self.today.year:
            end = year_end(start.year)
        if months is None:
            months = min(rules.months_spanned(start, end or self.today), 12)
        year = start.year
        subsidy = paid_on = None
        if (
            job.place_category == OUT
            and (worker.member.pk, year) not in self.claimed
            and self.rng.random() < TRANSPORT_SHARE
        ):
            self.claimed.add((worker.member.pk, year))
            subsidy = TRANSPORT_SUBSIDY
            paid_on = min(start + self.rng.randint(10, 40) * DAY, self.today)
        details = JobDetails(
            start_date=start,
            end_date=end,
            months_worked=months,
            job_type=job.job_type,
            batch=job.batch,
            source=job.source,
            place_category=job.place_category,
            place=job.place,
            employer=job.employer,
            employer_uscc=job.employer_uscc,
            welfare_job_type=job.welfare_job_type,
            post=post,
            workshop=job.workshop,
            monthly_wage=job.wage,
            channel=job.channel,
            transport_subsidy=subsidy,
            transport_subsidy_paid_on=paid_on,
            note=job.note,
        )
        flags = refuse_errors(self.problems(worker.member, details, worker.trained_by(start)))
        if bool(flags) != flagged:
            raise AssertionError(f"unplanned EMP-4 flag: {worker.member} {details}")
        verifier = self.verifier(worker)
        last = min(end or self.today, self.today)
        verified_on = min(start + self.rng.randint(5, 40) * DAY, last)
        if end is None:  # a job still going was confirmed at a recent visit
            verified_on = max(verified_on, self.today - self.rng.randint(0, 60) * DAY)
        source = Source.VISIT if verifier.role == "grid_worker" else details.source
        row = self.record_table.row(
            member_id=worker.member.pk,
            year=year,
            recorded_by_id=verifier.pk,
            recorded_at=self.moment(min(start + self.rng.randint(0, 20) * DAY, verified_on)),
            verified_by_id=verifier.pk,
            verified_on=verified_on,
            post_id=post.pk if post is not None else None,
            workshop_id=job.workshop.pk if job.workshop is not None else None,
            **{
                name: plain(getattr(details, name))
                for name in RECORD_FIELDS
                if name not in ("post", "workshop", "source")
            },
            source=plain(source),
        )
        if reviewed:
            row.reviewed_by_id, row.review_note = self.clerk(worker.township).pk, reviewed
            row.reviewed_at = self.moment(
                min(verified_on + self.rng.randint(3, 20) * DAY, self.today)
            )
        self.records.append(row)
        return row

    def problems(self, member, details: JobDetails, trained: bool):
        """``services.records.record_problems`` for a new record, with what the demo knows of
        the person's courses and subsidies instead of the queries."""
        return [
            *rules.population_problems(member),
            *rules.period_problems(
                start=details.start_date,
                end=details.end_date,
                months=details.months_worked,
                today=self.today,
            ),
            *rules.place_problems(
                months=details.months_worked,
                place_category=details.place_category,
                place=details.place,
            ),
            *rules.job_problems(
                job_type=details.job_type,
                welfare_job_type=details.welfare_job_type,
                post=details.post,
                workshop=details.workshop,
            ),
            *rules.employer_problems(employer_uscc=details.employer_uscc),
            *rules.batch_problems(batch=details.batch, trained_before_start=trained),
            *rules.transport_problems(
                amount=details.transport_subsidy,
                place_category=details.place_category,
                already_claimed=False,
            ),
            *rules.labour_flags(
                labour_skill=member.labour_skill,
                place_category=details.place_category,
                months=details.months_worked,
            ),
        ]

    # ---- kinds of job --------------------------------------------------------------------

    def employer(self, city: str, division: str) -> tuple[str, str, bool]:
        """One of a few companies of the city (made once each): name, credit code, seasonal."""
        pool = self.employers.setdefault(city, [])
        if len(pool) < 4 or self.rng.random() < 0.15:
            short = PLACES[city][2] if city in PLACES else "开原"
            trade, seasonal = self.rng.choice(TRADES)
            name = f"{short}{self.rng.choice(BRANDS)}{trade}有限公司"
            if all(name != known for known, _c, _s in pool):
                pool.append(
                    (name, credit_code(self.rng, "91", division, self.codes_used), seasonal)
                )
        return self.rng.choice(pool)

    def channel(self, batch: str) -> str:
        wanted = {
            Batch.LABOUR_EXPORT: (("政府组织", 80), ("亲友介绍", 20)),
            Batch.RECRUITMENT: (("企业招聘", 70), ("政府组织", 30)),
            Batch.INDUSTRY: (("政府组织", 50), ("企业招聘", 50)),
            Batch.GRADUATES: (("企业招聘", 75), ("亲友介绍", 15), ("其他", 10)),
            Batch.TRAINING: (("政府组织", 70), ("企业招聘", 30)),
            Batch.WELFARE_POSTS: (("政府组织", 100),),
            Batch.FLEXIBLE: (("自主就业", 60), ("亲友介绍", 40)),
        }[batch]
        known = [(value, weight) for value, weight in wanted if value in self.channels]
        return weighted(self.rng, known) if known else ""

    def wage_job(self, worker: Worker, category: str, *, city: str = "", batch: str = "") -> Job:
        rng = self.rng
        if category == IN:
            industry = self.industry.get(worker.township.pk) or [
                e for pool in self.industry.values() for e in pool
            ]
            if (batch in ("", Batch.INDUSTRY)) and industry and rng.random() < 0.55:
                name, code = rng.choice(industry)
                batch, seasonal = Batch.INDUSTRY, False
            else:
                name, code, seasonal = self.employer("开原市", COUNTY_DIVISION)
                batch = batch if batch and batch != Batch.INDUSTRY else Batch.RECRUITMENT
            place = city or rng.choice((*COUNTY_PLACES, f"开原市{worker.township.name}"))
            wage, source = (
                pay(rng, 22, 40),
                weighted(rng, ((Source.EMPLOYER, 40), (Source.VISIT, 60))),
            )
        else:
            city = city or weighted(rng, PROVINCE_CITIES if category == PROVINCE else OUT_CITIES)
            district, division = rng.choice(PLACES[city][1])
            name, code, seasonal = self.employer(city, division)
            place = district
            batch = batch or weighted(
                rng,
                ((Batch.LABOUR_EXPORT, 50), (Batch.RECRUITMENT, 50))
                if category == OUT
                else ((Batch.RECRUITMENT, 65), (Batch.LABOUR_EXPORT, 35)),
            )
            wage = pay(rng, 45, 80) if category == OUT else pay(rng, 35, 60)
            source = weighted(
                rng, ((Source.HRSS, 50), (Source.SELF_REPORT, 30), (Source.VISIT, 20))
            )
        return Job(
            job_type=JobType.WAGE,
            batch=batch,
            place_category=category,
            place=place,
            employer=name,
            employer_uscc=code,
            wage=wage,
            channel=self.channel(batch),
            source=source,
            season=(3, 11) if seasonal and batch != Batch.GRADUATES else None,
        )

    def flexible_job(self, worker: Worker, *, place: str = "") -> Job:
        work, seasonal = self.rng.choice(FLEXIBLE_WORK)
        if work == "外卖配送" and not place and self.rng.random() < 0.5:
            place, category = "沈阳市铁西区", PROVINCE
        else:
            place = place or f"开原市{worker.township.name}"
            category = PLACES.get(place, (IN,))[0] if place in PLACES else IN
        return Job(
            job_type=JobType.FLEXIBLE,
            batch=Batch.FLEXIBLE,
            place_category=category,
            place=place,
            wage=pay(self.rng, 15, 30) if self.rng.random() < 0.5 else None,
            channel=self.channel(Batch.FLEXIBLE),
            source=weighted(self.rng, ((Source.VISIT, 60), (Source.SELF_REPORT, 40))),
            season=(4, 10) if seasonal else None,
            note=work,
        )

    def business(self, worker: Worker, *, trained: bool) -> Job:
        head = worker.member.name[0]
        name = f"开原市{worker.township.name}{head}记{self.rng.choice(BUSINESSES)}"
        batch = Batch.TRAINING if trained else Batch.FLEXIBLE
        return Job(
            job_type=JobType.SELF_EMPLOYED,
            batch=batch,
            place_category=IN,
            place=f"开原市{worker.township.name}",
            employer=name,
            employer_uscc=credit_code(self.rng, "92", COUNTY_DIVISION, self.codes_used),
            channel=self.channel(Batch.FLEXIBLE),
            source=weighted(self.rng, ((Source.VISIT, 70), (Source.SELF_REPORT, 30))),
        )

    def new_job(self, worker: Worker, year: int, start: datetime.date) -> Job:
        """A job the person takes from ``start``: weak labour stays near home (a weak worker
        outside the province is an EMP-4 flag); after a finished course most jobs are counted
        under the training batch."""
        rng = self.rng
        trained = worker.trained_by(start) and (not self.trained_jobs or rng.random() < 0.75)
        near = worker.weak or worker.age(year) > 55
        wish = next((w for w in self.wishes if not (near and w[0] == "out")), None)
        if wish is not None:  # every kind of job once first, so a small county has them all
            self.wishes.remove(wish)
            kind, batch = wish
        elif near:
            kind, batch = (
                weighted(rng, (("county", 35), ("province", 15), ("flexible", 40), ("own", 10))),
                "",
            )
        else:
            kind, batch = (
                weighted(
                    rng,
                    (("out", 27), ("province", 27), ("county", 24), ("flexible", 14), ("own", 8)),
                ),
                "",
            )
        if trained:
            self.trained_jobs += 1
        if kind == "own":
            return self.business(worker, trained=trained)
        if kind == "flexible":
            return self.flexible_job(worker)
        category = {"out": OUT, "province": PROVINCE, "county": IN}[kind]
        return self.wage_job(worker, category, batch=Batch.TRAINING if trained else batch)

    def registry_job(self, worker: Worker) -> Job:
        """The job the registry records: its place, and its channel where it has one."""
        place = worker.registry_place
        channel = worker.member.employment_channel
        if channel == "自主就业":
            return replace(self.flexible_job(worker, place=place), channel=channel)
        if place in PLACES:
            category = PLACES[place][0]
            job = self.wage_job(worker, category, city=place)
        else:
            job = self.wage_job(worker, IN, city=place if place.startswith("开原市") else "")
        if worker.weak and job.place_category == OUT:
            job = self.wage_job(worker, PROVINCE)
        return replace(job, channel=channel) if channel in self.channels else job

    def graduate_job(self, worker: Worker) -> Job:
        """A graduate of a 脱贫 family: where the registry says they work, else in a city."""
        if worker.registry_place:
            job = replace(self.registry_job(worker), channel="")
            batch = Batch.GRADUATES
            return replace(job, batch=batch, channel=self.channel(batch))
        category = OUT if self.rng.random() < 0.4 and not worker.weak else PROVINCE
        city = "沈阳市" if category == PROVINCE and self.rng.random() < 0.6 else ""
        job = self.wage_job(worker, category, city=city, batch=Batch.GRADUATES)
        return replace(job, wage=pay(self.rng, 45, 85))

    # ---- a year of a job -------------------------------------------------------------------

    def season_days(self, job: Job, year: int) -> tuple[datetime.date, datetime.date]:
        first, last = job.season
        start = datetime.date(year, first, self.rng.randint(1, 20))
        end = datetime.date(year, last, self.rng.randint(10, 28))
        return start, end

    def work_year(self, worker: Worker, job: Job, year: int, start: datetime.date, *, churn=True):
        """The records of ``job`` in ``year`` from ``start`` (1 January for a job that goes on,
        the season's start for a seasonal one); the job the person has at the year's end, if
        any (a seasonal job comes back next spring)."""
        rng = self.rng
        if job.season:
            season_start, season_end = self.season_days(job, year)
            begins = max(start, season_start)
            if begins >= season_end:
                return job
            self.record(worker, job, begins, season_end)
            if rng.random() < 0.2 and season_end + 40 * DAY < year_end(year):
                # Work after the season: the winter's odd jobs in the county.
                after = season_end + rng.randint(10, 30) * DAY
                winter = replace(self.flexible_job(worker), season=None, note="冬闲期间打零工")
                self.record(worker, winter, after, year_end(year))
            return job if rng.random() < 0.88 else None
        if churn and rng.random() < 0.1 and start + 70 * DAY < datetime.date(year, 11, 30):
            leaves = start + rng.randint(60, (datetime.date(year, 11, 30) - start).days) * DAY
            self.record(worker, job, start, leaves)
            if rng.random() < 0.55:
                again = leaves + rng.randint(15, 60) * DAY
                if again.year == year:
                    other = self.new_job(worker, year, again)
                    return self.work_year(worker, other, year, again, churn=False)
            return None
        self.record(worker, job, start, year_end(year))
        return job

    # ---- everyone else's jobs -------------------------------------------------------------

    def free_jobs(self) -> None:
        rng = self.rng
        self.wishes = list(WISHES)
        self.trained_jobs = 0
        for worker in self.workers:
            if worker.role:
                continue
            job, start = None, datetime.date(YEARS[0], 1, 1)
            if worker.graduate:
                job = self.graduate_job(worker)
                graduated = max(YEARS[0], worker.born + 22)
                if graduated > YEARS[0] or rng.random() < 0.3:
                    start = datetime.date(graduated, 7, rng.randint(1, 20))
            elif worker.registry_place and worker.age(YEARS[0]) >= 18:
                job = self.registry_job(worker)
            elif 18 <= worker.age(YEARS[0]) <= LAST_AGE and rng.random() < (
                (0.62 if worker.weak else 0.82) * (0.6 if worker.courses else 1)
            ):
                job = self.new_job(worker, YEARS[0], start)
            for year in YEARS:
                if datetime.date(year, 1, 1) > self.today:
                    break
                if not 18 <= worker.age(year) <= LAST_AGE:
                    job = None
                    continue
                if job is not None:
                    if start.year <= year:
                        job = self.work_year(
                            worker, job, year, max(start, datetime.date(year, 1, 1))
                        )
                    continue
                course = next((end for end in sorted(worker.courses) if end.year == year), None)
                if rng.random() < (0.8 if course else 0.35):
                    begins = (course or datetime.date(year, 1, 20)) + rng.randint(7, 70) * DAY
                    if course is None:
                        begins += rng.randint(0, 200) * DAY
                    if begins.year == year and begins <= self.today:
                        job = self.work_year(
                            worker, self.new_job(worker, year, begins), year, begins
                        )

    # ---- EMP-4 ------------------------------------------------------------------------------

    def without_labour(self) -> None:
        """A few people registered 丧失劳动力 recorded as working (EMP-4): those the registry
        says work away first; half of them already reviewed by the township."""
        wanted = emp_4_cases_for(self.context.households)
        year = self.today.year
        candidates = list(
            Member.objects.active()
            .filter(population_q("household__"), labour_skill=LabourSkill.LOST)
            .filter(birth_date__year__gte=year - 64, birth_date__year__lte=year - 20)
            .select_related("household__grid")
            .order_by("-work_months", "household__household_number", "person_number")[: wanted * 3]
        )
        chosen = candidates[: wanted // 2] + self.rng.sample(
            candidates[wanted // 2 :], min(wanted - wanted // 2, len(candidates[wanted // 2 :]))
        )
        for number, member in enumerate(chosen):
            village = self.villages[member.household.area_id]
            worker = Worker(member, village, village.parent)
            if worker.registry_place:
                job = self.registry_job(worker)
            else:
                job = replace(self.flexible_job(worker), season=None)
            start = datetime.date(year, self.rng.randint(3, 6), self.rng.randint(1, 28))
            # The first waits for the township's check, the second has been checked, and so on.
            note = REVIEW_NOTES[number // 2 % len(REVIEW_NOTES)] if number % 2 else ""
            if self.record(worker, job, start, None, flagged=True, reviewed=note):
                self.flagged_ids.add(member.pk)
        self.counts["EMP-4 cases"] = len(self.flagged_ids)

    # ---- written together -----------------------------------------------------------------

    def write_records(self) -> None:
        self.record_table.insert(self.records)
        by_year: dict[int, int] = {}
        for row in self.records:
            by_year[row.year] = by_year.get(row.year, 0) + 1
        for year, count in sorted(by_year.items()):
            self.counts[f"records {year}"] = count
        self.counts["transport subsidies"] = sum(
            1 for row in self.records if row.transport_subsidy is not None
        )


RECORD_FIELDS = list(JobDetails.__dataclass_fields__)


def plain(value):
    """A code table's value as the plain string the database takes (psycopg's COPY would write
    an enum member's name)."""
    return value.value if isinstance(value, enum.Enum) else value


def two_jobs(records) -> int:
    """People with two records or more in a year."""
    seen, twice = set(), set()
    for row in records:
        key = (row.member_id, row.year)
        (twice if key in seen else seen).add(key)
    return len(twice)
