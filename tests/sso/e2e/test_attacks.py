"""Tampered, replayed, stolen or mixed-up answers from the IdPs are refused: a 4xx page
that says to start again, nobody signed in, no account created."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from foundry.accounts.models import User
from foundry.sso.models import UserIdentity
from tests.sso.e2e.checks import assert_refused, count, page_text, signed_in_user_id
from tests.sso.e2e.flow import SsoBrowser

START_AGAIN = "Start again from this browser"
NOT_VERIFIED = "We could not verify the sign-in response from your university"


def _with_query(url: str, path: str | None = None, **changes) -> str:
    """`url` with query parameters replaced (None removes one) and maybe another path."""
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return urlunsplit(parts._replace(path=path or parts.path, query=urlencode(query)))


def _callback(browser, code="HKUST", account="hkust-student") -> str:
    return browser.sign_in_at_idp(browser.start(code), account)


def test_a_wrong_state_is_refused(campus, browser, caplog):
    users = count(User)
    callback = _callback(browser)

    response = browser.return_to_portal(_with_query(callback, state="forged-state"))

    assert_refused(
        response,
        browser.client,
        START_AGAIN,
        users_before=users,
        caplog=caplog,
        logged="state",
    )


def test_a_missing_state_is_refused(campus, browser):
    users = count(User)
    callback = _callback(browser)

    response = browser.return_to_portal(_with_query(callback, state=None))

    assert_refused(response, browser.client, START_AGAIN, users_before=users)


def test_a_callback_opened_in_another_browser_is_refused(campus, browser, app):
    """A victim's callback URL (code and state) carried to the attacker's browser, or a
    login CSRF: the other browser never started this sign-in."""
    users = count(User)
    callback = _callback(browser)
    other = SsoBrowser(app.test_client())

    response = other.return_to_portal(callback)

    assert_refused(response, other.client, START_AGAIN, users_before=users)


def test_the_same_callback_twice_signs_in_once(campus, browser, app):
    callback = _callback(browser)
    assert browser.return_to_portal(callback).status_code == 303
    student_id = signed_in_user_id(browser.client)

    again = browser.return_to_portal(callback)

    assert again.status_code == 400 and START_AGAIN in page_text(again)
    assert count(User) == 2 and count(UserIdentity) == 1  # the park admin and the student
    assert student_id is not None


def test_a_used_code_is_refused_by_the_idp_even_with_a_fresh_state(campus, browser, caplog):
    """The code was redeemed once; replayed inside a new sign-in of the same browser, the
    IdP refuses it (used, and bound to the first request's PKCE verifier)."""
    first = _callback(browser)
    browser.return_to_portal(first)
    users = count(User)
    fresh_state = parse_qs(urlsplit(browser.start("HKUST")).query)["state"][0]

    response = browser.return_to_portal(_with_query(first, state=fresh_state))

    assert response.status_code == 400 and NOT_VERIFIED in page_text(response)
    assert count(User) == users and count(UserIdentity) == 1
    assert "invalid_grant" in caplog.text


def test_an_answer_from_hkus_idp_delivered_to_hkusts_callback_is_refused(campus, browser, caplog):
    """Mix-up: HKU's code and state taken to HKUST's callback."""
    users = count(User)
    hku_callback = _callback(browser, "HKU", "hku-student")

    response = browser.return_to_portal(_with_query(hku_callback, path="/sso/HKUST/callback"))

    assert_refused(
        response,
        browser.client,
        START_AGAIN,
        users_before=users,
        caplog=caplog,
        logged="'HKU'",
    )


def test_hkus_code_with_hkusts_state_is_refused_by_the_iss_parameter(campus, idp, browser, caplog):
    """Mix-up with the states swapped: the browser started at both universities; HKU's
    code arrives at HKUST's callback with HKUST's state. RFC 9207's iss names HKU."""
    users = count(User)
    hkust_state = parse_qs(urlsplit(browser.start("HKUST")).query)["state"][0]
    hku_callback = _callback(browser, "HKU", "hku-student")

    response = browser.return_to_portal(
        _with_query(hku_callback, path="/sso/HKUST/callback", state=hkust_state)
    )

    assert_refused(
        response,
        browser.client,
        NOT_VERIFIED,
        users_before=users,
        caplog=caplog,
        logged=idp.issuer("hku"),
    )


def test_a_tampered_iss_parameter_is_refused(campus, browser, caplog):
    users = count(User)
    callback = _callback(browser)

    response = browser.return_to_portal(_with_query(callback, iss="https://idp.evil.example"))

    assert_refused(
        response,
        browser.client,
        NOT_VERIFIED,
        users_before=users,
        caplog=caplog,
        logged="https://idp.evil.example",
    )


def test_a_removed_iss_parameter_is_refused(campus, browser, caplog):
    """The IdP says it always sends iss (discovery): an answer without it was altered."""
    users = count(User)
    callback = _callback(browser)

    response = browser.return_to_portal(_with_query(callback, iss=None))

    assert_refused(
        response,
        browser.client,
        NOT_VERIFIED,
        users_before=users,
        caplog=caplog,
        logged="iss",
    )


def test_a_forged_code_is_refused(campus, browser, caplog):
    users = count(User)
    callback = _callback(browser)

    response = browser.return_to_portal(_with_query(callback, code="forged-code"))

    assert_refused(
        response,
        browser.client,
        NOT_VERIFIED,
        users_before=users,
        caplog=caplog,
        logged="invalid_grant",
    )
