"""Skills courses on their pages: a course recorded for an area, a person found by name and put
on it (never by ID number, never shown in full), a certificate only for a finished course, a
trainee corrected and removed; a county course seen by a township clerk whose people it trained,
with only those people, and not changed by them; the trainees now in a job counted under the
training batch; the list at a constant query count; the three access answers."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from employment.codes import Batch, Certificate, CourseType
from employment.models import Trainee, Training
from employment.services import trainings as services
from kaiyuan.audit.models import AuditEvent
from tests.employment.factories import course, make_household, make_member, record_job, worker
from tests.monitoring.factories import next_id_number

pytestmark = pytest.mark.django_db


def _detail(training) -> str:
    return reverse("employment:training_detail", args=[training.pk])


def _course_form(area, **changes) -> dict:
    data = {
        "area": area.pk,
        "course": "家政服务员培训",
        "course_type": CourseType.SKILLS,
        "organiser": "开原市人社局",
        "place": "中固镇综合文化站",
        "start_date": "2026-05-11",
        "end_date": "2026-05-20",
        "hours": "80",
    }
    data.update(changes)
    return data


def _add(client, training, member, **fields):
    data = {"trainee-member": member.pk, "trainee-completed": "on", **fields}
    return client.post(reverse("employment:trainee_add", args=[training.pk]), data)


@pytest.fixture
def training(township_a, clerk_a):
    return course(township_a, clerk_a)


class TestCourse:
    def test_the_clerk_records_a_course_for_a_village_of_the_township(
        self, client, clerk_a, village_a, township_b
    ):
        url = reverse("employment:training_new")
        client.force_login(clerk_a)
        page = client.get(url)
        areas = set(page.context["form"].fields["area"].queryset)
        assert clerk_a.area in areas and village_a in areas and township_b not in areas
        response = client.post(url, _course_form(village_a))
        training = Training.objects.get()
        assert response["Location"] == _detail(training)
        assert (training.area, training.hours, training.created_by) == (village_a, 80, clerk_a)
        # Another township is not offered, nor taken.
        response = client.post(url, _course_form(township_b))
        assert response.status_code == 400 and "area" in response.context["form"].errors
        assert Training.objects.count() == 1

    def test_an_edit_over_a_stale_page_is_refused(self, client, clerk_a, training):
        url = reverse("employment:training_edit", args=[training.pk])
        client.force_login(clerk_a)
        assert client.get(url).status_code == 200
        data = _course_form(training.area, course="电工技能培训（第二期）")
        del data["area"]
        services.training_change(
            training=training,
            details=services.CourseDetails(
                **{n: getattr(training, n) for n in services.FIELDS} | {"organiser": "县就业局"}
            ),
            expected_version=training.version,
            actor=clerk_a,
        )
        response = client.post(url, {**data, "version": training.version})
        assert response.status_code == 400
        assert response.context["form"].non_field_errors() == [
            gettext("Someone else changed this course since you opened it. Reload the page.")
        ]
        training.refresh_from_db()
        assert training.course == "电工技能培训"
        assert client.post(url, {**data, "version": training.version}).status_code == 302
        training.refresh_from_db()
        assert (training.course, training.organiser) == ("电工技能培训（第二期）", "开原市人社局")


class TestTrainees:
    def test_a_person_is_found_by_name_with_a_masked_id_and_put_on_the_course(
        self, client, clerk_a, training, village_a, village_b
    ):
        person = worker(village_a, name="赵丽华")
        watched = worker(village_a, monitored_household=True, name="赵丽娟")
        make_member(make_household(village_a, household_type="一般农户"), name="赵丽")
        worker(village_b, name="赵丽芳")
        client.force_login(clerk_a)
        page = client.get(_detail(training), {"q": "赵丽"})
        choices = dict(page.context["trainee_form"].fields["member"].widget.choices)
        assert set(choices) == {person.pk, watched.pk}
        assert person.id_masked in choices[person.pk]
        # Through htmx only the people found are drawn again.
        partial = client.get(_detail(training), {"q": "赵丽"}, headers={"HX-Request": "true"})
        html = partial.content.decode()
        assert html.startswith('<div id="people-found"') and "<html" not in html
        # An ID number is not searched from the address.
        number = next_id_number()
        page = client.get(_detail(training), {"q": number})
        assert page.context["id_in_address"] is True and page.context["found"] is None
        assert number not in page.content.decode()

        response = _add(
            client,
            training,
            person,
            **{"trainee-certificate": Certificate.SKILL_LEVEL, "trainee-certificate_number": "S1"},
        )
        assert response.status_code == 302
        trainee = Trainee.objects.get()
        assert (trainee.member, trainee.completed, trainee.certificate) == (
            person,
            True,
            Certificate.SKILL_LEVEL,
        )
        html = client.get(_detail(training)).content.decode()
        assert f'data-member="{person.pk}"' in html and person.id_masked in html
        # Once on the course, the person is no longer offered.
        page = client.get(_detail(training), {"q": "赵丽华"})
        assert page.context["trainee_form"].fields["member"].widget.choices == []

    def test_a_certificate_needs_the_course_finished(self, client, clerk_a, training, village_a):
        person = worker(village_a)
        client.force_login(clerk_a)
        data = {
            "trainee-member": person.pk,
            "trainee-certificate": Certificate.COMPLETION,
        }  # "completed" left unticked
        response = client.post(reverse("employment:trainee_add", args=[training.pk]), data)
        assert response.status_code == 400
        assert response.context["trainee_form"].errors["certificate"] == [
            gettext("A certificate is given only for a finished course.")
        ]
        assert not Trainee.objects.exists()
        # The same on the trainee's own page.
        _add(client, training, person)
        trainee = Trainee.objects.get()
        url = reverse("employment:trainee_edit", args=[trainee.pk])
        response = client.post(url, {"trainee-certificate": Certificate.COMPLETION})
        assert response.status_code == 400
        assert response.context["form"].errors["certificate"] == [
            gettext("A certificate is given only for a finished course.")
        ]
        response = client.post(
            url, {"trainee-completed": "on", "trainee-certificate": Certificate.COMPLETION}
        )
        assert response.status_code == 302
        trainee.refresh_from_db()
        assert trainee.certificate == Certificate.COMPLETION

    def test_a_person_of_an_ordinary_household_is_refused(
        self, client, clerk_a, training, village_a
    ):
        ordinary = make_member(make_household(village_a, household_type="一般农户"), name="钱三")
        client.force_login(clerk_a)
        response = _add(client, training, ordinary)
        assert response.status_code == 400
        assert response.context["trainee_form"].errors["member"] == [
            gettext("%(name)s's household is neither a 脱贫户 nor a monitored household.")
            % {"name": "钱三"}
        ]
        assert not Trainee.objects.exists()

    def test_a_trainee_is_removed_with_a_reason(self, client, clerk_a, training, village_a):
        person = worker(village_a)
        services.trainee_add(training=training, member=person, actor=clerk_a)
        trainee = Trainee.objects.get()
        url = reverse("employment:trainee_remove", args=[trainee.pk])
        client.force_login(clerk_a)
        assert client.get(reverse("employment:trainee_edit", args=[trainee.pk])).status_code == 200
        assert client.post(url, {"remove-reason": ""}).status_code == 400
        assert Trainee.objects.exists()
        assert client.post(url, {"remove-reason": "重复录入"}).status_code == 302
        assert not Trainee.objects.exists()
        event = AuditEvent.objects.filter(action="trainee_remove").get()
        assert event.note == "重复录入"

    def test_the_trainees_now_in_a_training_batch_job_are_shown(
        self, client, clerk_a, training, village_a
    ):
        hired, idle = worker(village_a, name="孙一"), worker(village_a, name="孙二")
        for person in (hired, idle):
            services.trainee_add(training=training, member=person, actor=clerk_a)
        record_job(hired, clerk_a, start_date=datetime.date(2026, 3, 1), batch=Batch.TRAINING)
        client.force_login(clerk_a)
        page = client.get(_detail(training))
        by_member = {t.member_id: t.in_job for t in page.context["trainees"]}
        assert by_member == {hired.pk: True, idle.pk: False}
        assert page.context["in_job"] == 1


class TestCountyCourse:
    def test_a_township_clerk_sees_their_people_on_it_and_changes_nothing(
        self, client, bureau, clerk_a, county, village_a, village_b
    ):
        training = course(county, bureau, course="县级电商培训")
        mine, theirs = worker(village_a, name="周一"), worker(village_b, name="周二")
        for person in (mine, theirs):
            services.trainee_add(training=training, member=person, actor=bureau)
        [trainee_a] = Trainee.objects.filter(member=mine)
        client.force_login(clerk_a)
        listed = client.get(reverse("employment:training_list")).content.decode()
        assert f'data-training="{training.pk}"' in listed
        assert 'data-testid="trainee-count">1<' in listed
        page = client.get(_detail(training))
        assert page.status_code == 200
        assert [t.member for t in page.context["trainees"]] == [mine]
        assert "trainee_form" not in page.context and page.context["may_write"] is False
        html = page.content.decode()
        assert "周二" not in html and 'data-testid="training-edit"' not in html
        edit = reverse("employment:training_edit", args=[training.pk])
        assert client.get(edit).status_code == 403
        assert _add(client, training, worker(village_a)).status_code == 403
        trainee_edit = reverse("employment:trainee_edit", args=[trainee_a.pk])
        assert client.get(trainee_edit).status_code == 403
        remove = reverse("employment:trainee_remove", args=[trainee_a.pk])
        assert client.post(remove, {"remove-reason": "x"}).status_code == 403
        assert Trainee.objects.filter(training=training).count() == 2
        # Before it trained anyone of the township, the township does not see it.
        other = course(county, bureau, course="县级厨师培训")
        assert client.get(_detail(other)).status_code == 404


class TestList:
    URL = reverse("employment:training_list")

    def test_it_filters_by_type_year_and_words(self, client, clerk_a, township_a):
        skills = course(township_a, clerk_a)
        sales = course(
            township_a,
            clerk_a,
            course="农村电商直播",
            course_type=CourseType.SALES,
            start_date=datetime.date(2025, 6, 1),
            end_date=datetime.date(2025, 6, 3),
        )
        client.force_login(clerk_a)

        def shown(**query):
            html = client.get(self.URL, query).content.decode()
            return {t.pk for t in (skills, sales) if f'data-training="{t.pk}"' in html}

        assert shown() == {skills.pk, sales.pk}
        assert shown(course_type=CourseType.SALES) == {sales.pk}
        assert shown(year=2025) == {sales.pk}
        assert shown(q="直播") == {sales.pk}

    def test_the_list_runs_the_same_queries_for_one_or_fifteen(
        self, client, clerk_a, township_a, village_a, django_assert_num_queries
    ):
        def with_trainee(index):
            training = course(township_a, clerk_a, course=f"培训{index}")
            services.trainee_add(training=training, member=worker(village_a), actor=clerk_a)

        with_trainee(0)
        client.force_login(clerk_a)
        client.get(self.URL)
        with CaptureQueriesContext(connection) as one:
            client.get(self.URL)
        for index in range(1, 15):
            with_trainee(index)
        with django_assert_num_queries(len(one.captured_queries)):
            html = client.get(self.URL).content.decode()
        assert html.count('data-testid="training-row"') == 15
        assert html.count('data-testid="trainee-count">1<') == 15


class TestAccess:
    @pytest.fixture
    def trainee(self, training, village_a, clerk_a):
        return services.trainee_add(training=training, member=worker(village_a), actor=clerk_a)

    def _writes(self, training, trainee, village):
        return [
            (reverse("employment:training_new"), _course_form(village)),
            (reverse("employment:training_edit", args=[training.pk]), {}),
            (reverse("employment:trainee_add", args=[training.pk]), {}),
            (reverse("employment:trainee_edit", args=[trainee.pk]), {}),
            (reverse("employment:trainee_remove", args=[trainee.pk]), {"remove-reason": "x"}),
        ]

    def test_the_clerk_opens_every_page(self, client, clerk_a, training, trainee):
        client.force_login(clerk_a)
        for url in (
            reverse("employment:training_list"),
            reverse("employment:training_new"),
            _detail(training),
            reverse("employment:training_edit", args=[training.pk]),
            reverse("employment:trainee_edit", args=[trainee.pk]),
        ):
            assert client.get(url).status_code == 200, url

    def test_a_leader_reads_and_may_write_nothing(
        self, client, leader, training, trainee, village_a
    ):
        client.force_login(leader)
        assert client.get(reverse("employment:training_list")).status_code == 200
        page = client.get(_detail(training))
        assert page.status_code == 200 and "trainee_form" not in page.context
        for url, data in self._writes(training, trainee, village_a):
            assert client.post(url, data).status_code == 403, url
        assert Training.objects.count() == 1 and Trainee.objects.count() == 1

    def test_another_township_gets_not_found(self, client, clerk_b, training, trainee, village_a):
        client.force_login(clerk_b)
        assert client.get(_detail(training)).status_code == 404
        for url, data in self._writes(training, trainee, village_a)[1:]:
            assert client.post(url, data).status_code == 404, url
        listed = client.get(reverse("employment:training_list")).content.decode()
        assert f'data-training="{training.pk}"' not in listed
        assert Training.objects.count() == 1 and Trainee.objects.count() == 1


@pytest.mark.sqlite
def test_the_course_pages_open_on_any_database(client, clerk_a, township_a, village_a):
    training = course(township_a, clerk_a)
    person = worker(village_a, name="吴桂芝")
    trainee = services.trainee_add(training=training, member=person, actor=clerk_a)
    client.force_login(clerk_a)
    for url in (
        reverse("employment:training_list"),
        _detail(training) + "?q=吴",
        reverse("employment:trainee_edit", args=[trainee.pk]),
    ):
        assert client.get(url).status_code == 200, url
