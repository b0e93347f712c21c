"""Password sign-in and password change, with the lockout, and without ever telling a
visitor whether an e-mail address has an account."""

from __future__ import annotations

from flask_babel import gettext as _

from foundry import policy
from foundry.accounts import lockout
from foundry.accounts.emails import send_password_changed_note
from foundry.accounts.models import User
from foundry.accounts.passwords import hash_password, needs_rehash, verify_password
from foundry.accounts.services import find_user_by_email
from foundry.accounts.session import end_all_sessions
from foundry.audit.services import record
from foundry.db import utcnow
from foundry.errors import DomainError, PermissionDenied


class SignInRefused(DomainError):
    """Unknown e-mail, wrong password, locked or inactive account: one answer for all."""

    status_code = 400

    def __init__(self):
        super().__init__(
            _(
                "That e-mail and password do not match an account, or the account is paused "
                "for a few minutes after several failed attempts."
            )
        )


class EmailNotVerified(Exception):
    """The password was right but the address was never confirmed."""

    def __init__(self, user: User):
        super().__init__(user.email)
        self.user = user


class WrongCurrentPassword(DomainError):
    status_code = 400

    def __init__(self):
        super().__init__(
            _(
                "Your current password is not right, or the account is paused for a few "
                "minutes after several failed attempts."
            )
        )


def _failed(user: User | None, reason: str) -> None:
    """Audit a refused sign-in; the typed e-mail is kept only through its user."""
    if user is None:
        record(None, "user.sign_in_failed", "users", reason=reason)
    else:
        record(None, "user.sign_in_failed", user, reason=reason)


def authenticate(email: str, password: str) -> User:
    """The user whose e-mail and password these are, if they may sign in now.

    Every refusal raises the same SignInRefused and spends one argon2 verification, so
    neither the message nor the time tells whether the address has an account. A wrong
    password counts towards the lockout; a locked account is refused even with the right
    password. EmailNotVerified only follows the right password.
    """
    user = find_user_by_email(email)
    password_hash = user.password_hash if user is not None else None
    matches = verify_password(password_hash, password)
    if user is None or not user.has_password:
        _failed(user, "unknown" if user is None else "no_password")
        raise SignInRefused()
    if not user.active:
        _failed(user, "inactive")
        raise SignInRefused()
    if lockout.is_locked(user):
        _failed(user, "locked")
        raise SignInRefused()
    if not matches:
        locked_now = lockout.register_failure(user)
        _failed(user, "wrong_password")
        if locked_now:
            record(None, "user.locked", user, cause="sign_ins")
        raise SignInRefused()
    if not needs_second_factor(user):
        # Otherwise the count goes on through the codes: a right password must not wipe
        # the wrong codes typed after it (the challenge resets it after a right code).
        lockout.register_success(user)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if user.email_verified_at is None:
        raise EmailNotVerified(user)
    return user


def needs_second_factor(user: User) -> bool:
    """Those the policy obliges to have one (they enrol at their first sign-in), and
    everyone who turned one on."""
    return user.has_second_factor or policy.must_use_second_factor(user)


def set_password(user: User, new_password: str) -> None:
    """A new password: every other session of the user ends (session_version) and the
    owner of the address is told."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    end_all_sessions(user)
    lockout.register_success(user)
    send_password_changed_note(user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password of a signed-in user who knows the current one. Wrong guesses
    count towards the lockout, so a stolen session cannot try passwords for ever."""
    if not user.has_password:
        raise PermissionDenied(
            _("Your account signs in through your university: it has no password.")
        )
    locked = lockout.is_locked(user)
    if locked or not verify_password(user.password_hash, current_password):
        if not locked and lockout.register_failure(user):
            record(None, "user.locked", user, cause="current_passwords")
        raise WrongCurrentPassword()
    set_password(user, new_password)
    record(user, "user.password_changed", user)
