"""Messages say what is wrong and what to do, in words; a rule's id (MON-DQ-8) is never part of
the text. The id travels beside the message (``Violation.rule``, the API's ``violations``) and
pages show it only to the roles that look rules up, as a small muted badge."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django import forms
from django.utils import translation

from kaiyuan.common.rules import RULES, RulesBroken, add_refusal_to_form, shown_to

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# A rule id as DOMAIN.md writes them (MON-DQ-8, MON-ID-CROSSCHECK, FND-1, ID-DIS-1 …).
RULE_ID = re.compile(r"\b(?:MON|ID|PRJ|FND|AST|EMP)-[A-Z0-9]+(?:-[A-Z0-9]+)*\b")
# Strings that still carry an id, each with the reason it is not a user's message:
# model help texts read in the Django admin only (by staff); changing one is a migration.
NOT_USER_MESSAGES = ("kaiyuan/policy/models.py", "monitoring/models/")


def _all_rules():
    import monitoring.rules.cases
    import monitoring.rules.households
    import monitoring.rules.incomes
    import monitoring.rules.measures
    import monitoring.rules.members
    import monitoring.rules.visits  # noqa: F401

    assert len(RULES) > 30, "the rules were not found: the test is broken"
    return list(RULES.values())


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_rule_statement_names_a_rule_id(language):
    with translation.override(language):
        named = {rule.id: str(rule.statement) for rule in _all_rules()}
    assert {rule_id: s for rule_id, s in named.items() if RULE_ID.search(s)} == {}
    assert RULE_ID.search("不符合MON-MEAS-1或MON-MEAS-2（MON-DQ-8）")  # the pattern itself works


def test_no_message_of_the_interface_names_a_rule_id():
    """Every string of the code and templates that a user reads, in English and in Chinese."""
    offending = []
    for entry in polib.pofile(str(PO)):
        if entry.obsolete or not entry.occurrences:
            continue
        places = [path for path, _line in entry.occurrences]
        if all(path.startswith(NOT_USER_MESSAGES) for path in places):
            continue
        for text in (entry.msgid, entry.msgstr):
            if RULE_ID.search(text):
                offending.append(f"{places[0]}: {text}")
    assert offending == []


def test_a_refusal_says_what_is_wrong_without_the_rule_id():
    from monitoring.rules.members import MON_DQ_8

    refused = RulesBroken([MON_DQ_8.violation("residents_medical_insurance", "只能选一种医保。")])
    assert refused.message == "只能选一种医保。"
    assert refused.violations[0].rule == "MON-DQ-8"  # the id travels beside it
    assert refused.code == "mon_dq_8"


class _InsuranceForm(forms.Form):
    residents_medical_insurance = forms.BooleanField(required=False)


@pytest.mark.django_db
def test_the_rule_id_is_shown_to_the_bureau_only_as_a_muted_badge(clerk_a, leader, bureau):
    from monitoring.rules.members import MON_DQ_8

    violation = MON_DQ_8.violation("residents_medical_insurance", "只能选一种医保。")
    for reader in (None, clerk_a, leader):
        form = _InsuranceForm({})
        form.is_valid()
        add_refusal_to_form(form, RulesBroken([violation]), user=reader)
        assert form.errors["residents_medical_insurance"] == ["只能选一种医保。"]
        assert form.errors.as_data()["residents_medical_insurance"][0].code == "MON-DQ-8"
        assert shown_to(reader, violation) == "只能选一种医保。"
    form = _InsuranceForm({})
    form.is_valid()
    add_refusal_to_form(form, RulesBroken([violation]), user=bureau)
    shown = str(form["residents_medical_insurance"].errors)
    assert "只能选一种医保。" in shown
    assert re.search(r'<span class="badge [^"]*text-secondary[^"]*"[^>]*>MON-DQ-8</span>', shown)


@pytest.mark.django_db
def test_the_measures_page_shows_rule_ids_to_the_bureau_only(client, clerk_a, bureau, village_a):
    from tests.monitoring.factories import make_household

    household = make_household(village_a)
    household.monitoring_status = household.MonitoringStatus.MONITORED
    household.save()
    household.members.update(labour_skill="丧失劳动力")  # MON-MEAS-2: no safety-net measure
    url = f"/monitoring/households/{household.pk}/measures/"

    client.force_login(clerk_a)
    page = client.get(url).content.decode()
    assert "应落实综合保障措施" in page and "MON-MEAS" not in page
    client.force_login(bureau)
    page = client.get(url).content.decode()
    assert 'data-rule="MON-MEAS-2"' in page
