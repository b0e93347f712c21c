"""Invitations to join a company: a company admin invites an e-mail address as recruiter
or company admin; the link in the e-mail (a single-use AccountToken) lets its reader
create an account, or join with the account they have.

Anyone may be invited, university addresses included: a student who founds a startup is
its company admin. The invitation is bound to the address, not to whoever holds the link:
a signed-in user with another address cannot use it.
"""

from __future__ import annotations

import enum
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from foundry.accounts.email_address import normalise_email
from foundry.accounts.labels import ROLE_LABELS
from foundry.accounts.models import AccountToken, Role, RoleMembership, TokenPurpose, User
from foundry.accounts.passwords import hash_password
from foundry.accounts.tokens import consume_token, issue_token
from foundry.audit.services import record
from foundry.companies.members import company_role, is_member
from foundry.companies.models import Company
from foundry.crypto import token_hash
from foundry.db import utcnow
from foundry.errors import DomainError, NotFound, PermissionDenied, refuse_duplicate
from foundry.extensions import db
from foundry.i18n import format_moment
from foundry.i18n import lazy_gettext as _l
from foundry.notifications.services import queue_email
from foundry.urls import absolute_url

MAX_PENDING_SHOWN = 100


class InvitationProblem(enum.Enum):
    UNKNOWN = "unknown"
    USED = "used"
    REVOKED = "revoked"
    EXPIRED = "expired"


class InvitationUnusable(DomainError):
    """The link cannot be used; `problem` says why (the page explains each case)."""

    def __init__(self, problem: InvitationProblem, message: str):
        super().__init__(message)
        self.problem = problem
        self.status_code = 404 if problem is InvitationProblem.UNKNOWN else 410


# --- the company admin's side -----------------------------------------------------------


def pending_invitations(company: Company) -> list[AccountToken]:
    """Invitations neither used nor withdrawn (expired ones too, so they can be resent)."""
    return list(
        db.session.scalars(
            sa.select(AccountToken)
            .where(
                AccountToken.purpose == TokenPurpose.INVITATION,
                AccountToken.company_id == company.id,
                AccountToken.used_at.is_(None),
                AccountToken.revoked_at.is_(None),
            )
            .options(sa.orm.joinedload(AccountToken.created_by))
            .order_by(AccountToken.created_at.desc(), AccountToken.id.desc())
            .limit(MAX_PENDING_SHOWN)
        )
    )


def invite(actor: User, company: Company, email: str, role_value: str) -> AccountToken:
    """Invite `email` to join `company` in the role given, and e-mail them the link."""
    email = normalise_email(email)
    role = company_role(role_value)
    if is_member(company, email):
        raise DomainError(_("%(email)s is already a member of this company.", email=email))
    # A closed account is invited like any address: saying so would tell a company admin
    # which addresses have accounts (its owner cannot sign in to accept anyway).
    if _usable_invitation_for(company, email) is not None:
        raise DomainError(
            _(
                "%(email)s already has an invitation waiting. Resend it from the list below.",
                email=email,
            )
        )
    token = _issue_and_send(actor, company, email, role)
    record(
        actor,
        "company.invitation_sent",
        company,
        {"email": email, "role": role},
        email=email,
        role=role.value,
    )
    return token


def resend_invitation(actor: User, company: Company, invitation: AccountToken) -> AccountToken:
    """A fresh link (and expiry) for a pending invitation; the old link stops working."""
    _check_pending(company, invitation)
    if is_member(company, invitation.email):
        raise DomainError(
            _("%(email)s is already a member of this company.", email=invitation.email)
        )
    invitation.revoked_at = utcnow()
    token = _issue_and_send(actor, company, invitation.email, invitation.role)
    record(
        actor,
        "company.invitation_resent",
        company,
        {"email": invitation.email},
        email=invitation.email,
        role=invitation.role.value,
    )
    return token


def revoke_invitation(actor: User, company: Company, invitation: AccountToken) -> None:
    _check_pending(company, invitation)
    invitation.revoked_at = utcnow()
    db.session.flush()
    record(
        actor,
        "company.invitation_revoked",
        company,
        {"email": invitation.email},
        email=invitation.email,
    )


def invitation_of(company: Company, invitation_id: int) -> AccountToken:
    invitation = db.session.get(AccountToken, invitation_id)
    if (
        invitation is None
        or invitation.purpose is not TokenPurpose.INVITATION
        or invitation.company_id != company.id
    ):
        raise NotFound(_("This invitation does not exist."))
    return invitation


def _check_pending(company: Company, invitation: AccountToken) -> None:
    if invitation.used_at is not None:
        raise DomainError(_("This invitation has been accepted already."))
    if invitation.revoked_at is not None:
        raise DomainError(_("This invitation has been withdrawn already."))


def _usable_invitation_for(company: Company, email: str) -> AccountToken | None:
    return db.session.scalar(
        sa.select(AccountToken).where(
            AccountToken.purpose == TokenPurpose.INVITATION,
            AccountToken.company_id == company.id,
            AccountToken.email == email,
            AccountToken.used_at.is_(None),
            AccountToken.revoked_at.is_(None),
            AccountToken.expires_at > utcnow(),
        )
    )


def _issue_and_send(actor: User, company: Company, email: str, role: Role) -> AccountToken:
    lifetime = timedelta(days=current_app.config["INVITATION_DAYS"])
    token, raw = issue_token(
        TokenPurpose.INVITATION, email, lifetime, company=company, role=role, created_by=actor
    )
    db.session.flush()
    link = absolute_url(url_for("company_members.invitation", token=raw))
    body = "\n".join(
        [
            _("Hello,"),
            "",
            _(
                "%(inviter)s invited you to join %(company)s on Talent Foundry as %(role)s.",
                inviter=actor.display_name,
                company=company.name,
                role=ROLE_LABELS[role],
            ),
            "",
            _("Accept the invitation:"),
            link,
            "",
            _(
                "The link works once, until %(date)s (Hong Kong time). If you did not expect "
                "this invitation, ignore this e-mail.",
                date=format_moment(token.expires_at),
            ),
            "",
            _("— Talent Foundry"),
        ]
    )
    queue_email(email, _("Join %(company)s on Talent Foundry", company=company.name), body)
    return token


# --- the invited person's side ------------------------------------------------------------


def find_invitation(raw: str | None) -> AccountToken:
    """The invitation a link names, if it can still be used; InvitationUnusable saying
    why not otherwise."""
    token = None
    if raw and len(raw) <= 200:
        token = db.session.scalar(
            sa.select(AccountToken).where(
                AccountToken.token_hash == token_hash(raw),
                AccountToken.purpose == TokenPurpose.INVITATION,
            )
        )
    if token is None:
        raise InvitationUnusable(
            InvitationProblem.UNKNOWN,
            _("This invitation link is not valid. Check that you opened the whole link."),
        )
    if token.used_at is not None:
        raise InvitationUnusable(InvitationProblem.USED, _("This invitation has been used."))
    if token.revoked_at is not None:
        raise InvitationUnusable(
            InvitationProblem.REVOKED,
            _("This invitation was withdrawn, or a newer one was sent. Use the latest e-mail."),
        )
    if not token.is_usable(utcnow()):
        raise InvitationUnusable(
            InvitationProblem.EXPIRED,
            _("This invitation has expired. Ask the company to send you a new one."),
        )
    return token


def account_for(invitation: AccountToken) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == invitation.email))


def accept_with_new_account(invitation: AccountToken, display_name: str, password: str) -> User:
    """Create the invited person's account (the link proved the mailbox, so the address
    is verified) and make them a member. The caller signs them in."""
    if account_for(invitation) is not None:
        raise DomainError(_("An account with this e-mail address exists. Sign in first."))
    _consume(invitation)
    now = utcnow()
    user = User(
        email=invitation.email,
        display_name=display_name,
        password_hash=hash_password(password),
        email_verified_at=now,
        password_changed_at=now,
    )
    db.session.add(user)
    with refuse_duplicate(_USED_A_MOMENT_AGO):  # the same link, accepted at the same moment
        db.session.flush()
    record(
        user,
        "user.created",
        user,
        {"via": "invitation", "company": invitation.company.name},
    )
    return _join(user, invitation)


def accept_as(user: User, invitation: AccountToken) -> User:
    """The signed-in `user` accepts an invitation sent to their own address."""
    if user.email != invitation.email:
        raise PermissionDenied(
            _(
                "This invitation is for another e-mail address. Sign out and open the link "
                "again, or ask the company to invite %(email)s.",
                email=user.email,
            )
        )
    if is_member(invitation.company, user.email):
        raise DomainError(
            _("You are already a member of %(company)s.", company=invitation.company.name)
        )
    _consume(invitation)
    if user.email_verified_at is None:  # the link reached this mailbox
        user.email_verified_at = utcnow()
    return _join(user, invitation)


# A double submit that the unique indexes (users' e-mail, one membership) caught.
_USED_A_MOMENT_AGO = _l("This invitation has been used.")


def _consume(invitation: AccountToken) -> None:
    if not consume_token(invitation):  # another request used it a moment ago
        raise InvitationUnusable(InvitationProblem.USED, _("This invitation has been used."))


def _join(user: User, invitation: AccountToken) -> User:
    membership = RoleMembership(
        user=user,
        role=invitation.role,
        company_id=invitation.company_id,
        granted_by_id=invitation.created_by_id,
    )
    db.session.add(membership)
    with refuse_duplicate(_USED_A_MOMENT_AGO):
        db.session.flush()
    record(
        user,
        "company.invitation_accepted",
        invitation.company,
        {"name": user.display_name, "role": invitation.role},
        user_id=user.id,
        role=invitation.role.value,
    )
    return user
