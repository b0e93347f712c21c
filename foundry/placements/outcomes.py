"""Graduate outcomes (NACE first destinations) recorded by staff: one row per student,
every change audited with what it was before. A recorded outcome takes precedence over
what the student's portal placements suggest."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.audit.services import record
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput, refuse_duplicate
from foundry.extensions import db
from foundry.placements.models import GraduateOutcome, Outcome
from foundry.placements.services import (
    MAX_FOUND_VIA,
    MAX_NAME,
    MAX_NOTES,
    check_length,
    clean,
    verified_company,
)
from foundry.students.models import StudentProfile

# Outcomes that name an employer, and the one that names an institution.
EMPLOYMENT_OUTCOMES = frozenset(
    {Outcome.EMPLOYED_FULL_TIME, Outcome.EMPLOYED_PART_TIME, Outcome.POSTGRAD_INTERNSHIP}
)
EDUCATION_OUTCOMES = frozenset({Outcome.CONTINUING_EDUCATION})


@dataclass(frozen=True)
class OutcomeDetails:
    outcome: Outcome | None
    company_id: int | None
    employer_name: str | None
    job_title: str | None
    institution: str | None
    found_via: str | None
    notes: str | None


def outcome_of(profile: StudentProfile) -> GraduateOutcome | None:
    return db.session.scalar(
        sa.select(GraduateOutcome).where(GraduateOutcome.profile_id == profile.id)
    )


def _checked_outcome(details: OutcomeDetails) -> OutcomeDetails:
    if details.outcome is None:
        raise InvalidInput(_("Choose the graduate's outcome from the list."))
    found_via = clean(details.found_via)
    if found_via is None:
        raise InvalidInput(
            _("Say where you learnt it, e.g. graduate survey, employer or LinkedIn.")
        )
    check_length(found_via, MAX_FOUND_VIA, _("Keep “found via” to 120 characters."))
    employer_name = clean(details.employer_name)
    job_title = clean(details.job_title)
    institution = clean(details.institution)
    notes = clean(details.notes)
    company_id = details.company_id
    for value, message in (
        (employer_name, _("Keep the employer's name to 200 characters.")),
        (job_title, _("Keep the job title to 200 characters.")),
        (institution, _("Keep the institution's name to 200 characters.")),
    ):
        check_length(value, MAX_NAME, message)
    check_length(notes, MAX_NOTES, _("Keep the notes to 5,000 characters."))
    outcome = details.outcome
    employed = outcome in EMPLOYMENT_OUTCOMES or outcome is Outcome.SELF_EMPLOYED
    if employed:
        if company_id is not None and employer_name is not None:
            raise InvalidInput(
                _("Choose a park company or give an employer outside the park, not both.")
            )
        verified_company(company_id)
        if outcome in EMPLOYMENT_OUTCOMES and company_id is None and employer_name is None:
            raise InvalidInput(_("Choose the park company, or give the employer's name."))
        institution = None
    else:
        company_id = employer_name = job_title = None
        if outcome in EDUCATION_OUTCOMES:
            if institution is None:
                raise InvalidInput(_("Give the institution where the graduate studies."))
        else:
            institution = None
    return OutcomeDetails(
        outcome, company_id, employer_name, job_title, institution, found_via, notes
    )


def _outcome_snapshot(row: GraduateOutcome | None) -> dict | None:
    if row is None:
        return None
    return {
        "outcome": row.outcome.value,
        "company_id": row.company_id,
        "employer_name": row.employer_name,
        "job_title": row.job_title,
        "institution": row.institution,
        "found_via": row.found_via,
        "notes": row.notes,
    }


def _lock_profile(profile: StudentProfile) -> None:
    """Serialise outcome changes of one student (PostgreSQL; SQLite has one writer)."""
    db.session.execute(
        sa.select(StudentProfile.id).where(StudentProfile.id == profile.id).with_for_update()
    )


def record_outcome(
    actor: User, profile: StudentProfile, details: OutcomeDetails
) -> GraduateOutcome:
    """Record the graduate's first destination, or change it: one row per student, the
    change audited with what it was before."""
    details = _checked_outcome(details)
    _lock_profile(profile)
    row = outcome_of(profile)
    before = _outcome_snapshot(row)
    if row is None:
        row = GraduateOutcome(profile_id=profile.id)
        db.session.add(row)
    row.outcome = details.outcome
    row.company_id = details.company_id
    row.employer_name = details.employer_name
    row.job_title = details.job_title
    row.institution = details.institution
    row.found_via = details.found_via
    row.notes = details.notes
    row.recorded_by_id = actor.id
    row.recorded_at = utcnow()
    # A first outcome recorded by a colleague at the same moment fails here.
    with refuse_duplicate(_("Someone else just recorded this outcome. Reload the page.")):
        db.session.flush()
    after = _outcome_snapshot(row)
    if before != after:
        record(
            actor,
            "outcome.recorded" if before is None else "outcome.changed",
            row,
            {"outcome": details.outcome},
            profile_id=profile.id,
            before=before,
            after=after,
        )
    return row


def remove_outcome(actor: User, profile: StudentProfile) -> None:
    """Remove a recorded outcome (the graduate's outcome is unknown again)."""
    _lock_profile(profile)
    row = outcome_of(profile)
    if row is None:
        raise DomainError(_("No outcome is recorded for this student."))
    record(
        actor,
        "outcome.removed",
        row,
        profile_id=profile.id,
        before=_outcome_snapshot(row),
    )
    db.session.delete(row)
    db.session.flush()
