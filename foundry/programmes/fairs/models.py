"""Career days and recruitment fairs: the companies that exhibit, their booths, the roles
they feature, the interview slots they offer, and what happens at the booth.

A company asks for a booth at a fair (a programme of kind career day or themed drive) and
names its representatives; the fair's organiser approves it and assigns the booth. An
approved exhibitor offers slots: 1:1 interviews (one seat) and group sessions (up to 50);
students registered for the fair book them, or the company books a candidate it
pre-selected, and names alternates in order who move into a slot given up. At the booth a
representative records whom they met (rating, note) and a student drops a CV in one tap.

The rules the services keep under locks (slots.py) are also the schema's where a
database can say them: one live booking per student per slot, a slot's seats by kind, one
booth per number per fair, one meeting record and one CV drop per student per exhibitor.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foundry.db import UTCDateTime, enum_column, utcnow
from foundry.extensions import db

# A group session seats at most this many: more is a talk, not a conversation at a booth.
MAX_GROUP_SEATS = 50
BOOTH_LENGTH = 20
NOTE_LENGTH = 1000


class ExhibitorStatus(enum.Enum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class SlotKind(enum.Enum):
    ONE_TO_ONE = "one_to_one"
    GROUP = "group"


class BookingStatus(enum.Enum):
    BOOKED = "booked"
    CANCELLED = "cancelled"


fair_representatives = sa.Table(
    "fair_representatives",
    db.metadata,
    sa.Column(
        "exhibitor_id", sa.ForeignKey("fair_exhibitors.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

fair_featured_postings = sa.Table(
    "fair_featured_postings",
    db.metadata,
    sa.Column(
        "exhibitor_id", sa.ForeignKey("fair_exhibitors.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("posting_id", sa.ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True),
)


class FairExhibitor(db.Model):
    """A company at a fair: asked for, approved with a booth, declined or withdrawn."""

    __tablename__ = "fair_exhibitors"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id", ondelete="CASCADE"))
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    status: Mapped[ExhibitorStatus] = mapped_column(
        enum_column(ExhibitorStatus, "exhibitor_status"), default=ExhibitorStatus.REQUESTED
    )
    booth: Mapped[str | None] = mapped_column(sa.String(BOOTH_LENGTH))
    note: Mapped[str | None] = mapped_column(sa.String(NOTE_LENGTH))
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme = relationship("Programme", lazy="joined")
    company = relationship("Company", lazy="joined")
    representatives = relationship("User", secondary=fair_representatives, lazy="selectin")
    featured_postings = relationship("Posting", secondary=fair_featured_postings, lazy="selectin")

    __table_args__ = (
        sa.UniqueConstraint("programme_id", "company_id"),
        sa.CheckConstraint("status <> 'approved' OR booth IS NOT NULL", name="approved_has_booth"),
        sa.Index(
            "uq_fair_exhibitors_booth",
            "programme_id",
            "booth",
            unique=True,
            postgresql_where=sa.text("booth IS NOT NULL"),
            sqlite_where=sa.text("booth IS NOT NULL"),
        ),
        sa.Index("ix_fair_exhibitors_company_id", "company_id"),
    )

    @property
    def is_approved(self) -> bool:
        return self.status is ExhibitorStatus.APPROVED

    def __repr__(self) -> str:
        return f"<FairExhibitor {self.id} {self.status.value}>"


class FairSlot(db.Model):
    """A time at the booth: a 1:1 interview (one seat) or a group session."""

    __tablename__ = "fair_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibitor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("fair_exhibitors.id", ondelete="CASCADE")
    )
    kind: Mapped[SlotKind] = mapped_column(enum_column(SlotKind, "slot_kind"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column()
    label: Mapped[str | None] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    exhibitor: Mapped[FairExhibitor] = relationship(lazy="joined")

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint(
            f"(kind = 'one_to_one' AND capacity = 1)"
            f" OR (kind = 'group' AND capacity BETWEEN 2 AND {MAX_GROUP_SEATS})",
            name="seats_by_kind",
        ),
        sa.Index("ix_fair_slots_exhibitor_starts", "exhibitor_id", "starts_at"),
    )

    def __repr__(self) -> str:
        return f"<FairSlot {self.id} {self.kind.value}>"


_BOOKED_SQL = "status = 'booked'"


class FairBooking(db.Model):
    """A student's seat in a slot, booked by the student or, pre-selected, by the company."""

    __tablename__ = "fair_bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("fair_slots.id", ondelete="CASCADE"))
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE")
    )
    status: Mapped[BookingStatus] = mapped_column(
        enum_column(BookingStatus, "booking_status"), default=BookingStatus.BOOKED
    )
    preselected: Mapped[bool] = mapped_column(default=False)
    booked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    slot: Mapped[FairSlot] = relationship(lazy="joined")
    profile = relationship("StudentProfile", lazy="joined")

    __table_args__ = (
        sa.CheckConstraint(
            "(status = 'cancelled') = (cancelled_at IS NOT NULL)", name="cancelled_has_date"
        ),
        sa.Index(
            "uq_fair_bookings_live",
            "slot_id",
            "profile_id",
            unique=True,
            postgresql_where=sa.text(_BOOKED_SQL),
            sqlite_where=sa.text(_BOOKED_SQL),
        ),
        sa.Index("ix_fair_bookings_profile_id", "profile_id"),
    )


class FairAlternate(db.Model):
    """A candidate the company names, in order, to move into the slot if a seat is freed."""

    __tablename__ = "fair_alternates"

    slot_id: Mapped[int] = mapped_column(
        sa.ForeignKey("fair_slots.id", ondelete="CASCADE"), primary_key=True
    )
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    rank: Mapped[int] = mapped_column()

    profile = relationship("StudentProfile", lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("slot_id", "rank"),
        sa.CheckConstraint("rank >= 1", name="rank_positive"),
    )


class BoothMeeting(db.Model):
    """A student met at the booth: scanned or picked by a representative, rated, noted."""

    __tablename__ = "fair_booth_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibitor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("fair_exhibitors.id", ondelete="CASCADE")
    )
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE")
    )
    met_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    met_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rating: Mapped[int | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(sa.String(NOTE_LENGTH))
    invited_posting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("postings.id", ondelete="SET NULL")
    )
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    exhibitor: Mapped[FairExhibitor] = relationship(lazy="joined")
    profile = relationship("StudentProfile", lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("exhibitor_id", "profile_id"),
        sa.CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_one_to_five"),
        sa.Index("ix_fair_booth_meetings_profile_id", "profile_id"),
    )


class CVDrop(db.Model):
    """A CV a student left with an exhibitor at the fair (the CV as it was then)."""

    __tablename__ = "fair_cv_drops"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibitor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("fair_exhibitors.id", ondelete="CASCADE")
    )
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE")
    )
    cv_document_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cv_documents.id", ondelete="SET NULL")
    )
    dropped_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    exhibitor: Mapped[FairExhibitor] = relationship(lazy="joined")
    profile = relationship("StudentProfile", lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("exhibitor_id", "profile_id"),
        sa.Index("ix_fair_cv_drops_profile_id", "profile_id"),
    )
