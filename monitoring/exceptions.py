from __future__ import annotations

from dataclasses import dataclass

from kaiyuan.common.errors import ConcurrentUpdate, DomainError


class MonitoringError(DomainError):
    code = "monitoring_error"


@dataclass(frozen=True)
class Violation:
    """One broken rule: its id (MON-DQ-4), the field it concerns, a Chinese message, and whether
    it refuses the save ("error") or is only listed for review ("flag")."""

    rule: str
    field: str
    message: str
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class RulesBroken(MonitoringError):
    """A save refused because hard rules are broken; ``violations`` name each field."""

    code = "rules_broken"

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        first = violations[0]
        super().__init__(
            "；".join(f"{v.message}（{v.rule}）" for v in violations), field=first.field
        )
        self.code = first.rule.lower().replace("-", "_")


class HouseholdChanged(ConcurrentUpdate):
    pass


class WrongLevel(MonitoringError):
    code = "wrong_level"
