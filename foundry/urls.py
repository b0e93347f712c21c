"""Links on this site: absolute URLs, always on PUBLIC_BASE_URL, and `next` kept on it.

A request's Host (and X-Forwarded-Host) comes from whoever sent it; it must not choose
where the links in an e-mail, the Atom feed or a posting's JSON-LD point. Build every
absolute URL here: `external_url(endpoint, **values)` instead of `url_for(...,
_external=True)` (tests/core/test_security.py fails on the latter).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from flask import current_app, url_for


def absolute_url(link: str) -> str:
    """A path on this site made absolute on PUBLIC_BASE_URL (other links are left as they
    are; without PUBLIC_BASE_URL the path stays a path)."""
    if not link.startswith("/") or link.startswith("//"):
        return link
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        return link
    return urljoin(base.rstrip("/") + "/", link.lstrip("/"))


def external_url(endpoint: str, **values) -> str:
    """`url_for(endpoint, **values)` as an absolute URL on PUBLIC_BASE_URL."""
    return absolute_url(url_for(endpoint, **values))


def safe_next_url(target: str | None, fallback: str) -> str:
    """Only follow `next` to a path on this site."""
    if not target:
        return fallback
    # Browsers read "/\\host" and "/<tab>/host" as "//host": refuse backslashes and controls.
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


# A number no rule's other parts contain, where each id goes in the one URL built.
_ID_MARKER = 918_273_645


def id_url(endpoint: str, field: str, **values) -> Callable[[int], str]:
    """`url_for(endpoint, **{field: id}, **values)` for many ids at the cost of one: the
    rule is built once around a marker and each id is put in the marker's place (building
    a URL costs some 30 µs, and the pipeline's board links two per card)."""
    head, tail = url_for(endpoint, **values, **{field: _ID_MARKER}).split(str(_ID_MARKER))
    return lambda id_: f"{head}{int(id_)}{tail}"
