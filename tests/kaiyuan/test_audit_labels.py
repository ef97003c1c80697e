"""The audit log in words: every action by its label, states by their model's labels, and an
object-type filter that offers the platform's own records only, each once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from kaiyuan.audit import record
from kaiyuan.audit.filters import AuditEventFilter
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.workflow import Workflow
from tests.monitoring.factories import make_department_warning, make_household

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CODE = ("kaiyuan", "monitoring", "projects", "funds", "assets", "employment", "reports")
# ``action="…"`` (or ``action="a" if … else "b"``) in a call that records an event.
RECORDED = re.compile(r"\baction=(\"[a-z_]+\"(?:\s+if\s+[^\n]+?\s+else\s+\"[a-z_]+\")?)")
NOT_AUDIT = {"store_true"}  # argparse's action= in management commands


def _recorded_in_code() -> set[str]:
    actions = set()
    for app in CODE:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for match in RECORDED.finditer(path.read_text()):
                actions.update(re.findall(r"\"([a-z_]+)\"", match.group(1)))
    return actions - NOT_AUDIT


def _workflow_steps() -> set[str]:
    """The steps of every workflow declared in an app's models package."""
    import importlib
    import pkgutil

    workflows = []
    for app in ("monitoring", "projects", "funds", "assets", "employment", "reports"):
        try:
            package = importlib.import_module(f"{app}.models")
        except ModuleNotFoundError:
            continue
        modules = [package] + [
            importlib.import_module(f"{app}.models.{info.name}")
            for info in pkgutil.iter_modules(getattr(package, "__path__", []))
        ]
        for module in modules:
            workflows += [v for v in vars(module).values() if isinstance(v, Workflow)]
    assert len(workflows) >= 8, "the workflows were not found: the test is broken"
    return {step.action for workflow in workflows for step in workflow.steps}


def test_every_action_the_code_records_has_a_label():
    from kaiyuan.audit.signals import _ACTIONS
    from kaiyuan.common.exports import DOWNLOAD, EXPORT

    recorded = _recorded_in_code() | _workflow_steps() | set(_ACTIONS.values())
    recorded |= {EXPORT, DOWNLOAD}
    assert {"login", "verify", "export", "close_no_risk"} <= recorded
    assert recorded - set(AuditEvent.Action.values) == set()


def test_the_log_shows_actions_and_states_in_words(client, auditor, clerk_a, village_a):
    household = make_household(village_a)
    warning = make_department_warning(household.members.get())
    record(clerk_a, action="login", actor=clerk_a)
    record(warning, action="verify", actor=clerk_a, from_state="pending", to_state="no_risk")
    record(household, action="made_up_action", actor=clerk_a)
    client.force_login(auditor)

    page = client.get("/audit/").content.decode()

    assert ">登录<" in page and ">已核实<" in page
    assert "待核实 → 无风险" in page
    assert "pending" not in page and ">verify<" not in page and ">login<" not in page
    assert "其他操作（made_up_action）" in page
    assert ">部门预警信息<" in page and ">农户<" in page


def test_the_household_history_shows_actions_and_states_in_words(client, clerk_a, village_a):
    household = make_household(village_a)
    member = household.members.get()
    record(household, action="change", actor=clerk_a)
    record(member, action="remove", actor=clerk_a, from_state="active", to_state="removed")
    client.force_login(clerk_a)

    page = client.get(f"/monitoring/households/{household.pk}/").content.decode()

    assert "· 修改 ·" in page
    assert "移出本户（在户 → 已减员）" in page
    assert "active →" not in page and "→ removed" not in page


def test_the_object_type_filter_offers_the_platforms_records_once_each(client, auditor):
    # A content type left behind by an uninstalled app is not offered either.
    ContentType.objects.get_or_create(app_label="authtoken", model="token")
    choices = dict(AuditEventFilter().form.fields["content_type"].choices)
    labels = [str(label) for value, label in choices.items() if value != ""]

    assert {"农户", "家庭成员", "部门预警信息", "监测对象办理事项", "用户"} <= set(labels)
    assert len(labels) == len(set(labels))
    internal = {"内容类型", "会话", "权限", "组", "日志记录", "接口令牌", "令牌", "审计记录"}
    assert internal & set(labels) == set()
    assert not any(re.search("[A-Za-z]", label) for label in labels), labels


def test_the_filters_select_by_object_type_and_action(client, auditor, clerk_a, village_a):
    household = make_household(village_a)
    record(household, action="change", actor=clerk_a, note="农户的修改")
    record(household.members.get(), action="change", actor=clerk_a, note="成员的修改")
    record(household, action="export", actor=clerk_a, note="导出的记录")
    household_type = ContentType.objects.get_for_model(household)
    client.force_login(auditor)

    page = client.get("/audit/", {"content_type": household_type.pk, "action": "change"})

    text = page.content.decode()
    assert "农户的修改" in text
    assert "成员的修改" not in text and "导出的记录" not in text
    assert '<option value="change" selected>修改</option>' in text


def test_the_api_keeps_the_action_code_beside_its_label(client, auditor, clerk_a, grid_a):
    record(grid_a, action="login", actor=clerk_a)
    client.force_login(auditor)
    row = client.get("/api/v1/audit-events/").json()["results"][0]
    assert (row["action"], row["action_label"]) == ("login", "登录")
