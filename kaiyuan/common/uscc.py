"""Unified social credit codes (统一社会信用代码, GB 32100-2015, DOMAIN.md §9.2): the implementing
entities of projects, the counterparties of debt placements, the owners of assets and the
employers of workers. python-stdnum's ``cn.uscc`` gives the check character; this module checks
the structure of §9.2 itself, adds the messages and the prefixes the county expects.

stdnum's own ``validate`` wants the first eight characters to be digits, which refuses every
code whose registration authority or entity type is a letter: the village collective economic
organisations (``N2…``, registered by the agriculture departments) among them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc as stdnum_uscc

from kaiyuan.common.rules import FLAG, Rule, Violation

ID_USCC_1 = Rule(
    "ID-USCC-1",
    _("A unified social credit code has 18 characters and a valid check character."),
)
ID_USCC_3 = Rule(
    "ID-USCC-3",
    _("The credit code's first two characters do not match the kind of entity."),
    FLAG,
)

# The first two characters each kind of entity is registered with (§9.2 ID-USCC-3).
EXPECTED_PREFIXES = {
    "企业": ("91",),
    "农民专业合作社": ("93",),
    "村集体经济组织": ("N2",),
    "个体工商户": ("92",),
}


# The 31 characters of GB 32100-2015 (no I, O, S, V, Z).
ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")


def is_valid(code: str) -> bool:
    """§9.2: 18 characters of the code's alphabet, positions 3–8 the division code (digits),
    and the check character right."""
    return (
        len(code) == 18
        and set(code) <= ALPHABET
        and code[2:8].isdigit()
        and code[-1] == stdnum_uscc.calc_check_digit(code[:17])
    )


def normalise(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def uscc_problems(value: str, *, field: str, entity_type: str = "") -> list[Violation]:
    """What is wrong with ``value`` as a credit code (empty means none given: no problem)."""
    code = normalise(value)
    if not code:
        return []
    if not is_valid(code):
        return [
            ID_USCC_1.violation(
                field,
                _("“%(code)s” is not a valid unified social credit code: check the 18 characters.")
                % {"code": code},
            )
        ]
    expected = EXPECTED_PREFIXES.get(entity_type)
    if expected and not code.startswith(expected):
        return [
            ID_USCC_3.violation(
                field,
                _("A %(kind)s's credit code usually starts with %(prefix)s.")
                % {"kind": entity_type, "prefix": " / ".join(expected)},
            )
        ]
    return []
