"""What the fair pages show, gathered for their templates: the approved exhibitors with
their roles and free slots (a fixed number of statements however many exhibitors come),
the student's own bookings and CV drops, and a company's view of its booth: its slots,
the candidates it may pick from and the students it may see (booth_visitor_ids only)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from foundry.accounts.models import COMPANY_ROLES, RoleMembership, User
from foundry.applications.models import Application
from foundry.companies.models import Company
from foundry.extensions import db
from foundry.postings.models import Posting, PostingStatus
from foundry.programmes import checkin_tokens
from foundry.programmes.checkin_models import Ticket
from foundry.programmes.checkin_tokens import normalise_code
from foundry.programmes.fairs.booths import FAIR_KINDS
from foundry.programmes.fairs.meetings import booth_visitor_ids
from foundry.programmes.fairs.models import (
    BookingStatus,
    BoothMeeting,
    CVDrop,
    ExhibitorStatus,
    FairBooking,
    FairExhibitor,
    FairSlot,
    SlotKind,
    fair_featured_postings,
)
from foundry.programmes.fairs.slots import seat_held
from foundry.programmes.models import (
    Programme,
    ProgrammeSession,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
)
from foundry.students.models import StudentProfile

QUERY_MAX = 80


@dataclass
class ExhibitorRow:
    """An approved exhibitor as "Who's coming" lists it: plain columns, read in bulk."""

    id: int
    booth: str
    company_name: str
    company_slug: str
    roles: list = field(default_factory=list)  # (posting id, title) of its featured roles
    slots: list = field(default_factory=list)  # (slot row, seats left), future and not full


def booth_order(booth: str | None) -> tuple:
    """A key that walks the hall as a visitor does: A2 before A10 (the database's order of
    text puts A10 first), booths without a number last."""
    if not booth:
        return ((1,),)
    return tuple(
        (0, int(part), "") if part.isdigit() else (0, 0, part.casefold())
        for part in re.split(r"(\d+)", booth)
        if part
    )


def who_is_coming(programme: Programme, query: str, now: datetime) -> list[ExhibitorRow]:
    """Approved exhibitors by booth (matching the company name typed), each with its
    featured roles and its free slots still ahead: three statements however many come.

    Columns, not entities: an exhibitor loaded as an entity brings its programme, its
    representatives and its featured postings with all their eligibility lists (some
    thirty statements and a thousand Posting objects at a career day of 150 companies),
    none of which the page shows."""
    stmt = (
        sa.select(FairExhibitor.id, FairExhibitor.booth, Company.name, Company.slug)
        .join(Company, Company.id == FairExhibitor.company_id)
        .where(
            FairExhibitor.programme_id == programme.id,
            FairExhibitor.status == ExhibitorStatus.APPROVED,
        )
        .order_by(FairExhibitor.booth, Company.name, Company.id)
    )
    query = (query or "").strip()[:QUERY_MAX]
    if query:
        stmt = stmt.where(
            sa.or_(Company.name.ilike(f"%{query}%"), Company.name_zh.ilike(f"%{query}%"))
        )
    rows = [ExhibitorRow(*row) for row in db.session.execute(stmt)]
    rows.sort(key=lambda row: booth_order(row.booth))
    by_id = {row.id: row for row in rows}
    if not by_id:
        return rows
    roles = db.session.execute(
        sa.select(fair_featured_postings.c.exhibitor_id, Posting.id, Posting.title)
        .join(Posting, Posting.id == fair_featured_postings.c.posting_id)
        .where(fair_featured_postings.c.exhibitor_id.in_(by_id))
        .order_by(Posting.id)
    )
    for exhibitor_id, posting_id, title in roles:
        by_id[exhibitor_id].roles.append((posting_id, title))
    for slot in _free_slots(list(by_id), now):
        by_id[slot.exhibitor_id].slots.append((slot, slot.left))
    return rows


def _free_slots(exhibitor_ids: list[int], now: datetime) -> list:
    """The exhibitors' slots still ahead with a seat left, soonest first, each with its
    seats left (`left`): one statement, the bookings counted per slot by its index."""
    taken = (
        sa.select(sa.func.count())
        .where(FairBooking.slot_id == FairSlot.id, FairBooking.status == BookingStatus.BOOKED)
        .correlate(FairSlot)
        .scalar_subquery()
    )
    left = (FairSlot.capacity - taken).label("left")
    slots = (
        sa.select(
            FairSlot.id,
            FairSlot.exhibitor_id,
            FairSlot.kind,
            FairSlot.label,
            FairSlot.starts_at,
            FairSlot.ends_at,
            left,
        )
        .where(FairSlot.exhibitor_id.in_(exhibitor_ids), FairSlot.starts_at > now)
        .order_by(FairSlot.starts_at, FairSlot.id)
        .subquery()
    )
    return db.session.execute(sa.select(slots).where(slots.c.left > 0)).all()


@dataclass(frozen=True)
class MyBooking:
    """A student's live booking as the fair page lists it."""

    id: int
    exhibitor_id: int
    booth: str
    company_name: str
    kind: SlotKind
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class MyPart:
    """The student's own part in a fair: whether they hold a seat in one of its sessions
    (not a waitlist place), the exhibitors they left a CV with, their live bookings."""

    registered: bool = False
    drops: set[int] = field(default_factory=set)
    bookings: list[MyBooking] = field(default_factory=list)


def my_part(profile: StudentProfile | None, programme: Programme) -> MyPart:
    """The student's part in the fair in one statement: three small questions of a page
    that every registered student opens, each a round trip of its own before."""
    if profile is None:
        return MyPart()
    seat = sa.select(*_row("seat")).where(seat_held(profile.id, programme.id))
    drops = (
        sa.select(*_row("drop", exhibitor_id=CVDrop.exhibitor_id))
        .join(FairExhibitor, FairExhibitor.id == CVDrop.exhibitor_id)
        .where(FairExhibitor.programme_id == programme.id, CVDrop.profile_id == profile.id)
    )
    bookings = (
        sa.select(
            *_row(
                "booking",
                id=FairBooking.id,
                exhibitor_id=FairSlot.exhibitor_id,
                booth=FairExhibitor.booth,
                company_name=Company.name,
                kind=FairSlot.kind,
                starts_at=FairSlot.starts_at,
                ends_at=FairSlot.ends_at,
            )
        )
        .join(FairSlot, FairSlot.id == FairBooking.slot_id)
        .join(FairExhibitor, FairExhibitor.id == FairSlot.exhibitor_id)
        .join(Company, Company.id == FairExhibitor.company_id)
        .where(
            FairExhibitor.programme_id == programme.id,
            FairBooking.profile_id == profile.id,
            FairBooking.status == BookingStatus.BOOKED,
        )
    )
    union = sa.union_all(seat, drops, bookings).subquery()
    rows = db.session.execute(
        sa.select(union).order_by(union.c.what, union.c.starts_at, union.c.id)
    ).all()
    return MyPart(
        registered=any(row.what == "seat" for row in rows),
        drops={row.exhibitor_id for row in rows if row.what == "drop"},
        bookings=[MyBooking(*row[1:]) for row in rows if row.what == "booking"],
    )


def _row(what: str, **given) -> list:
    """A row of my_part's union: what it tells, then MyBooking's columns, those it does not
    give as NULLs of their type (PostgreSQL types a union's columns from its first part)."""
    blank = {
        "id": sa.Integer(),
        "exhibitor_id": sa.Integer(),
        "booth": FairExhibitor.booth.type,
        "company_name": Company.name.type,
        "kind": FairSlot.kind.type,
        "starts_at": FairSlot.starts_at.type,
        "ends_at": FairSlot.ends_at.type,
    }
    return [sa.literal_column(f"'{what}'").label("what")] + [
        (given[name] if name in given else sa.cast(sa.null(), type_)).label(name)
        for name, type_ in blank.items()
    ]


def company_exhibits(company: Company) -> list[FairExhibitor]:
    return db.session.scalars(
        sa.select(FairExhibitor)
        .where(FairExhibitor.company_id == company.id)
        .order_by(FairExhibitor.created_at.desc())
    ).all()


def open_fairs(now: datetime) -> list[Programme]:
    """Published fairs whose first session is still ahead (booths may be asked for)."""
    first = (
        sa.select(sa.func.min(ProgrammeSession.starts_at))
        .where(ProgrammeSession.programme_id == Programme.id)
        .scalar_subquery()
    )
    return db.session.scalars(
        sa.select(Programme)
        .where(
            Programme.kind.in_(FAIR_KINDS),
            Programme.status == ProgrammeStatus.PUBLISHED,
            first > now,
        )
        .order_by(first, Programme.id)
        .limit(50)
    ).all()


def company_members(company: Company) -> list[User]:
    return db.session.scalars(
        sa.select(User)
        .join(RoleMembership, RoleMembership.user_id == User.id)
        .where(RoleMembership.company_id == company.id, RoleMembership.role.in_(COMPANY_ROLES))
        .distinct()
        .order_by(User.display_name, User.id)
    ).all()


def open_postings(company: Company) -> list[Posting]:
    postings = db.session.scalars(
        sa.select(Posting)
        .where(Posting.company_id == company.id, Posting.status == PostingStatus.PUBLISHED)
        .order_by(Posting.title, Posting.id)
    ).all()
    return [p for p in postings if p.is_open_for_applications()]


def exhibitor_slots(exhibitor: FairExhibitor) -> list[tuple[FairSlot, list[FairBooking]]]:
    slots = db.session.scalars(
        sa.select(FairSlot)
        .where(FairSlot.exhibitor_id == exhibitor.id)
        .order_by(FairSlot.starts_at, FairSlot.id)
    ).all()
    bookings = defaultdict(list)
    if slots:
        for booking in db.session.scalars(
            sa.select(FairBooking).where(
                FairBooking.slot_id.in_([s.id for s in slots]),
                FairBooking.status == BookingStatus.BOOKED,
            )
        ):
            bookings[booking.slot_id].append(booking)
    return [(slot, bookings[slot.id]) for slot in slots]


def candidates(exhibitor: FairExhibitor) -> list[StudentProfile]:
    """Whom the company may pre-select or name: students who came to its booth or applied
    to it."""
    applied = sa.select(Application.profile_id).where(
        Application.company_id == exhibitor.company_id
    )
    ids = booth_visitor_ids(exhibitor) | set(db.session.scalars(applied))
    if not ids:
        return []
    return db.session.scalars(
        sa.select(StudentProfile)
        .join(User, User.id == StudentProfile.user_id)
        .where(StudentProfile.id.in_(ids))
        .order_by(User.display_name, StudentProfile.id)
    ).all()


@dataclass
class Visitor:
    profile: StudentProfile
    meeting: BoothMeeting | None
    drop: CVDrop | None
    bookings: list


def visitors(exhibitor: FairExhibitor) -> list[Visitor]:
    """The company's fair list: only the students booth_visitor_ids allows it to see."""
    ids = booth_visitor_ids(exhibitor)
    if not ids:
        return []
    meetings = {
        m.profile_id: m
        for m in db.session.scalars(
            sa.select(BoothMeeting).where(BoothMeeting.exhibitor_id == exhibitor.id)
        )
    }
    drops = {
        d.profile_id: d
        for d in db.session.scalars(sa.select(CVDrop).where(CVDrop.exhibitor_id == exhibitor.id))
    }
    booked = defaultdict(list)
    for booking in db.session.scalars(
        sa.select(FairBooking)
        .join(FairSlot, FairSlot.id == FairBooking.slot_id)
        .where(FairSlot.exhibitor_id == exhibitor.id, FairBooking.status == BookingStatus.BOOKED)
        .order_by(FairSlot.starts_at)
    ):
        booked[booking.profile_id].append(booking)
    profiles = db.session.scalars(
        sa.select(StudentProfile)
        .join(User, User.id == StudentProfile.user_id)
        .where(StudentProfile.id.in_(ids))
        .order_by(User.display_name, StudentProfile.id)
    ).all()
    return [Visitor(p, meetings.get(p.id), drops.get(p.id), booked[p.id]) for p in profiles]


def profile_by_ticket(programme: Programme, typed: str) -> StudentProfile | None:
    """The student holding a live registration for the fair, by the ticket's typed code
    or by its signed QR token (as a scanner types it): a token that is forged, for another
    programme or replaced by a newer ticket finds no one."""
    text = (typed or "").strip()
    query = (
        sa.select(StudentProfile)
        .join(Registration, Registration.profile_id == StudentProfile.id)
        .join(Ticket, Ticket.registration_id == Registration.id)
        .join(ProgrammeSession, ProgrammeSession.id == Registration.session_id)
        .where(
            ProgrammeSession.programme_id == programme.id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
        .limit(1)
    )
    if "." not in text:
        return db.session.scalar(query.where(Ticket.code == normalise_code(text)))
    try:
        claims = checkin_tokens.verify(text)
    except checkin_tokens.BadToken:
        return None
    if claims.programme_id != programme.id:
        return None
    return db.session.scalar(
        query.where(Registration.id == claims.registration_id, Ticket.version == claims.version)
    )
