"""Inviting a student found in the Talent Pool to apply to one of the company's postings."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from foundry.accounts.models import User
from foundry.audit.services import record
from foundry.companies.models import Company
from foundry.db import utcnow
from foundry.eligibility.rules import application_blockers
from foundry.errors import DomainError, InvalidInput, PermissionDenied
from foundry.extensions import db
from foundry.notifications.services import notify
from foundry.postings.models import Posting, PostingStatus
from foundry.students.models import StudentProfile
from foundry.talent_pool.models import TalentPoolInvitation

MAX_MESSAGE_LENGTH = 2000
INVITATION_KIND = "talent_pool.invitation"


def invite_to_apply(
    actor: User, company: Company, profile: StudentProfile, posting: Posting, message: str
) -> TalentPoolInvitation:
    """Invite an opted-in student to apply to one of the company's open postings."""
    if not company.is_verified:
        raise PermissionDenied(_("Only verified companies can invite students from the pool."))
    if posting.company_id != company.id:
        raise InvalidInput(_("Choose one of your own company's postings."))
    if posting.status is not PostingStatus.PUBLISHED:
        raise InvalidInput(_("That posting is not published, so no one can apply to it."))
    if not posting.is_open_for_applications():
        raise InvalidInput(_("That posting's deadline has passed, so no one can apply to it."))
    if not profile.talent_pool_opt_in or not profile.user.active:
        raise DomainError(_("This student has left the Talent Pool and cannot be invited."))
    if application_blockers(profile, posting):
        raise InvalidInput(
            _("This student cannot apply to that posting under its eligibility rules.")
        )
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE_LENGTH:
        raise InvalidInput(_("Keep the message to %(n)s characters.", n=f"{MAX_MESSAGE_LENGTH:,}"))
    invitation = TalentPoolInvitation(
        posting_id=posting.id,
        profile_id=profile.id,
        invited_by_id=actor.id,
        message=message,
        created_at=utcnow(),
    )
    try:
        # A savepoint, so that a second invitation (even a simultaneous one) is refused
        # without undoing the rest of the request's work.
        with db.session.begin_nested():
            db.session.add(invitation)
    except IntegrityError:
        raise DomainError(_("You have already invited this student to that posting.")) from None
    record(
        actor,
        "talent_pool.invited",
        invitation,
        {"name": profile.user.display_name, "title": posting.title},
        posting_id=posting.id,
        profile_id=profile.id,
    )
    _tell_the_student(company, profile, posting, message)
    return invitation


def _tell_the_student(
    company: Company, profile: StudentProfile, posting: Posting, message: str
) -> None:
    """Notify the student (in their own language, in-app and by e-mail)."""
    notify(
        profile.user,
        INVITATION_KIND,
        f"/postings/{posting.id}",
        company=company.name,
        posting=posting.title,
        message=message or None,
    )
