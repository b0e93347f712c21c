"""The programme list's results go through the shared cache (foundry/programmes/listing.py):
read once between changes and the same for every visitor, a registration or a new programme
shown at the next request, one entry per language, query string and page, renewed every
minute (a card's seats and dates move with the time), and a registration leaves the
placement dashboards' entries alone. On the store of one process and on Redis."""

from __future__ import annotations

import re
from datetime import timedelta

from foundry import clock
from foundry.db import utcnow
from foundry.programmes import registration as registrations
from foundry.programmes.listing import TOPIC
from foundry.reports import cache
from tests import factories as f
from tests.programmes import factories as pf
from tests.statements import statements_of_request


def _list(client, url="/programmes"):
    statements, response = statements_of_request(client, url)
    return response.get_data(as_text=True), len(statements)


def _seats(page: str) -> list[str]:
    return re.findall(r"(\d+) seats? left", page)


def test_a_visitor_after_the_first_reads_no_programme_and_sees_the_same(client, db, store):
    pf.SessionFactory(programme=pf.ProgrammeFactory(title_en="Personal branding clinic"))
    first, fresh = _list(client)
    second, cached = _list(client)
    assert "Personal branding clinic" in first and _seats(first) == ["10"]
    assert cached <= fresh - 3  # the page of programmes, its count and the seats
    assert _results(second) == _results(first)


def test_a_registration_and_its_cancelling_are_shown_at_the_next_request(client, db, store, world):
    session = pf.SessionFactory()
    student = f.student(world.fac_a1)
    assert _seats(_list(client)[0]) == ["10"]
    store.increment(cache.GENERATION_KEY)
    dashboards = store.get_many([cache.GENERATION_KEY])[0]
    registration = registrations.register(student, f.profile_of(student), session)
    db.session.commit()
    assert _seats(_list(client)[0]) == ["9"]
    registrations.cancel_registration(student, registration)  # the session's row unchanged
    db.session.commit()
    assert _seats(_list(client)[0]) == ["10"]
    assert store.get_many([cache.GENERATION_KEY])[0] == dashboards


def test_a_new_programme_and_a_cancelled_one_are_shown_at_the_next_request(client, db, store):
    first = pf.SessionFactory(programme=pf.ProgrammeFactory(title_en="Python for startups"))
    assert "Python for startups" in _list(client)[0]
    pf.SessionFactory(programme=pf.ProgrammeFactory(title_en="Cantonese for newcomers"))
    db.session.commit()
    page = _list(client)[0]
    assert "Python for startups" in page and "Cantonese for newcomers" in page
    first.programme.status = first.programme.status.CANCELLED
    first.programme.cancelled_at = utcnow()
    first.programme.cancellation_message = "Typhoon signal 8."
    db.session.commit()
    assert "Cancelled" in _results(_list(client)[0])


def test_each_language_query_and_page_has_its_own_entry(client, db, store):
    for n in range(13):  # two pages of twelve
        pf.SessionFactory(programme=pf.ProgrammeFactory(title_en=f"Workshop {n:02}"))
    english = _list(client)[0]
    chinese = _results(
        client.get("/programmes", headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    )
    assert "13 programmes" in english and "13 programmes" not in chinese
    assert "個人品牌工作坊" in chinese
    second = _results(_list(client, "/programmes?page=2")[0])
    assert second.count('class="col"') == 1
    # A parameter the list ignores still makes its own entry: the page links repeat it.
    odd = _results(_list(client, "/programmes?utm_source=mail")[0])
    assert "utm_source" not in _results(_list(client)[0])
    assert "utm_source=mail" in odd


def test_the_entry_is_renewed_at_the_next_minute(client, db, store):
    pf.SessionFactory(starts_at=utcnow() + timedelta(minutes=30))
    _list(client)
    cached = _list(client)[1]
    with clock.frozen_at(utcnow() + timedelta(minutes=1)):
        assert _list(client)[1] > cached


def test_the_topic_reads_registrations_but_the_dashboards_do_not():
    from foundry.programmes.models import Programme, Registration

    assert cache.TOPICS[TOPIC].reads(Registration) and cache.TOPICS[TOPIC].reads(Programme)
    assert not cache.TOPICS[cache.DASHBOARD].reads(Registration)
    assert not cache.TOPICS[cache.DASHBOARD].reads(Programme)


def _results(page: str) -> str:
    return page[page.index('id="results-heading"') : page.index("</section>")]
