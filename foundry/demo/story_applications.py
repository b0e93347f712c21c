"""Students find postings and apply; recruiters answer through the pipeline.

When a posting goes live (for HKU's students: when HKU approves it), some students for
whom it suits their stage sign in and apply before the deadline, with their CV and answers.
Recruiters of the posting's company review, shortlist or reject, propose interview times
(the student picks one), make offers; the student accepts one offer a year (which records
the placement) and declines the rest; a few withdraw. Placements that have ended are marked
completed by the faculty's placement officer. Each step is the service the routes call.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from foundry import clock
from foundry.accounts.models import User
from foundry.accounts.services import sign_in
from foundry.applications.interviews import SlotProposal, choose_slot, propose_slots
from foundry.applications.models import Application
from foundry.applications.models import ApplicationStatus as S
from foundry.applications.offers import OfferTerms, accept_offer, decline_offer, make_offer
from foundry.applications.services import (
    CannotApply,
    Submission,
    move,
    submit_application,
    withdraw,
)
from foundry.demo import reference as ref
from foundry.demo.agenda import Agenda, academic_year, at_hong_kong, days
from foundry.demo.cast import Student
from foundry.demo.story_postings import PostingPlan
from foundry.placements.models import PlacementCompletion
from foundry.placements.services import set_completion
from foundry.postings.models import PostingKind as K
from foundry.reports.periods import hong_kong_today
from foundry.students.models import StudentProfile
from foundry.universities.models import StudyLevel

COVER_LETTER = "Dear hiring team,\n\nI would love to join {company} as {title}: {headline}.\n"
ANSWER = "A final-year project with a team of four; I built the data pipeline and the tests."
INTERVIEW_PLACE = "Hong Kong Science Park, Building 17W, meeting room 2"
SHARES = {"withdraw": 0.06, "review": 0.8, "shortlist": 0.26, "interview": 0.55, "offer": 0.25}


@dataclass
class Applicant:
    student: Student
    user: User
    profile: StudentProfile
    officer: User  # the faculty's placement officer
    placed_years: set[int] = field(default_factory=set)
    applied_years: set[int] = field(default_factory=set)
    settled: bool = False  # a graduate whose first destination is known applies no more

    def sign_in(self) -> None:
        """The student signs in through their university's sign-in."""
        sign_in(self.user, f"sso:{self.student.university}")


@dataclass
class Market:
    """Everyone who may apply, and the interview times each recruiter has given out."""

    agenda: Agenda
    applicants: list[Applicant]
    scale: float
    booked: dict[int, set[datetime]] = field(default_factory=dict)

    def stage(self, applicant: Applicant, year: int) -> str | None:
        """Where the student stands in academic year `year`: studying, final, graduate."""
        s = applicant.student
        if s.first_year <= year < s.graduation_year - 1:
            return "studying"
        if year == s.graduation_year - 1:
            return "final"
        return "graduate" if year == s.graduation_year else None

    def suits(self, applicant: Applicant, kind: K, year: int) -> bool:
        stage, level = self.stage(applicant, year), applicant.student.programme.level
        if kind is K.GRADUATE_ROLE:
            return stage in ("final", "graduate")
        if kind is K.RESEARCH_ASSISTANT:
            return stage in ("studying", "final") and level is not StudyLevel.UG
        return stage in ("studying", "final") and level is not StudyLevel.PHD

    def on_published(self, plan: PostingPlan, approved_by: int | None = None) -> None:
        """Students hear of the posting and some of them apply before the deadline."""
        rng = random.Random(f"{plan.data.title}:{plan.company.slug}:{approved_by is None}")
        year = academic_year()
        pool = [
            a
            for a in self.applicants
            if self.suits(a, plan.data.kind, year)
            and not a.settled
            and (a.profile.university.posting_approval_required == (approved_by is not None))
        ]
        wanted = round(ref.kinds()[plan.data.kind].applicants * self.scale * rng.uniform(0.5, 1.5))
        weights = [a.student.strength + 0.5 for a in pool]
        chosen = {id(a): a for a in rng.choices(pool, weights=weights, k=wanted)} if pool else {}
        window = (plan.deadline - clock.now()).total_seconds() / 86400 - 1
        for applicant in chosen.values():
            when = clock.now() + days(rng.uniform(0.2, max(window, 0.3)))
            story_rng = random.Random(f"{applicant.student.email}:{plan.data.title}")
            Story(self, applicant, plan, story_rng).start(when)


class Story:
    """One application's life: the student applies, the company answers."""

    def __init__(
        self, market, applicant: Applicant, plan: PostingPlan, rng, scripted=False
    ) -> None:
        self.market, self.applicant, self.plan, self.rng = market, applicant, plan, rng
        self.scripted = scripted  # the moves are given: none drawn
        self.agenda = market.agenda
        self.application: Application | None = None
        self.strength = applicant.student.strength

    def later(self, low: float, high: float, step) -> None:
        self.agenda.after(self.rng.uniform(low, high), step)

    def start(self, when: datetime) -> None:
        self.agenda.at(when - timedelta(minutes=self.rng.randint(5, 40)), self.applicant.sign_in)
        self.agenda.at(when, self.apply)

    def apply(self) -> None:
        posting, profile = self.plan.posting, self.applicant.profile
        if self.applicant.settled:
            return
        if not self.scripted and not self.market.suits(
            self.applicant, self.plan.data.kind, academic_year()
        ):
            return  # they graduated since the posting went up
        letter = COVER_LETTER.format(
            company=posting.company.name, title=posting.title, headline=profile.headline
        )
        answers = {q.id: ANSWER for q in posting.questions}
        submission = Submission(profile.cvs[0].id, None, letter, answers)
        try:
            user = self.applicant.user
            self.application = submit_application(user, profile, posting, submission)
        except CannotApply:  # ineligible, not approved by their university, or applied already
            return
        self.applicant.applied_years.add(academic_year())
        if self.scripted:
            return
        if self.rng.random() < SHARES["withdraw"]:
            self.later(2, 30, self.withdraw)
        if self.rng.random() < SHARES["review"]:
            self.later(1, 8, self.review)

    def company_moves(self, frm: S, to: S) -> bool:
        if self.application.status is not frm:
            return False
        move(self.plan.writer, self.application, to)
        return True

    def withdraw(self) -> None:
        if self.application.status in (S.SUBMITTED, S.UNDER_REVIEW, S.SHORTLISTED):
            withdraw(self.applicant.user, self.application, "I have accepted another role.")

    def review(self) -> None:
        if not self.company_moves(S.SUBMITTED, S.UNDER_REVIEW):
            return
        if self.rng.random() < min(0.9, SHARES["shortlist"] * self.strength):
            self.later(2, 10, self.shortlist)
        elif self.rng.random() < 0.7:
            self.later(4, 25, lambda: self.company_moves(S.UNDER_REVIEW, S.REJECTED))

    def shortlist(self) -> None:
        if self.company_moves(S.UNDER_REVIEW, S.SHORTLISTED):
            self.later(1, 6, self.interview)

    def interview(self, force: bool = False) -> None:
        if self.application.status is not S.SHORTLISTED:
            return
        if not force and self.rng.random() > SHARES["interview"]:
            self.later(3, 12, lambda: self.company_moves(S.SHORTLISTED, S.REJECTED))
            return
        times = self._free_times(2)
        proposals = [SlotProposal(t, 45, INTERVIEW_PLACE) for t in times]
        slots = propose_slots(self.plan.writer, self.application, proposals, None)
        self.later(0.2, 1.5, lambda: self._choose(slots[self.rng.randrange(len(slots))].id))
        if not self.scripted:
            self.agenda.at(times[-1] + days(self.rng.uniform(2, 6)), self.decide)

    def _choose(self, slot_id: int) -> None:
        if self.application.status is S.INTERVIEW:
            choose_slot(self.applicant.user, self.application, slot_id)

    def _free_times(self, count: int) -> list[datetime]:
        """Times on the next working days the recruiter has not given out yet."""
        booked = self.market.booked.setdefault(self.plan.writer.id, set())
        day = hong_kong_today() + days(3)
        found: list[datetime] = []
        while len(found) < count:
            for minute in range(10 * 60, 17 * 60, 60):
                moment = at_hong_kong(day, minute // 60)
                if moment not in booked and len(found) < count and day.weekday() < 5:
                    booked.add(moment)
                    found.append(moment)
            day += days(1)
        return found

    def decide(self, force: bool = False) -> None:
        if self.application.status is not S.INTERVIEW:
            return
        if force or self.rng.random() < min(0.95, SHARES["offer"] * self.strength):
            today, data = hong_kong_today(), self.plan.data
            start, end = _term(data.kind, today, self.rng)
            terms = f"{data.title}: the role as advertised."
            offer = OfferTerms(terms, data.pay_max_hkd, start, end, today + days(7))
            make_offer(self.plan.writer, self.application, offer, None)
            if not self.scripted:
                self.later(1, 5, self.answer)
        else:
            self.later(1, 8, lambda: self.company_moves(S.INTERVIEW, S.REJECTED))

    def answer(self) -> None:
        if self.application.status is not S.OFFER:
            return
        year = academic_year()
        if year in self.applicant.placed_years or (not self.scripted and self.rng.random() < 0.12):
            decline_offer(self.applicant.user, self.application, "I have chosen another offer.")
            return
        self.applicant.placed_years.add(year)
        placement = accept_offer(self.applicant.user, self.application)
        if placement.end_date is not None:
            done = placement.end_date
            officer, completed = self.applicant.officer, PlacementCompletion.COMPLETED
            complete = partial(set_completion, officer, placement, completed, done, None)
            self.agenda.at(at_hong_kong(done + days(4), 10), complete)


def _term(kind: K, today: date, rng) -> tuple[date, date | None]:
    """When the role starts and ends: the next summer for a summer internship, at once for
    part-time work, the graduate's first job with no end."""
    if kind is K.SUMMER_INTERNSHIP:
        start = date(today.year if today.month < 6 else today.year + 1, 6, rng.randint(1, 20))
        return start, start + timedelta(weeks=10)
    if kind is K.GRADUATE_ROLE:
        summer = date(today.year if today.month < 7 else today.year + 1, 8, 1)
        return max(summer, today + days(30)), None
    weeks = {K.YEAR_LONG_PLACEMENT: 52, K.PART_TIME_INTERNSHIP: 12, K.RESEARCH_ASSISTANT: 26}
    start = today + days(rng.randint(14, 30))
    return start, start + timedelta(weeks=weeks[kind])
