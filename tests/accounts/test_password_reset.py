"""Forgotten passwords: one answer for every address, the link by e-mail, single use,
expiry, the race between two uses, and what a new password changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from foundry.accounts.models import AccountToken, TokenPurpose
from foundry.accounts.passwords import verify_password
from foundry.accounts.recovery import reset_password
from foundry.accounts.services import LinkExpired, usable_link
from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.sso.models import UserIdentity
from tests.accounts.factories import PASSWORD, emails_to, link_in, password_user, reload
from tests.conftest import csrf_from, without_csrf_tokens

NEW = "a brand new passphrase"


def ask_reset(post_form, email):
    return post_form("/password/forgot", {"email": email})


def reset_link(address) -> str:
    return link_in(emails_to(address)[-1], "/password/reset/")


def choose(client, link, password=NEW, confirm=None):
    page = client.get(link)
    data = {"password": password, "confirm": confirm or password}
    return client.post(link, data={**data, "csrf_token": csrf_from(page)})


def test_forgot_answers_the_same_for_every_address_and_mails_only_password_accounts(
    client, db, post_form, world
):
    user = password_user()
    inactive = password_user("gone@alpha.example", active=False)
    pages = [
        without_csrf_tokens(ask_reset(post_form, address).get_data(as_text=True))
        for address in (user.email, "nobody@nowhere.example", inactive.email, world.dean_a1.email)
    ]
    assert all("Check your inbox" in page for page in pages)
    assert pages[0] == pages[1] == pages[2] == pages[3]
    [email] = emails_to(user.email)
    assert email.subject == "Choose a new Talent Foundry password"
    assert "60 minutes" in email.body_text
    assert emails_to("nobody@nowhere.example") == []
    assert emails_to(inactive.email) == []
    assert emails_to(world.dean_a1.email) == []  # no password, no university account


def test_an_sso_account_is_told_to_sign_in_with_its_university(client, db, post_form, world):
    student = world.student_a1
    db.session.add(
        UserIdentity(
            user=student,
            university=world.uni_a,
            issuer="https://idp.ua.example",
            subject="s-1",
            email=student.email,
        )
    )
    db.session.commit()
    assert "Check your inbox" in ask_reset(post_form, student.email).get_data(as_text=True)
    [note] = emails_to(student.email)
    assert note.subject == "Your Talent Foundry account has no password"
    assert "/password/reset/" not in note.body_text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AccountToken)) == 0


def test_a_new_password_is_set_and_everything_it_should_change_changes(client, db, post_form):
    user = password_user(
        verified=False, failed_sign_ins=3, locked_until=utcnow() + timedelta(minutes=10)
    )
    ask_reset(post_form, user.email)
    link = reset_link(user.email)

    page = client.get(link)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert user.email in page.get_data(as_text=True)

    response = choose(client, link)
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in"
    user = reload(user)
    assert verify_password(user.password_hash, NEW)
    assert not verify_password(user.password_hash, PASSWORD)
    assert user.password_changed_at is not None
    assert (user.failed_sign_ins, user.locked_until) == (0, None)
    assert user.email_verified_at is not None  # the link proved the mailbox
    assert user.session_version == 1
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.action == "user.password_reset")
        )
        == 1
    )
    changed = emails_to(user.email)[-1]
    assert changed.subject == "Your Talent Foundry password was changed"
    assert NEW not in changed.body_text


def test_a_reset_signs_out_every_other_session(app, client, db, post_form):
    user = password_user()
    other = app.test_client()
    page = other.get("/sign-in")
    other.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_from(page)}
    )
    assert other.get("/notifications").status_code == 200
    ask_reset(post_form, user.email)
    choose(client, reset_link(user.email))
    assert other.get("/notifications").status_code == 302


def test_a_reset_link_works_once(client, db, post_form):
    user = password_user()
    ask_reset(post_form, user.email)
    link = reset_link(user.email)
    assert choose(client, link).status_code == 303
    replay = choose(client, link, "yet another passphrase")
    assert replay.status_code == 410
    assert "Send a new link" in replay.get_data(as_text=True)
    assert verify_password(reload(user).password_hash, NEW)


def test_a_newer_link_replaces_the_older_one(client, db, post_form):
    user = password_user()
    ask_reset(post_form, user.email)
    first = reset_link(user.email)
    ask_reset(post_form, user.email)
    second = reset_link(user.email)
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_an_expired_reset_link_is_refused(client, db, post_form, app):
    user = password_user()
    ask_reset(post_form, user.email)
    link = reset_link(user.email)
    token = db.session.scalar(sa.select(AccountToken))
    minutes = app.config["PASSWORD_RESET_MINUTES"]
    assert (
        timedelta(minutes=minutes - 1) < token.expires_at - utcnow() <= timedelta(minutes=minutes)
    )
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(link).status_code == 410
    assert client.get("/password/reset/made-up").status_code == 400


def test_of_two_uses_racing_only_the_first_wins(app, db):
    user = password_user()
    from foundry.accounts.tokens import issue_token

    _token, raw = issue_token(
        TokenPurpose.RESET_PASSWORD, user.email, timedelta(minutes=5), user=user
    )
    db.session.commit()
    token = usable_link(TokenPurpose.RESET_PASSWORD, raw)  # loaded, as the request would
    with Session(db.engine) as other_request:  # the other click wins the race
        other_request.execute(
            sa.update(AccountToken).where(AccountToken.id == token.id).values(used_at=utcnow())
        )
        other_request.commit()
    with pytest.raises(LinkExpired):
        reset_password(token, NEW)
    db.session.rollback()
    assert verify_password(reload(user).password_hash, PASSWORD)


@pytest.mark.parametrize(
    "password, confirm, message",
    [
        ("", "", "Choose a password."),
        ("short", "short", "Use at least 12 characters."),
        ("x" * 129, "x" * 129, "Use at most 128 characters."),
        ("recruiter-forever-1", "recruiter-forever-1", "Do not use your e-mail address"),
        (NEW, "something else entirely", "The two passwords are not the same."),
    ],
)
def test_bad_new_passwords_are_refused_and_the_link_still_works(
    client, db, post_form, password, confirm, message
):
    user = password_user()
    ask_reset(post_form, user.email)
    link = reset_link(user.email)
    response = choose(client, link, password, confirm)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert verify_password(reload(user).password_hash, PASSWORD)
    assert choose(client, link).status_code == 303


def test_a_forged_csrf_token_changes_nothing(client, db, post_form):
    user = password_user()
    ask_reset(post_form, user.email)
    link = reset_link(user.email)
    client.get(link)
    response = client.post(link, data={"password": NEW, "confirm": NEW, "csrf_token": "x"})
    assert response.status_code == 400
    assert verify_password(reload(user).password_hash, PASSWORD)


def test_forgot_with_bad_input_says_so(client, db, post_form):
    for email, message in (("", "Enter your e-mail address."), ("x@", "Enter an e-mail")):
        response = ask_reset(post_form, email)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
