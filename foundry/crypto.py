"""Secrets kept in the database (SSO client secrets, TOTP keys) are encrypted with the
keys in ENCRYPTION_KEYS: the first encrypts, every one decrypts, so a key is rotated by
putting a new one first and running `flask rotate-encryption-key` before dropping the old."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


class SecretUnreadable(RuntimeError):
    """A stored secret was encrypted with a key that is no longer configured."""


def _fernet() -> MultiFernet:
    keys = current_app.config.get("ENCRYPTION_KEYS") or []
    if not keys:
        raise SecretUnreadable("ENCRYPTION_KEYS is empty")
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable(
            "a stored secret cannot be decrypted with the configured ENCRYPTION_KEYS"
        ) from exc


def reencrypt(ciphertext: str) -> str:
    """The same secret under the newest key."""
    try:
        return _fernet().rotate(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("a stored secret cannot be decrypted") from exc


def new_token() -> str:
    """A URL-safe random token for a single-use link (about 256 bits)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a link token: enough to find it, useless if leaked."""
    return hashlib.sha256(token.encode()).hexdigest()


def same_secret(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
