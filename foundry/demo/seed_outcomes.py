"""Graduates' first destinations and the placements staff found outside the portal.

For the last two graduating classes: a graduate whose portal placement decides their
outcome (a graduate role or research post, or an internship starting after graduation)
gets no staff record; of the others most have one recorded by their faculty's staff (from
the graduate survey, the employer, LinkedIn...), the rest are "no information", so about
four in five outcomes are known, fewer for the class that graduated last summer (its
survey is still coming in). Some graduates employed outside the park also have the job
recorded as a placement, and some students' summer internships outside the park were
recorded by the placement office.

Everything is drawn per student from a generator seeded with their e-mail, then kept only
if staff would have recorded it before today. A graduate outcome is looked up by profile,
a recorded placement by (profile, employer, date agreed), so a second run adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from foundry.accounts.models import Role, RoleMembership
from foundry.companies.models import Company, VerificationStatus
from foundry.demo.clock import academic_year_of, at_hong_kong, hong_kong_date
from foundry.demo.data import RANDOM_SEED
from foundry.demo.data_history import (
    FOUND_VIA,
    FURTHER_STUDY,
    NOT_SEEKING_NOTES,
    OUTSIDE_EMPLOYERS,
    PART_TIME_JOBS,
    POSTGRAD_INTERNSHIPS,
    RECORDED_OUTCOME_WEIGHTS,
    RECORDED_PLACEMENT_NOTES,
    SEEKING_NOTES,
    SELF_EMPLOYED,
)
from foundry.demo.data_postings import CLUSTER_THEMES, ROLES
from foundry.demo.history_applications import stage_of
from foundry.demo.marketplace_applications import completion_of
from foundry.demo.people import ascii_slug, draw_name, draw_origin
from foundry.demo.seed_evaluations import seed_evaluations
from foundry.demo.seed_history import PastYears
from foundry.extensions import db
from foundry.placements.models import GraduateOutcome, Outcome, Placement, PlacementSource
from foundry.postings.models import PostingKind

K = PostingKind
# Share of each class whose outcome is known in the end (the survey of the latest class is
# still coming in, so fewer of its records exist yet).
KNOWN_SHARE = {1: 0.81, 0: 0.9}  # by how many years before the current one they graduated
# Three months after graduating more of the latest class are still looking.
STILL_SEEKING_FACTOR = {1: 1.0, 0: 2.0}
FULL_TIME_KINDS = (K.GRADUATE_ROLE, K.RESEARCH_ASSISTANT)
PARK_EMPLOYER_SHARE = 0.3  # graduates employed full-time found at a park company
JOB_AS_PLACEMENT_SHARE = 0.4  # outside jobs staff also record as a placement
RECORDED_INTERNSHIP_SHARE = 0.06  # students a year with an internship found off the portal
INTERNSHIP_STAGES = ("penultimate", "middle", "postgraduate")


@dataclass(frozen=True)
class GraduatePlan:
    profile_id: int
    email: str
    class_year: int
    outcome: Outcome | None  # None: decided by a portal placement, or unknown
    on_portal: bool


@dataclass
class Graduates:
    plans: list[GraduatePlan] = field(default_factory=list)
    job_seekers: set[int] = field(default_factory=set)


def plan_graduates(profiles, past: PastYears, now: datetime) -> Graduates:
    """Each recent graduate's destination as staff will know it, drawn before the current
    year's applications (graduates who found something stop applying)."""
    current = academic_year_of(now)
    graduates = Graduates()
    by_class: dict[int, list] = {}
    for profile in profiles:
        if current - 1 <= profile.graduation_year <= current:
            by_class.setdefault(profile.graduation_year, []).append(profile)
    for class_year, members in sorted(by_class.items()):
        decided = {p.id for p in members if _decided_on_portal(past, p.id, class_year)}
        target = KNOWN_SHARE[current - class_year]
        rest = len(members) - len(decided)
        weights = dict(RECORDED_OUTCOME_WEIGHTS)
        weights[Outcome.SEEKING] *= STILL_SEEKING_FACTOR[current - class_year]
        known_share = (target * len(members) - len(decided)) / rest if rest else 0.0
        for profile in members:
            rng = random.Random(f"{RANDOM_SEED}:outcome:{profile.user.email}")
            outcome = None
            known = rng.random() < known_share
            if profile.id not in decided and known:
                outcome = rng.choices(list(weights), weights=list(weights.values()))[0]
            graduates.plans.append(
                GraduatePlan(
                    profile.id, profile.user.email, class_year, outcome, profile.id in decided
                )
            )
            if profile.id not in decided and outcome in (None, Outcome.SEEKING):
                graduates.job_seekers.add(profile.id)
    return graduates


def _decided_on_portal(past: PastYears, profile_id: int, class_year: int) -> bool:
    july_first = date(class_year, 7, 1)
    return any(
        kind in FULL_TIME_KINDS or start >= july_first
        for kind, start in past.placed_kinds.get(profile_id, ())
    )


def seed_outcomes(summary, profiles, graduates: Graduates, companies, now: datetime) -> None:
    """Write the graduate outcomes, recorded placements and evaluations that are missing."""
    writer = _OutcomeWriter(summary, profiles, companies, now)
    for plan in graduates.plans:
        writer.graduate(plan)
    for profile in profiles:
        writer.recorded_internships(profile)
    db.session.flush()
    seed_evaluations(summary, writer.staff, now)


class _OutcomeWriter:
    def __init__(self, summary, profiles, companies, now: datetime):
        self.summary = summary
        self.now = now
        self.today = hong_kong_date(now)
        self.profiles = {p.id: p for p in profiles}
        self.park = [
            c for c in companies.values() if c.verification_status is VerificationStatus.VERIFIED
        ]
        self.park.sort(key=lambda c: c.slug)
        self.staff = _faculty_staff()
        self.outcomes = set(db.session.scalars(sa.select(GraduateOutcome.profile_id)))
        self.recorded = {
            (profile_id, employer, hong_kong_date(placed_at))
            for profile_id, employer, placed_at in db.session.execute(
                sa.select(Placement.profile_id, Placement.employer_name, Placement.placed_at).where(
                    Placement.source == PlacementSource.RECORDED
                )
            )
        }
        # Placements made on the portal: what decides an outcome, and one placement a year.
        self.portal: dict[int, list[tuple[PostingKind | None, date | None, datetime]]] = {}
        for profile_id, kind, start, placed_at in db.session.execute(
            sa.select(
                Placement.profile_id, Placement.kind, Placement.start_date, Placement.placed_at
            ).where(Placement.source == PlacementSource.PORTAL)
        ):
            self.portal.setdefault(profile_id, []).append((kind, start, placed_at))

    def _placed_in(self, profile_id: int, year: int) -> bool:
        return any(academic_year_of(at) == year for _k, _s, at in self.portal.get(profile_id, ()))

    def _recorder(self, rng: random.Random, profile) -> int | None:
        staff = self.staff.get(profile.faculty_id) or [None]
        return staff[0] if rng.random() < 0.8 else staff[-1]

    # --- graduates -----------------------------------------------------------------------

    def graduate(self, plan: GraduatePlan) -> None:
        profile = self.profiles[plan.profile_id]
        rng = random.Random(f"{RANDOM_SEED}:destination:{plan.email}")
        recorded_at = _survey_time(rng, plan.class_year)
        if plan.outcome is None or recorded_at >= self.now:
            return
        july_first = date(plan.class_year, 7, 1)
        if any(
            kind in FULL_TIME_KINDS or (start and start >= july_first)
            for kind, start, _at in self.portal.get(profile.id, ())
        ):
            return  # found a job on the portal since (the current year's applications)
        row = self._outcome_row(rng, profile, plan, recorded_at)
        exists = profile.id in self.outcomes
        self.summary.count("graduate outcomes", created=not exists)
        if not exists:
            db.session.add(row)
        outside_job = plan.outcome is Outcome.EMPLOYED_FULL_TIME and row.company_id is None
        if outside_job and rng.random() < JOB_AS_PLACEMENT_SHARE:
            self._recorded_job(rng, profile, row, plan.class_year)

    def _outcome_row(self, rng, profile, plan: GraduatePlan, recorded_at) -> GraduateOutcome:
        outcome = plan.outcome
        row = GraduateOutcome(
            profile_id=profile.id,
            outcome=outcome,
            found_via=rng.choices(list(FOUND_VIA), weights=list(FOUND_VIA.values()))[0],
            recorded_by_id=self._recorder(rng, profile),
            recorded_at=recorded_at,
        )
        if outcome is Outcome.EMPLOYED_FULL_TIME:
            if rng.random() < PARK_EMPLOYER_SHARE:
                company = self._park_company(rng, profile)
                row.company_id, row.employer_name = company.id, company.name
                role = rng.choice([r for r in ROLES if r.theme in CLUSTER_THEMES[company.cluster]])
                row.job_title = f"{role.field} {role.job}"
            else:
                employer = rng.choice(OUTSIDE_EMPLOYERS)
                row.employer_name, row.job_title = employer.name, employer.graduate_title
        elif outcome is Outcome.EMPLOYED_PART_TIME:
            row.employer_name, row.job_title = rng.choice(PART_TIME_JOBS)
        elif outcome is Outcome.SELF_EMPLOYED:
            row.employer_name, row.job_title = rng.choice(SELF_EMPLOYED)
        elif outcome is Outcome.POSTGRAD_INTERNSHIP:
            row.employer_name, row.job_title = rng.choice(POSTGRAD_INTERNSHIPS)
        elif outcome is Outcome.CONTINUING_EDUCATION:
            row.institution, programme = rng.choice(FURTHER_STUDY)
            row.notes = f"{programme}, from September {plan.class_year}."
        elif outcome is Outcome.SEEKING:
            row.notes = rng.choice(SEEKING_NOTES)
        else:
            row.notes = rng.choice(NOT_SEEKING_NOTES)
        return row

    def _park_company(self, rng: random.Random, profile) -> Company:
        themes = set(profile.theme_values)
        matching = [c for c in self.park if themes & set(CLUSTER_THEMES[c.cluster])]
        return rng.choice(matching or self.park)

    def _recorded_job(self, rng, profile, outcome: GraduateOutcome, class_year: int) -> None:
        day = date(class_year, 3, 1) + timedelta(days=rng.randint(0, 200))
        placed_at = at_hong_kong(day, rng.randint(9, 18))
        start = max(date(class_year, 7, 1), (day + timedelta(days=40)).replace(day=1))
        if self._placed_in(profile.id, academic_year_of(placed_at)):
            return
        self._add_recorded(
            rng,
            profile,
            employer=outcome.employer_name,
            title=outcome.job_title,
            kind=K.GRADUATE_ROLE,
            placed_at=placed_at,
            dates=(start, None),
            recorded_at=max(outcome.recorded_at, placed_at + timedelta(days=3)),
        )

    # --- internships found off the portal --------------------------------------------------

    def recorded_internships(self, profile) -> None:
        for year in range(academic_year_of(self.now) - 2, academic_year_of(self.now) + 1):
            rng = random.Random(f"{RANDOM_SEED}:recorded:{profile.user.email}:{year}")
            stage = stage_of(profile.study_level, profile.graduation_year, year)
            if rng.random() >= RECORDED_INTERNSHIP_SHARE or stage not in INTERNSHIP_STAGES:
                continue
            employer = rng.choice(OUTSIDE_EMPLOYERS)
            day = date(year, 11, 1) + timedelta(days=rng.randint(0, 180))
            placed_at = at_hong_kong(day, rng.randint(9, 18))
            start = date(year + 1, 6, 1) + timedelta(days=rng.choice((0, 7, 14)))
            end = start + timedelta(weeks=rng.choice((8, 10))) - timedelta(days=1)
            recorded_at = placed_at + timedelta(days=rng.randint(3, 40), hours=rng.randint(0, 6))
            if recorded_at >= self.now or self._placed_in(profile.id, year):
                continue
            self._add_recorded(
                rng,
                profile,
                employer=employer.name,
                title=employer.intern_title,
                kind=K.SUMMER_INTERNSHIP,
                placed_at=placed_at,
                dates=(start, end),
                recorded_at=recorded_at,
            )

    def _add_recorded(self, rng, profile, *, employer, title, kind, placed_at, dates, recorded_at):
        """Draw the placement whole, then add it unless it is there (so the generator
        advances the same way whether or not it exists)."""
        start, end = dates
        completion, completed_on = completion_of(rng, start, end, self.today)
        confirmed = recorded_at + timedelta(days=rng.randint(1, 12))
        confirmed_by_student = rng.random() < 0.7 and confirmed < self.now
        supervisor = draw_name(rng, draw_origin(rng)) if end and rng.random() < 0.5 else None
        placement = Placement(
            profile_id=profile.id,
            employer_name=employer,
            kind=kind,
            role_title=title,
            source=PlacementSource.RECORDED,
            placed_at=placed_at,
            start_date=start,
            end_date=end,
            confirmed_by_student_at=confirmed if confirmed_by_student else None,
            completion=completion,
            completed_on=completed_on,
            supervisor_name=supervisor.display if supervisor else None,
            supervisor_email=(
                f"{supervisor.email_local_part}@{ascii_slug(employer)}.example.hk"
                if supervisor
                else None
            ),
            recorded_by_id=self._recorder(rng, profile),
            notes=rng.choice(RECORDED_PLACEMENT_NOTES),
            created_at=recorded_at,
        )
        key = (profile.id, employer, hong_kong_date(placed_at))
        exists = key in self.recorded
        self.summary.count("recorded placements", created=not exists)
        if not exists:
            self.recorded.add(key)
            db.session.add(placement)


def _survey_time(rng: random.Random, class_year: int) -> datetime:
    """When staff learnt a graduate's destination: mostly from the autumn survey after
    graduation, some over the winter, a few from LinkedIn in the spring."""
    window = rng.choices(((0, 100), (100, 190), (190, 335)), weights=(75, 17, 8))[0]
    day = date(class_year, 7, 20) + timedelta(days=rng.randint(*window))
    return at_hong_kong(day, rng.randint(9, 18), rng.randint(0, 59))


def _faculty_staff() -> dict[int, list[int]]:
    """Each faculty's placement officers, then its associate deans (who record outcomes)."""
    rows = db.session.execute(
        sa.select(RoleMembership.faculty_id, RoleMembership.user_id)
        .where(RoleMembership.role.in_((Role.PLACEMENT_OFFICER, Role.ASSOCIATE_DEAN)))
        .order_by(RoleMembership.role != Role.PLACEMENT_OFFICER, RoleMembership.user_id)
    )
    staff: dict[int, list[int]] = {}
    for faculty_id, user_id in rows:
        staff.setdefault(faculty_id, []).append(user_id)
    return staff
