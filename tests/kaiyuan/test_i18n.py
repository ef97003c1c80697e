"""The interface is Simplified Chinese: every string in the code and templates has a translation,
and the compiled catalogue the server loads matches the one in the repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = [
    "kaiyuan",
    "monitoring",
    "projects",
    "funds",
    "assets",
    "employment",
    "reports",
    "templates",
]


def test_every_string_of_the_code_is_translated(tmp_path):
    """Extract the strings afresh (as `make messages` does) and check none lacks Chinese."""
    for name in SOURCE_DIRS:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(PO, tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "kaiyuan.settings",
            "KAIYUAN_VAR_DIR": str(tmp_path / "var"),
            "PYTHONPATH": str(tmp_path),
        },
    )
    extracted = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in extracted.untranslated_entries()]
    fuzzy = [entry.msgid for entry in extracted.fuzzy_entries()]
    assert untranslated == [], "run `make messages` and translate these"
    assert fuzzy == [], "review these fuzzy translations"


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(PO))
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    expected = {e.msgid: e.msgstr for e in po.translated_entries()}
    compiled = {e.msgid: e.msgstr for e in mo if e.msgid}
    assert compiled == expected, "run `make messages` to recompile django.mo"


@pytest.mark.django_db
def test_pages_are_in_chinese_by_default(client, clerk_a):
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()
    client.force_login(clerk_a)
    page = client.get("/").content.decode()
    assert "工作板块" in page
    assert "防返贫监测" in page


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_error_pages_are_in_chinese(client, clerk_a, clerk_b, grid_a):
    client.force_login(clerk_a)
    assert "页面不存在" in client.get("/no-such-page/").content.decode()
    assert "无权访问" in client.get("/audit/").content.decode()
    assert "系统出现错误" in (ROOT / "templates" / "500.html").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_unless_the_user_chose_english(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录" in response.content.decode()
    client.cookies["django_language"] = "en"
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "Log in" in response.content.decode()
