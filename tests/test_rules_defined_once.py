"""Each rule of DOMAIN.md is defined exactly once, in its app's rules/ package, so that
`grep -rn MON-ELIM-1` finds one definition (and its tests); code elsewhere refers to the Rule
object, never to the id as a string."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import django.apps

from kaiyuan.common.rules import RULES

ROOT = Path(__file__).resolve().parents[1]
APPS = ("kaiyuan", "monitoring", "projects", "funds", "assets", "employment", "reports")
RULE_ID = re.compile(r"[\"']((?:MON|ID|PRJ|FND|AST|EMP)-[A-Z]+(?:-[0-9A-Z]+)?)[\"']")


def _code_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "demo" in parts:
                continue
            yield path


def test_every_rule_id_literal_is_one_definition_in_a_rules_package():
    places = defaultdict(list)
    for path in _code_files():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for rule_id in RULE_ID.findall(line):
                places[rule_id].append(f"{path.relative_to(ROOT)}:{number}")
    twice = {rule_id: where for rule_id, where in places.items() if len(where) > 1}
    assert twice == {}, "a rule id written more than once; refer to its Rule object"
    outside = {
        rule_id: where[0]
        for rule_id, where in places.items()
        if "/rules/" not in where[0] and not where[0].startswith("kaiyuan/common/")
    }
    assert outside == {}, "rule ids are defined in an app's rules/ package"


def test_every_defined_rule_is_registered_and_used_by_its_id():
    django.apps.apps.get_app_configs()  # the rules modules are imported with the apps' code
    import monitoring.rules.cases
    import monitoring.rules.households
    import monitoring.rules.incomes
    import monitoring.rules.measures
    import monitoring.rules.members
    import monitoring.rules.visits  # noqa: F401

    for rule_id in ("MON-CAT-1", "MON-DQ-2", "MON-ELIM-1", "MON-FOCUS-1", "MON-VISIT-1"):
        assert rule_id in RULES
        assert str(RULES[rule_id].statement)
