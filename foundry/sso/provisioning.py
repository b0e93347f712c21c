"""From validated claims to a portal account: find the user by (issuer, subject), create
or update them, and give the roles the claims justify, in one transaction.

The rules: the IdP must have verified the e-mail address, and the address must be in one of
the university's domains (so a student of A cannot sign in through B). Accounts are never
linked by e-mail alone. "student" gives the student role in the faculty the claims name;
"staff", "faculty" or "employee" gives an account without roles (the coordinator grants
them), unless the connection trusts a staff-role claim. No affiliation gives no rights.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from foundry.accounts.email_address import InvalidEmailAddress, email_domain, normalise_email
from foundry.accounts.models import FACULTY_STAFF_ROLES, Role, RoleMembership, User
from foundry.audit.services import record
from foundry.db import utcnow
from foundry.errors import refuse_duplicate
from foundry.extensions import db
from foundry.sso.discovery import SsoError
from foundry.sso.models import SsoConnection, UserIdentity
from foundry.sso.onboarding import (
    create_profile,
    graduation_years,
    student_number_taken,
    student_profile,
)
from foundry.universities.models import Faculty, StudyLevel, StudyProgramme, University

STUDENT_AFFILIATIONS = frozenset({"student"})
STAFF_AFFILIATIONS = frozenset({"staff", "faculty", "employee"})
STAFF_ROLES_FROM_CLAIM = {
    "dean": Role.DEAN,
    "associate_dean": Role.ASSOCIATE_DEAN,
    "placement_officer": Role.PLACEMENT_OFFICER,
    "university_coordinator": Role.UNIVERSITY_COORDINATOR,
}
MAX_NAME_LENGTH = 120
MAX_STUDENT_NUMBER_LENGTH = 32


@dataclass(frozen=True)
class ProvisionResult:
    user: User
    created: bool
    # A student without a profile yet: study level and graduation year must be asked.
    needs_onboarding: bool
    # Holds at least one role, so has somewhere to go in the portal.
    has_access: bool
    student_number: str | None


# --- reading claims ---------------------------------------------------------------------------


def _text(claims: dict, name: str | None, max_length: int = 300) -> str | None:
    if not name:
        return None
    value = claims.get(name)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = " ".join(_printable(value).split())
    return value[:max_length] if value else None


def _printable(value: str) -> str:
    """Without control characters (PostgreSQL refuses NUL; logs and pages need neither)."""
    return "".join(c for c in value if c.isprintable() or c.isspace())


def _values(claims: dict, name: str | None) -> set[str]:
    """A claim that may be a string ("student staff", "student,staff") or a list, as a
    set of lower-case values."""
    if not name:
        return set()
    value = claims.get(name)
    items = value if isinstance(value, list) else [value]
    found: set[str] = set()
    for item in items:
        if isinstance(item, str):
            found.update(v.lower()[:50] for v in re.split(r"[\s,]+", _printable(item)) if v)
    return found


def _email_verified(claims: dict) -> bool:
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _email(claims: dict, connection: SsoConnection) -> str:
    """The claimed address in canonical form. The claim is read as sent (not trimmed or
    cleaned), and must already be written plainly: an identity provider that sends
    full-width letters or look-alikes is refused, never folded onto a domain it may not
    vouch for."""
    value = claims.get(connection.claim_email)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, str) or not value.strip():
        raise SsoError(
            _("Your university did not tell us your e-mail address, so you cannot sign in."),
            f"claim {connection.claim_email!r} (e-mail) missing",
            403,
        )
    try:
        return normalise_email(value, canonical_only=True)
    except InvalidEmailAddress:
        raise SsoError(
            _("Your university sent an e-mail address we cannot use."),
            "e-mail claim is not a plainly written address",
            403,
        ) from None


def _check_domain(email: str, university: University) -> None:
    domain = email_domain(email)
    allowed = {d.domain for d in university.domains}
    if domain not in allowed:
        raise SsoError(
            _(
                "The address %(email)s does not belong to %(university)s, so it cannot sign in "
                "here. Sign in through your own university.",
                email=email,
                university=university.name_en,
            ),
            f"e-mail domain {domain!r} not among the university's domains",
            403,
        )


def _faculty(university: University, name: str | None) -> Faculty | None:
    if not name:
        return None
    wanted = name.casefold()
    faculties = list(university.faculties)
    for faculty in faculties:
        if faculty.code.casefold() == wanted:
            return faculty
    for faculty in faculties:
        if faculty.name_en.casefold() == wanted:
            return faculty
    return None


def _study_level(value: str | None) -> StudyLevel | None:
    if value is None:
        return None
    try:
        return StudyLevel(value.strip().lower())
    except ValueError:
        return None


def _graduation_year(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    year = int(value.strip())
    return year if year in graduation_years() else None


# --- roles and profiles -------------------------------------------------------------------


def _membership(user: User, role: Role, university: University, faculty: Faculty | None):
    for membership in user.memberships:
        if (
            membership.role is role
            and membership.university_id == university.id
            and (faculty is None or membership.faculty_id == faculty.id)
        ):
            return membership
    return None


def _grant(user: User, role: Role, university: University, faculty: Faculty | None) -> None:
    if _membership(user, role, university, faculty) is not None:
        return
    membership = RoleMembership(
        user=user,
        role=role,
        university_id=university.id,
        faculty_id=faculty.id if faculty is not None else None,
        granted_by_id=None,
    )
    db.session.add(membership)
    db.session.flush()
    record(
        None,
        "role.granted",
        user,
        {
            "via": "sso",
            "role": role,
            "scope": f"{university.code} {faculty.code}" if faculty else university.code,
        },
        role=role.value,
        university=university.code,
        faculty=faculty.code if faculty is not None else None,
        source="sso",
    )


def _move_student(user: User, membership: RoleMembership, faculty: Faculty) -> None:
    """The IdP now names another faculty of the same university."""
    old = membership.faculty
    membership.faculty_id = faculty.id
    profile = student_profile(user)
    if profile is not None:
        profile.faculty_id = faculty.id
        programme = db.session.get(StudyProgramme, profile.programme_id or 0)
        if programme is not None and programme.faculty_id != faculty.id:
            profile.programme_id = None
    db.session.flush()
    db.session.expire(membership, ["faculty"])
    record(
        None,
        "student.faculty_changed",
        user,
        {"old": old.code if old else "—", "new": faculty.code},
        old_faculty=old.code if old else None,
        new_faculty=faculty.code,
        source="sso",
    )


@dataclass(frozen=True)
class _Claims:
    email: str
    name: str | None
    affiliations: set[str]
    faculty_claim: str | None
    faculty: Faculty | None
    staff_roles: set[str]
    student_number: str | None
    study_level: StudyLevel | None
    graduation_year: int | None

    @property
    def is_student(self) -> bool:
        return bool(self.affiliations & STUDENT_AFFILIATIONS)

    @property
    def is_staff(self) -> bool:
        return bool(self.affiliations & STAFF_AFFILIATIONS)


def _read_claims(connection: SsoConnection, claims: dict) -> _Claims:
    university = connection.university
    if not _email_verified(claims):
        raise SsoError(
            _(
                "Your university has not verified your e-mail address, so you cannot sign in "
                "yet. Verify it with your university’s IT service and try again."
            ),
            "email_verified is not true",
            403,
        )
    email = _email(claims, connection)
    _check_domain(email, university)
    faculty_claim = _text(claims, connection.claim_faculty, 200)
    return _Claims(
        email=email,
        name=_text(claims, connection.claim_name, MAX_NAME_LENGTH),
        affiliations=_values(claims, connection.claim_affiliation),
        faculty_claim=faculty_claim,
        faculty=_faculty(university, faculty_claim),
        staff_roles=_values(claims, connection.claim_staff_role),
        student_number=_text(claims, connection.claim_student_number, MAX_STUDENT_NUMBER_LENGTH),
        study_level=_study_level(_text(claims, connection.claim_study_level, 10)),
        graduation_year=_graduation_year(_text(claims, connection.claim_graduation_year, 10)),
    )


def _refuse_student_without_faculty(connection: SsoConnection, read: _Claims) -> None:
    university = connection.university
    if read.faculty_claim is None:
        raise SsoError(
            _(
                "Your university signed you in as a student but did not say which faculty you "
                "belong to (the “%(claim)s” claim), so we cannot open your account. Ask "
                "%(university)s’s IT service or the park’s talent team.",
                claim=connection.claim_faculty,
                university=university.name_en,
            ),
            f"student without faculty claim {connection.claim_faculty!r}",
            403,
        )
    raise SsoError(
        _(
            "Your university says your faculty is “%(faculty)s”, which is not one of "
            "%(university)s’s faculties on Talent Foundry, so we cannot open your account. "
            "Ask the park’s talent team.",
            faculty=read.faculty_claim,
            university=university.name_en,
        ),
        f"student with unknown faculty {read.faculty_claim!r}",
        403,
    )


def _apply_roles(connection: SsoConnection, user: User, read: _Claims) -> None:
    """Give the roles the claims justify (never take any away)."""
    university = connection.university
    if read.is_student and read.faculty is not None:
        current = [
            m for m in user.memberships_for(Role.STUDENT) if m.university_id == university.id
        ]
        if not current:
            _grant(user, Role.STUDENT, university, read.faculty)
        elif current[0].faculty_id != read.faculty.id:
            _move_student(user, current[0], read.faculty)
    elif read.is_student:
        current_app.logger.warning(
            "SSO %s: student claim without a known faculty (%r); roles unchanged",
            university.code,
            read.faculty_claim,
        )
    if read.is_staff and connection.claim_staff_role:
        for value in sorted(read.staff_roles):
            role = STAFF_ROLES_FROM_CLAIM.get(value)
            if role is None:
                continue
            if role in FACULTY_STAFF_ROLES and read.faculty is None:
                current_app.logger.warning(
                    "SSO %s: staff role %s claimed without a known faculty; not granted",
                    university.code,
                    role.value,
                )
                continue
            faculty = read.faculty if role in FACULTY_STAFF_ROLES else None
            _grant(user, role, university, faculty)


def _student_number(university: University, user: User, number: str | None) -> str | None:
    if number is not None and student_number_taken(university, number, user):
        raise SsoError(
            _(
                "Your student number is already used by another account on Talent Foundry. "
                "Please contact the park’s talent team."
            ),
            "student number already belongs to another profile",
            409,
        )
    return number


def _ensure_profile(connection: SsoConnection, user: User, read: _Claims) -> bool:
    """Create the student's profile when the claims say enough; True when it is still
    missing (the student is asked)."""
    university = connection.university
    membership = next(
        (m for m in user.memberships_for(Role.STUDENT) if m.university_id == university.id),
        None,
    )
    if membership is None:
        return False
    profile = student_profile(user)
    number = _student_number(university, user, read.student_number)
    if profile is not None:
        if number and profile.student_number != number:
            profile.student_number = number
        return False
    if read.study_level is None or read.graduation_year is None:
        return True
    create_profile(
        user,
        membership,
        study_level=read.study_level,
        graduation_year=read.graduation_year,
        student_number=number,
    )
    return False


def _email_owner(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _account_exists_error(detail: str) -> SsoError:
    return SsoError(
        _(
            "Another Talent Foundry account already uses this e-mail address, so we cannot "
            "sign you in with your university account. Please contact the park’s talent team, "
            "who can link them."
        ),
        detail,
        409,
    )


def provision(connection: SsoConnection, claims: dict) -> ProvisionResult:
    """The user these validated claims sign in, created or brought up to date. Raises
    SsoError (and the caller rolls back) when the claims may not sign anyone in, or when
    two first sign-ins of the same person ran at once and the other one won."""
    with refuse_duplicate(_signing_in_twice):
        return _provision(connection, claims)


def _signing_in_twice(conflict: IntegrityError) -> SsoError:
    return SsoError(
        _("You were signing in twice at the same time. Please start again."),
        f"provisioning conflict: {type(conflict.orig).__name__}",
        409,
        retry=True,
    )


def _provision(connection: SsoConnection, claims: dict) -> ProvisionResult:
    university = connection.university
    read = _read_claims(connection, claims)
    subject = claims["sub"]
    now = utcnow()
    identity = db.session.scalar(
        sa.select(UserIdentity).where(
            UserIdentity.issuer == connection.issuer, UserIdentity.subject == subject
        )
    )
    created = identity is None
    if identity is not None:
        if identity.university_id != university.id:
            raise SsoError(
                _("This university account is linked to another university on Talent Foundry."),
                "identity belongs to another university",
                409,
            )
        user = identity.user
        if not user.active:
            raise SsoError(
                _("Your Talent Foundry account has been closed. Contact the park’s talent team."),
                "user is inactive",
                403,
            )
        if user.email != read.email:
            owner = _email_owner(read.email)
            if owner is not None and owner.id != user.id:
                raise _account_exists_error("new e-mail of this subject belongs to another user")
            record(None, "user.email_changed_by_sso", user)
            user.email = read.email
        if read.name and user.display_name != read.name:
            user.display_name = read.name
    else:
        if _email_owner(read.email) is not None:
            raise _account_exists_error("new subject, e-mail already belongs to a user")
        if read.is_student and read.faculty is None:
            _refuse_student_without_faculty(connection, read)
        user = User(
            email=read.email,
            display_name=read.name or read.email.split("@", 1)[0][:MAX_NAME_LENGTH],
            password_hash=None,
            email_verified_at=now,
        )
        identity = UserIdentity(
            user=user,
            university_id=university.id,
            issuer=connection.issuer,
            subject=subject,
            email=read.email,
            affiliations="",
        )
        db.session.add_all([user, identity])
        db.session.flush()
        record(
            None,
            "user.created_by_sso",
            user,
            {"university": university.code},
            university=university.code,
            issuer=connection.issuer,
            subject=subject,
            affiliations=sorted(read.affiliations),
        )
    identity.email = read.email
    identity.affiliations = " ".join(sorted(read.affiliations))[:200]
    identity.last_sign_in_at = now
    _apply_roles(connection, user, read)
    needs_onboarding = _ensure_profile(connection, user, read)
    db.session.flush()
    db.session.refresh(user, ["memberships"])
    return ProvisionResult(
        user=user,
        created=created,
        needs_onboarding=needs_onboarding,
        has_access=bool(user.memberships),
        student_number=read.student_number,
    )
