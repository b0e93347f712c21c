"""Interviews: the recruiter proposes times in Hong Kong time, the student picks one, and
both get an iCalendar invitation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from foundry.applications.models import ApplicationEvent, ApplicationStatus, InterviewSlot
from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.extensions import db as database
from foundry.notifications.models import OutboxEmail
from tests.applications import application_of, count, posting_of

S = ApplicationStatus
HKT = ZoneInfo("Asia/Hong_Kong")


@pytest.fixture
def application(world, db):
    application = application_of(
        world.student_a1,
        posting_of(world.company_a, title="Robot Vision Intern"),
        status=S.SHORTLISTED,
    )
    db.session.commit()
    return application


def _day(offset_days: int) -> str:
    return (utcnow().astimezone(HKT).date() + timedelta(days=offset_days)).isoformat()


def _row(n, day, time="10:00", minutes="45", place="Room 3, Building 17W"):
    return {
        f"slots-{n}-day": day,
        f"slots-{n}-time": time,
        f"slots-{n}-duration_minutes": minutes,
        f"slots-{n}-location": place,
    }


def _propose(post_form, application, data):
    url = f"/pipeline/applications/{application.id}"
    return post_form(f"{url}/interviews", data, form_page=url)


def _slot(application, **fields) -> InterviewSlot:
    slot = InterviewSlot(
        application_id=application.id,
        starts_at=fields.pop("starts_at", utcnow() + timedelta(days=3)),
        duration_minutes=fields.pop("duration_minutes", 30),
        location=fields.pop("location", "https://meet.example.org/alpha"),
        **fields,
    )
    database.session.add(slot)
    database.session.flush()
    return slot


def test_recruiter_proposes_times_and_the_application_moves_to_interview(
    client, world, login_as, post_form, application, db
):
    login_as(world.recruiter_a)
    data = {**_row(0, _day(7)), **_row(1, _day(8), "14:30", "60", "Zoom"), "message": "Pick one"}
    assert _propose(post_form, application, data).status_code == 303
    db.session.refresh(application)
    assert application.status is S.INTERVIEW
    slots = db.session.scalars(db.select(InterviewSlot).order_by(InterviewSlot.starts_at)).all()
    assert len(slots) == 2
    # 10:00 in Hong Kong is 02:00 UTC the same day.
    expected = datetime.fromisoformat(_day(7) + "T02:00:00").replace(tzinfo=UTC)
    assert slots[0].starts_at == expected and slots[0].duration_minutes == 45
    assert slots[1].location == "Zoom" and slots[0].proposed_by_id == world.recruiter_a.id
    event = db.session.scalar(db.select(ApplicationEvent))
    assert event.to_status is S.INTERVIEW and event.message == "Pick one"
    email = db.session.scalar(db.select(OutboxEmail))
    assert email.to_address == world.student_a1.email and "10:00" in email.body_text
    assert count(AuditEvent, AuditEvent.action == "application.interview_proposed") == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_row(0, "2020-01-01"), "in the past"),
        (_row(0, "2099-01-01", minutes="5"), "An interview lasts 10 to 480 minutes."),
        (_row(0, "2099-01-01", minutes="481"), "An interview lasts 10 to 480 minutes."),
        (_row(0, "2099-01-01", place=""), "a date, a start and a place"),
        (_row(0, "2099-01-01", place="x" * 301), "Keep the place to 300 characters."),
        ({}, "Propose at least one time."),
        (_row(0, "not-a-date"), "Not a valid date value."),
    ],
    ids=["past", "5-minutes", "481-minutes", "no-place", "long-place", "none", "bad-date"],
)
def test_bad_interview_times_are_refused_and_nothing_is_stored(
    client, world, login_as, post_form, application, db, data, message
):
    login_as(world.recruiter_a)
    response = _propose(post_form, application, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.refresh(application)
    assert application.status is S.SHORTLISTED
    assert count(InterviewSlot) == 0 and count(ApplicationEvent) == 0


def test_no_interview_for_a_withdrawn_applicant(client, world, login_as, post_form, db):
    application = application_of(world.student_a1, posting_of(world.company_a), status=S.WITHDRAWN)
    login_as(world.recruiter_a)
    response = _propose(post_form, application, _row(0, _day(3)))
    assert response.status_code == 409
    assert count(InterviewSlot) == 0


def test_student_picks_a_time_and_both_get_the_invitation(
    client, world, login_as, post_form, application, db
):
    application.status = S.INTERVIEW
    starts_at = datetime(2099, 3, 4, 2, 0, tzinfo=UTC)
    slot = _slot(application, starts_at=starts_at, proposed_by_id=world.recruiter_a.id)
    other = _slot(application, starts_at=starts_at + timedelta(days=1))
    login_as(world.student_a1)
    url = f"/me/applications/{application.id}"
    assert "4 Mar 2099, 10:00" in client.get(url).get_data(as_text=True)
    response = post_form(f"{url}/interview", {"slot_id": str(slot.id)}, form_page=url)
    assert response.status_code == 303
    db.session.refresh(slot)
    db.session.refresh(other)
    assert slot.chosen_at is not None and other.chosen_at is None
    emails = db.session.scalars(db.select(OutboxEmail).order_by(OutboxEmail.to_address)).all()
    assert {e.to_address for e in emails} == {world.student_a1.email, world.recruiter_a.email}
    for email in emails:
        assert email.attachment_name == "interview.ics"
        assert email.attachment_type == "text/calendar"
    invite = Calendar.from_ical(emails[0].attachment)
    assert invite["METHOD"] == "REQUEST"
    (event,) = invite.walk("VEVENT")
    assert str(event["UID"]) == f"interview-slot-{slot.id}@talent-foundry"
    assert event.decoded("DTSTART") == starts_at
    assert b"DTSTART:20990304T020000Z" in emails[0].attachment
    assert "Robot Vision Intern" in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == "https://meet.example.org/alpha"
    assert str(event["ORGANIZER"]) == f"mailto:{world.recruiter_a.email}"
    assert str(event["ATTENDEE"]) == f"mailto:{world.student_a1.email}"
    assert count(AuditEvent, AuditEvent.action == "application.interview_chosen") == 1
    page = client.get(url).get_data(as_text=True)
    assert f"/applications/{application.id}/interviews/{slot.id}/invite.ics" in page


def test_only_one_time_can_be_picked(client, world, login_as, post_form, application, db):
    application.status = S.INTERVIEW
    first = _slot(application, chosen_at=utcnow())
    second = _slot(application)
    login_as(world.student_a1)
    url = f"/me/applications/{application.id}"
    response = post_form(f"{url}/interview", {"slot_id": str(second.id)}, form_page=url)
    assert response.status_code == 409
    assert "already picked" in response.get_data(as_text=True)
    db.session.refresh(second)
    assert second.chosen_at is None and first.chosen_at is not None
    assert count(OutboxEmail) == 0


def test_a_time_of_another_application_cannot_be_picked(
    client, world, login_as, post_form, application, db
):
    application.status = S.INTERVIEW
    foreign = _slot(
        application_of(world.student_a2, posting_of(world.company_a), status=S.INTERVIEW)
    )
    login_as(world.student_a1)
    url = f"/me/applications/{application.id}"
    response = post_form(f"{url}/interview", {"slot_id": str(foreign.id)}, form_page=url)
    assert response.status_code == 404
    db.session.refresh(foreign)
    assert foreign.chosen_at is None


def test_the_recruiter_cannot_pick_for_the_student(
    client, world, login_as, post_form, application, db
):
    application.status = S.INTERVIEW
    slot = _slot(application)
    login_as(world.recruiter_a)
    url = f"/me/applications/{application.id}/interview"
    response = post_form(url, {"slot_id": str(slot.id)}, form_page="/company/alpha")
    assert response.status_code == 403
    db.session.refresh(slot)
    assert slot.chosen_at is None


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("student_a1", 200),
        ("recruiter_a", 200),
        ("recruiter_b", 403),
        ("student_a1_other", 403),
    ],
)
def test_who_may_download_the_invitation(client, world, login_as, application, db, who, status):
    slot = _slot(application, chosen_at=utcnow(), proposed_by_id=world.recruiter_a.id)
    login_as(getattr(world, who))
    response = client.get(f"/applications/{application.id}/interviews/{slot.id}/invite.ics")
    assert response.status_code == status
    if status == 200:
        assert response.mimetype == "text/calendar"
        assert b"UID:interview-slot-" in response.data


def test_a_time_not_booked_has_no_invitation(client, world, login_as, application, db):
    slot = _slot(application)
    login_as(world.student_a1)
    url = f"/applications/{application.id}/interviews/{slot.id}/invite.ics"
    assert client.get(url).status_code == 404
