"""The search page's results (the count of each kind and the cards with their pages),
found and rendered once between two changes to what they show and kept in the shared cache
(foundry.reports.cache): finding, loading and rendering twenty cards was most of the
search's time, and they are the same for every student of one cohort.

An entry is kept for the student's cohort, with markers for their saved marks and form
token (page_cache.py).

The search leaves out postings past their deadline and cards say "Applications closed"
from the time: an entry is keyed on the minute too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from markupsafe import Markup

from foundry.accounts.models import User
from foundry.eligibility.rules import cohort
from foundry.postings import page_cache
from foundry.postings.models import PostingKind
from foundry.postings.search import SearchParams, kind_counts, search_postings
from foundry.reports import cache
from foundry.students.models import StudentProfile


@dataclass(frozen=True)
class Results:
    counts: dict[PostingKind, int]  # every kind's count, with the other filters kept
    total: int  # what the page lists: the chosen kind's count, or all of them
    cards: Markup  # the cards and their pages, or the empty state


def results(
    params: SearchParams,
    viewer: User,
    profile: StudentProfile | None,
    query_string: str,
    locale: str,
    now: datetime,
    *,
    page: int,
    per_page: int,
    render: Callable[[Pagination], str],
) -> Results:
    """The results for `params` as `profile` (None: not a student) finds them; `render`
    renders a page of postings with save_button(saved=none) for a student. `query_string`
    (which the cards' links and save forms repeat) and `locale` are part of the key."""

    def compute() -> tuple[dict[PostingKind, int], str]:
        counts = kind_counts(params, profile, now)
        found = search_postings(params, profile, now, page=page, per_page=per_page, counts=counts)
        return counts, render(found)

    parts = [locale, cohort(profile), query_string, page, per_page, cache.minute_of(now)]
    counts, html = cache.figures(
        "posting-search", parts, compute, _encode, _decode, topic=page_cache.TOPIC
    )
    total = counts[params.kind] if params.kind is not None else sum(counts.values())
    if profile is not None:
        html = page_cache.filled(html, viewer)
    return Results(counts, total, Markup(html))  # noqa: S704 (autoescaped template output)


def _encode(value: tuple[dict[PostingKind, int], str]) -> dict:
    counts, html = value
    return {"counts": {kind.value: n for kind, n in counts.items()}, "html": html}


def _decode(entry: dict) -> tuple[dict[PostingKind, int], str]:
    counts = {kind: entry["counts"].get(kind.value, 0) for kind in PostingKind}
    return counts, entry["html"]
