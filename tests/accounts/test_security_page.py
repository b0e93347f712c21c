"""The account security page: who may see it, changing the password, signing out
everywhere (another device's session stops working), and what it shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.accounts.passwords import verify_password
from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.sso.models import UserIdentity
from tests.accounts.factories import PASSWORD, emails_to, password_user, reload
from tests.conftest import csrf_from

NEW = "a brand new passphrase"


def password_sign_in(client, user, password=PASSWORD):
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": user.email, "password": password, "csrf_token": csrf_from(page)},
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:300]


def change(client, current=PASSWORD, new=NEW, confirm=None):
    page = client.get("/account/security")
    data = {"current_password": current, "password": new, "confirm": confirm or new}
    return client.post("/account/security/password", data={**data, "csrf_token": csrf_from(page)})


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for method, url in (
        ("GET", "/account/security"),
        ("POST", "/account/security/password"),
        ("POST", "/account/security/sign-out-everywhere"),
    ):
        token = csrf_from(client.get("/"))
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_recruiter_cannot_reach_the_admin_console(client, db, world, login_as):
    login_as(world.recruiter_a)
    assert client.get("/admin").status_code == 403
    user = password_user()
    other = client.application.test_client()
    password_sign_in(other, user)
    assert other.get("/admin").status_code == 403


def test_the_page_shows_methods_and_times_in_hong_kong_time(client, db):
    user = password_user(password_changed_at=utcnow().replace(year=2025, month=1, day=2, hour=3))
    password_sign_in(client, user)
    user = reload(user)
    user.last_sign_in_at = user.last_sign_in_at.replace(
        year=2025, month=3, day=4, hour=23, minute=5
    )
    from foundry.extensions import db as _db

    _db.session.commit()
    html = client.get("/account/security").get_data(as_text=True)
    assert "5 Mar 2025, 07:05" in html  # 23:05 UTC is 07:05 the next day in Hong Kong
    assert "2 Jan 2025, 11:" in html
    assert "Change your password" in html
    assert 'action="/account/security/sign-out-everywhere"' in html
    assert "Recent sign-ins" in html and "Signed in" in html


def test_a_university_user_sees_the_university_and_no_password_form(client, db, world, login_as):
    student = world.student_a1
    db.session.add(
        UserIdentity(
            user=student, university=world.uni_a, issuer="https://i", subject="s", email="s@ua.hk"
        )
    )
    db.session.commit()
    login_as(student)
    html = client.get("/account/security").get_data(as_text=True)
    assert "University A" in html and "s@ua.hk" in html
    assert "No: you sign in with your university." in html
    assert 'id="password-heading"' not in html
    response = change(client)
    assert response.status_code == 403


def test_the_page_links_to_the_second_factor_page(client, app, db):
    user = password_user()
    password_sign_in(client, user)
    html = client.get("/account/security").get_data(as_text=True)
    from flask import url_for

    with app.test_request_context():
        assert f'href="{url_for("two_factor.manage")}"' in html


def test_refused_attempts_are_listed(client, db):
    user = password_user()
    other = client.application.test_client()
    page = other.get("/sign-in")
    other.post(
        "/sign-in",
        data={"email": user.email, "password": "wrong password!!", "csrf_token": csrf_from(page)},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    password_sign_in(client, user)
    html = client.get("/account/security").get_data(as_text=True)
    assert "Refused attempt" in html and "203.0.113.9" in html


# --- changing the password -------------------------------------------------------------


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, db):
    user = password_user()
    other = app.test_client()
    password_sign_in(other, user)
    password_sign_in(client, user)

    response = change(client)
    assert response.status_code == 303
    assert client.get("/account/security").status_code == 200
    assert other.get("/account/security").status_code == 302
    user = reload(user)
    assert verify_password(user.password_hash, NEW)
    assert user.session_version == 1
    assert emails_to(user.email)[-1].subject == "Your Talent Foundry password was changed"
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.action == "user.password_changed")
        )
        == 1
    )


def test_a_wrong_current_password_counts_towards_the_lockout(client, app, db):
    user = password_user()
    password_sign_in(client, user)
    response = change(client, current="not my password")
    assert response.status_code == 400
    assert "Your current password is not right" in response.get_data(as_text=True)
    assert reload(user).failed_sign_ins == 1
    for _ in range(app.config["SIGN_IN_LOCKOUT_ATTEMPTS"] - 1):
        change(client, current="not my password")
    assert reload(user).locked_until is not None
    # Locked: even the right current password is refused now.
    assert change(client).status_code == 400
    assert verify_password(reload(user).password_hash, PASSWORD)


@pytest.mark.parametrize(
    "current, new, confirm, message",
    [
        ("", NEW, NEW, "Enter your current password."),
        (PASSWORD, "short", "short", "Use at least 12 characters."),
        (PASSWORD, NEW, "not the same at all", "The two passwords are not the same."),
        (PASSWORD, "recruiter@alpha.example", "recruiter@alpha.example", "e-mail address"),
    ],
)
def test_bad_input_changes_nothing(client, db, current, new, confirm, message):
    user = password_user()
    password_sign_in(client, user)
    response = change(client, current, new, confirm)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert verify_password(reload(user).password_hash, PASSWORD)
    assert reload(user).failed_sign_ins == 0


def test_a_forged_csrf_token_changes_nothing(client, db):
    user = password_user()
    password_sign_in(client, user)
    response = client.post(
        "/account/security/password",
        data={"current_password": PASSWORD, "password": NEW, "confirm": NEW, "csrf_token": "x"},
    )
    assert response.status_code == 400
    assert verify_password(reload(user).password_hash, PASSWORD)


# --- signing out everywhere ------------------------------------------------------------


def test_sign_out_everywhere_ends_the_sessions_of_both_clients(app, client, db):
    user = password_user()
    laptop, phone = client, app.test_client()
    password_sign_in(laptop, user)
    password_sign_in(phone, user)
    assert phone.get("/account/security").status_code == 200

    page = laptop.get("/account/security")
    response = laptop.post(
        "/account/security/sign-out-everywhere", data={"csrf_token": csrf_from(page)}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in"
    assert "signed out on every device" in laptop.get("/sign-in").get_data(as_text=True)
    assert laptop.get("/account/security").status_code == 302
    assert phone.get("/account/security").status_code == 302
    assert reload(user).session_version == 1
    password_sign_in(phone, user)  # a new sign-in works again
    assert phone.get("/account/security").status_code == 200


def test_sign_out_everywhere_needs_a_real_csrf_token(client, db):
    user = password_user()
    password_sign_in(client, user)
    client.get("/account/security")
    response = client.post("/account/security/sign-out-everywhere", data={"csrf_token": "x"})
    assert response.status_code == 400
    assert reload(user).session_version == 0
    assert client.get("/account/security").status_code == 200


def test_the_lockout_period_is_configured_not_hard_coded(app):
    assert app.config["SIGN_IN_LOCKOUT_MINUTES"] > 0
    assert timedelta(minutes=app.config["SIGN_IN_LOCKOUT_MINUTES"])
