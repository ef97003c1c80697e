"""A person's jobs on their pages: the form filled in for the common case, the rules shown beside
their fields, two clerks editing at once, the end of a job, "still at the same job", the review of
a person working without labour ability, the deletion of a mistake, the list at a constant query
count, a public-welfare post's job, and the three access answers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from employment.codes import Batch, JobType, PlaceCategory, PostFunding, Source
from employment.models import EmploymentRecord
from employment.services import posts as post_services
from kaiyuan.audit.models import AuditEvent
from monitoring.codes import LabourSkill
from tests.employment.factories import company_uscc, record_job, worker

pytestmark = pytest.mark.django_db
LIST = reverse("employment:record_list")


@pytest.fixture
def person(village_a):
    return worker(village_a, name="李春生")


@pytest.fixture
def job(person, clerk_a):
    return record_job(person, clerk_a)


def _new(member) -> str:
    return reverse("employment:record_new", args=[member.pk])


def _url(name: str, record) -> str:
    return reverse(f"employment:{name}", args=[record.pk])


def _form(**changes) -> dict:
    data = {
        "start_date": "2026-12-01",
        "months_worked": "1",
        "place_category": PlaceCategory.IN_COUNTY,
        "place": "开原市经济开发区",
        "employer": "开原市某食品有限公司",
        "employer_uscc": "",
        "job_type": JobType.WAGE,
        "batch": Batch.INDUSTRY,
        "monthly_wage": "3200.00",
        "source": Source.VISIT,
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _edit_form(record, **changes) -> dict:
    return _form(
        start_date=record.start_date.isoformat(),
        months_worked=str(record.months_worked),
        version=str(record.version),
        **changes,
    )


def _rows(response) -> int:
    return response.content.decode().count('data-testid="record-row"')


class TestNewJob:
    def test_the_form_starts_from_the_common_case(self, client, clerk_a, person):
        client.force_login(clerk_a)
        form = client.get(_new(person)).context["form"]
        assert form.initial["start_date"] == datetime.date(2026, 12, 1)
        assert form.initial["months_worked"] == 1
        assert form.initial["place_category"] == PlaceCategory.IN_COUNTY
        assert form.initial["source"] == Source.VISIT
        assert "version" not in form.fields
        assert "workshop" not in form.fields  # the township has no workshop to offer

    @pytest.mark.sqlite
    def test_the_clerk_records_a_job_and_it_is_verified_by_them(self, client, clerk_a, person):
        client.force_login(clerk_a)
        response = client.post(_new(person), _form())
        job = EmploymentRecord.objects.get(member=person)
        assert response.status_code == 302
        assert response["Location"] == job.get_absolute_url()
        assert (job.year, job.months_worked, job.monthly_wage) == (2026, 1, Decimal("3200.00"))
        assert (job.verified_by, job.verified_on) == (clerk_a, datetime.date(2026, 12, 2))
        html = client.get(job.get_absolute_url()).content.decode()
        assert "开原市某食品有限公司" in html and 'data-testid="record-edit"' in html

    def test_an_open_workshop_of_the_area_is_offered(self, client, clerk_a, village_a, person):
        from tests.employment.factories import workshop

        open_one = workshop(village_a, clerk_a, name="烟厂村服装车间")
        client.force_login(clerk_a)
        form = client.get(_new(person)).context["form"]
        assert list(form.fields["workshop"].queryset) == [open_one]
        response = client.post(
            _new(person),
            _form(job_type=JobType.WORKSHOP, workshop=str(open_one.pk), batch=Batch.FLEXIBLE),
        )
        assert response.status_code == 302
        assert EmploymentRecord.objects.get(member=person).workshop == open_one


class TestRulesBesideTheirFields:
    def test_a_place_without_months_is_refused_beside_the_months(self, client, clerk_a, person):
        client.force_login(clerk_a)
        response = client.post(_new(person), _form(months_worked="0"))
        assert response.status_code == 400
        assert response.context["form"].errors["months_worked"] == [
            gettext("A place of work is given: enter the months worked (at least 1).")
        ]
        assert not EmploymentRecord.objects.exists()

    def test_the_training_batch_without_a_course_is_refused_beside_the_batch(
        self, client, clerk_a, person
    ):
        client.force_login(clerk_a)
        response = client.post(_new(person), _form(batch=Batch.TRAINING))
        assert response.status_code == 400
        [error] = response.context["form"].errors["batch"]
        assert error == gettext(
            "No finished skills course of this person before the job began is recorded; "
            "record the training first, or choose another batch."
        )
        assert not EmploymentRecord.objects.exists()

    def test_an_invalid_credit_code_is_refused_beside_it(self, client, clerk_a, person):
        client.force_login(clerk_a)
        response = client.post(_new(person), _form(employer_uscc="91211282MA0000000X"))
        assert response.status_code == 400
        [error] = response.context["form"].errors["employer_uscc"]
        assert "91211282MA0000000X" in error
        assert not EmploymentRecord.objects.exists()

    def test_every_rule_comes_in_one_round_with_the_forms_own_errors(self, client, clerk_a, person):
        """The wage does not parse (the form's own error) and the batch is missing (EMP-7):
        both are shown at once."""
        client.force_login(clerk_a)
        response = client.post(_new(person), _form(monthly_wage="三千", batch=""))
        errors = response.context["form"].errors
        assert response.status_code == 400
        assert "monthly_wage" in errors
        assert errors["batch"] == [gettext("Choose the one batch this job is counted under.")]

    def test_a_valid_credit_code_is_kept(self, client, clerk_a, person):
        code = company_uscc()
        client.force_login(clerk_a)
        assert client.post(_new(person), _form(employer_uscc=code.lower())).status_code == 302
        assert EmploymentRecord.objects.get(member=person).employer_uscc == code


class TestEditing:
    def test_the_clerk_corrects_the_job(self, client, clerk_a, job):
        client.force_login(clerk_a)
        assert client.get(_url("record_edit", job)).status_code == 200
        response = client.post(_url("record_edit", job), _edit_form(job, employer="开原市某公司"))
        assert response.status_code == 302
        job.refresh_from_db()
        assert (job.employer, job.version) == ("开原市某公司", 2)

    def test_two_clerks_editing_at_once_do_not_overwrite_each_other(
        self, client, clerk_a, reviewer_a, job
    ):
        seen = _edit_form(job)
        other = client.__class__()
        other.force_login(reviewer_a)
        first = other.post(_url("record_edit", job), {**seen, "employer": "甲公司"})
        assert first.status_code == 302
        client.force_login(clerk_a)
        response = client.post(_url("record_edit", job), {**seen, "employer": "乙公司"})
        assert response.status_code == 400
        assert response.context["form"].non_field_errors() == [
            gettext("Someone else changed this job record since you opened it. Reload the page.")
        ]
        job.refresh_from_db()
        assert (job.employer, job.version) == ("甲公司", 2)


class TestSteps:
    def test_the_job_ends_with_its_last_day_and_months(self, client, clerk_a, job):
        client.force_login(clerk_a)
        page = client.get(_url("record_end", job))
        assert page.context["form"].initial["end_date"] == datetime.date(2026, 12, 2)
        response = client.post(
            _url("record_end", job),
            {"end_date": "2026-11-30", "months_worked": "9", "version": job.version},
        )
        assert response.status_code == 302
        job.refresh_from_db()
        assert (job.end_date, job.months_worked) == (datetime.date(2026, 11, 30), 9)
        html = client.get(job.get_absolute_url()).content.decode()
        assert 'data-testid="record-end"' not in html and 'data-testid="record-confirm"' not in html

    def test_an_end_that_does_not_fit_the_months_is_refused_beside_them(self, client, clerk_a, job):
        client.force_login(clerk_a)
        response = client.post(
            _url("record_end", job),
            {"end_date": "2026-04-30", "months_worked": "9", "version": job.version},
        )
        assert response.status_code == 400
        assert "months_worked" in response.context["form"].errors
        job.refresh_from_db()
        assert job.end_date is None

    def test_still_at_the_same_job_verifies_it_today_and_brings_the_months_up(
        self, client, clerk_a, reviewer_a, person
    ):
        job = record_job(person, clerk_a, months_worked=5)
        client.force_login(reviewer_a)
        assert client.get(_url("record_confirm", job)).status_code == 405
        response = client.post(_url("record_confirm", job))
        assert response.status_code == 302
        job.refresh_from_db()
        assert job.months_worked == 10  # March to December
        assert (job.verified_by, job.verified_on) == (reviewer_a, datetime.date(2026, 12, 2))
        assert AuditEvent.objects.filter(action="employment_confirm").count() == 1

    def test_a_job_that_ended_is_not_confirmed(self, client, clerk_a, person):
        ended = record_job(person, clerk_a, end_date=datetime.date(2026, 10, 31), months_worked=8)
        client.force_login(clerk_a)
        response = client.post(_url("record_confirm", ended), follow=True)
        assert gettext("This job has ended; record the person's new job instead.") in [
            str(message) for message in response.context["messages"]
        ]
        ended.refresh_from_db()
        assert ended.verified_on == datetime.date(2026, 12, 2)  # as recorded, not confirmed again
        assert ended.version == 1

    def test_a_record_is_deleted_only_with_a_reason(self, client, clerk_a, job):
        client.force_login(clerk_a)
        url = _url("record_delete", job)
        refused = client.post(url, {"reason": "", "version": job.version})
        assert refused.status_code == 400 and refused.context["form"].errors["reason"]
        response = client.post(url, {"reason": "重复录入", "version": job.version})
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "monitoring:household_detail", args=[job.member.household_id]
        )
        assert not EmploymentRecord.objects.filter(pk=job.pk).exists()
        assert AuditEvent.objects.get(action="employment_delete").note == "重复录入"


class TestReview:
    @pytest.fixture
    def flagged(self, village_a, clerk_a):
        return record_job(worker(village_a, labour_skill=LabourSkill.LOST), clerk_a)

    def test_the_flag_is_shown_and_the_township_reviews_it(self, client, clerk_a, flagged):
        client.force_login(clerk_a)
        html = client.get(flagged.get_absolute_url()).content.decode()
        assert 'data-testid="record-flags"' in html and "丧失劳动力" in html
        assert 'data-testid="record-review"' in html
        response = client.post(
            _url("record_review", flagged),
            {"note": "入户核实，本人在食品厂务工", "version": flagged.version},
        )
        assert response.status_code == 302
        flagged.refresh_from_db()
        assert flagged.reviewed_by == clerk_a
        assert flagged.review_note == "入户核实，本人在食品厂务工"
        assert (
            'data-testid="record-review"'
            not in client.get(flagged.get_absolute_url()).content.decode()
        )

    def test_the_bureau_reviews_too(self, client, bureau, flagged):
        client.force_login(bureau)
        response = client.post(
            _url("record_review", flagged), {"note": "已核实", "version": flagged.version}
        )
        assert response.status_code == 302

    def test_a_grid_worker_records_jobs_but_does_not_review(self, client, grid_worker_a, flagged):
        client.force_login(grid_worker_a)
        assert (
            'data-testid="record-review"'
            not in client.get(flagged.get_absolute_url()).content.decode()
        )
        assert client.get(_url("record_review", flagged)).status_code == 403
        assert (
            client.post(
                _url("record_review", flagged), {"note": "看过", "version": flagged.version}
            ).status_code
            == 403
        )
        flagged.refresh_from_db()
        assert flagged.reviewed_at is None

    def test_a_job_without_a_flag_offers_no_review(self, client, clerk_a, job):
        client.force_login(clerk_a)
        html = client.get(job.get_absolute_url()).content.decode()
        assert 'data-testid="record-review"' not in html
        assert 'data-testid="record-flags"' not in html


class TestList:
    def test_it_filters_and_shows_the_flags(self, client, clerk_a, village_a, village_a2, job):
        flagged = record_job(worker(village_a2, labour_skill=LabourSkill.NONE), clerk_a)
        client.force_login(clerk_a)
        assert _rows(client.get(LIST)) == 2
        html = client.get(LIST, {"flagged": "true"}).content.decode()
        assert f'data-record="{flagged.pk}"' in html and f'data-record="{job.pk}"' not in html
        assert 'data-flag="EMP-4"' in html
        assert _rows(client.get(LIST, {"village": village_a.pk})) == 1
        assert _rows(client.get(LIST, {"q": "李春生"})) == 1
        assert _rows(client.get(LIST, {"place_category": PlaceCategory.OUT_OF_PROVINCE})) == 0
        # A value that does not check is left out, as a page follows an old link.
        assert _rows(client.get(LIST, {"batch": "nonsense"})) == 2

    def test_its_query_count_does_not_grow_with_the_rows(
        self, client, clerk_a, village_a, django_assert_num_queries
    ):
        for _index in range(3):
            record_job(worker(village_a), clerk_a)
        client.force_login(clerk_a)
        client.get(LIST)
        with CaptureQueriesContext(connection) as three:
            assert _rows(client.get(LIST)) == 3
        for _index in range(7):
            record_job(worker(village_a, labour_skill=LabourSkill.LOST), clerk_a)
        with django_assert_num_queries(len(three.captured_queries)):
            assert _rows(client.get(LIST)) == 10

    def test_another_township_sees_none_of_them(self, client, clerk_b, job):
        client.force_login(clerk_b)
        assert _rows(client.get(LIST)) == 0


class TestWelfarePostJob:
    def test_it_links_to_its_post_and_offers_no_edit_or_delete(
        self, client, clerk_a, village_a, person
    ):
        post = post_services.post_create(
            village=village_a,
            details=post_services.PostDetails(
                post_type="保洁员",
                funding=PostFunding.POST_SUBSIDY,
                holder=person,
                start_date=datetime.date(2026, 3, 1),
                months=9,
                monthly_pay=Decimal("500.00"),
            ),
            actor=clerk_a,
        )
        job = post.records.get()
        client.force_login(clerk_a)
        html = client.get(job.get_absolute_url()).content.decode()
        assert reverse("employment:post_detail", args=[post.pk]) in html
        assert 'data-testid="record-edit"' not in html
        assert 'data-testid="record-delete"' not in html
        assert client.get(_url("record_edit", job)).status_code == 302
        response = client.post(_url("record_delete", job), {"reason": "错", "version": 1})
        assert response.status_code == 302
        assert EmploymentRecord.objects.filter(pk=job.pk).exists()


class TestAccess:
    def test_the_township_clerk_opens_every_page(self, client, clerk_a, person, job):
        client.force_login(clerk_a)
        for url in (
            LIST,
            _new(person),
            job.get_absolute_url(),
            _url("record_edit", job),
            _url("record_end", job),
            _url("record_delete", job),
        ):
            assert client.get(url).status_code == 200, url

    def test_a_leader_reads_but_writes_nothing(self, client, leader, person, job):
        client.force_login(leader)
        assert _rows(client.get(LIST)) == 1
        html = client.get(job.get_absolute_url()).content.decode()
        assert 'data-testid="record-edit"' not in html
        assert 'data-testid="record-confirm"' not in html
        assert client.get(_new(person)).status_code == 403
        assert client.post(_new(person), _form()).status_code == 403
        for name in ("record_edit", "record_end", "record_review", "record_delete"):
            assert client.get(_url(name, job)).status_code == 403, name
            assert client.post(_url(name, job), _edit_form(job)).status_code == 403, name
        assert client.post(_url("record_confirm", job)).status_code == 403
        job.refresh_from_db()
        assert job.version == 1

    def test_another_townships_clerk_finds_nothing(self, client, clerk_b, person, job):
        client.force_login(clerk_b)
        assert client.get(_new(person)).status_code == 404
        assert client.post(_new(person), _form()).status_code == 404
        for name in ("record_detail", "record_edit", "record_end", "record_delete"):
            assert client.get(_url(name, job)).status_code == 404, name
        assert client.post(_url("record_edit", job), _edit_form(job)).status_code == 404
        assert client.post(_url("record_confirm", job)).status_code == 404
        assert EmploymentRecord.objects.filter(member=person).count() == 1

    def test_a_missing_job_is_not_found_either(self, client, clerk_a):
        client.force_login(clerk_a)
        assert client.get(reverse("employment:record_detail", args=[999999])).status_code == 404
