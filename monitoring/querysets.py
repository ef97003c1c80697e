from __future__ import annotations

from django.db.models import Q

from kaiyuan.common.scoping import AreaScopedQuerySet
from monitoring.codes import HouseholdType, MonitoringCategory

MONITORED_STATES = ("monitored", "elimination_pending", "eliminated")


class HouseholdQuerySet(AreaScopedQuerySet):
    def current(self) -> HouseholdQuerySet:
        """Households that still exist as such (not merged into another)."""
        return self.filter(merged_into__isnull=True)

    def exited(self) -> HouseholdQuerySet:
        return self.filter(household_type=HouseholdType.EXITED)

    def monitored(self) -> HouseholdQuerySet:
        """Households on the monitoring list (risk eliminated or not), as the national list."""
        return self.filter(monitoring_status__in=MONITORED_STATES).exclude(monitoring_category="")

    def marginal(self) -> HouseholdQuerySet:
        return self.monitored().filter(monitoring_category=MonitoringCategory.MARGINAL)

    def in_visit_scope(self, policy) -> HouseholdQuerySet:
        """The households the grid must visit (MON-VISIT-1/2): by default 脱贫户, monitored
        households and those flagged for attention; every household if the year's policy says so."""
        if policy.visit_scope == policy.VisitScope.ALL:
            return self.all()
        return self.filter(
            Q(household_type=HouseholdType.EXITED)
            | Q(monitoring_status__in=MONITORED_STATES)
            | Q(flagged_for_attention=True)
        )
