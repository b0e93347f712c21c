"""Applications and their histories as the app keeps them: the frozen CV and answers, one
event per move of the state machine (foundry/applications/states.py), interview slots,
offers, and a placement for each accepted offer.

Students apply while they study (graduating one to four years later), to postings they
may apply to (foundry/eligibility/rules.py, approvals included), between a posting's
publication and its deadline; some students apply a lot, many a little, and some postings
draw many more applicants than others. Applications to closed postings mostly ended
(rejected, accepted, declined, withdrawn); those to open postings are mostly under way.
The persona student's ~40 and the pipeline posting's 500 are made here too."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import timedelta
from types import SimpleNamespace

from bench.park import ANCHOR, personas
from bench.park.build import Build, log

# Where an application got to and how it ended (None: it is still there), in percent.
FINISHED = [
    (("submitted", None), 8),
    (("under_review", None), 5),
    (("submitted", "withdrawn"), 4),
    (("submitted", "rejected"), 12),
    (("under_review", "rejected"), 38),
    (("shortlisted", "rejected"), 12),
    (("shortlisted", "withdrawn"), 2),
    (("interview", "rejected"), 11),
    (("offer", "accepted"), 4.5),
    (("offer", "declined"), 3),
    (("offer", "withdrawn"), 0.5),
]
UNDER_WAY = [
    (("submitted", None), 30),
    (("under_review", None), 20),
    (("shortlisted", None), 10),
    (("interview", None), 8),
    (("offer", None), 3),
    (("under_review", "rejected"), 15),
    (("submitted", "withdrawn"), 3),
    (("interview", "rejected"), 5),
    (("offer", "accepted"), 4),
    (("offer", "declined"), 2),
]
PIPELINE = ["submitted", "under_review", "shortlisted", "interview", "offer"]
STUDENT_MOVES = {"withdrawn", "accepted", "declined"}
CHUNK = 50_000  # applications generated, then written, at a time
COLUMNS = SimpleNamespace(
    applications=(
        "id",
        "posting_id",
        "profile_id",
        "company_id",
        "status",
        "cover_letter",
        "answers",
        "cv_title",
        "cv_filename",
        "cv_size_bytes",
        "cv_page_count",
        "cv_sha256",
        "cv_content",
        "submitted_at",
        "status_changed_at",
        "interviewed_at",
        "offered_at",
    ),
    application_events=(
        "id",
        "application_id",
        "actor_id",
        "from_status",
        "to_status",
        "message",
        "created_at",
    ),
    interview_slots=(
        "id",
        "application_id",
        "starts_at",
        "duration_minutes",
        "location",
        "proposed_by_id",
        "chosen_at",
    ),
    offers=(
        "id",
        "application_id",
        "terms",
        "pay_hkd",
        "start_date",
        "end_date",
        "respond_by",
        "made_by_id",
        "made_at",
    ),
    placements=(
        "id",
        "application_id",
        "profile_id",
        "company_id",
        "posting_id",
        "start_date",
        "end_date",
        "confirmed_by_student_at",
        "created_at",
        "kind",
        "role_title",
        "source",
        "placed_at",
        "completion",
        "completed_on",
    ),
)


def eligible(posting, student) -> bool:
    """foundry.eligibility.rules.application_blockers() on the generator's rows."""
    rule = posting.rule
    university, faculty = student.university_id, student.faculty_id
    level, graduation, non_local = student.level, student.graduation_year, student.non_local
    return not (
        (rule.universities is not None and university not in rule.universities)
        or (rule.faculties is not None and faculty not in rule.faculties)
        or (rule.levels is not None and level not in rule.levels)
        or (rule.grad_from is not None and graduation < rule.grad_from)
        or (rule.grad_to is not None and graduation > rule.grad_to)
        or (non_local and not rule.non_local)
        or (university in posting.approving and university not in posting.approved)
    )


class Writer:
    """Rows of one chunk, per table, with their ids."""

    def __init__(self, build: Build):
        self.build = build
        self.rows = defaultdict(list)
        self.written = defaultdict(int)

    def add(self, table: str, row: tuple) -> int:
        row_id = self.build.ids(table, 1)[0]
        self.rows[table].append((row_id, *row))
        return row_id

    def flush(self) -> None:
        for table, rows in self.rows.items():
            self.written[table] += self.build.copy(table, getattr(COLUMNS, table), rows, quiet=True)
        self.rows.clear()


def _history(rng, posting, submitted, outcome) -> list[tuple[str, object, bool]]:
    """(status, when, by the student) from submission to where the application is now."""
    reached, ended = outcome
    steps = PIPELINE[: PIPELINE.index(reached) + 1]
    if len(steps) > 2 and rng.random() < 0.2:  # a recruiter may shortlist straight away
        steps.remove("under_review")
    moves = [(status, rng.uniform(2, 12)) for status in steps[1:]]
    if ended:
        moves.append((ended, rng.uniform(1, 10)))
    # Squeezed into the time left before ANCHOR (applications to open postings).
    room = (ANCHOR - submitted).total_seconds() / 86_400 * 0.95
    total = sum(days for _status, days in moves) or 1
    factor = min(1.0, room / total)
    history, moment = [("submitted", submitted, True)], submitted
    for status, days in moves:
        moment = moment + timedelta(days=days * factor)
        history.append((status, moment, status in STUDENT_MOVES))
    return history


def write_application(writer: Writer, rng, posting, student, submitted, outcome) -> None:
    profile_id, user_id, *_rest, cv = student
    history = _history(rng, posting, submitted, outcome)
    interviewed = next((at for status, at, _s in history if status == "interview"), None)
    offered = next((at for status, at, _s in history if status == "offer"), None)
    answers = [
        {
            "question": prompt,
            "answer": "Because I want to learn from your team.",
            "required": required,
        }
        for prompt, required in posting.questions
    ]
    status, changed, _by_student = history[-1]
    letter = (
        "" if rng.random() < 0.6 else f"Dear hiring team, I would like to join {posting.title}."
    )
    application_id = writer.add(
        "applications",
        (
            posting.id,
            profile_id,
            posting.company_id,
            status,
            letter,
            json.dumps(answers),
            cv.title,
            cv.filename,
            cv.size,
            cv.pages,
            cv.sha256,
            cv.content,
            submitted,
            changed,
            interviewed,
            offered,
        ),
    )
    recruiter = rng.choice(posting.members)
    previous = None
    for to_status, at, by_student in history:
        writer.add(
            "application_events",
            (application_id, user_id if by_student else recruiter, previous, to_status, None, at),
        )
        previous = to_status
    if interviewed is not None:
        chosen = rng.randrange(2)
        for n in range(2):
            starts = (interviewed + timedelta(days=3 + 2 * n)).replace(hour=2 + 4 * n, minute=0)
            writer.add(
                "interview_slots",
                (
                    application_id,
                    starts,
                    45,
                    "Video call" if n else "Hong Kong Science Park",
                    recruiter,
                    interviewed + timedelta(days=1) if n == chosen else None,
                ),
            )
    if offered is not None:
        start = max(posting.starts, (offered + timedelta(days=30)).date())
        end = start + timedelta(weeks=posting.weeks)
        writer.add(
            "offers",
            (
                application_id,
                "We are happy to offer you the role.",
                posting.pay,
                start,
                end,
                offered + timedelta(days=7),
                recruiter,
                offered,
            ),
        )
        if status == "accepted":
            done = end < ANCHOR.date()
            writer.add(
                "placements",
                (
                    application_id,
                    profile_id,
                    posting.company_id,
                    posting.id,
                    start,
                    end,
                    changed + timedelta(days=1),
                    changed,
                    posting.kind,
                    posting.title,
                    "portal",
                    changed,
                    "completed" if done else "ongoing",
                    end if done else None,
                ),
            )


def fill(build: Build) -> None:
    rng = build.rng("applications")
    people, postings = build.made.people, build.made.postings
    writer = Writer(build)
    taken: set[tuple[int, int]] = set()
    _persona_and_pipeline(build, writer, rng, taken)
    by_year = defaultdict(list)
    for student in people.students:
        by_year[student.graduation_year].append(student)
    drawn = [p for p in postings.all if p is not postings.pipeline]
    weights = [p.weight for p in drawn]
    target = build.scale.applications - len(taken)
    made = 0
    while made < target:
        for posting in rng.choices(drawn, weights, k=min(CHUNK, target - made)):
            submitted = posting.published + (posting.ends - posting.published) * rng.random()
            academic = submitted.year if submitted.month >= 9 else submitted.year - 1
            for _attempt in range(6):
                group = by_year.get(academic + rng.choice((1, 1, 1, 2, 2, 3, 4)))
                if not group:
                    continue
                student = group[int(len(group) * rng.random() ** 1.6)]
                if (posting.id, student.profile_id) not in taken and eligible(posting, student):
                    break
            else:
                continue  # nobody could apply: draw another posting
            taken.add((posting.id, student.profile_id))
            outcome = _outcome(rng, FINISHED if not posting.open else UNDER_WAY)
            write_application(writer, rng, posting, student, submitted, outcome)
            made += 1
        writer.flush()
        log(f"    {len(taken):,} applications so far")
    build.made.applications = SimpleNamespace(taken=taken)
    log("  " + ", ".join(f"{table} {count:,}" for table, count in writer.written.items()))


def _outcome(rng, table):
    return rng.choices([o for o, _w in table], [w for _o, w in table])[0]


def _persona_and_pipeline(build: Build, writer: Writer, rng, taken: set) -> None:
    """The persona student's applications (every kind of outcome, some open postings
    among them) and the pipeline posting's 500 applicants at every stage."""
    people, postings = build.made.people, build.made.postings
    student = people.persona_student
    outcomes = [o for o, _w in UNDER_WAY + FINISHED]
    candidates = [
        p
        for p in postings.all
        if p is not postings.pipeline and eligible(p, student) and p.published.year >= 2023
    ]
    chosen = rng.sample(candidates, min(40, len(candidates)))
    for n, posting in enumerate(chosen):
        table = UNDER_WAY if posting.open else FINISHED
        outcome = outcomes[n % len(outcomes)] if n < len(outcomes) else _outcome(rng, table)
        if not posting.open and outcome[1] is None and rng.random() < 0.7:
            outcome = _outcome(rng, FINISHED)
        submitted = posting.published + (posting.ends - posting.published) * rng.random()
        write_application(writer, rng, posting, student, submitted, outcome)
        taken.add((posting.id, student.profile_id))
    pipeline = postings.pipeline
    applicants = [
        s for s in people.students if eligible(pipeline, s) and s.graduation_year >= ANCHOR.year
    ]
    if len(applicants) < personas.PIPELINE_APPLICATIONS:
        raise RuntimeError(f"only {len(applicants)} students could apply to the pipeline")
    for student in rng.sample(applicants, personas.PIPELINE_APPLICATIONS):
        submitted = pipeline.published + (pipeline.ends - pipeline.published) * rng.random()
        write_application(writer, rng, pipeline, student, submitted, _outcome(rng, UNDER_WAY))
        taken.add((pipeline.id, student.profile_id))
    writer.flush()
