"""The student follows their applications: the list, the timeline, withdrawing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from foundry.applications.models import (
    ApplicationEvent,
    ApplicationNote,
    ApplicationStatus,
)
from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.notifications.models import Notification
from tests.applications import application_of, count, posting_of
from tests.statements import outline, statements_of_request


def test_my_applications_lists_only_mine_with_their_status(client, world, login_as, db):
    mine = application_of(
        world.student_a1,
        posting_of(world.company_a, title="Robot Intern"),
        status=ApplicationStatus.SHORTLISTED,
    )
    application_of(world.student_a2, posting_of(world.company_b, title="Someone Else's"))
    login_as(world.student_a1)
    html = client.get("/me/applications").get_data(as_text=True)
    assert "Robot Intern" in html and "Alpha Robotics" in html and "Shortlisted" in html
    assert f"/me/applications/{mine.id}" in html
    assert "Someone Else" not in html


def test_my_applications_filter_sort_and_paginate(client, world, login_as, db):
    now = utcnow()
    for n in range(22):
        application_of(
            world.student_a1,
            posting_of(world.company_a, title=f"Role {n:02d}"),
            submitted_at=now - timedelta(days=n),
            status=ApplicationStatus.REJECTED if n == 5 else ApplicationStatus.SUBMITTED,
        )
    login_as(world.student_a1)
    first = client.get("/me/applications").get_data(as_text=True)
    assert "Role 00" in first and "Role 21" not in first
    assert "1–20 of 22" in first
    second = client.get("/me/applications?page=2").get_data(as_text=True)
    assert "Role 21" in second
    by_title = client.get("/me/applications?sort=-title").get_data(as_text=True)
    assert by_title.index("Role 21") < by_title.index("Role 03")
    rejected = client.get("/me/applications?status=rejected").get_data(as_text=True)
    assert "Role 05" in rejected and "Role 04" not in rejected
    # The total under a filter is that status's count (the page takes it from the counts).
    submitted = client.get("/me/applications?status=submitted&page=2").get_data(as_text=True)
    assert "21–21 of 21" in submitted and "Role 05" not in submitted


def test_my_applications_read_only_what_the_list_shows(client, world, login_as, db):
    """No count statement of its own (the counts by status hold the total), and none of
    the letters, answers or postings' descriptions, which the list does not show."""
    application_of(world.student_a1, posting_of(world.company_a, title="Robot Intern"))
    login_as(world.student_a1)
    statements, response = statements_of_request(client, "/me/applications")
    assert "Robot Intern" in response.get_data(as_text=True)
    text = outline(statements)
    assert not [
        s
        for s in statements
        if "count(*)" in s.sql and "GROUP BY" not in s.sql and "notifications" not in s.sql
    ], text
    listed = [s.sql for s in statements if "JOIN postings" in s.sql]
    assert len(listed) == 1, text
    assert "cover_letter" not in listed[0] and "postings_1.description" not in listed[0], text


@pytest.mark.parametrize("query", ["sort=cv_content", "status=lost", "page=x"])
def test_my_applications_refuse_bad_parameters(client, world, login_as, query):
    login_as(world.student_a1)
    assert client.get(f"/me/applications?{query}").status_code == 400


def test_an_empty_list_says_what_to_do(client, world, login_as):
    login_as(world.student_a1)
    html = client.get("/me/applications").get_data(as_text=True)
    assert "You have not applied yet" in html and "/postings" in html


def test_the_timeline_shows_every_change_and_message(client, world, login_as, db):
    application = application_of(world.student_a1, posting_of(world.company_a))
    start = utcnow().replace(hour=1, minute=30, second=0, microsecond=0)
    db.session.add_all(
        [
            ApplicationEvent(
                application_id=application.id,
                to_status=ApplicationStatus.SUBMITTED,
                created_at=start,
            ),
            ApplicationEvent(
                application_id=application.id,
                actor_id=world.recruiter_a.id,
                from_status=ApplicationStatus.SUBMITTED,
                to_status=ApplicationStatus.SHORTLISTED,
                message="We liked your robot arm project.",
                created_at=start + timedelta(hours=1),
            ),
        ]
    )
    db.session.add(
        ApplicationNote(
            application_id=application.id, author_id=world.recruiter_a.id, body="SECRET"
        )
    )
    login_as(world.student_a1)
    html = client.get(f"/me/applications/{application.id}").get_data(as_text=True)
    assert "We liked your robot arm project." in html
    assert "Application sent" in html and "Shortlisted" in html
    # Stored in UTC, shown in Hong Kong time (UTC+8).
    assert f"{start.day} {start:%b} {start.year}, 09:30" in html  # 6 Dec 2026, 09:30
    assert "SECRET" not in html


@pytest.mark.parametrize("who", ["student_a1_other", "student_b1", "recruiter_a", "dean_a1"])
def test_only_the_student_opens_their_application_page(client, world, login_as, who):
    application = application_of(world.student_a1, posting_of(world.company_a))
    login_as(getattr(world, who))
    assert client.get(f"/me/applications/{application.id}").status_code == 403


def test_student_withdraws_an_open_application(client, world, login_as, post_form, db):
    application = application_of(world.student_a1, posting_of(world.company_a))
    login_as(world.student_a1)
    url = f"/me/applications/{application.id}"
    response = post_form(f"{url}/withdraw", {"reason": "I took another role."}, form_page=url)
    assert response.status_code == 303
    db.session.refresh(application)
    assert application.status is ApplicationStatus.WITHDRAWN
    event = db.session.scalar(db.select(ApplicationEvent))
    assert (
        event.to_status is ApplicationStatus.WITHDRAWN and event.message == "I took another role."
    )
    assert count(AuditEvent, AuditEvent.action == "application.moved") == 1
    told = {n.user_id for n in db.session.scalars(db.select(Notification))}
    assert told == {world.company_admin_a.id, world.recruiter_a.id}
    assert "Withdraw my application" not in client.get(url).get_data(as_text=True)


def test_a_closed_application_cannot_be_withdrawn(client, world, login_as, post_form, db):
    application = application_of(
        world.student_a1, posting_of(world.company_a), status=ApplicationStatus.REJECTED
    )
    login_as(world.student_a1)
    url = f"/me/applications/{application.id}"
    response = post_form(f"{url}/withdraw", {}, form_page="/me/applications")
    assert response.status_code == 409
    assert "can no longer be withdrawn" in response.get_data(as_text=True)
    db.session.refresh(application)
    assert application.status is ApplicationStatus.REJECTED
    assert count(ApplicationEvent) == 0


def test_a_too_long_withdrawal_reason_is_refused(client, world, login_as, post_form, db):
    application = application_of(world.student_a1, posting_of(world.company_a))
    login_as(world.student_a1)
    url = f"/me/applications/{application.id}"
    response = post_form(f"{url}/withdraw", {"reason": "x" * 2001}, form_page=url)
    assert response.status_code == 400
    assert "Keep the reason to 2,000 characters." in response.get_data(as_text=True)
    db.session.refresh(application)
    assert application.status is ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("who", ["recruiter_a", "student_a1_other"])
def test_others_cannot_withdraw_a_students_application(client, world, login_as, post_form, who):
    application = application_of(world.student_a1, posting_of(world.company_a))
    login_as(getattr(world, who))
    response = post_form(f"/me/applications/{application.id}/withdraw", {}, form_page="/companies")
    assert response.status_code == 403
    assert count(ApplicationEvent) == 0


def test_anonymous_is_sent_to_sign_in(client, world):
    application = application_of(world.student_a1, posting_of(world.company_a))
    for url in ("/me/applications", f"/me/applications/{application.id}"):
        assert client.get(url).status_code == 302
