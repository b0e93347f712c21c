"""What every response carries and what every request must be, in one place.

- Security headers on every response, development and production alike (Flask-Talisman):
  a Content-Security-Policy that allows scripts and styles only from our own files (no
  inline script, style or handler anywhere), no plugins, no <base>, no framing, forms
  posting only to us (and to the universities' sign-in pages the SSO forms lead to);
  nosniff, a referrer policy, a permissions policy; HSTS in production.
- Forwarded headers (X-Forwarded-For/-Proto/-Host) believed only from the proxies named in
  TRUSTED_PROXIES: a client that reaches gunicorn directly cannot pick its own address
  (per-client rate limits) or host.
- Input no store can hold refused before any view runs: a NUL byte anywhere in the path,
  the query or a form (PostgreSQL refuses NUL in text), and absurdly long query values.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from flask import Flask, g, request
from flask_babel import gettext as _
from werkzeug.middleware.proxy_fix import ProxyFix

from config import ConfigurationError
from foundry.errors import InvalidInput
from foundry.extensions import talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
PERMISSIONS_POLICY = {
    "accelerometer": "()",
    "browsing-topics": "()",
    "camera": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "microphone": "()",
    "payment": "()",
    "usb": "()",
}
# An origin as a CSP source: nothing that could end the directive or start another.
CSP_SOURCE = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")
# Stored PDFs are shown inside our own pages (the CV beside an applicant's details).
pdf_framable_by_us = talisman(
    frame_options="SAMEORIGIN",
    content_security_policy={**CONTENT_SECURITY_POLICY, "frame-ancestors": "'self'"},
)
# Pages that scan tickets' QR codes (an organiser's check-in page, a company's booth page)
# may use the camera, on our own origin only; no other page may. The views share these
# options: Talisman fills in its defaults in place, the same for each of them.
camera_allowed = talisman(permissions_policy={**PERMISSIONS_POLICY, "camera": "(self)"})
# A query value longer than this is no search or filter a person typed.
MAX_QUERY_VALUE_CHARS = 1000


def register_security(app: Flask, production: bool) -> None:
    trust_configured_proxies(app)
    # Flask runs after_request functions in reverse order: _after_talisman runs after
    # Talisman's, _before_talisman before it.
    app.after_request(_after_talisman)
    talisman.init_app(
        app,
        # TLS ends at the proxy in front; it redirects http to https.
        force_https=False,
        strict_transport_security=production,
        strict_transport_security_max_age=365 * 24 * 3600,
        strict_transport_security_include_subdomains=False,
        content_security_policy=CONTENT_SECURITY_POLICY,
        permissions_policy=PERMISSIONS_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        # Talisman would otherwise overwrite the cookie settings of config.py.
        session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
        session_cookie_http_only=app.config["SESSION_COOKIE_HTTPONLY"],
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
    app.after_request(_before_talisman)
    app.before_request(refuse_unstorable_input)


def allow_forms_to_lead_to(origins: Iterable[str]) -> None:
    """This page's forms lead on, by redirect, to these other origins (the university
    sign-in forms to each IdP): browsers check form-action on every redirect."""
    g.form_action_origins = sorted({o for o in origins if CSP_SOURCE.fullmatch(o)})


def _before_talisman(response):
    """Remember a Referrer-Policy the view chose (no-referrer on pages whose address
    holds a secret token): Talisman would overwrite it with the site's."""
    g.own_referrer_policy = response.headers.get("Referrer-Policy")
    return response


def _after_talisman(response):
    if own := g.get("own_referrer_policy"):
        response.headers["Referrer-Policy"] = own
    origins = g.get("form_action_origins")
    policy = response.headers.get("Content-Security-Policy")
    if origins and policy:
        response.headers["Content-Security-Policy"] = policy.replace(
            "form-action 'self'", "form-action 'self' " + " ".join(origins)
        )
    return response


def trusted_networks(value: str | None) -> list:
    """TRUSTED_PROXIES: comma-separated addresses or networks; empty or "none" for none."""
    text = (value or "").strip()
    if not text or text.lower() == "none":
        return []
    try:
        return [ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",")]
    except ValueError as error:
        raise ConfigurationError(f"TRUSTED_PROXIES: {error}") from None


class TrustedProxyFix:
    """ProxyFix for requests that come from a trusted proxy; others are served as they
    arrived, their X-Forwarded-* headers ignored."""

    def __init__(self, app, networks: list, hops: int = 1):
        self.app = app
        self.networks = networks
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)

    def __call__(self, environ, start_response):
        if self._from_trusted_proxy(environ.get("REMOTE_ADDR", "")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)

    def _from_trusted_proxy(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)


def trust_configured_proxies(app: Flask) -> None:
    networks = trusted_networks(app.config.get("TRUSTED_PROXIES"))
    if networks:
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, networks, app.config["PROXY_HOPS"])


def refuse_unstorable_input() -> None:
    """A NUL byte anywhere, or a query value no person typed: a 400 with a message,
    before any view or query runs."""
    values = [request.path]
    for source in (request.args, request.form):
        for key, value in source.items(multi=True):
            values += (key, value)
    values += [upload.filename or "" for upload in request.files.values()]
    if any("\x00" in value for value in values):
        raise InvalidInput(
            _(
                "The address or the form holds a character that cannot be stored (a null "
                "character). Remove it and try again."
            )
        )
    if any(len(value) > MAX_QUERY_VALUE_CHARS for value in request.args.values()):
        raise InvalidInput(
            _(
                "A value in the address is longer than %(limit)d characters. Shorten it "
                "and try again.",
                limit=MAX_QUERY_VALUE_CHARS,
            )
        )
