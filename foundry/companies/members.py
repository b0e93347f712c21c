"""A company's members: the list its people see, and the company admin's changes to it.

A company always keeps at least one company admin: the last one can neither be made a
recruiter nor removed, so there is always someone who can invite the next people."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from foundry.accounts.email_address import normalise_email
from foundry.accounts.models import COMPANY_ROLES, Role, RoleMembership, User
from foundry.audit.services import record
from foundry.companies.models import Company
from foundry.errors import DomainError, InvalidInput, NotFound
from foundry.extensions import db

MEMBER_SORTS = {
    "name": sa.func.lower(User.display_name),
    "role": RoleMembership.role,
    "joined": RoleMembership.created_at,
    "last_sign_in": User.last_sign_in_at,
}


def members_statement(company: Company) -> sa.Select:
    """The company's members (one row per company role), with their user."""
    return (
        sa.select(RoleMembership)
        .join(User, User.id == RoleMembership.user_id)
        .where(RoleMembership.company_id == company.id, RoleMembership.role.in_(COMPANY_ROLES))
        .options(contains_eager(RoleMembership.user))
    )


def membership_of(company: Company, membership_id: int) -> RoleMembership:
    membership = db.session.get(RoleMembership, membership_id)
    if (
        membership is None
        or membership.company_id != company.id
        or membership.role not in COMPANY_ROLES
    ):
        raise NotFound(_("This person is not a member of %(company)s.", company=company.name))
    return membership


def company_role(value: str | None) -> Role:
    """A company role from a form value; InvalidInput for anything else."""
    try:
        role = Role(value or "")
    except ValueError:
        role = None
    if role not in COMPANY_ROLES:
        raise InvalidInput(_("Choose recruiter or company admin."))
    return role


def is_member(company: Company, email: str) -> bool:
    return bool(
        db.session.scalar(
            sa.select(
                sa.exists().where(
                    RoleMembership.user_id == User.id,
                    User.email == normalise_email(email),
                    RoleMembership.company_id == company.id,
                    RoleMembership.role.in_(COMPANY_ROLES),
                )
            )
        )
    )


def _lock_company(company: Company) -> None:
    """Serialise changes to a company's admins (two admins demoting each other at once
    must not leave none; PostgreSQL locks the row, SQLite serialises writes anyway)."""
    db.session.execute(sa.select(Company.id).where(Company.id == company.id).with_for_update())


def admin_count(company: Company) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            RoleMembership.company_id == company.id, RoleMembership.role == Role.COMPANY_ADMIN
        )
    )


def _refuse_if_last_admin(company: Company, membership: RoleMembership, doing: str) -> None:
    if membership.role is Role.COMPANY_ADMIN:
        _lock_company(company)
        if admin_count(company) <= 1:
            raise DomainError(doing)


def change_member_role(
    actor: User, company: Company, membership: RoleMembership, role_value: str
) -> None:
    """Make a member a recruiter or a company admin."""
    role = company_role(role_value)
    if role is membership.role:
        return
    if role is Role.RECRUITER:
        _refuse_if_last_admin(
            company,
            membership,
            _(
                "%(name)s is the only company admin. Make someone else a company admin first.",
                name=membership.user.display_name,
            ),
        )
    before = membership.role
    membership.role = role
    membership.granted_by_id = actor.id
    db.session.flush()
    record(
        actor,
        "company.member_role_changed",
        company,
        {"name": membership.user.display_name, "before": before, "after": role},
        user_id=membership.user_id,
        before=before.value,
        after=role.value,
    )


def remove_member(actor: User, company: Company, membership: RoleMembership) -> None:
    """Take a member out of the company (their account stays)."""
    _refuse_if_last_admin(
        company,
        membership,
        _(
            "%(name)s is the only company admin, so they cannot be removed. Make someone else "
            "a company admin first.",
            name=membership.user.display_name,
        ),
    )
    record(
        actor,
        "company.member_removed",
        company,
        {"name": membership.user.display_name, "role": membership.role},
        user_id=membership.user_id,
        role=membership.role.value,
    )
    db.session.delete(membership)
    db.session.flush()
    # The rest of the request (the policy: did they remove themselves?) sees them gone.
    db.session.expire(membership.user, ["memberships"])
