"""Test settings: real PostgreSQL and Redis at their default local addresses."""

import os

os.environ.setdefault("KAIYUAN_ENV", "test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kaiyuan")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

from kaiyuan.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests call tasks through .delay() and expect them done when the call returns; a separate test
# runs a real worker against Redis to prove the wiring.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
# Connections close after each request and each task (Celery's Django fix-up honours this), so a
# worker thread in a test leaves no session behind to block dropping the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
