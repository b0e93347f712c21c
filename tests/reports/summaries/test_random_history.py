"""A long random history of everything that moves the summaries (applications, interviews,
offers, placements made, moved and deleted, sign-ins, students changing cohort, postings
changing kind, changes rolled back) keeps them exactly what the raw data says after every
step, and the dashboards from both sides agree at the end."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from foundry.accounts.models import Role
from foundry.applications.models import Application
from foundry.extensions import db
from foundry.placements.models import Placement, PlacementSource
from foundry.postings.models import PostingKind
from foundry.universities.models import StudyLevel
from tests import factories as f
from tests.reports.summaries.helpers import both_ways, out_of_step, sign_in

STEPS = 150
FIRST_DAY = datetime(2023, 6, 1, tzinfo=UTC)
DAYS = 3 * 365 + 120  # to early 2026/27


class History:
    def __init__(self, rng: random.Random):
        self.rng = rng
        uni_a, uni_b = f.UniversityFactory(), f.UniversityFactory()
        self.faculties = [
            f.FacultyFactory(university=uni_a),
            f.FacultyFactory(university=uni_a),
            f.FacultyFactory(university=uni_b),
        ]
        self.programmes = {
            faculty.id: [f.ProgrammeFactory(faculty=faculty) for _ in range(2)]
            for faculty in self.faculties
        }
        self.companies = [f.CompanyFactory() for _ in range(3)]
        self.postings = [
            f.PostingFactory(company=self.companies[i % 3], kind=list(PostingKind)[i % 5])
            for i in range(6)
        ]
        self.students = [
            f.profile_of(f.student(self.faculties[i % 3], graduation_year=2025 + i % 3))
            for i in range(12)
        ]
        self.viewers = [
            f.staff(Role.DEAN, self.faculties[0]),
            f.staff(Role.PLACEMENT_OFFICER, self.faculties[2]),
            f.coordinator(uni_a),
            f.park_admin(),
        ]
        db.session.commit()

    def moment(self) -> datetime:
        return FIRST_DAY + timedelta(minutes=self.rng.randrange(DAYS * 24 * 60))

    def pick(self, model, *conditions):
        rows = db.session.scalars(sa.select(model).where(*conditions).order_by(model.id)).all()
        return self.rng.choice(rows) if rows else None

    # --- the steps ------------------------------------------------------------------------

    def apply(self) -> None:
        student, posting = self.rng.choice(self.students), self.rng.choice(self.postings)
        if db.session.scalar(
            sa.select(Application.id).filter_by(profile_id=student.id, posting_id=posting.id)
        ):
            return
        f.ApplicationFactory(profile=student, posting=posting, submitted_at=self.moment())

    def interview(self) -> None:
        application = self.pick(Application, Application.interviewed_at.is_(None))
        if application:
            application.interviewed_at = application.submitted_at + timedelta(
                days=self.rng.randint(1, 60)
            )

    def offer(self) -> None:
        application = self.pick(
            Application, Application.interviewed_at.is_not(None), Application.offered_at.is_(None)
        )
        if application:
            application.offered_at = application.interviewed_at + timedelta(days=3)

    def place(self) -> None:
        student = self.rng.choice(self.students)
        on_portal = self.rng.random() < 0.6
        company = self.rng.choice(self.companies)
        db.session.add(
            Placement(
                profile_id=student.id,
                company_id=company.id if on_portal or self.rng.random() < 0.5 else None,
                employer_name=None if on_portal else "Harbour Engineering",
                kind=self.rng.choice([*PostingKind, None]),
                source=PlacementSource.PORTAL if on_portal else PlacementSource.RECORDED,
                placed_at=self.moment(),
            )
        )

    def move_placement(self) -> None:
        placement = self.pick(Placement)
        if placement:
            placement.placed_at = self.moment()
            placement.kind = self.rng.choice([*PostingKind, None])

    def delete_placement(self) -> None:
        placement = self.pick(Placement)
        if placement:
            db.session.delete(placement)

    def delete_application(self) -> None:
        application = self.pick(Application)
        if application:
            db.session.delete(application)

    def sign_in(self) -> None:
        student = self.rng.choice(self.students)
        db.session.add(sign_in(student.user_id, self.moment()))

    def change_cohort(self) -> None:
        student = self.rng.choice(self.students)
        faculty = self.rng.choice(
            [x for x in self.faculties if x.university_id == student.university_id]
        )
        student.faculty_id = faculty.id
        programme = self.rng.choice([*self.programmes[faculty.id], None])
        student.programme_id = programme.id if programme else None
        student.graduation_year = self.rng.choice([2025, 2026, 2027])
        student.study_level = self.rng.choice(list(StudyLevel))
        student.non_local = self.rng.random() < 0.3

    def change_posting_kind(self) -> None:
        self.rng.choice(self.postings).kind = self.rng.choice(list(PostingKind))


def test_a_random_history_keeps_the_summaries_exact_at_every_step(db):
    rng = random.Random(20261203)
    history = History(rng)
    steps = [
        (history.apply, 6),
        (history.interview, 3),
        (history.offer, 2),
        (history.place, 2),
        (history.move_placement, 1),
        (history.delete_placement, 1),
        (history.delete_application, 1),
        (history.sign_in, 4),
        (history.change_cohort, 1),
        (history.change_posting_kind, 1),
    ]
    actions, weights = zip(*steps, strict=True)
    for number in range(STEPS):
        rng.choices(actions, weights)[0]()
        if rng.random() < 0.1:
            db.session.flush()
            db.session.rollback()
        else:
            db.session.commit()
        assert out_of_step() == {}, f"after step {number}"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) > 20
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Placement)) > 3

    for viewer in history.viewers:
        for year in (2023, 2024, 2025, 2026):
            from_summaries, from_raw = both_ways(viewer, year)
            assert from_summaries == from_raw, (viewer.display_name, year)
        # The history ends early in 2026/27: read on any later day, 2026/27 is the year so
        # far, against the same days of 2025/26 (from the raw rows beside the summaries').
        for today in (date(2026, 10, 31), date(2026, 12, 6), date(2027, 5, 31)):
            from_summaries, from_raw = both_ways(viewer, 2026, today)
            assert from_summaries.previous_filter.part_of_year
            assert from_summaries == from_raw, (viewer.display_name, today)
