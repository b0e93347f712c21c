"""A park company joins the portal: its first admin signs up with a password, confirms the
e-mail address, and the company waits for the park's verification."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from foundry.accounts.email_address import email_domain, normalise_email
from foundry.accounts.emails import send_existing_account_note, send_verification_email
from foundry.accounts.models import AccountToken, Role, RoleMembership, TokenPurpose, User
from foundry.accounts.passwords import hash_password
from foundry.accounts.services import LinkExpired, find_user_by_email
from foundry.accounts.tokens import consume_token, issue_token
from foundry.audit.services import record
from foundry.companies.models import Company, CompanySize, VerificationStatus
from foundry.db import utcnow
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.taxonomy import Cluster, ParkLocation
from foundry.universities.models import UniversityDomain

SLUG_MAX_LENGTH = 60


class UniversityAddress(InvalidInput):
    """Students and staff sign in through their university, not with a company account."""

    def __init__(self):
        super().__init__(
            _(
                "This is a university address. Students and university staff do not need a "
                "company account: sign in with your university on the sign-in page."
            )
        )


@dataclass(frozen=True)
class CompanySignUp:
    display_name: str
    email: str
    password: str
    company_name: str
    cluster: Cluster
    park_location: ParkLocation
    size: CompanySize
    website: str | None


def is_university_address(email: str) -> bool:
    """True when the address's domain (or a parent domain) is a university's, in any
    spelling of it (u@connect.ｕst.hk is HKUST's connect.ust.hk)."""
    labels = email_domain(normalise_email(email)).split(".")
    candidates = [".".join(labels[i:]) for i in range(len(labels) - 1)]
    if not candidates:
        return False
    return (
        db.session.scalar(sa.select(sa.func.count()).where(UniversityDomain.domain.in_(candidates)))
        > 0
    )


def _slug_for(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:SLUG_MAX_LENGTH]
    base = base.strip("-") or "company"
    taken = db.session.scalar(sa.select(sa.func.count()).where(Company.slug == base))
    return f"{base}-{secrets.token_hex(3)}" if taken else base


def sign_up_company(data: CompanySignUp) -> User | None:
    """Create the user (e-mail not yet confirmed), the company (unverified until the
    address is confirmed, then waiting for the park's review) and the company-admin role,
    and e-mail a verification link. An address that already has an account gets a note
    instead and nothing is created; the caller answers the same in both cases."""
    email = normalise_email(data.email)
    if is_university_address(email):
        raise UniversityAddress()
    existing = find_user_by_email(email)
    password_hash = hash_password(data.password)  # spent either way: same time for both
    if existing is not None:
        if existing.active:
            send_existing_account_note(existing)
        record(None, "user.sign_up_existing_email", existing)
        return None
    now = utcnow()
    user = User(
        email=email,
        display_name=data.display_name.strip(),
        password_hash=password_hash,
        password_changed_at=now,
    )
    company = Company(
        slug=_slug_for(data.company_name),
        name=data.company_name.strip(),
        cluster=data.cluster,
        park_location=data.park_location,
        size=data.size,
        website=data.website or None,
        verification_status=VerificationStatus.UNVERIFIED,
    )
    db.session.add_all([user, company])
    db.session.flush()
    db.session.add(RoleMembership(user=user, role=Role.COMPANY_ADMIN, company_id=company.id))
    _send_verification(user, company)
    db.session.flush()
    record(user, "company.signed_up", company, {"email": email, "company": company.name})
    return user


def _send_verification(user: User, company: Company | None) -> AccountToken:
    hours = current_app.config["EMAIL_VERIFICATION_HOURS"]
    token, raw = issue_token(
        TokenPurpose.VERIFY_EMAIL, user.email, timedelta(hours=hours), user=user, company=company
    )
    send_verification_email(user, raw)
    return token


def _company_waiting_for(user: User) -> Company | None:
    for membership in user.memberships_for(Role.COMPANY_ADMIN):
        if membership.company.verification_status is VerificationStatus.UNVERIFIED:
            return membership.company
    return None


def resend_verification(email: str) -> None:
    """A new verification link, if the address has an unconfirmed password account
    (the caller answers the same whatever happens here)."""
    user = find_user_by_email(email)
    if user is None or not user.active or not user.has_password or user.email_verified_at:
        return
    _send_verification(user, _company_waiting_for(user))
    record(None, "user.verification_resent", user)


def confirm_email(token: AccountToken) -> User:
    """Use a verification link: the address is confirmed and the company it signed up
    goes to the park's verification queue. Nobody is signed in by it."""
    user = token.user
    if user is None or token.email != user.email or not consume_token(token):
        raise LinkExpired(_("This link has expired or has already been used."))
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    record(user, "user.email_verified", user)
    company = token.company
    if company is not None and company.verification_status is VerificationStatus.UNVERIFIED:
        company.verification_status = VerificationStatus.PENDING
        record(
            user,
            "company.verification_requested",
            company,
            {"company": company.name},
        )
    return user
