"""Production refuses to start with placeholder, development or weak keys, and says which variable
is wrong without ever printing its value. Each case loads the settings in a fresh process with its
own environment, as a server start does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.kaiyuan.test_settings import ROOT, _django

ENV_EXAMPLE = ROOT / ".env.example"

# Keys made for these tests only (Fernet.generate_key(), secrets.token_urlsafe()).
FERNET_1 = "HRmtB_5IYGZFLUgUj-R06IkP-lY3NWaL3BFTtSFaRlo="
FERNET_2 = "cFwpKIf8EzbYYLc_svEktVv0BNir-b1RetfJYunTRSQ="
INDEX_KEY = "yuzhR7tVTbMPfilCHVwNYy7mhLrXwvgNLl6dThovnnQ"
SECRET_KEY = "-1KBeGEuoNaRzEk0MHkPF1PvUaB0A6OfG6HkVxXt0-rFCzVBdBA9Z7u8K3SEHrI3knc"

# What the settings module gave (and developers' databases hold) before keys had to be Fernet keys.
OLD_DEVELOPMENT_DEFAULTS = {
    "SECRET_KEY": "dev-only-insecure-key-3c1e8a0f9b7d4e2a8c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2918",
    "PII_ENCRYPTION_KEY": "dev-only-pii-encryption-key-change-me",
    "PII_INDEX_KEY": "dev-only-pii-index-key-change-me",
}


def _env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


PLACEHOLDERS = {name: value for name, value in _env_example().items() if "change-me" in value}


def _good_env(tmp_path: Path) -> dict[str, str]:
    return {
        "KAIYUAN_ENV": "production",
        "KAIYUAN_VAR_DIR": str(tmp_path),
        "SECRET_KEY": SECRET_KEY,
        "PII_ENCRYPTION_KEY": FERNET_1,
        "PII_INDEX_KEY": INDEX_KEY,
        "DATABASE_URL": "postgres://kaiyuan:Wq9-real-password@127.0.0.1:5432/kaiyuan",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "ALLOWED_HOSTS": "kaiyuan.example.gov.cn",
    }


def _load_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Import the settings module alone (what every server process does first)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KAIYUAN_"))}
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "PII_ENCRYPTION_KEY", "PII_INDEX_KEY"):
        clean.pop(name, None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import kaiyuan.settings"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _refused(result: subprocess.CompletedProcess, name: str, value: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "ImproperlyConfigured" in output
    assert name in output
    # A value too short to search for on its own is looked for as it would be quoted.
    shown = value if len(value) >= 8 else repr(value)
    assert shown not in output, "the refusal must not print the secret"


def test_the_env_example_placeholders_fail_the_deployment_check(tmp_path):
    env = {**_env_example(), "KAIYUAN_VAR_DIR": str(tmp_path)}
    result = _django(env, "check", "--deploy")
    for name, value in PLACEHOLDERS.items():
        _refused(result, name, value)


@pytest.mark.parametrize("name", sorted(PLACEHOLDERS))
def test_each_placeholder_of_the_env_example_is_refused(tmp_path, name):
    result = _load_settings({**_good_env(tmp_path), name: PLACEHOLDERS[name]})
    _refused(result, name, PLACEHOLDERS[name])


@pytest.mark.parametrize("name", sorted(OLD_DEVELOPMENT_DEFAULTS))
def test_the_development_defaults_are_refused(tmp_path, name):
    from kaiyuan import settings as project_settings

    for value in {OLD_DEVELOPMENT_DEFAULTS[name], project_settings.DEVELOPMENT_SECRETS[name]}:
        result = _load_settings({**_good_env(tmp_path), name: value})
        _refused(result, name, value)


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("PII_ENCRYPTION_KEY", "x", "Fernet"),
        ("PII_ENCRYPTION_KEY", f"{FERNET_1},x", "Fernet"),
        ("PII_ENCRYPTION_KEY", "A" * 43 + "=", "random"),
        ("PII_INDEX_KEY", "y", "32"),
        ("PII_INDEX_KEY", INDEX_KEY[:31], "32"),
        ("SECRET_KEY", SECRET_KEY[:49], "50"),
    ],
)
def test_keys_that_are_too_short_or_not_keys_are_refused(tmp_path, name, value, reason):
    result = _load_settings({**_good_env(tmp_path), name: value})
    _refused(result, name, value)
    assert reason in result.stderr


@pytest.mark.parametrize("other", ["SECRET_KEY", "PII_ENCRYPTION_KEY"])
def test_the_index_key_must_differ_from_the_other_keys(tmp_path, other):
    env = _good_env(tmp_path)
    env["PII_INDEX_KEY"] = env[other]
    result = _load_settings(env)
    _refused(result, "PII_INDEX_KEY", env[other])
    assert "distinct" in result.stderr


def test_a_list_of_encryption_keys_passes_the_deployment_check(tmp_path):
    env = {**_good_env(tmp_path), "PII_ENCRYPTION_KEY": f"{FERNET_2}, {FERNET_1}"}
    result = _django(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_an_encryption_key_that_is_not_a_fernet_key_is_refused_in_development_too(tmp_path):
    result = _load_settings({"KAIYUAN_VAR_DIR": str(tmp_path), "PII_ENCRYPTION_KEY": "x"})
    _refused(result, "PII_ENCRYPTION_KEY", "x")


def test_the_development_default_reads_what_the_old_development_default_wrote(tmp_path):
    """Developers' local databases hold ID numbers encrypted with the key derived from the old
    default; the new default is that derived key, so they still read."""
    code = (
        "import base64, hashlib\n"
        "from cryptography.fernet import Fernet\n"
        "import django; django.setup()\n"
        "from kaiyuan.common import pii\n"
        "seed = b'kaiyuan-pii-encryption:' + OLD.encode()\n"
        "old = Fernet(base64.urlsafe_b64encode(hashlib.sha256(seed).digest()))\n"
        "print(pii.decrypt(old.encrypt(b'211282198005170011').decode()))\n"
    ).replace("OLD", repr(OLD_DEVELOPMENT_DEFAULTS["PII_ENCRYPTION_KEY"]))
    result = _django({"KAIYUAN_VAR_DIR": str(tmp_path)}, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "211282198005170011"
