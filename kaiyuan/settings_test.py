"""Test settings: real PostgreSQL and Redis at their default local addresses."""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("KAIYUAN_ENV", "test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kaiyuan")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
# Each xdist worker (gw0, gw1, ...) has its own test database, whose users get the same ids as the
# other worker's; a Redis database of its own keeps their rate limits, throttles and lock-outs
# apart, so that a test may clear the cache without emptying the other worker's mid-test. (The
# workers inherit the controller's environment, REDIS_URL included, so it is rewritten here.)
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER.startswith("gw") and os.environ["REDIS_URL"]:
    _redis = urlsplit(os.environ["REDIS_URL"])
    _db = 15 - int(_WORKER[2:]) % 8
    os.environ["REDIS_URL"] = urlunsplit(_redis._replace(path=f"/{_db}"))

from kaiyuan.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests call tasks through .delay() and expect them done when the call returns; a separate test
# runs a real worker against Redis to prove the wiring.
CELERY_TASK_ALWAYS_EAGER = True
JOBS_IN_THREAD = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
# Connections close after each request and each task (Celery's Django fix-up honours this), so a
# worker thread in a test leaves no session behind to block dropping the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
