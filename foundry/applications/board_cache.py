"""A posting's board (its applicants by state, the newest of each column), rendered once
between two changes to the posting's applications and kept in the shared cache
(foundry.reports.cache) for every recruiter of its company who opens it alike: rendering
seventy cards was most of the board's time, and a team watching one pipeline reloads it
far more often than its applicants move.

The topic is partitioned by posting: an application's move renews its own posting's board
only, not those of the park's other thousand postings. A name, a university or a faculty
renamed renews every board. The cards' move forms carry the token as a marker, filled in
for each request.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from foundry.accounts.models import User
from foundry.applications.models import Application
from foundry.reports import cache
from foundry.students.models import StudentProfile
from foundry.universities.models import Faculty, University

TOPIC = "pipeline"
cache.watch(Application, topic=TOPIC, partition_by="posting_id")
cache.watch(User, columns=frozenset({"display_name"}), topic=TOPIC)
cache.watch(StudentProfile, columns=frozenset({"university_id", "faculty_id"}), topic=TOPIC)
cache.watch(University, columns=frozenset({"code"}), topic=TOPIC)
cache.watch(Faculty, columns=frozenset({"name_en", "name_zh"}), topic=TOPIC)


def board(posting_id: int, query_string: bytes, locale: str, render: Callable[[], str]) -> Markup:
    """The board of the posting `posting_id` for this query string (its name and status
    filters, which the links repeat) and language; `render` renders it with
    cache.FORM_TOKEN for the form token."""
    parts = [posting_id, query_string.decode("latin-1"), locale]
    html = cache.fragment(TOPIC, "board", parts, render, part=posting_id)
    return cache.with_form_token(html)
