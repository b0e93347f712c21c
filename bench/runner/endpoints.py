"""What wrk loads: each page of bench/pages.py as its persona asks for it, and the
baseline's `hello` and `list`, each with the one-client check made before every load of it
(the right status and content: a broken session or an empty result is never timed)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import requests

from bench.pages import Page, fill
from bench.runner.apply_pool import ApplyPool
from bench.runner.browser import USER_AGENT, Browser

SIGNED_IN = 'action="/sign-out"'
# Every request of the run, wrk's included: the TLS proxy in front would add the header.
COMMON_HEADERS = {"User-Agent": USER_AGENT, "X-Forwarded-Proto": "https"}
LIST_SIZE = 20


class CheckFailed(RuntimeError):
    pass


@dataclass
class Endpoint:
    name: str
    url: str
    headers: dict[str, str]
    check: Callable[[], None]
    page: Page | None = None  # None for the baseline's
    pool: ApplyPool | None = None  # the apply action's requests, one per line

    @property
    def role(self) -> str:
        if self.page is None:
            return "baseline"
        return self.page.role or "anonymous"


def _get(url: str, headers: dict[str, str]) -> requests.Response:
    return requests.get(url, headers=headers, allow_redirects=False, timeout=60)


def baseline_endpoints(base_url: str) -> dict[str, Endpoint]:
    def hello() -> None:
        response = _get(base_url + "/hello", COMMON_HEADERS)
        if response.status_code != 200 or response.json() != {"hello": "world"}:
            raise CheckFailed(f"baseline /hello answered {response.status_code}")

    def newest() -> None:
        response = _get(base_url + "/list", COMMON_HEADERS)
        listed = response.text.count("<li>")
        if response.status_code != 200 or listed != LIST_SIZE:
            raise CheckFailed(f"baseline /list: {response.status_code}, {listed} postings")

    return {
        "hello": Endpoint("hello", base_url + "/hello", COMMON_HEADERS, hello),
        "list": Endpoint("list", base_url + "/list", COMMON_HEADERS, newest),
    }


def page_endpoint(page: Page, base_url: str, browser: Browser | None, targets: dict) -> Endpoint:
    """A GET page, as `browser`'s user (None: anonymous)."""
    headers = browser.headers() if browser else dict(COMMON_HEADERS)
    url = base_url + fill(page.path, targets)
    expect = re.compile(fill(page.expect, targets)) if page.expect else None

    def check() -> None:
        response = _get(url, headers)
        if response.status_code != 200:
            where = response.headers.get("Location", "")
            raise CheckFailed(f"{page.name}: {url} answered {response.status_code} {where}")
        if page.role and SIGNED_IN not in response.text:
            raise CheckFailed(f"{page.name}: {url} was served to nobody signed in")
        if expect and not expect.search(response.text):
            raise CheckFailed(f"{page.name}: {url} lacks {expect.pattern!r}")

    return Endpoint(page.name, url, headers, check, page)


def apply_endpoint(page: Page, base_url: str, pool: ApplyPool) -> Endpoint:
    """The apply action: each request from the pool (its own cookie, address and body)."""

    def check() -> None:
        apply = pool.pop()
        headers = {
            **COMMON_HEADERS,
            "Cookie": apply.cookie,
            "X-Forwarded-For": apply.forwarded_for,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://{base_url.split('://', 1)[1]}{apply.path}",
        }
        response = requests.post(
            base_url + apply.path, data=apply.body, headers=headers, allow_redirects=False
        )
        where = response.headers.get("Location", "")
        if response.status_code != 303 or "/me/applications/" not in where:
            raise CheckFailed(f"apply: {apply.path} answered {response.status_code} {where}")

    # wrk's URL only names the server: each line of the pool carries its own path.
    return Endpoint(page.name, base_url + "/", dict(COMMON_HEADERS), check, page, pool)
