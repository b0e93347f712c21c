"""A university's staff on Talent Foundry and the staff roles its coordinator grants.

Who counts as staff of a university: whoever signed in through its SSO with a staff
affiliation (staff, faculty or employee) or holds one of its staff roles. The rule for
granting: a staff role at a university goes only to such a person, so a student of that
university (affiliation "student" only) cannot be made a dean here, even by tampering
with the form; a student who is also staff (a teaching assistant whose IdP says
"student staff") can be.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import FACULTY_STAFF_ROLES, Role, RoleMembership, User
from foundry.audit.services import record
from foundry.errors import DomainError, InvalidInput, NotFound
from foundry.extensions import db
from foundry.sso.models import UserIdentity
from foundry.universities.models import Faculty, University

STAFF_AFFILIATIONS = ("staff", "faculty", "employee")
UNIVERSITY_STAFF_ROLES = FACULTY_STAFF_ROLES | {Role.UNIVERSITY_COORDINATOR}
# In the order the grant form offers them.
GRANTABLE_ROLES = (
    Role.DEAN,
    Role.ASSOCIATE_DEAN,
    Role.PLACEMENT_OFFICER,
    Role.UNIVERSITY_COORDINATOR,
)

STAFF_SORTS = {
    "name": sa.func.lower(User.display_name),
    "email": User.email,
    "last_sign_in": User.last_sign_in_at,
}


class InvalidStaffField(InvalidInput):
    """Bad input about one field of the grant form (`field`: role or faculty)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


# --- who is staff ---------------------------------------------------------------------


def _staff_affiliation(university_id: int):
    padded = sa.func.lower(sa.literal(" ").concat(UserIdentity.affiliations).concat(" "))
    return sa.exists().where(
        UserIdentity.user_id == User.id,
        UserIdentity.university_id == university_id,
        sa.or_(*(padded.like(f"% {value} %") for value in STAFF_AFFILIATIONS)),
    )


def _holds_staff_role(university_id: int, faculty_id: int | None = None):
    conditions = [
        RoleMembership.user_id == User.id,
        RoleMembership.university_id == university_id,
        RoleMembership.role.in_(UNIVERSITY_STAFF_ROLES),
    ]
    if faculty_id is not None:
        conditions.append(RoleMembership.faculty_id == faculty_id)
    return sa.exists().where(*conditions)


@dataclass(frozen=True)
class StaffFilters:
    query: str | None = None
    faculty_id: int | None = None


def staff_statement(university: University, filters: StaffFilters) -> sa.Select:
    """The staff of `university` (see the module docstring), filtered."""
    stmt = sa.select(User).where(
        sa.or_(_staff_affiliation(university.id), _holds_staff_role(university.id))
    )
    if filters.faculty_id is not None:
        stmt = stmt.where(_holds_staff_role(university.id, filters.faculty_id))
    if filters.query:
        pattern = f"%{filters.query.lower()}%"
        stmt = stmt.where(
            sa.or_(sa.func.lower(User.display_name).like(pattern), User.email.like(pattern))
        )
    return stmt


def is_staff_of(user: User, university: University) -> bool:
    return bool(
        db.session.scalar(
            sa.select(
                sa.or_(_staff_affiliation(university.id), _holds_staff_role(university.id))
            ).where(User.id == user.id)
        )
    )


def has_staff_affiliation(user: User, university: University) -> bool:
    return bool(
        db.session.scalar(sa.select(_staff_affiliation(university.id)).where(User.id == user.id))
    )


def identities_at(university: University, user_ids: list[int]) -> dict[int, UserIdentity]:
    """Each user's identity at the university's IdP (the latest signed-in one)."""
    if not user_ids:
        return {}
    rows = db.session.scalars(
        sa.select(UserIdentity)
        .where(UserIdentity.university_id == university.id, UserIdentity.user_id.in_(user_ids))
        .order_by(UserIdentity.last_sign_in_at.asc().nulls_first(), UserIdentity.id)
    )
    return {identity.user_id: identity for identity in rows}


def staff_roles_at(user: User, university: University) -> list[RoleMembership]:
    return [
        m
        for m in user.memberships
        if m.university_id == university.id and m.role in UNIVERSITY_STAFF_ROLES
    ]


# --- granting and revoking -------------------------------------------------------------


def grant_staff_role(
    actor: User, university: University, person: User, role_value: str, faculty_id: str | None
) -> RoleMembership:
    """Give `person` a staff role at `university` (a faculty role names one of its
    faculties). Raises InvalidInput for a role, faculty or person that does not fit."""
    try:
        role = Role(role_value)
    except ValueError:
        raise InvalidStaffField("role", _("Choose one of the staff roles.")) from None
    if role not in GRANTABLE_ROLES:
        raise InvalidStaffField("role", _("Choose one of the staff roles."))
    faculty = None
    if role in FACULTY_STAFF_ROLES:
        faculty = _faculty_of(university, faculty_id)
    elif faculty_id:
        raise InvalidStaffField(
            "faculty", _("A university coordinator covers every faculty: leave the faculty empty.")
        )
    if not is_staff_of(person, university):
        raise InvalidInput(
            _(
                "%(name)s has not signed in as staff of %(university)s, so they cannot be given a "
                "staff role here.",
                name=person.display_name,
                university=university.code,
            )
        )
    if any(
        m.role is role and m.faculty_id == (faculty.id if faculty else None)
        for m in staff_roles_at(person, university)
    ):
        raise DomainError(_("%(name)s already holds this role.", name=person.display_name))
    membership = RoleMembership(
        user=person,
        role=role,
        university_id=university.id,
        faculty_id=faculty.id if faculty else None,
        granted_by_id=actor.id,
    )
    db.session.add(membership)
    db.session.flush()
    record(
        actor,
        "university.staff_role_granted",
        person,
        {"name": person.display_name, "role": role, "scope": _scope_label(university, faculty)},
        role=role.value,
        university=university.code,
        faculty_id=faculty.id if faculty else None,
    )
    return membership


def revoke_staff_role(actor: User, university: University, membership: RoleMembership) -> None:
    """Take a staff role away. The last coordinator cannot take their own role away (no
    one at the university could grant roles any more); the park admin can."""
    if membership.university_id != university.id or membership.role not in UNIVERSITY_STAFF_ROLES:
        raise NotFound(_("That role does not exist at this university."))
    if membership.role is Role.UNIVERSITY_COORDINATOR and membership.user_id == actor.id:
        # Lock the university row so two coordinators cannot both leave at once.
        db.session.execute(
            sa.select(University.id).where(University.id == university.id).with_for_update()
        )
        coordinators = db.session.scalar(
            sa.select(sa.func.count()).where(
                RoleMembership.university_id == university.id,
                RoleMembership.role == Role.UNIVERSITY_COORDINATOR,
            )
        )
        if coordinators <= 1:
            raise DomainError(
                _(
                    "You are the only coordinator of %(university)s, so you cannot remove your "
                    "own coordinator role. Grant it to someone else first, or ask the park admin.",
                    university=university.code,
                )
            )
    person = membership.user
    faculty = membership.faculty
    params = {
        "name": person.display_name,
        "role": membership.role,
        "scope": _scope_label(university, faculty),
    }
    record(
        actor,
        "university.staff_role_revoked",
        person,
        params,
        role=membership.role.value,
        university=university.code,
        faculty_id=membership.faculty_id,
    )
    db.session.delete(membership)
    db.session.flush()
    # The rest of the request (the policy: did they step down?) sees the role gone.
    db.session.expire(person, ["memberships"])


def _faculty_of(university: University, faculty_id: str | None) -> Faculty:
    if not faculty_id:
        raise InvalidStaffField("faculty", _("Choose the faculty this role is for."))
    faculty = (
        db.session.get(Faculty, int(faculty_id))
        if faculty_id.isdigit() and len(faculty_id) < 10
        else None
    )
    if faculty is None or faculty.university_id != university.id:
        raise InvalidStaffField(
            "faculty",
            _("That faculty is not one of %(university)s's.", university=university.code),
        )
    return faculty


def _scope_label(university: University, faculty: Faculty | None) -> str:
    return f"{university.code} {faculty.code}" if faculty else university.code
