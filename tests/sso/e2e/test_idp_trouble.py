"""When the IdP is down, answers nonsense, or changes its secret or keys: a clear 4xx page
(never a 500), and rotations work without restarting the portal."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from foundry.accounts.models import User
from foundry.sso import client as sso_client
from foundry.sso.services import configure_connection
from tests.sso.e2e.checks import assert_refused, count, signed_in_user_id, user_by_email
from tests.sso.e2e.flow import SsoBrowser

UNREACHABLE = "We could not reach your university's sign-in service"
UNACCEPTABLE = "answered in a way we cannot accept"
NOT_VERIFIED = "We could not verify the sign-in response from your university"


class _HtmlEverywhere(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self):  # noqa: N802 (the http.server API)
        body = b"<!DOCTYPE html><html><body><h1>Welcome to our portal</h1></body></html>"
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.fixture
def garbage_server():
    """A local web server that answers every request with an HTML page."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HtmlEverywhere)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _reconnect(campus, university, **changes):
    connection = university.sso
    configure_connection(
        university,
        actor=campus.park_admin,
        issuer=changes.pop("issuer", connection.issuer),
        client_id=connection.client_id,
        **changes,
    )


def test_idp_down_before_sign_in_gives_a_clear_page(campus, idp, browser):
    users = count(User)
    idp.stop()

    response = browser.client.get("/sso/HKUST/login")

    assert_refused(response, browser.client, UNREACHABLE, users_before=users)


def test_idp_down_when_the_browser_comes_back_gives_a_clear_page(campus, idp, browser):
    users = count(User)
    callback = browser.sign_in_at_idp(browser.start("HKUST"), "hkust-student")
    idp.stop()

    response = browser.return_to_portal(callback)

    assert_refused(response, browser.client, UNREACHABLE, users_before=users)


def test_an_issuer_answering_html_gives_a_clear_page(campus, browser, garbage_server):
    _reconnect(campus, campus.hkust, issuer=f"{garbage_server}/hkust")
    users = count(User)

    response = browser.client.get("/sso/HKUST/login")

    assert_refused(response, browser.client, UNACCEPTABLE, users_before=users)


def test_an_issuer_failing_with_500_gives_a_clear_page(campus, browser, garbage_server):
    _HtmlEverywhere.status = 500
    try:
        _reconnect(campus, campus.hkust, issuer=f"{garbage_server}/hkust")
        users = count(User)

        response = browser.client.get("/sso/HKUST/login")
    finally:
        _HtmlEverywhere.status = 200

    assert_refused(response, browser.client, UNREACHABLE, users_before=users)


def test_a_rotated_client_secret_works_once_configured_without_restarting(campus, idp, app, caplog):
    idp.rotate_client_secret("hkust", "hkust-client-secret-2")
    users = count(User)
    stale = SsoBrowser(app.test_client())
    refused = stale.sign_in("HKUST", "hkust-student")
    assert_refused(
        refused,
        stale.client,
        NOT_VERIFIED,
        users_before=users,
        caplog=caplog,
        logged="invalid_client",
    )

    _reconnect(campus, campus.hkust, client_secret="hkust-client-secret-2")
    browser = SsoBrowser(app.test_client())
    browser.sign_in("HKUST", "hkust-student")

    assert signed_in_user_id(browser.client) == user_by_email("ka.ming.chan@connect.ust.hk").id


def test_signing_keys_rotated_under_the_same_kid_are_fetched_again(campus, idp, app, monkeypatch):
    first = SsoBrowser(app.test_client())
    first.sign_in("HKUST", "hkust-student")  # the portal now holds the old keys
    idp.restart(new_keys=True, same_kid=True)
    fetched = []
    real_get = requests.get

    def spy(url, *args, **kwargs):
        fetched.append(url)
        return real_get(url, *args, **kwargs)

    monkeypatch.setattr(requests, "get", spy)

    again = SsoBrowser(app.test_client())
    again.sign_in("HKUST", "hkust-student")

    assert signed_in_user_id(again.client) == signed_in_user_id(first.client) is not None
    assert fetched == [f"{idp.issuer('hkust')}/jwks"]  # discovery cached; keys fetched again


def test_email_sent_only_by_userinfo_is_used(campus, idp, browser, monkeypatch):
    idp.update_account("hku-student", userinfo_only=["email", "email_verified"])
    asked = []
    real_fetch = sso_client.fetch_userinfo

    def spy(metadata, access_token, subject):
        claims = real_fetch(metadata, access_token, subject)
        asked.append(claims)
        return claims

    monkeypatch.setattr(sso_client, "fetch_userinfo", spy)

    browser.sign_in("HKU", "hku-student")

    assert [claims["email"] for claims in asked] == ["hoi.ying.lam@connect.hku.hk"]
    student = user_by_email("hoi.ying.lam@connect.hku.hk")
    assert signed_in_user_id(browser.client) == student.id
