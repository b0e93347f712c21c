"""`next` and `back` redirects stay on this site, whatever a browser would make of them."""

from __future__ import annotations

import pytest

from foundry.urls import safe_next_url


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_off_site_targets_fall_back(target):
    assert safe_next_url(target, "/home") == "/home"


@pytest.mark.parametrize(
    "target", ["/me", "/companies?cluster=fintech&page=2", "/postings/5#apply"]
)
def test_on_site_paths_are_kept(target):
    assert safe_next_url(target, "/home") == target
