"""Demo data of the monitoring grid, for ``manage.py seed_demo --households N --seed S``.

What it makes, spread unevenly over the demo villages: N households (about 10 % 脱贫户, a few %
monitored households of the three categories, about 1 % flagged for attention), their members
(1–6, about 2.8 on average) with valid, encrypted ID numbers, two years of annual income records
for 脱贫户 and monitored households, production and living conditions for some, the 三保障 checks
of the identification and elimination of monitored households, and 24 months of village-level
(monthly) and township-level (quarterly) visits to the households the grid must visit, with a few
visits that found a new risk and opened a risk lead. A few data-quality problems are made on
purpose (``DELIBERATE_PROBLEMS``) so that the data-quality pages have something to show.

Determinism: every random choice comes from ``context.random``, so the same seed gives the same
data **on the same day**. Dates are relative to ``kaiyuan.common.dates.today()`` (ages, visit
months, identification and elimination dates, the income years) so that the demo always looks
current; seeded on another day, the same households shift in time. ID numbers, their masks and
blind indexes are the same for a seed; only the ciphertexts differ (Fernet adds a random IV),
and they decrypt to the same numbers.

Speed: rows are built as plain dicts and written in batches of ``BATCH`` rows by ``Table``
(COPY on PostgreSQL, ``executemany`` on SQLite; see there why not ``bulk_create``); no per-row
service is called and no audit row is written (the seed is one transaction, logged by the
command). The statistics of the filled tables are refreshed at the end.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import math
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import DateField, DecimalField, F, ProtectedError
from django.utils import timezone

from kaiyuan.areas.models import Area, Grid
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common import dates, pii
from kaiyuan.common.idcard import build_id_number, mask_id_number
from kaiyuan.demo.villages import SURNAMES, given_name
from kaiyuan.policy.models import PolicySettings
from monitoring.codes import (
    HAS_LABOUR,
    DevMeasureState,
    Education,
    EliminationMode,
    ExitedAttribute,
    Health,
    HouseholdType,
    IdType,
    LabourSkill,
    MonitoringCategory,
    Relation,
    Schooling,
    Sex,
)
from monitoring.models import (
    CodeItem,
    GuaranteeCheck,
    Household,
    IncomeRecord,
    LivingCondition,
    Member,
    RiskLead,
    Visit,
)
from monitoring.models.codes import INITIAL
from monitoring.rules.incomes import income_compute
from monitoring.rules.visits import refresh_visit_counts

BATCH = 5000
# 户编号 = village code (12 digits) + serial: 16 digits in all (see _household_numbers).
HOUSEHOLD_SERIAL_DIGITS = 4
HOUSEHOLD_NUMBER_LENGTH = 12 + HOUSEHOLD_SERIAL_DIGITS
CENT = Decimal("0.01")
YUAN = Decimal("1")

# Demo monitoring lines (yuan per person per year), NOT Liaoning's: the province's figures were
# not found (DOMAIN.md §10 Q-1). 7,000 in 2024, then 300 more each year (2025: 7,300; 2026:
# 7,600), so that the income pages can compare households with a line in the demo.
DEMO_LINE_2024 = Decimal("7000")
DEMO_LINE_STEP = Decimal("300")

# The data-quality problems made on purpose, after everything else is seeded, so that the
# data-quality pages and exports have rows to show. Rule id -> how many rows break it. Only rules
# of flag severity (to be checked, not wrong): the demo passes its own data-quality page without
# an error, as a county's data should before it is reported.
DELIBERATE_PROBLEMS = {
    # Healthy 脱贫 members aged 25-50, not at school, recorded as weak labour (flag).
    "MON-DQ-10": 2,
    # Members working away recorded as having lost their labour ability (flag).
    "MON-DQ-11": 2,
    # A member's phone number with 10 digits (flag).
    "MON-DQ-PHONE": 1,
    # A household whose 家庭人口数 is one more than its current members (flag).
    "MON-DQ-SIZE": 1,
}

# ---- people --------------------------------------------------------------------------------
HOUSEHOLD_SIZES = ((1, 14), (2, 34), (3, 24), (4, 16), (5, 8), (6, 4))  # mean ≈ 2.8
ADDRESS_CODES = (
    # Mostly Kaiyuan; some Tieling's 银州区; some elsewhere in Liaoning.
    (("211282",), 85),
    (("211202",), 5),
    (("211221", "211223", "211224", "211281", "210102", "210106", "210381", "211302"), 10),
)
ETHNICITIES = (
    ("汉族", 800),
    ("满族", 150),
    ("蒙古族", 20),
    ("回族", 15),
    ("朝鲜族", 10),
    ("锡伯族", 5),
)
WORK_PLACES = (
    # 县内务工, 省内县外务工, 省外务工 (DOMAIN.md §6.3).
    (("开原市", "开原市经济开发区", "开原市城区"), 40),
    (("铁岭市", "沈阳市", "大连市", "抚顺市", "鞍山市"), 35),
    (("北京市", "天津市", "山东省青岛市", "江苏省苏州市", "浙江省宁波市", "河北省廊坊市"), 25),
)
EMPLOYERS = ("建筑工地", "农业合作社", "物流公司", "食品加工厂", "服装厂", "家政服务", "")
HELPER_UNITS = (
    "开原市乡村振兴局",
    "开原市农业农村局",
    "开原市财政局",
    "开原市人力资源和社会保障局",
    "开原市教育局",
    "开原市卫生健康局",
    "开原市住房和城乡建设局",
)
VISIT_NOTES = (
    "家中一切正常",
    "宣传防返贫监测政策",
    "了解务工情况",
    "核实家庭收入情况",
    "提醒按时缴纳医保",
    "查看住房和饮水情况",
)
NEW_RISK_NOTES = (
    "家庭成员突发重病住院，医疗支出较大",
    "主要劳动力务工收入大幅减少",
    "房屋漏雨，需要维修",
    "因灾农作物减产",
    "子女上学支出增加",
)
# Risk types with the weight of each in the demo (values of the risk_type code table).
RISK_WEIGHTS = {
    "因病": 35,
    "因残": 15,
    "因学": 8,
    "因自然灾害": 5,
    "因意外事故": 6,
    "因产业项目失败": 5,
    "因务工就业不稳": 10,
    "缺劳动力": 8,
    "因安全住房": 3,
    "因安全饮水": 2,
    "其他": 3,
}

# ---- household roles: how many of each, as shares of N -------------------------------------
EXITED_SHARE = 0.10
UNSTABLE_SHARE_OF_EXITED = 0.08  # 脱贫不稳定户
SUDDEN_SHARE_OF_EXITED = 0.015  # 突发严重困难户 among 脱贫户
MARGINAL_SHARE_OF_ORDINARY = 0.02  # 边缘易致贫户
SUDDEN_SHARE_OF_ORDINARY = 0.004
FLAGGED_SHARE = 0.01
ELIMINATED_SHARE = 0.45  # of monitored households, when they have labour (MON-ELIM-3)

VILLAGE_VISIT_COMPLIANCE = 0.92
TOWNSHIP_VISIT_COMPLIANCE = 0.85
VISIT_MONTHS = 24
BEHIND_SHARE = 0.02
# Each village whose grid worker has a demo login (README.md) gets at least this many households,
# this many of them to visit (脱贫户 first), one of those overdue and two due (visited last month,
# not yet this month), whatever the day of the month: the worker's month list is never empty.
WORKER_VILLAGE_HOUSEHOLDS = 15
WORKER_VILLAGE_TO_VISIT = 6
WORKER_VILLAGE_DUE = 2


class Role:
    ORDINARY = 0
    EXITED = 1
    UNSTABLE = 2  # 脱贫户, 脱贫不稳定户
    EXITED_SUDDEN = 3  # 脱贫户, 突发严重困难户
    MARGINAL = 4  # 一般农户, 边缘易致贫户
    ORDINARY_SUDDEN = 5  # 一般农户, 突发严重困难户
    FLAGGED = 6  # 一般农户 flagged for attention


EXITED_ROLES = {Role.EXITED, Role.UNSTABLE, Role.EXITED_SUDDEN}
CATEGORY_OF_ROLE = {
    Role.UNSTABLE: MonitoringCategory.UNSTABLE,
    Role.EXITED_SUDDEN: MonitoringCategory.SUDDEN,
    Role.MARGINAL: MonitoringCategory.MARGINAL,
    Role.ORDINARY_SUDDEN: MonitoringCategory.SUDDEN,
}


# =============================================================================================
# Fast bulk inserts
# =============================================================================================


class Row(dict):
    """A row being built: the column values of one model instance (by attname), read and set as
    attributes. Much cheaper than a model instance, of which the seed makes about a million."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


class Table:
    """Bulk inserts of one model's rows, BATCH rows at a time: COPY on PostgreSQL, one
    ``executemany`` elsewhere. Ids are reserved before the insert (from the table's sequence on
    PostgreSQL) so that rows can point at each other in the same batch.

    Why not ``bulk_create``: it prepares every value through the field API (about 10 µs a value
    here) and needs a model instance per row (about 50 µs). Seeding 10,000 households that way
    took 40 s on PostgreSQL, eight minutes projected for 120,000; this writer seeds 120,000 in
    under three. Values here are already what the database takes (str, int, bool, Decimal,
    date), so only dates, datetimes and decimals go through the field's ``get_db_prep_save``,
    for the database's own format.
    """

    def __init__(self, model, *, now: datetime.datetime) -> None:
        meta = model._meta
        self.model = model
        self.fields = list(meta.concrete_fields)
        self.pk = meta.pk.attname
        self.template: dict[str, Any] = {}
        for f in self.fields:
            if f.primary_key:
                self.template[f.attname] = None
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.template[f.attname] = now
            else:
                self.template[f.attname] = f.get_default()
        self.prepare = [
            (f.attname, _memoised(f) if isinstance(f, DateField | DecimalField) else None)
            for f in self.fields
        ]
        self.next_id: int | None = None

    def row(self, **values: Any) -> Row:
        unknown = values.keys() - self.template.keys()
        if unknown:
            raise TypeError(f"{self.model.__name__} has no {sorted(unknown)}")
        row = Row(self.template)
        row.update(values)
        return row

    def reserve_ids(self, rows: list[Row]) -> None:
        if not rows:
            return
        table, pk = self.model._meta.db_table, self.model._meta.pk.column
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, pk, len(rows)],
                )
                ids = [row[0] for row in cursor.fetchall()]
            else:
                if self.next_id is None:
                    cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {table}")  # noqa: S608
                    self.next_id = cursor.fetchone()[0] + 1
                ids = list(range(self.next_id, self.next_id + len(rows)))
                self.next_id += len(rows)
        for row, pk_value in zip(rows, ids, strict=True):
            row[self.pk] = pk_value

    def insert(self, rows: list[Row]) -> None:
        if not rows:
            return
        if rows[0][self.pk] is None:
            self.reserve_ids(rows)
        width = len(self.template)
        values = []
        for row in rows:
            if len(row) != width:  # an attribute set by a typo
                raise TypeError(
                    f"{self.model.__name__} has no {sorted(row.keys() - self.template)}"
                )
            values.append(
                tuple(
                    row[name] if prepare is None else prepare(row[name])
                    for name, prepare in self.prepare
                )
            )
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        with connection.cursor() as cursor:
            for start in range(0, len(values), BATCH):
                chunk = values[start : start + BATCH]
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for value in chunk:
                            copy.write_row(value)
                else:
                    marks = ", ".join(["%s"] * len(self.fields))
                    cursor.executemany(
                        f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                        chunk,
                    )


@dataclass
class Person:
    """A member being built, with what the later steps need to know about them."""

    member: Row
    age: int
    student: bool = False


@dataclass
class Plan:
    """One household being built and everything that hangs off it."""

    household: Row
    people: list[Person]
    role: int
    township: Area
    clerk_id: int
    village_visitor_id: int
    in_scope: bool = False
    visits_from: datetime.date | None = None
    behind: bool = False  # no village-level visit last month nor this month: overdue
    due: bool = False  # visited last month, not yet this month: due


@dataclass
class Counts:
    households: int = 0
    members: int = 0
    incomes: int = 0
    conditions: int = 0
    checks: int = 0
    visits: int = 0
    leads: int = 0


# =============================================================================================
# Entry point
# =============================================================================================


def seed(context) -> None:
    """Seed the monitoring grid (see the module docstring)."""
    started = time.perf_counter()
    seed_policy_lines(dates.today())
    if context.households <= 0:
        return
    builder = Builder(context)
    builder.run()
    # The visits were written in bulk: count them as the daily sweep would.
    refresh_visit_counts(Household.objects.current(), today=dates.today())
    context.made["households"] = builder.counts.households
    counts = builder.counts
    context.log(
        f"monitoring: {counts.households} households, {counts.members} members, "
        f"{counts.incomes} income records, {counts.conditions} living conditions, "
        f"{counts.checks} guarantee checks, {counts.visits} visits, {counts.leads} risk leads "
        f"in {time.perf_counter() - started:.1f} s (ID encryption {builder.crypto_seconds:.1f} s)"
    )


def seed_policy_lines(today: datetime.date) -> None:
    """Give 2024 up to the current year a DEMO monitoring line (see DEMO_LINE_2024), flagged as
    demonstration values (``demo_values``) so that every page showing it says 演示数据: 2024's
    row comes from the migrations; later years copy its values. A line already entered stays."""
    base = PolicySettings.objects.filter(year=2024).first()
    if base is None:
        base = PolicySettings.defaults_for(2024)
        base.save()
    copied = {
        f.attname: getattr(base, f.attname)
        for f in PolicySettings._meta.concrete_fields
        if f.name
        not in {"id", "year", "monitoring_line", "demo_values", "updated_at", "updated_by"}
    }
    for year in range(min(2024, today.year - 2), max(today.year, 2026) + 1):
        line = DEMO_LINE_2024 + DEMO_LINE_STEP * (year - 2024)
        policy = PolicySettings.objects.filter(year=year).first()
        if policy is None:
            values = dict(copied)
            if base.library_deadline is not None:
                values["library_deadline"] = base.library_deadline.replace(year=year)
            PolicySettings.objects.create(
                year=year, monitoring_line=line, demo_values=True, **values
            )
        elif policy.monitoring_line is None:
            PolicySettings.objects.filter(pk=policy.pk).update(
                monitoring_line=line, demo_values=True
            )


def reference_models(label: str) -> list:
    """The models of app ``label`` that are reference lists, kept by a reset (``REFERENCE``)."""
    return list(getattr(import_module(f"{label}.models"), "REFERENCE_MODELS", ()))


def delete_all() -> None:
    """Delete every monitoring row except the code tables, and the rows of the apps that point
    at households (the project library's beneficiaries, the linkage funds, the asset ledger,
    employment), except their reference lists (for tests that reseed, and for resetting a demo
    database), and the audit trail with them. seed_demo never calls it."""
    from assets.demo.ledger import delete_all as delete_assets
    from employment.demo.employment import delete_all as delete_employment
    from funds.demo.funds import delete_all as delete_funds

    # Employment points at members and at the assets' PV stations (its posts' pay passes the
    # database's guard only inside the ledger's purge); the asset ledger at projects, placements
    # and households; the linkage funds at projects and households, and their money rows pass
    # the guard only inside the purge too.
    delete_employment()
    delete_assets()
    delete_funds()
    keep = {CodeItem, *reference_models("projects")}
    models = [
        model
        for label in ("projects", "monitoring")
        for model in apps.get_app_config(label).get_models()
        if model not in keep
    ]
    # Rows protect each other (visits ← leads ← cases ...): delete what can go, then repeat.
    for _attempt in range(len(models) + 1):
        remaining = []
        for model in models:
            try:
                with transaction.atomic():
                    model.objects.all().delete()
            except (ProtectedError, IntegrityError):
                remaining.append(model)
        if not remaining:
            # The steps the demo's projects took name their villages in the audit trail.
            AuditEvent.objects.all().delete()
            return
        models = remaining
    raise RuntimeError(f"cannot delete {[m.__name__ for m in models]}")


# =============================================================================================
# The builder
# =============================================================================================


class Builder:
    def __init__(self, context) -> None:
        self.context = context
        self.rng = context.random
        self.today = dates.today()
        self.counts = Counts()
        self.crypto_seconds = 0.0
        self.id_sequences: dict[tuple[str, datetime.date, str], int] = defaultdict(int)
        self.band_turn = 0
        self.behind = 0
        self.new_risks = 0
        self.year_latest = self.today.year - 1
        self.years = (self.today.year - 2, self.year_latest)
        self.window_start = dates.add_months(self.today.replace(day=1), -(VISIT_MONTHS - 1))
        self.lines = {
            year: PolicySettings.objects.get(year=year).monitoring_line
            for year in (*self.years, self.today.year)
        }
        self.verification_days: dict[int, int] = {}
        self.evenings: dict[datetime.date, datetime.datetime] = {}
        now = timezone.now()
        self.tables = {
            model: Table(model, now=now)
            for model in (
                Household,
                Member,
                IncomeRecord,
                LivingCondition,
                GuaranteeCheck,
                Visit,
                RiskLead,
            )
        }
        # The households were "registered" three years ago, as if imported from the national
        # system when the platform started; a record created today could not have missed last
        # month's visit (monitoring.visits), and no demo household would ever be overdue.
        self.registered = timezone.make_aware(
            datetime.datetime.combine(
                dates.add_months(self.today, -36).replace(day=1), datetime.time(9)
            )
        )
        self._load_references()

    # ---- references ----------------------------------------------------------------------

    def _load_references(self) -> None:
        villages = self.context.made.get("villages") or list(
            Area.objects.villages().order_by("code")
        )
        self.villages = sorted(villages, key=lambda v: v.code)
        self.townships = {a.pk: a for a in Area.objects.filter(level=Area.Level.TOWNSHIP)}
        self.groups: dict[int, list[Area]] = defaultdict(list)
        for group in Area.objects.filter(level=Area.Level.GROUP).order_by("code"):
            self.groups[group.parent_id].append(group)
        # Reloaded rather than taken from context.made["grids"]: the users' seeder assigns the
        # grid workers after the villages' seeder listed the grids.
        self.grids: dict[int, list[Grid]] = defaultdict(list)
        for grid in Grid.objects.order_by("area__code", "name"):
            self.grids[grid.area_id].append(grid)
        self.worker_villages = {
            area_id for area_id, grids in self.grids.items() if any(g.worker_id for g in grids)
        }
        # Per worker village: how many of its households were made overdue and due on purpose.
        self.made_behind: dict[int, int] = defaultdict(int)
        self.made_due: dict[int, int] = defaultdict(int)
        users = self.context.made.get("users") or {}
        fallback = users.get("bureau") or next(iter(users.values()), None)
        if fallback is None:
            from kaiyuan.accounts.models import User

            fallback = User.objects.order_by("pk").first()
        if fallback is None:
            raise RuntimeError("seed the demo users before the monitoring grid")
        self.clerk_of_township = {
            pk: (users.get(f"clerk_{township.code}") or fallback).pk
            for pk, township in self.townships.items()
        }
        self.risk_types = [
            value
            for value in (CodeItem.objects.values_of("risk_type") or INITIAL["risk_type"])
            if value in RISK_WEIGHTS
        ]
        self.subitems = CodeItem.objects.values_of("disaster_subitem") or list(
            INITIAL["disaster_subitem"]
        )
        self.causes = CodeItem.objects.values_of("poverty_cause") or list(INITIAL["poverty_cause"])
        self.welfare_jobs = CodeItem.objects.values_of("welfare_job_type") or list(
            INITIAL["welfare_job_type"]
        )
        self.channels = CodeItem.objects.values_of("employment_channel") or list(
            INITIAL["employment_channel"]
        )

    # ---- the run -------------------------------------------------------------------------

    def run(self) -> None:
        roles = self._roles(self.context.households)
        per_village = self._village_sizes(self.context.households)
        self._favour_worker_villages(roles, per_village)
        pending: list[Plan] = []
        index = 0
        for village, count in zip(self.villages, per_village, strict=True):
            numbers = self._household_numbers(village, count)
            for number in numbers:
                pending.append(self._household(village, number, roles[index]))
                index += 1
                if len(pending) >= BATCH:
                    self._flush(pending)
                    pending = []
        if pending:
            self._flush(pending)
        self._deliberate_problems()
        self._analyze()

    def _analyze(self) -> None:
        """Refresh the planner's statistics of the tables just filled: without them, the first
        queries after a large seed (benchmarks, the first page) choose plans made for empty
        tables and take seconds instead of milliseconds."""
        with connection.cursor() as cursor:
            for model in self.tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    def _roles(self, total: int) -> list[int]:
        """Exact shares (not independent draws), so that even a small demo has each kind."""
        exited = round(total * EXITED_SHARE)
        ordinary = total - exited
        unstable = max(round(exited * UNSTABLE_SHARE_OF_EXITED), 1 if exited >= 5 else 0)
        exited_sudden = round(exited * SUDDEN_SHARE_OF_EXITED)
        marginal = max(round(ordinary * MARGINAL_SHARE_OF_ORDINARY), 1 if ordinary >= 20 else 0)
        ordinary_sudden = round(ordinary * SUDDEN_SHARE_OF_ORDINARY)
        flagged = round(total * FLAGGED_SHARE)
        roles = (
            [Role.UNSTABLE] * unstable
            + [Role.EXITED_SUDDEN] * exited_sudden
            + [Role.EXITED] * (exited - unstable - exited_sudden)
            + [Role.MARGINAL] * marginal
            + [Role.ORDINARY_SUDDEN] * ordinary_sudden
            + [Role.FLAGGED] * flagged
        )
        roles += [Role.ORDINARY] * (total - len(roles))
        self.rng.shuffle(roles)
        return roles

    def _village_sizes(self, total: int) -> list[int]:
        """Uneven village sizes (log-normal weights; residents' committees are small)."""
        weights = []
        for village in self.villages:
            weight = self.rng.lognormvariate(0, 0.5)
            if village.kind == Area.Kind.RESIDENTS_COMMITTEE:
                weight *= 0.3
            weights.append(weight)
        scale = total / sum(weights)
        exact = [w * scale for w in weights]
        sizes = [int(x) for x in exact]
        short = total - sum(sizes)
        by_remainder = sorted(range(len(exact)), key=lambda i: (sizes[i] - exact[i], i))
        for i in by_remainder[:short]:
            sizes[i] += 1
        return sizes

    def _favour_worker_villages(self, roles: list[int], sizes: list[int]) -> None:
        """Make the villages of the demo grid workers big enough, with enough households to
        visit (WORKER_VILLAGE_*), by moving households from the largest other villages and
        swapping roles with households elsewhere: the county's totals stay as they were. A small
        demo shares what it has."""
        workers = [i for i, v in enumerate(self.villages) if v.pk in self.worker_villages]
        if not workers:
            return
        total = len(roles)
        size = min(WORKER_VILLAGE_HOUSEHOLDS, total // (3 * len(workers)))
        for i in workers:
            while sizes[i] < size:
                donor = max(
                    (j for j in range(len(sizes)) if j not in workers), key=lambda j: sizes[j]
                )
                if not sizes[donor]:
                    break
                sizes[donor] -= 1
                sizes[i] += 1
        starts = list(itertools.accumulate([0, *sizes]))
        inside = {k for i in workers for k in range(starts[i], starts[i + 1])}
        in_scope = [k for k, role in enumerate(roles) if _in_scope(role)]
        wanted = max(2, min(WORKER_VILLAGE_TO_VISIT, len(in_scope) // (2 * len(workers))))
        # 脱贫户 first: they have been visited for years, so one of them can be overdue.
        spare = sorted(
            (k for k in in_scope if k not in inside),
            key=lambda k: (roles[k] != Role.EXITED, k),
            reverse=True,
        )
        for i in workers:
            slots = range(starts[i], starts[i + 1])
            have = sum(1 for k in slots if _in_scope(roles[k]))
            exited = any(roles[k] == Role.EXITED for k in slots)
            for k in slots:
                if (have >= wanted and exited) or not spare:
                    break
                if roles[k] == Role.ORDINARY:
                    other = spare.pop()
                    exited = exited or roles[other] == Role.EXITED
                    roles[k], roles[other] = roles[other], roles[k]
                    have += 1

    def _household_numbers(self, village: Area, count: int) -> list[str]:
        """户编号: the 12-digit village code and a 4-digit serial, 16 digits as the national system
        issues them (and as its export, imported by monitoring.imports.households, carries them),
        rising with small gaps. A village too large for gaps gets consecutive serials."""
        room = 10**HOUSEHOLD_SERIAL_DIGITS - 1
        if count > room:
            raise ValueError(f"{village.code}: {count} households do not fit 4-digit serials")
        gaps = (1, 1, 1, 2, 3) if 30 + 3 * count <= room else (1,)
        serial = self.rng.randint(1, 30) if len(gaps) > 1 else 1
        numbers = []
        for _ in range(count):
            numbers.append(f"{village.code}{serial:0{HOUSEHOLD_SERIAL_DIGITS}d}")
            serial += self.rng.choice(gaps)
        return numbers

    # ---- one household -------------------------------------------------------------------

    def _household(self, village: Area, number: str, role: int) -> Plan:
        rng = self.rng
        township = self.townships[village.parent_id]
        groups = self.groups.get(village.pk) or []
        grids = self.grids.get(village.pk) or []
        group = rng.choice(groups) if groups else None
        grid = rng.choice(grids) if grids else None
        clerk_id = self.clerk_of_township[township.pk]
        exited = role in EXITED_ROLES
        household = self.tables[Household].row(
            household_number=number,
            area_id=village.pk,
            group_id=group.pk if group else None,
            grid_id=grid.pk if grid else None,
            household_type=HouseholdType.EXITED if exited else HouseholdType.ORDINARY,
            address=f"{township.name}{village.name}{group.name if group else ''}"
            f"{rng.randint(1, 120)}号",
            natural_village=f"{rng.choice(SURNAMES)}家屯" if rng.random() < 0.4 else "",
            flagged_for_attention=role == Role.FLAGGED,
            military_family=rng.random() < 0.01,
            created_at=self.registered,
            updated_at=self.registered,
        )
        if exited:
            household.exited_attribute = _weighted(
                rng,
                (
                    (ExitedAttribute.GENERAL, 70),
                    (ExitedAttribute.DIBAO, 22),
                    (ExitedAttribute.TEKUN, 8),
                ),
            )
            household.poverty_cause = rng.choice(self.causes)
            household.first_identified_on = _random_date(
                rng, datetime.date(2014, 3, 1), datetime.date(2016, 12, 31)
            )
        plan = Plan(
            household=household,
            people=[],
            role=role,
            township=township,
            clerk_id=clerk_id,
            village_visitor_id=(grid.worker_id if grid and grid.worker_id else clerk_id),
        )
        plan.people = self._members(plan)
        if role in CATEGORY_OF_ROLE:
            self._monitoring(plan)
        household.head_name = plan.people[0].member.name
        household.household_size = len(plan.people)
        head = plan.people[0].member
        household.phone = head.phone or _phone(rng)
        household.whole_household_no_labour = exited and not _has_labour(plan.people)
        plan.in_scope = _in_scope(role)
        if plan.in_scope:
            plan.visits_from = self.window_start
            if not exited and household.risk_identified_on and role != Role.FLAGGED:
                plan.visits_from = max(self.window_start, household.risk_identified_on)
            # A few households fell behind: not visited last month and not yet this month, so
            # the lists show some overdue whatever the day (the first one makes sure of it).
            long_enough = plan.visits_from <= dates.add_months(self.today, -3)
            worker_village = village.pk in self.worker_villages
            if long_enough and worker_village and not self.made_behind[village.pk]:
                plan.behind = True
                self.made_behind[village.pk] += 1
            elif long_enough and (self.behind == 0 or rng.random() < BEHIND_SHARE):
                plan.behind = True
            elif long_enough and worker_village and self.made_due[village.pk] < WORKER_VILLAGE_DUE:
                plan.due = True
                self.made_due[village.pk] += 1
            self.behind += plan.behind
        return plan

    def _monitoring(self, plan: Plan) -> None:
        """Category (MON-CAT-1 by construction), 1-3 risks consistent with the members
        (MON-RISK-1/4), identification and, for some, elimination dates and mode."""
        rng, household = self.rng, plan.household
        household.monitoring_category = CATEGORY_OF_ROLE[plan.role]
        risks = self._risks(plan)
        for slot, risk in enumerate(risks, start=1):
            setattr(household, f"risk_{slot}", risk)
        if "因自然灾害" in risks:
            household.disaster_subitem = rng.choice(self.subitems)
        # Decided by the county, so on a working day (monitoring.demo.cases dates the case).
        identified = _working_day_on_or_before(
            _random_date(rng, dates.add_months(self.today, -48), dates.add_months(self.today, -2))
        )
        household.risk_identified_on = identified
        if household.household_type == HouseholdType.ORDINARY:
            household.first_identified_on = identified
        head = plan.people[0].member
        household.monitoring_contact = head.name
        household.monitoring_contact_phone = head.phone or _phone(rng)
        household.helper_name = _name(rng, rng.choice((Sex.MALE, Sex.FEMALE)))
        household.helper_unit = rng.choice((*HELPER_UNITS, f"{plan.township.name}人民政府"))
        household.helper_phone = _phone(rng)
        # The elimination case opens at least six months after identification (MON-ELIM-1) and
        # takes some weeks: it is decided seven months after at the earliest.
        may_eliminate = _has_labour(plan.people) and identified <= dates.add_months(self.today, -8)
        if may_eliminate and rng.random() < ELIMINATED_SHARE:
            household.monitoring_status = Household.MonitoringStatus.ELIMINATED
            household.elimination_mode = _weighted(
                rng, ((EliminationMode.ASSISTED, 70), (EliminationMode.NATURAL, 30))
            )
            household.risk_eliminated_on = _working_day_on_or_before(
                _random_date(rng, dates.add_months(identified, 7), dates.add_months(self.today, -1))
            )
            if household.elimination_mode == EliminationMode.ASSISTED:
                household.development_measures = DevMeasureState.IMPLEMENTED
            else:
                household.development_measures = rng.choice(
                    (DevMeasureState.IMPLEMENTED, DevMeasureState.NOT_YET)
                )
        else:
            household.monitoring_status = Household.MonitoringStatus.MONITORED
            household.development_measures = _weighted(
                rng, ((DevMeasureState.IMPLEMENTED, 75), (DevMeasureState.NOT_YET, 25))
            )
            household.dangerous_house = "因安全住房" in risks
            household.safe_drinking_water = "因安全饮水" not in risks

    def _risks(self, plan: Plan) -> list[str]:
        rng = self.rng
        people = plan.people
        students = [p for p in people if p.student]
        wanted = rng.choice((1, 1, 1, 2, 2, 3))
        candidates = dict(RISK_WEIGHTS)
        candidates = {k: v for k, v in candidates.items() if k in self.risk_types}
        if not students:
            candidates.pop("因学", None)
        risks: list[str] = []
        while len(risks) < wanted and candidates:
            risk = _weighted(rng, tuple(candidates.items()))
            candidates.pop(risk)
            risks.append(risk)
        if "因残" in risks:
            # MON-RISK-1: someone holds a disability certificate. Prefer someone other than the
            # household's labour, which MON-RISK-4 may need.
            others = [p for p in people[1:] if p.member.labour_skill not in HAS_LABOUR]
            self._make_disabled(rng.choice(others or people), certificate=True)
        if "因病" in risks and not any(
            Health.SERIOUS in p.member.health or Health.CHRONIC in p.member.health for p in people
        ):
            person = rng.choice(people)
            values = [v for v in _health_values(person.member) if v != Health.HEALTHY]
            person.member.health = ",".join([Health.SERIOUS, *values])
            self._labour_after_illness(person)
        if "因务工就业不稳" in risks and not _has_labour(people):
            risks.remove("因务工就业不稳")  # MON-RISK-4 needs a member with labour
        return risks or ["其他"]

    # ---- members -------------------------------------------------------------------------

    def _members(self, plan: Plan) -> list[Person]:
        rng = self.rng
        exited = plan.role in EXITED_ROLES
        tekun = plan.household.exited_attribute == ExitedAttribute.TEKUN
        size = 1 if tekun else _weighted(rng, HOUSEHOLD_SIZES)
        head_sex = Sex.MALE if rng.random() < 0.78 else Sex.FEMALE
        if tekun:
            head_age = rng.randint(60, 90)
        elif size == 1:
            head_age = rng.randint(45, 88)
        elif exited:
            head_age = rng.randint(40, 84)
        else:
            head_age = rng.randint(28, 80)
        surname = rng.choice(SURNAMES)
        specs: list[tuple[str, str, int, str]] = [  # (relation, sex, age, surname)
            (Relation.HEAD, head_sex, head_age, surname)
        ]
        slots = size - 1
        other_sex = Sex.FEMALE if head_sex == Sex.MALE else Sex.MALE
        family_surname = surname if head_sex == Sex.MALE else rng.choice(SURNAMES)
        if slots and rng.random() < 0.85:
            age = max(20, head_age + rng.randint(-5, 5))
            specs.append((Relation.SPOUSE, other_sex, age, rng.choice(SURNAMES)))
            slots -= 1
        if slots and head_age < 50 and rng.random() < 0.35:
            relation = Relation.MOTHER if rng.random() < 0.6 else Relation.FATHER
            sex = Sex.FEMALE if relation == Relation.MOTHER else Sex.MALE
            specs.append((relation, sex, min(96, head_age + rng.randint(22, 32)), surname))
            slots -= 1
        while slots:
            age = max(0, head_age - rng.randint(20, 42))
            sex = rng.choice((Sex.MALE, Sex.FEMALE))
            if sex == Sex.MALE:
                specs.append((Relation.SON, sex, age, family_surname))
            else:
                specs.append((Relation.DAUGHTER, sex, age, family_surname))
            slots -= 1
            if sex == Sex.MALE and age >= 24 and slots >= 1 and rng.random() < 0.6:
                wife_age = max(20, age + rng.randint(-4, 3))
                specs.append((Relation.DAUGHTER_IN_LAW, Sex.FEMALE, wife_age, rng.choice(SURNAMES)))
                slots -= 1
                while slots and age >= 22:
                    child_age = max(0, age - rng.randint(22, 32))
                    child_sex = rng.choice((Sex.MALE, Sex.FEMALE))
                    relation = (
                        Relation.GRANDSON if child_sex == Sex.MALE else Relation.GRANDDAUGHTER
                    )
                    specs.append((relation, child_sex, child_age, family_surname))
                    slots -= 1
        return [
            self._person(plan, position, *spec, exited=exited)
            for position, spec in enumerate(specs, start=1)
        ]

    def _person(
        self,
        plan: Plan,
        position: int,
        relation: str,
        sex: str,
        age: int,
        surname: str,
        *,
        exited: bool,
    ) -> Person:
        rng = self.rng
        number, birth = self._id_number(self._birth_date(age), sex)
        crypto = time.perf_counter()
        cipher, index = pii.encrypt(number), pii.blind_index(number)
        self.crypto_seconds += time.perf_counter() - crypto
        member = self.tables[Member].row(
            person_number=f"{plan.household.household_number}{position:02d}",
            name=_name(rng, sex, surname),
            sex=sex,
            birth_date=birth,
            id_cipher=cipher,
            id_index=index,
            id_masked=mask_id_number(number),
            relation=relation,
            ethnicity=_weighted(rng, ETHNICITIES),
        )
        person = Person(member=member, age=age)
        self._schooling(person)
        self._health(person, exited=exited)
        self._labour(person)
        self._work(person, exited=exited)
        self._insurance(person, plan, exited=exited)
        if age >= 25 and rng.random() < 0.04:
            member.political_status = "中共党员"
        elif person.student and 14 <= age <= 24 and rng.random() < 0.3:
            member.political_status = "共青团员"
        chance = 0.9 if relation == Relation.HEAD else 0.6 if member.work_months else 0
        if chance and rng.random() < chance:
            member.phone = _phone(rng)
        member.speaks_mandarin = not (age >= 80 and rng.random() < 0.1)
        return person

    def _birth_date(self, age: int) -> datetime.date:
        """A birth date that makes the person ``age`` today."""
        latest = _years_before(self.today, age)
        return latest - datetime.timedelta(days=self.rng.randint(0, 364))

    def _id_number(self, birth: datetime.date, sex: str) -> tuple[str, datetime.date]:
        """A valid number that no one else in the demo has: the sequence (digits 15-17, odd for
        men) counts up per address code and birth date, so it is unique by construction."""
        address = self.rng.choice(_weighted(self.rng, ADDRESS_CODES))
        # At most 500 people of one sex per address and day; beyond, the day before (the age
        # changes by a day at most, ages are whole years).
        while self.id_sequences[(address, birth, sex)] >= 500:
            birth -= datetime.timedelta(days=1)
        count = self.id_sequences[(address, birth, sex)]
        self.id_sequences[(address, birth, sex)] = count + 1
        sequence = count * 2 + (1 if sex == Sex.MALE else 0)
        return build_id_number(address, birth, sequence), birth

    def _schooling(self, person: Person) -> None:
        """Exactly one of education and current schooling (MON-DQ-4), by age."""
        rng, age, member = self.rng, person.age, person.member
        school = None
        if age <= 2:
            school = Schooling.PRESCHOOL_AGE
        elif age <= 5:
            school = Schooling.KINDERGARTEN if rng.random() < 0.9 else Schooling.PRESCHOOL_AGE
        elif age <= 11:
            school = Schooling.PRIMARY
        elif age <= 14:
            school = (Schooling.GRADE_7, Schooling.GRADE_8, Schooling.GRADE_9)[age - 12]
        elif age <= 17 and rng.random() < 0.85:
            year = age - 15
            if rng.random() < 0.65:
                school = (Schooling.HIGH_1, Schooling.HIGH_2, Schooling.HIGH_3)[year]
            else:
                school = (Schooling.VOC_1, Schooling.VOC_2, Schooling.VOC_3)[year]
        elif 18 <= age <= 21 and rng.random() < 0.35:
            year = age - 18
            if rng.random() < 0.6:
                school = (Schooling.UNI_1, Schooling.UNI_2, Schooling.UNI_3, Schooling.UNI_4)[year]
            else:
                school = (Schooling.HVOC_1, Schooling.HVOC_2, Schooling.HVOC_3, Schooling.HVOC_3)[
                    year
                ]
        if school is not None:
            member.schooling = school
            person.student = True
            return
        if age < 22:
            member.education = _weighted(rng, ((Education.JUNIOR, 55), (Education.SENIOR, 45)))
        elif age < 35:
            member.education = _weighted(
                rng,
                (
                    (Education.JUNIOR, 45),
                    (Education.SENIOR, 30),
                    (Education.COLLEGE, 15),
                    (Education.BACHELOR, 10),
                ),
            )
        elif age < 55:
            member.education = _weighted(
                rng,
                (
                    (Education.PRIMARY, 20),
                    (Education.JUNIOR, 60),
                    (Education.SENIOR, 15),
                    (Education.COLLEGE, 5),
                ),
            )
        elif age < 70:
            member.education = _weighted(
                rng,
                (
                    (Education.ILLITERATE, 10),
                    (Education.PRIMARY, 45),
                    (Education.JUNIOR, 40),
                    (Education.SENIOR, 5),
                ),
            )
        else:
            member.education = _weighted(
                rng,
                ((Education.ILLITERATE, 35), (Education.PRIMARY, 50), (Education.JUNIOR, 15)),
            )

    def _health(self, person: Person, *, exited: bool) -> None:
        rng, age = self.rng, person.age
        factor = 1.5 if exited else 1.0
        chronic = (0.02 if age < 40 else 0.10 if age < 60 else 0.25 if age < 70 else 0.40) * factor
        values = []
        if rng.random() < chronic:
            values.append(Health.CHRONIC)
        if age >= 20 and rng.random() < 0.02 * factor:
            values.append(Health.SERIOUS)
        person.member.health = ",".join(values) or Health.HEALTHY
        if rng.random() < 0.025 * factor:
            self._make_disabled(person, certificate=rng.random() < 0.8, set_labour=False)

    def _make_disabled(self, person: Person, *, certificate: bool, set_labour: bool = True):
        rng, member = self.rng, person.member
        values = [v for v in _health_values(member) if v not in (Health.HEALTHY, Health.DISABLED)]
        member.health = ",".join([Health.DISABLED, *values])
        if certificate:
            member.id_type = IdType.DISABILITY_CERT
            member.disability_category = str(rng.randint(1, 7))
            member.disability_grade = str(rng.randint(1, 4))
            first_year = min(max(2008, member.birth_date.year + 1), self.today.year)
            member.disability_certificate_year = rng.randint(first_year, self.today.year)
        if set_labour:
            self._labour_after_illness(person)

    def _labour_after_illness(self, person: Person) -> None:
        """A member who becomes ill or disabled while being built loses labour and work."""
        member = person.member
        if person.student or person.age < 16:
            return
        member.labour_skill = LabourSkill.LOST if self.rng.random() < 0.6 else LabourSkill.WEAK
        member.work_months, member.work_place, member.employer = 0, "", ""
        member.employment_channel = ""

    def _labour(self, person: Person) -> None:
        """劳动技能 by age and health. Healthy people of working age who are not at school have
        ordinary or skilled labour (so MON-DQ-10 only flags the deliberate problems); the range
        goes to 60, one year beyond the rule's, so that the day the rule is checked on can never
        move someone across its boundary."""
        rng, age, member = self.rng, person.age, person.member
        health = _health_values(member)
        if person.student or age < 15:
            member.labour_skill = LabourSkill.NONE
        elif Health.DISABLED in health or Health.SERIOUS in health:
            member.labour_skill = LabourSkill.LOST if rng.random() < 0.6 else LabourSkill.WEAK
        elif age >= 75:
            member.labour_skill = _weighted(
                rng, ((LabourSkill.NONE, 50), (LabourSkill.LOST, 20), (LabourSkill.WEAK, 30))
            )
        elif age >= 65:
            member.labour_skill = LabourSkill.WEAK if rng.random() < 0.7 else LabourSkill.NONE
        elif age >= 61 or Health.CHRONIC in health:
            member.labour_skill = LabourSkill.WEAK if rng.random() < 0.6 else LabourSkill.ORDINARY
        else:
            member.labour_skill = (
                LabourSkill.SKILLED if rng.random() < 0.2 else LabourSkill.ORDINARY
            )

    def _work(self, person: Person, *, exited: bool) -> None:
        """Only members with full labour work away (MON-DQ-11); a place of work if and only if
        months worked > 0 (MON-DQ-6)."""
        rng, member = self.rng, person.member
        full = member.labour_skill in (LabourSkill.ORDINARY, LabourSkill.SKILLED)
        if full and 18 <= person.age <= 59 and rng.random() < 0.45:
            member.work_months = rng.randint(3, 12)
            member.work_place = rng.choice(_weighted(rng, WORK_PLACES))
            member.employer = rng.choice(EMPLOYERS)
            member.employment_channel = rng.choice(self.channels)
        elif (
            exited
            and member.labour_skill == LabourSkill.WEAK
            and 45 <= person.age <= 70
            and rng.random() < 0.15
        ):
            member.welfare_job_type = rng.choice(self.welfare_jobs)
            member.welfare_job_months = rng.randint(6, 12)

    def _insurance(self, person: Person, plan: Plan, *, exited: bool) -> None:
        """Exactly one of the two basic medical insurances (MON-DQ-8); critical-illness insurance
        for every 脱贫 member (MON-DQ-7)."""
        rng, member = self.rng, person.member
        employee = member.work_months > 0 and rng.random() < 0.08
        member.residents_medical_insurance = not employee
        member.employees_medical_insurance = employee
        member.critical_illness_insurance = exited or rng.random() < 0.92
        member.commercial_medical_insurance = exited and rng.random() < 0.3
        ill = member.health != Health.HEALTHY
        member.medical_assistance = exited and ill and rng.random() < 0.6
        member.other_health_assistance = exited and ill and rng.random() < 0.3
        adult = person.age >= 16 and not person.student
        member.employees_pension = employee
        member.residents_pension = adult and not employee and rng.random() < 0.85
        attribute = plan.household.exited_attribute
        member.dibao = attribute == ExitedAttribute.DIBAO
        member.tekun = attribute == ExitedAttribute.TEKUN
        member.relocated = False

    # ---- writing a batch -----------------------------------------------------------------

    def _flush(self, plans: list[Plan]) -> None:
        tables = self.tables
        households = [plan.household for plan in plans]
        tables[Household].reserve_ids(households)
        members = []
        for plan in plans:
            for person in plan.people:
                person.member.household_id = plan.household.id
                members.append(person.member)
        incomes: list[Row] = []
        conditions: list[Row] = []
        checks: list[Row] = []
        for plan in plans:
            records = self._incomes(plan)
            if records:
                # The household shows its latest assessment, as the income service keeps it.
                plan.household.per_capita_income = records[-1].per_capita_net_income
                plan.household.income_year = records[-1].year
            incomes += records
            conditions += self._condition(plan)
            checks += self._checks(plan)
        visits: list[Row] = []
        for plan in plans:
            if plan.in_scope:
                visits += self._visits(plan)
        tables[Visit].reserve_ids(visits)
        leads = [self._lead(visit) for visit in visits if visit.new_risk]
        tables[Household].insert(households)
        tables[Member].insert(members)
        tables[IncomeRecord].insert(incomes)
        tables[LivingCondition].insert(conditions)
        tables[GuaranteeCheck].insert(checks)
        tables[Visit].insert(visits)
        tables[RiskLead].insert(leads)
        counts = self.counts
        counts.households += len(households)
        counts.members += len(members)
        counts.incomes += len(incomes)
        counts.conditions += len(conditions)
        counts.checks += len(checks)
        counts.visits += len(visits)
        counts.leads += len(leads)

    # ---- incomes, conditions, checks -----------------------------------------------------

    def _incomes(self, plan: Plan) -> list[IncomeRecord]:
        """Annual records of the last two years for 脱贫户 and monitored households, spread over
        the 8,500 / 10,000 yuan bands and the year's (demo) monitoring line."""
        if not (plan.role in EXITED_ROLES or plan.role in CATEGORY_OF_ROLE):
            return []
        rng, household = self.rng, plan.household
        line = self.lines[self.year_latest] or DEMO_LINE_2024
        status = household.monitoring_status
        monitored = status == Household.MonitoringStatus.MONITORED
        if monitored and plan.role != Role.ORDINARY_SUDDEN and plan.role != Role.EXITED_SUDDEN:
            low, high = (
                (line * Decimal("0.6"), line * Decimal("0.98"))
                if rng.random() < 0.6
                else (
                    line,
                    Decimal("9800"),
                )
            )
        elif monitored:
            low, high = Decimal("5000"), Decimal("14000")
        elif status == Household.MonitoringStatus.ELIMINATED:
            low, high = line * Decimal("1.1"), Decimal("16000")
        else:
            # The three bands of §2.12 (below 8,500; 8,500-10,000; above), every one populated
            # in a demo of any size: the first three 脱贫户 take one band each.
            self.band_turn += 1
            if self.band_turn <= 3:
                band = self.band_turn - 1
            else:
                band = _weighted(rng, ((0, 12), (1, 25), (2, 63)))
            low, high = (
                (line * Decimal("1.05"), Decimal("8499.99")),
                (Decimal("8500"), Decimal("9999.99")),
                (Decimal("10000"), Decimal("25000")),
            )[band]
        # Whole yuan, as most records are: SQLite (the embedded development database) checks
        # the net-income constraint in floating point, where cents may not add up exactly.
        size = household.household_size
        latest = Decimal(rng.randint(math.ceil(low * size), math.floor(high * size)))
        change = Decimal(str(round(rng.uniform(1.02, 1.12), 3)))
        if rng.random() < 0.1:
            change = Decimal(str(round(rng.uniform(0.88, 0.97), 3)))  # income fell
        earlier = (latest / change).quantize(YUAN)
        workers = sum(1 for p in plan.people if p.member.work_months > 0)
        ill = any(Health.SERIOUS in p.member.health for p in plan.people)
        records = []
        for year, net in ((self.years[0], earlier), (self.years[1], latest)):
            expense = (net * Decimal(str(round(rng.uniform(0.05, 0.25), 3)))).quantize(YUAN)
            gross = net + expense
            wage_share = rng.uniform(0.4, 0.7) if workers else rng.uniform(0.0, 0.1)
            property_share = rng.uniform(0.02, 0.06)
            transfer_share = rng.uniform(0.1, 0.4)
            if household.exited_attribute in (ExitedAttribute.DIBAO, ExitedAttribute.TEKUN):
                transfer_share += 0.3
            business_share = max(0.0, 1 - wage_share - property_share - transfer_share)
            total = wage_share + property_share + transfer_share + business_share
            wage = (gross * Decimal(str(round(wage_share / total, 4)))).quantize(YUAN)
            business = (gross * Decimal(str(round(business_share / total, 4)))).quantize(YUAN)
            prop = (gross * Decimal(str(round(property_share / total, 4)))).quantize(YUAN)
            transfer = gross - wage - business - prop
            figures = income_compute(
                wage_income=wage,
                business_income=business,
                property_income=prop,
                transfer_income=transfer,
                business_expense=expense,
                household_size=size,
            )
            records.append(
                self.tables[IncomeRecord].row(
                    household_id=household.id,
                    year=year,
                    kind=IncomeRecord.Kind.ANNUAL,
                    wage_income=wage,
                    business_income=business,
                    property_income=prop,
                    transfer_income=transfer,
                    business_expense=expense,
                    net_income=figures.net_income,
                    household_size=size,
                    per_capita_net_income=figures.per_capita_net_income,
                    compliant_self_paid=Decimal(rng.randint(2000, 30000)) if ill else Decimal(0),
                    recorded_by_id=plan.clerk_id,
                )
            )
        return records

    def _condition(self, plan: Plan) -> list[LivingCondition]:
        rng = self.rng
        if rng.random() >= (0.7 if plan.in_scope else 0.05):
            return []
        dangerous = plan.household.dangerous_house
        return [
            self.tables[LivingCondition].row(
                household_id=plan.household.id,
                year=self.year_latest,
                cultivated_land=_money_between(rng, Decimal("2"), Decimal("20")),
                forest_land=_money_between(rng, Decimal("1"), Decimal("10"))
                if rng.random() < 0.2
                else None,
                orchard=_money_between(rng, Decimal("0.5"), Decimal("5"))
                if rng.random() < 0.1
                else None,
                road_type=_weighted(
                    rng, (("水泥路", 70), ("沥青路", 10), ("砂石路", 15), ("土路", 5))
                ),
                distance_to_road_km=_money_between(rng, Decimal("0"), Decimal("2")),
                cooperative_member=rng.random() < 0.2,
                house_grade=rng.choice(("C", "D")) if dangerous else rng.choice(("A", "B")),
                house_area=_money_between(rng, Decimal("40"), Decimal("120")),
                main_fuel=_weighted(rng, (("柴草", 45), ("煤炭", 30), ("电", 15), ("液化气", 10))),
                has_broadcast_tv=rng.random() < 0.95,
                industry_assistance_type=rng.choice(
                    ("种植业", "养殖业", "光伏收益", "资产收益分红", "")
                ),
            )
        ]

    def _checks(self, plan: Plan) -> list[GuaranteeCheck]:
        """三保障/water answers at identification (problems matching the risks) and, for
        eliminated households, after elimination (all secured)."""
        household = plan.household
        if household.risk_identified_on is None:
            return []
        risks = _risks_of(household)
        checks = [
            self.tables[GuaranteeCheck].row(
                household_id=household.id,
                kind=GuaranteeCheck.Kind.IDENTIFICATION,
                checked_on=household.risk_identified_on,
                recorded_by_id=plan.clerk_id,
                child_out_of_school=False,
                housing_unsafe="因安全住房" in risks,
                member_uninsured=False,
                water_unsafe="因安全饮水" in risks,
            )
        ]
        if household.risk_eliminated_on:
            checks.append(
                self.tables[GuaranteeCheck].row(
                    household_id=household.id,
                    kind=GuaranteeCheck.Kind.ELIMINATION,
                    checked_on=household.risk_eliminated_on,
                    recorded_by_id=plan.clerk_id,
                    child_out_of_school=False,
                    housing_unsafe=False,
                    member_uninsured=False,
                    water_unsafe=False,
                )
            )
        return checks

    # ---- visits --------------------------------------------------------------------------

    def _visits(self, plan: Plan) -> list[Visit]:
        """Monthly village-level visits (about 92 % of months) by the grid's worker, or the
        township clerk where the grid has no worker; quarterly township-level visits (about
        85 %) by the township clerk. This month and quarter are partly done, in proportion to
        the days gone, so that the coverage pages show households visited, due and overdue."""
        rng, today = self.rng, self.today
        start = plan.visits_from or self.window_start
        last_month = dates.add_months(today.replace(day=1), -1)
        visits = []
        month = start.replace(day=1)
        while month <= today:
            period = dates.month_of(month)
            first = max(period.start, start)
            last = min(period.end, today)
            chance = VILLAGE_VISIT_COMPLIANCE
            if period.end > today:
                chance *= today.day / period.end.day
            if plan.behind and month >= last_month:
                chance = 0
            if plan.due:
                chance = 1 if month == last_month else 0 if month > last_month else chance
            if first <= last and rng.random() < chance:
                visits.append(
                    self._visit(plan, Visit.Level.VILLAGE, plan.village_visitor_id, first, last)
                )
            month = dates.add_months(month, 1)
        quarter = dates.quarter_of(start).start
        while quarter <= today:
            period = dates.quarter_of(quarter)
            first = max(period.start, start)
            last = min(period.end, today)
            chance = TOWNSHIP_VISIT_COMPLIANCE
            if period.end > today:
                chance *= (today - period.start).days / (period.end - period.start).days
            if first <= last and rng.random() < chance:
                visits.append(self._visit(plan, Visit.Level.TOWNSHIP, plan.clerk_id, first, last))
            quarter = dates.add_months(quarter, 3)
        if not visits:
            # Every household under the grid has been visited at least once.
            if plan.behind:
                period = dates.month_of(dates.add_months(last_month, -1))
                first, last = max(start, period.start), period.end
            else:
                first, last = max(start, today - datetime.timedelta(days=20)), today
            visits.append(
                self._visit(plan, Visit.Level.VILLAGE, plan.village_visitor_id, first, last)
            )
        return visits

    def _visit(
        self, plan: Plan, level: str, visitor_id: int, first: datetime.date, last: datetime.date
    ) -> Visit:
        rng, household = self.rng, plan.household
        day = _random_date(rng, first, last)
        visit = self.tables[Visit].row(
            household_id=household.id,
            area_id=household.area_id,
            visitor_id=visitor_id,
            level=level,
            visited_on=day,
            method=Visit.Method.ON_SITE if rng.random() < 0.88 else Visit.Method.PHONE,
            child_out_of_school=False,
            housing_unsafe=household.dangerous_house,
            member_uninsured=False,
            water_unsafe=not household.safe_drinking_water,
            income_change=_weighted(
                rng,
                (
                    (Visit.IncomeChange.NONE, 85),
                    (Visit.IncomeChange.UP, 10),
                    (Visit.IncomeChange.DOWN, 5),
                ),
            ),
            no_change=rng.random() < 0.55,
            note=rng.choice(VISIT_NOTES) if rng.random() < 0.3 else "",
            created_at=self._evening_of(day),
        )
        # A few recent visits found a new risk (one in a hundred of the last 60 days, and the
        # first recent visit of the demo, so that even a small demo has one).
        recent = (self.today - day).days <= 60
        if recent and (rng.random() < 0.01 or self.new_risks == 0):
            self.new_risks += 1
            visit.new_risk = True
            visit.no_change = False
            visit.risk_note = rng.choice(NEW_RISK_NOTES)
        return visit

    def _evening_of(self, day: datetime.date) -> datetime.datetime:
        """When a visit was entered: the evening of its day, or now for a visit of today (the
        demo writes nothing in the future)."""
        try:
            return self.evenings[day]
        except KeyError:
            evening = timezone.make_aware(datetime.datetime.combine(day, datetime.time(19)))
            evening = min(evening, timezone.now())
            self.evenings[day] = evening
            return evening

    def _lead(self, visit: Visit) -> RiskLead:
        """The risk lead a new-risk visit opens (as ``visits.visit_record`` does): some are
        verified already (no risk), the others open, overdue once past the deadline."""
        year = visit.visited_on.year
        if year not in self.verification_days:
            from kaiyuan.policy.services import policy_for

            self.verification_days[year] = policy_for(year).identification_verification_days
        deadline = visit.visited_on + datetime.timedelta(days=self.verification_days[year])
        closed = (self.today - visit.visited_on).days > 20 and self.rng.random() < 0.7
        status = RiskLead.Status.NO_RISK if closed else RiskLead.Status.OPEN
        return self.tables[RiskLead].row(
            household_id=visit.household_id,
            area_id=visit.area_id,
            source=RiskLead.Source.VISIT,
            visit_id=visit.id,
            description=visit.risk_note,
            status=status,
            deadline=deadline,
            overdue=status == RiskLead.Status.OPEN and deadline < self.today,
            created_by_id=visit.visitor_id,
            created_at=self._evening_of(visit.visited_on),  # entered with the visit
        )

    # ---- deliberate problems -------------------------------------------------------------

    def _deliberate_problems(self) -> None:
        """Break the rules of DELIBERATE_PROBLEMS on a few rows chosen at random (each row
        breaks one rule only)."""
        rng, today = self.rng, self.today
        used: set[int] = set()
        active = Member.objects.filter(status=Member.Status.ACTIVE)
        full = (LabourSkill.ORDINARY, LabourSkill.SKILLED)

        def pick(queryset, count: int) -> list[int]:
            ids = [pk for pk in queryset.order_by("pk").values_list("pk", flat=True)[:400]]
            ids = [pk for pk in ids if pk not in used]
            chosen = rng.sample(ids, min(count, len(ids)))
            used.update(chosen)
            return chosen

        # MON-DQ-10: a healthy 脱贫 member of working age recorded as weak labour.
        ids = pick(
            active.filter(
                household__household_type=HouseholdType.EXITED,
                health=Health.HEALTHY,
                schooling="",
                labour_skill__in=full,
                work_months=0,
                birth_date__lte=_years_before(today, 25),
                birth_date__gt=_years_before(today, 50),
            ),
            DELIBERATE_PROBLEMS["MON-DQ-10"],
        )
        Member.objects.filter(pk__in=ids).update(labour_skill=LabourSkill.WEAK)
        # MON-DQ-11: working away, recorded as having lost labour (outside monitored households,
        # whose 因务工就业不稳 risk needs a member with labour).
        ids = pick(
            active.filter(
                work_months__gt=0, labour_skill__in=full, household__monitoring_category=""
            ),
            DELIBERATE_PROBLEMS["MON-DQ-11"],
        )
        Member.objects.filter(pk__in=ids).update(labour_skill=LabourSkill.LOST)
        # MON-DQ-PHONE: one digit missing.
        for pk in pick(active.exclude(phone=""), DELIBERATE_PROBLEMS["MON-DQ-PHONE"]):
            member = Member.objects.get(pk=pk)
            Member.objects.filter(pk=pk).update(phone=member.phone[:10])
        # MON-DQ-SIZE: 家庭人口数 one more than the members.
        households = list(Household.objects.order_by("pk").values_list("pk", flat=True)[:400])
        chosen = rng.sample(households, min(DELIBERATE_PROBLEMS["MON-DQ-SIZE"], len(households)))
        Household.objects.filter(pk__in=chosen).update(household_size=F("household_size") + 1)


# =============================================================================================
# Small helpers
# =============================================================================================


def _memoised(field):
    """``field.get_db_prep_save`` remembering its answers: the seed repeats the same dates,
    timestamps and amounts many times, and preparing a datetime is comparatively slow."""
    answers: dict[Any, Any] = {}

    def prepare(value):
        if value is None:
            return None
        try:
            return answers[value]
        except KeyError:
            if len(answers) > 100_000:
                answers.clear()
            answer = answers[value] = field.get_db_prep_save(value, connection)
            return answer

    return prepare


_CUMULATIVE: dict[tuple, tuple[list, list[float]]] = {}


def _weighted(rng, choices: tuple):
    """One value of ``((value, weight), ...)``, drawn with a single ``rng.random()``."""
    try:
        values, cumulative = _CUMULATIVE[choices]
    except KeyError:
        values = [value for value, _ in choices]
        cumulative = list(itertools.accumulate(float(weight) for _, weight in choices))
        _CUMULATIVE[choices] = (values, cumulative)
    index = bisect.bisect_right(cumulative, rng.random() * cumulative[-1])
    return values[min(index, len(values) - 1)]


def _random_date(rng, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _working_day_on_or_before(day: datetime.date) -> datetime.date:
    while not dates.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _money_between(rng, low: Decimal, high: Decimal) -> Decimal:
    cents = rng.randint(int(low * 100), int(high * 100))
    return (Decimal(cents) / 100).quantize(CENT)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _phone(rng) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}"


def _name(rng, sex: str, surname: str | None = None) -> str:
    family = surname or rng.choice(SURNAMES)
    return family + given_name(rng, female=sex != Sex.MALE)


def _health_values(member: Row) -> list[str]:
    return [part for part in member.health.split(",") if part]


def _risks_of(household: Row) -> list[str]:
    return [household[f"risk_{slot}"] for slot in range(1, 6) if household[f"risk_{slot}"]]


def _in_scope(role: int) -> bool:
    """Whether a household of ``role`` is one the grid must visit (by the default visit scope)."""
    return role in EXITED_ROLES or role in CATEGORY_OF_ROLE or role == Role.FLAGGED


def _has_labour(people: list[Person]) -> bool:
    return any(p.member.labour_skill in HAS_LABOUR for p in people)
