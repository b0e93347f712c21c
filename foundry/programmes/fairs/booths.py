"""Companies at a fair: asking for a booth, the organiser's decision and booth number,
and the roles a company features for the fair.

A fair is a published programme of kind career day or themed drive whose first session has
not started: a booth cannot be asked for once the fair is under way or over. Only a
verified company's members ask; representatives are members of that company. The fair's
organisers (the park for its own fairs) approve with a booth, or decline.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import COMPANY_ROLES, RoleMembership, User
from foundry.audit.services import record
from foundry.companies.models import Company
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput, PermissionDenied, refuse_duplicate
from foundry.extensions import db
from foundry.notifications.services import notify
from foundry.policy import can
from foundry.postings.models import Posting
from foundry.programmes.fairs.models import (
    BOOTH_LENGTH,
    NOTE_LENGTH,
    ExhibitorStatus,
    FairExhibitor,
)
from foundry.programmes.models import Programme, ProgrammeKind, ProgrammeStatus

FAIR_KINDS = (ProgrammeKind.CAREER_DAY, ProgrammeKind.THEMED_DRIVE)
# A booth shows a handful of roles; the rest are a search away.
MAX_FEATURED = 20


def is_fair(programme: Programme) -> bool:
    return programme.kind in FAIR_KINDS


def _fair_not_started(programme: Programme) -> None:
    """A fair open for booths: published, a fair, and its first session still ahead."""
    if not is_fair(programme):
        raise InvalidInput(_("Booths are offered only at career days, fairs and themed drives."))
    if programme.status is not ProgrammeStatus.PUBLISHED:
        raise DomainError(_("This fair is not open: it is a draft or has been cancelled."))
    first = min((s.starts_at for s in programme.sessions), default=None)
    if first is None or first <= utcnow():
        raise DomainError(_("This fair has already begun; booths can no longer be asked for."))


def _members_of(company: Company, user_ids: list[int]) -> list[User]:
    """The users named, each of whom must be a member of the company."""
    wanted = set(user_ids)
    users = db.session.scalars(
        sa.select(User)
        .join(RoleMembership, RoleMembership.user_id == User.id)
        .where(
            User.id.in_(wanted),
            RoleMembership.company_id == company.id,
            RoleMembership.role.in_(COMPANY_ROLES),
        )
        .distinct()
        .order_by(User.id)
    ).all()
    if len(users) != len(wanted):
        raise InvalidInput(_("Representatives must be members of your company."))
    return list(users)


def request_booth(
    actor: User,
    programme: Programme,
    company: Company,
    representative_ids: list[int],
    note: str | None = None,
) -> FairExhibitor:
    """The company asks for a booth at the fair, naming who will staff it."""
    if not can(actor, "fair.request_booth", company):
        raise PermissionDenied(_("Only members of a verified company can ask for a booth."))
    _fair_not_started(programme)
    note = (note or "").strip() or None
    if note and len(note) > NOTE_LENGTH:
        raise InvalidInput(_("Keep the note to 1,000 characters."))
    if not representative_ids:
        raise InvalidInput(_("Name at least one representative who will staff the booth."))
    representatives = _members_of(company, representative_ids)
    exhibitor = db.session.scalar(
        sa.select(FairExhibitor).where(
            FairExhibitor.programme_id == programme.id, FairExhibitor.company_id == company.id
        )
    )
    if exhibitor is not None and exhibitor.status is not ExhibitorStatus.WITHDRAWN:
        raise DomainError(_("Your company has already asked for a booth at this fair."))
    if exhibitor is None:
        exhibitor = FairExhibitor(programme_id=programme.id, company_id=company.id)
        db.session.add(exhibitor)
    exhibitor.status = ExhibitorStatus.REQUESTED
    exhibitor.booth, exhibitor.decided_at, exhibitor.decided_by_id = None, None, None
    exhibitor.note, exhibitor.requested_by_id = note, actor.id
    exhibitor.representatives = representatives
    with refuse_duplicate(
        lambda _c: DomainError(_("Your company has already asked for a booth at this fair."))
    ):
        db.session.flush()
    record(actor, "fair.booth_requested", exhibitor, {"title": programme.title_en})
    return exhibitor


def decide_booth(actor: User, exhibitor: FairExhibitor, approve: bool, booth: str | None) -> None:
    """The fair's organiser approves the company with a booth number, or declines it."""
    programme = exhibitor.programme
    if not can(actor, "programme.edit", programme):
        raise PermissionDenied(_("Only the fair's organisers decide on booths."))
    _fair_not_started(programme)
    if exhibitor.status not in (ExhibitorStatus.REQUESTED, ExhibitorStatus.APPROVED):
        raise DomainError(_("This request was withdrawn or declined."))
    booth = (booth or "").strip() or None
    if approve and booth is None:
        raise InvalidInput(_("Give the booth number to approve the company."))
    if booth and len(booth) > BOOTH_LENGTH:
        raise InvalidInput(_("Keep the booth number to 20 characters."))
    taken = _("Booth %(booth)s is already given to another company.", booth=booth)
    if approve and _booth_holder(exhibitor.programme_id, booth) not in (None, exhibitor.id):
        raise InvalidInput(taken)
    exhibitor.status = ExhibitorStatus.APPROVED if approve else ExhibitorStatus.DECLINED
    exhibitor.booth = booth if approve else None
    exhibitor.decided_by_id, exhibitor.decided_at = actor.id, utcnow()
    # Two organisers giving the same booth at once: the unique index decides.
    with refuse_duplicate(lambda _conflict: InvalidInput(taken)):
        db.session.flush()
    params = {"title": programme.title_en, "booth": booth or ""}
    if approve:
        record(actor, "fair.booth_approved", exhibitor, params)
    else:
        record(actor, "fair.booth_declined", exhibitor, params)
    for user in exhibitor.representatives:
        if approve:
            notify(user, "fair.booth_approved", **params)
        else:
            notify(user, "fair.booth_declined", **params)


def _booth_holder(programme_id: int, booth: str | None) -> int | None:
    return db.session.scalar(
        sa.select(FairExhibitor.id).where(
            FairExhibitor.programme_id == programme_id, FairExhibitor.booth == booth
        )
    )


def withdraw_booth(actor: User, exhibitor: FairExhibitor) -> None:
    """The company gives up its request or its booth before the fair."""
    if not can(actor, "fair.manage_booth", exhibitor.company):
        raise PermissionDenied(_("Only the company's members can withdraw its booth."))
    _fair_not_started(exhibitor.programme)
    if exhibitor.status in (ExhibitorStatus.WITHDRAWN, ExhibitorStatus.DECLINED):
        raise DomainError(_("This request was already withdrawn or declined."))
    exhibitor.status, exhibitor.booth = ExhibitorStatus.WITHDRAWN, None
    db.session.flush()
    record(actor, "fair.booth_withdrawn", exhibitor, {"title": exhibitor.programme.title_en})


def feature_postings(actor: User, exhibitor: FairExhibitor, posting_ids: list[int]) -> None:
    """The roles the company shows at the fair: its own postings open for applications."""
    if not can(actor, "fair.manage_booth", exhibitor.company):
        raise PermissionDenied(_("Only the company's members choose the roles it features."))
    if exhibitor.status in (ExhibitorStatus.WITHDRAWN, ExhibitorStatus.DECLINED):
        raise DomainError(_("Your company is not exhibiting at this fair."))
    wanted = set(posting_ids)
    if len(wanted) > MAX_FEATURED:
        raise InvalidInput(_("Feature at most %(n)d roles at a fair.", n=MAX_FEATURED))
    postings = db.session.scalars(
        sa.select(Posting).where(Posting.id.in_(wanted), Posting.company_id == exhibitor.company_id)
    ).all()
    if len(postings) != len(wanted) or not all(p.is_open_for_applications() for p in postings):
        raise InvalidInput(_("Feature only your company's roles that are open for applications."))
    exhibitor.featured_postings = sorted(postings, key=lambda p: p.id)
    db.session.flush()
    record(
        actor,
        "fair.postings_featured",
        exhibitor,
        {"title": exhibitor.programme.title_en, "count": len(postings)},
    )


def exhibitors_of(programme: Programme, status: ExhibitorStatus | None = None):
    """The fair's exhibitors by booth then company name (those without a booth last)."""
    query = (
        sa.select(FairExhibitor)
        .join(Company, Company.id == FairExhibitor.company_id)
        .where(FairExhibitor.programme_id == programme.id)
        .order_by(FairExhibitor.booth.is_(None), FairExhibitor.booth, Company.name, Company.id)
    )
    if status is not None:
        query = query.where(FairExhibitor.status == status)
    return db.session.scalars(query).all()
