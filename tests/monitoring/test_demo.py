"""The monitoring demo data: deterministic for a seed, realistic proportions, the hard rules kept
everywhere except the problems made on purpose (monitoring.demo.households.DELIBERATE_PROBLEMS)."""

from __future__ import annotations

import datetime
import hashlib
import itertools
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kaiyuan.accounts.models import User
from kaiyuan.areas.models import Area, Grid
from kaiyuan.common import dates, pii
from kaiyuan.common.idcard import parse_id_number
from kaiyuan.common.rules import ERROR
from kaiyuan.policy.models import PolicySettings
from monitoring.codes import (
    HAS_LABOUR,
    RISK_DISABILITY,
    RISK_EMPLOYMENT,
    HouseholdType,
    IdType,
    MonitoringCategory,
    Sex,
)
from monitoring.demo.households import DELIBERATE_PROBLEMS, delete_all
from monitoring.models import GuaranteeCheck, Household, IncomeRecord, Member, RiskLead, Visit
from monitoring.models.households import MONITORED_STATES
from monitoring.rules.households import check_composition, check_household, check_household_size
from monitoring.rules.incomes import IncomeBand, income_band
from monitoring.rules.members import check_member
from monitoring.rules.visits import VisitStatus
from monitoring.selectors.quality import quality_overview
from monitoring.selectors.visits import visit_month_list

pytestmark = pytest.mark.django_db

HOUSEHOLDS = 200
CENT = Decimal("0.01")


def _fingerprint() -> str:
    rows = [
        *Household.objects.order_by("household_number").values_list(
            "household_number",
            "head_name",
            "household_type",
            "monitoring_category",
            "monitoring_status",
            "risk_1",
            "household_size",
            "per_capita_income",
        ),
        *Member.objects.order_by("household__household_number", "person_number").values_list(
            "person_number", "name", "id_masked", "relation", "labour_skill", "health"
        ),
        *IncomeRecord.objects.order_by("household__household_number", "year").values_list(
            "household__household_number", "year", "wage_income", "transfer_income", "net_income"
        ),
        *Visit.objects.order_by("household__household_number", "visited_on", "level").values_list(
            "household__household_number", "level", "visited_on", "visitor__username", "new_risk"
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _wipe() -> None:
    """What tests/kaiyuan/test_seed.py wipes, after the monitoring rows that point at it."""
    delete_all()
    Grid.objects.all().delete()
    User.objects.all().delete()
    Area.objects.filter(level="group").delete()
    Area.objects.filter(level="village").delete()


@pytest.fixture
def demo(db):
    call_command("seed_demo", households=HOUSEHOLDS, seed=11)


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    call_command("seed_demo", households=HOUSEHOLDS, seed=7)
    first = _fingerprint()
    assert Household.objects.count() == HOUSEHOLDS
    _wipe()
    call_command("seed_demo", households=HOUSEHOLDS, seed=7)
    assert _fingerprint() == first
    _wipe()
    call_command("seed_demo", households=HOUSEHOLDS, seed=8)
    assert _fingerprint() != first


def test_the_hard_rules_hold_except_the_problems_made_on_purpose(demo):
    broken: Counter[str] = Counter()
    households = {h.pk: h for h in Household.objects.select_related("area", "group", "grid")}
    members_of: dict[int, list[Member]] = {pk: [] for pk in households}
    for member in Member.objects.filter(status=Member.Status.ACTIVE):
        members_of[member.household_id].append(member)
    for pk, household in households.items():
        members = members_of[pk]
        for member in members:
            broken.update(v.rule for v in check_member(member, household))
        broken.update(v.rule for v in check_composition(members))
        broken.update(v.rule for v in check_household(household))
        size = check_household_size(household, len(members))
        if size is not None:
            broken[size.rule] += 1
    assert dict(broken) == DELIBERATE_PROBLEMS


def test_id_numbers_are_valid_unique_and_agree_with_sex_and_birth(demo):
    seen = set()
    for member in Member.objects.all():
        number = pii.decrypt(member.id_cipher)
        parsed = parse_id_number(number)
        assert parsed.birth_date == member.birth_date
        assert (parsed.sex == "male") == (member.sex == Sex.MALE)
        assert member.id_index == pii.blind_index(number)
        assert member.id_masked == number[:6] + "*" * 8 + number[-4:]
        seen.add(number)
    assert len(seen) == Member.objects.count()
    prefixes = Counter(number[:6] for number in seen)
    assert prefixes.most_common(1)[0][0] == "211282"
    assert len(prefixes) > 1  # some people were born elsewhere


def test_the_proportions_look_like_a_county(demo):
    total = Household.objects.count()
    exited = Household.objects.filter(household_type=HouseholdType.EXITED).count()
    assert 0.08 * total <= exited <= 0.12 * total
    members = Member.objects.count()
    assert 2.4 <= members / total <= 3.2
    monitored = list(Household.objects.monitored())
    assert monitored
    assert 0 < len(monitored) < 0.06 * total
    for household in monitored:
        category = household.monitoring_category
        # MON-CAT-1
        if category == MonitoringCategory.UNSTABLE:
            assert household.household_type == HouseholdType.EXITED
        if category == MonitoringCategory.MARGINAL:
            assert household.household_type == HouseholdType.ORDINARY
        # MON-CAT-3: one to three risks, no duplicates
        assert 1 <= len(household.risks) <= 3
        assert len(set(household.risks)) == len(household.risks)
        assert household.risk_identified_on is not None
        assert household.helper_name and len(household.helper_phone) == 11
        active = household.members.filter(status=Member.Status.ACTIVE)
        if RISK_DISABILITY in household.risks:  # MON-RISK-1
            assert active.filter(id_type=IdType.DISABILITY_CERT).exists()
        if RISK_EMPLOYMENT in household.risks:  # MON-RISK-4
            assert active.filter(labour_skill__in=HAS_LABOUR).exists()
    eliminated = [h for h in monitored if h.monitoring_status == "eliminated"]
    for household in eliminated:
        assert household.elimination_mode
        assert household.risk_identified_on < household.risk_eliminated_on <= dates.today()
        assert GuaranteeCheck.objects.filter(household=household, kind="elimination").exists()
    assert Household.objects.filter(flagged_for_attention=True).exists()


def test_every_household_under_the_grid_is_visited_and_some_are_overdue(demo):
    today = dates.today()
    in_scope = Household.objects.filter(household_type=HouseholdType.EXITED) | (
        Household.objects.filter(monitoring_status__in=MONITORED_STATES)
        | Household.objects.filter(flagged_for_attention=True)
    )
    assert not in_scope.filter(visits__isnull=True).exists()
    assert not Visit.objects.exclude(household__in=in_scope).exists()
    assert not Visit.objects.filter(visited_on__gt=today).exists()
    assert Visit.objects.filter(level="township").exists()
    this_month = dates.month_of(today)
    last_month = dates.month_of(this_month.start - datetime.timedelta(days=1))

    def visited(period):
        return Visit.objects.filter(
            level="village", visited_on__gte=period.start, visited_on__lte=period.end
        ).values("household")

    overdue = in_scope.exclude(pk__in=visited(this_month)).exclude(pk__in=visited(last_month))
    assert overdue.exists()
    # Visitors are the grid worker, or the township clerk where the grid has none.
    for visit in Visit.objects.select_related("visitor", "visitor__area", "area")[:200]:
        assert visit.area.path.startswith(visit.visitor.area.path)
    # A visit that found a new risk opened a risk lead (other leads come from elsewhere).
    leads = RiskLead.objects.filter(visit__isnull=False).select_related("visit")
    assert leads.exists()
    assert all(lead.visit.new_risk and lead.source == "visit" for lead in leads)
    assert Visit.objects.filter(new_risk=True).count() == leads.count()


def test_incomes_are_decimal_yuan_and_fill_the_bands(demo):
    records = list(IncomeRecord.objects.select_related("household"))
    assert records
    years = {record.year for record in records}
    assert years == {dates.today().year - 2, dates.today().year - 1}
    for record in records:
        for name in ("wage_income", "transfer_income", "net_income", "per_capita_net_income"):
            value = getattr(record, name)
            assert isinstance(value, Decimal)
            assert value.as_tuple().exponent == -2
        assert record.net_income == (
            record.wage_income
            + record.business_income
            + record.property_income
            + record.transfer_income
            - record.business_expense
        )
        per_capita = record.net_income / record.household_size
        assert record.per_capita_net_income == per_capita.quantize(CENT, rounding=ROUND_HALF_UP)
    latest_year = max(years)
    bands = {
        income_band(h.per_capita_income, year=h.income_year)
        for h in Household.objects.filter(income_year=latest_year)
    }
    assert bands == set(IncomeBand)
    in_scope_types = Household.objects.filter(incomes__isnull=False).distinct()
    assert not in_scope_types.filter(
        household_type=HouseholdType.ORDINARY, monitoring_category=""
    ).exists()


def test_the_demo_monitoring_lines_are_set_and_flagged_as_demonstration_values(demo):
    lines = dict(PolicySettings.objects.values_list("year", "monitoring_line"))
    assert lines[2024] == Decimal("7000.00")
    assert lines[2025] == Decimal("7300.00")
    assert lines[2026] == Decimal("7600.00")
    assert set(PolicySettings.objects.values_list("demo_values", flat=True)) == {True}


def test_the_demo_lines_say_demonstration_data_in_the_admin_and_on_the_policy_sheet(demo, client):
    client.force_login(User.objects.get(username="admin"))
    page = client.get(reverse("admin:policy_policysettings_changelist")).content.decode()
    assert "7600.00（演示数据）" in page and "7000.00（演示数据）" in page
    row = PolicySettings.objects.get(year=2026)
    form = client.get(reverse("admin:policy_policysettings_change", args=[row.pk])).content
    assert "演示数值".encode() in form
    sheet = client.get(reverse("monitoring:policy_sheet"))
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in _pdf_pages(sheet)))
    assert "2026年监测范围：家庭年人均纯收入7600元。（演示数据）" in text


def _pdf_pages(response):
    import io

    import pypdf

    content = b"".join(response.streaming_content) if response.streaming else response.content
    return pypdf.PdfReader(io.BytesIO(content)).pages


def test_the_demo_cards_show_monitored_types_and_peoples_names(demo):
    from kaiyuan.accounts.roles import Role
    from monitoring.selectors.cards import card_villages, village_cards

    bureau = User.objects.get(username="bureau")
    role_words = [str(label) for label in Role.labels] + ["网格员", "办事员", "录入员"]
    cards = [
        card
        for village in card_villages(user=bureau, year=dates.today().year)
        for card in village_cards(user=bureau, village=village, year=2026, include_exited=True)
    ]
    assert any(card.grid_worker_name for card in cards)
    for card in cards:
        assert card.category in ("", *MonitoringCategory.values)
        if card.household_type == HouseholdType.EXITED and not card.identified_on:
            assert card.category == ""
        for name in (card.grid_worker_name, card.helper_name):
            assert not any(word in name for word in role_words), name
    for user in User.objects.exclude(role=Role.DEPARTMENT):
        assert not any(word in user.get_full_name() for word in role_words), user


def test_the_demo_cases_at_township_review_are_the_first_clerks_to_review(demo):
    # The demo's village steps were entered by each township's second clerk (clerk2_…), so the
    # first may take the township review, and the second is refused (separation of duties).
    from kaiyuan.common.workflow import DutiesNotSeparated
    from monitoring.models import MonitoringCase
    from monitoring.services.cases import case_township_review

    case = (
        MonitoringCase.objects.filter(status=MonitoringCase.Status.TOWNSHIP_REVIEW)
        .select_related("area__parent")
        .first()
    )
    assert case is not None, "the demo has a case waiting for its township review"
    code = case.area.parent.code
    entering = User.objects.get(username=f"clerk2_{code}")
    with pytest.raises(DutiesNotSeparated):
        case_township_review(case=case, actor=entering, passed=False, reason="材料不全")
    reviewer = User.objects.get(username=f"clerk_{code}")
    case_township_review(case=case, actor=reviewer, passed=False, reason="材料不全")
    case.refresh_from_db()
    assert case.status == MonitoringCase.Status.VERIFYING


# ---- what the demo's users see ----------------------------------------------------------------

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_grid_logins() -> list[str]:
    """The grid workers' user names the README's "Demo logins" table gives."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    return sorted(set(re.findall(r"`(grid_\d{12})`", section)))


def test_household_numbers_have_the_national_systems_one_length(demo):
    numbers = list(Household.objects.values_list("household_number", "area__code"))
    assert len(numbers) == HOUSEHOLDS
    assert {len(number) for number, _code in numbers} == {16}
    for number, code in numbers:
        assert number.isdigit() and number.startswith(code)
    # The people's numbers (人编号) are the household's and two digits.
    assert {len(n) for n in Member.objects.values_list("person_number", flat=True)} == {18}


def test_the_demo_passes_its_own_data_quality_page(demo, client):
    bureau = User.objects.get(username="bureau")
    rows, _townships = quality_overview(bureau)
    errors = {row.rule_id: row.total for row in rows if row.severity == ERROR}
    assert errors and set(errors.values()) == {0}, errors
    flags = {row.rule_id: row.total for row in rows if row.severity != ERROR and row.total}
    assert flags == DELIBERATE_PROBLEMS  # the page still has something to show
    client.force_login(bureau)
    assert client.get(reverse("monitoring:quality")).status_code == 200


def _assert_grid_logins_have_households_due_and_overdue() -> None:
    logins = readme_grid_logins()
    assert "grid_211282104201" in logins and len(logins) == 6
    today = dates.today()
    for username in logins:
        worker = User.objects.get(username=username)
        households, _obligation = visit_month_list(user=worker, day=today, today=today)
        statuses = Counter(h.visit_status for h in households)
        assert statuses[VisitStatus.DUE] >= 1, username
        assert statuses[VisitStatus.OVERDUE] >= 1, username


def test_every_grid_login_of_the_readme_has_households_due_and_overdue_this_month(demo):
    _assert_grid_logins_have_households_due_and_overdue()


def test_late_in_the_month_the_grid_logins_still_have_households_due_and_overdue(clock):
    # On the 28th most households have had this month's visit: the due ones are made so.
    clock.move_to(datetime.datetime(2026, 12, 28, 16, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    call_command("seed_demo", households=HOUSEHOLDS, seed=3)
    _assert_grid_logins_have_households_due_and_overdue()


# ---- the cases --------------------------------------------------------------------------------


def _cases_with_steps():
    from monitoring.models import CaseStep, MonitoringCase

    steps: dict[int, list] = {}
    for step in CaseStep.objects.order_by("at", "id"):
        steps.setdefault(step.case_id, []).append(step)
    cases = list(MonitoringCase.objects.select_related("household").order_by("pk"))
    return [(case, steps.get(case.pk, [])) for case in cases]


def _assert_cases_keep_the_workflow(publicity_days: int) -> None:
    """``publicity_days`` from 2024 on, the years with settings (before, the plan's 5 days)."""
    from monitoring.demo.cases.timeline import case_problems
    from monitoring.models import MonitoringCase

    now = timezone.now()
    cases = _cases_with_steps()
    statuses = {case.status for case, _steps in cases}
    assert set(MonitoringCase.Status.values) <= statuses
    for case, steps in cases:
        assert steps, case
        assert steps[0].action == "open"
        # Each step after the one before it, none after now.
        times = [step.at for step in steps]
        assert times == sorted(times) and len(set(times)) == len(times), case
        assert times[-1] <= now, case
        assert all(a.to_state == b.from_state for a, b in itertools.pairwise(steps))
        assert steps[-1].to_state == case.status
        actions = [step.action for step in steps]
        if "appraise" in actions:
            # MON-ID-3: the publicity lasts the policy's days, and is closed only after it.
            days = publicity_days if case.publicity_start.year >= 2024 else 5
            assert (case.publicity_end - case.publicity_start).days + 1 == days, case
            assert case.publicity_start == dates.local_date(steps[actions.index("appraise")].at)
        for closer in ("close_publicity", "objection_upheld"):
            if closer in actions:
                closed = dates.local_date(steps[actions.index(closer)].at)
                assert closed > case.publicity_end, case
        if "county_approve" in actions:
            assert dates.is_working_day(case.announced_on)
        if case.kind == "identification" and case.application_date:
            # MON-ID-4 on the holiday calendar, and the overdue mark the daily sweep would set.
            assert case.deadline == dates.add_working_days(case.application_date, 20)
            assert case.overdue == (case.is_open and case.deadline < dates.today()), case
        assert case_problems(case, steps, now=now) == [], case


def test_every_demo_case_follows_the_workflow_and_its_rules(demo):
    _assert_cases_keep_the_workflow(publicity_days=5)
    from monitoring.models import Household, MonitoringCase

    approved = MonitoringCase.objects.filter(status="approved", kind="identification")
    for case in approved.select_related("household"):
        assert case.announced_on == case.household.risk_identified_on
    assert MonitoringCase.objects.filter(overdue=True).exists()
    assert MonitoringCase.objects.filter(status="county_approval", overdue=False).exists()
    assert Household.objects.filter(monitoring_status="county_approval").exists()


def test_the_demo_cases_follow_a_changed_publicity_period(clock):
    PolicySettings.objects.update(monitoring_publicity_days=9)
    call_command("seed_demo", households=HOUSEHOLDS, seed=5)
    _assert_cases_keep_the_workflow(publicity_days=9)


def test_the_check_of_demo_cases_finds_a_case_closed_during_its_publicity(demo):
    from monitoring.demo.cases.timeline import case_problems

    case, steps = next((c, s) for c, s in _cases_with_steps() if c.status == "county_approval")
    closed = next(step for step in steps if step.action == "close_publicity")
    case.publicity_end = dates.local_date(closed.at)
    case.publicity_start = case.publicity_end - datetime.timedelta(days=4)
    assert any("公示" in problem for problem in case_problems(case, steps, now=timezone.now()))
    steps[-1].at = timezone.now() + datetime.timedelta(minutes=5)
    assert any("after now" in problem for problem in case_problems(case, steps, now=timezone.now()))


def test_each_warning_is_dated_the_day_its_list_was_uploaded_and_none_in_the_future(demo):
    from kaiyuan.common.dates import local_date, today
    from monitoring.models import DeptWarning

    warnings = list(DeptWarning.objects.select_related("upload"))
    assert len({warning.upload_id for warning in warnings}) >= 3  # lists sent now and then
    for warning in warnings:
        listed_on = local_date(warning.upload.uploaded_at)
        assert warning.warned_on == listed_on <= today()
        assert warning.deadline >= warning.warned_on


def test_leads_and_visits_are_entered_when_they_happened_never_in_the_future(demo):
    from django.utils import timezone

    from kaiyuan.common.dates import local_date
    from monitoring.models import RiskLead, Visit

    now = timezone.now()
    leads = list(RiskLead.objects.all())
    assert leads
    for lead in leads:
        assert lead.created_at <= now
        assert local_date(lead.created_at) <= lead.deadline, lead.pk  # received, then due
    for visited_on, created_at in Visit.objects.values_list("visited_on", "created_at"):
        assert local_date(created_at) == visited_on and created_at <= now
