"""Certificates of attendance: who may have one, its verification code, and what anyone
holding the code may check.

A certificate exists, without a row of its own, for each student checked in at a session
of a programme that has ended (attended.py). Its code names the programme and the
student's profile and carries an HMAC of both under a key derived from the app's secret:
`<programme>-<profile>-<12 characters>`. The same certificate always has the same code, a
code cannot be made up without the key (60 bits to guess), and /certificates/<code>
tells anyone (an employer reading a CV) that it is genuine, showing only the name, the
programme and the sessions attended. A certificate whose attendance was removed stops
verifying; so does every code if the secret key is replaced.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from foundry.db import utcnow
from foundry.extensions import db
from foundry.programmes.attended import ProgrammeAttendee, attendee_of
from foundry.programmes.models import Programme, ProgrammeStatus
from foundry.students.models import StudentProfile

MAC_LENGTH = 12
CODE_PATTERN = re.compile(rf"^(\d{{1,10}})-(\d{{1,10}})-([A-Z2-7]{{{MAC_LENGTH}}})$")


def _mac(programme_id: int, profile_id: int) -> str:
    key = hashlib.sha256(
        b"talent-foundry certificate of attendance\x00" + current_app.config["SECRET_KEY"].encode()
    ).digest()
    digest = hmac.new(key, f"{programme_id}:{profile_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:MAC_LENGTH]


def certificate_code(attendee: ProgrammeAttendee) -> str:
    programme_id, profile_id = attendee.programme.id, attendee.profile.id
    return f"{programme_id}-{profile_id}-{_mac(programme_id, profile_id)}"


@dataclass(frozen=True)
class Verified:
    attendee: ProgrammeAttendee
    code: str


def verify(code: str) -> Verified | None:
    """The attendance a code certifies, or None: a malformed or forged code, a draft
    programme, or no attendance (any more) behind it."""
    found = CODE_PATTERN.match((code or "").strip().upper())
    if not found:
        return None
    programme_id, profile_id, mac = int(found[1]), int(found[2]), found[3]
    if not hmac.compare_digest(mac, _mac(programme_id, profile_id)):
        return None
    programme = db.session.get(Programme, programme_id)
    profile = db.session.scalar(sa.select(StudentProfile).where(StudentProfile.id == profile_id))
    if programme is None or profile is None or programme.status is ProgrammeStatus.DRAFT:
        return None
    attendee = attendee_of(profile, programme, utcnow())
    return Verified(attendee, found[0]) if attendee.attended else None
