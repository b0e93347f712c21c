"""The programme list's results (the count, the cards and their pages), rendered once
between two changes to what they show and kept in the shared cache (foundry.reports.cache):
the same for every visitor who asks for the same page in the same language, since a card
names nobody and holds no form. The filters, the organisers' list and the layout around
them are rendered at every request.

A card shows the next session and how many seats are left, which move with the time as
well as with the data: an entry is keyed on the minute it was rendered in, so a
registration window opening or a session ending shows within a minute.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask import render_template

from foundry.companies.models import Company
from foundry.programmes import browse
from foundry.programmes.models import Programme, ProgrammeSession, Registration
from foundry.reports import cache
from foundry.universities.models import Faculty

TOPIC = "programme-list"
cache.watch(Programme, topic=TOPIC)
# A session's sequence moves at every registration (and its lock writes it on SQLite): the
# registrations themselves are what the seats are counted from.
SESSION_COLUMNS = frozenset(
    {"programme_id", "label", "starts_at", "ends_at", "capacity", "waitlist_enabled"}
)
cache.watch(ProgrammeSession, columns=SESSION_COLUMNS, topic=TOPIC)
cache.watch(Registration, columns=frozenset({"status", "session_id"}), topic=TOPIC)
cache.watch(Company, columns=frozenset({"name"}), topic=TOPIC)
cache.watch(Faculty, columns=frozenset({"name_en", "name_zh"}), topic=TOPIC)


def results(
    filters: browse.Filters,
    args: Mapping,
    locale: str,
    now: datetime,
    *,
    page: int,
    per_page: int,
    labels: Mapping,
):
    """The results section for `filters` and `page`. `args` (the query string, which the
    page links repeat) and `locale` are part of its key with the minute of `now`."""

    def render() -> str:
        found = browse.find_programmes(filters, now, page=page, per_page=per_page)
        return render_template(
            "programmes/_results.html",
            page=found,
            filters=filters,
            places=browse.places_of(s for p in found.items for s in p.sessions),
            now=now,
            browse=browse,
            labels=labels,
        )

    query = sorted((key, value) for key in args for value in args.getlist(key))
    minute = cache.minute_of(now)
    return cache.fragment(TOPIC, "results", [locale, query, page, per_page, minute], render)
