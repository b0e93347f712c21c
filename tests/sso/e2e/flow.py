"""A person's browser for the SSO journey: the Flask test client talks to the portal, a
requests.Session to the local IdP, and the redirects between them are followed by hand, so
tests can stop at any step (keep the callback URL, tamper with it, replay it...)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import requests

FORM = re.compile(r"<form\b[^>]*\baction=\"([^\"]+)\"[^>]*>(.*?)</form>", re.S | re.I)
HIDDEN = re.compile(r"<input\b[^>]*type=\"hidden\"[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"")
CANCEL = re.compile(r"<a href=\"([^\"]+)\">\[ Cancel \]</a>")
MAX_STEPS = 12
IDP_TIMEOUT = 10


class IdpPageError(AssertionError):
    """The IdP answered with a page the journey did not expect."""


class SsoBrowser:
    """One browser: its portal cookies live in `client`, its IdP cookies in `idp`."""

    def __init__(self, client):
        self.client = client
        self.idp = requests.Session()

    def start(self, university_code: str, next_url: str | None = None) -> str:
        """Open the portal's sign-in for a university; the URL it sends us to (the IdP)."""
        query = {"next": next_url} if next_url else {}
        response = self.client.get(f"/sso/{university_code}/login", query_string=query)
        assert response.status_code in (302, 303), (response.status_code, response.data[:500])
        return response.headers["Location"]

    def sign_in_at_idp(self, authorization_url: str, account: str) -> str:
        """Go through the IdP's own login page (login = `account`, any password) and its
        consent page; the URL the IdP sends the browser back to (the portal's callback)."""
        idp_origin = urlsplit(authorization_url).netloc
        response = self.idp.get(authorization_url, allow_redirects=False, timeout=IDP_TIMEOUT)
        for _ in range(MAX_STEPS):
            location = response.headers.get("Location")
            if location:
                target = urljoin(response.url, location)
                if urlsplit(target).netloc != idp_origin:
                    return target
                response = self.idp.get(target, allow_redirects=False, timeout=IDP_TIMEOUT)
                continue
            response = self._submit_idp_form(response, account)
        raise IdpPageError("the IdP never sent the browser back to the portal")

    def cancel_at_idp(self, authorization_url: str) -> str:
        """Open the IdP's login page and click its Cancel link; the URL back to the portal."""
        response = self.idp.get(authorization_url, allow_redirects=True, timeout=IDP_TIMEOUT)
        match = CANCEL.search(response.text)
        if not match:
            raise IdpPageError(f"no Cancel link on the IdP page: {response.text[:800]}")
        cancel = self.idp.get(
            urljoin(response.url, unescape(match.group(1))),
            allow_redirects=False,
            timeout=IDP_TIMEOUT,
        )
        return self.sign_in_at_idp(urljoin(cancel.url, cancel.headers["Location"]), "")

    def _submit_idp_form(self, response: requests.Response, account: str) -> requests.Response:
        match = FORM.search(response.text)
        if response.status_code != 200 or not match:
            raise IdpPageError(f"IdP page {response.status_code}: {response.text[:800]}")
        action, body = match.groups()
        fields = {name: unescape(value) for name, value in HIDDEN.findall(body)}
        if 'name="login"' in body:
            fields.update(login=account, password="any password")
        return self.idp.post(
            urljoin(response.url, unescape(action)),
            data=fields,
            allow_redirects=False,
            timeout=IDP_TIMEOUT,
        )

    def return_to_portal(self, callback_url: str):
        """Deliver the IdP's answer to the portal, as the browser would."""
        return self.client.get(callback_url)

    def sign_in(self, university_code: str, account: str, next_url: str | None = None):
        """The whole journey; the portal's response to the callback."""
        authorization_url = self.start(university_code, next_url)
        return self.return_to_portal(self.sign_in_at_idp(authorization_url, account))
