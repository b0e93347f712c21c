"""Writes the demo's two past academic years: the roles advertised, what students applied
for and how each application went, interviews, offers and the placements that followed.

Postings are looked up by (company, title) and applications by (posting, profile) before
anything is written, so a second run adds nothing. Applications and everything that hangs
off them are written with bulk INSERTs (a few thousand rows), in batches of students.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from tqdm import tqdm

from foundry.applications.models import Application, ApplicationEvent, InterviewSlot, Offer
from foundry.applications.models import ApplicationStatus as S
from foundry.demo.clock import academic_year_of, hong_kong_date
from foundry.demo.data import FOUNDER, RANDOM_SEED
from foundry.demo.data_history import FACULTY_STRENGTH
from foundry.demo.history_applications import PastStudent, plan_student
from foundry.demo.history_postings import past_posting_specs
from foundry.demo.marketplace_applications import (
    Draft,
    SeededPosting,
    completion_of,
    draw_supervisor,
    offer_terms,
    start_after,
)
from foundry.demo.seed_applications import ApplicationWriter, allows, facts_of
from foundry.extensions import db
from foundry.placements.models import Placement
from foundry.postings.models import PostingKind

PAST_YEARS = 2
BATCH = 100  # students per bulk write


@dataclass
class PastYears:
    """What the past years left: the academic years each student was placed in."""

    years: list[int]
    postings: list[SeededPosting] = field(default_factory=list)
    placed_years: dict[int, set[int]] = field(default_factory=dict)
    # Students who took a graduate role or research post, and internships that started
    # after a graduation (the placements that decide a graduate's first destination).
    placed_kinds: dict[int, list[tuple[PostingKind, date]]] = field(default_factory=dict)
    applied_at: dict[int, list[datetime]] = field(default_factory=dict)


def past_years(now: datetime) -> list[int]:
    """The academic years before the current one that the demo fills, oldest first."""
    current = academic_year_of(now)
    return [current - back for back in range(PAST_YEARS, 0, -1)]


def seed_past_years(summary, writer: ApplicationWriter, places, seed_postings, progress: bool):
    """Add the past years' postings and applications that are missing (the caller flushes
    and commits). `seed_postings` writes posting specs, as for the current marketplace."""
    now = writer.now
    result = PastYears(past_years(now))
    for year in result.years:
        specs = past_posting_specs(year, result.years[0], now)
        result.postings.extend(seed_postings(specs, f"Postings {year}/{(year + 1) % 100:02d}"))
    by_year: dict[int, list[SeededPosting]] = {}
    for posting in result.postings:
        by_year.setdefault(academic_year_of(posting.spec.published_at), []).append(posting)
    faculty_keys = {faculty.id: key for key, faculty in places.faculties.items()}
    _PastWriter(summary, writer, result, by_year, faculty_keys).run(progress)
    return result


class _PastWriter:
    def __init__(self, summary, writer, result, by_year, faculty_keys):
        self.summary = summary
        self.writer = writer
        self.result = result
        self.by_year = by_year
        self.faculty_keys = faculty_keys
        self.today = hong_kong_date(writer.now)
        self._eligible: dict[tuple, list[SeededPosting]] = {}
        self.batch: list[tuple] = []

    def run(self, progress: bool) -> None:
        students = [
            p
            for p in self.writer.profiles
            if p.id in self.writer.cvs and p.user.email != FOUNDER.email
        ]
        bar = tqdm(
            students,
            desc="Past applications",
            unit="student",
            file=sys.stderr,
            disable=not progress,
        )
        for serial, profile in enumerate(bar, start=1):
            self._student(profile)
            if serial % BATCH == 0:
                self._write()
        self._write()

    def _candidates(self, profile, year: int) -> list[SeededPosting]:
        facts = facts_of(profile)
        key = (facts, year)
        if key not in self._eligible:
            self._eligible[key] = [
                p for p in self.by_year.get(year, []) if allows(facts, p, self.writer.hku_id)
            ]
        return self._eligible[key]

    def _student(self, profile) -> None:
        seed = f"{RANDOM_SEED}:past:{profile.user.email}"
        faculty = FACULTY_STRENGTH.get(self.faculty_keys.get(profile.faculty_id), 1.0)
        student = PastStudent(
            profile_id=profile.id,
            level=profile.study_level,
            graduation_year=profile.graduation_year,
            themes=frozenset(profile.theme_values),
            strength=faculty * random.Random(seed).lognormvariate(-0.15, 0.55),
        )
        history = plan_student(
            seed,
            student,
            self.result.years,
            lambda year: self._candidates(profile, year),
            self.writer.members.get,
            self.writer.now,
        )
        self.result.placed_years[profile.id] = history.placed_years
        self.result.applied_at[profile.id] = [d.plan.submitted_at for d in history.drafts]
        for draft in history.drafts:
            accepted = draft.plan.reached(S.ACCEPTED)
            if accepted is not None:
                start, _end = _dates(draft)
                kinds = self.result.placed_kinds.setdefault(profile.id, [])
                kinds.append((draft.posting.spec.kind, start))
            self._count(profile, draft)

    def _count(self, profile, draft: Draft) -> None:
        exists = (draft.posting.id, profile.id) in self.writer.existing
        plan = draft.plan
        counts = {
            "applications": 1,
            "application events": len(plan.steps),
            "interview slots": len(draft.slots),
            "offers": int(plan.reached(S.OFFER) is not None),
            "placements": int(plan.status is S.ACCEPTED),
        }
        for kind, number in counts.items():
            if number:
                (self.summary.present if exists else self.summary.created)[kind] += number
        if not exists:
            self.batch.append((profile, draft))
            self.writer.existing[(draft.posting.id, profile.id)] = -1

    # --- writing ------------------------------------------------------------------------

    def _write(self) -> None:
        if not self.batch:
            return
        rows = [self._application_row(profile, draft) for profile, draft in self.batch]
        ids = db.session.scalars(
            sa.insert(Application).returning(Application.id, sort_by_parameter_order=True), rows
        ).all()
        events, slots, offers, placements = [], [], [], []
        for application_id, (profile, draft) in zip(ids, self.batch, strict=True):
            self.writer.existing[(draft.posting.id, profile.id)] = application_id
            previous = None
            for step in draft.plan.steps:
                events.append(
                    {
                        "application_id": application_id,
                        "actor_id": profile.user_id if step.by_student else draft.recruiter,
                        "from_status": previous,
                        "to_status": step.status,
                        "message": step.message,
                        "created_at": step.at,
                    }
                )
                previous = step.status
            slots.extend(
                {
                    "application_id": application_id,
                    "starts_at": slot.starts_at,
                    "duration_minutes": slot.duration_minutes,
                    "location": slot.location,
                    "proposed_by_id": draft.recruiter,
                    "chosen_at": slot.chosen_at,
                }
                for slot in draft.slots
            )
            self._offer_rows(application_id, profile, draft, offers, placements)
        for model, batch in (
            (ApplicationEvent, events),
            (InterviewSlot, slots),
            (Offer, offers),
            (Placement, placements),
        ):
            if batch:
                db.session.execute(sa.insert(model), batch)
        self.batch.clear()

    def _application_row(self, profile, draft: Draft) -> dict:
        cv = self.writer.cvs[profile.id]
        plan = draft.plan
        interviewed, offered = plan.reached(S.INTERVIEW), plan.reached(S.OFFER)
        return {
            "posting_id": draft.posting.id,
            "profile_id": profile.id,
            "company_id": draft.posting.company_id,
            "status": plan.status,
            "cover_letter": draft.letter,
            "answers": draft.answers,
            "cv_title": cv.title,
            "cv_filename": cv.original_filename,
            "cv_size_bytes": cv.size_bytes,
            "cv_page_count": cv.page_count,
            "cv_sha256": cv.sha256,
            "cv_content": cv.content,
            "submitted_at": plan.submitted_at,
            "status_changed_at": plan.changed_at,
            "interviewed_at": interviewed.at if interviewed else None,
            "offered_at": offered.at if offered else None,
        }

    def _offer_rows(self, application_id, profile, draft: Draft, offers, placements) -> None:
        offered = draft.plan.reached(S.OFFER)
        if offered is None:
            return
        spec = draft.posting.spec
        start, end = _dates(draft)
        offers.append(
            {
                "application_id": application_id,
                "terms": offer_terms(spec, start),
                "pay_hkd": spec.pay_max,
                "start_date": start,
                "end_date": end,
                "respond_by": offered.at + timedelta(days=10),
                "made_by_id": draft.recruiter,
                "made_at": offered.at,
            }
        )
        accepted = draft.plan.reached(S.ACCEPTED)
        if accepted is None:
            return
        rng = random.Random(f"{RANDOM_SEED}:placement:{profile.user.email}:{spec.title}")
        completion, completed_on = completion_of(rng, start, end, self.today)
        supervisor_name, supervisor_email = draw_supervisor(rng, spec)
        placements.append(
            {
                "application_id": application_id,
                "profile_id": profile.id,
                "company_id": draft.posting.company_id,
                "posting_id": draft.posting.id,
                "kind": spec.kind,
                "placed_at": accepted.at,
                "start_date": start,
                "end_date": end,
                "confirmed_by_student_at": accepted.at,
                "completion": completion,
                "completed_on": completed_on,
                "supervisor_name": supervisor_name,
                "supervisor_email": supervisor_email,
                "created_at": accepted.at,
            }
        )


def _dates(draft: Draft) -> tuple[date, date | None]:
    """The offer's start and end: the posting's start (or the month after the offer) and
    its duration."""
    spec = draft.posting.spec
    start = start_after(spec.start_date, draft.plan.reached(S.OFFER).at.date())
    end = None
    if spec.duration_weeks:
        end = start + timedelta(weeks=spec.duration_weeks) - timedelta(days=1)
    return start, end
