"""The fund ledger (资金台账): one sheet by allocation (资金指标) and one by project, with what was
assigned, what arrived at the township, what was paid in each tranche, the 报账 finance accepted
or still owes, the retention and the balance at the township. A job, since its rows grow with
the county.

The figures are the exporting user's: a township's clerk sees the allocations that fund the
township's projects, with what they brought to those projects only (the allocation's own amount
is the document's, the same for everyone); the county sees every allocation, whole.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from funds.codes import FundLevel, ReimbursementStatus, Tranche
from funds.exports import (
    ensure_may_export,
    township_names,
    township_of,
    user_scope,
)
from funds.models import FundAccount, FundAllocation, Payment, PaymentDraw, ProjectFund
from funds.models.payments import RetentionDeduction
from funds.rules.payments import share_of
from funds.selectors.allocations import at_township_q
from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from kaiyuan.common import exports as files
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_start
from kaiyuan.policy.services import policy_for
from projects.models import Project

LEDGER_EXPORT = "funds_ledger_export"
ZERO = Decimal("0.00")
CENT = Decimal("0.01")

TRANCHE_HEADERS = (
    (Tranche.ADVANCE, "预付（元）"),
    (Tranche.PROGRESS, "进度款（元）"),
    (Tranche.FINAL, "尾款（元）"),
    (Tranche.RETENTION, "质保金拨付（元）"),
    (Tranche.LUMP_SUM, "债权类一次性拨付（元）"),
    (Tranche.HOUSEHOLD, "到户补贴（元）"),
)
PAID = "累计拨付（元）"
BALANCE = "结余（到账未支出，元）"

ALLOCATION_HEADERS = (
    "序号",
    "文号",
    "资金级次",
    "资金类型",
    "年度",
    "产业资金",
    "指标金额（元）",
    "已分配（元）",
    "已到账（元）",
    *(header for _tranche, header in TRANCHE_HEADERS),
    PAID,
    "报账已审核（元）",
    BALANCE,
)
PROJECT_HEADERS = (
    "序号",
    "项目编号",
    "项目名称",
    "乡镇",
    "资金指标",
    "已分配（元）",
    "已到账（元）",
    *(header for _tranche, header in TRANCHE_HEADERS),
    PAID,
    "质保金预留（元）",
    "质保金已拨付（元）",
    "质保金扣除（元）",
    "报账未审核（元）",
    BALANCE,
)
ALLOCATION_TEXT = frozenset({ALLOCATION_HEADERS.index("文号")})
PROJECT_TEXT = frozenset({PROJECT_HEADERS.index("项目编号"), PROJECT_HEADERS.index("资金指标")})


def start_ledger_export(user, *, year: int | None = None) -> Job:
    """Start the fund ledger of ``year`` (every year when None) as ``user`` may see it."""
    ensure_may_export(user)
    return job_start(kind=LEDGER_EXPORT, actor=user, params={"year": int(year) if year else None})


# =============================================================================================
# The figures
# =============================================================================================


def _entries(user, year: int | None):
    rows = ProjectFund.objects.visible_to(user)
    return rows.filter(allocation__year=year) if year else rows


def _grouped(queryset, *keys: str) -> dict:
    """``{key or (keys…): total}`` of ``amount`` grouped by ``keys``."""
    totals = queryset.order_by().values(*keys).annotate(total=Sum("amount"))
    if len(keys) == 1:
        return {row[keys[0]]: row["total"] or ZERO for row in totals}
    return {tuple(row[k] for k in keys): row["total"] or ZERO for row in totals}


def _outstanding_q() -> Q:
    """A draw of a payment whose 报账 finance has not accepted (and that is neither a reversal,
    which has no 报账, nor reversed)."""
    return Q(
        payment__reimbursement__status__in=(
            ReimbursementStatus.UNREPORTED,
            ReimbursementStatus.REPORTED,
            ReimbursementStatus.RETURNED,
        )
    ) & ~Q(Exists(Payment.objects.filter(reverses=OuterRef("payment"))))


def allocation_rows(user, year: int | None = None) -> list[list]:
    """One row per allocation (its reversal netted) the user's figures touch, or that the user
    sees (the county's: all of them)."""
    entries = _entries(user, year)
    draws = PaymentDraw.objects.filter(fund__in=entries.values("pk"))
    key = "allocation"
    assigned = _grouped(entries, key)
    arrived = _grouped(entries.filter(at_township_q()), key)
    paid = _grouped(draws, "fund__allocation", "payment__tranche")
    accepted = _grouped(
        draws.filter(payment__reimbursement__status=ReimbursementStatus.ACCEPTED),
        "fund__allocation",
    )
    visible = FundAllocation.objects.visible_to(user)
    if year:
        visible = visible.filter(year=year)
    allocations = (
        FundAllocation.objects.filter(reverses__isnull=True)
        .filter(Q(pk__in=list(assigned)) | Q(pk__in=visible.values("pk")))
        .select_related("fund_type")
        .order_by("year", "level", "issued_on", "id")
    )
    reversed_amount = _grouped(FundAllocation.objects.filter(reverses__isnull=False), "reverses")
    rows = []
    for number, allocation in enumerate(allocations, start=1):
        pk = allocation.pk
        by_tranche = [paid.get((pk, tranche), ZERO) for tranche, _header in TRANCHE_HEADERS]
        total_paid = sum(by_tranche, ZERO)
        rows.append(
            [
                number,
                allocation.document_number,
                allocation.get_level_display(),
                allocation.fund_type.name,
                allocation.year,
                _("Yes") if allocation.for_industry else _("No"),
                allocation.amount + reversed_amount.get(pk, ZERO),
                assigned.get(pk, ZERO),
                arrived.get(pk, ZERO),
                *by_tranche,
                total_paid,
                accepted.get(pk, ZERO),
                arrived.get(pk, ZERO) - total_paid,
            ]
        )
    return rows


def _retention_withheld(project_ids) -> dict[int, Decimal]:
    """FND-4: what the final payment left as retention, on the projects that withhold one and
    have been paid their final payment (the year's retention share of the fund total)."""
    required = set(
        FundAccount.objects.filter(project__in=project_ids, retention_required=True).values_list(
            "project", flat=True
        )
    )
    finals = (
        Payment.objects.filter(project__in=required, tranche=Tranche.FINAL, reverses__isnull=True)
        .exclude(Exists(Payment.objects.filter(reverses=OuterRef("pk"))))
        .order_by("project", "paid_on")
        .values_list("project", "paid_on")
    )
    first_final = {}
    for project, paid_on in finals:
        first_final.setdefault(project, paid_on)
    funds = {
        p.pk: p.linkage_funds
        for p in Project.objects.filter(pk__in=list(first_final)).only(
            "central_funds", "provincial_funds", "city_funds", "county_funds"
        )
    }
    years = {day.year for day in first_final.values()}
    percent = {year: policy_for(year).retention_percent for year in years}
    return {
        project: share_of(funds[project], percent[day.year]).quantize(CENT, ROUND_HALF_UP)
        for project, day in first_final.items()
    }


def project_rows(user, year: int | None = None) -> list[list]:
    """One row per project the user sees that has money of ``year``'s allocations."""
    entries = _entries(user, year)
    draws = PaymentDraw.objects.filter(fund__in=entries.values("pk"))
    key = "project"
    assigned = _grouped(entries, key)
    arrived = _grouped(entries.filter(at_township_q()), key)
    paid = _grouped(draws, "fund__project", "payment__tranche")
    outstanding = _grouped(draws.filter(_outstanding_q()), "fund__project")
    documents: dict[int, list[str]] = defaultdict(list)
    for project, document, level in (
        entries.filter(kind__in=ProjectFund.POSITIVE)
        .order_by("project", "allocation__issued_on", "allocation_id")
        .values_list("project", "allocation__document_number", "allocation__level")
        .distinct()
    ):
        label = f"{document}（{FundLevel(level).label}）"
        if label not in documents[project]:
            documents[project].append(label)
    projects = list(
        Project.objects.filter(pk__in=list(assigned))
        .select_related("area")
        .only("code", "name", "area__code")
        .order_by("code")
    )
    withheld = _retention_withheld([p.pk for p in projects])
    deducted = _grouped(RetentionDeduction.objects.filter(project__in=list(assigned)), key)
    names = township_names()
    county = Area.objects.home_county().name
    rows = []
    for number, project in enumerate(projects, start=1):
        pk = project.pk
        by_tranche = [paid.get((pk, tranche), ZERO) for tranche, _header in TRANCHE_HEADERS]
        total_paid = sum(by_tranche, ZERO)
        rows.append(
            [
                number,
                project.code,
                project.name,
                township_of(project.area.code, names, county),
                "；".join(documents[pk]),
                assigned.get(pk, ZERO),
                arrived.get(pk, ZERO),
                *by_tranche,
                total_paid,
                withheld.get(pk, ZERO),
                paid.get((pk, Tranche.RETENTION), ZERO),
                deducted.get(pk, ZERO),
                outstanding.get(pk, ZERO),
                arrived.get(pk, ZERO) - total_paid,
            ]
        )
    return rows


# =============================================================================================
# The job
# =============================================================================================


def ledger_title(year: int | None) -> str:
    if year:
        return _("%(year)s linkage fund ledger") % {"year": year}
    return _("Linkage fund ledger")


def ledger_sheets(user, year: int | None, *, caption: str) -> list[files.Sheet]:
    return [
        files.Sheet(
            title="按资金指标",
            headers=ALLOCATION_HEADERS,
            rows=allocation_rows(user, year),
            caption=caption,
            text_columns=ALLOCATION_TEXT,
        ),
        files.Sheet(
            title="按项目",
            headers=PROJECT_HEADERS,
            rows=project_rows(user, year),
            caption=caption,
            text_columns=PROJECT_TEXT,
        ),
    ]


@register(LEDGER_EXPORT)
def run_ledger_export(job: Job, progress) -> None:
    user = job.created_by
    ensure_may_export(user)
    year = job.params.get("year")
    year = int(year) if year else None
    with translation.override(settings.LANGUAGE_CODE):
        as_of = timezone.now()
        scope = user_scope(user)
        caption = files.caption(
            ledger_title(year),
            scope=files.scope_name(scope),
            filters=[(_("Year"), year)] if year else [],
            as_of=as_of,
        )
        stored_name = f"funds-ledger-{year or 'all'}-{job.pk}.xlsx"
        written = files.write_workbook(
            files.temp_path(stored_name),
            ledger_sheets(user, year, caption=caption),
            on_progress=progress.step,
        )
        name = f"{ledger_title(year)}-{scope.name}-{dates.local_date(as_of):%Y%m%d}.xlsx"
    files.export_to_job(
        job,
        written,
        stored_name=stored_name,
        name=name,
        what=LEDGER_EXPORT,
        filters={"year": year, "area": scope.code},
        as_of=as_of,
        result={"year": year},
    )
    job.message = _("The fund ledger is ready: %(n)s rows.") % {"n": written.rows}
