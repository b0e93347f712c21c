"""Plans the demo's applications, without a database: which status each reaches, the moves
that got it there (only moves the state machine allows, each by the side that may make
it), when each happened, what was said, the interview times and the offer's terms.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from foundry.applications.models import ApplicationStatus as S
from foundry.applications.states import STUDENT_MOVES, Mover, can_move
from foundry.demo.data_postings import ANSWERS, COVER_LETTER_BODIES, COVER_LETTER_OPENINGS
from foundry.demo.marketplace_postings import PostingSpec
from foundry.demo.people import draw_name, draw_origin
from foundry.placements.models import PlacementCompletion
from foundry.postings.models import PostingKind, PostingStatus

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
PIPELINE = (S.SUBMITTED, S.UNDER_REVIEW, S.SHORTLISTED, S.INTERVIEW, S.OFFER)

# Where applications stand: on postings still taking them most are early in the pipeline;
# on closed ones most have been decided. About one in eight reaches an interview and one in
# twenty an offer, as on a busy job board.
WEIGHTS_WHILE_OPEN = {
    S.SUBMITTED: 68, S.UNDER_REVIEW: 52, S.SHORTLISTED: 18, S.INTERVIEW: 12, S.OFFER: 4,
    S.ACCEPTED: 3, S.DECLINED: 1, S.REJECTED: 31, S.WITHDRAWN: 10,
}  # fmt: skip
WEIGHTS_AFTER_CLOSING = {
    S.SUBMITTED: 4, S.UNDER_REVIEW: 12, S.SHORTLISTED: 7, S.INTERVIEW: 4, S.OFFER: 1,
    S.ACCEPTED: 5, S.DECLINED: 1, S.REJECTED: 58, S.WITHDRAWN: 8,
}  # fmt: skip
# The last open state before a rejection or a withdrawal.
REJECTED_AFTER = (35, 45, 12, 8)  # submitted, under review, shortlisted, interview
WITHDRAWN_AFTER = (35, 35, 15, 10, 5)  # ... and offer

COMPANY_MESSAGES: dict[S, tuple[str | None, ...]] = {
    S.UNDER_REVIEW: (None, None, "Thanks for applying, we are reading your CV this week."),
    S.SHORTLISTED: (None, "You are on our shortlist. We will be in touch about next steps."),
    S.INTERVIEW: (
        "We would like to meet you. Please pick one of the times we proposed.",
        "Please choose an interview time; it takes about 45 minutes.",
    ),
    S.OFFER: (
        "We are delighted to offer you the role. The terms are attached to this offer.",
        "Congratulations! Please read the offer and reply by the date shown.",
    ),
    S.REJECTED: (
        "Thank you for your interest. We have decided to go ahead with other candidates "
        "this time, and we wish you every success.",
        "Thank you for applying. The role has been filled, but we would be glad to see "
        "your application for future openings.",
        None,
    ),
}
STUDENT_MESSAGES: dict[S, tuple[str | None, ...]] = {
    S.ACCEPTED: ("Thank you, I am happy to accept.", None),
    S.DECLINED: ("Thank you for the offer; I have decided to accept another role.", None),
    S.WITHDRAWN: ("I have accepted another offer.", "My plans for the summer changed.", None),
}
INTERVIEW_PLACES = (
    "Hong Kong Science Park, Building 19W, meeting room 3",
    "Video call: the link comes by e-mail the day before",
    "InnoCentre, 72 Tat Chee Avenue, room 204",
)


@dataclass(frozen=True)
class Step:
    status: S
    at: datetime
    by_student: bool
    message: str | None


@dataclass(frozen=True)
class ApplicationPlan:
    steps: tuple[Step, ...]

    @property
    def status(self) -> S:
        return self.steps[-1].status

    @property
    def submitted_at(self) -> datetime:
        return self.steps[0].at

    @property
    def changed_at(self) -> datetime:
        return self.steps[-1].at

    def reached(self, status: S) -> Step | None:
        return next((step for step in self.steps if step.status is status), None)

    def after(self, status: S) -> Step | None:
        """The step that followed `status`, if the application moved on from it."""
        for current, following in zip(self.steps, self.steps[1:], strict=False):
            if current.status is status:
                return following
        return None


def draw_status(rng: random.Random, still_open: bool) -> S:
    weights = WEIGHTS_WHILE_OPEN if still_open else WEIGHTS_AFTER_CLOSING
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def path_to(rng: random.Random, target: S) -> list[S]:
    """A path of allowed moves from submitted to `target`, sometimes skipping steps."""
    if target in PIPELINE:
        end = PIPELINE.index(target)
        middle = [
            status
            for status in PIPELINE[1:end]
            if rng.random() < (0.9 if status is S.INTERVIEW else 0.75)
        ]
        return [S.SUBMITTED, *middle, *([target] if end else [])]
    if target in (S.ACCEPTED, S.DECLINED):
        return [*path_to(rng, S.OFFER), target]
    if target is S.REJECTED:
        last = rng.choices(PIPELINE[:4], weights=REJECTED_AFTER)[0]
    else:
        last = rng.choices(PIPELINE, weights=WITHDRAWN_AFTER)[0]
    return [*path_to(rng, last), target]


def plan_application(
    rng: random.Random,
    target: S,
    opens_at: datetime,
    last_submission: datetime,
    now: datetime,
) -> ApplicationPlan:
    """Moves to `target` spaced over days, submitted between `opens_at` and
    `last_submission` and all of it before `now`."""
    path = path_to(rng, target)
    gaps = [timedelta(hours=rng.randint(18, 160)) for _ in path[1:]]
    total = sum(gaps, timedelta())
    room = (now - opens_at) * 0.9
    if total > room:
        gaps = [gap * (room / total) for gap in gaps]
        total = sum(gaps, timedelta())
    latest = max(opens_at, min(last_submission, now - total))
    at = opens_at + (latest - opens_at) * rng.random()
    steps = [Step(S.SUBMITTED, at, True, None)]
    for previous, status, gap in zip(path[:-1], path[1:], gaps, strict=True):
        at = at + gap
        by_student = status in STUDENT_MOVES.get(previous, ())
        mover = Mover.STUDENT if by_student else Mover.COMPANY
        if not can_move(previous, status, mover):  # a programming error in path_to
            raise ValueError(f"{previous} -> {status} is not an allowed move")
        messages = (STUDENT_MESSAGES if by_student else COMPANY_MESSAGES).get(status, (None,))
        steps.append(Step(status, at, by_student, rng.choice(messages)))
    return ApplicationPlan(tuple(steps))


def interview_times(rng: random.Random, plan: ApplicationPlan, now: datetime) -> list[datetime]:
    """Times the company proposed: for an interview still ahead, two or three during office
    hours of the coming days; for one that happened, the one time it took place."""
    invited = plan.reached(S.INTERVIEW)
    if invited is None:
        return []
    following = plan.after(S.INTERVIEW)
    if following is not None:
        return [invited.at + (following.at - invited.at) / 2]
    first_day = (now + timedelta(days=2)).astimezone(HONG_KONG).date()
    times = []
    for day in sorted(rng.sample(range(8), rng.randint(2, 3))):
        local = datetime.combine(
            first_day + timedelta(days=day),
            rng.choice((time(10), time(14, 30), time(16))),
            tzinfo=HONG_KONG,
        )
        times.append(local.astimezone(now.tzinfo))
    return times


def _cover_letter(rng: random.Random, title: str, company: str) -> str:
    opening = rng.choice(COVER_LETTER_OPENINGS).format(title=title, company=company)
    return f"{opening}\n\n{rng.choice(COVER_LETTER_BODIES)}"


@dataclass
class SeededPosting:
    """A posting as drawn, with the id of its row."""

    spec: PostingSpec
    id: int
    company_id: int
    university_ids: frozenset[int]
    faculty_ids: frozenset[int]

    def still_open(self, now: datetime) -> bool:
        return self.spec.status is PostingStatus.PUBLISHED and self.spec.deadline > now

    def submission_window(self, now: datetime) -> tuple[datetime, datetime] | None:
        """When students could apply: from publication to the deadline or closing."""
        spec = self.spec
        if spec.published_at is None:
            return None
        last = min(spec.deadline, spec.closed_at or spec.deadline, now) - timedelta(hours=1)
        opens = spec.published_at + timedelta(hours=2)
        return (opens, last) if last > opens else None


@dataclass(frozen=True)
class SlotDraft:
    starts_at: datetime
    duration_minutes: int
    location: str
    chosen_at: datetime | None


@dataclass(frozen=True)
class Draft:
    """One application as drawn, before anything is written."""

    posting: SeededPosting
    plan: ApplicationPlan
    letter: str
    answers: list[dict]
    recruiter: int | None
    slots: tuple[SlotDraft, ...]


def draft_application(
    rng: random.Random,
    posting: SeededPosting,
    status: S,
    staff: list[int] | None,
    now: datetime,
) -> Draft:
    """Everything about one application, drawn before anything is looked up or written."""
    opens, last = posting.submission_window(now)
    plan = plan_application(rng, status, opens, last, now)
    return dress(rng, posting, plan, staff, now)


def dress(
    rng: random.Random,
    posting: SeededPosting,
    plan: ApplicationPlan,
    staff: list[int] | None,
    now: datetime,
) -> Draft:
    """The letter, answers, recruiter and interview times that go with a planned history."""
    letter = _cover_letter(rng, posting.spec.title, posting.spec.company_name)
    answers = [
        {"question": prompt, "answer": rng.choice(ANSWERS), "required": required}
        for prompt, required in posting.spec.questions
    ]
    recruiter = staff[rng.randrange(len(staff))] if staff else None
    return Draft(posting, plan, letter, answers, recruiter, _slots(rng, plan, now))


def _slots(rng: random.Random, plan: ApplicationPlan, now: datetime) -> tuple[SlotDraft, ...]:
    """The proposed interview times; one is chosen if the student picked (or the
    application moved on, so the interview took place)."""
    times = interview_times(rng, plan, now)
    if not times:
        return ()
    invited = plan.reached(S.INTERVIEW)
    moved_on = plan.after(S.INTERVIEW) is not None
    chosen = 0 if moved_on else (rng.randrange(len(times)) if rng.random() < 0.5 else None)
    picked_at = min(now, invited.at + timedelta(hours=rng.randint(2, 30)))
    return tuple(
        SlotDraft(
            starts_at,
            rng.choice((30, 45, 60)),
            rng.choice(INTERVIEW_PLACES),
            picked_at if index == chosen else None,
        )
        for index, starts_at in enumerate(times)
    )


def start_after(planned: date | None, offered_on: date) -> date:
    """The posting's start date, or the first of a month after the offer if that has passed."""
    if planned and planned > offered_on:
        return planned
    month = offered_on.month % 12 + 1
    return date(offered_on.year + (offered_on.month == 12), month, 1)


def offer_terms(spec: PostingSpec, start: date) -> str:
    lines = [f"Role: {spec.title}", f"Start: {start:%d %B %Y}"]
    if spec.duration_weeks:
        lines.append(f"Duration: {spec.duration_weeks} weeks")
    if spec.pay_max:
        lines.append(f"Pay: HKD {spec.pay_max:,} per {spec.pay_period.value}")
    lines.append(f"Place of work: {spec.location} ({spec.work_mode.value.replace('_', ' ')})")
    return "\n".join(lines)


SUPERVISED_SHARE = 0.75  # internships whose supervisor the placement office knows
ENDED_EARLY_SHARE = 0.04


def draw_supervisor(rng: random.Random, spec: PostingSpec) -> tuple[str | None, str | None]:
    """The name and e-mail of the intern's supervisor at the company, when known."""
    if spec.kind is PostingKind.GRADUATE_ROLE or rng.random() >= SUPERVISED_SHARE:
        return None, None
    name = draw_name(rng, draw_origin(rng))
    return name.display, f"{name.email_local_part}@{spec.company_slug}.example.hk"


def completion_of(
    rng: random.Random, start: date, end: date | None, today: date
) -> tuple[PlacementCompletion, date | None]:
    """A placement that has ended was completed (now and then ended early); others run on."""
    if end is None or end >= today:
        return PlacementCompletion.ONGOING, None
    if rng.random() < ENDED_EARLY_SHARE:
        return PlacementCompletion.ENDED_EARLY, start + (end - start) / 2
    return PlacementCompletion.COMPLETED, end
