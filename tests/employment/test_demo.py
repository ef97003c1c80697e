"""The demo's employment data: in a small county every job type, 七个一批 batch and place category
is there (in realistic places, with valid credit codes and the code table's channels), jobs
counted after training follow a finished course, each public-welfare post has its holder's job
and its monthly pay (one reversed), a workshop is flagged for too few 脱贫 workers, courses have
their trainees and certificates, a few EMP-4 cases wait and some are reviewed; no rule of
employment/rules is broken but the EMP-4 flags made on purpose, the seeder's log gives 2024's
count, the same seed gives the same data, and the demo reset removes it past the ledger guard.
Runs on SQLite too (``make run`` seeds it there)."""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import Q, Sum

from employment.codes import Batch, JobType, PlaceCategory, PostFunding
from employment.demo import TRANSPORT_SUBSIDY, courses_for, month_first, next_month
from employment.demo.employment import ORDER
from employment.demo.records import PLACES
from employment.models import (
    EmploymentRecord,
    PostPayment,
    Trainee,
    Training,
    WelfarePost,
    Workshop,
)
from employment.rules import records as record_rules
from employment.rules import trainings as training_rules
from employment.rules import workshops as workshop_rules
from employment.rules.records import EMP_4
from employment.selectors.counts import employment_count
from employment.selectors.labour import flagged_working
from employment.selectors.workshops import workshops_with_workers
from employment.services import posts as post_services
from employment.services.records import JobDetails, record_problems, trained_before
from kaiyuan.accounts.models import User
from kaiyuan.areas.models import Area, Grid
from kaiyuan.common.dates import today
from kaiyuan.common.uscc import is_valid
from kaiyuan.policy.services import policy_for
from monitoring.codes import NO_LABOUR
from monitoring.demo.households import delete_all
from monitoring.models import CodeItem

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
# A small county with every kind of job: a college graduate of a 脱贫 family among its workers,
# people registered 丧失劳动力 of working age (seed 3 has neither at this size).
HOUSEHOLDS, SEED = 200, 2
YEARS = (2024, 2025, 2026)


def _fingerprint() -> str:
    person = ("member__household__household_number", "member__person_number")
    rows = [
        *EmploymentRecord.objects.order_by(*person, "year", "start_date", "job_type").values_list(
            *person, "year", "start_date", "end_date", "months_worked", "place_category", "place",
            "employer", "employer_uscc", "job_type", "welfare_job_type", "post__post_type",
            "workshop__name", "batch", "monthly_wage", "channel", "source",
            "verified_by__username", "verified_on", "transport_subsidy",
            "transport_subsidy_paid_on", "reviewed_by__username", "review_note", "note",
        ),
        *WelfarePost.objects.order_by("area__code", "holder__person_number", "start_date")
        .values_list(
            "area__code", "holder__person_number", "post_type", "start_date", "end_date",
            "months", "monthly_pay", "funding", "funding_asset__name", "funding_note",
        ),
        *PostPayment.objects.order_by("post__holder__person_number", "month", "amount")
        .values_list("post__holder__person_number", "month", "amount", "paid_on", "reason"),
        *Workshop.objects.order_by("area__code", "name").values_list(
            "area__code", "name", "workshop_type", "operator", "operator_uscc", "opened_on",
            "total_workers", "contact", "phone",
        ),
        *Training.objects.order_by("start_date", "course").values_list(
            "area__code", "course", "course_type", "organiser", "place", "start_date",
            "end_date", "hours",
        ),
        *Trainee.objects.order_by("training__start_date", "member__person_number").values_list(
            "training__start_date", "member__person_number", "completed", "certificate",
            "certificate_number",
        ),
    ]  # fmt: skip
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _wipe() -> None:
    delete_all()
    Grid.objects.all().delete()
    User.objects.all().delete()
    Area.objects.filter(level="group").delete()
    Area.objects.filter(level="village").delete()


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", households=HOUSEHOLDS, seed=SEED, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    return _seed()


def test_every_kind_of_job_post_workshop_and_course_is_there(demo):
    county = Area.objects.home_county()
    bureau = User.objects.get(username="bureau")
    day = today()
    records = list(
        EmploymentRecord.objects.select_related(
            "member__household__area__parent", "member__household__grid", "verified_by"
        )
    )
    assert {r.job_type for r in records} == set(JobType.values)
    assert {r.batch for r in records} == set(Batch.values)
    assert {r.place_category for r in records} == set(PlaceCategory.values)
    assert {r.year for r in records} == set(YEARS)

    # Realistic places: the county's towns and park, Liaoning's cities, other provinces.
    province = tuple(city for city, (category, *_r) in PLACES.items() if category == "省内县外务工")
    for record in records:
        if record.place_category == PlaceCategory.IN_COUNTY:
            assert record.place.startswith("开原市"), record.place
        elif record.place_category == PlaceCategory.IN_PROVINCE:
            assert record.place.startswith(province), record.place
        else:
            assert not record.place.startswith(("开原市", *province)), record.place
        assert not record.employer_uscc or is_valid(record.employer_uscc), record.employer_uscc
    assert {r.place[:3] for r in records} >= {"开原市", "沈阳市"}
    channels = set(CodeItem.objects.values_of("employment_channel"))
    assert {r.channel for r in records} <= channels

    # Verified by the grid worker of the household's grid, else a clerk of its township.
    for record in records:
        grid, township = record.member.household.grid, record.member.household.area.parent
        if grid is not None and grid.worker_id:
            assert record.verified_by_id == grid.worker_id
        else:
            assert record.verified_by.area_id == township.pk
            assert record.verified_by.role == "township_clerk"
        assert record.start_date <= record.verified_on <= day

    # Jobs going on, seasonal ones ended this year, two jobs in a year for some.
    this_year = [r for r in records if r.year == day.year]
    assert any(r.end_date is None for r in this_year)
    assert any(r.end_date is not None for r in this_year)
    per_year = Counter((r.member_id, r.year) for r in records)
    assert any(n >= 2 for n in per_year.values())
    assert all(r.end_date is not None for r in records if r.year < day.year)

    # Counted after training: a finished course on or before the job's first day.
    trained = [r for r in records if r.batch == Batch.TRAINING]
    assert trained
    for record in trained:
        assert trained_before(record.member, record.start_date), record

    # The transport subsidy: outside the province, once a year, for about a third.
    subsidised = [r for r in records if r.transport_subsidy is not None]
    assert subsidised
    assert all(r.place_category == PlaceCategory.OUT_OF_PROVINCE for r in subsidised)
    assert all(r.transport_subsidy == TRANSPORT_SUBSIDY for r in subsidised)
    assert len({(r.member_id, r.year) for r in subsidised}) == len(subsidised)
    assert all(r.start_date <= r.transport_subsidy_paid_on <= day for r in subsidised)

    # EMP-4: a few registered without labour ability recorded as working, some reviewed.
    without = [r for r in records if r.member.labour_skill in NO_LABOUR]
    assert without and len(without) <= 4
    assert any(r.reviewed_at for r in without) and any(not r.reviewed_at for r in without)
    assert flagged_working(bureau).count() == sum(1 for r in without if not r.reviewed_at)

    # Posts: the holder's job as post_create writes it, every past month paid, one reversal.
    posts = list(WelfarePost.objects.select_related("area__parent__parent", "funding_asset"))
    assert {p.start_date.year for p in posts} == set(YEARS)
    assert len({p.area_id for p in posts}) > 1
    jobs = defaultdict(list)
    for record in records:
        if record.post_id:
            jobs[record.post_id].append(record)
    for post in posts:
        (job,) = jobs[post.pk]
        assert job.member_id == post.holder_id and job.job_type == JobType.WELFARE_POST
        assert job.batch == Batch.WELFARE_POSTS and job.welfare_job_type == post.post_type
        assert job.place == post.area.full_name and job.monthly_wage == post.monthly_pay
        assert (job.start_date, job.end_date, job.months_worked) == (
            post.start_date,
            post.end_date,
            post.months,
        )
        assert Decimal("500") <= post.monthly_pay <= Decimal("800")
    assert sum(1 for r in records if r.job_type == JobType.WELFARE_POST) == len(posts)
    assert {p.post_type for p in posts} <= set(CodeItem.objects.values_of("welfare_job_type"))
    funded = Counter(p.funding for p in posts)
    assert funded[PostFunding.PV_INCOME] and funded[PostFunding.POST_SUBSIDY]
    assert all(p.funding_asset.is_pv_station for p in posts if p.funding == PostFunding.PV_INCOME)
    paid = {
        (row["post"], row["month"]): row["total"]
        for row in PostPayment.objects.values("post", "month").annotate(total=Sum("amount"))
    }
    for post in posts:
        month = month_first(post.start_date)
        while month < month_first(day) and month <= (post.end_date or day):
            if paid.get((post.pk, month)) is None:
                break  # paid in the first half of the month after: not yet
            assert paid[(post.pk, month)] == post.monthly_pay, (post, month)
            month = next_month(month)
    assert PostPayment.objects.filter(reverses__isnull=False).count() == 1
    assert not PostPayment.objects.filter(Q(paid_on__gt=day) | Q(month__gt=day)).exists()

    # Workshops: most with at least five 脱贫 workers, one or two with fewer (flagged).
    policy = policy_for(day.year)
    counts = [w.exited_workers for w in workshops_with_workers(bureau, day.year)]
    assert len(counts) >= 3
    flagged = [n for n in counts if workshop_rules.workshop_flags(exited_workers=n, policy=policy)]
    assert 1 <= len(flagged) <= 2 and all(n > 0 for n in flagged)
    assert flagged and len(counts) > len(flagged)
    for workshop in Workshop.objects.all():
        assert is_valid(workshop.operator_uscc) and workshop.opened_on <= day
        assert workshop.records.exists()
        assert workshop.total_workers >= workshop.records.values("member").distinct().count()
    assert all(r.workshop_id for r in records if r.job_type == JobType.WORKSHOP)

    # Courses with trainees of their area, most completed, many certified.
    trainings = list(Training.objects.select_related("area"))
    assert len(trainings) == courses_for(HOUSEHOLDS)
    assert all(t.end_date <= day for t in trainings)
    trainees = list(Trainee.objects.select_related("training__area", "member__household__area"))
    for trainee in trainees:
        assert trainee.member.household.area.path.startswith(trainee.training.area.path)
    assert sum(t.completed for t in trainees) >= len(trainees) * 3 // 4
    assert sum(bool(t.certificate) for t in trainees) >= len(trainees) // 3

    # The seeder's log line gives 2024's count against the target.
    counted = employment_count(county, 2024, 12, breakdown=False)
    found = re.search(r"2024 count (\d+) \(target (\d+)\)", demo)
    assert found and (int(found[1]), int(found[2])) == (counted.total, 2500)
    assert counted.total > 0


def test_no_rule_is_broken_but_the_emp_4_flags_made_on_purpose(demo):
    day = today()
    for model, field in (
        (EmploymentRecord, "start_date"),
        (EmploymentRecord, "end_date"),
        (EmploymentRecord, "verified_on"),
        (EmploymentRecord, "transport_subsidy_paid_on"),
        (WelfarePost, "start_date"),
        (Training, "end_date"),
        (Workshop, "opened_on"),
    ):
        assert not model.objects.filter(**{f"{field}__gt": day}).exists(), (model, field)

    records = EmploymentRecord.objects.select_related("member__household").order_by("pk")
    sample = list(records[::2])
    assert len(sample) > 50
    flags = Counter()
    for record in sample:
        details = JobDetails.of(record).cleaned()
        assert details == JobDetails.of(record)  # stored as a form would leave it
        problems = record_problems(record.member, details, existing=record)
        problems += record_rules.population_problems(record.member)
        assert [p for p in problems if p.is_error] == [], (record, problems)
        for flag in problems:
            flags[flag.rule] += 1
            assert flag.rule == EMP_4.id and record.member.labour_skill in NO_LABOUR, record
    for post in WelfarePost.objects.select_related("area__parent__parent", "holder__household"):
        details = post_services.PostDetails.of(post).cleaned()
        problems = post_services.post_problems(post.area, details)
        assert [p for p in problems if p.is_error] == [], (post, problems)
    for workshop in Workshop.objects.all():
        assert workshop_rules.operator_problems(operator_uscc=workshop.operator_uscc) == []
    for trainee in Trainee.objects.select_related("training", "member__household"):
        assert (
            training_rules.certificate_problems(
                completed=trainee.completed,
                certificate=trainee.certificate,
                number=trainee.certificate_number,
            )
            == []
        )
        assert (
            training_rules.trainee_problems(
                training=trainee.training, member=trainee.member, already_in=False
            )
            == []
        )


def test_the_same_seed_gives_the_same_data_and_the_reset_removes_it():
    _seed()
    first = _fingerprint()
    assert PostPayment.objects.exists()
    if connection.vendor == "postgresql":
        # The pay of a post is a ledger entry: the database refuses its deletion outside purge().
        with pytest.raises(DatabaseError), transaction.atomic():
            PostPayment.objects.all().delete()
    _wipe()
    for model in ORDER:
        assert not model.objects.exists(), model
    _seed()
    assert _fingerprint() == first
