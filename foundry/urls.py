"""Absolute URLs, always on PUBLIC_BASE_URL.

A request's Host (and X-Forwarded-Host) comes from whoever sent it; it must not choose
where the links in an e-mail, the Atom feed or a posting's JSON-LD point. Build every
absolute URL here: `external_url(endpoint, **values)` instead of `url_for(...,
_external=True)` (tests/core/test_security.py fails on the latter).
"""

from __future__ import annotations

from urllib.parse import urljoin

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
