"""Yearly policy settings: the plan's values by default, one reader, refusals in Chinese."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError

from kaiyuan.audit.models import AuditEvent
from kaiyuan.policy.models import PolicySettings
from kaiyuan.policy.services import (
    MonitoringLineMissing,
    monitoring_line_for,
    policies_for,
    policy_for,
    policy_update,
)

pytestmark = pytest.mark.django_db


def test_the_2024_plan_values_are_loaded():
    policy = policy_for(2024)
    assert policy.pk is not None
    assert policy.stacked_income_threshold == Decimal("8500.00")
    assert policy.low_income_focus_threshold == Decimal("10000.00")
    assert policy.monitoring_publicity_days == 5
    assert policy.project_publicity_days == 10
    assert (policy.advance_percent, policy.progress_payment_percent) == (30, 40)
    assert policy.retention_percent == Decimal("3")
    assert policy.household_subsidy_cap == Decimal("2000.00")
    assert policy.employment_target == 2500
    assert str(policy.library_deadline) == "2024-11-30"


def test_a_year_without_its_own_record_uses_the_latest_earlier_one():
    PolicySettings.objects.create(year=2025, employment_target=2600)
    assert policy_for(2026).employment_target == 2600
    assert policy_for(2024).employment_target == 2500
    unsaved = policy_for(2022)
    assert unsaved.pk is None
    assert unsaved.employment_target == 2500


def test_the_policies_of_several_years_read_at_once_are_those_of_each_year():
    PolicySettings.objects.create(year=2025, employment_target=2600)
    policies = policies_for([2022, 2024, 2025, 2026])
    assert {year: p.employment_target for year, p in policies.items()} == {
        year: policy_for(year).employment_target for year in (2022, 2024, 2025, 2026)
    }
    assert policies[2022].pk is None and policies[2026].year == 2025


def test_the_monitoring_line_never_carries_over_and_is_refused_in_chinese():
    with pytest.raises(MonitoringLineMissing, match="2024年度监测范围"):
        monitoring_line_for(2024)
    PolicySettings.objects.filter(year=2024).update(monitoring_line=Decimal("7000.00"))
    assert monitoring_line_for(2024) == Decimal("7000.00")
    with pytest.raises(MonitoringLineMissing):
        monitoring_line_for(2025)


def test_changes_are_audited_with_old_and_new_values(admin_user):
    policy = policy_for(2024)
    policy_update(policy=policy, actor=admin_user, changes={"monitoring_line": Decimal("7100.00")})
    event = AuditEvent.objects.get(action="change")
    assert event.data == {
        "before": {"monitoring_line": None},
        "after": {"monitoring_line": "7100.00"},
    }


def test_the_pv_split_must_add_up_to_100():
    with pytest.raises(IntegrityError):
        PolicySettings.objects.create(year=2030, pv_public_jobs_percent=Decimal("61"))
