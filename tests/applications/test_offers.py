"""Offers: the recruiter makes one with its terms; the student accepts (a Placement) or
declines; other open offers are declined only if the student ticks the box."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from foundry.applications.models import ApplicationEvent, ApplicationStatus, Offer
from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.extensions import db as database
from foundry.notifications.models import Notification, OutboxEmail
from foundry.placements.models import Placement
from tests.applications import application_of, count, posting_of

S = ApplicationStatus
HKT = ZoneInfo("Asia/Hong_Kong")


def _today() -> date:
    return utcnow().astimezone(HKT).date()


def _terms(**changes):
    data = {
        "terms": "Summer internship, 10 weeks, robotics team.",
        "pay_hkd": "15000",
        "start_date": "2099-06-01",
        "end_date": "2099-08-15",
        "respond_by": (_today() + timedelta(days=7)).isoformat(),
        "message": "We would love to have you!",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _offer(application, **fields) -> Offer:
    offer = Offer(
        application_id=application.id,
        terms=fields.pop("terms", "Internship"),
        start_date=fields.pop("start_date", date(2099, 6, 1)),
        end_date=fields.pop("end_date", date(2099, 8, 31)),
        respond_by=fields.pop("respond_by", utcnow() + timedelta(days=5)),
        **fields,
    )
    database.session.add(offer)
    database.session.flush()
    return offer


def _make_offer(post_form, application, data):
    url = f"/pipeline/applications/{application.id}"
    return post_form(f"{url}/offer", data, form_page=url)


@pytest.fixture
def interviewed(world, db):
    application = application_of(
        world.student_a1,
        posting_of(world.company_a, title="Robot Vision Intern"),
        status=S.INTERVIEW,
    )
    db.session.commit()
    return application


def test_recruiter_makes_an_offer(client, world, login_as, post_form, interviewed, db):
    login_as(world.recruiter_a)
    assert _make_offer(post_form, interviewed, _terms()).status_code == 303
    db.session.refresh(interviewed)
    assert interviewed.status is S.OFFER
    offer = db.session.scalar(db.select(Offer))
    assert offer.pay_hkd == 15000 and offer.start_date == date(2099, 6, 1)
    assert offer.made_by_id == world.recruiter_a.id
    # Until the end of the answer-by day in Hong Kong.
    last_moment = datetime.combine(_today() + timedelta(days=7), time(23, 59, 59), HKT)
    assert offer.respond_by == last_moment.astimezone(UTC)
    event = db.session.scalar(db.select(ApplicationEvent))
    assert event.to_status is S.OFFER and event.message == "We would love to have you!"
    email = db.session.scalar(db.select(OutboxEmail))
    assert email.to_address == world.student_a1.email
    assert count(AuditEvent, AuditEvent.action == "application.offer_made") == 1
    login_as(world.student_a1)
    html = client.get(f"/me/applications/{interviewed.id}").get_data(as_text=True)
    assert "Summer internship, 10 weeks" in html and "Accept the offer" in html


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (S.WITHDRAWN, "the student has withdrawn this application"),
        (S.REJECTED, "an applicant you rejected"),
        (S.ACCEPTED, "cannot receive an offer"),
    ],
)
def test_no_offer_to_a_withdrawn_rejected_or_closed_application(
    client, world, login_as, post_form, db, status, message
):
    application = application_of(world.student_a1, posting_of(world.company_a), status=status)
    login_as(world.recruiter_a)
    response = _make_offer(post_form, application, _terms())
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    db.session.refresh(application)
    assert application.status is status
    assert count(Offer) == 0 and count(ApplicationEvent) == 0 and count(Notification) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"terms": ""}, "Write the terms of the offer."),
        ({"terms": "x" * 5001}, "Keep the terms to 5,000 characters."),
        ({"pay_hkd": "-1"}, "Enter a pay between 0 and 10,000,000."),
        ({"respond_by": "2020-01-01"}, "The answer-by date is in the past."),
        ({"respond_by": None}, "Give the date by which the student should answer."),
        ({"start_date": "2099-09-01"}, "The end date must be on or after the start date."),
    ],
    ids=["no-terms", "long-terms", "negative-pay", "respond-by-past", "no-respond-by", "dates"],
)
def test_bad_offers_are_refused_and_nothing_is_stored(
    client, world, login_as, post_form, interviewed, db, changes, message
):
    login_as(world.recruiter_a)
    response = _make_offer(post_form, interviewed, _terms(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.refresh(interviewed)
    assert interviewed.status is S.INTERVIEW
    assert count(Offer) == 0 and count(ApplicationEvent) == 0


def test_another_company_cannot_make_an_offer(client, world, login_as, post_form, interviewed):
    login_as(world.recruiter_b)
    url = f"/pipeline/applications/{interviewed.id}/offer"
    assert post_form(url, _terms(), form_page="/company/beta").status_code == 403
    assert count(Offer) == 0


def test_student_accepts_and_the_placement_is_created(
    client, world, login_as, post_form, interviewed, db
):
    interviewed.status = S.OFFER
    _offer(interviewed, pay_hkd=15000)
    other = application_of(world.student_a1, posting_of(world.company_b), status=S.OFFER)
    _offer(other)
    login_as(world.student_a1)
    url = f"/me/applications/{interviewed.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Also decline my other open offers" in page and "Beta Fintech" in page
    assert post_form(f"{url}/offer/accept", {}, form_page=url).status_code == 303
    db.session.refresh(interviewed)
    db.session.refresh(other)
    assert interviewed.status is S.ACCEPTED
    assert other.status is S.OFFER  # the box was not ticked
    placement = db.session.scalar(db.select(Placement))
    assert placement.application_id == interviewed.id
    assert placement.company_id == world.company_a.id
    assert placement.posting_id == interviewed.posting_id
    assert (placement.start_date, placement.end_date) == (date(2099, 6, 1), date(2099, 8, 31))
    assert placement.confirmed_by_student_at is not None
    told = {n.user_id for n in db.session.scalars(db.select(Notification))}
    assert told == {world.company_admin_a.id, world.recruiter_a.id}
    assert count(AuditEvent, AuditEvent.action == "application.offer_accepted") == 1
    assert count(AuditEvent, AuditEvent.action == "placement.created") == 1


def test_accepting_can_decline_the_other_open_offers(
    client, world, login_as, post_form, interviewed, db
):
    interviewed.status = S.OFFER
    _offer(interviewed)
    other = application_of(world.student_a1, posting_of(world.company_b), status=S.OFFER)
    _offer(other)
    still_open = application_of(world.student_a1, posting_of(world.company_b), status=S.INTERVIEW)
    login_as(world.student_a1)
    url = f"/me/applications/{interviewed.id}"
    data = {"decline_other_offers": "y"}
    assert post_form(f"{url}/offer/accept", data, form_page=url).status_code == 303
    db.session.refresh(other)
    db.session.refresh(still_open)
    assert other.status is S.DECLINED
    assert still_open.status is S.INTERVIEW  # not an offer: left alone
    event = db.session.scalar(
        db.select(ApplicationEvent).where(ApplicationEvent.application_id == other.id)
    )
    assert (event.from_status, event.to_status) == (S.OFFER, S.DECLINED)
    told = {n.user_id for n in db.session.scalars(db.select(Notification))}
    assert world.recruiter_b.id in told
    assert count(Placement) == 1


def test_student_declines_an_offer(client, world, login_as, post_form, interviewed, db):
    interviewed.status = S.OFFER
    _offer(interviewed)
    login_as(world.student_a1)
    url = f"/me/applications/{interviewed.id}"
    data = {"reason": "I will stay in research."}
    assert post_form(f"{url}/offer/decline", data, form_page=url).status_code == 303
    db.session.refresh(interviewed)
    assert interviewed.status is S.DECLINED
    assert count(Placement) == 0
    bodies = {n.body for n in db.session.scalars(db.select(Notification))}
    assert bodies == {"I will stay in research."}
    assert count(AuditEvent, AuditEvent.action == "application.offer_declined") == 1


def test_an_offer_cannot_be_accepted_after_its_answer_by_date(
    client, world, login_as, post_form, interviewed, db
):
    interviewed.status = S.OFFER
    _offer(interviewed, respond_by=utcnow() - timedelta(minutes=1))
    login_as(world.student_a1)
    url = f"/me/applications/{interviewed.id}"
    response = post_form(f"{url}/offer/accept", {}, form_page=url)
    assert response.status_code == 409
    assert "The time to answer this offer has passed." in response.get_data(as_text=True)
    db.session.refresh(interviewed)
    assert interviewed.status is S.OFFER and count(Placement) == 0


def test_there_is_nothing_to_accept_without_an_offer(
    client, world, login_as, post_form, interviewed
):
    login_as(world.student_a1)
    url = f"/me/applications/{interviewed.id}"
    assert post_form(f"{url}/offer/accept", {}, form_page=url).status_code == 404
    assert count(Placement) == 0


@pytest.mark.parametrize("who", ["recruiter_a", "company_admin_a", "student_a1_other", "dean_a1"])
@pytest.mark.parametrize("action", ["accept", "decline"])
def test_only_the_student_answers_the_offer(
    client, world, login_as, post_form, interviewed, db, who, action
):
    interviewed.status = S.OFFER
    _offer(interviewed)
    login_as(getattr(world, who))
    url = f"/me/applications/{interviewed.id}/offer/{action}"
    assert post_form(url, {}, form_page="/companies").status_code == 403
    db.session.refresh(interviewed)
    assert interviewed.status is S.OFFER and count(Placement) == 0
