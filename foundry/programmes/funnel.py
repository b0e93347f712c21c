"""The event-to-hire funnel of a programme, and the figures the park publishes for it.

Each stage is a set of students, each within the one before, so the funnel only narrows:

  registered   held a seat (registered, not waitlisted or given up) in one of its sessions
  attended     ... and was checked in (in person, by self check-in, or online)
  met          ... and met an exhibiting company: a booth meeting or a CV drop
  applied      ... and applied to an exhibiting company within 30 days of the event
  interviewed  ... and that application reached an interview
  offered      ... and an offer
  placed       ... and was placed with an exhibiting company within 90 days

For one company, "an exhibiting company" is that company. Everything is counted in one
statement; the list behind a figure is the same query's stage, limited to the students the
viewer may see (`profile_ids`: a faculty's students for its staff, the students who came
to its booth or applied to it for a company; None: all, for the organiser).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from foundry.applications.models import Application
from foundry.extensions import db
from foundry.placements.models import Placement
from foundry.programmes.checkin_models import Attendance
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
from foundry.programmes.models import Programme, ProgrammeSession, Registration, RegistrationStatus

STAGES = ("registered", "attended", "met", "applied", "interviewed", "offered", "placed")
APPLY_WITHIN = timedelta(days=30)
PLACED_WITHIN = timedelta(days=90)


@dataclass(frozen=True)
class Figures:
    """What the park publishes of an event."""

    participants: int  # attended
    companies: int  # approved exhibitors
    roles: int  # roles featured by them
    cvs: int  # CVs dropped at booths
    interviews: int  # 1:1 slots booked and kept by an attendee


def _window(programme: Programme):
    starts = min(s.starts_at for s in programme.sessions)
    ends = max(s.ends_at for s in programme.sessions)
    return starts, ends


def _stages(programme: Programme, company_id: int | None, profile_ids=None) -> dict:
    """Each stage as a selectable of distinct profile ids, nested in the one before."""
    starts, ends = _window(programme)
    sessions = sa.select(ProgrammeSession.id).where(ProgrammeSession.programme_id == programme.id)
    exhibitors = sa.select(FairExhibitor.id, FairExhibitor.company_id).where(
        FairExhibitor.programme_id == programme.id,
        FairExhibitor.status == ExhibitorStatus.APPROVED,
    )
    if company_id is not None:
        exhibitors = exhibitors.where(FairExhibitor.company_id == company_id)
    exhibitors = exhibitors.cte("funnel_exhibitors")

    registered = sa.select(Registration.profile_id).where(
        Registration.session_id.in_(sessions), Registration.status == RegistrationStatus.REGISTERED
    )
    if profile_ids is not None:
        registered = registered.where(Registration.profile_id.in_(profile_ids))
    registered = registered.distinct().cte("funnel_registered")
    attended = (
        sa.select(Registration.profile_id)
        .join(Attendance, Attendance.registration_id == Registration.id)
        .where(Registration.session_id.in_(sessions))
        .where(Registration.profile_id.in_(sa.select(registered.c.profile_id)))
        .distinct()
        .cte("funnel_attended")
    )
    met_ids = sa.union(
        sa.select(BoothMeeting.profile_id).where(
            BoothMeeting.exhibitor_id.in_(sa.select(exhibitors.c.id))
        ),
        sa.select(CVDrop.profile_id).where(CVDrop.exhibitor_id.in_(sa.select(exhibitors.c.id))),
    ).subquery()
    met = (
        sa.select(met_ids.c.profile_id)
        .where(met_ids.c.profile_id.in_(sa.select(attended.c.profile_id)))
        .cte("funnel_met")
    )
    applications = (
        sa.select(Application.profile_id, Application.interviewed_at, Application.offered_at).where(
            Application.company_id.in_(sa.select(exhibitors.c.company_id)),
            Application.submitted_at >= starts,
            Application.submitted_at < ends + APPLY_WITHIN,
            Application.profile_id.in_(sa.select(met.c.profile_id)),
        )
    ).cte("funnel_applications")
    applied = sa.select(applications.c.profile_id).distinct().cte("funnel_applied")
    interviewed = (
        sa.select(applications.c.profile_id)
        .where(applications.c.interviewed_at.is_not(None))
        .distinct()
        .cte("funnel_interviewed")
    )
    offered = (
        sa.select(applications.c.profile_id)
        .where(applications.c.interviewed_at.is_not(None), applications.c.offered_at.is_not(None))
        .distinct()
        .cte("funnel_offered")
    )
    placed = (
        sa.select(Placement.profile_id)
        .where(
            Placement.company_id.in_(sa.select(exhibitors.c.company_id)),
            Placement.placed_at >= starts,
            Placement.placed_at < ends + PLACED_WITHIN,
            Placement.profile_id.in_(sa.select(offered.c.profile_id)),
        )
        .distinct()
        .cte("funnel_placed")
    )
    return {
        "registered": registered,
        "attended": attended,
        "met": met,
        "applied": applied,
        "interviewed": interviewed,
        "offered": offered,
        "placed": placed,
    }


def funnel(programme: Programme, company_id: int | None = None, profile_ids=None) -> dict:
    """{stage: number of students}, in one statement."""
    stages = _stages(programme, company_id, profile_ids)
    counts = [
        sa.select(sa.func.count()).select_from(stages[name]).scalar_subquery().label(name)
        for name in STAGES
    ]
    row = db.session.execute(sa.select(*counts)).one()
    return {name: int(row[index]) for index, name in enumerate(STAGES)}


def stage_members(
    programme: Programme, stage: str, company_id: int | None = None, profile_ids=None
) -> sa.Select:
    """The profile ids behind a figure (a select, to page through with the students)."""
    if stage not in STAGES:
        raise ValueError(f"no stage {stage!r}")
    cte = _stages(programme, company_id, profile_ids)[stage]
    return sa.select(cte.c.profile_id)


def published_figures(programme: Programme) -> Figures:
    """Participants, companies, roles, CVs submitted and interviews on the day, in one
    statement."""
    sessions = sa.select(ProgrammeSession.id).where(ProgrammeSession.programme_id == programme.id)
    approved = sa.select(FairExhibitor.id).where(
        FairExhibitor.programme_id == programme.id,
        FairExhibitor.status == ExhibitorStatus.APPROVED,
    )
    attendees = (
        sa.select(Registration.profile_id)
        .join(Attendance, Attendance.registration_id == Registration.id)
        .where(Registration.session_id.in_(sessions))
    )

    def count(query) -> sa.ScalarSelect:
        return sa.select(sa.func.count()).select_from(query.subquery()).scalar_subquery()

    row = db.session.execute(
        sa.select(
            count(attendees.distinct()),
            count(approved),
            count(
                sa.select(fair_featured_postings.c.posting_id)
                .where(fair_featured_postings.c.exhibitor_id.in_(approved))
                .distinct()
            ),
            count(sa.select(CVDrop.id).where(CVDrop.exhibitor_id.in_(approved))),
            count(
                sa.select(FairBooking.id)
                .join(FairSlot, FairSlot.id == FairBooking.slot_id)
                .where(
                    FairSlot.exhibitor_id.in_(approved),
                    FairSlot.kind == SlotKind.ONE_TO_ONE,
                    FairBooking.status == BookingStatus.BOOKED,
                    FairBooking.profile_id.in_(attendees),
                )
            ),
        )
    ).one()
    return Figures(*(int(value) for value in row))


COMPANY_STAGES = ("met", "applied", "interviewed", "offered", "placed")


def funnel_by_company(programme: Programme) -> dict[int, dict[str, int]]:
    """{company id: {stage: students}} from "met" on, for every approved exhibitor, in two
    statements whatever the number of exhibitors: a student counts at a company when they
    met it and then applied to it, were interviewed, offered and placed by it."""
    starts, ends = _window(programme)
    sessions = sa.select(ProgrammeSession.id).where(ProgrammeSession.programme_id == programme.id)
    attended = (
        sa.select(Registration.profile_id)
        .join(Attendance, Attendance.registration_id == Registration.id)
        .where(
            Registration.session_id.in_(sessions),
            Registration.status == RegistrationStatus.REGISTERED,
        )
    )
    visits = sa.union(
        sa.select(FairExhibitor.company_id, BoothMeeting.profile_id).join(
            BoothMeeting, BoothMeeting.exhibitor_id == FairExhibitor.id
        ),
        sa.select(FairExhibitor.company_id, CVDrop.profile_id).join(
            CVDrop, CVDrop.exhibitor_id == FairExhibitor.id
        ),
    ).subquery()
    approved = sa.and_(
        FairExhibitor.programme_id == programme.id,
        FairExhibitor.status == ExhibitorStatus.APPROVED,
    )
    met = (
        sa.select(visits.c.company_id, visits.c.profile_id)
        .where(
            visits.c.profile_id.in_(attended),
            visits.c.company_id.in_(sa.select(FairExhibitor.company_id).where(approved)),
        )
        .cte("funnel_company_met")
    )
    window = sa.and_(
        Application.company_id == met.c.company_id,
        Application.profile_id == met.c.profile_id,
        Application.submitted_at >= starts,
        Application.submitted_at < ends + APPLY_WITHIN,
    )
    offered = sa.and_(Application.interviewed_at.is_not(None), Application.offered_at.is_not(None))
    distinct = sa.func.count(sa.distinct(Application.profile_id))
    rows = db.session.execute(
        sa.select(
            met.c.company_id,
            sa.func.count(sa.distinct(met.c.profile_id)),
            distinct,
            distinct.filter(Application.interviewed_at.is_not(None)),
            distinct.filter(offered),
        )
        .select_from(met)
        .outerjoin(Application, window)
        .group_by(met.c.company_id)
    )
    result = {
        company_id: dict(zip(COMPANY_STAGES, (m, a, i, o, 0), strict=True))
        for company_id, m, a, i, o in rows
    }
    placed = db.session.execute(
        sa.select(Placement.company_id, sa.func.count(sa.distinct(Placement.profile_id)))
        .join(
            Application,
            sa.and_(
                Application.company_id == Placement.company_id,
                Application.profile_id == Placement.profile_id,
                Application.submitted_at >= starts,
                Application.submitted_at < ends + APPLY_WITHIN,
                offered,
            ),
        )
        .join(
            met,
            sa.and_(
                met.c.company_id == Placement.company_id,
                met.c.profile_id == Placement.profile_id,
            ),
        )
        .where(Placement.placed_at >= starts, Placement.placed_at < ends + PLACED_WITHIN)
        .group_by(Placement.company_id)
    )
    for company_id, number in placed:
        result[company_id]["placed"] = number
    return result
