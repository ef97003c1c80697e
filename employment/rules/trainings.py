"""Skills training (DOMAIN.md §6.2 item 4): a course for the people the target counts (EMP-1);
a certificate is given for a finished course."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from employment.rules.counts import EMP_1, in_population
from kaiyuan.common.rules import Rule, Violation

EMP_TRAINEE = Rule(
    "EMP-TRAINEE",
    _("A trainee is a person of a 脱贫 or monitored household, once per course."),
)


def trainee_problems(*, training, member, already_in: bool) -> list[Violation]:
    if already_in:
        return [
            EMP_TRAINEE.violation(
                "member", _("%(name)s is already on this course.") % {"name": member.name}
            )
        ]
    if not in_population(member.household):
        return [
            EMP_1.violation(
                "member",
                _("%(name)s's household is neither a 脱贫户 nor a monitored household.")
                % {"name": member.name},
            )
        ]
    return []


def certificate_problems(*, completed: bool, certificate: str, number: str) -> list[Violation]:
    if certificate and not completed:
        return [
            EMP_TRAINEE.violation(
                "certificate", _("A certificate is given only for a finished course.")
            )
        ]
    if number and not certificate:
        return [EMP_TRAINEE.violation("certificate", _("Choose the kind of certificate."))]
    return []
