"""Predicates over programmes and registrations for foundry/policy.py's table.

Plain `(user, obj) -> bool` functions, so this module needs nothing from the policy (which
imports it); policy.py wraps each in a Rule and combines it there.
"""

from __future__ import annotations

from foundry.programmes.attended import ProgrammeAttendee
from foundry.programmes.models import ProgrammeFormat, Registration, RegistrationStatus


def registration_holds_a_seat(user, obj) -> bool:
    """A registration with a seat (not a waitlist place, not cancelled): only such a
    registration opens a programme's virtual join link (and only one held online)."""
    return (
        isinstance(obj, Registration)
        and obj.status is RegistrationStatus.REGISTERED
        and obj.session.programme.format is not ProgrammeFormat.IN_PERSON
    )


def has_attended(user, obj) -> bool:
    """The student was checked in at one of the programme's sessions, and it has ended."""
    return isinstance(obj, ProgrammeAttendee) and obj.attended
