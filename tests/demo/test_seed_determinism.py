"""The same seed at the same moment builds the same demo: the same people, the same
marketplace, the same graduates' destinations and the same programme registrations,
whatever database it is played into."""

from __future__ import annotations

import sqlalchemy as sa

from foundry import clock
from foundry.accounts.models import User
from foundry.applications.models import Application
from foundry.companies.models import Company
from foundry.demo.seed import seed_demo
from foundry.placements.models import GraduateOutcome, Placement
from foundry.postings.models import Posting
from foundry.programmes.models import Programme, ProgrammeSession, Registration
from foundry.students.models import StudentProfile
from tests.demo.shared import DEMO_NOW, DEMO_STUDENTS


def _people(db):
    return db.session.scalars(sa.select(User.email).order_by(User.id)).all()


def _marketplace(db):
    rows = db.session.execute(
        sa.select(Company.slug, Posting.title, User.email, Application.status)
        .join(Application.posting)
        .join(Company, Company.id == Posting.company_id)
        .join(StudentProfile, StudentProfile.id == Application.profile_id)
        .join(User, User.id == StudentProfile.user_id)
    )
    return sorted((slug, title, email, status.value) for slug, title, email, status in rows)


def _destinations(db):
    outcomes = db.session.execute(
        sa.select(User.email, GraduateOutcome.outcome, GraduateOutcome.employer_name)
        .join(StudentProfile, StudentProfile.id == GraduateOutcome.profile_id)
        .join(User, User.id == StudentProfile.user_id)
    )
    placements = db.session.execute(  # the current year's are placed relative to now
        sa.select(User.email, Placement.employer_name, Posting.title)
        .join(StudentProfile, StudentProfile.id == Placement.profile_id)
        .join(User, User.id == StudentProfile.user_id)
        .outerjoin(Posting, Posting.id == Placement.posting_id)
    )
    return sorted(map(str, outcomes)), sorted(map(str, placements))


def _programmes(db):
    rows = db.session.execute(
        sa.select(Programme.title_en, ProgrammeSession.starts_at, User.email, Registration.status)
        .join(ProgrammeSession, ProgrammeSession.programme_id == Programme.id)
        .join(Registration, Registration.session_id == ProgrammeSession.id)
        .join(StudentProfile, StudentProfile.id == Registration.profile_id)
        .join(User, User.id == StudentProfile.user_id)
        .order_by(ProgrammeSession.id, Registration.sequence)
    )
    return [(title, str(starts), email, status.value) for title, starts, email, status in rows]


def test_the_same_seed_builds_the_same_people_marketplace_and_destinations(db, shared_demo):
    with shared_demo.app.app_context():
        first = _people(db), _marketplace(db), _destinations(db), _programmes(db)
        db.session.remove()

    with clock.frozen_at(DEMO_NOW):  # played again, in the main test database
        seed_demo(student_count=DEMO_STUDENTS, progress=False)

    people, marketplace, destinations, programmes = first
    assert _people(db) == people
    assert _marketplace(db) == marketplace
    assert _destinations(db) == destinations
    assert _programmes(db) == programmes
