"""What the fair page tests share: a career day in two weeks (10:00 to 17:00 in one
session), an approved booth of Alpha Robotics, a slot there, a registered student."""

from __future__ import annotations

from datetime import timedelta

from foundry.programmes.fairs.booths import decide_booth, request_booth
from foundry.programmes.fairs.models import SlotKind
from foundry.programmes.fairs.slots import SlotData, add_slot
from foundry.programmes.models import ProgrammeKind
from tests.programmes import factories as pf


def make_fair(db):
    session = pf.SessionFactory(
        programme=pf.ProgrammeFactory(kind=ProgrammeKind.CAREER_DAY, title_en="AI in Action"),
        capacity=500,
    )
    session.ends_at = session.starts_at + timedelta(hours=7)
    db.session.flush()
    return session


def approve(world, session, company, recruiter, booth):
    exhibitor = request_booth(recruiter, session.programme, company, [recruiter.id])
    decide_booth(world.park_admin, exhibitor, approve=True, booth=booth)
    return exhibitor


def slot_at(recruiter, exhibitor, session, minutes_in=60, length=10, capacity=1):
    starts = session.starts_at + timedelta(minutes=minutes_in)
    kind = SlotKind.ONE_TO_ONE if capacity == 1 else SlotKind.GROUP
    return add_slot(
        recruiter, exhibitor, SlotData(kind, starts, starts + timedelta(minutes=length), capacity)
    )
