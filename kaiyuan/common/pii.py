"""Encryption at rest and the keyed blind index for personal identifiers (ID numbers).

The ciphertext (Fernet: AES-128-CBC + HMAC-SHA256) can only be read with PII_ENCRYPTION_KEY; the
blind index (HMAC-SHA256 with PII_INDEX_KEY) allows exact lookups and uniqueness checks without
decrypting, and cannot be reversed by someone who has the database but not the key.

PII_ENCRYPTION_KEY is a Fernet key or a comma-separated list of them: new values are encrypted
with the first, and a value written under any of them still reads. To retire a key, put the new
one first, run ``manage.py rotate_pii_key``, then remove the old one.
"""

from __future__ import annotations

import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from kaiyuan.checks import encryption_keys


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in encryption_keys(keys)])


def encrypt(plaintext: str) -> str:
    return _fernet(settings.PII_ENCRYPTION_KEY).encrypt(plaintext.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.PII_ENCRYPTION_KEY).decrypt(token.encode("ascii")).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: wrong PII_ENCRYPTION_KEY or damaged data") from exc


def reencrypt(token: str) -> str:
    """The same plaintext encrypted with the first key (a token already under it is renewed)."""
    try:
        return _fernet(settings.PII_ENCRYPTION_KEY).rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: wrong PII_ENCRYPTION_KEY or damaged data") from exc


@lru_cache(maxsize=4)
def _index_key(key: str) -> bytes:
    return ("kaiyuan-pii-index:" + key).encode()


def blind_index(value: str) -> str:
    # One-shot HMAC with the key derived once: imports compute tens of thousands of these.
    return hmac.digest(_index_key(settings.PII_INDEX_KEY), value.encode(), "sha256").hex()
