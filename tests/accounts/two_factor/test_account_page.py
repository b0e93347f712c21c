"""The account's second-factor page: anyone signed in turns it on; everyone but park
admins turns it off with their password or a code; new recovery codes; who may not."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from foundry.crypto import decrypt
from tests.accounts.two_factor.conftest import PASSWORD, turn_on, with_password, wrong
from tests.conftest import csrf_from

MANAGE = "/account/two-factor"
ENROL = "/account/two-factor/enrol"
DISABLE = "/account/two-factor/disable"
NEW_CODES = "/account/two-factor/recovery-codes"


def _post(client, url, data, prefix=""):
    token = csrf_from(client.get(MANAGE))
    return client.post(url, data={f"{prefix}csrf_token": token, **data})


@pytest.mark.parametrize(
    ("method", "url"),
    [("GET", MANAGE), ("GET", ENROL), ("POST", ENROL), ("POST", DISABLE), ("POST", NEW_CODES)],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, method, url):
    token = csrf_from(client.get("/companies"))
    response = client.open(url, method=method, data={"csrf_token": token})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_the_page_says_it_is_off_and_offers_to_turn_it_on(client, world, login_as):
    login_as(world.recruiter_a)
    html = client.get(MANAGE).get_data(as_text=True)
    assert "Off" in html and f'href="{ENROL}"' in html


def test_a_user_turns_it_on_by_scanning_and_typing_a_first_code(client, db, world, login_as, clock):
    user = login_as(world.recruiter_a)
    page = client.get(ENROL)
    html = page.get_data(as_text=True)
    assert '<svg role="img"' in html and user.email in html
    db.session.refresh(user)
    secret = decrypt(user.totp_secret_encrypted)
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in html

    refused = client.post(
        ENROL, data={"code": wrong(clock.code(secret)), "csrf_token": csrf_from(page)}
    )
    assert refused.status_code == 400 and "That code is not right" in refused.get_data(as_text=True)

    response = client.post(ENROL, data={"code": clock.code(secret), "csrf_token": csrf_from(page)})
    assert response.status_code == 200
    assert (
        len(re.findall(r"\b[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2}\b", response.get_data(as_text=True)))
        == 10
    )
    db.session.refresh(user)
    assert user.has_second_factor
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_id == str(user.id))
    ).all()
    assert {"user.two_factor_enrolment_started", "user.two_factor_enabled"} <= {
        e.action for e in events
    }
    for event in events:
        assert secret not in event.summary + json.dumps(event.details)
    html = client.get(MANAGE).get_data(as_text=True)
    assert "10 recovery codes left" in html and "Turn off the second factor" in html


def test_the_enrol_page_redirects_when_already_on(client, db, world, login_as, clock):
    turn_on(world.recruiter_a, clock, db)
    login_as(world.recruiter_a)
    response = client.get(ENROL)
    assert response.status_code == 303 and response.headers["Location"].endswith(MANAGE)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the 6-digit code"),
        ("12a456", "Enter the 6-digit code"),
        ("7" * 33, "at most 32"),
        ("abcd-efgh-jk", "Enter the 6-digit code"),
    ],
)
def test_enrolment_refuses_malformed_codes(client, db, world, login_as, code, message):
    user = login_as(world.recruiter_a)
    page = client.get(ENROL)
    response = client.post(ENROL, data={"code": code, "csrf_token": csrf_from(page)})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    db.session.refresh(user)
    assert not user.has_second_factor


def test_a_user_sees_only_their_own_second_factor(client, db, world, login_as, clock):
    turn_on(world.recruiter_a, clock, db)
    a_secret = decrypt(world.recruiter_a.totp_secret_encrypted)
    login_as(world.recruiter_b)
    html = client.get(MANAGE).get_data(as_text=True)
    assert "Off" in html and world.recruiter_a.email not in html
    enrol = client.get(ENROL).get_data(as_text=True)
    assert world.recruiter_b.email in enrol and world.recruiter_a.email not in enrol
    assert a_secret not in enrol.replace(" ", "")


def test_a_recruiter_turns_it_off_with_their_password(client, db, world, login_as, clock):
    user = with_password(world.recruiter_a)
    turn_on(user, clock, db)
    login_as(user)
    refused = _post(client, DISABLE, {"off-password": "not the password!!"}, prefix="off-")
    assert refused.status_code == 400
    assert "That password or code is not right" in refused.get_data(as_text=True)
    db.session.refresh(user)
    assert user.has_second_factor and user.failed_sign_ins == 1

    response = _post(client, DISABLE, {"off-password": PASSWORD}, prefix="off-")
    assert response.status_code == 303
    db.session.refresh(user)
    assert not user.has_second_factor and user.totp_secret_encrypted is None
    assert (
        db.session.scalar(
            sa.select(AuditEvent.actor_id).where(AuditEvent.action == "user.two_factor_disabled")
        )
        == user.id
    )


def test_a_user_without_a_password_turns_it_off_with_a_code(client, db, world, login_as, clock):
    user = world.student_a1  # signs in through the university: no password
    factor = turn_on(user, clock, db)
    login_as(user)
    html = client.get(MANAGE).get_data(as_text=True)
    assert 'name="off-password"' not in html
    refused = _post(client, DISABLE, {"off-password": "anything at all"}, prefix="off-")
    assert refused.status_code == 400
    response = _post(client, DISABLE, {"off-code": clock.code(factor.secret)}, prefix="off-")
    assert response.status_code == 303
    db.session.refresh(user)
    assert not user.has_second_factor


def test_turning_off_needs_something(client, db, world, login_as, clock):
    user = with_password(world.recruiter_a)
    turn_on(user, clock, db)
    login_as(user)
    response = _post(client, DISABLE, {}, prefix="off-")
    assert response.status_code == 400 and "Enter your password or a code" in response.get_data(
        as_text=True
    )
    response = _post(client, DISABLE, {"off-code": "letters"}, prefix="off-")
    assert response.status_code == 400
    db.session.refresh(user)
    assert user.has_second_factor and user.failed_sign_ins == 0


def test_a_park_admin_cannot_turn_it_off(client, db, world, login_as, clock):
    admin = with_password(world.park_admin)
    factor = turn_on(admin, clock, db)
    login_as(admin)
    html = client.get(MANAGE).get_data(as_text=True)
    assert "must keep their second factor on" in html and 'name="off-password"' not in html
    response = _post(
        client,
        DISABLE,
        {"off-password": PASSWORD, "off-code": clock.code(factor.secret)},
        prefix="off-",
    )
    assert response.status_code == 403
    db.session.refresh(admin)
    assert admin.has_second_factor


def test_a_park_admin_signed_in_by_demo_is_told_to_set_it_up(client, world, login_as):
    login_as(world.park_admin)
    html = client.get(MANAGE).get_data(as_text=True)
    assert "Park admins must have a second factor" in html and f'href="{ENROL}"' in html


def test_new_recovery_codes_need_the_password_and_replace_the_old_ones(
    client, db, world, login_as, clock
):
    user = with_password(world.recruiter_a)
    factor = turn_on(user, clock, db)
    login_as(user)
    refused = _post(client, NEW_CODES, {"new-password": "wrong password!!"}, prefix="new-")
    assert refused.status_code == 400
    response = _post(client, NEW_CODES, {"new-password": PASSWORD}, prefix="new-")
    assert response.status_code == 200
    codes = re.findall(r"\b[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2}\b", response.get_data(as_text=True))
    assert len(codes) == 10 and set(codes).isdisjoint(factor.recovery_codes)
    assert "The codes you had before no longer work" in response.get_data(as_text=True)
    db.session.refresh(user)
    from foundry.accounts.two_factor import verify_second_factor

    assert verify_second_factor(user, factor.recovery_codes[0]) is None
    assert verify_second_factor(user, codes[0]) is not None


def test_a_park_admin_may_make_new_recovery_codes(client, db, world, login_as, clock):
    admin = world.park_admin
    factor = turn_on(admin, clock, db)
    login_as(admin)
    response = _post(client, NEW_CODES, {"new-code": factor.recovery_codes[0]}, prefix="new-")
    assert response.status_code == 200


def test_forged_forms_change_nothing(client, db, world, login_as, clock):
    user = with_password(world.recruiter_a)
    turn_on(user, clock, db)
    login_as(user)
    for url in (DISABLE, NEW_CODES):
        response = client.post(
            url, data={"off-password": PASSWORD, "new-password": PASSWORD, "csrf_token": "forged"}
        )
        assert response.status_code == 400
    db.session.refresh(user)
    assert user.has_second_factor


def test_wrong_passwords_on_this_page_lock_the_account(app, client, db, world, login_as, clock):
    user = with_password(world.recruiter_a)
    turn_on(user, clock, db)
    login_as(user)
    for _attempt in range(app.config["SIGN_IN_LOCKOUT_ATTEMPTS"]):
        _post(client, DISABLE, {"off-password": "guess guess guess"}, prefix="off-")
    response = _post(client, DISABLE, {"off-password": PASSWORD}, prefix="off-")
    assert response.status_code == 400 and "locked" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.has_second_factor and user.locked_until is not None
