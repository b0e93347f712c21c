"""A programme whose session has ended, with one student who attended and one who
registered but did not come, for the tests of what comes after the event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from foundry.db import utcnow
from foundry.extensions import db
from foundry.programmes.checkin_models import Attendance, CheckInMethod
from foundry.programmes.models import ProgrammeSession, Registration
from tests.programmes import factories as pf


@dataclass
class Past:
    session: ProgrammeSession
    came: Registration  # student_a1's, with an attendance
    absent: Registration  # student_a1_other's, registered but never checked in

    @property
    def programme(self):
        return self.session.programme


def attend(registration: Registration, method=CheckInMethod.SCAN, minutes_in: int = 5):
    db.session.add(
        Attendance(
            registration_id=registration.id,
            session_id=registration.session_id,
            method=method,
            checked_in_at=registration.session.starts_at + timedelta(minutes=minutes_in),
        )
    )
    db.session.flush()


def past_programme(world, ended_ago=timedelta(hours=1), **programme_fields) -> Past:
    """Company A's workshop (unless told otherwise) whose one session ended `ended_ago`."""
    programme_fields.setdefault("organiser_company", world.company_a)
    programme = pf.ProgrammeFactory(
        registration_opens_at=utcnow() - timedelta(days=20),
        registration_closes_at=utcnow() - timedelta(days=3),
        **programme_fields,
    )
    ends = utcnow() - ended_ago
    session = pf.SessionFactory(
        programme=programme, starts_at=ends - timedelta(hours=2), ends_at=ends
    )
    came = pf.registration(world.student_a1, session)
    absent = pf.registration(world.student_a1_other, session)
    attend(came)
    db.session.commit()
    return Past(session, came, absent)
