"""Every page has a meta description (specific ones on public pages, in both languages),
and /favicon.ico is a real icon."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from foundry.postings.models import PostingStatus
from tests.applications import posting_of
from tests.conftest import csrf_from

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def _description(response) -> str:
    match = DESCRIPTION.search(response.get_data(as_text=True))
    assert match, "no meta description"
    return html_lib.unescape(match.group(1))


def test_favicon_ico_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/x-icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # ICONDIR: reserved 0, type 1 (icon)
    assert "max-age" in response.headers["Cache-Control"]


def test_pages_link_both_icons(client):
    html = client.get("/sign-in").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert 'href="/static/img/favicon.svg" type="image/svg+xml"' in html


@pytest.mark.parametrize("locale", ["en", "zh_Hant"])
def test_public_pages_have_their_own_description(client, world, db, locale):
    posting = posting_of(world.company_a, title="Vision Intern", status=PostingStatus.PUBLISHED)
    posting.description = "Build **robot** vision\n\nwith us."
    world.company_a.description = "Robots for the <b>harbour</b>."
    db.session.commit()
    client.post("/language", data={"language": locale, "csrf_token": csrf_from(client.get("/"))})
    pages = {
        "/": None,
        "/postings": None,
        "/companies": None,
        f"/postings/{posting.id}": "Alpha Robotics · ",
        "/companies/alpha": "Alpha Robotics · ",
    }
    default = _description(client.get("/sign-in"))
    seen = set()
    for url, starts in pages.items():
        text = _description(client.get(url))
        assert text and text != default and len(text) <= 160, url
        if starts:
            assert text.startswith(starts), url
        seen.add(text)
    assert len(seen) == len(pages)
    assert "Build robot vision with us." in _description(client.get(f"/postings/{posting.id}"))
    assert "<b>harbour" not in client.get("/companies/alpha").get_data(as_text=True)
    if locale == "zh_Hant":
        assert re.search(r"[\u4e00-\u9fff]", _description(client.get("/postings")))


def test_signed_in_pages_have_the_default_description(client, world, login_as):
    login_as(world.student_a1)
    for url in ("/me", "/me/applications", "/me/profile", "/notifications"):
        assert "six Hong Kong universities" in _description(client.get(url)), url


def test_long_descriptions_are_cut_at_a_word(client, world, db):
    world.company_a.description = "word " * 100
    db.session.commit()
    text = _description(client.get("/companies/alpha"))
    assert len(text) <= 160 and text.endswith("word…")
