"""Who may apply to a posting or register for a programme: as reasons a student can
read, and (for postings) as a SQL condition.

Both forms state the same rules; tests check they agree. Empty eligibility lists mean
"open to all". A programme states its eligibility with the same attributes as a posting
(foundry.eligibility.models), so ineligibility_reasons() answers for both
(foundry/programmes/registration.py). A posting may also need the approval of the
student's university, which application_blockers() adds.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from foundry.postings.models import (
    ApprovalStatus,
    Posting,
    PostingApproval,
    PostingLevel,
    posting_faculties,
    posting_universities,
)
from foundry.programmes.models import Programme
from foundry.students.models import StudentProfile
from foundry.universities.models import University


def cohort(profile: StudentProfile | None) -> list | None:
    """What of a student the rules read: students alike in these are told alike, so a page
    part showing eligibility may be kept for all of them (the cached pages' keys)."""
    if profile is None:
        return None
    return [
        profile.university_id,
        profile.faculty_id,
        profile.study_level.value,
        profile.graduation_year,
        profile.non_local,
    ]


def ineligibility_reasons(profile: StudentProfile, posting: Posting | Programme) -> list[str]:
    """Why `profile` may not apply to `posting` (or register for a programme); an empty list
    means eligible."""
    reasons: list[str] = []
    if posting.universities and profile.university_id not in {u.id for u in posting.universities}:
        names = ", ".join(sorted(u.code for u in posting.universities))
        reasons.append(_("Open to students of %(universities)s only.", universities=names))
    if posting.faculties and profile.faculty_id not in {f.id for f in posting.faculties}:
        reasons.append(
            ngettext(
                "Open to students of one faculty only, not yours.",
                "Open to students of %(num)d faculties only, not yours.",
                len(posting.faculties),
            )
        )
    if posting.levels and profile.study_level not in posting.level_values:
        reasons.append(_("Not open to students at your study level."))
    year = profile.graduation_year
    if posting.graduation_year_from is not None and year < posting.graduation_year_from:
        reasons.append(
            _("Open to students graduating from %(year)d.", year=posting.graduation_year_from)
        )
    if posting.graduation_year_to is not None and year > posting.graduation_year_to:
        reasons.append(
            _("Open to students graduating by %(year)d.", year=posting.graduation_year_to)
        )
    if profile.non_local and not posting.open_to_non_local:
        reasons.append(_("Not open to non-local students."))
    return reasons


def eligible_condition(profile: StudentProfile) -> sa.ColumnElement[bool]:
    """The same rules as ineligibility_reasons(), as a WHERE clause on postings."""
    year = profile.graduation_year
    conditions = [
        _open_to(posting_universities.c.university_id, profile.university_id),
        _open_to(posting_faculties.c.faculty_id, profile.faculty_id),
        _open_to(PostingLevel.__table__.c.level, profile.study_level),
        sa.or_(Posting.graduation_year_from.is_(None), Posting.graduation_year_from <= year),
        sa.or_(Posting.graduation_year_to.is_(None), Posting.graduation_year_to >= year),
    ]
    if profile.non_local:
        conditions.append(Posting.open_to_non_local.is_(True))
    return sa.and_(*conditions)


def _open_to(column: sa.Column, value) -> sa.ColumnElement[bool]:
    """The posting names no one in `column`'s list (it is open to all), or names `value`.
    Read from the list's own table, whose primary key (posting_id, ...) answers both: the
    relationship's any() joined the universities or faculties table in for every posting
    tested, a third of the student dashboard's suggestions at 3,000 open postings."""
    rows = sa.select(sa.literal(1)).select_from(column.table)
    rows = rows.where(column.table.c.posting_id == Posting.id)
    return sa.or_(~rows.exists(), rows.where(column == value).exists())


def approved_for_university(university: University) -> sa.ColumnElement[bool]:
    """Where the university asks to approve postings, only those it approved."""
    if not university.posting_approval_required:
        return sa.true()
    return Posting.approvals.any(
        sa.and_(
            PostingApproval.university_id == university.id,
            PostingApproval.status == ApprovalStatus.APPROVED,
        )
    )


def approval_blocks(profile: StudentProfile, posting: Posting) -> bool:
    """True when the student's university has not (yet) approved this posting."""
    if not profile.university.posting_approval_required:
        return False
    return not any(
        a.university_id == profile.university_id and a.status is ApprovalStatus.APPROVED
        for a in posting.approvals
    )


def application_blockers(
    profile: StudentProfile, posting: Posting, *, approved: bool = False
) -> list[str]:
    """Everything that stops the student applying: their university's approval first (when
    it is missing), then the posting's eligibility rules. Empty means they may apply.
    `approved` says the caller kept only postings the student's university approved (the
    search does), so that the approvals are not read again."""
    blockers = ineligibility_reasons(profile, posting)
    if not approved and approval_blocks(profile, posting):
        blockers.insert(0, _("Your university has not approved this posting for its students."))
    return blockers
