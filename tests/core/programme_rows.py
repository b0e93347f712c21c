"""Rows for the programme pages of the statements-per-page test (test_statements_per_page.py),
made in batches as page_rows.py makes the others: row `i` carries its zero-padded number.
The programme, session or fair a page is about is made with the first batch and kept on
the world."""

from __future__ import annotations

from datetime import timedelta

from foundry.db import utcnow
from foundry.extensions import db
from foundry.programmes.fairs.models import ExhibitorStatus, FairExhibitor
from foundry.programmes.models import ProgrammeKind, ProgrammeLevel
from foundry.taxonomy import Theme
from foundry.universities.models import StudyLevel
from tests import factories as f
from tests.programmes import factories as pf


def _programme(world, i: int, **fields):
    """A published programme with eligibility lists, so a page loading them one by one
    shows it."""
    programme = pf.ProgrammeFactory(
        title_en=f"Workshop {i:03d}",
        theme=Theme.AI_DATA,
        universities=[world.uni_a, world.uni_b],
        faculties=[world.fac_a1],
        **fields,
    )
    programme.levels.append(ProgrammeLevel(level=StudyLevel.UG))
    return programme


def programmes(world, numbers: range) -> None:
    for i in numbers:
        pf.SessionFactory(
            programme=_programme(world, i), starts_at=utcnow() + timedelta(days=14, hours=i)
        )


def sessions(world, numbers: range) -> None:
    """Sessions of the world's programme, each with a registration."""
    if not hasattr(world, "programme"):
        world.programme = _programme(world, 0)
    for i in numbers:
        session = pf.SessionFactory(
            programme=world.programme,
            label=f"Session {i:03d}",
            starts_at=utcnow() + timedelta(days=14, hours=i),
        )
        pf.registration(f.student(world.fac_a1), session)


def my_registrations(world, numbers: range) -> None:
    for i in numbers:
        session = pf.SessionFactory(
            programme=_programme(world, i), starts_at=utcnow() + timedelta(days=14, hours=i)
        )
        pf.registration(world.student_a1, session)


def attendees(world, numbers: range) -> None:
    """Students registered in the world's session of company A's programme."""
    if not hasattr(world, "attendee_session"):
        world.attendee_session = pf.SessionFactory(
            programme=_programme(world, 0, organiser_company=world.company_a), capacity=200
        )
    for _i in numbers:
        pf.registration(f.student(world.fac_a1), world.attendee_session)


def exhibitors(world, numbers: range) -> None:
    """Companies approved at the world's career day."""
    if not hasattr(world, "fair"):
        world.fair = pf.SessionFactory(
            programme=_programme(world, 0, kind=ProgrammeKind.CAREER_DAY), capacity=500
        )
    for i in numbers:
        company = f.CompanyFactory(name=f"Exhibitor {i:03d}", slug=f"exhibitor-{i:03d}")
        db.session.add(
            FairExhibitor(
                programme_id=world.fair.programme_id,
                company_id=company.id,
                status=ExhibitorStatus.APPROVED,
                booth=f"E{i:03d}",
            )
        )
    db.session.flush()


def _ended_session(programme, i: int = 0):
    ends = utcnow() - timedelta(days=2, hours=i)
    return pf.SessionFactory(programme=programme, starts_at=ends - timedelta(hours=2), ends_at=ends)


def feedback(world, numbers: range) -> None:
    """Answers, each with a comment, on company A's programme whose session has ended."""
    from foundry.programmes.feedback_models import ProgrammeFeedback
    from tests.programmes.after_event_setup import attend

    if not hasattr(world, "feedback_session"):
        world.feedback_session = _ended_session(
            _programme(world, 0, organiser_company=world.company_a)
        )
    for i in numbers:
        registration = pf.registration(f.student(world.fac_a1), world.feedback_session)
        attend(registration)
        db.session.add(
            ProgrammeFeedback(
                programme_id=world.feedback_session.programme_id,
                profile_id=registration.profile_id,
                rating=1 + i % 5,
                comment=f"Comment {i:03d}",
            )
        )


def attended_programmes(world, numbers: range) -> None:
    """Past programmes student A1 attended, every other one with their feedback."""
    from foundry.programmes.feedback_models import ProgrammeFeedback
    from tests.programmes.after_event_setup import attend

    for i in numbers:
        registration = pf.registration(world.student_a1, _ended_session(_programme(world, i), i))
        attend(registration)
        if i % 2:
            db.session.add(
                ProgrammeFeedback(
                    programme_id=registration.session.programme_id,
                    profile_id=registration.profile_id,
                    rating=4,
                )
            )
