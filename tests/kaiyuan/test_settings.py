"""Settings come from the environment and refuse values they cannot understand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kaiyuan.env import env_bool, env_int, env_list, env_networks, env_secret, env_url

ROOT = Path(__file__).resolve().parents[2]


def test_it_reads_booleans_and_rejects_typos(monkeypatch):
    monkeypatch.setenv("FLAG", "false")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "Flase")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be true or false"):
        env_bool("FLAG", True)


def test_it_rejects_non_numbers_and_too_small_numbers(monkeypatch):
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("COUNT", 1)
    monkeypatch.setenv("COUNT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("COUNT", 5, minimum=1)
    monkeypatch.setenv("COUNT", "7")
    assert env_int("COUNT", 5, minimum=1) == 7


def test_it_splits_lists_and_reads_secrets_from_files(monkeypatch, tmp_path):
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("TOKEN_FILE", str(secret))
    assert env_secret("TOKEN", default=None, required=True) == "s3cret"
    monkeypatch.delenv("TOKEN_FILE")
    with pytest.raises(ImproperlyConfigured, match="TOKEN must be set"):
        env_secret("TOKEN", default="x", required=True)


def test_it_reads_proxy_networks_and_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("PROXIES", "172.31.240.10, 10.0.0.0/8,2001:db8::/32")
    assert env_networks("PROXIES", []) == ("172.31.240.10/32", "10.0.0.0/8", "2001:db8::/32")
    monkeypatch.setenv("PROXIES", "nginx")
    with pytest.raises(ImproperlyConfigured, match="PROXIES must list IP addresses"):
        env_networks("PROXIES", [])
    monkeypatch.delenv("PROXIES")
    assert env_networks("PROXIES", []) == ()


def test_it_rejects_a_database_url_of_unknown_kind(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/db")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must start with"):
        env_url("DATABASE_URL", "sqlite:///x", schemes={"sqlite", "postgres"})


def _django(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KAIYUAN_"))}
    clean.pop("DATABASE_URL", None)
    clean.pop("REDIS_URL", None)
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "kaiyuan.settings"
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_server_refuses_to_start_with_a_bad_boolean(tmp_path):
    result = _django({"DEBUG": "maybe", "KAIYUAN_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_production_requires_its_secrets(tmp_path):
    result = _django({"KAIYUAN_ENV": "production", "KAIYUAN_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "must be set in production" in result.stderr


def test_production_settings_pass_the_deployment_check(tmp_path):
    env = {
        "KAIYUAN_ENV": "production",
        "KAIYUAN_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "k" * 20 + "Q7#pz!v2@Lm9&xR4^tB8*wN1%cY6$hJ3(",
        "PII_ENCRYPTION_KEY": "HRmtB_5IYGZFLUgUj-R06IkP-lY3NWaL3BFTtSFaRlo=",
        "PII_INDEX_KEY": "yuzhR7tVTbMPfilCHVwNYy7mhLrXwvgNLl6dThovnnQ",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/kaiyuan",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "ALLOWED_HOSTS": "kaiyuan.example.gov.cn",
    }
    result = _django(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_the_default_is_sqlite_under_var_and_embedded_jobs(tmp_path):
    code = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER,"
        " settings.TIME_ZONE, settings.LANGUAGE_CODE)"
    )
    result = _django({"KAIYUAN_VAR_DIR": str(tmp_path)}, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == [
        "django.db.backends.sqlite3",
        "True",
        "Asia/Shanghai",
        "zh-hans",
    ]
