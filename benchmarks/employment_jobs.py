"""Jobs for the employment benchmarks (the count, the monthly file). The demo's records are used
when the database has any; otherwise two thirds of the county's labour force (members with
labour ability of 脱贫 and monitored households, in id order) get a job in the year of the month
before this one, bulk-made once per database: varied job types, batches and places, most still
going on in that month, a share ended before it, so that each month's count differs."""

from __future__ import annotations

import datetime

from django.db import connection, transaction

from employment.codes import Batch, JobType, PlaceCategory, Source
from employment.models import EmploymentRecord
from employment.rules.counts import population_q
from employment.rules.records import months_spanned
from employment.selectors.rosters import previous_month
from kaiyuan.accounts.models import User
from kaiyuan.common import dates
from monitoring.codes import HAS_LABOUR
from monitoring.models import Member

PLACES = (
    (PlaceCategory.IN_COUNTY, "开原市经济开发区"),
    (PlaceCategory.IN_PROVINCE, "沈阳市"),
    (PlaceCategory.OUT_OF_PROVINCE, "北京市"),
)
KINDS = (
    (JobType.WAGE, Batch.INDUSTRY, ""),
    (JobType.WAGE, Batch.RECRUITMENT, ""),
    (JobType.WAGE, Batch.LABOUR_EXPORT, ""),
    (JobType.FLEXIBLE, Batch.FLEXIBLE, ""),
    (JobType.SELF_EMPLOYED, Batch.FLEXIBLE, ""),
    (JobType.WELFARE_POST, Batch.WELFARE_POSTS, "保洁员"),
)


def job_month() -> tuple[int, int]:
    """The month the made jobs are held in: the one before this (the roster of this month
    confirms them)."""
    this = dates.today()
    return previous_month(this.year, this.month)


def count_month() -> tuple[int, int]:
    """The month the count benchmark counts: the month in which the latest job began (for the
    jobs made here, the month they are held in)."""
    latest = EmploymentRecord.objects.order_by("-start_date").values_list("start_date", flat=True)
    day = latest.first() or datetime.date(*job_month(), 1)
    return day.year, day.month


@transaction.atomic
def ensure_jobs() -> int:
    """Records to count and to confirm: the database's own, or made here. Returns how many
    there are."""
    existing = EmploymentRecord.objects.count()
    if existing:
        return existing
    year, month = job_month()
    first = datetime.date(year, month, 1)
    admin = User.objects.get(username="admin")
    labour = (
        Member.objects.filter(population_q("household__"), labour_skill__in=HAS_LABOUR)
        .active()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    jobs = []
    for n, member_id in enumerate(labour.iterator(chunk_size=5000)):
        if n % 3 == 0:
            continue  # a third without a job
        start = datetime.date(year, 1 + n % month, 1)
        end = None
        if n % 7 == 0 and start < first:  # ended the month before the month of the jobs
            end = first - datetime.timedelta(days=1)
        category, place = PLACES[n % len(PLACES)]
        job_type, batch, welfare = KINDS[n % len(KINDS)]
        jobs.append(
            EmploymentRecord(
                member_id=member_id,
                year=year,
                start_date=start,
                end_date=end,
                months_worked=months_spanned(start, end or first),
                place_category=category,
                place=place,
                employer=f"基准用工单位{n % 50}",
                job_type=job_type,
                welfare_job_type=welfare,
                batch=batch,
                source=Source.VISIT,
                recorded_by=admin,
            )
        )
    EmploymentRecord.objects.bulk_create(jobs, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE employment_employmentrecord")
    return len(jobs)
