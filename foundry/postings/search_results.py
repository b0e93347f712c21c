"""The search page's results (the count of each kind and the cards with their pages),
found and rendered once between two changes to what they show and kept in the shared cache
(foundry.reports.cache): finding, loading and rendering twenty cards was most of the
search's time, and they are the same for every student of one cohort.

What a card shows of the student is their eligibility, which depends only on their
university (its approvals, too), faculty, level, graduation year and origin: the cohort is
part of an entry's key, so one student's results are never shown to another cohort's. Their
saved marks and their form token are their own: the cached copy carries both forms of each
save button between markers (HTML comments, which escaped content cannot make), and the
request keeps the one that applies (one statement for the page's saved marks) and puts its
token in.

The search leaves out postings past their deadline and cards say "Applications closed"
from the time: an entry is keyed on the minute too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from foundry.accounts.models import User
from foundry.companies.models import Company
from foundry.postings.alerts import saved_posting_ids
from foundry.postings.models import (
    Posting,
    PostingApproval,
    PostingKind,
    PostingLevel,
    PostingTheme,
)
from foundry.postings.search import SearchParams, kind_counts, search_postings
from foundry.reports import cache
from foundry.students.models import Skill, StudentProfile
from foundry.universities.models import University

TOPIC = "posting-search"
# A posting's lists (universities, faculties, skills) are association tables: a change to
# one is a change to the posting's row state, which this follows.
cache.watch(Posting, PostingLevel, PostingTheme, PostingApproval, topic=TOPIC)
cache.watch(Company, columns=frozenset({"name", "cluster", "park_location"}), topic=TOPIC)
cache.watch(Skill, columns=frozenset({"name"}), topic=TOPIC)
cache.watch(University, columns=frozenset({"code", "posting_approval_required"}), topic=TOPIC)

TOKEN = "<!--csrf-->"
# _cards.html's save_button with saved=none: the unsaved form, then the saved one.
SAVE_FORMS = re.compile(r"<!--save (\d+)-->(.*?)<!--saved-->(.*?)<!--/save-->", re.DOTALL)


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
    counts, html = cache.figures("posting-search", parts, compute, _encode, _decode, topic=TOPIC)
    total = counts[params.kind] if params.kind is not None else sum(counts.values())
    if profile is not None:
        html = _filled(html, viewer)
    return Results(counts, total, Markup(html))  # noqa: S704 (autoescaped template output)


def cohort(profile: StudentProfile | None) -> list | None:
    """What of a student their results depend on (see the module's docstring)."""
    if profile is None:
        return None
    return [
        profile.university_id,
        profile.faculty_id,
        profile.study_level.value,
        profile.graduation_year,
        profile.non_local,
    ]


def _filled(html: str, viewer: User) -> str:
    """The cached copy with the viewer's saved marks and form token."""
    ids = {int(found) for found in re.findall(r"<!--save (\d+)-->", html)}
    saved = saved_posting_ids(viewer, ids)
    html = SAVE_FORMS.sub(lambda m: m.group(3) if int(m.group(1)) in saved else m.group(2), html)
    return html.replace(TOKEN, generate_csrf())


def _encode(value: tuple[dict[PostingKind, int], str]) -> dict:
    counts, html = value
    return {"counts": {kind.value: n for kind, n in counts.items()}, "html": html}


def _decode(entry: dict) -> tuple[dict[PostingKind, int], str]:
    counts = {kind: entry["counts"].get(kind.value, 0) for kind in PostingKind}
    return counts, entry["html"]
