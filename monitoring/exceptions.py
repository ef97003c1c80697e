from __future__ import annotations

from kaiyuan.common.errors import ConcurrentUpdate, DomainError


class MonitoringError(DomainError):
    code = "monitoring_error"


class HouseholdChanged(ConcurrentUpdate):
    pass


class WrongLevel(MonitoringError):
    code = "wrong_level"


class WarningError(MonitoringError):
    code = "warning_error"


class ListRefused(WarningError):
    """The file cannot be taken as a screening list; nothing was stored."""

    code = "list_refused"
