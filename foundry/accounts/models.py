"""Users and the roles they hold, each role with its scope."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from foundry.accounts.email_address import require_canonical
from foundry.db import ReportFacts, TimestampMixin, UTCDateTime, enum_column, utcnow
from foundry.extensions import db


class Role(enum.Enum):
    STUDENT = "student"
    DEAN = "dean"
    ASSOCIATE_DEAN = "associate_dean"
    PLACEMENT_OFFICER = "placement_officer"
    UNIVERSITY_COORDINATOR = "university_coordinator"
    COMPANY_ADMIN = "company_admin"
    RECRUITER = "recruiter"
    PARK_ADMIN = "park_admin"


class Scope(enum.Enum):
    PLATFORM = "platform"
    UNIVERSITY = "university"
    FACULTY = "faculty"
    COMPANY = "company"


FACULTY_STAFF_ROLES = frozenset({Role.DEAN, Role.ASSOCIATE_DEAN, Role.PLACEMENT_OFFICER})
COMPANY_ROLES = frozenset({Role.COMPANY_ADMIN, Role.RECRUITER})

ROLE_SCOPE: dict[Role, Scope] = {
    Role.STUDENT: Scope.FACULTY,
    Role.DEAN: Scope.FACULTY,
    Role.ASSOCIATE_DEAN: Scope.FACULTY,
    Role.PLACEMENT_OFFICER: Scope.FACULTY,
    Role.UNIVERSITY_COORDINATOR: Scope.UNIVERSITY,
    Role.COMPANY_ADMIN: Scope.COMPANY,
    Role.RECRUITER: Scope.COMPANY,
    Role.PARK_ADMIN: Scope.PLATFORM,
}


def _roles_sql(roles) -> str:
    return ", ".join(f"'{r.value}'" for r in sorted(roles, key=lambda r: r.value))


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"
    # Deleting a user deletes their student profile, applications and placements (in SQL).
    __report_facts__ = ReportFacts(on_delete=True, head_count_on_write=True)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    preferred_locale: Mapped[str | None] = mapped_column(sa.String(10))
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Password accounts (companies, the park team); SSO users have no password.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_sign_ins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the session's user id: raising it signs the user out on every device.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # TOTP second factor: the key (encrypted), when it was turned on, the last time step
    # accepted (a code is never accepted twice) and hashes of the unused recovery codes.
    totp_secret_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_counter: Mapped[int | None] = mapped_column(sa.BigInteger)
    totp_recovery_codes: Mapped[str | None] = mapped_column(sa.Text)

    memberships: Mapped[list[RoleMembership]] = relationship(
        back_populates="user",
        foreign_keys="RoleMembership.user_id",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="RoleMembership.id",
    )

    __table_args__ = (sa.CheckConstraint("email = lower(email)", name="email_lowercase"),)

    @validates("email")
    def _canonical_email(self, _key: str, value: str) -> str:
        return require_canonical(value)

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        return self.active

    def get_id(self) -> str:
        """Flask-Login keeps this in the session; a stale version no longer loads the user."""
        return f"{self.id}:{self.session_version}"

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None

    def roles(self) -> set[Role]:
        return {m.role for m in self.memberships}

    def has_role(self, *roles: Role) -> bool:
        return any(m.role in roles for m in self.memberships)

    def memberships_for(self, *roles: Role) -> list[RoleMembership]:
        return [m for m in self.memberships if m.role in roles]

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class RoleMembership(TimestampMixin, db.Model):
    """A role held by a user within one scope: the platform, a university, faculty or company.

    The check constraints make the scope columns match the role, so a dean always has a
    faculty (and its university) and a recruiter always has a company.
    """

    __tablename__ = "role_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    university_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("universities.id", ondelete="CASCADE"), index=True
    )
    faculty_id: Mapped[int | None] = mapped_column(index=True)
    company_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    granted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(back_populates="memberships", foreign_keys=[user_id])
    university = relationship("University", foreign_keys=[university_id], lazy="joined")
    faculty = relationship(
        "Faculty",
        primaryjoin="RoleMembership.faculty_id == Faculty.id",
        foreign_keys=[faculty_id],
        lazy="joined",
        viewonly=True,
    )
    company = relationship("Company", foreign_keys=[company_id], lazy="joined")

    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["faculty_id", "university_id"],
            ["faculties.id", "faculties.university_id"],
            name="fk_role_memberships_faculty_of_university",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            f"role NOT IN ({_roles_sql(FACULTY_STAFF_ROLES | {Role.STUDENT})}) OR "
            "(faculty_id IS NOT NULL AND university_id IS NOT NULL AND company_id IS NULL)",
            name="faculty_scope",
        ),
        sa.CheckConstraint(
            f"role <> '{Role.UNIVERSITY_COORDINATOR.value}' OR "
            "(university_id IS NOT NULL AND faculty_id IS NULL AND company_id IS NULL)",
            name="university_scope",
        ),
        sa.CheckConstraint(
            f"role NOT IN ({_roles_sql(COMPANY_ROLES)}) OR "
            "(company_id IS NOT NULL AND university_id IS NULL AND faculty_id IS NULL)",
            name="company_scope",
        ),
        sa.CheckConstraint(
            f"role <> '{Role.PARK_ADMIN.value}' OR "
            "(university_id IS NULL AND faculty_id IS NULL AND company_id IS NULL)",
            name="platform_scope",
        ),
        sa.Index(
            "uq_role_memberships_user_role_scope",
            "user_id",
            "role",
            sa.func.coalesce(sa.column("university_id"), 0),
            sa.func.coalesce(sa.column("faculty_id"), 0),
            sa.func.coalesce(sa.column("company_id"), 0),
            unique=True,
        ),
        # The park admin's users per role, in role and user order from the index alone
        # (foundry.admin.queries.users_by_role; migration 0020).
        sa.Index("ix_role_memberships_role_user", "role", "user_id"),
    )

    @property
    def scope(self) -> Scope:
        return ROLE_SCOPE[self.role]


class TokenPurpose(enum.Enum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"
    INVITATION = "invitation"


class AccountToken(db.Model):
    """A single-use, expiring link sent by e-mail: verify an address, reset a password, or
    join a company. Only the SHA-256 of the token is stored."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # Invitations: the company to join and the role offered.
    company_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role | None] = mapped_column(enum_column(Role, "role"))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    company = relationship("Company", foreign_keys=[company_id])

    __table_args__ = (
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
        sa.CheckConstraint(
            f"purpose <> '{TokenPurpose.INVITATION.value}' OR "
            f"(company_id IS NOT NULL AND role IN ({_roles_sql(COMPANY_ROLES)}))",
            name="invitation_names_company_role",
        ),
        sa.CheckConstraint(
            f"purpose = '{TokenPurpose.INVITATION.value}' OR user_id IS NOT NULL",
            name="token_names_user",
        ),
        sa.Index("ix_account_tokens_purpose_email", "purpose", "email"),
    )

    @validates("email")
    def _canonical_email(self, _key: str, value: str) -> str:
        return require_canonical(value)

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and now < self.expires_at


class UserSession(db.Model):
    """One signed-in browser. The cookie holds a random secret; the row is found by its
    SHA-256 (the primary key), so a copied cookie stops working once the row is ended:
    by signing out, by "sign out everywhere", by a new password, or by its timeouts."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Written at most once a minute (session.SEEN_AT_RESOLUTION_SECONDS).
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_agent: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
