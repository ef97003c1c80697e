"""Start-up checks of the keys and passwords a production server is given.

Django's own ``check --deploy`` only looks at SECRET_KEY, and only warns; a county server started
with the placeholders of .env.example, or with the development keys, would encrypt ID numbers with
a key that is public. These checks run while the settings load, so such a server never starts. A
refusal names the variable and never prints its value: start-up errors end up in logs that more
people read than should see the keys.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping

from django.core.exceptions import ImproperlyConfigured

# The placeholders of .env.example (a test checks that every "change-me" value there is refused).
# Any value with "change-me" in it is refused as well; these cover copies with the word edited out.
PLACEHOLDERS = frozenset(
    {
        "change-me-to-a-long-random-string-of-at-least-fifty-characters",
        "change-me-encryption-key",
        "change-me-blind-index-key",
        "change-me-database-password",
    }
)
PLACEHOLDER_MARKERS = ("change-me", "changeme", "change_me")

SECRET_KEY_MIN_LENGTH = 50
INDEX_KEY_MIN_LENGTH = 32
# Django's deployment check asks the same of SECRET_KEY: "aaaa…" is long but not a key.
MIN_DISTINCT_CHARACTERS = 5
# 32 random bytes almost never have fewer than 20 distinct values; a key with fewer than 16 was
# typed or padded, not generated.
MIN_DISTINCT_KEY_BYTES = 16

FERNET_HINT = (
    "generate one with: python -c 'from cryptography.fernet import Fernet; "
    "print(Fernet.generate_key().decode())'"
)


def encryption_keys(value: str) -> list[str]:
    """The keys of PII_ENCRYPTION_KEY: one Fernet key, or several separated by commas (the first
    encrypts, any decrypts, so that a key can be retired after ``rotate_pii_key``)."""
    return [key.strip() for key in value.split(",") if key.strip()]


def fernet_key_problem(key: str) -> str | None:
    """Why ``key`` is not a usable Fernet key (32 random bytes in URL-safe base64), or None."""
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raw = b""
    if len(raw) != 32 or len(key) != 44:
        return f"is not a Fernet key (44 characters of URL-safe base64); {FERNET_HINT}"
    if len(set(raw)) < MIN_DISTINCT_KEY_BYTES:
        return f"is not random enough to be a key; {FERNET_HINT}"
    return None


def check_encryption_key_format(value: str) -> None:
    """Every environment: a value that is not a list of Fernet keys would fail at the first
    encrypted write, far from its cause."""
    problems = _encryption_key_problems(value)
    if problems:
        raise ImproperlyConfigured("; ".join(problems))


def _encryption_key_problems(value: str) -> list[str]:
    keys = encryption_keys(value)
    if not keys:
        return ["PII_ENCRYPTION_KEY is empty"]
    problems = []
    for position, key in enumerate(keys, start=1):
        problem = fernet_key_problem(key)
        if problem:
            where = f" (key {position} of {len(keys)})" if len(keys) > 1 else ""
            problems.append(f"PII_ENCRYPTION_KEY{where} {problem}")
    return problems


def _is_placeholder(value: str, known: Iterable[str]) -> bool:
    lowered = value.lower()
    return value in known or any(marker in lowered for marker in PLACEHOLDER_MARKERS)


def check_production_secrets(
    values: Mapping[str, str | None], *, development_defaults: Mapping[str, str]
) -> None:
    """Refuse placeholders, development defaults and weak keys.

    Args:
        values: the variables to check by name (SECRET_KEY, PII_ENCRYPTION_KEY, PII_INDEX_KEY,
            DATABASE_URL, POSTGRES_PASSWORD); a None value (not set) is skipped.
        development_defaults: the defaults of settings.py, refused as they are public.

    Raises:
        ImproperlyConfigured: naming every variable that is wrong, never its value.
    """
    known = PLACEHOLDERS | set(development_defaults.values())
    problems: list[str] = []
    for name, value in values.items():
        if value is None:
            continue
        parts = encryption_keys(value) if name == "PII_ENCRYPTION_KEY" else [value]
        if any(_is_placeholder(part, known) for part in parts):
            problems.append(f"{name} is a placeholder or development value; set a real one")

    secret_key = values.get("SECRET_KEY") or ""
    if len(secret_key) < SECRET_KEY_MIN_LENGTH:
        problems.append(f"SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} characters")
    elif len(set(secret_key)) < MIN_DISTINCT_CHARACTERS:
        problems.append("SECRET_KEY must not repeat a few characters; generate a random one")

    encryption = values.get("PII_ENCRYPTION_KEY") or ""
    problems += _encryption_key_problems(encryption)

    index_key = values.get("PII_INDEX_KEY") or ""
    if len(index_key) < INDEX_KEY_MIN_LENGTH:
        problems.append(f"PII_INDEX_KEY must be at least {INDEX_KEY_MIN_LENGTH} characters")
    elif len(set(index_key)) < MIN_DISTINCT_CHARACTERS:
        problems.append("PII_INDEX_KEY must not repeat a few characters; generate a random one")
    if index_key and index_key in {secret_key, encryption, *encryption_keys(encryption)}:
        problems.append(
            "PII_INDEX_KEY must be distinct from SECRET_KEY and PII_ENCRYPTION_KEY: one leaked "
            "key must not also unlock the blind index"
        )

    if problems:
        raise ImproperlyConfigured(
            "Refusing to start in production: " + "; ".join(dict.fromkeys(problems)) + "."
        )
