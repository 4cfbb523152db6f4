"""Encryption at rest for secrets and sensitive fields, and keyed hashes for exact lookup.

The key comes from TRITHUC_ENCRYPTION_KEY (any long random string; see docs/deploy.md) and
falls back to one derived from SECRET_KEY in embedded mode. Rotating it makes stored
ciphertexts unreadable, so production sets it explicitly and keeps it apart from SECRET_KEY.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

PREFIX = "enc1:"


@lru_cache(maxsize=4)
def _fernet(material: str) -> Fernet:
    digest = hashlib.sha256(("trithuc-encryption:" + material).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _material() -> str:
    return getattr(settings, "TRITHUC_ENCRYPTION_KEY", "") or settings.SECRET_KEY


def encrypt(text: str) -> str:
    """Authenticated encryption (Fernet: AES-128-CBC + HMAC-SHA256), tagged with a version."""
    return PREFIX + _fernet(_material()).encrypt(text.encode()).decode()


def decrypt(value: str) -> str:
    """Inverse of encrypt(); values stored before encryption was enabled pass through."""
    if not value.startswith(PREFIX):
        return value
    try:
        return _fernet(_material()).decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ValueError("Cannot decrypt: wrong TRITHUC_ENCRYPTION_KEY?") from exc


def keyed_hash(text: str) -> str:
    """HMAC-SHA256 of `text`: equal inputs give equal hashes, without storing the input."""
    key = hashlib.sha256(("trithuc-lookup:" + _material()).encode()).digest()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
