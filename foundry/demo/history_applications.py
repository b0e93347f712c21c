"""Plans what each demo student applied for in past academic years, without a database.

A student applies in a year they were studying (or, for graduate roles, the year after
they graduated), more often and more widely in their final year, to kinds of role that
suit where they are in their studies. Each application goes as far as the student's
strength (and their faculty's) takes it: about a quarter are shortlisted, one in eight
interviewed, one in twenty offered. A student accepts at most one offer a year and
declines the others, then withdraws what is still open; placements follow from that.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from foundry.applications.models import ApplicationStatus as S
from foundry.applications.states import Mover, can_move
from foundry.demo.clock import academic_year_of
from foundry.demo.marketplace_applications import (
    COMPANY_MESSAGES,
    ApplicationPlan,
    Draft,
    SeededPosting,
    Step,
    dress,
)
from foundry.postings.models import PostingKind
from foundry.taxonomy import Theme
from foundry.universities.models import StudyLevel

K = PostingKind
PROGRAMME_YEARS = {StudyLevel.UG: 4, StudyLevel.PG: 2, StudyLevel.PHD: 5}

# Where a student is in their studies decides what they look for, how likely they are to
# apply at all that year, and to how many roles.
KINDS_BY_STAGE: dict[str, dict[PostingKind, int]] = {
    "final": {K.GRADUATE_ROLE: 8, K.PART_TIME_INTERNSHIP: 1},
    "penultimate": {K.SUMMER_INTERNSHIP: 5, K.YEAR_LONG_PLACEMENT: 4, K.PART_TIME_INTERNSHIP: 1},
    "middle": {K.SUMMER_INTERNSHIP: 4, K.YEAR_LONG_PLACEMENT: 2, K.PART_TIME_INTERNSHIP: 2},
    "first": {K.PART_TIME_INTERNSHIP: 3, K.SUMMER_INTERNSHIP: 1},
    "postgraduate": {K.SUMMER_INTERNSHIP: 4, K.PART_TIME_INTERNSHIP: 2, K.RESEARCH_ASSISTANT: 2},
    "doctoral": {K.SUMMER_INTERNSHIP: 2, K.RESEARCH_ASSISTANT: 2, K.PART_TIME_INTERNSHIP: 1},
    "graduate": {K.GRADUATE_ROLE: 1},
}
APPLY_SHARE = {
    "final": 0.8, "penultimate": 0.7, "middle": 0.5, "first": 0.25,
    "postgraduate": 0.6, "doctoral": 0.35, "graduate": 0.5,
}  # fmt: skip
HOW_MANY = {
    "final": (4, 6, 8, 10, 12, 14, 16, 20, 24, 30),
    "penultimate": (3, 4, 6, 8, 10, 12, 15, 18),
    "middle": (1, 2, 3, 4, 5, 6, 8, 10),
    "first": (1, 1, 2, 3, 4),
    "postgraduate": (2, 4, 6, 8, 10, 12),
    "doctoral": (1, 2, 3, 4),
    "graduate": (2, 4, 6, 8, 10, 12),
}
# How keen each past year was (the earlier year had no recent graduates on the portal yet,
# so its students were a little more active).
YEAR_ACTIVITY = (1.05, 1.0)

# For a student of average strength; strong students (and faculties) are shortlisted and
# turn interviews into offers more often, so some of them collect several offers.
SHORTLIST_CHANCE = 0.25
INTERVIEW_AFTER_SHORTLIST = 0.48
OFFER_AFTER_INTERVIEW = 0.38
ACCEPT_FIRST_OFFER = 0.85
# How long each move took, in days.
GAPS = {
    S.UNDER_REVIEW: (1, 10),
    S.SHORTLISTED: (3, 14),
    S.INTERVIEW: (4, 14),
    S.OFFER: (3, 12),
    S.REJECTED: (3, 30),
    S.WITHDRAWN: (2, 25),
}
# How an application that got no offer ended: (rejected, withdrawn, left as it was).
ENDINGS = {
    S.SUBMITTED: (55, 15, 30),
    S.UNDER_REVIEW: (86, 7, 7),
    S.SHORTLISTED: (80, 14, 6),
    S.INTERVIEW: (85, 15, 0),
}
WITHDRAWALS = ("My plans changed.", "I have decided to focus on my final-year project.", None)
DECLINES = (
    "Thank you for the offer; I have decided to continue my studies.",
    "Thank you; the dates do not work for me after all.",
    None,
)
ACCEPTED_ELSEWHERE = "I have accepted another offer."
ACCEPTED_HERE = ("Thank you, I am happy to accept.", None)
DECLINED_FOR_ANOTHER = "Thank you for the offer; I have decided to accept another role."


@dataclass(frozen=True)
class PastStudent:
    """What the planner needs to know of a student."""

    profile_id: int
    level: StudyLevel
    graduation_year: int
    themes: frozenset[Theme]
    strength: float  # the faculty's, times the student's own


@dataclass
class _Open:
    """An application being planned: its moves so far, and how it ends."""

    posting: SeededPosting
    steps: list[Step]
    ending: Step | None = None

    @property
    def last(self) -> Step:
        return self.steps[-1]


@dataclass
class StudentHistory:
    drafts: list[Draft] = field(default_factory=list)
    placed_years: set[int] = field(default_factory=set)


def stage_of(level: StudyLevel, graduation_year: int, year: int) -> str | None:
    """Where a student graduating in `graduation_year` stood in the academic year `year`."""
    left = graduation_year - year
    if left == 0:
        return "graduate"
    if left < 1 or left > PROGRAMME_YEARS[level]:
        return None
    if left == 1:
        return "final"
    if level is StudyLevel.PG:
        return "postgraduate"
    if level is StudyLevel.PHD:
        return "doctoral"
    return {2: "penultimate", 3: "middle"}.get(left, "first")


def plan_student(
    seed: str,
    student: PastStudent,
    years: list[int],
    candidates_of: Callable[[int], list[SeededPosting]],
    staff_of: Callable[[int], list[int] | None],
    limit: datetime,
) -> StudentHistory:
    """Everything `student` applied for in `years`, every move before `limit`; each year's
    draws come from a generator seeded with `seed` and the year."""
    history = StudentHistory()
    settled = False  # took a graduate role or a year-long placement
    for index, year in enumerate(years):
        rng = random.Random(f"{seed}:{year}")  # a year's draws do not depend on the others
        stage = stage_of(student.level, student.graduation_year, year)
        activity = YEAR_ACTIVITY[min(index, len(YEAR_ACTIVITY) - 1)]
        if stage is None or settled or rng.random() > APPLY_SHARE[stage] * activity:
            continue
        kinds = KINDS_BY_STAGE[stage]
        candidates = [p for p in candidates_of(year) if p.spec.kind in kinds]
        if not candidates:
            continue
        weights = [
            kinds[p.spec.kind] * (4 if student.themes & set(p.spec.themes) else 1)
            for p in candidates
        ]
        wanted = rng.choice(HOW_MANY[stage])
        chosen: list[SeededPosting] = []
        for _attempt in range(wanted * 3):
            posting = rng.choices(candidates, weights=weights)[0]
            if posting not in chosen:
                chosen.append(posting)
            if len(chosen) == wanted:
                break
        opened = [_pipeline(rng, posting, student.strength, limit) for posting in chosen]
        accepted = _settle_offers(rng, opened, history.placed_years)
        if accepted is not None:  # no more of the same kind once one is accepted
            opened = [a for a in opened if a is accepted or not _same_kind_later(a, accepted)]
        _end_the_rest(rng, opened, accepted)
        for application in opened:
            plan = _fit_before(application, limit)
            staff = staff_of(application.posting.company_id)
            history.drafts.append(dress(rng, application.posting, plan, staff, limit))
        if accepted is not None and accepted.posting.spec.kind in (
            K.GRADUATE_ROLE,
            K.YEAR_LONG_PLACEMENT,
        ):
            settled = True
    return history


def _same_kind_later(application: _Open, accepted: _Open) -> bool:
    return (
        application.posting.spec.kind is accepted.posting.spec.kind
        and application.steps[0].at > accepted.ending.at
    )


def _pipeline(
    rng: random.Random, posting: SeededPosting, strength: float, limit: datetime
) -> _Open:
    """The company's moves up to the furthest stage the application reaches."""
    furthest = S.UNDER_REVIEW if rng.random() >= 0.12 else S.SUBMITTED
    if rng.random() < min(0.75, SHORTLIST_CHANCE * strength):
        furthest = S.SHORTLISTED
        if rng.random() < INTERVIEW_AFTER_SHORTLIST:
            furthest = S.INTERVIEW
            if rng.random() < min(0.9, OFFER_AFTER_INTERVIEW * strength**0.7):
                furthest = S.OFFER
    path = [S.UNDER_REVIEW, S.SHORTLISTED, S.INTERVIEW, S.OFFER]
    path = path[: path.index(furthest) + 1] if furthest is not S.SUBMITTED else []
    path = [s for s in path if s is furthest or s in (S.INTERVIEW,) or rng.random() < 0.85]
    opens, last = posting.submission_window(limit)
    at = opens + (last - opens) * rng.random()
    steps = [Step(S.SUBMITTED, at, True, None)]
    for status in path:
        at = at + _gap(rng, status)
        steps.append(Step(status, at, False, rng.choice(COMPANY_MESSAGES.get(status, (None,)))))
    return _Open(posting, steps)


def _gap(rng: random.Random, status: S) -> timedelta:
    low, high = GAPS[status]
    return timedelta(
        days=rng.randint(low, high), hours=rng.randint(0, 9), minutes=rng.randint(0, 59)
    )


def _settle_offers(rng: random.Random, opened: list[_Open], placed_years: set[int]) -> _Open | None:
    """The student accepts one offer (the first they like, at most one a year) and declines
    the others."""
    offers = sorted((a for a in opened if a.last.status is S.OFFER), key=lambda a: a.last.at)
    accepted: _Open | None = None
    for application in offers:
        answer_at = application.last.at + timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 9))
        year = academic_year_of(answer_at)
        if accepted is None and year not in placed_years and rng.random() < ACCEPT_FIRST_OFFER:
            application.ending = Step(S.ACCEPTED, answer_at, True, rng.choice(ACCEPTED_HERE))
            accepted = application
            placed_years.add(year)
        elif accepted is not None:
            at = max(answer_at, accepted.ending.at + timedelta(hours=rng.randint(2, 48)))
            application.ending = Step(S.DECLINED, at, True, DECLINED_FOR_ANOTHER)
        else:
            application.ending = Step(S.DECLINED, answer_at, True, rng.choice(DECLINES))
    return accepted


def _end_the_rest(rng: random.Random, opened: list[_Open], accepted: _Open | None) -> None:
    """Rejections and withdrawals; once the student has accepted an offer they withdraw
    what was still open."""
    for application in opened:
        if application.ending is not None:
            continue
        rejected, withdrawn, left = ENDINGS[application.last.status]
        ending = rng.choices((S.REJECTED, S.WITHDRAWN, None), weights=(rejected, withdrawn, left))[
            0
        ]
        if ending is not None:
            at = application.last.at + _gap(rng, ending)
            by_student = ending is S.WITHDRAWN
            messages = WITHDRAWALS if by_student else COMPANY_MESSAGES[S.REJECTED]
            application.ending = Step(ending, at, by_student, rng.choice(messages))
        if accepted is None or application.last.at >= accepted.ending.at:
            continue
        if application.ending is None or application.ending.at > accepted.ending.at:
            at = accepted.ending.at + timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 9))
            application.ending = Step(S.WITHDRAWN, at, True, ACCEPTED_ELSEWHERE)


def _fit_before(application: _Open, limit: datetime) -> ApplicationPlan:
    """The moves as a plan, squeezed (keeping their order) to end before `limit`."""
    steps = application.steps + ([application.ending] if application.ending else [])
    start, end = steps[0].at, steps[-1].at
    if end >= limit:
        scale = (limit - start) / (end - start) * 0.95
        steps = [
            Step(s.status, start + (s.at - start) * scale, s.by_student, s.message) for s in steps
        ]
    for previous, step in zip(steps, steps[1:], strict=False):
        mover = Mover.STUDENT if step.by_student else Mover.COMPANY
        if not can_move(previous.status, step.status, mover):  # a programming error
            raise ValueError(f"{previous.status} -> {step.status} is not an allowed move")
    return ApplicationPlan(tuple(steps))
