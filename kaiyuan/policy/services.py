"""Reading and changing the yearly policy settings."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaiyuan.audit import changes as audit_changes
from kaiyuan.audit import record, snapshot
from kaiyuan.common.errors import DomainError
from kaiyuan.policy.models import PolicySettings


class MonitoringLineMissing(DomainError):
    code = "monitoring_line_missing"


def policy_for(year: int) -> PolicySettings:
    """The settings in force for ``year``: that year's record, else the latest earlier one (a
    year's numbers stay in force until the administrator enters the next year's), else the plan's
    defaults."""
    policy = PolicySettings.objects.filter(year__lte=year).order_by("-year").first()
    if policy is None:
        return PolicySettings.defaults_for(year)
    return policy


def policies_for(years) -> dict[int, PolicySettings]:
    """``policy_for`` of each of ``years`` in one query, for a page or list that spans years."""
    years = sorted(set(years))
    if not years:
        return {}
    records = list(PolicySettings.objects.filter(year__lte=years[-1]).order_by("-year"))
    in_force = {year: next((p for p in records if p.year <= year), None) for year in years}
    return {year: policy or PolicySettings.defaults_for(year) for year, policy in in_force.items()}


def monitoring_line_for(year: int):
    """The monitoring line of ``year``. Each year has its own line (MON-LINE-1), so unlike other
    settings it never carries over from an earlier year: income checks wait until it is set."""
    policy = PolicySettings.objects.filter(year=year).first()
    if policy is None or policy.monitoring_line is None:
        raise MonitoringLineMissing(
            _(
                "The monitoring line for %(year)s has not been set; ask the administrator to "
                "enter it in the policy settings."
            )
            % {"year": year}
        )
    return policy.monitoring_line


@transaction.atomic
def policy_update(*, policy: PolicySettings, actor, changes: dict) -> PolicySettings:
    """Apply ``changes`` to a year's settings and audit the old and new values."""
    before = snapshot(policy, changes)
    for name, value in changes.items():
        setattr(policy, name, value)
    policy.updated_by = actor
    policy.full_clean()
    policy.save()
    changed = audit_changes(before, policy)
    record(
        policy,
        action="change",
        actor=actor,
        data={
            "before": {name: old for name, (old, _new) in changed.items()},
            "after": {name: new for name, (_old, new) in changed.items()},
        },
    )
    return policy
