"""A run of interview times on one day: typed in Hong Kong time, stored in UTC, previewed
first if the recruiter asks; bad runs and times that clash are refused whole."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from foundry.applications.models import ApplicationEvent, ApplicationStatus, InterviewSlot
from foundry.db import utcnow
from foundry.notifications.models import OutboxEmail
from tests.applications import application_of, count, posting_of

S = ApplicationStatus
HKT = ZoneInfo("Asia/Hong_Kong")


@pytest.fixture
def posting(world, db):
    posting = posting_of(world.company_a, title="Robot Vision Intern")
    db.session.commit()
    return posting


@pytest.fixture
def application(world, posting, db):
    application = application_of(world.student_a1, posting, status=S.SHORTLISTED)
    db.session.commit()
    return application


def _day(offset_days: int) -> date:
    return utcnow().astimezone(HKT).date() + timedelta(days=offset_days)


def _run(day=None, start="09:30", minutes="30", count="3", gap="15", place="Room 3, 17W", **more):
    day = _day(7) if day is None else day
    return {
        "day": day.isoformat() if isinstance(day, date) else day,
        "first_start": start,
        "duration_minutes": minutes,
        "count": count,
        "gap_minutes": gap,
        "location": place,
        **more,
    }


def _propose(post_form, application, data):
    url = f"/pipeline/applications/{application.id}"
    return post_form(f"{url}/interviews/run", data, form_page=url)


def _read(day: date) -> str:
    """A day as people read it in English (foundry.i18n.format_day): 14 Dec 2026."""
    return f"{day.day} {day:%b} {day.year}"


def _utc(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _starts(db) -> list[datetime]:
    return list(db.session.scalars(db.select(InterviewSlot.starts_at).order_by("starts_at")))


def _slot(application, starts_at, minutes=30, by=None, chosen=False):
    from foundry.extensions import db

    slot = InterviewSlot(
        application_id=application.id,
        starts_at=starts_at,
        duration_minutes=minutes,
        location="Room 1",
        proposed_by_id=by.id if by else None,
        chosen_at=utcnow() if chosen else None,
    )
    db.session.add(slot)
    db.session.commit()
    return slot


def test_a_run_proposes_its_times_in_hong_kong_time_stored_in_utc(
    client, world, login_as, post_form, application, db
):
    login_as(world.recruiter_a)
    response = _propose(post_form, application, _run(message="Pick one"))
    assert response.status_code == 303
    day = _day(7)
    # 09:30, 10:15 and 11:00 in Hong Kong (UTC+8, no daylight saving time).
    assert _starts(db) == [_utc(day, 1, 30), _utc(day, 2, 15), _utc(day, 3, 0)]
    slots = db.session.scalars(db.select(InterviewSlot)).all()
    assert {(s.duration_minutes, s.location, s.proposed_by_id) for s in slots} == {
        (30, "Room 3, 17W", world.recruiter_a.id)
    }
    db.session.refresh(application)
    assert application.status is S.INTERVIEW
    event = db.session.scalar(db.select(ApplicationEvent))
    assert event.to_status is S.INTERVIEW and event.message == "Pick one"
    email = db.session.scalar(db.select(OutboxEmail))
    for hkt in ("09:30", "10:15", "11:00"):
        assert f"{_read(day)}, {hkt}" in email.body_text


def test_a_run_early_in_the_morning_is_stored_on_the_previous_utc_day(
    client, world, login_as, post_form, application, db
):
    login_as(world.recruiter_a)
    response = _propose(post_form, application, _run(start="07:30", minutes="20", gap="0"))
    assert response.status_code == 303
    day, before = _day(7), _day(6)
    assert _starts(db) == [_utc(before, 23, 30), _utc(before, 23, 50), _utc(day, 0, 10)]


def test_the_preview_lists_the_times_and_stores_nothing(
    client, world, login_as, post_form, application, db
):
    login_as(world.recruiter_a)
    response = _propose(post_form, application, _run(preview="1"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "This proposes 3 times (Hong Kong time):" in html
    day = _read(_day(7))
    for times in ("09:30–10:00", "10:15–10:45", "11:00–11:30"):
        start, end = times.split("–")
        assert f"{day}, {start}–{end}" in html
    assert 'value="Room 3, 17W"' in html  # the form keeps what was typed
    assert count(InterviewSlot) == 0 and count(ApplicationEvent) == 0


def test_a_run_may_end_exactly_at_midnight(client, world, login_as, post_form, application, db):
    login_as(world.recruiter_a)
    data = _run(start="22:30", minutes="45", count="1", gap="0")
    assert _propose(post_form, application, data).status_code == 303
    data = _run(start="23:15", minutes="45", count="1", gap="0")
    assert _propose(post_form, application, data).status_code == 303
    assert len(_starts(db)) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_run(day=_day(-1)), "That day has passed."),
        (_run(day=_day(0), start="00:00", count="1"), "A proposed time is in the past."),
        (_run(count="0"), "Propose between 1 and 5 times."),
        (_run(count="-2"), "Propose between 1 and 5 times."),
        (_run(count="6"), "Propose between 1 and 5 times."),
        (_run(count="99999999999999999999"), "Propose between 1 and 5 times."),
        (_run(count="two"), "Not a valid integer value."),
        (_run(minutes="0"), "An interview lasts 10 to 480 minutes."),
        (_run(minutes="-30"), "An interview lasts 10 to 480 minutes."),
        (_run(minutes="100000"), "An interview lasts 10 to 480 minutes."),
        (_run(gap="-5"), "Keep the break between 0 and 240 minutes."),
        (_run(gap="241"), "Keep the break between 0 and 240 minutes."),
        (_run(start="23:00", minutes="45", count="2", gap="0"), "run past midnight"),
        (_run(start="18:00", minutes="240", count="2", gap="60"), "run past midnight"),
        (_run(place=""), "Give a place or a video link."),
        (_run(place="x" * 301), "Keep the place to 300 characters."),
        (_run(day=""), "Choose the day of the interviews."),
        (_run(day="2030-02-30"), "Not a valid date value."),
        (_run(start="25:00"), "Not a valid time value."),
        (_run(start=""), "Give the time the first interview starts."),
    ],
    ids=[
        "day-past",
        "today-time-past",
        "count-zero",
        "count-negative",
        "count-six",
        "count-huge",
        "count-word",
        "length-zero",
        "length-negative",
        "length-huge",
        "gap-negative",
        "gap-huge",
        "crosses-midnight",
        "long-crosses-midnight",
        "no-place",
        "long-place",
        "no-day",
        "bad-day",
        "bad-time",
        "no-time",
    ],
)
def test_a_bad_run_is_refused_whole(
    client, world, login_as, post_form, application, db, data, message
):
    login_as(world.recruiter_a)
    for preview in ({}, {"preview": "1"}):
        response = _propose(post_form, application, {**data, **preview})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    db.session.refresh(application)
    assert application.status is S.SHORTLISTED
    assert count(InterviewSlot) == 0 and count(ApplicationEvent) == 0 and count(OutboxEmail) == 0


def _nine_thirty(offset_days=7) -> datetime:
    day = _day(offset_days)
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=HKT)


@pytest.mark.parametrize("closed", [S.WITHDRAWN, S.REJECTED, S.DECLINED])
def test_a_time_booked_by_a_closed_application_is_free_again(
    client, world, login_as, post_form, application, posting, db, closed
):
    other = application_of(world.student_a2, posting, status=S.INTERVIEW)
    _slot(other, _nine_thirty() + timedelta(minutes=60), by=world.recruiter_a, chosen=True)
    other.status = closed
    db.session.commit()
    login_as(world.recruiter_a)
    response = _propose(post_form, application, _run())
    assert response.status_code == 303
    assert count(InterviewSlot) == 4


@pytest.mark.parametrize("same", ["interviewer", "posting"])
def test_a_run_overlapping_a_time_in_play_is_refused(
    client, world, login_as, post_form, application, posting, db, same
):
    if same == "interviewer":  # the same recruiter, for another posting's applicant
        other = application_of(world.student_a2, posting_of(world.company_a), status=S.INTERVIEW)
        by = world.recruiter_a
    else:  # a colleague, for another applicant of the same posting
        other = application_of(world.student_a2, posting, status=S.INTERVIEW)
        by = world.company_admin_a
    _slot(other, _nine_thirty() + timedelta(minutes=60), minutes=30, by=by)
    login_as(world.recruiter_a)
    for preview in ({}, {"preview": "1"}):
        response = _propose(post_form, application, {**_run(), **preview})
        assert response.status_code == 409
        html = response.get_data(as_text=True)
        day = _read(_day(7))
        assert f"{day}, 10:15 HKT overlaps an interview time already proposed" in html
        assert f"({day}, 10:30 HKT)" in html
    db.session.refresh(application)
    assert application.status is S.SHORTLISTED and count(InterviewSlot) == 1


def test_times_no_longer_in_play_or_of_another_company_do_not_block_a_run(
    client, world, login_as, post_form, application, posting, db
):
    rejected = application_of(world.student_a2, posting, status=S.REJECTED)
    _slot(rejected, _nine_thirty(), by=world.recruiter_a)
    booked_elsewhere = application_of(world.student_b1, posting, status=S.INTERVIEW)
    _slot(booked_elsewhere, _nine_thirty() + timedelta(days=1), by=world.recruiter_a, chosen=True)
    _slot(booked_elsewhere, _nine_thirty(), by=world.recruiter_a)  # not picked: free again
    foreign = application_of(world.student_a1_other, posting_of(world.company_b), S.INTERVIEW)
    _slot(foreign, _nine_thirty(), by=world.recruiter_b)
    adjacent = application_of(world.student_a1_other, posting, status=S.INTERVIEW)
    _slot(adjacent, _nine_thirty() - timedelta(minutes=30), minutes=30, by=world.recruiter_a)
    login_as(world.recruiter_a)
    assert _propose(post_form, application, _run()).status_code == 303
    assert count(InterviewSlot, InterviewSlot.application_id == application.id) == 3


def test_a_booked_time_blocks_a_run(client, world, login_as, post_form, application, posting, db):
    other = application_of(world.student_a2, posting, status=S.INTERVIEW)
    _slot(other, _nine_thirty(), by=world.company_admin_a, chosen=True)
    login_as(world.recruiter_a)
    response = _propose(post_form, application, _run())
    assert response.status_code == 409 and "overlaps" in response.get_data(as_text=True)
    assert count(InterviewSlot) == 1


def test_one_by_one_times_that_overlap_each_other_are_refused(
    client, world, login_as, post_form, application, db
):
    day = _day(7).isoformat()
    data = {}
    for n, time in enumerate(("10:00", "10:30")):
        data |= {
            f"slots-{n}-day": day,
            f"slots-{n}-time": time,
            f"slots-{n}-duration_minutes": "45",
            f"slots-{n}-location": "Room 3",
        }
    login_as(world.recruiter_a)
    url = f"/pipeline/applications/{application.id}"
    response = post_form(f"{url}/interviews", data, form_page=url)
    assert response.status_code == 400
    assert "Two of the proposed times overlap." in response.get_data(as_text=True)
    assert count(InterviewSlot) == 0 and count(ApplicationEvent) == 0


@pytest.mark.parametrize("who", ["recruiter_b", "student_a1", "dean_a1", "coordinator_a"])
def test_who_may_not_propose_a_run(client, world, login_as, post_form, application, db, who):
    login_as(getattr(world, who))
    url = f"/pipeline/applications/{application.id}/interviews/run"
    assert post_form(url, _run(), form_page="/companies").status_code == 403
    assert count(InterviewSlot) == 0


def test_anonymous_cannot_propose_a_run(client, world, post_form, application, db):
    url = f"/pipeline/applications/{application.id}/interviews/run"
    assert post_form(url, _run(), form_page="/companies").status_code == 302
    assert count(InterviewSlot) == 0


def test_a_run_without_the_csrf_token_is_refused(client, world, login_as, application, db):
    login_as(world.recruiter_a)
    url = f"/pipeline/applications/{application.id}/interviews/run"
    assert client.post(url, data=_run()).status_code == 400
    assert count(InterviewSlot) == 0
