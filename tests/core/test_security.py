"""Security headers on every response, forwarded headers only from trusted proxies,
absolute links only on PUBLIC_BASE_URL, and the templates free of anything the
Content-Security-Policy would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask, request
from werkzeug.routing import IntegerConverter
from werkzeug.test import Client

from config import ConfigurationError
from foundry import create_app
from foundry.security import TrustedProxyFix, trusted_networks

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_CSP = {
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def csp_of(response) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


def assert_security_headers(
    response, where: str, *, framable: bool = False, camera: bool = False
) -> None:
    csp = csp_of(response)
    for directive, value in REQUIRED_CSP.items():
        if directive == "frame-ancestors" and framable:
            value = "'self'"
        assert csp.get(directive) == value, f"{where}: CSP {directive} is {csp.get(directive)!r}"
    assert "unsafe-inline" not in csp.get("script-src", "") + csp.get("style-src", "")
    assert "unsafe-eval" not in response.headers.get("Content-Security-Policy", "")
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    # Pages whose address holds a secret token keep their own, stricter policy.
    assert response.headers.get("Referrer-Policy") in (
        "strict-origin-when-cross-origin",
        "no-referrer",
    ), where
    # Only a page that scans QR codes (a check-in page) may use the camera, and only ours.
    camera_policy = "camera=(self)" if camera else "camera=()"
    assert camera_policy in response.headers.get("Permissions-Policy", ""), where
    assert response.headers.get("X-Frame-Options") == ("SAMEORIGIN" if framable else "DENY")


def _sample_path(rule) -> str:
    values = {
        name: 1
        if isinstance(converter, IntegerConverter)
        else sorted(getattr(converter, "items", None) or ["x"])[0]
        for name, converter in rule._converters.items()
    }
    if rule.endpoint == "static":
        values = {"filename": "css/foundry.css"}
    return rule.build(values, append_unknown=False)[1]


def test_every_route_answers_with_the_security_headers(app, client, login_as, world):
    """Every rule of the URL map, with each of its methods, anonymous and signed in:
    whatever the answer (page, redirect, 400, 403, 404, 405), it carries the headers."""
    login_as(world.student_a1)
    anonymous = app.test_client()
    checked = 0
    for rule in app.url_map.iter_rules():
        path = _sample_path(rule)
        view = app.view_functions[rule.endpoint]
        # What the view declares, read by key: Talisman fills a view's options with every
        # default the first time the view answers, so a search of the whole dict would
        # find "frame-ancestors" in any view that ran earlier in this process.
        options = getattr(view, "talisman_view_options", {})
        framable = options.get("frame_options") == "SAMEORIGIN"
        camera = (options.get("permissions_policy") or {}).get("camera") == "(self)"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for who, c in (("anonymous", anonymous), ("student", client)):
                response = c.open(path, method=method, buffered=True)
                where = f"{who} {method} {path} ({rule.endpoint})"
                assert_security_headers(response, where, framable=framable, camera=camera)
                checked += 1
    assert checked > 150


def test_stored_pdfs_may_be_framed_by_our_own_pages_only(client, world, login_as, db):
    from foundry.demo.pdf import minimal_pdf
    from tests.factories import CVFactory, profile_of

    login_as(world.student_a1)
    cv = CVFactory(profile=profile_of(world.student_a1), content=minimal_pdf(["CV"]))
    db.session.commit()
    response = client.get(f"/cvs/{cv.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert_security_headers(response, "a CV", framable=True)


def test_hsts_in_production_only_over_https(monkeypatch, tmp_path):
    app = production_app(monkeypatch, tmp_path)
    client = app.test_client()
    secure = client.get("/healthz", base_url="https://talentfoundry.example")
    assert "max-age=31536000" in secure.headers["Strict-Transport-Security"]
    assert_security_headers(secure, "production /healthz")
    plain = client.get(
        "/healthz",
        base_url="http://talentfoundry.example",
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    assert "Strict-Transport-Security" not in plain.headers  # the proxy redirects to https
    dev = create_app("testing").test_client().get("/healthz", base_url="https://x.example")
    assert "Strict-Transport-Security" not in dev.headers
    assert_security_headers(dev, "development /healthz")


# --- templates hold nothing the policy blocks --------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"(href|src|action)\s*=\s*[\"']\s*javascript:", re.I)


@pytest.mark.parametrize(
    ("what", "pattern"),
    [
        ("an inline <script>", INLINE_SCRIPT),
        ("a <style> block or style attribute", INLINE_STYLE),
        ("an on*= event handler", INLINE_HANDLER),
        ("a javascript: URL", JAVASCRIPT_URL),
    ],
)
def test_no_template_holds_what_the_policy_blocks(no_db, what, pattern):
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(ROOT.joinpath("templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not found, f"{what} (blocked by the Content-Security-Policy) in: {found}"


# --- forwarded headers and absolute links ------------------------------------------------


def _echo_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    body = f"{environ['REMOTE_ADDR']} {environ['wsgi.url_scheme']} {environ.get('HTTP_HOST')}"
    return [body.encode()]


@pytest.mark.parametrize(
    ("peer", "trusted", "expected"),
    [
        ("203.0.113.9", "127.0.0.1,::1", "203.0.113.9 http real.example"),
        ("127.0.0.1", "127.0.0.1,::1", "198.51.100.7 https forged.example"),
        ("10.0.0.5", "10.0.0.0/8", "198.51.100.7 https forged.example"),
        ("10.0.0.5", "none", "10.0.0.5 http real.example"),
        ("::1", "", "::1 http real.example"),
    ],
    ids=["direct-client", "loopback-proxy", "proxy-network", "none-trusted", "empty-setting"],
)
def test_forwarded_headers_count_only_from_a_trusted_proxy(no_db, peer, trusted, expected):
    app = TrustedProxyFix(_echo_app, trusted_networks(trusted))
    response = Client(app).get(
        "/",
        headers={
            "Host": "real.example",
            "X-Forwarded-For": "198.51.100.7",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "forged.example",
        },
        environ_base={"REMOTE_ADDR": peer},
    )
    assert response.get_data(as_text=True) == expected


def test_a_bad_trusted_proxies_setting_stops_the_start(no_db):
    with pytest.raises(ConfigurationError, match="TRUSTED_PROXIES"):
        trusted_networks("127.0.0.1, not-an-address")


def production_app(monkeypatch, tmp_path) -> Flask:
    from config import _fernet_key

    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.db")
    monkeypatch.setenv("REDIS_URL", "memory://")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://talentfoundry.example")
    monkeypatch.setenv("FOUNDRY_ENCRYPTION_KEYS", _fernet_key())
    monkeypatch.setenv("MAIL_SERVER", "localhost")
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    return create_app("production")


def test_production_believes_a_client_only_through_the_local_proxy(monkeypatch, tmp_path):
    """A client that reaches gunicorn directly cannot choose the address that per-client
    rate limits count, however it forges X-Forwarded-For."""
    app = production_app(monkeypatch, tmp_path)
    seen = []

    @app.get("/_whoami")
    def whoami():
        seen.append((request.remote_addr, request.scheme))
        return "ok"

    client = app.test_client()
    forged = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"}
    for peer in ("203.0.113.9", "127.0.0.1"):
        client.get(
            "/_whoami",
            base_url="http://talentfoundry.example",  # the test client would pick https
            headers=forged,
            environ_base={"REMOTE_ADDR": peer},
        )
    assert seen == [("203.0.113.9", "http"), ("198.51.100.7", "https")]


@pytest.mark.parametrize(
    "headers",
    [{"Host": "evil.example"}, {"X-Forwarded-Host": "evil.example"}],
    ids=["host", "x-forwarded-host"],
)
def test_feed_and_json_ld_links_are_on_the_public_base_url(client, world, db, headers):
    from tests.factories import PostingFactory

    posting = PostingFactory(company=world.company_a)
    db.session.commit()
    feed = client.get("/postings/feed.atom", headers=headers).get_data(as_text=True)
    page = client.get(f"/postings/{posting.id}", headers=headers).get_data(as_text=True)
    for text in (feed, page):
        assert "evil.example" not in text
    assert f"http://localhost/postings/{posting.id}" in feed
    assert f"http://localhost/postings/{posting.id}" in page  # the JSON-LD's url


def test_no_code_builds_an_absolute_url_from_the_request(no_db):
    """url_for(..., _external=True) takes the host from the request: use external_url."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(ROOT.joinpath("foundry").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "_external=True" in line and path.name != "urls.py"
    ]
    found += [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(ROOT.joinpath("templates").rglob("*"))
        if path.is_file()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"_external\s*=\s*True", line)
    ]
    assert not found, f"absolute URLs built on the request's host: {found}"


def test_only_the_pages_that_scan_tickets_may_use_the_camera(app):
    """foundry.security.camera_allowed, the one place that lets a page use the camera, is
    on the organiser's check-in page and the company's booth page, and nowhere else."""
    camera_views = sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if (getattr(view, "talisman_view_options", {}).get("permissions_policy") or {}).get(
            "camera"
        )
        == "(self)"
    )
    assert camera_views == ["company_fairs.booth", "programme_checkin.page"]
