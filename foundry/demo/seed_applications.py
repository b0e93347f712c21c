"""Writes the demo's applications with their whole story: the frozen CV, the history of
moves, interview slots, offers and placements.

Each student's applications are drawn from a random generator of their own (seeded with
their e-mail), so they are the same whatever else is seeded, and an application is looked
up by (posting, profile) before it is written: running the seed again adds none.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import lazyload
from tqdm import tqdm

from foundry.applications.models import (
    Application,
    ApplicationEvent,
    InterviewSlot,
    Offer,
)
from foundry.applications.models import ApplicationStatus as S
from foundry.demo.clock import academic_year_of, graduating_class, hong_kong_date
from foundry.demo.data import FOUNDER, FOUNDER_COMPANY_SLUG, RANDOM_SEED
from foundry.demo.marketplace_applications import (
    ApplicationPlan,
    Draft,
    SeededPosting,
    completion_of,
    draft_application,
    draw_status,
    draw_supervisor,
    offer_terms,
    start_after,
)
from foundry.extensions import db
from foundry.placements.models import Placement
from foundry.postings.models import ApprovalStatus, PostingKind
from foundry.students.models import CVDocument, StudentProfile

APPLY_SHARE = 0.6
APPLICATIONS_PER_STUDENT = (1, 1, 2, 2, 3, 3, 4, 5, 6)
# The first demo student's applications, one in each of these states, for the timeline.
FOUNDER_STATUSES = (S.INTERVIEW, S.OFFER, S.UNDER_REVIEW, S.SUBMITTED, S.REJECTED)
FLUSH_EVERY = 200


@dataclass(frozen=True)
class SeededApplication:
    id: int
    profile: StudentProfile
    posting: SeededPosting
    plan: ApplicationPlan


class ApplicationWriter:
    """Adds the applications that are missing, and counts those already there."""

    def __init__(self, summary, now: datetime, members: dict[int, list[int]], hku_id: int):
        self.summary = summary
        self.now = now
        self.members = members
        self.hku_id = hku_id
        self.existing: dict[tuple[int, int], Application | int] = {
            (posting_id, profile_id): application_id
            for posting_id, profile_id, application_id in db.session.execute(
                sa.select(Application.posting_id, Application.profile_id, Application.id)
            )
        }
        self.cvs = self._latest_cvs()
        self.written: list[tuple] = []
        self.pending: list[tuple[Application, Draft, str]] = []
        self.today = hong_kong_date(now)
        profiles = (
            db.session.scalars(sa.select(StudentProfile).options(lazyload(StudentProfile.skills)))
            .unique()
            .all()
        )
        self.profiles: list[StudentProfile] = sorted(profiles, key=lambda p: p.user.email)
        self.takers: list[SeededPosting] = []
        self._eligible: dict[tuple, list[SeededPosting]] = {}
        # Set by the caller from the past years: the academic years in which each student
        # was already placed, and the graduates still looking for a job.
        self.placed_years: dict[int, set[int]] = {}
        self.job_seekers: set[int] = set()
        self.current_class = graduating_class(hong_kong_date(now))

    def _latest_cvs(self) -> dict[int, CVDocument]:
        latest: dict[int, CVDocument] = {}
        for cv in db.session.scalars(
            sa.select(CVDocument)
            .options(sa.orm.undefer(CVDocument.content), lazyload("*"))
            .order_by(CVDocument.uploaded_at.desc(), CVDocument.id.desc())
        ):
            latest.setdefault(cv.profile_id, cv)
        return latest

    def seed(self, postings: list[SeededPosting], progress: bool) -> list[SeededApplication]:
        self.takers = [p for p in postings if p.submission_window(self.now) is not None]
        bar = tqdm(
            self.profiles,
            desc="Applications",
            unit="student",
            file=sys.stderr,
            disable=not progress,
        )
        for serial, profile in enumerate(bar, start=1):
            if profile.id in self.cvs:
                self._seed_student(profile, self.eligible_postings(profile))
            if serial % FLUSH_EVERY == 0:
                self.flush()
        self.flush()
        return [
            SeededApplication(row if isinstance(row, int) else row.id, profile, posting, plan)
            for row, profile, posting, plan in self.written
        ]

    def eligible_postings(self, profile: StudentProfile) -> list[SeededPosting]:
        """The postings that took applications and that the student may apply to: the rules
        of foundry.postings.eligibility on the drawn postings, and the university's approval.
        Worked out once for each combination of the facts the rules read."""
        facts = facts_of(profile)
        if facts not in self._eligible:
            self._eligible[facts] = [p for p in self.takers if allows(facts, p, self.hku_id)]
        return self._eligible[facts]

    def _seed_student(self, profile: StudentProfile, candidates: list[SeededPosting]) -> None:
        rng = random.Random(f"{RANDOM_SEED}:applications:{profile.user.email}")
        if profile.user.email == FOUNDER.email:
            for posting, status in self._founder_choices(rng, candidates):
                self._application(rng, profile, posting, status)
            return
        if not candidates or rng.random() > APPLY_SHARE:
            return
        if profile.graduation_year < self.current_class:  # graduated: a job, if still looking
            if profile.id not in self.job_seekers:
                return
            candidates = [p for p in candidates if p.spec.kind is PostingKind.GRADUATE_ROLE]
            if not candidates:
                return
        themes = set(profile.theme_values)
        weights = [5 if themes & set(p.spec.themes) else 1 for p in candidates]
        chosen: list[SeededPosting] = []
        for _attempt in range(rng.choice(APPLICATIONS_PER_STUDENT) * 3):
            posting = rng.choices(candidates, weights=weights)[0]
            if posting not in chosen:
                chosen.append(posting)
            if len(chosen) == 6:
                break
        accepted = False
        for posting in chosen[: rng.choice(APPLICATIONS_PER_STUDENT)]:
            status = draw_status(rng, posting.still_open(self.now))
            if status is S.ACCEPTED and accepted:
                status = S.DECLINED  # one accepted offer per student
            accepted = accepted or status is S.ACCEPTED
            self._application(rng, profile, posting, status)

    def _founder_choices(self, rng: random.Random, candidates: list[SeededPosting]):
        others = [p for p in candidates if p.spec.company_slug != FOUNDER_COMPANY_SLUG]
        still_open = [p for p in others if p.still_open(self.now)]
        decided = [p for p in others if not p.still_open(self.now)]
        rng.shuffle(still_open)
        rng.shuffle(decided)
        for status in FOUNDER_STATUSES:
            pool = decided if status is S.REJECTED and decided else still_open
            if pool:
                yield pool.pop(), status

    def _application(
        self, rng: random.Random, profile: StudentProfile, posting: SeededPosting, status: S
    ) -> None:
        """Draw everything about the application first, so that the generator advances the
        same way whether the rows exist already or not."""
        staff = self.members.get(posting.company_id)
        draft = draft_application(rng, posting, status, staff, self.now)
        accepted = draft.plan.reached(S.ACCEPTED)
        if accepted is not None:
            placed = self.placed_years.setdefault(profile.id, set())
            if academic_year_of(accepted.at) in placed:  # one placement a year
                draft = draft_application(rng, posting, S.DECLINED, staff, self.now)
            else:
                placed.add(academic_year_of(accepted.at))
        key = (posting.id, profile.id)
        exists = key in self.existing
        counts = {
            "applications": 1,
            "application events": len(draft.plan.steps),
            "interview slots": len(draft.slots),
            "offers": int(draft.plan.reached(S.OFFER) is not None),
            "placements": int(draft.plan.status is S.ACCEPTED),
        }
        for kind, number in counts.items():
            for _ in range(number):
                self.summary.count(kind, created=not exists)
        if exists:
            self.written.append((self.existing[key], profile, posting, draft.plan))
            return
        application = self._write(profile, draft)
        self.existing[key] = application
        self.pending.append((application, draft, profile.user.email))
        self.written.append((application, profile, posting, draft.plan))

    def _write(self, profile: StudentProfile, draft: Draft) -> Application:
        cv = self.cvs[profile.id]
        application = Application(
            posting_id=draft.posting.id,
            profile_id=profile.id,
            company_id=draft.posting.company_id,
            status=draft.plan.status,
            cover_letter=draft.letter,
            answers=draft.answers,
            cv_title=cv.title,
            cv_filename=cv.original_filename,
            cv_size_bytes=cv.size_bytes,
            cv_page_count=cv.page_count,
            cv_sha256=cv.sha256,
            cv_content=cv.content,
            submitted_at=draft.plan.submitted_at,
            status_changed_at=draft.plan.changed_at,
            interviewed_at=_when(draft.plan.reached(S.INTERVIEW)),
            offered_at=_when(draft.plan.reached(S.OFFER)),
        )
        previous = None
        for step in draft.plan.steps:
            application.events.append(
                ApplicationEvent(
                    actor_id=profile.user_id if step.by_student else draft.recruiter,
                    from_status=previous,
                    to_status=step.status,
                    message=step.message,
                    created_at=step.at,
                )
            )
            previous = step.status
        db.session.add(application)
        return application

    def flush(self) -> None:
        """Write the applications, then what refers to them by id."""
        db.session.flush()
        for application, draft, email in self.pending:
            for slot in draft.slots:
                db.session.add(
                    InterviewSlot(
                        application_id=application.id,
                        starts_at=slot.starts_at,
                        duration_minutes=slot.duration_minutes,
                        location=slot.location,
                        proposed_by_id=draft.recruiter,
                        chosen_at=slot.chosen_at,
                    )
                )
            self._write_offer(application, draft, email)
        self.pending.clear()
        db.session.flush()

    def _write_offer(self, application: Application, draft: Draft, email: str) -> None:
        offered = draft.plan.reached(S.OFFER)
        if offered is None:
            return
        spec = draft.posting.spec
        start = start_after(spec.start_date, offered.at.date())
        end = None
        if spec.duration_weeks:
            end = start + timedelta(weeks=spec.duration_weeks) - timedelta(days=1)
        respond_by = offered.at + timedelta(days=10)
        if draft.plan.status is S.OFFER:
            respond_by = max(respond_by, self.now + timedelta(days=3))
        db.session.add(
            Offer(
                application_id=application.id,
                terms=offer_terms(spec, start),
                pay_hkd=spec.pay_max,
                start_date=start,
                end_date=end,
                respond_by=respond_by,
                made_by_id=draft.recruiter,
                made_at=offered.at,
            )
        )
        accepted = draft.plan.reached(S.ACCEPTED)
        if accepted is not None:
            rng = random.Random(f"{RANDOM_SEED}:placement:{email}:{spec.title}")
            completion, completed_on = completion_of(rng, start, end, self.today)
            supervisor_name, supervisor_email = draw_supervisor(rng, spec)
            db.session.add(
                Placement(
                    application_id=application.id,
                    profile_id=application.profile_id,
                    company_id=application.company_id,
                    posting_id=application.posting_id,
                    start_date=start,
                    end_date=end,
                    kind=application.posting.kind,
                    placed_at=accepted.at,
                    confirmed_by_student_at=accepted.at,
                    completion=completion,
                    completed_on=completed_on,
                    supervisor_name=supervisor_name,
                    supervisor_email=supervisor_email,
                    created_at=accepted.at,
                )
            )


Facts = tuple[int, int, object, int, bool]


def facts_of(profile: StudentProfile) -> Facts:
    """What the eligibility rules read of a student."""
    return (
        profile.university_id,
        profile.faculty_id,
        profile.study_level,
        profile.graduation_year,
        profile.non_local,
    )


def allows(facts: Facts, posting: SeededPosting, hku_id: int) -> bool:
    """The rules of foundry.postings.eligibility on a drawn posting, and the approval of
    the university that asks to approve postings."""
    university, faculty, level, year, non_local = facts
    spec = posting.spec
    return (
        (not posting.university_ids or university in posting.university_ids)
        and (not posting.faculty_ids or faculty in posting.faculty_ids)
        and (not spec.levels or level in spec.levels)
        and (spec.graduation_year_from is None or year >= spec.graduation_year_from)
        and (spec.graduation_year_to is None or year <= spec.graduation_year_to)
        and (spec.open_to_non_local or not non_local)
        and (university != hku_id or spec.approval is ApprovalStatus.APPROVED)
    )


def _when(step):
    return step.at if step is not None else None
