"""What a collaboration record belongs to, for the rules in foundry/policy.py.

A record has several faculties and companies, so the policy's one-owner rules (staff of
its faculty, member of the company...) hold over a record when they hold over one of its
parties. These helpers lift a rule over the parties; they ask nothing about roles
themselves: the policy composes them and stays the one place where decisions are made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from foundry.collaborations.models import Collaboration, Proposal, Visibility

Check = Callable[[Any, Any], bool]

# What a company party sees: records shared with it, and public ones.
SHARED_WITH_COMPANIES = (Visibility.SHARED, Visibility.PUBLIC)


def collaboration_of(obj) -> Collaboration | None:
    if isinstance(obj, Collaboration):
        return obj
    if isinstance(obj, Proposal):
        return obj.collaboration
    return None


def on_a_faculty_party(check: Check) -> Check:
    """`check` holds over one of the record's faculties."""

    def holds(user, obj) -> bool:
        record = collaboration_of(obj)
        return record is not None and any(check(user, p.faculty) for p in record.faculty_parties)

    return holds


def on_a_company_party(check: Check) -> Check:
    """`check` holds over one of the record's companies (whatever the visibility)."""

    def holds(user, obj) -> bool:
        record = collaboration_of(obj)
        return record is not None and any(check(user, p.company) for p in record.company_parties)

    return holds


def on_a_sharing_company(check: Check) -> Check:
    """`check` holds over one of the record's companies, and the record is shared with them."""
    on_a_company = on_a_company_party(check)

    def holds(user, obj) -> bool:
        record = collaboration_of(obj)
        return (
            record is not None
            and record.visibility in SHARED_WITH_COMPANIES
            and on_a_company(user, record)
        )

    return holds


def on_a_student_participant(check: Check) -> Check:
    """`check` holds over one of the record's student participants."""

    def holds(user, obj) -> bool:
        record = collaboration_of(obj)
        return record is not None and any(check(user, s.profile) for s in record.students)

    return holds


def has_public_summary(user, obj) -> bool:
    record = collaboration_of(obj)
    return record is not None and record.visibility is Visibility.PUBLIC


def is_open(user, obj) -> bool:
    """Not completed or terminated: a record that ended is kept as it ended."""
    record = collaboration_of(obj)
    return record is not None and not record.is_read_only
