"""Identification and elimination cases: every transition allowed and refused, the rules at
their thresholds, and concurrent steps."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.dates import add_months, add_working_days, today
from kaiyuan.common.errors import DomainError, TransitionNotAllowed
from kaiyuan.common.rules import RulesBroken
from kaiyuan.common.workflow import DutiesNotSeparated
from kaiyuan.common.workflow import StepChanged as CaseChanged
from kaiyuan.policy.models import PolicySettings
from monitoring.codes import HouseholdType, LabourSkill, MonitoringCategory
from monitoring.exceptions import MonitoringError
from monitoring.models import AssistanceMeasure, CaseStep, Household, MonitoringCase
from monitoring.services import cases
from monitoring.services.measures import measure_create
from tests.monitoring.factories import make_household, make_member

pytestmark = pytest.mark.django_db
Status = MonitoringCase.Status
NO_PROBLEMS = dict(
    child_out_of_school=False, housing_unsafe=False, member_uninsured=False, water_unsafe=False
)


def pdf(name="授权书.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 signed", content_type="application/pdf")


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def line():
    year = today().year
    PolicySettings.objects.update_or_create(
        year=year, defaults={"monitoring_line": Decimal("7000")}
    )
    return Decimal("7000")


@pytest.fixture
def household(village_a):
    return make_household(village_a, household_type=HouseholdType.ORDINARY)


def _submit(case, actor, **overrides):
    args = dict(
        case=case,
        actor=actor,
        application_date=today(),
        authorisation=pdf(),
        category=MonitoringCategory.SUDDEN,
        risks=["因病"],
        guarantees=NO_PROBLEMS,
    )
    args.update(overrides)
    return cases.case_submit_application(**args)


def _to_publicity(household, clerk, bureau):
    case = cases.case_open_identification(household=household, actor=clerk)
    _submit(case, clerk)
    cases.case_record_crosscheck(case=case, actor=bureau, result="无车辆、无经营主体")
    cases.case_complete_verification(
        case=case, actor=clerk, verifiers=["张三", "李四"], verified_on=today(), findings="属实"
    )
    cases.case_appraise(
        case=case,
        actor=clerk,
        eligible=True,
        appraisal_on=today(),
        reason="",
        minutes=pdf("会议记录.pdf"),
    )
    case.refresh_from_db()
    return case


def _end_publicity(case):
    MonitoringCase.objects.filter(pk=case.pk).update(
        publicity_end=today() - datetime.timedelta(days=1)
    )
    case.refresh_from_db()


class TestIdentification:
    def test_the_whole_path_makes_the_household_monitored(
        self, household, clerk_a, bureau, reviewer_a
    ):
        case = _to_publicity(household, clerk_a, bureau)
        assert case.status == Status.VILLAGE_PUBLICITY
        assert case.publicity_end == today() + datetime.timedelta(days=4)  # 5 days, start included
        _end_publicity(case)
        cases.case_close_publicity(case=case, actor=clerk_a, objection_upheld=False)
        cases.case_township_review(case=case, actor=reviewer_a, passed=True)
        cases.case_county_decide(case=case, actor=bureau, approved=True)
        household.refresh_from_db()
        case.refresh_from_db()
        assert case.status == Status.APPROVED and case.announced_on == today()
        assert household.monitoring_status == Household.MonitoringStatus.MONITORED
        assert (household.monitoring_category, household.risk_1) == ("突发严重困难户", "因病")
        assert household.risk_identified_on == today()
        steps = list(CaseStep.objects.filter(case=case).values_list("action", flat=True))
        assert steps == [
            "open",
            "submit_application",
            "crosscheck",
            "verify",
            "appraise",
            "close_publicity",
            "township_pass",
            "county_approve",
        ]
        approve = AuditEvent.objects.get(action="county_approve")
        assert (approve.from_state, approve.to_state, approve.actor) == (
            "county_approval",
            "approved",
            bureau,
        )

    def test_the_application_needs_the_signed_authorisation(self, household, clerk_a):
        case = cases.case_open_identification(household=household, actor=clerk_a)
        with pytest.raises(RulesBroken, match="承诺授权") as error:
            _submit(case, clerk_a, authorisation=None)
        assert error.value.violations[0].rule == "MON-ID-1"
        case.refresh_from_db()
        assert case.status == Status.APPLICATION

    def test_the_deadline_is_twenty_working_days_after_application(self, household, clerk_a):
        case = cases.case_open_identification(household=household, actor=clerk_a)
        _submit(case, clerk_a)
        case.refresh_from_db()
        assert case.deadline == add_working_days(today(), 20)

    @pytest.mark.parametrize(
        ("household_type", "category", "ok"),
        [
            (HouseholdType.EXITED, MonitoringCategory.UNSTABLE, True),
            (HouseholdType.ORDINARY, MonitoringCategory.UNSTABLE, False),
            (HouseholdType.ORDINARY, MonitoringCategory.MARGINAL, True),
            (HouseholdType.EXITED, MonitoringCategory.MARGINAL, False),
            (HouseholdType.EXITED, MonitoringCategory.SUDDEN, True),
            (HouseholdType.ORDINARY, MonitoringCategory.SUDDEN, True),
        ],
    )
    def test_mon_cat_1_the_category_fits_the_household_type(
        self, village_a, clerk_a, household_type, category, ok
    ):
        household = make_household(village_a, household_type=household_type)
        case = cases.case_open_identification(household=household, actor=clerk_a)
        if ok:
            _submit(case, clerk_a, category=category)
        else:
            with pytest.raises(RulesBroken) as error:
                _submit(case, clerk_a, category=category)
            assert error.value.violations[0].rule == "MON-CAT-1"

    @pytest.mark.parametrize(
        ("risks", "ok"),
        [
            ([], False),
            (["因病"], True),
            (["因病", "因学", "因灾害"], False),
            (["因病", "因病"], False),
            (["因病", "因学", "其他", "因意外事故", "缺劳动力"], True),
            (["因病", "因学", "其他", "因意外事故", "缺劳动力", "因产业项目失败"], False),
        ],
    )
    def test_mon_cat_3_one_to_five_distinct_known_risks(self, household, clerk_a, risks, ok):
        case = cases.case_open_identification(household=household, actor=clerk_a)
        if ok:
            _submit(case, clerk_a, risks=risks)
        else:
            with pytest.raises(RulesBroken):
                _submit(case, clerk_a, risks=risks)

    def test_mon_risk_rules_tie_risks_to_members_and_answers(self, village_a, clerk_a):
        household = make_household(village_a, household_type=HouseholdType.ORDINARY)
        case = cases.case_open_identification(household=household, actor=clerk_a)
        with pytest.raises(RulesBroken) as error:
            _submit(case, clerk_a, risks=["因残"])
        assert error.value.violations[0].rule == "MON-RISK-1"
        with pytest.raises(RulesBroken) as error:
            _submit(case, clerk_a, risks=["因学"], guarantees={**NO_PROBLEMS, "water_unsafe": True})
        assert {v.rule for v in error.value.violations} == {"MON-RISK-2"}
        with pytest.raises(RulesBroken) as error:
            _submit(
                case, clerk_a, risks=["因学"], guarantees={**NO_PROBLEMS, "member_uninsured": True}
            )
        assert {v.rule for v in error.value.violations} >= {"MON-RISK-3"}
        household.members.update(labour_skill=LabourSkill.NONE)
        with pytest.raises(RulesBroken) as error:
            _submit(case, clerk_a, risks=["因务工就业不稳"], guarantees=NO_PROBLEMS)
        assert "MON-RISK-4" in {v.rule for v in error.value.violations}

    def test_mon_cat_2_flags_income_above_the_line_without_a_reason(self, household, clerk_a, line):
        from monitoring.services.incomes import income_record_save

        income_record_save(
            household=household,
            actor=clerk_a,
            year=today().year,
            kind="identification",
            values=dict(
                wage_income="8000",
                business_income="0",
                property_income="0",
                transfer_income="0",
                business_expense="0",
            ),
        )
        case = cases.case_open_identification(household=household, actor=clerk_a)
        _case, flags = _submit(case, clerk_a, category=MonitoringCategory.MARGINAL)
        assert [f.rule for f in flags] == ["MON-CAT-2"]

    def test_verification_needs_two_named_verifiers_and_the_cross_check(
        self, household, clerk_a, bureau
    ):
        case = cases.case_open_identification(household=household, actor=clerk_a)
        _submit(case, clerk_a)
        with pytest.raises(RulesBroken) as error:
            cases.case_complete_verification(
                case=case,
                actor=clerk_a,
                verifiers=["张三", "张三 "],
                verified_on=today(),
                findings="",
            )
        assert {v.rule for v in error.value.violations} == {"MON-ID-2", "MON-ID-CROSSCHECK"}
        assert "尚未录入信息比对结果" in error.value.message
        cases.case_record_crosscheck(case=case, actor=bureau, result="无异常")
        with pytest.raises(RulesBroken):
            cases.case_complete_verification(
                case=case, actor=clerk_a, verifiers=["张三"], verified_on=today(), findings=""
            )
        cases.case_complete_verification(
            case=case,
            actor=clerk_a,
            verifiers=["张三", "李四"],
            verified_on=today(),
            findings="属实",
        )
        case.refresh_from_db()
        assert case.status == Status.VILLAGE_APPRAISAL

    def test_publicity_cannot_end_early(self, household, clerk_a, bureau):
        case = _to_publicity(household, clerk_a, bureau)
        with pytest.raises(RulesBroken, match="公示"):
            cases.case_close_publicity(case=case, actor=clerk_a, objection_upheld=False)
        MonitoringCase.objects.filter(pk=case.pk).update(publicity_end=today())  # last day
        case.refresh_from_db()
        with pytest.raises(RulesBroken):
            cases.case_close_publicity(case=case, actor=clerk_a, objection_upheld=False)
        _end_publicity(case)
        cases.case_close_publicity(case=case, actor=clerk_a, objection_upheld=False)
        case.refresh_from_db()
        assert case.status == Status.TOWNSHIP_REVIEW

    def test_an_upheld_objection_closes_the_case_and_restores_the_household(
        self, household, clerk_a, bureau
    ):
        case = _to_publicity(household, clerk_a, bureau)
        cases.case_record_objection(case=case, actor=clerk_a, text="该户有经营性车辆")
        _end_publicity(case)
        with pytest.raises(MonitoringError, match="异议"):
            cases.case_close_publicity(case=case, actor=clerk_a, objection_upheld=True)
        cases.case_close_publicity(
            case=case, actor=clerk_a, objection_upheld=True, reason="核实有车辆"
        )
        case.refresh_from_db()
        household.refresh_from_db()
        assert case.status == Status.REJECTED
        assert household.monitoring_status == Household.MonitoringStatus.NOT_MONITORED

    def test_township_returns_a_case_with_a_reason(self, household, clerk_a, bureau, reviewer_a):
        case = _to_publicity(household, clerk_a, bureau)
        _end_publicity(case)
        cases.case_close_publicity(case=case, actor=clerk_a, objection_upheld=False)
        with pytest.raises(DomainError):
            cases.case_township_review(case=case, actor=reviewer_a, passed=False, reason="")
        cases.case_township_review(case=case, actor=reviewer_a, passed=False, reason="收入核算有误")
        case.refresh_from_db()
        assert case.status == Status.VERIFYING and case.verifiers == []
        assert CaseStep.objects.filter(
            case=case, action="township_return", reason="收入核算有误"
        ).exists()

    def test_county_rejection_needs_a_reason(self, household, clerk_a, bureau, reviewer_a):
        case = _to_publicity(household, clerk_a, bureau)
        _end_publicity(case)
        cases.case_close_publicity(case=case, actor=clerk_a, objection_upheld=False)
        cases.case_township_review(case=case, actor=reviewer_a, passed=True)
        with pytest.raises(DomainError):
            cases.case_county_decide(case=case, actor=bureau, approved=False)
        cases.case_county_decide(case=case, actor=bureau, approved=False, reason="比对发现财政供养")
        household.refresh_from_db()
        assert household.monitoring_status == Household.MonitoringStatus.NOT_MONITORED


class TestWhoMayAct:
    @pytest.mark.parametrize("role", ["bureau", "leader", "auditor", "dept_medical"])
    def test_village_steps_are_refused_to_other_roles(self, request, household, clerk_a, role):
        user = request.getfixturevalue(role)
        with pytest.raises((TransitionNotAllowed, MonitoringError)):
            cases.case_open_identification(household=household, actor=user)

    def test_a_grid_worker_may_take_village_steps_but_not_township_review(
        self, household, grid_worker_a, clerk_a, bureau
    ):
        case = _to_publicity(household, grid_worker_a, bureau)
        _end_publicity(case)
        cases.case_close_publicity(case=case, actor=grid_worker_a, objection_upheld=False)
        with pytest.raises(TransitionNotAllowed):
            cases.case_township_review(case=case, actor=grid_worker_a, passed=True)

    def test_only_the_bureau_decides_and_the_township_cannot_approve_itself(
        self, household, clerk_a, bureau, reviewer_a
    ):
        case = _to_publicity(household, clerk_a, bureau)
        _end_publicity(case)
        cases.case_close_publicity(case=case, actor=clerk_a, objection_upheld=False)
        cases.case_township_review(case=case, actor=reviewer_a, passed=True)
        with pytest.raises(TransitionNotAllowed):
            cases.case_county_decide(case=case, actor=clerk_a, approved=True)

    def test_another_townships_clerk_is_refused(self, household, clerk_b):
        with pytest.raises(DomainError, match="管辖区域"):
            cases.case_open_identification(household=household, actor=clerk_b)

    def test_a_step_from_the_wrong_state_is_refused(self, household, clerk_a, bureau, reviewer_a):
        case = cases.case_open_identification(household=household, actor=clerk_a)
        with pytest.raises(CaseChanged):
            cases.case_township_review(case=case, actor=reviewer_a, passed=True)
        with pytest.raises(CaseChanged):
            cases.case_county_decide(case=case, actor=bureau, approved=True)

    def test_a_stale_version_is_refused(self, household, clerk_a):
        case = cases.case_open_identification(household=household, actor=clerk_a)
        with pytest.raises(CaseChanged):
            _submit(case, clerk_a, expected_version=case.version + 1)

    def test_one_open_case_per_household(self, household, clerk_a):
        cases.case_open_identification(household=household, actor=clerk_a)
        with pytest.raises(TransitionNotAllowed):
            cases.case_open_identification(household=household, actor=clerk_a)


@pytest.mark.django_db(transaction=True)
def test_two_users_acting_at_once_one_succeeds_the_other_is_told(
    reference_data, village_a, clerk_a
):
    from tests.factories import UserFactory

    other = UserFactory(username="clerk_a2", role="township_clerk", area=clerk_a.area)
    household = make_household(village_a, household_type=HouseholdType.ORDINARY)
    case = cases.case_open_identification(household=household, actor=clerk_a)
    outcomes = []
    barrier = threading.Barrier(2)

    def act(actor):
        try:
            barrier.wait()
            _submit(case, actor, expected_version=case.version)
            outcomes.append("moved")
        except CaseChanged:
            outcomes.append("changed")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(u,)) for u in (clerk_a, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["changed", "moved"]
    assert CaseStep.objects.filter(case=case, action="submit_application").count() == 1


class TestElimination:
    @pytest.fixture
    def monitored(self, village_a, clerk_a, line):
        household = make_household(village_a, household_type=HouseholdType.EXITED)
        Household.objects.filter(pk=household.pk).update(
            monitoring_status=Household.MonitoringStatus.MONITORED,
            monitoring_category=MonitoringCategory.UNSTABLE,
            risk_1="因病",
            risk_identified_on=add_months(today(), -6),
        )
        household.refresh_from_db()
        measure_create(
            household=household,
            actor=clerk_a,
            year=today().year,
            group="产业帮扶",
            subtype="到户产业补贴",
            department="农业农村局",
            start_date=today(),
            status=AssistanceMeasure.Status.IMPLEMENTED,
            amount="1500",
        )
        return household

    def test_it_may_start_exactly_six_months_after_identification(self, monitored, clerk_a):
        case = cases.case_open_elimination(
            household=monitored, actor=clerk_a, mode="帮扶消除", reason="收入稳定"
        )
        assert case.status == Status.VERIFYING

    def test_it_is_refused_a_day_earlier_with_the_exact_reason(self, monitored, clerk_a):
        identified = add_months(today(), -6) + datetime.timedelta(days=1)
        Household.objects.filter(pk=monitored.pk).update(risk_identified_on=identified)
        monitored.refresh_from_db()
        with pytest.raises(RulesBroken) as error:
            cases.case_open_elimination(
                household=monitored, actor=clerk_a, mode="帮扶消除", reason="收入稳定"
            )
        assert error.value.violations[0].rule == "MON-ELIM-1"
        assert identified.isoformat() in str(error.value)

    def test_it_needs_an_implemented_measure(self, monitored, clerk_a):
        AssistanceMeasure.objects.update(status=AssistanceMeasure.Status.PLANNED)
        with pytest.raises(RulesBroken) as error:
            cases.case_open_elimination(
                household=monitored, actor=clerk_a, mode="自然消除", reason="x"
            )
        assert "MON-ELIM-1" in {v.rule for v in error.value.violations}

    def test_a_household_without_labour_is_not_eliminated(self, monitored, clerk_a):
        monitored.members.update(labour_skill=LabourSkill.LOST)
        with pytest.raises(RulesBroken) as error:
            cases.case_open_elimination(
                household=monitored, actor=clerk_a, mode="帮扶消除", reason="x"
            )
        assert "MON-ELIM-3" in {v.rule for v in error.value.violations}

    def _indicators(self, case, clerk, per_capita, **answers):
        return cases.case_record_elimination_indicators(
            case=case,
            actor=clerk,
            guarantees={**NO_PROBLEMS, **answers},
            income=dict(
                wage_income=str(per_capita),
                business_income="0",
                property_income="0",
                transfer_income="0",
                business_expense="0",
            ),
        )

    @pytest.mark.parametrize(("per_capita", "ok"), [("7000.00", False), ("7000.01", True)])
    def test_income_must_be_above_the_line(self, monitored, clerk_a, per_capita, ok):
        case = cases.case_open_elimination(
            household=monitored, actor=clerk_a, mode="帮扶消除", reason="x"
        )
        self._indicators(case, clerk_a, per_capita)
        if ok:
            cases.case_complete_verification(
                case=case, actor=clerk_a, verifiers=["甲", "乙"], verified_on=today(), findings=""
            )
        else:
            with pytest.raises(RulesBroken) as error:
                cases.case_complete_verification(
                    case=case,
                    actor=clerk_a,
                    verifiers=["甲", "乙"],
                    verified_on=today(),
                    findings="",
                )
            assert error.value.violations[0].rule == "MON-ELIM-2"

    def test_indicators_must_be_filled_and_the_guarantees_secured(self, monitored, clerk_a):
        case = cases.case_open_elimination(
            household=monitored, actor=clerk_a, mode="帮扶消除", reason="x"
        )
        with pytest.raises(RulesBroken) as error:
            cases.case_complete_verification(
                case=case, actor=clerk_a, verifiers=["甲", "乙"], verified_on=today(), findings=""
            )
        assert "MON-ELIM-6" in {v.rule for v in error.value.violations}
        self._indicators(case, clerk_a, "9000", housing_unsafe=True)
        with pytest.raises(RulesBroken) as error:
            cases.case_complete_verification(
                case=case, actor=clerk_a, verifiers=["甲", "乙"], verified_on=today(), findings=""
            )
        assert "MON-ELIM-2" in {v.rule for v in error.value.violations}

    def test_the_approved_elimination_keeps_the_record(
        self, monitored, clerk_a, bureau, reviewer_a
    ):
        case = cases.case_open_elimination(
            household=monitored, actor=clerk_a, mode="帮扶消除", reason="收入稳定"
        )
        self._indicators(case, clerk_a, "9000")
        cases.case_complete_verification(
            case=case, actor=clerk_a, verifiers=["甲", "乙"], verified_on=today(), findings=""
        )
        cases.case_appraise(
            case=case, actor=clerk_a, eligible=True, appraisal_on=today(), reason="", minutes=pdf()
        )
        _end_publicity(case)
        cases.case_close_publicity(case=case, actor=clerk_a, objection_upheld=False)
        cases.case_township_review(case=case, actor=reviewer_a, passed=True)
        cases.case_county_decide(case=case, actor=bureau, approved=True)
        monitored.refresh_from_db()
        assert monitored.monitoring_status == Household.MonitoringStatus.ELIMINATED
        assert (monitored.risk_eliminated_on, monitored.elimination_mode) == (today(), "帮扶消除")
        assert monitored.monitoring_category == MonitoringCategory.UNSTABLE  # MON-ELIM-7
        assert Household.objects.filter(pk=monitored.pk).exists()


class TestMeasures:
    def test_mon_id_5_only_disaster_cases_get_measures_before_approval(self, household, clerk_a):
        case = cases.case_open_identification(household=household, actor=clerk_a)
        _submit(case, clerk_a, risks=["因病"])
        with pytest.raises(RulesBroken) as error:
            measure_create(
                household=household,
                actor=clerk_a,
                year=2024,
                group="综合保障",
                subtype="临时救助",
                department="民政局",
                start_date=today(),
            )
        assert error.value.violations[0].rule == "MON-ID-5"
        MonitoringCase.objects.filter(pk=case.pk).update(risk_2="因自然灾害")
        measure_create(
            household=household,
            actor=clerk_a,
            year=2024,
            group="综合保障",
            subtype="临时救助",
            department="民政局",
            start_date=today(),
            amount="800.00",
        )

    def test_mon_meas_rules_list_households_for_the_bureau(self, village_a, clerk_a):
        from monitoring.rules.measures import (
            check_measures,
            households_missing_development_measure,
            households_missing_safety_net,
        )

        labour = make_household(village_a)
        Household.objects.filter(pk=labour.pk).update(
            monitoring_status="monitored",
            monitoring_category="脱贫不稳定户",
            risk_1="因病",
            risk_identified_on=add_months(today(), -6),
        )
        not_yet = make_household(village_a)
        Household.objects.filter(pk=not_yet.pk).update(
            monitoring_status="monitored",
            monitoring_category="脱贫不稳定户",
            risk_1="因病",
            risk_identified_on=add_months(today(), -6) + datetime.timedelta(days=1),
        )
        elderly = make_household(village_a)
        elderly.members.update(labour_skill=LabourSkill.NONE)
        make_member(elderly, labour_skill=LabourSkill.LOST)
        households = Household.objects.all()
        assert list(households_missing_development_measure(households, today())) == [labour]
        assert list(households_missing_safety_net(households)) == [elderly]
        labour.refresh_from_db()
        assert [v.rule for v in check_measures(labour, today())] == ["MON-MEAS-1"]
        measure_create(
            household=labour,
            actor=clerk_a,
            year=2024,
            group="就业帮扶",
            subtype="务工补贴",
            department="人社局",
            start_date=today(),
        )
        assert list(households_missing_development_measure(households, today())) == []


class TestSeparationOfDuties:
    """One person never takes steps of two levels of one case; no superuser bypass (DESIGN §5)."""

    def _at_township_review(self, household, clerk, bureau):
        case = _to_publicity(household, clerk, bureau)
        _end_publicity(case)
        cases.case_close_publicity(case=case, actor=clerk, objection_upheld=False)
        case.refresh_from_db()
        return case

    def test_who_entered_the_village_steps_does_not_pass_the_township_review(
        self, household, clerk_a, reviewer_a, bureau
    ):
        case = self._at_township_review(household, clerk_a, bureau)
        with pytest.raises(DutiesNotSeparated, match="村级") as refused:
            cases.case_township_review(case=case, actor=clerk_a, passed=True)
        assert refused.value.code == "separation_of_duties"
        case.refresh_from_db()
        assert case.status == Status.TOWNSHIP_REVIEW
        cases.case_township_review(case=case, actor=reviewer_a, passed=True)
        case.refresh_from_db()
        assert case.status == Status.COUNTY_APPROVAL
        step = CaseStep.objects.get(case=case, action="township_pass")
        assert (step.actor, step.level) == (reviewer_a, "township")

    def test_the_superuser_flag_is_no_bypass(self, household, clerk_a, bureau):
        clerk_a.is_superuser = True
        clerk_a.save(update_fields=["is_superuser"])
        case = self._at_township_review(household, clerk_a, bureau)
        with pytest.raises(DutiesNotSeparated):
            cases.case_township_review(case=case, actor=clerk_a, passed=True)

    def test_the_county_decision_is_not_taken_by_someone_who_acted_below(
        self, household, clerk_a, reviewer_a, bureau, county
    ):
        case = self._at_township_review(household, clerk_a, bureau)
        cases.case_township_review(case=case, actor=reviewer_a, passed=True)
        # The bureau's own cross-check and its decision are the same (county) level: allowed.
        cases.case_county_decide(case=case, actor=bureau, approved=True)
        case.refresh_from_db()
        assert case.status == Status.APPROVED


class TestStepNotDue:
    def test_a_step_not_yet_due_says_where_the_case_is(self, household, clerk_a, bureau):
        case = cases.case_open_identification(household=household, actor=clerk_a)
        _submit(case, clerk_a)
        cases.case_record_crosscheck(case=case, actor=bureau, result="无异常")
        cases.case_complete_verification(
            case=case,
            actor=clerk_a,
            verifiers=["张三", "李四"],
            verified_on=today(),
            findings="属实",
        )
        case.refresh_from_db()
        with pytest.raises(CaseChanged) as refused:
            cases.case_close_publicity(
                case=case, actor=clerk_a, objection_upheld=False, expected_version=case.version
            )
        message = str(refused.value)
        assert "村级民主评议" in message and "不能办理" in message
        assert "其他人" not in message  # nobody else acted: the step is just not due yet

    def test_someone_elses_step_meanwhile_is_named_as_such(self, household, clerk_a):
        case = cases.case_open_identification(household=household, actor=clerk_a)
        stale = case.version
        _submit(case, clerk_a)
        with pytest.raises(CaseChanged, match="其他人"):
            cases.case_submit_application(
                case=case,
                actor=clerk_a,
                application_date=today(),
                authorisation=pdf(),
                category=MonitoringCategory.SUDDEN,
                risks=["因病"],
                guarantees=NO_PROBLEMS,
                expected_version=stale,
            )
