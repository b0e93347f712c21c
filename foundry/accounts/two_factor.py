"""The TOTP second factor (RFC 6238): enrolment with a QR code, codes checked once and
never replayed, single-use recovery codes, and turning it off or resetting it.

The key is stored encrypted (foundry.crypto); recovery codes only as SHA-256 hashes.
Park admins must have a second factor; everyone else may turn one on."""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
import logging
import re
import secrets
from dataclasses import dataclass

import pyotp
import segno
import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import Markup

from foundry import clock, policy
from foundry.accounts.lockout import is_locked, register_failure
from foundry.accounts.models import User
from foundry.accounts.passwords import verify_password
from foundry.accounts.session import end_all_sessions
from foundry.audit.services import record
from foundry.crypto import SecretUnreadable, decrypt, encrypt
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput, PermissionDenied
from foundry.extensions import db

log = logging.getLogger(__name__)

ISSUER = "Talent Foundry"
STEP_SECONDS = 30
DIGITS = 6
# Codes of the previous and the next time step are accepted too (clock drift, typing time).
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/i/l: a code copied from paper is read back without doubt. 31 symbols ** 10
# characters is about 49 bits, far beyond what the rate limit and the lockout allow.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
RECOVERY_CODE_LENGTH = 10
CODE_MAX_LENGTH = 32

_TOTP_CODE = re.compile(rf"^[0-9]{{{DIGITS}}}$")
_RECOVERY_CODE = re.compile(rf"^[{RECOVERY_ALPHABET}]{{{RECOVERY_CODE_LENGTH}}}$")


class SecondFactorMethod(enum.Enum):
    TOTP = "totp"
    RECOVERY_CODE = "recovery_code"


def current_time() -> float:
    """The clock codes are checked against: the one clock, in seconds."""
    return clock.timestamp()


def normalised_code(raw: str | None) -> tuple[SecondFactorMethod, str] | None:
    """What a typed code is: six digits from the app, or a recovery code (spaces, dashes
    and case ignored). None when it can be neither."""
    if not raw or len(raw) > CODE_MAX_LENGTH:
        return None
    compact = re.sub(r"[\s-]", "", raw).lower()
    if _TOTP_CODE.match(compact):
        return SecondFactorMethod.TOTP, compact
    if _RECOVERY_CODE.match(compact):
        return SecondFactorMethod.RECOVERY_CODE, compact
    return None


@dataclass(frozen=True)
class Enrolment:
    """A key waiting to be confirmed: what the authenticator app needs."""

    secret: str
    email: str

    @property
    def uri(self) -> str:
        return pyotp.TOTP(self.secret).provisioning_uri(name=self.email, issuer_name=ISSUER)

    @property
    def secret_for_typing(self) -> str:
        """The key in groups of four, as apps show it for manual entry."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))

    def qr_svg(self, title: str) -> Markup:
        """The provisioning URI as an inline SVG QR code (no script, no outside request)."""
        qr = segno.make(self.uri, error="m")
        svg = qr.svg_inline(
            scale=1,
            border=4,
            dark="#000",
            light="#fff",
            omitsize=True,
            title=title,
            svgclass="tf-qr",
        )
        # segno writes only its own markup and escapes the title.
        return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def _secret_of(user: User) -> str:
    try:
        return decrypt(user.totp_secret_encrypted or "")
    except SecretUnreadable:
        log.error("second-factor key of user %s cannot be decrypted", user.id)
        raise DomainError(
            _(
                "Your second-factor key cannot be read on this server. Ask the park's "
                "talent team to reset your second factor."
            )
        ) from None


def begin_enrolment(user: User) -> Enrolment:
    """The key being set up for `user`: the one already waiting for confirmation (so a
    reloaded page shows the same QR code), or a new one."""
    if user.has_second_factor:
        raise DomainError(_("Your second factor is already on."))
    if user.totp_secret_encrypted:
        try:
            return Enrolment(secret=decrypt(user.totp_secret_encrypted), email=user.email)
        except SecretUnreadable:
            log.warning("discarding an unreadable pending second-factor key of user %s", user.id)
    secret = pyotp.random_base32()
    user.totp_secret_encrypted = encrypt(secret)
    user.totp_last_counter = None
    user.totp_recovery_codes = None
    record(user, "user.two_factor_enrolment_started", user)
    return Enrolment(secret=secret, email=user.email)


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Turn the second factor on with a first code from the app; returns the recovery
    codes, to be shown once."""
    if user.has_second_factor:
        raise DomainError(_("Your second factor is already on."))
    if not user.totp_secret_encrypted:
        raise DomainError(_("Start setting up your second factor again."))
    parsed = normalised_code(code)
    if (
        parsed is None
        or parsed[0] is not SecondFactorMethod.TOTP
        or not _accept_totp(user, parsed[1])
    ):
        raise InvalidInput(
            _("That code is not right. Check your phone's clock and type the newest code.")
        )
    user.totp_enabled_at = utcnow()
    codes = _new_recovery_codes(user)
    record(user, "user.two_factor_enabled", user)
    return codes


def verify_second_factor(user: User, code: str) -> SecondFactorMethod | None:
    """Check and use up a code of `user`: an app code is accepted once (never again, nor
    an older one); a recovery code is removed. None when the code is not right."""
    if not user.has_second_factor:
        return None
    parsed = normalised_code(code)
    if parsed is None:
        return None
    method, value = parsed
    if method is SecondFactorMethod.TOTP:
        return method if _accept_totp(user, value) else None
    return method if _accept_recovery_code(user, value) else None


def _accept_totp(user: User, code: str) -> bool:
    totp = pyotp.TOTP(_secret_of(user), digits=DIGITS, interval=STEP_SECONDS)
    now_step = int(current_time()) // STEP_SECONDS
    last = user.totp_last_counter
    for step in range(now_step - VALID_WINDOW, now_step + VALID_WINDOW + 1):
        if last is not None and step <= last:
            continue
        if not hmac.compare_digest(totp.generate_otp(step), code):
            continue
        # Claim the step in SQL: of two requests racing with the same code, one wins.
        claimed = db.session.execute(
            sa.update(User)
            .where(
                User.id == user.id,
                sa.or_(User.totp_last_counter.is_(None), User.totp_last_counter < step),
            )
            .values(totp_last_counter=step)
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(user, ["totp_last_counter"])
        return claimed.rowcount == 1
    return False


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _stored_hashes(user: User) -> list[str]:
    try:
        hashes = json.loads(user.totp_recovery_codes or "[]")
    except ValueError:
        return []
    return [h for h in hashes if isinstance(h, str)] if isinstance(hashes, list) else []


def recovery_codes_left(user: User) -> int:
    return len(_stored_hashes(user))


def _accept_recovery_code(user: User, code: str) -> bool:
    stored = user.totp_recovery_codes
    hashes = _stored_hashes(user)
    digest = _hash_code(code)
    if not any(hmac.compare_digest(h, digest) for h in hashes):
        return False
    remaining = [h for h in hashes if h != digest]
    # Only if nobody used a code meanwhile: a recovery code works once, even in a race.
    used = db.session.execute(
        sa.update(User)
        .where(User.id == user.id, User.totp_recovery_codes == stored)
        .values(totp_recovery_codes=json.dumps(remaining))
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user, ["totp_recovery_codes"])
    if used.rowcount != 1:
        return False
    record(
        user,
        "user.recovery_code_used",
        user,
        {"remaining": len(remaining)},
        remaining=len(remaining),
    )
    return True


def _new_recovery_codes(user: User) -> list[str]:
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _j in range(RECOVERY_CODE_LENGTH))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    user.totp_recovery_codes = json.dumps([_hash_code(c.replace("-", "")) for c in codes])
    return codes


def _confirm_identity(user: User, password: str | None, code: str | None) -> None:
    """Ask for the password or a second-factor code before a sensitive change. A wrong
    answer counts as a failed sign-in (the lockout also stops a stolen session)."""
    if is_locked(user):
        raise InvalidInput(
            _("Too many wrong attempts. Your account is locked for a while; try again later.")
        )
    if password and user.has_password and verify_password(user.password_hash, password):
        return
    if code and verify_second_factor(user, code) is not None:
        return
    if register_failure(user):
        record(user, "user.locked", user, cause="passwords_or_codes")
    record(user, "user.identity_check_failed", user)
    raise InvalidInput(_("That password or code is not right."))


def disable_second_factor(user: User, *, password: str | None, code: str | None) -> None:
    """The user turns their own second factor off, with their password or a code. Park
    admins cannot: they must have one."""
    if policy.must_use_second_factor(user):
        raise PermissionDenied(_("Park admins must keep their second factor on."))
    if not user.has_second_factor:
        raise DomainError(_("Your second factor is already off."))
    _confirm_identity(user, password, code)
    _forget_second_factor(user)
    record(user, "user.two_factor_disabled", user)


def regenerate_recovery_codes(user: User, *, password: str | None, code: str | None) -> list[str]:
    """New recovery codes replace the old ones (which stop working); shown once."""
    if not user.has_second_factor:
        raise DomainError(_("Turn on your second factor first."))
    _confirm_identity(user, password, code)
    codes = _new_recovery_codes(user)
    record(user, "user.recovery_codes_regenerated", user)
    return codes


def reset_second_factor(target: User, actor: User) -> None:
    """A park admin removes another user's second factor (a lost phone and no recovery
    codes). The user is signed out everywhere; a park admin sets one up at next sign-in."""
    if not policy.can(actor, "user.reset_second_factor"):
        raise PermissionDenied(_("Only the park's talent team can reset a second factor."))
    if actor.id == target.id:
        raise PermissionDenied(_("Another park admin must reset your own second factor."))
    if not (target.has_second_factor or target.totp_secret_encrypted):
        raise DomainError(_("%(name)s has no second factor.", name=target.display_name))
    _forget_second_factor(target)
    end_all_sessions(target)
    record(actor, "user.two_factor_reset", target, {"email": target.email})


def _forget_second_factor(user: User) -> None:
    user.totp_secret_encrypted = None
    user.totp_enabled_at = None
    user.totp_last_counter = None
    user.totp_recovery_codes = None
