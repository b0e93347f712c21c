"""What happens at a booth: a representative records a student met (scanned or picked,
with a short rating and note) and may invite them to apply to one of the company's roles;
a student drops their CV with an exhibitor in one tap. Both sides see it afterwards: the
company only the students who came to its booth (met, booked a slot or dropped a CV), the
student their own.

A second scan of the same student updates the record (one per student and exhibitor),
keeping the first moment they met; a second CV drop leaves the newest CV.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.audit.services import record
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput, PermissionDenied
from foundry.extensions import db
from foundry.notifications.services import notify
from foundry.policy import can
from foundry.postings.models import Posting
from foundry.programmes.fairs.models import (
    NOTE_LENGTH,
    BookingStatus,
    BoothMeeting,
    CVDrop,
    FairBooking,
    FairExhibitor,
    FairSlot,
)
from foundry.programmes.fairs.slots import registered_for_fair
from foundry.students.models import CVDocument, StudentProfile


def _at_the_fair(exhibitor: FairExhibitor, profile: StudentProfile) -> None:
    if not exhibitor.is_approved:
        raise DomainError(_("This company is not exhibiting at the fair."))
    if not registered_for_fair(profile, exhibitor):
        raise DomainError(_("This student is not registered for the fair."))


def record_meeting(
    actor: User,
    exhibitor: FairExhibitor,
    profile: StudentProfile,
    rating: int | None = None,
    note: str | None = None,
) -> BoothMeeting:
    """A representative records that they met the student at the booth."""
    if not can(actor, "fair.manage_booth", exhibitor.company):
        raise PermissionDenied(_("Only the company's representatives record booth meetings."))
    if rating is not None and not 1 <= rating <= 5:
        raise InvalidInput(_("Rate from 1 to 5 stars, or leave the rating out."))
    note = (note or "").strip() or None
    if note and len(note) > NOTE_LENGTH:
        raise InvalidInput(_("Keep the note to 1,000 characters."))
    _at_the_fair(exhibitor, profile)
    meeting = db.session.scalar(
        sa.select(BoothMeeting).where(
            BoothMeeting.exhibitor_id == exhibitor.id, BoothMeeting.profile_id == profile.id
        )
    )
    if meeting is None:
        meeting = BoothMeeting(exhibitor_id=exhibitor.id, profile_id=profile.id, met_at=utcnow())
        db.session.add(meeting)
    meeting.met_by_id = actor.id
    if rating is not None:
        meeting.rating = rating
    if note is not None:
        meeting.note = note
    db.session.flush()
    record(actor, "fair.student_met", meeting, {"company": exhibitor.company.name})
    return meeting


def invite_to_apply(actor: User, meeting: BoothMeeting, posting: Posting) -> None:
    """After meeting a student, the representative invites them to apply to a role."""
    exhibitor = meeting.exhibitor
    if not can(actor, "fair.manage_booth", exhibitor.company):
        raise PermissionDenied(_("Only the company's representatives invite students."))
    if posting.company_id != exhibitor.company_id or not posting.is_open_for_applications():
        raise InvalidInput(_("Choose one of your company's roles open for applications."))
    meeting.invited_posting_id, meeting.invited_at = posting.id, utcnow()
    db.session.flush()
    record(actor, "fair.invited_to_apply", meeting, {"title": posting.title})
    notify(
        meeting.profile.user,
        "fair.invited_to_apply",
        f"/postings/{posting.id}",
        company=exhibitor.company.name,
        title=posting.title,
    )


def drop_cv(actor: User, profile: StudentProfile, exhibitor: FairExhibitor) -> CVDrop:
    """The student leaves their newest CV with the exhibitor."""
    if not can(actor, "fair.book", profile):
        raise PermissionDenied(_("You can drop only your own CV."))
    _at_the_fair(exhibitor, profile)
    cv_id = db.session.scalar(
        sa.select(CVDocument.id)
        .where(CVDocument.profile_id == profile.id)
        .order_by(CVDocument.uploaded_at.desc(), CVDocument.id.desc())
        .limit(1)
    )
    if cv_id is None:
        raise DomainError(_("Upload a CV to your profile first, then drop it here."))
    drop = db.session.scalar(
        sa.select(CVDrop).where(
            CVDrop.exhibitor_id == exhibitor.id, CVDrop.profile_id == profile.id
        )
    )
    if drop is None:
        drop = CVDrop(exhibitor_id=exhibitor.id, profile_id=profile.id)
        db.session.add(drop)
    drop.cv_document_id, drop.dropped_at = cv_id, utcnow()
    db.session.flush()
    record(actor, "fair.cv_dropped", drop, {"company": exhibitor.company.name})
    return drop


def booth_visitor_ids(exhibitor: FairExhibitor) -> set[int]:
    """The students (profile ids) a company may see for this fair: met at its booth,
    booked one of its slots, or dropped it a CV."""
    met = sa.select(BoothMeeting.profile_id).where(BoothMeeting.exhibitor_id == exhibitor.id)
    dropped = sa.select(CVDrop.profile_id).where(CVDrop.exhibitor_id == exhibitor.id)
    booked = (
        sa.select(FairBooking.profile_id)
        .join(FairSlot, FairSlot.id == FairBooking.slot_id)
        .where(FairSlot.exhibitor_id == exhibitor.id, FairBooking.status == BookingStatus.BOOKED)
    )
    return set(db.session.scalars(sa.union(met, dropped, booked)))
