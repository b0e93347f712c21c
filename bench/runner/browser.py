"""A one-user HTTP client for the bench: signs in through the real forms, keeps its
cookies, and gives wrk the headers that make its requests this same user's.

The production configuration marks the session cookie Secure (named __Host-session) and
the bench talks plain HTTP on loopback, with "X-Forwarded-Proto: https" as a TLS proxy in
front would send it (gunicorn and the app trust it from 127.0.0.1). A cookie jar would
never send a Secure cookie over http://, so the cookies are kept here by hand.

Flask-Login's "strong" session protection ties a session to the client's address (the
first X-Forwarded-For, else the socket's) and User-Agent: every request of one identity,
wrk's included, carries the same of both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie

import requests

USER_AGENT = "foundry-bench/1 (wrk; bench/run)"


class FormFields(HTMLParser):
    """The fields a browser would submit from the first form whose action contains
    `action`: hidden and text inputs, checked radios and checkboxes, textareas. A form
    without an action posts to its own page, `own_path`."""

    def __init__(self, action: str, own_path: str = ""):
        super().__init__()
        self.action = action
        self.own_path = own_path
        self.fields: dict[str, str] = {}
        self.found = False
        self._inside = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        target = attributes.get("action") or self.own_path
        if tag == "form" and not self.found and self.action in target:
            self.found = self._inside = True
        elif tag == "form":
            self._inside = False
        elif self._inside and tag == "input" and attributes.get("name"):
            kind = attributes.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in attributes:
                return
            if kind not in ("submit", "button", "file"):
                self.fields[attributes["name"]] = attributes.get("value", "")
        elif self._inside and tag == "textarea" and attributes.get("name"):
            self._textarea = attributes["name"]
            self.fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str, action: str, own_path: str = "") -> dict[str, str]:
    parser = FormFields(action, own_path)
    parser.feed(html)
    if not parser.found:
        raise LookupError(f"no form posting to {action!r} on the page")
    return parser.fields


@dataclass
class Browser:
    base_url: str
    forwarded_for: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.http = requests.Session()
        self.http.trust_env = False  # no proxy from the environment between us and loopback

    @property
    def host(self) -> str:
        return self.base_url.split("://", 1)[1]

    def headers(self) -> dict[str, str]:
        """The headers of this identity's every request (wrk's -H options too)."""
        headers = {"User-Agent": USER_AGENT, "X-Forwarded-Proto": "https"}
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        return headers

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def get(self, path: str) -> requests.Response:
        return self._keep_cookies(
            self.http.get(self.base_url + path, headers=self.headers(), allow_redirects=False)
        )

    def post(self, path: str, data: dict[str, str]) -> requests.Response:
        # Flask-WTF checks that an HTTPS form post comes from one of our own pages.
        headers = {**self.headers(), "Referer": f"https://{self.host}{path}"}
        return self._keep_cookies(
            self.http.post(self.base_url + path, data=data, headers=headers, allow_redirects=False)
        )

    def submit(self, path: str, values: dict[str, str], action: str | None = None):
        """GET the page at `path`, fill its form (posting to `action`, by default `path`)
        with `values` over the fields it has, and POST it."""
        page = self.get(path)
        page.raise_for_status()
        own_path = path.split("?")[0]
        fields = form_fields(page.text, action or own_path, own_path)
        return self.post(action or path, {**fields, **values})

    def _keep_cookies(self, response: requests.Response) -> requests.Response:
        for header in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                expired = morsel["max-age"] == "0" or "1970" in morsel["expires"]
                if expired:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response
