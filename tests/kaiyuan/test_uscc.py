"""Unified social credit codes (DOMAIN.md §9.2): the structure and check character, for every
registration authority, letters included."""

from __future__ import annotations

from stdnum.cn.uscc import calc_check_digit

from kaiyuan.common.rules import ERROR, FLAG
from kaiyuan.common.uscc import uscc_problems


def _code(body: str) -> str:
    return body + calc_check_digit(body)


def test_the_test_vector_and_a_cooperative_pass():
    assert uscc_problems("91110000600037341L", field="x") == []
    assert uscc_problems(_code("93211282MA0Y8T2K7"), field="x", entity_type="农民专业合作社") == []


def test_a_village_collective_organisation_registered_by_agriculture_passes():
    """N = the agriculture departments, 2 = a village-level collective economic organisation:
    a letter in the first two places is part of the standard."""
    code = _code("N2211282MF0G3K5P4")
    assert uscc_problems(code, field="x", entity_type="村集体经济组织") == []


def test_a_wrong_check_character_or_a_letter_outside_the_alphabet_is_an_error():
    good = _code("N2211282MF0G3K5P4")
    wrong = good[:-1] + ("1" if good[-1] != "1" else "2")
    for bad in (wrong, "N2211282MF0G3K5PI", "N22112A2MF0G3K5P4" + "0", good[:-1]):
        (problem,) = uscc_problems(bad, field="x")
        assert problem.rule == "ID-USCC-1" and problem.severity == ERROR


def test_a_valid_code_with_another_kinds_prefix_is_flagged():
    (problem,) = uscc_problems(_code("91211282MA0Y8T2K7"), field="x", entity_type="村集体经济组织")
    assert problem.rule == "ID-USCC-3" and problem.severity == FLAG
