"""Accounts as the app leaves them after sign-up and e-mail confirmation: the columns
of users and role_memberships, everyone's password hash, the park admins' second factor,
and the names people are given."""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from cryptography.fernet import Fernet

from bench.park import HISTORY_STARTS, personas
from foundry.accounts.passwords import needs_rehash, verify_password
from foundry.crypto import decrypt

SURNAMES = "Chan Wong Lee Cheung Lau Ho Ng Leung Tam Yip Li Zhang Wang Liu Chen Kumar"
SURNAMES = SURNAMES.split()
GIVEN = [
    "Ka Yan",
    "Tsz Hin",
    "Wing Sze",
    "Chun Kit",
    "Hoi Ying",
    "Man Lok",
    "Yuet",
    "Jia Hui",
    "Wei",
    "Xin Yi",
    "Priya",
    "Ming",
    "Sum Yi",
    "Pak Hei",
    "Cheuk Lam",
    "Hiu Tung",
]
USER_COLUMNS = (
    "id",
    "email",
    "display_name",
    "password_hash",
    "active",
    "preferred_locale",
    "created_at",
    "updated_at",
    "email_verified_at",
    "password_changed_at",
    "totp_secret_encrypted",
    "totp_enabled_at",
    "totp_recovery_codes",
)
MEMBERSHIP_COLUMNS = (
    "id",
    "user_id",
    "role",
    "university_id",
    "faculty_id",
    "company_id",
    "created_at",
    "updated_at",
)


def password_hash() -> str:
    """The one argon2 hash of personas.PASSWORD that every account holds (hashing it for
    each of 50,000 rows would take longer than the rest of the build). The app's hasher
    settings with a fixed salt, so two builds write the same rows; the app's own
    functions confirm it accepts the hash as it is."""
    global _HASH
    if _HASH is None:
        _HASH = PasswordHasher().hash(personas.PASSWORD, salt=b"bench-park-salt!")
        assert verify_password(_HASH, personas.PASSWORD) and not needs_rehash(_HASH)
    return _HASH


_HASH: str | None = None


def encrypted_totp_secret() -> str:
    """ADMIN_TOTP_SECRET as foundry.crypto stores it: a Fernet token under ENCRYPTION_KEY,
    made with a fixed time and IV so that two builds write the same rows (encrypt() draws
    a random IV); foundry.crypto.decrypt confirms the app reads it back."""
    token = (
        Fernet(personas.ENCRYPTION_KEY)
        ._encrypt_from_parts(
            personas.ADMIN_TOTP_SECRET.encode(),
            int(HISTORY_STARTS.timestamp()),
            b"bench.park.iv...",
        )
        .decode()
    )
    assert decrypt(token) == personas.ADMIN_TOTP_SECRET
    return token


def user_row(user_id: int, email: str, name: str, created: datetime, **second_factor) -> tuple:
    """A password account, verified and active, as signing up and confirming leaves it."""
    return (
        user_id,
        email,
        name,
        password_hash(),
        True,
        None,
        created,
        created,
        created + timedelta(minutes=7),
        created,
        second_factor.get("secret"),
        second_factor.get("enabled_at"),
        second_factor.get("recovery_codes"),
    )
