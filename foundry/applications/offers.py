"""Offers: the recruiter makes one with its terms; the student accepts (which creates the
Placement deans report on) or declines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.applications.limits import MAX_NOTE
from foundry.applications.models import Application, Offer
from foundry.applications.models import ApplicationStatus as S
from foundry.applications.notices import tell_company, tell_student
from foundry.applications.services import change_status, lock
from foundry.applications.states import Mover, can_move
from foundry.audit.services import record
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput, NotFound
from foundry.extensions import db
from foundry.placements.models import Placement

HONG_KONG = ZoneInfo("Asia/Hong_Kong")


@dataclass(frozen=True)
class OfferTerms:
    terms: str
    pay_hkd: int | None
    start_date: date | None
    end_date: date | None
    respond_by: date


def hong_kong_today() -> date:
    return utcnow().astimezone(HONG_KONG).date()


def end_of_day_in_hong_kong(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=HONG_KONG)


def offer_of(application: Application) -> Offer | None:
    return db.session.scalar(sa.select(Offer).where(Offer.application_id == application.id))


def _check_terms(terms: OfferTerms) -> None:
    if not terms.terms.strip():
        raise InvalidInput(_("Write the terms of the offer."))
    if len(terms.terms.strip()) > MAX_NOTE:
        raise InvalidInput(_("Keep the terms to 5,000 characters."))
    if terms.pay_hkd is not None and terms.pay_hkd < 0:
        raise InvalidInput(_("The pay cannot be negative."))
    if terms.start_date and terms.end_date and terms.start_date > terms.end_date:
        raise InvalidInput(_("The end date must be on or after the start date."))
    if terms.respond_by < hong_kong_today():
        raise InvalidInput(_("The answer-by date is in the past. Give the student time to answer."))


def make_offer(
    actor: User, application: Application, terms: OfferTerms, message: str | None
) -> Offer:
    """Offer the role to the applicant; the application moves to `offer`."""
    _check_terms(terms)
    lock(application)
    if application.status in (S.WITHDRAWN, S.REJECTED):
        raise DomainError(
            _("You cannot make an offer: the student has withdrawn this application.")
            if application.status is S.WITHDRAWN
            else _("You cannot make an offer to an applicant you rejected.")
        )
    if not can_move(application.status, S.OFFER, Mover.COMPANY) or offer_of(application):
        raise DomainError(_("This application cannot receive an offer in its present state."))
    change_status(actor, application, S.OFFER, Mover.COMPANY, message)
    offer = Offer(
        application_id=application.id,
        terms=terms.terms.strip(),
        pay_hkd=terms.pay_hkd,
        start_date=terms.start_date,
        end_date=terms.end_date,
        respond_by=end_of_day_in_hong_kong(terms.respond_by),
        made_by_id=actor.id,
    )
    db.session.add(offer)
    db.session.flush()
    record(actor, "application.offer_made", application, offer_id=offer.id)
    tell_student(
        application,
        "application.offer",
        company=application.posting.company.name,
        title=application.posting.title,
        date=terms.respond_by,
        message=message or None,
    )
    return offer


def other_open_offers(application: Application) -> list[Application]:
    """The student's other applications that hold an offer still to answer."""
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(
                Application.profile_id == application.profile_id,
                Application.status == S.OFFER,
                Application.id != application.id,
            )
            .order_by(Application.submitted_at)
        )
    )


def _open_offer(application: Application) -> Offer:
    offer = offer_of(application)
    if offer is None or application.status is not S.OFFER:
        raise NotFound(_("There is no offer to answer on this application."))
    return offer


def accept_offer(
    actor: User, application: Application, decline_other_offers: bool = False
) -> Placement:
    """Accept the offer: this is the student's confirmation of the Placement it creates."""
    lock(application)
    offer = _open_offer(application)
    if offer.respond_by is not None and utcnow() > offer.respond_by:
        raise DomainError(_("The time to answer this offer has passed. Contact the company."))
    change_status(actor, application, S.ACCEPTED, Mover.STUDENT)
    placement = Placement(
        application_id=application.id,
        profile_id=application.profile_id,
        company_id=application.company_id,
        posting_id=application.posting_id,
        kind=application.posting.kind,
        start_date=offer.start_date,
        end_date=offer.end_date,
        placed_at=utcnow(),
        confirmed_by_student_at=utcnow(),
    )
    db.session.add(placement)
    db.session.flush()
    record(actor, "application.offer_accepted", application)
    record(actor, "placement.created", placement)
    _tell_company_of_answer(application, accepted=True)
    if decline_other_offers:
        for other in other_open_offers(application):
            _decline(
                actor,
                other,
                _("Declined because I accepted another offer."),
            )
    return placement


def decline_offer(actor: User, application: Application, reason: str | None) -> None:
    """The student declines the offer; the company hears of it."""
    lock(application)
    _open_offer(application)
    _decline(actor, application, reason)


def _decline(actor: User, application: Application, reason: str | None) -> None:
    change_status(actor, application, S.DECLINED, Mover.STUDENT, reason)
    record(actor, "application.offer_declined", application)
    _tell_company_of_answer(application, accepted=False, reason=reason)


def _tell_company_of_answer(
    application: Application, accepted: bool, reason: str | None = None
) -> None:
    params = {"name": application.profile.user.display_name, "title": application.posting.title}
    if accepted:
        tell_company(application, "application.offer_accepted", **params)
    else:
        tell_company(application, "application.offer_declined", reason=reason or None, **params)
