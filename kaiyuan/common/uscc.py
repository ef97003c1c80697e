"""Unified social credit codes (统一社会信用代码, GB 32100-2015, DOMAIN.md §9.2): the implementing
entities of projects, the counterparties of debt placements, the owners of assets and the
employers of workers. python-stdnum's ``cn.uscc`` is the checksum; this module adds the messages
and the prefixes the county expects."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError as StdnumError

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


def normalise(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def uscc_problems(value: str, *, field: str, entity_type: str = "") -> list[Violation]:
    """What is wrong with ``value`` as a credit code (empty means none given: no problem)."""
    code = normalise(value)
    if not code:
        return []
    try:
        stdnum_uscc.validate(code)
    except StdnumError:
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
