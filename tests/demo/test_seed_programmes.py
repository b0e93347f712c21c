"""The demo's programmes (foundry/demo/story_programmes.py): the park's yearly career day,
fair and workshops, what companies and faculties run, one cancelled programme, and the
registrations of the demo's students, with seats never overbooked and waitlists in order.

The shared demo is seeded at the moment the tests run, so what is past and what is open
depends on the day: these tests check what holds on any day of the year."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from foundry.db import utcnow
from foundry.demo.story_programmes import JOIN_LINK
from foundry.programmes.checkin_models import Attendance
from foundry.programmes.fairs.models import ExhibitorStatus, FairExhibitor
from foundry.programmes.funnel import funnel, published_figures
from foundry.programmes.models import (
    Programme,
    ProgrammeKind,
    ProgrammeSession,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
)
from foundry.reports.periods import academic_year_of, hong_kong_today


def _programmes(db) -> list[Programme]:
    return list(db.session.scalars(sa.select(Programme).order_by(Programme.id)))


def test_the_last_two_years_have_their_career_day_fair_and_workshops(db, summary):
    now = utcnow()
    year = academic_year_of(hong_kong_today(now))
    titles = {p.title_en for p in _programmes(db)}
    for edition in (year - 1, year):  # both are over by now, whatever today is
        assert f"AI in Action Career Day {edition}" in titles
        assert "Workshop: job search techniques" in titles
    past_fairs = [t for t in titles if t.startswith("Top Talent Pass Recruitment Fair")]
    assert len(past_fairs) >= 2
    kinds = Counter(p.kind for p in _programmes(db))
    assert kinds[ProgrammeKind.CAREER_DAY] >= 4
    assert kinds[ProgrammeKind.WORKSHOP] >= 4
    assert kinds[ProgrammeKind.INSIGHT_SESSION] >= 6
    assert kinds[ProgrammeKind.LANDING_ACTIVITY] >= 2


def test_organisers_are_the_park_companies_and_faculties_and_the_words_are_bilingual(db, summary):
    programmes = _programmes(db)
    assert all(p.title_zh and p.description_zh for p in programmes)
    assert any(p.organiser_company is None and p.organiser_faculty is None for p in programmes)
    # The current year's company and faculty programmes exist once announced; the park's
    # career days exist in every year.
    assert all(p.status is not ProgrammeStatus.DRAFT for p in programmes)
    for programme in programmes:
        if programme.format.value != "in_person":
            assert programme.join_link.startswith(JOIN_LINK.split("{")[0])


def test_no_session_is_overbooked_and_every_waitlist_is_in_arrival_order(db, summary):
    sessions = db.session.scalars(sa.select(ProgrammeSession)).all()
    assert sessions
    registrations = db.session.scalars(
        sa.select(Registration).order_by(Registration.session_id, Registration.sequence)
    ).all()
    by_session: dict[int, list[Registration]] = {}
    for registration in registrations:
        by_session.setdefault(registration.session_id, []).append(registration)
    for session in sessions:
        rows = by_session.get(session.id, [])
        seated = [r for r in rows if r.status is RegistrationStatus.REGISTERED]
        waiting = [r for r in rows if r.status is RegistrationStatus.WAITLISTED]
        assert len(seated) <= session.capacity
        # A waitlist is only ever behind a full session, and everyone promoted arrived
        # before everyone still waiting.
        if waiting:
            assert len(seated) == session.capacity or session.starts_at <= utcnow()
        promoted = [r.sequence for r in seated if r.promoted_at is not None]
        if promoted and waiting:
            assert max(promoted) < min(r.sequence for r in waiting)
    assert sum(len(rows) for rows in by_session.values()) >= 200
    statuses = Counter(r.status for r in registrations)
    assert statuses[RegistrationStatus.CANCELLED] > 0


def test_a_full_session_kept_a_waitlist_and_a_given_up_seat_went_to_the_first_waiting(db, summary):
    promoted = db.session.scalars(
        sa.select(Registration).where(Registration.promoted_at.is_not(None))
    ).all()
    waitlisted_ever = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(
            (Registration.status == RegistrationStatus.WAITLISTED)
            | Registration.promoted_at.is_not(None)
        )
    )
    assert waitlisted_ever > 0
    assert promoted, "a cancellation in a full session promoted someone"


def test_one_programme_was_cancelled_with_a_message_to_those_registered(db, summary):
    cancelled = [p for p in _programmes(db) if p.status is ProgrammeStatus.CANCELLED]
    for programme in cancelled:
        assert programme.cancellation_message


def test_past_career_days_have_booths_attendance_meetings_and_a_funnel(db, summary):
    year = academic_year_of(hong_kong_today(utcnow()))
    programme = db.session.scalar(
        sa.select(Programme).where(Programme.title_en == f"AI in Action Career Day {year}")
    )
    exhibitors = db.session.scalars(
        sa.select(FairExhibitor).where(FairExhibitor.programme_id == programme.id)
    ).all()
    assert len(exhibitors) >= 5
    assert all(e.status is ExhibitorStatus.APPROVED and e.booth for e in exhibitors)
    assert any(e.featured_postings for e in exhibitors)
    counts = funnel(programme)
    assert counts["registered"] > counts["attended"] > counts["met"] > 0
    figures = published_figures(programme)
    assert figures.companies == len(exhibitors) and figures.participants == counts["attended"]
    assert figures.cvs > 0


def test_programmes_that_took_place_have_their_attendance(db, summary):
    attended = db.session.scalar(sa.select(sa.func.count()).select_from(Attendance))
    seats_in_the_past = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .join(ProgrammeSession, ProgrammeSession.id == Registration.session_id)
        .join(Programme, Programme.id == ProgrammeSession.programme_id)
        .where(
            Registration.status == RegistrationStatus.REGISTERED,
            ProgrammeSession.starts_at < utcnow() - timedelta(hours=1),
            Programme.status == ProgrammeStatus.PUBLISHED,
        )
    )
    assert 0.6 * seats_in_the_past <= attended <= seats_in_the_past


def test_attendees_of_past_programmes_gave_feedback_through_the_service(db, summary):
    """About half of those checked in rate the programme afterwards, some with a comment;
    only people who attended, at most one answer each, and each answer audited."""
    from foundry.audit.models import AuditEvent
    from foundry.programmes.feedback_models import ProgrammeFeedback

    answers = list(db.session.scalars(sa.select(ProgrammeFeedback)))
    assert len(answers) >= 20
    assert {a.rating for a in answers} >= {3, 4, 5}
    assert any(a.comment for a in answers) and any(a.comment is None for a in answers)
    attended = set(
        db.session.execute(
            sa.select(ProgrammeSession.programme_id, Registration.profile_id)
            .join(Registration, Registration.session_id == ProgrammeSession.id)
            .join(Attendance, Attendance.registration_id == Registration.id)
        ).all()
    )
    assert all((a.programme_id, a.profile_id) in attended for a in answers)
    given = db.session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.action == "programme.feedback_given")
    )
    assert given == len(answers)
