"""Tests on the embedded database of ``make run``: SQLite, no Redis, jobs in-process.

``make test`` runs the tests marked ``sqlite`` a second time with these settings, so that what the
embedded mode answers (a conflict, a page) is checked against SQLite itself, not assumed from
PostgreSQL. The test database is a file under var/, not SQLite's in-memory default, so that the
threads of a concurrency test and a live server share it.
"""

import os
from pathlib import Path

_VAR = Path(os.environ.get("KAIYUAN_VAR_DIR") or Path(__file__).resolve().parent.parent / "var")
_DIR = _VAR / "test-sqlite"
_DIR.mkdir(parents=True, exist_ok=True)
# Set before the settings load, so settings.py configures SQLite exactly as for `make run`.
os.environ["DATABASE_URL"] = f"sqlite:///{_DIR / 'kaiyuan.sqlite3'}"
os.environ["REDIS_URL"] = ""

from kaiyuan.settings_test import *  # noqa: E402, F403

DATABASES["default"]["TEST"] = {"NAME": str(_DIR / "test_kaiyuan.sqlite3")}  # noqa: F405
