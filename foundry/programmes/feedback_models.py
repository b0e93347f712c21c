"""A student's feedback on a programme they attended: a rating from 1 to 5 and an optional
comment, one row per student per programme (a second answer edits it; the unique
constraint says so on both engines). The rules of when it may be given are in
foundry/programmes/feedback.py."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foundry.db import UTCDateTime, utcnow
from foundry.extensions import db

MIN_RATING, MAX_RATING = 1, 5
COMMENT_MAX = 2000


class ProgrammeFeedback(db.Model):
    __tablename__ = "programme_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id", ondelete="CASCADE"))
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE")
    )
    rating: Mapped[int] = mapped_column(sa.SmallInteger)
    comment: Mapped[str | None] = mapped_column(sa.String(COMMENT_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    profile = relationship("StudentProfile", lazy="raise")

    __table_args__ = (
        sa.UniqueConstraint("programme_id", "profile_id"),
        sa.CheckConstraint(f"rating BETWEEN {MIN_RATING} AND {MAX_RATING}", name="rating_in_range"),
        sa.CheckConstraint("updated_at >= created_at", name="updated_after_created"),
        # The organiser's list: newest first within a programme.
        sa.Index("ix_programme_feedback_programme_updated", "programme_id", "updated_at"),
    )

    def __repr__(self) -> str:
        return f"<ProgrammeFeedback {self.id} {self.rating}>"
