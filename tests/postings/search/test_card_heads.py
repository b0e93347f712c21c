"""The heads of posting cards are rendered once per process and kept by everything they
show (foundry/postings/cards.py): a kept head is exactly what a fresh render gives, and a
change to anything a card shows, made by any app server, is on the next page at once."""

from __future__ import annotations

import re
from datetime import timedelta

from foundry.extensions import db
from foundry.postings import cards
from foundry.postings.models import PostingKind, PostingTheme
from foundry.students.models import Skill
from foundry.taxonomy import Theme
from tests.conftest import csrf_from, without_csrf_tokens
from tests.factories import PostingFactory

CARD = re.compile(r'<article class="card h-100 tf-posting-card".*?</article>', re.S)


def cards_of(client, url: str = "/postings") -> list[str]:
    return CARD.findall(client.get(url).get_data(as_text=True))


def test_a_kept_head_is_what_a_fresh_render_gives(client, world):
    PostingFactory(company=world.company_a, title="Kept Intern")
    cards.forget_heads()

    rendered = cards_of(client)
    assert cards.kept_heads() == len(rendered) == 1
    assert cards_of(client) == rendered  # from the memo this time
    cards.forget_heads()
    assert cards_of(client) == rendered


def test_a_change_to_what_the_card_shows_is_seen_at_once(client, world):
    posting = PostingFactory(company=world.company_a, title="Robot Arm Intern")
    cards_of(client)  # the head is kept now

    posting.title = "Robot Hand Intern"
    posting.kind = PostingKind.GRADUATE_ROLE
    posting.pay_max_hkd = 99_000
    posting.deadline = posting.deadline + timedelta(days=31)
    posting.skills.append(Skill(name="ros2"))
    db.session.add(PostingTheme(posting_id=posting.id, theme=Theme.ROBOTICS))
    world.company_a.name = "Alpha Renamed Ltd"
    db.session.flush()
    db.session.expire_all()

    [card] = cards_of(client)
    assert "Robot Hand Intern" in card and "Robot Arm Intern" not in card
    assert "Graduate role" in card
    assert "99,000" in card
    assert "ros2" in card
    assert "Robotics" in card
    assert "Alpha Renamed Ltd" in card


def test_each_language_keeps_its_own_head(client, world):
    PostingFactory(company=world.company_a, title="Bilingual Intern")
    [english] = cards_of(client)
    page = client.get("/")
    client.post("/language", data={"language": "zh_Hant", "csrf_token": csrf_from(page)})

    [chinese] = cards_of(client)

    assert "Apply by" in english
    assert "Apply by" not in chinese
    assert without_csrf_tokens(chinese) != without_csrf_tokens(english)


def test_a_kept_head_escapes_what_companies_write(client, world):
    """The head reaches the page as Markup (cards.render_head): the text in it must have
    been escaped by the template, first render and kept copy alike."""
    world.company_a.name = '<img src=x onerror="alert(1)">Co'
    PostingFactory(company=world.company_a, title="<script>alert('t')</script>Intern")
    db.session.commit()
    cards.forget_heads()

    for html in (cards_of(client), cards_of(client)):  # rendered, then kept
        (card,) = html
        assert "<script>alert" not in card and "<img src=x" not in card
        assert "&lt;script&gt;alert(" in card and "&lt;img src=x" in card
