"""The payments (拨付明细) with their payees and 报账: one row per payment or reversal the user
sees, the payee's credit code or masked ID number (never the full number), the tranche, amount,
day paid and basis, the 报账's status and day, finance's acceptance, and which rows are
reversals or reversed. A job, since its rows grow with the county."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from funds.codes import ReimbursementStatus, Tranche
from funds.exports import (
    CHUNK,
    ensure_may_export,
    township_names,
    township_of,
    user_scope,
)
from funds.selectors.payments import payments_for
from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from kaiyuan.common import exports as files
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_start

PAYMENTS_EXPORT = "funds_payments_export"

HEADERS = (
    "序号",
    "项目编号",
    "项目名称",
    "乡镇",
    "收款人",
    "收款账户",
    "开户银行",
    "统一社会信用代码/身份证号",
    "拨付类型",
    "金额（元）",
    "拨付日期",
    "拨付依据",
    "报账状态",
    "报账日期",
    "报账凭证号",
    "财政审核日期",
    "冲销",
)
TEXT_COLUMNS = frozenset(
    HEADERS.index(h) for h in ("项目编号", "收款账户", "统一社会信用代码/身份证号", "报账凭证号")
)


def start_payments_export(
    user, *, year: int | None = None, tranche: str = "", status: str = ""
) -> Job:
    """Start the payments of ``year`` (by the day paid; every year when None), of one tranche
    or 报账 status if given, as ``user`` may see them."""
    ensure_may_export(user)
    if tranche and tranche not in Tranche.values:
        raise ValueError(tranche)
    if status and status not in ReimbursementStatus.values:
        raise ValueError(status)
    params = {"year": int(year) if year else None, "tranche": tranche, "status": status}
    return job_start(kind=PAYMENTS_EXPORT, actor=user, params=params)


def payment_rows(user, *, year=None, tranche="", status=""):
    rows = payments_for(user).select_related("project__area")
    if year:
        rows = rows.filter(paid_on__year=year)
    if tranche:
        rows = rows.filter(tranche=tranche)
    if status:
        # A reversal has no 报账 of its own; it goes with the payment it reverses.
        rows = rows.filter(reimbursement__status=status)
    return rows.order_by("paid_on", "id")


def reversal_marker(payment) -> str:
    if payment.reverses_id is not None:
        return _("Reversal of the payment of %(day)s") % {
            "day": payment.reverses.paid_on.isoformat()
        }
    if payment.reversed:
        return _("Reversed")
    return ""


def payment_row(number: int, payment, names: dict[str, str], county: str) -> list:
    reimbursement = getattr(payment, "reimbursement", None)
    return [
        number,
        payment.project.code,
        payment.project.name,
        township_of(payment.project.area.code, names, county),
        payment.payee_name,
        payment.payee_account,
        payment.payee_bank,
        payment.payee_identifier,  # the credit code, or the ID number masked
        payment.get_tranche_display(),
        payment.amount,
        payment.paid_on,
        payment.basis,
        reimbursement.get_status_display() if reimbursement else "",
        reimbursement.reported_on if reimbursement else None,
        reimbursement.voucher_numbers if reimbursement else "",
        reimbursement.accepted_on if reimbursement else None,
        reversal_marker(payment),
    ]


def payments_sheet(rows, *, caption: str) -> files.Sheet:
    names = township_names()
    county = Area.objects.home_county().name
    return files.Sheet(
        title="拨付明细",
        headers=HEADERS,
        rows=(
            payment_row(number, payment, names, county)
            for number, payment in enumerate(rows, start=1)
        ),
        caption=caption,
        text_columns=TEXT_COLUMNS,
    )


def payments_filters(year, tranche: str, status: str) -> list[tuple[str, str]]:
    shown = []
    if year:
        shown.append((_("Year paid"), str(year)))
    if tranche:
        shown.append((_("Tranche"), str(Tranche(tranche).label)))
    if status:
        shown.append((_("报账 status"), str(ReimbursementStatus(status).label)))
    return shown


@register(PAYMENTS_EXPORT)
def run_payments_export(job: Job, progress) -> None:
    user = job.created_by
    ensure_may_export(user)
    year = int(job.params["year"]) if job.params.get("year") else None
    tranche = job.params.get("tranche") or ""
    status = job.params.get("status") or ""
    with translation.override(settings.LANGUAGE_CODE):
        as_of = timezone.now()
        scope = user_scope(user)
        rows = payment_rows(user, year=year, tranche=tranche, status=status)
        progress.total(rows.count())
        caption = files.caption(
            _("Linkage fund payments"),
            scope=files.scope_name(scope),
            filters=payments_filters(year, tranche, status),
            as_of=as_of,
        )
        stored_name = f"funds-payments-{job.pk}.xlsx"
        written = files.write_workbook(
            files.temp_path(stored_name),
            [payments_sheet(rows.iterator(chunk_size=CHUNK), caption=caption)],
            on_progress=progress.step,
        )
        name = f"{_('Linkage fund payments')}-{scope.name}-{dates.local_date(as_of):%Y%m%d}.xlsx"
    files.export_to_job(
        job,
        written,
        stored_name=stored_name,
        name=name,
        what=PAYMENTS_EXPORT,
        filters={"year": year, "tranche": tranche, "status": status, "area": scope.code},
        as_of=as_of,
    )
    job.message = _("The payments are ready: %(n)s rows.") % {"n": written.rows}
