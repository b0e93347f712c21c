"""The event-to-hire funnel: each stage within the one before, the windows of 30 days to
apply and 90 to be placed, one company's funnel, the viewer's scope, and the figures the
park publishes; all in one statement whatever the event's size."""

from __future__ import annotations

from datetime import timedelta

import pytest

from foundry.db import utcnow
from foundry.extensions import db as _db
from foundry.programmes.checkin_models import Attendance, CheckInMethod
from foundry.programmes.fairs.models import (
    BoothMeeting,
    CVDrop,
    ExhibitorStatus,
    FairBooking,
    FairExhibitor,
    FairSlot,
    SlotKind,
    fair_featured_postings,
)
from foundry.programmes.funnel import (
    COMPANY_STAGES,
    STAGES,
    funnel,
    funnel_by_company,
    published_figures,
    stage_members,
)
from foundry.programmes.models import ProgrammeKind, RegistrationStatus
from tests import factories as f
from tests.factories import profile_of, student
from tests.placements.factories import portal_placement
from tests.programmes import factories as pf
from tests.statements import recorded_statements


@pytest.fixture
def event(world, db):
    """A career day held ten days ago, Alpha and Beta exhibiting (Gamma asked, declined)."""
    starts = utcnow() - timedelta(days=10)
    session = pf.SessionFactory(
        programme=pf.ProgrammeFactory(kind=ProgrammeKind.CAREER_DAY),
        starts_at=starts,
        ends_at=starts + timedelta(hours=7),
        capacity=100,
    )
    booths = {}
    for company, status, booth in (
        (world.company_a, ExhibitorStatus.APPROVED, "A1"),
        (world.company_b, ExhibitorStatus.APPROVED, "B1"),
        (world.company_unverified, ExhibitorStatus.DECLINED, None),
    ):
        booths[company.slug] = FairExhibitor(
            programme_id=session.programme_id, company_id=company.id, status=status, booth=booth
        )
        db.session.add(booths[company.slug])
    db.session.flush()
    return session, booths


def _person(world, session, *, attended=True):
    user = student(world.fac_a1)
    registration = pf.registration(user, session)
    if attended:
        _db.session.add(
            Attendance(
                registration_id=registration.id,
                session_id=session.id,
                method=CheckInMethod.SCAN,
                checked_in_at=session.starts_at + timedelta(minutes=5),
            )
        )
        _db.session.flush()
    return profile_of(user)


def _applies(profile, company, when, interviewed=False, offered=False):
    posting = f.PostingFactory(company=company)
    return f.ApplicationFactory(
        posting=posting,
        profile_id=profile.id,
        submitted_at=when,
        interviewed_at=when + timedelta(days=3) if interviewed else None,
        offered_at=when + timedelta(days=6) if offered else None,
    )


def _met(booth, profile):
    _db.session.add(BoothMeeting(exhibitor_id=booth.id, profile_id=profile.id))
    _db.session.flush()


def test_each_stage_counts_only_students_of_the_stage_before(world, event):
    session, booths = event
    alpha, beta = booths["alpha"], booths["beta"]
    after = session.ends_at + timedelta(days=2)
    _person(world, session, attended=False)  # registered only
    _person(world, session)  # attended, met nobody
    met_only = _person(world, session)
    _met(alpha, met_only)
    applied = _person(world, session)
    _met(alpha, applied)
    _applies(applied, world.company_a, after)
    hired = _person(world, session)
    _db.session.add(CVDrop(exhibitor_id=beta.id, profile_id=hired.id))
    application = _applies(hired, world.company_b, after, interviewed=True, offered=True)
    portal_placement(
        hired.user,
        world.company_b,
        application_id=application.id,
        placed_at=after + timedelta(days=10),
    )
    # Applied without meeting anyone: not in "applied", however far they went.
    stranger = _person(world, session)
    _applies(stranger, world.company_a, after, interviewed=True, offered=True)
    # Met, but applied too late, or to a company not at the fair.
    late = _person(world, session)
    _met(alpha, late)
    _applies(late, world.company_a, session.ends_at + timedelta(days=31))
    elsewhere = _person(world, session)
    _met(alpha, elsewhere)
    _applies(elsewhere, world.company_unverified, after)

    assert funnel(session.programme) == {
        "registered": 8,
        "attended": 7,
        "met": 5,
        "applied": 2,
        "interviewed": 1,
        "offered": 1,
        "placed": 1,
    }
    # One company's funnel: those who met it and applied to it.
    assert funnel(session.programme, company_id=world.company_a.id)["applied"] == 1
    assert funnel(session.programme, company_id=world.company_b.id)["placed"] == 1
    placed = _db.session.scalars(stage_members(session.programme, "placed")).all()
    assert placed == [hired.id]
    # Every exhibitor's row, in one go, says what its own funnel says.
    by_company = funnel_by_company(session.programme)
    for company in (world.company_a, world.company_b):
        alone = funnel(session.programme, company_id=company.id)
        assert by_company[company.id] == {stage: alone[stage] for stage in COMPANY_STAGES}
    assert by_company[world.company_b.id]["placed"] == 1
    assert world.company_unverified.id not in by_company  # declined: not an exhibitor


def test_a_waitlisted_or_cancelled_place_is_not_registered(world, event):
    session, _booths = event
    for status in (RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED):
        pf.registration(student(world.fac_a1), session, status=status)
    _person(world, session)
    assert funnel(session.programme)["registered"] == 1


def test_a_placement_after_ninety_days_is_not_counted(world, event):
    session, booths = event
    person = _person(world, session)
    _met(booths["alpha"], person)
    when = session.ends_at + timedelta(days=1)
    application = _applies(person, world.company_a, when, interviewed=True, offered=True)
    portal_placement(
        person.user,
        world.company_a,
        application_id=application.id,
        placed_at=session.ends_at + timedelta(days=91),
    )
    counts = funnel(session.programme)
    assert counts["offered"] == 1 and counts["placed"] == 0


def test_the_viewers_scope_limits_every_stage(world, event):
    session, booths = event
    mine = _person(world, session)
    other_faculty = profile_of(student(world.fac_b1))
    pf.registration(other_faculty.user, session)
    for profile in (mine, other_faculty):
        _met(booths["alpha"], profile)
    in_faculty = [mine.id]
    assert funnel(session.programme, profile_ids=in_faculty)["registered"] == 1
    members = _db.session.scalars(stage_members(session.programme, "met", None, in_faculty))
    assert list(members) == [mine.id]
    with pytest.raises(ValueError):
        stage_members(session.programme, "everyone")


def test_the_published_figures(world, event):
    session, booths = event
    alpha = booths["alpha"]
    first, second = _person(world, session), _person(world, session)
    _person(world, session, attended=False)
    _db.session.add(CVDrop(exhibitor_id=alpha.id, profile_id=first.id))
    for posting in (
        f.PostingFactory(company=world.company_a),
        f.PostingFactory(company=world.company_a),
    ):
        _db.session.execute(
            fair_featured_postings.insert().values(exhibitor_id=alpha.id, posting_id=posting.id)
        )
    slot = FairSlot(
        exhibitor_id=alpha.id,
        kind=SlotKind.ONE_TO_ONE,
        starts_at=session.starts_at + timedelta(hours=1),
        ends_at=session.starts_at + timedelta(hours=1, minutes=10),
        capacity=1,
    )
    _db.session.add(slot)
    _db.session.flush()
    _db.session.add(FairBooking(slot_id=slot.id, profile_id=second.id))
    _db.session.flush()
    figures = published_figures(session.programme)
    assert (figures.participants, figures.companies, figures.roles) == (2, 2, 2)
    assert (figures.cvs, figures.interviews) == (1, 1)


def test_the_funnel_is_one_statement_whatever_the_events_size(world, event):
    session, booths = event
    for n in range(6):
        person = _person(world, session)
        _met(booths["alpha"], person)
        _applies(person, world.company_a, session.ends_at + timedelta(days=n + 1), interviewed=True)
    programme = session.programme
    assert programme.sessions  # the page has them already: they give the event's window
    with recorded_statements() as statements:
        counts = funnel(programme)
    assert counts["interviewed"] == 6 and len(statements) == 1
    with recorded_statements() as statements:
        by_company = funnel_by_company(programme)
    assert by_company[world.company_a.id]["interviewed"] == 6 and len(statements) == 2
    assert list(counts) == list(STAGES)
