"""Recording a job: the EMP rules at their edges, the labour-ability flags, the transport
subsidy, the year a record lies in, confirming and carrying a job over, and lost updates."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest

from employment.codes import Batch, JobType, PlaceCategory
from employment.services import records, trainings
from employment.services.records import JobDetails
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.errors import ConcurrentUpdate
from kaiyuan.common.rules import RulesBroken
from monitoring.codes import LabourSkill
from tests.employment.factories import company_uscc, course, job, record_job, worker

pytestmark = pytest.mark.django_db


def broken(exc) -> dict[str, str]:
    return {v.rule: v.message for v in exc.value.violations}


def problems(member, **fields) -> dict[str, str]:
    details = job(**fields).cleaned()
    return {v.rule: v.message for v in records.record_problems(member, details)}


# ---- EMP-5: a place exactly when months are worked ---------------------------------------------


def test_months_worked_need_a_place_and_a_place_needs_months(village_a):
    person = worker(village_a)
    assert "EMP-5" in problems(person, place="", place_category="")
    assert "EMP-5" in problems(person, months_worked=0)
    assert "EMP-5" not in problems(person, months_worked=0, place="", place_category="")
    assert "EMP-5" not in problems(person, months_worked=1)


# ---- EMP-PERIOD: months fit in the period, the period in one year ------------------------------


@pytest.mark.parametrize(("months", "refused"), [(10, False), (11, True)])
def test_months_worked_fit_in_the_months_the_job_spans(village_a, months, refused):
    # 1 March to 31 December touches ten calendar months.
    found = problems(worker(village_a), months_worked=months)
    assert ("EMP-PERIOD" in found) is refused


def test_a_period_from_the_last_day_of_a_month_to_the_first_of_the_next_spans_two(village_a):
    person = worker(village_a)
    spanning = {
        "start_date": datetime.date(2026, 1, 31),
        "end_date": datetime.date(2026, 2, 1),
    }
    assert "EMP-PERIOD" not in problems(person, months_worked=2, **spanning)
    assert "EMP-PERIOD" in problems(person, months_worked=3, **spanning)


def test_a_record_lies_in_one_year_and_has_begun(village_a):
    person = worker(village_a)
    over_new_year = problems(
        person,
        start_date=datetime.date(2025, 11, 1),
        end_date=datetime.date(2026, 2, 28),
        months_worked=2,
    )
    assert "31" in over_new_year["EMP-PERIOD"] and "2026" in over_new_year["EMP-PERIOD"]
    # The clock is pinned to 2 December 2026.
    assert "EMP-PERIOD" in problems(person, start_date=datetime.date(2026, 12, 3), months_worked=1)
    assert "EMP-PERIOD" not in problems(
        person, start_date=datetime.date(2026, 12, 2), months_worked=1
    )


# ---- EMP-7 and EMP-TRAINING -------------------------------------------------------------------


def test_the_training_batch_needs_a_course_finished_by_the_day_the_job_began(
    village_a, township_a, clerk_a
):
    person = worker(village_a)
    start = datetime.date(2026, 3, 1)
    assert "EMP-TRAINING" in problems(person, batch=Batch.TRAINING, start_date=start)
    training = course(
        township_a,
        clerk_a,
        start_date=datetime.date(2026, 2, 20),
        end_date=datetime.date(2026, 3, 1),
    )
    trainings.trainee_add(training=training, member=person, actor=clerk_a)
    assert "EMP-TRAINING" not in problems(person, batch=Batch.TRAINING, start_date=start)
    assert "EMP-TRAINING" in problems(
        person, batch=Batch.TRAINING, start_date=datetime.date(2026, 2, 28), months_worked=1
    )


def test_a_course_not_finished_does_not_make_the_training_batch(village_a, township_a, clerk_a):
    person = worker(village_a)
    training = course(township_a, clerk_a)
    trainings.trainee_add(training=training, member=person, completed=False, actor=clerk_a)
    assert "EMP-TRAINING" in problems(person, batch=Batch.TRAINING)


def test_a_job_without_one_of_the_seven_batches_is_refused(village_a, clerk_a):
    with pytest.raises(RulesBroken) as refused:
        record_job(worker(village_a), clerk_a, batch="")
    assert "EMP-7" in broken(refused)


# ---- EMP-JOB and the employer's credit code --------------------------------------------------


def test_a_public_welfare_job_names_its_type_and_a_workshop_job_its_workshop(village_a):
    person = worker(village_a)
    assert "EMP-JOB" in problems(person, job_type=JobType.WELFARE_POST)
    assert "EMP-JOB" not in problems(
        person, job_type=JobType.WELFARE_POST, welfare_job_type="保洁员"
    )
    assert "EMP-JOB" in problems(person, job_type=JobType.WORKSHOP)
    assert "EMP-JOB" in problems(person, welfare_job_type="保洁员")


def test_an_employer_credit_code_is_checked(village_a, clerk_a):
    person = worker(village_a)
    good = company_uscc()
    assert "ID-USCC-1" not in problems(person, employer_uscc=good.lower())
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert "ID-USCC-1" in problems(person, employer_uscc=bad)
    saved = record_job(person, clerk_a, employer_uscc=f" {good.lower()} ")
    assert saved.employer_uscc == good


# ---- EMP-4: labour ability ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("skill", "place", "flagged"),
    [
        (LabourSkill.LOST, PlaceCategory.IN_COUNTY, True),
        (LabourSkill.NONE, PlaceCategory.IN_COUNTY, True),
        (LabourSkill.WEAK, PlaceCategory.IN_COUNTY, False),
        (LabourSkill.WEAK, PlaceCategory.OUT_OF_PROVINCE, True),
        (LabourSkill.ORDINARY, PlaceCategory.OUT_OF_PROVINCE, False),
    ],
)
def test_working_without_labour_ability_is_flagged_not_refused(
    village_a, clerk_a, skill, place, flagged
):
    person = worker(village_a, labour_skill=skill)
    saved = record_job(person, clerk_a, place_category=place, place="某地")
    from employment.selectors.labour import flagged_working

    assert (saved in flagged_working(clerk_a)) is flagged
    event = AuditEvent.objects.get(action="employment_record", data__record=saved.pk)
    assert ("EMP-4" in event.data["flags"]) is flagged


def test_a_review_clears_the_flag_and_says_what_was_checked(village_a, clerk_a, grid_worker_a):
    from django.core.exceptions import PermissionDenied

    from employment.selectors.labour import flagged_working

    saved = record_job(worker(village_a, labour_skill=LabourSkill.LOST), clerk_a)
    with pytest.raises(PermissionDenied):
        records.record_review(record=saved, note="x", expected_version=1, actor=grid_worker_a)
    reviewed = records.record_review(
        record=saved, note="入户核实，本人可从事轻体力劳动", expected_version=1, actor=clerk_a
    )
    assert reviewed.reviewed_by == clerk_a
    assert not flagged_working(clerk_a).exists()


# ---- EMP-TRANSPORT ----------------------------------------------------------------------------


def test_the_transport_subsidy_is_once_a_year_and_only_outside_the_province(village_a, clerk_a):
    person = worker(village_a)
    out = {"place_category": PlaceCategory.OUT_OF_PROVINCE, "place": "江苏省苏州市"}
    assert "EMP-TRANSPORT" in problems(person, transport_subsidy=Decimal("300.00"))
    record_job(person, clerk_a, transport_subsidy="300.00", **out)
    assert "EMP-TRANSPORT" in problems(person, transport_subsidy="300.00", **out)
    assert "EMP-TRANSPORT" not in problems(person, **out)


# ---- confirming, carrying over, ending, lost updates -----------------------------------------


def test_still_at_the_same_job_brings_the_months_up_and_records_who_checked(
    village_a, clerk_a, grid_worker_a
):
    saved = record_job(
        worker(village_a), clerk_a, start_date=datetime.date(2026, 9, 1), months_worked=1
    )
    confirmed = records.record_confirm(
        record=saved, on=datetime.date(2026, 12, 2), actor=grid_worker_a
    )
    assert confirmed.months_worked == 4
    assert confirmed.verified_by == grid_worker_a
    assert confirmed.verified_on == datetime.date(2026, 12, 2)


def test_confirming_last_years_job_in_january_carries_it_into_the_new_year(
    clock, village_a, clerk_a
):
    clock.move_to("2026-12-20 10:00 +08:00")
    saved = record_job(
        worker(village_a), clerk_a, start_date=datetime.date(2026, 6, 1), months_worked=7
    )
    clock.move_to("2027-01-10 10:00 +08:00")
    carried = records.record_confirm(record=saved, on=datetime.date(2027, 1, 10), actor=clerk_a)
    saved.refresh_from_db()
    assert saved.end_date == datetime.date(2026, 12, 31)
    assert (carried.year, carried.start_date, carried.months_worked) == (
        2027,
        datetime.date(2027, 1, 1),
        1,
    )
    assert carried.employer == saved.employer


def test_ending_a_job_and_a_second_clerks_stale_edit(village_a, clerk_a):
    saved = record_job(worker(village_a), clerk_a)
    records.record_end(
        record=saved,
        end_date=datetime.date(2026, 10, 31),
        months_worked=8,
        expected_version=1,
        actor=clerk_a,
    )
    with pytest.raises(ConcurrentUpdate):
        records.record_change(
            record=saved,
            details=replace(job(), employer="别的公司"),
            expected_version=1,
            actor=clerk_a,
        )
    saved.refresh_from_db()
    assert saved.end_date == datetime.date(2026, 10, 31) and saved.employer != "别的公司"


def test_another_townships_clerk_cannot_record_a_job(village_a, clerk_b):
    from kaiyuan.common.errors import DomainError

    with pytest.raises(DomainError):
        record_job(worker(village_a), clerk_b)


def test_a_refused_record_writes_nothing(village_a, clerk_a):
    from employment.models import EmploymentRecord

    with pytest.raises(RulesBroken):
        record_job(worker(village_a), clerk_a, months_worked=11)
    assert not EmploymentRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="employment_record").exists()


def test_months_must_be_a_whole_number_of_months(village_a, clerk_a):
    from employment.exceptions import EmploymentError

    with pytest.raises(EmploymentError):
        records.record_create(
            member=worker(village_a),
            details=JobDetails(**{**job().__dict__, "months_worked": "x"}),
            actor=clerk_a,
        )


def test_a_flagged_job_waits_in_the_township_clerks_inbox_until_reviewed(
    village_a, clerk_a, clerk_b, grid_worker_a
):
    from kaiyuan.inbox.registry import sources_for

    saved = record_job(worker(village_a, labour_skill=LabourSkill.LOST), clerk_a)

    def waiting(user):
        source = {s.key: s for s in sources_for(user)}.get("employment.jobs_to_review")
        return list(source.items(user)) if source else None

    assert waiting(clerk_a) == [saved]
    assert waiting(clerk_b) == []
    assert waiting(grid_worker_a) is None  # a grid worker does not review
    records.record_review(record=saved, note="已核实", expected_version=1, actor=clerk_a)
    assert waiting(clerk_a) == []
