"""What happens around the demo's programmes once they are announced: at a career day or
fair, companies ask for booths and the park approves them with their numbers, they feature
open roles and offer 1:1 interview slots that students book; on the day, students are
checked in, representatives record whom they met and students drop their CVs. Every
programme that has taken place has its attendance. All through the services, at the
moments they happen (foundry/demo/story_programmes.py puts them on the agenda).
"""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from foundry.db import utcnow
from foundry.demo.agenda import Agenda, days
from foundry.demo.story_applications import Applicant, Market, Story
from foundry.demo.story_postings import PostingPlan
from foundry.errors import DomainError
from foundry.extensions import db
from foundry.postings.models import Posting, PostingStatus
from foundry.programmes.checkin import Scan, check_in
from foundry.programmes.checkin_models import Attendance, CheckInMethod
from foundry.programmes.fairs.booths import decide_booth, feature_postings, request_booth
from foundry.programmes.fairs.meetings import drop_cv, record_meeting
from foundry.programmes.fairs.models import FairExhibitor, FairSlot, SlotKind
from foundry.programmes.fairs.slots import SlotData, add_slot, book_slot
from foundry.programmes.models import Programme, ProgrammeSession, Registration, RegistrationStatus
from foundry.students.models import StudentProfile


@dataclass
class Hiring:
    """The market the demo's applications are played in, and the posting plans by posting:
    a student who met a company at a fair may apply to a role it featured there."""

    market: Market
    plans: list[PostingPlan]
    applicants: dict[int, Applicant] = field(default_factory=dict)  # by profile id
    _plans_by_posting: dict[int, PostingPlan] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.applicants = {a.profile.id: a for a in self.market.applicants}

    def plan_of(self, posting_id: int) -> PostingPlan | None:
        # Plans gain their posting as the agenda publishes it: index again on a miss.
        if posting_id not in self._plans_by_posting:
            self._plans_by_posting = {p.posting.id: p for p in self.plans if p.posting}
        return self._plans_by_posting.get(posting_id)


EXHIBITORS = 12
APPLY_AFTER_MEETING = 0.5
SLOTS_PER_BOOTH = 4
SHOW_RATE = 0.8  # of those holding a seat
NOTES = (
    "Strong Python; ask about the summer internship.",
    "Has shipped a computer-vision project end to end.",
    "Interested in embedded work; send the hardware role.",
    "Good questions about our model evaluation.",
)


def fair(agenda: Agenda, organisers, programme: Programme, opens, rng, hiring=None) -> None:
    """Put the fair's booths, slots, bookings and the day itself on the agenda."""
    members = organisers.company_members
    first = programme.sessions[0]

    def ask() -> None:
        """The companies with the most roles open now ask for a booth."""
        open_roles = dict(
            db.session.execute(
                sa.select(Posting.company_id, sa.func.count())
                .where(Posting.status == PostingStatus.PUBLISHED, Posting.deadline > utcnow())
                .group_by(Posting.company_id)
            ).all()
        )
        ranked = sorted(
            (slug for slug, member in members.items() if _company(member, slug).id in open_roles),
            key=lambda slug: (-open_roles[_company(members[slug], slug).id], slug),
        )
        for slug in ranked[:EXHIBITORS]:
            member = members[slug]
            with contextlib.suppress(DomainError):  # an unverified company may not ask
                request_booth(member, programme, _company(member, slug), [member.id])

    def approve() -> None:
        exhibitors = _exhibitors(programme)
        for number, exhibitor in enumerate(exhibitors, start=1):
            decide_booth(organisers.park_admin, exhibitor, approve=True, booth=f"A{number}")
            member = members[exhibitor.company.slug]
            roles = _open_roles(exhibitor.company_id)
            if roles:
                feature_postings(member, exhibitor, roles)
            for n in range(SLOTS_PER_BOOTH):
                starts = first.starts_at + timedelta(minutes=60 + 15 * n)
                add_slot(
                    member,
                    exhibitor,
                    SlotData(SlotKind.ONE_TO_ONE, starts, starts + timedelta(minutes=10)),
                )

    def book() -> None:
        slots = db.session.scalars(
            sa.select(FairSlot)
            .join(FairExhibitor, FairExhibitor.id == FairSlot.exhibitor_id)
            .where(FairExhibitor.programme_id == programme.id)
            .order_by(FairSlot.id)
        ).all()
        for profile in _seated(programme):
            if slots and rng.random() < 0.3:
                with contextlib.suppress(DomainError):  # taken meanwhile, or a clash
                    book_slot(profile.user, profile, rng.choice(slots))

    def the_day() -> None:
        exhibitors = _exhibitors(programme)
        for profile in _checked_in(programme):
            for exhibitor in rng.sample(exhibitors, min(len(exhibitors), rng.randint(0, 3))):
                member = members[exhibitor.company.slug]
                with contextlib.suppress(DomainError):
                    record_meeting(member, exhibitor, profile, rng.randint(2, 5), rng.choice(NOTES))
                if rng.random() < 0.5:
                    with contextlib.suppress(DomainError):  # no CV uploaded
                        drop_cv(profile.user, profile, exhibitor)

    agenda.at(opens + days(3), ask)
    agenda.at(opens + days(5), approve)
    agenda.at(first.starts_at - days(1), book)
    agenda.at(first.starts_at + timedelta(hours=3), the_day)


def _may_apply(hiring: Hiring, profile, exhibitor: FairExhibitor, rng) -> None:
    """After meeting a company, some students apply to a role it featured, within days;
    the company then answers as it answers every application (story_applications)."""
    if rng.random() >= APPLY_AFTER_MEETING:
        return
    applicant = hiring.applicants.get(profile.id)
    plan = hiring.plan_of(rng.choice(exhibitor.featured_postings).id)
    if applicant is None or plan is None:
        return
    story_rng = random.Random(f"{applicant.student.email}:fair:{plan.data.title}")
    Story(hiring.market, applicant, plan, story_rng).start(utcnow() + days(rng.uniform(1, 20)))


def attendance(agenda: Agenda, organiser, programme: Programme, rng) -> None:
    """Check in most of those holding a seat, in each session, soon after it starts."""
    for session in programme.sessions:
        agenda.at(
            session.starts_at + timedelta(minutes=20),
            lambda s=session: _check_in_session(organiser, s, rng),
        )


def _check_in_session(organiser, session: ProgrammeSession, rng) -> None:
    if session.programme.status.value != "published":
        return
    seats = db.session.scalars(
        sa.select(Registration.id)
        .where(
            Registration.session_id == session.id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
        .order_by(Registration.id)
    ).all()
    for registration_id in seats:
        if rng.random() < SHOW_RATE:
            with contextlib.suppress(DomainError):
                check_in(
                    organiser,
                    session,
                    Scan(CheckInMethod.LIST, registration_id=registration_id),
                )


def _company(member, slug):
    return next(m.company for m in member.memberships if m.company and m.company.slug == slug)


def _exhibitors(programme: Programme) -> list[FairExhibitor]:
    return list(
        db.session.scalars(
            sa.select(FairExhibitor)
            .where(FairExhibitor.programme_id == programme.id)
            .order_by(FairExhibitor.id)
        )
    )


def _open_roles(company_id: int) -> list[int]:
    """Up to five of the company's roles open for applications now."""
    return list(
        db.session.scalars(
            sa.select(Posting.id)
            .where(
                Posting.company_id == company_id,
                Posting.status == PostingStatus.PUBLISHED,
                Posting.deadline > utcnow(),
            )
            .order_by(Posting.id)
            .limit(5)
        )
    )


def _seated(programme: Programme) -> list[StudentProfile]:
    return list(
        db.session.scalars(
            sa.select(StudentProfile)
            .join(Registration, Registration.profile_id == StudentProfile.id)
            .join(ProgrammeSession, ProgrammeSession.id == Registration.session_id)
            .where(
                ProgrammeSession.programme_id == programme.id,
                Registration.status == RegistrationStatus.REGISTERED,
            )
            .order_by(StudentProfile.id)
            .distinct()
        )
    )


def _checked_in(programme: Programme) -> list[StudentProfile]:
    return list(
        db.session.scalars(
            sa.select(StudentProfile)
            .join(Registration, Registration.profile_id == StudentProfile.id)
            .join(Attendance, Attendance.registration_id == Registration.id)
            .join(ProgrammeSession, ProgrammeSession.id == Registration.session_id)
            .where(ProgrammeSession.programme_id == programme.id)
            .order_by(StudentProfile.id)
            .distinct()
        )
    )
