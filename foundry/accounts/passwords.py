"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import gettext as _

# argon2 cost grows with input; nobody needs a longer passphrase than this.
PASSWORD_MAX_LENGTH = 128

_hasher = PasswordHasher()
# Verified against when no account matches, so an unknown e-mail costs the same time.
_DUMMY_HASH = _hasher.hash("no account has this password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; with no hash, spends the same time and says no."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problems(password: str, email: str = "") -> list[str]:
    """What is wrong with a new password, in words for the user (empty when it is fine)."""
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(_("Use at least %(count)d characters.", count=minimum))
    if len(password) > PASSWORD_MAX_LENGTH:
        problems.append(_("Use at most %(count)d characters.", count=PASSWORD_MAX_LENGTH))
    lowered = password.lower()
    local_part = email.split("@", 1)[0].lower()
    if email and (lowered == email.lower() or (len(local_part) >= 4 and local_part in lowered)):
        problems.append(_("Do not use your e-mail address in your password."))
    if len(set(password)) < 4:
        problems.append(_("Use a password with more different characters."))
    return problems
