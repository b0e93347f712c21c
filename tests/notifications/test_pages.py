"""The in-app list: one's own notifications only, opening one marks it read and follows its
link on this site, marking all read, and the unread badge in the navbar."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.db import utcnow
from foundry.notifications.models import Notification
from foundry.notifications.queries import remember_unread_count, remembered_unread_count
from foundry.notifications.services import notify

EMPTY_TEXT = "Nothing yet — we will tell you here when something happens"


def note(user, title="Shortlisted", link=None, minutes_ago=0, read=False) -> Notification:
    notification = notify(
        user, "posting.returned", link, email=False, title=title, reason="Body of " + title
    )
    notification.created_at = utcnow() - timedelta(minutes=minutes_ago)
    if read:
        notification.read_at = utcnow()
    return notification


def reload(db, notification) -> Notification:
    db.session.expire_all()
    return db.session.get(Notification, notification.id)


def badge_text(html: str) -> str | None:
    match = re.search(r'<span class="visually-hidden">(\d+ unread notifications?)</span>', html)
    return match.group(1) if match else None


def test_the_list_shows_my_notifications_newest_first_and_no_one_elses(client, world, login_as, db):
    note(world.student_a1, "Older news", minutes_ago=10, read=True)
    note(world.student_a1, "Newest news", minutes_ago=1)
    note(world.student_b1, "Someone else's news")
    login_as(world.student_a1)

    html = client.get("/notifications").get_data(as_text=True)

    assert html.index("Newest news") < html.index("Older news")
    assert "Someone else&#39;s news" not in html and "Someone else's news" not in html
    assert html.count(">New</span>") == 1  # only the unread one is marked new
    assert "Body of Newest news" in html


def test_an_empty_list_says_what_will_appear_here(client, world, login_as):
    login_as(world.recruiter_a)
    html = client.get("/notifications").get_data(as_text=True)
    assert EMPTY_TEXT in html
    assert "Mark all as read" not in html


def test_the_list_is_paginated(client, world, login_as, db):
    for n in range(25):
        note(world.student_a1, f"Notice {n:02d}", minutes_ago=100 - n)
    login_as(world.student_a1)

    first = client.get("/notifications").get_data(as_text=True)
    second = client.get("/notifications?page=2").get_data(as_text=True)

    assert "Notice 24" in first and "Notice 05" in first and "Notice 04" not in first
    assert "Notice 04" in second and "Notice 00" in second and "21–25 of 25" in second


def test_a_bad_page_number_is_refused(client, world, login_as):
    login_as(world.student_a1)
    assert client.get("/notifications?page=zero").status_code == 400


def test_anonymous_visitors_are_sent_to_sign_in(client, world, db):
    target = note(world.student_a1)
    db.session.commit()
    assert "/sign-in" in client.get("/notifications").headers["Location"]
    assert client.post(f"/notifications/{target.id}/open").status_code in (302, 400)
    assert reload(db, target).read_at is None


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    client, world, login_as, post_form, db
):
    target = note(world.student_a1, link="/me")
    login_as(world.student_a1)

    response = post_form(f"/notifications/{target.id}/open", form_page="/notifications")

    assert response.status_code == 303
    assert response.headers["Location"] == "/me"
    assert reload(db, target).read_at is not None


def test_a_link_written_for_an_email_opens_on_this_site(client, world, login_as, post_form, db):
    target = note(world.student_a1, link="http://localhost/me?tab=cv")
    login_as(world.student_a1)

    response = post_form(f"/notifications/{target.id}/open", form_page="/notifications")

    assert response.headers["Location"] == "/me?tab=cv"


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/me",
        "//evil.example/me",
        "/\\evil.example/me",
        "/\t/evil.example",
        None,
    ],
)
def test_a_link_off_this_site_is_not_followed(client, world, login_as, post_form, db, link):
    target = note(world.student_a1, link=link)
    login_as(world.student_a1)

    response = post_form(
        f"/notifications/{target.id}/open",
        {"next": "/notifications?page=1"},
        form_page="/notifications",
    )

    assert response.status_code == 303
    assert response.headers["Location"] == "/notifications?page=1"
    assert reload(db, target).read_at is not None


def test_opening_needs_a_post_with_a_csrf_token(client, world, login_as, db):
    target = note(world.student_a1, link="/me")
    login_as(world.student_a1)

    assert client.get(f"/notifications/{target.id}/open").status_code == 405
    assert client.post(f"/notifications/{target.id}/open").status_code == 400
    assert client.post("/notifications/read-all").status_code == 400
    assert reload(db, target).read_at is None


def test_no_one_can_open_another_users_notification(client, world, login_as, post_form, db):
    theirs = note(world.student_b1, link="/me")
    login_as(world.student_a1)

    response = post_form(f"/notifications/{theirs.id}/open", form_page="/notifications")

    assert response.status_code == 404
    assert "does not exist" in response.get_data(as_text=True)
    assert reload(db, theirs).read_at is None


@pytest.mark.parametrize("who", ["recruiter_b", "park_admin", "dean_a1"])
def test_not_even_an_admin_or_staff_can_open_a_students_notification(
    client, world, login_as, post_form, db, who
):
    theirs = note(world.student_a1)
    login_as(getattr(world, who))
    response = post_form(f"/notifications/{theirs.id}/open", form_page="/notifications")
    assert response.status_code == 404
    assert reload(db, theirs).read_at is None


def test_mark_all_as_read_marks_only_mine(client, world, login_as, post_form, db):
    mine = [note(world.student_a1, f"Mine {n}") for n in range(3)]
    theirs = note(world.student_b1, "Theirs")
    login_as(world.student_a1)

    response = post_form("/notifications/read-all", form_page="/notifications")

    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 notifications marked as read." in page
    assert all(reload(db, n).read_at is not None for n in mine)
    assert reload(db, theirs).read_at is None
    again = post_form("/notifications/read-all", form_page="/notifications", follow_redirects=True)
    assert "You had no unread notifications." in again.get_data(as_text=True)


def test_the_navbar_badge_counts_unread_notifications(client, world, login_as, db):
    for n in range(3):
        note(world.student_a1, f"Unread {n}")
    note(world.student_a1, "Read", read=True)
    note(world.student_b1, "Not mine")
    login_as(world.student_a1)

    assert badge_text(client.get("/me").get_data(as_text=True)) == "3 unread notifications"

    db.session.execute(sa.update(Notification).values(read_at=utcnow()))
    db.session.commit()
    html = client.get("/me").get_data(as_text=True)
    assert badge_text(html) is None
    assert 'href="/notifications"' in html


def test_the_count_read_with_the_session_is_dropped_once_notifications_change(app, world):
    """The count read with the session row serves the badge only while the request has
    not written notifications; after a change (any user's: cheap to recount) it is gone."""
    a1 = world.student_a1.id
    with app.test_request_context("/"):
        remember_unread_count(a1, 5)
        assert remembered_unread_count(a1) == 5
        assert remembered_unread_count(world.student_b1.id) is None  # kept for A1 only
        note(world.student_b1, "Someone else's news")
        assert remembered_unread_count(a1) is None


def test_the_badge_says_one_in_the_singular(client, world, login_as):
    note(world.recruiter_a, "New applicant")
    login_as(world.recruiter_a)
    html = client.get("/notifications").get_data(as_text=True)
    assert badge_text(html) == "1 unread notification"


def test_anonymous_pages_have_no_notifications_link(client, world):
    assert 'href="/notifications"' not in client.get("/companies").get_data(as_text=True)


def test_email_links_never_take_their_host_from_the_request(app, world):
    """A sender controls the Host header; the links in someone else's e-mail must not."""
    from foundry.urls import absolute_url

    before = app.config["PUBLIC_BASE_URL"]
    app.config["PUBLIC_BASE_URL"] = "https://portal.example.org"
    try:
        with app.test_request_context("/", headers={"Host": "evil.example"}):
            assert absolute_url("/pipeline/applications/1") == (
                "https://portal.example.org/pipeline/applications/1"
            )
    finally:
        app.config["PUBLIC_BASE_URL"] = before
