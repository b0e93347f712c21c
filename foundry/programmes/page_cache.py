"""A published programme's page body, rendered once between two changes to what it shows and
kept in the shared cache (foundry.reports.cache) for everyone who sees it alike.

What the body shows of a viewer is their eligibility (the same for a cohort of students:
foundry.eligibility.rules.cohort), whether they are signed in (a sign-in link), their places
in the programme's sessions and what follows from them (the way in online, feedback), their
form token and the collaboration records they may see that the programme came from. The copy
is kept for the cohort as if they held no place; what is the viewer's own stands in it as
markers (HTML comments, which escaped text cannot make), filled in per request: each
session's action between `<!--session N-->` and `<!--/session-->` (the registration form,
replaced by their place where they hold one), `<!--mine-->` (the cards for the way in online
and feedback), `<!--records 12,40-->` (the records it came from, by id: which of them the
viewer may see is decided per request) and the form token. Seats left and "registration
open" move with the time: an entry is keyed on the minute.

A themed drive's page shows open postings with each student's saved marks and the postings'
topic besides: it is not kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from flask import get_template_attribute
from flask_login import current_user
from markupsafe import Markup

from foundry.collaborations import links
from foundry.collaborations.link_models import CollaborationProgramme
from foundry.companies.models import Company
from foundry.eligibility.rules import cohort
from foundry.programmes.labels import REGISTRATION_STATUS_LABELS
from foundry.programmes.models import (
    Programme,
    ProgrammeKind,
    ProgrammeLevel,
    ProgrammeSession,
    ProgrammeStatus,
    Registration,
)
from foundry.reports import cache
from foundry.students.models import StudentProfile
from foundry.universities.models import Faculty, University

TOPIC = "programme-page"
# A programme's university and faculty lists are association tables: a change to one is a
# change to the programme's row state, which this follows.
cache.watch(Programme, ProgrammeLevel, topic=TOPIC)
# A session's sequence moves at every registration (and its lock writes it on SQLite): the
# registrations themselves are what the seats are counted from.
cache.watch(
    ProgrammeSession,
    columns=frozenset(
        {"programme_id", "label", "starts_at", "ends_at", "capacity", "waitlist_enabled"}
    ),
    topic=TOPIC,
)
cache.watch(Registration, columns=frozenset({"status", "session_id"}), topic=TOPIC)
cache.watch(Company, columns=frozenset({"name", "slug"}), topic=TOPIC)
cache.watch(Faculty, columns=frozenset({"name_en", "name_zh"}), topic=TOPIC)
cache.watch(University, columns=frozenset({"code", "name_en", "name_zh"}), topic=TOPIC)
cache.watch(CollaborationProgramme, topic=TOPIC)  # the records it came from

# Where the kept copy has the viewer's cards (the way in online, feedback), and the line of
# collaboration records the programme came from, with their ids (records_marker()).
MINE = Markup("<!--mine-->")
RECORDS = re.compile(r"<!--records ([\d,]*)-->")
SESSION_ACTIONS = re.compile(r"<!--session (\d+)-->(.*?)<!--/session-->", re.DOTALL)
VIEWER_PARTS = "programmes/_viewer_parts.html"
FROM_RECORDS = "collaborations/_from_records.html"


def may_keep(programme: Programme, refusal) -> bool:
    """Whether this page's body is kept (see the module's docstring): a published programme,
    not a themed drive, and no refusal to show above it."""
    return (
        programme.status is ProgrammeStatus.PUBLISHED
        and programme.kind is not ProgrammeKind.THEMED_DRIVE
        and refusal is None
    )


def programme_body(
    programme: Programme,
    profile: StudentProfile | None,
    signed_in: bool,
    locale: str,
    now: datetime,
    viewer: dict,
    render: Callable[[], str],
) -> Markup:
    """The kept body with this viewer's parts filled in (`viewer`: pages.viewer_context);
    `render` renders it with the markers (kept=True, csrf_token=FORM_TOKEN,
    records_marker=records_marker()) and no place held."""
    parts = [programme.id, locale, cohort(profile), signed_in, cache.minute_of(now)]
    html = str(cache.fragment(TOPIC, "programme-page", parts, render))
    html = RECORDS.sub(lambda m: _records_line(m.group(1)), _with_places(html, programme, viewer))
    return cache.with_form_token(html)


def records_marker(programme: Programme) -> Markup:
    """The kept copy's stand-in for the records line: the ids of the records the programme
    came from (the same for everyone; which of them a viewer may see is theirs)."""
    ids = ",".join(str(i) for i in links.linked_record_ids(programme))
    return Markup(f"<!--records {ids}-->")  # noqa: S704 (digits and commas)


def _records_line(ids: str) -> str:
    if not ids or not current_user.is_authenticated:
        return ""
    records = links.visible_records(current_user, [int(i) for i in ids.split(",")])
    return str(get_template_attribute(FROM_RECORDS, "from_records")(records))


def _with_places(html: str, programme: Programme, viewer: dict) -> str:
    """Each session's action as this viewer sees it, and their cards."""
    mine = viewer["mine"]
    if mine:
        held_place = get_template_attribute(VIEWER_PARTS, "held_place")
        labels = {"registration": REGISTRATION_STATUS_LABELS}
        held = {session_id: str(held_place(item, labels)) for session_id, item in mine.items()}
    else:
        held = {}
    html = SESSION_ACTIONS.sub(lambda m: held.get(int(m.group(1)), m.group(2)), html)
    cards = ""
    if viewer["may_join"] or viewer["after"]:
        cards = get_template_attribute(VIEWER_PARTS, "my_cards")(
            programme, viewer["may_join"], viewer["after"]
        )
    return html.replace(MINE, cards, 1)
