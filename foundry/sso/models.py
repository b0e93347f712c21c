"""A university's OpenID Connect connection and the identities signed in through it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from foundry.accounts.email_address import require_canonical
from foundry.db import TimestampMixin, UTCDateTime
from foundry.extensions import db

DEFAULT_SCOPES = "openid email profile"


class SsoConnection(TimestampMixin, db.Model):
    """How one university signs its people in: its IdP (found by discovery from the
    issuer), our client at that IdP, and which claims carry what.

    The client secret is stored encrypted (foundry.crypto); which e-mail domains the IdP
    may vouch for are the university's domains (UniversityDomain)."""

    __tablename__ = "sso_connections"

    id: Mapped[int] = mapped_column(primary_key=True)
    university_id: Mapped[int] = mapped_column(
        sa.ForeignKey("universities.id", ondelete="CASCADE"), unique=True
    )
    issuer: Mapped[str] = mapped_column(sa.String(500))
    client_id: Mapped[str] = mapped_column(sa.String(255))
    client_secret_encrypted: Mapped[str] = mapped_column(sa.Text)
    secret_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scopes: Mapped[str] = mapped_column(sa.String(500), default=DEFAULT_SCOPES)
    enabled: Mapped[bool] = mapped_column(default=True)
    # Claim names (the IdP's vocabulary). Affiliation values such as eduPersonAffiliation's
    # "student" / "staff" / "faculty" decide the account made at first sign-in.
    claim_email: Mapped[str] = mapped_column(sa.String(100), default="email")
    claim_name: Mapped[str] = mapped_column(sa.String(100), default="name")
    claim_student_number: Mapped[str] = mapped_column(sa.String(100), default="student_number")
    claim_faculty: Mapped[str] = mapped_column(sa.String(100), default="faculty")
    claim_affiliation: Mapped[str] = mapped_column(sa.String(100), default="eduPersonAffiliation")
    # Optional: a claim naming staff roles (dean, associate_dean, placement_officer,
    # university_coordinator) to grant at sign-in; unset means roles are granted in the UI.
    claim_staff_role: Mapped[str | None] = mapped_column(sa.String(100))
    # Optional: claims for a student's study level (ug/pg/phd) and expected graduation year;
    # without them the student is asked once, after their first sign-in.
    claim_study_level: Mapped[str | None] = mapped_column(sa.String(100))
    claim_graduation_year: Mapped[str | None] = mapped_column(sa.String(100))

    university = relationship("University", backref=sa.orm.backref("sso", uselist=False))

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def __repr__(self) -> str:
        return f"<SsoConnection {self.issuer}>"


class UserIdentity(TimestampMixin, db.Model):
    """A user as known to one university's IdP: linked by (issuer, subject), never by
    e-mail, so a changed address stays the same account."""

    __tablename__ = "user_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    university_id: Mapped[int] = mapped_column(
        sa.ForeignKey("universities.id", ondelete="CASCADE"), index=True
    )
    issuer: Mapped[str] = mapped_column(sa.String(500))
    subject: Mapped[str] = mapped_column(sa.String(255))
    email: Mapped[str] = mapped_column(sa.String(254))
    # Space-separated affiliation values from the last sign-in (e.g. "student member").
    affiliations: Mapped[str] = mapped_column(sa.String(200), default="")
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", backref=sa.orm.backref("identities", cascade="all, delete-orphan"))
    university = relationship("University")

    __table_args__ = (sa.UniqueConstraint("issuer", "subject"),)

    @validates("email")
    def _canonical_email(self, _key: str, value: str) -> str:
        return require_canonical(value)

    @property
    def affiliation_set(self) -> set[str]:
        return set(self.affiliations.split())
