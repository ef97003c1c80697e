"""Broken rules and how they are refused: the one shape every app's ``rules/`` returns.

A rule of DOMAIN.md (MON-DQ-4, FND-1 …) is defined once, in its app's ``rules/`` package, as a pure
function or a ``Rule`` object that returns ``Violation``s. Services raise ``RulesBroken`` for the
errors among them and keep the flags; pages show each violation beside its field
(``add_refusal_to_form``) and the API answers 400 with every violation (``kaiyuan.common.api``).

A message says what is wrong and what to do, in the words of the people who read it; it never
names the rule's id. The id travels beside it (``Violation.rule``, the API's ``violations``), and
pages show it only to the roles that look rules up (``rules.see_ids``), as a small muted badge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kaiyuan.common.errors import DomainError

ERROR, FLAG = "error", "flag"

# Every rule defined in the code base, by id: a second definition of an id fails at import time.
RULES: dict[str, Rule] = {}


@dataclass(frozen=True)
class Rule:
    """A rule of DOMAIN.md: its id, the statement shown on lists and data-quality pages, and
    whether breaking it refuses the change (ERROR) or only flags it for review (FLAG)."""

    id: str
    statement: Any
    severity: str = ERROR

    def __post_init__(self) -> None:
        if self.id in RULES:
            raise ImproperlyConfigured(f"rule {self.id} is defined twice")
        RULES[self.id] = self

    def violation(self, field: str, message: Any = None, *, severity: str | None = None):
        """A ``Violation`` of this rule on ``field``; the message defaults to the statement."""
        return Violation(
            self.id,
            field,
            str(message if message is not None else self.statement),
            severity or self.severity,
        )

    @property
    def is_flag(self) -> bool:
        return self.severity == FLAG


@dataclass(frozen=True)
class Violation:
    """One broken rule: its id (MON-DQ-4), the field it concerns, a Chinese message, and whether
    it refuses the change ("error") or is only listed for review ("flag")."""

    rule: str
    field: str
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
        }


class RulesBroken(DomainError):
    """A change refused because hard rules are broken; ``violations`` name each field."""

    code = "rules_broken"

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        first = violations[0]
        super().__init__("；".join(v.message for v in violations), field=first.field)
        self.code = first.rule.lower().replace("-", "_")


def refuse_errors(violations: Iterable[Violation]) -> list[Violation]:
    """Raise ``RulesBroken`` for the errors among ``violations``; return the flags."""
    violations = list(violations)
    errors = [v for v in violations if v.is_error]
    if errors:
        raise RulesBroken(errors)
    return [v for v in violations if not v.is_error]


def shown_to(user, violation: Violation) -> str:
    """The violation's message as a page shows it to ``user``: the message alone, and for the
    roles that look rules up (``rules.see_ids``) the rule id after it as a small muted badge."""
    from kaiyuan.accounts.capabilities import user_can

    if user is None or not user_can(user, "rules.see_ids"):
        return violation.message
    badge = render_to_string("partials/rule_id.html", {"rule": violation.rule})
    return format_html("{} {}", violation.message, SafeString(badge.strip()))


def add_refusal_to_form(form, exc: DomainError, *, user=None) -> None:
    """Show a service's refusal on the form: each broken rule next to its field, others above
    the form. The rule id goes with the error as its code, and is shown to ``user`` only when
    their role looks rules up (``shown_to``)."""
    violations = exc.violations if isinstance(exc, RulesBroken) else []
    if not violations:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return
    for violation in violations:
        field = violation.field if violation.field in form.fields else None
        form.add_error(field, ValidationError(shown_to(user, violation), code=violation.rule))


def add_problems_to_form(form, violations, *, user=None) -> None:
    """Show beside a form's own errors the rules its input also breaks (from a service's
    ``*_problems``), so that every error comes in one round; a field that already has an error
    of its own keeps just that one."""
    fresh = [v for v in violations if not (v.field in form.fields and form.has_error(v.field))]
    if fresh:
        add_refusal_to_form(form, RulesBroken(fresh), user=user)


def save_with_every_error(form, *, save, problems, user=None):
    """A form's save in one round of errors: when the form has errors of its own, the rules its
    input also breaks (``problems()``, a service's ``*_problems``) are shown beside them and
    nothing is saved; otherwise ``save()`` (the service's write, which returns what it saved)
    runs and a refusal lands on the form. Returns what was saved, or None when nothing was."""
    if not form.is_valid():
        add_problems_to_form(form, problems(), user=user)
        return None
    try:
        return save()
    except DomainError as exc:
        add_refusal_to_form(form, exc, user=user)
        return None
