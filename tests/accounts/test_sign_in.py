"""Demo sign-in, sign-out, and what anonymous visitors are sent to."""

from __future__ import annotations

import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from tests.conftest import csrf_from


def test_demo_sign_in_lists_users_by_role(client, world):
    html = client.get("/demo/sign-in").get_data(as_text=True)
    for role in (
        "student",
        "dean",
        "placement_officer",
        "university_coordinator",
        "company_admin",
        "recruiter",
        "park_admin",
    ):
        assert f'data-role="{role}"' in html
    assert world.dean_a1.display_name in html


def test_demo_sign_in_signs_in_renews_the_session_and_audits(client, world, db):
    page = client.get("/demo/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    response = client.post(
        "/demo/sign-in", data={"user_id": world.student_a1.id, "csrf_token": csrf_from(page)}
    )
    assert response.status_code == 303
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{world.student_a1.id}:0"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.sign_in"))
    assert event.actor_id == world.student_a1.id


def test_demo_sign_in_follows_next_only_on_site(client, world):
    page = client.get("/demo/sign-in")
    response = client.post(
        "/demo/sign-in",
        data={
            "user_id": world.student_a1.id,
            "next": "//evil.example/x",
            "csrf_token": csrf_from(page),
        },
    )
    assert response.headers["Location"] == "/"


def test_demo_sign_in_with_unknown_user_signs_nobody_in(client, world):
    page = client.get("/demo/sign-in")
    response = client.post("/demo/sign-in", data={"user_id": 999999, "csrf_token": csrf_from(page)})
    assert response.status_code == 303
    assert client.get("/me").status_code == 302


def test_demo_sign_in_with_a_forged_csrf_token_is_refused(client, world):
    client.get("/demo/sign-in")
    response = client.post(
        "/demo/sign-in", data={"user_id": world.park_admin.id, "csrf_token": "forged"}
    )
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
    assert client.get("/admin").status_code == 302


def test_demo_sign_in_is_404_when_disabled(client, app, world):
    app.config["DEMO_SIGN_IN"] = False
    try:
        assert client.get("/demo/sign-in").status_code == 404
    finally:
        app.config["DEMO_SIGN_IN"] = True


def test_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get("/me/profile")
    assert response.status_code == 302
    assert "/sign-in?next=" in response.headers["Location"]


def test_sign_out_needs_post_with_csrf(client, world, login_as):
    login_as(world.student_a1)
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/me").status_code == 200
    page = client.get("/me")
    assert client.post("/sign-out", data={"csrf_token": csrf_from(page)}).status_code == 303
    assert client.get("/me").status_code == 302
