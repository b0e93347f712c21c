"""Feedback after the demo's programmes: in the days after a programme's last session,
about half of the students checked in at it rate it through the same service the form
calls, a few with a comment (in English or Chinese, as students write), and now and then
one changes their rating a few days later. Each programme draws from its own random
stream, so adding this story moved nothing else in the demo."""

from __future__ import annotations

import contextlib
import random
from datetime import timedelta

import sqlalchemy as sa

from foundry.db import utcnow
from foundry.demo.agenda import Agenda, days
from foundry.errors import DomainError
from foundry.extensions import db
from foundry.programmes.attended import attendee_of
from foundry.programmes.checkin_models import Attendance
from foundry.programmes.feedback import give_feedback
from foundry.programmes.models import Programme, ProgrammeSession, ProgrammeStatus, Registration
from foundry.students.models import StudentProfile

ANSWER_RATE = 0.5  # of those who attended
COMMENT_RATE = 0.45  # of those who answer
CHANGE_RATE = 0.08  # of those who answer: they come back and change their rating
RATINGS, WEIGHTS = (5, 4, 3, 2, 1), (34, 41, 17, 6, 2)
COMMENTS = {
    5: [
        "The mock interviews were the most useful hour of my term. Please run it again.",
        "Met two startups I had never heard of and got an interview the week after.",
        "講者分享了很多實際的求職經驗，非常實用！",
        "Clear, practical and the speakers stayed to answer every question.",
    ],
    4: [
        "Good session; the CV clinic could have had more mentors, the queue was long.",
        "很有啟發性，希望下次有更多時間小組討論。",
        "Useful overview of the park's companies. Slides afterwards would help.",
        "Well organised. The room was a bit small for the number of people.",
    ],
    3: [
        "Some parts were too basic for PG students.",
        "內容不錯，但時間太短，問答環節不夠。",
        "Interesting, but I expected more about roles open to non-local graduates.",
    ],
    2: [
        "Hard to hear at the back, and it started 20 minutes late.",
        "太多公司介紹，實際技巧太少。",
    ],
    1: ["The session was mostly a sales pitch."],
}


def feedback(agenda: Agenda, programme: Programme) -> None:
    """Once the programme's last session has ended, its attendees are asked."""
    if not programme.sessions:
        return
    last_end = max(session.ends_at for session in programme.sessions)
    rng = random.Random(f"feedback {programme.title_en} {last_end:%Y%m%d}")
    agenda.at(last_end + timedelta(hours=1), lambda: _ask(agenda, programme, rng))


def _attendees(programme: Programme) -> list[StudentProfile]:
    return list(
        db.session.scalars(
            sa.select(StudentProfile)
            .where(
                StudentProfile.id.in_(
                    sa.select(Registration.profile_id)
                    .join(Attendance, Attendance.registration_id == Registration.id)
                    .join(ProgrammeSession, ProgrammeSession.id == Registration.session_id)
                    .where(ProgrammeSession.programme_id == programme.id)
                )
            )
            .order_by(StudentProfile.id)
        )
    )


def _ask(agenda: Agenda, programme: Programme, rng: random.Random) -> None:
    if programme.status is ProgrammeStatus.CANCELLED:
        return
    for profile in _attendees(programme):
        if rng.random() >= ANSWER_RATE:
            continue
        rating = rng.choices(RATINGS, WEIGHTS)[0]
        comment = rng.choice(COMMENTS[rating]) if rng.random() < COMMENT_RATE else None
        moment = utcnow() + days(rng.uniform(0.2, 12))
        agenda.at(moment, lambda p=profile, r=rating, c=comment: _answer(programme, p, r, c))
        if rng.random() < CHANGE_RATE:
            again = min(5, rating + 1)
            agenda.at(
                moment + days(rng.uniform(1, 5)),
                lambda p=profile, r=again, c=comment: _answer(programme, p, r, c),
            )


def _answer(programme: Programme, profile: StudentProfile, rating: int, comment: str | None):
    attendee = attendee_of(profile, programme, utcnow())
    with contextlib.suppress(DomainError):  # closed, or the attendance was withdrawn
        give_feedback(profile.user, attendee, rating, comment)
