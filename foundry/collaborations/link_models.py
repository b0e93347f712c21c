"""The links from a collaboration record to the postings and programmes it produced (the
services and queries over them are in links.py)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from foundry.extensions import db


class CollaborationPosting(db.Model):
    __tablename__ = "collaboration_postings"

    collaboration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("collaborations.id", ondelete="CASCADE"), primary_key=True
    )
    posting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True
    )

    # A posting's page finds its records through this index.
    __table_args__ = (sa.Index("ix_collaboration_postings_posting", "posting_id"),)


class CollaborationProgramme(db.Model):
    __tablename__ = "collaboration_programmes"

    collaboration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("collaborations.id", ondelete="CASCADE"), primary_key=True
    )
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (sa.Index("ix_collaboration_programmes_programme", "programme_id"),)
