"""Assistance-measure rules (MON-MEAS-1, MON-MEAS-2): which households lack the measures their
labour calls for."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaiyuan.common.dates import add_months
from kaiyuan.common.rules import FLAG, Rule, Violation
from kaiyuan.policy.services import policy_for
from monitoring.codes import (
    HAS_LABOUR,
    NO_LABOUR,
)
from monitoring.models import (
    AssistanceMeasure,
    Household,
    Member,
)

MON_MEAS_1 = Rule(
    "MON-MEAS-1",
    gettext_lazy(
        "A monitored household with labour, identified six months ago, has a development measure."
    ),
    FLAG,
)
MON_MEAS_2 = Rule(
    "MON-MEAS-2", gettext_lazy("A household without any labour has a safety-net measure."), FLAG
)


def labour_profile(household: Household) -> tuple[bool, bool]:
    """(someone has labour, every member is without labour)."""
    skills = list(
        household.members.filter(status=Member.Status.ACTIVE).values_list("labour_skill", flat=True)
    )
    return (
        any(s in HAS_LABOUR for s in skills),
        bool(skills) and all(s in NO_LABOUR for s in skills),
    )


def check_measures(household: Household, today: datetime.date) -> list[Violation]:
    """MON-MEAS-1 and MON-MEAS-2 for one household (flags for the bureau's list)."""
    violations = []
    has_labour, none_has_labour = labour_profile(household)
    months = policy_for(today.year).measure_due_months
    identified = household.risk_identified_on
    if (
        household.monitoring_status == Household.MonitoringStatus.MONITORED
        and has_labour
        and identified is not None
        and add_months(identified, months) <= today
        and not household.measures.filter(group__in=AssistanceMeasure.DEVELOPMENT_GROUPS).exists()
    ):
        violations.append(
            MON_MEAS_1.violation(
                "measures",
                _(
                    "Monitored for %(m)s months with labour in the household but no "
                    "development-type measure (产业, 就业, 金融 or 公益岗位)."
                )
                % {"m": months},
            )
        )
    if (
        none_has_labour
        and not household.measures.filter(group=AssistanceMeasure.Group.SOCIAL_PROTECTION).exists()
    ):
        violations.append(
            MON_MEAS_2.violation(
                "measures",
                _("No member has labour, so the household needs a safety-net measure (综合保障)."),
            )
        )
    return violations


def households_missing_development_measure(
    households: QuerySet[Household], today: datetime.date
) -> QuerySet[Household]:
    """MON-MEAS-1 as a query: the bureau's list of every household that breaks it."""
    months = policy_for(today.year).measure_due_months
    cutoff = add_months(today, -months)
    labour = Member.objects.filter(
        household=OuterRef("pk"), status=Member.Status.ACTIVE, labour_skill__in=list(HAS_LABOUR)
    )
    development = AssistanceMeasure.objects.filter(
        household=OuterRef("pk"), group__in=AssistanceMeasure.DEVELOPMENT_GROUPS
    )
    return (
        households.filter(
            monitoring_status=Household.MonitoringStatus.MONITORED,
            risk_identified_on__lte=cutoff,
        )
        .filter(Exists(labour))
        .exclude(Exists(development))
    )


def households_missing_safety_net(households: QuerySet[Household]) -> QuerySet[Household]:
    """MON-MEAS-2 as a query: households whose every member lacks labour and that have no
    综合保障 measure."""
    with_labour = Member.objects.filter(
        household=OuterRef("pk"), status=Member.Status.ACTIVE, labour_skill__in=list(HAS_LABOUR)
    )
    anyone = Member.objects.filter(household=OuterRef("pk"), status=Member.Status.ACTIVE)
    safety_net = AssistanceMeasure.objects.filter(
        household=OuterRef("pk"), group=AssistanceMeasure.Group.SOCIAL_PROTECTION
    )
    return (
        households.filter(Exists(anyone)).exclude(Exists(with_labour)).exclude(Exists(safety_net))
    )
