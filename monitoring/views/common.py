"""What the monitoring pages share."""

from __future__ import annotations

from kaiyuan.common.errors import DomainError
from monitoring.exceptions import RulesBroken


def add_refusal_to_form(form, exc: DomainError) -> None:
    """Show a service's refusal on the form: each broken rule next to its field (with the rule
    id, so clerks can look it up), others above the form."""
    violations = exc.violations if isinstance(exc, RulesBroken) else []
    if not violations:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return
    for violation in violations:
        field = violation.field if violation.field in form.fields else None
        form.add_error(field, f"{violation.message}（{violation.rule}）")
