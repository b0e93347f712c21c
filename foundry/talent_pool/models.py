"""Talent pool invitations: a verified company inviting an opted-in student to apply."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foundry.db import UTCDateTime, utcnow
from foundry.extensions import db


class TalentPoolInvitation(db.Model):
    """A verified company's invitation to an opted-in student to apply to a posting."""

    __tablename__ = "talent_pool_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(sa.ForeignKey("postings.id", ondelete="CASCADE"))
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE")
    )
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    message: Mapped[str] = mapped_column(sa.String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    posting = relationship("Posting", lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("posting_id", "profile_id"),
        sa.Index("ix_talent_pool_invitations_profile", "profile_id", "created_at"),
    )
