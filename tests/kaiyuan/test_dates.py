"""Today in Beijing, and working days on the official holiday calendar: 春节 and 国庆节 are not
working days, the 调休 weekends are, and an edit of the calendar in the admin moves the deadlines
it counts."""

from __future__ import annotations

import datetime
import random

import pytest
import time_machine
from django.core.exceptions import ValidationError

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common import dates
from kaiyuan.common.dates import add_working_days, is_working_day, working_days_between
from kaiyuan.policy.models import CalendarDay, PolicySettings
from monitoring.rules.cases import identification_deadline

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
D = datetime.date
UTC = datetime.UTC


def test_today_is_the_date_in_beijing_not_on_the_server():
    # 16:30 UTC on New Year's Eve is half past midnight in Beijing: the new year has begun.
    with time_machine.travel(datetime.datetime(2026, 12, 31, 16, 30, tzinfo=UTC), tick=False):
        assert dates.today() == D(2027, 1, 1)
    with time_machine.travel(datetime.datetime(2026, 12, 31, 15, 59, tzinfo=UTC), tick=False):
        assert dates.today() == D(2026, 12, 31)


def test_a_moment_is_dated_in_beijing():
    assert dates.local_date(datetime.datetime(2026, 5, 31, 23, 30, tzinfo=UTC)) == D(2026, 6, 1)


def test_the_tests_run_on_a_pinned_clock(clock):
    assert dates.today() == D(2026, 12, 2)
    clock.move_to(datetime.datetime(2027, 1, 4, 9, 0, tzinfo=UTC))
    assert dates.today() == D(2027, 1, 4)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2024, 2, 9), True),  # 除夕 2024: only encouraged as a day off, not a holiday
        (D(2024, 2, 12), False),  # 春节, a Monday
        (D(2024, 2, 4), True),  # Sunday worked before 春节
        (D(2024, 2, 18), True),  # Sunday worked after 春节
        (D(2024, 9, 29), True),  # Sunday worked before 国庆节
        (D(2024, 10, 7), False),  # 国庆节, a Monday
        (D(2024, 10, 12), True),  # Saturday worked after 国庆节
        (D(2024, 10, 13), False),  # an ordinary Sunday
        (D(2025, 10, 8), False),  # 国庆节、中秋节 2025 run to the 8th
        (D(2026, 1, 4), True),  # Sunday worked after 元旦 2026
        (D(2026, 2, 23), False),  # last day of 春节 2026, a Monday
        (D(2026, 2, 24), True),
        (D(2026, 11, 30), True),  # an ordinary Monday
    ],
)
def test_working_days_follow_the_state_council_notices(day, working):
    assert is_working_day(day) is working


def test_spring_festival_and_its_working_weekends_count_as_the_notice_says():
    # Thursday 8 Feb 2024: Friday the 9th is worked, then 10-17 are off, Sunday the 18th is worked.
    assert add_working_days(D(2024, 2, 8), 1) == D(2024, 2, 9)
    assert add_working_days(D(2024, 2, 8), 2) == D(2024, 2, 18)
    assert add_working_days(D(2024, 2, 8), 3) == D(2024, 2, 19)
    # Saturday 28 Sep 2024: Sunday the 29th and Monday the 30th are worked, 1-7 Oct are off.
    assert add_working_days(D(2024, 9, 28), 2) == D(2024, 9, 30)
    assert add_working_days(D(2024, 9, 28), 3) == D(2024, 10, 8)


def test_the_identification_deadline_skips_the_spring_festival(reference_data):
    """MON-ID-4: 20 working days from Friday 13 Feb 2026 end on 19 March, not on 13 March as a
    Monday-to-Friday count would have it (nine days off, two Saturdays worked)."""
    PolicySettings.objects.filter(year=2024).update(identification_working_days=20)
    assert identification_deadline(D(2026, 2, 13)) == D(2026, 3, 19)
    # The setting moves the deadline by working days: 19 ends on Wednesday, 1 on the worked
    # Saturday before the festival.
    PolicySettings.objects.filter(year=2024).update(identification_working_days=19)
    assert identification_deadline(D(2026, 2, 13)) == D(2026, 3, 18)
    PolicySettings.objects.filter(year=2024).update(identification_working_days=1)
    assert identification_deadline(D(2026, 2, 13)) == D(2026, 2, 14)


def test_an_edit_of_the_calendar_moves_the_deadline(reference_data):
    """The administrator enters a day off the notice did not have (for example 2027's notice):
    the deadline counted after the edit moves by one working day."""
    before = add_working_days(D(2026, 11, 27), 3)  # Friday + 3 = Wednesday 2 Dec
    CalendarDay.objects.create(day=D(2026, 11, 30), kind=CalendarDay.Kind.HOLIDAY, name="测试")
    assert before == D(2026, 12, 2)
    assert add_working_days(D(2026, 11, 27), 3) == D(2026, 12, 3)
    CalendarDay.objects.create(day=D(2026, 11, 28), kind=CalendarDay.Kind.WORKDAY, name="测试")
    assert add_working_days(D(2026, 11, 27), 3) == D(2026, 12, 2)


def test_a_working_day_entered_on_a_weekday_is_refused_in_chinese():
    day = CalendarDay(day=D(2027, 2, 3), kind=CalendarDay.Kind.WORKDAY, name="春节")
    with pytest.raises(ValidationError) as refused:
        day.full_clean()
    assert "调休上班日应为周六或周日" in str(refused.value)


def test_working_days_between_is_the_inverse_of_adding_them():
    """Across three years of holidays: every start and every count give back the count, and a
    day off or a weekend after the deadline adds no working day over it."""
    rng = random.Random(7)
    for _case in range(400):
        start = D(2024, 1, 1) + datetime.timedelta(days=rng.randrange(3 * 365))
        count = rng.randrange(0, 60)
        end = add_working_days(start, count)
        assert working_days_between(start, end) == count
        following = end + datetime.timedelta(days=1)
        expected = count + (1 if is_working_day(following) else 0)
        assert working_days_between(start, following) == expected
    assert working_days_between(D(2024, 10, 1), D(2024, 10, 1)) == 0
    assert working_days_between(D(2024, 10, 8), D(2024, 10, 1)) == 0


def test_the_administrator_enters_a_day_off_in_the_admin_and_it_is_audited(client, admin_user):
    client.force_login(admin_user)
    listing = client.get("/admin/policy/calendarday/", {"day__year": "2026"}).content.decode()
    assert "国庆节" in listing and "调休上班" in listing
    before = add_working_days(D(2027, 2, 5), 1)  # a Friday: the next working day is Monday
    answer = client.post(
        "/admin/policy/calendarday/add/",
        {"day": "2027-02-08", "kind": CalendarDay.Kind.HOLIDAY, "name": "春节"},
    )
    assert answer.status_code == 302, answer.content.decode()
    assert (before, add_working_days(D(2027, 2, 5), 1)) == (D(2027, 2, 8), D(2027, 2, 9))
    event = AuditEvent.objects.get(action="admin_add", object_repr__startswith="2027-02-08")
    assert event.actor == admin_user


@pytest.mark.parametrize("role", ["bureau", "clerk_a", "leader"])
def test_only_the_administrator_opens_the_holiday_calendar(client, request, role):
    client.force_login(request.getfixturevalue(role))
    answer = client.get("/admin/policy/calendarday/")
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
    refused = client.post(
        "/admin/policy/calendarday/add/",
        {"day": "2027-02-08", "kind": CalendarDay.Kind.HOLIDAY, "name": "春节"},
    )
    assert refused.status_code == 302
    assert not CalendarDay.objects.filter(day=D(2027, 2, 8)).exists()
