"""The placement dashboard's numbers, shared by every app server through Redis: the three
statements' results (stage counts, median middles, breakdowns) for one scope, filter and
source, so that the deans of a faculty, and one dean reloading, read them once between two
changes instead of at every request.

Correctness across servers rests on a generation number in Redis:

- every transaction that wrote something the dashboard reads (applications, placements,
  postings, companies, student profiles, users' names, a first sign-in of an academic
  year, the summaries: see TOPICS and mark_stale; and what the other figures kept with
  them read, which their modules add with watch()) increments it after its commit;
- other parts of pages kept here (the programme list's results and organisers) have a
  generation of their own, their Topic, moved only by writes to what they read; a topic
  may be partitioned (a posting's pipeline, of all the applications' topic): a row's
  write then moves only its part's generation, which the part's entries also carry;
- every sign-in increments a second generation, which only the entries read from the raw
  rows (a custom range of days, where any sign-in may make a student active) also carry:
  the whole year and the year so far, read from the summaries, stay cached through the
  sign-ins of those already active;
- an entry is stored with the generation read before its statements ran, and is used only
  while the generation is still that one. A write committed before the statements ran
  has incremented it by then or will: either way the entry is not used after the increment.

A transaction that has itself written what the dashboard reads reads the database, not the
cache (it must see its own writes). Entries also expire after ENTRY_SECONDS, a bound on a
change that no session follows (plain SQL: `flask reports rebuild-summaries` after it marks
the dashboards stale too). Without REDIS_URL (development, tests) there is no cache unless a
store is set on the app (LocalStore, for one process: tests/reports/test_dashboard_cache.py).
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import astuple, dataclass, field, fields

import redis
import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from markupsafe import Markup
from sqlalchemy.orm import ORMExecuteState, Session

from foundry.accounts.models import User
from foundry.applications.models import Application
from foundry.companies.models import Company
from foundry.extensions import db
from foundry.placements.models import Placement
from foundry.policy import ReportScope
from foundry.postings.models import Posting
from foundry.reports.cache_stores import LocalStore as LocalStore
from foundry.reports.cache_stores import RedisStore
from foundry.reports.filters import ReportFilter
from foundry.reports.sources import BreakdownCounts, Middles, StageCount
from foundry.students.models import StudentProfile
from foundry.universities.models import Faculty, StudyProgramme, University

log = logging.getLogger(__name__)

EXTENSION = "dashboard_cache"
GENERATION_KEY = "reports:dashboard:generation"
SIGN_IN_GENERATION_KEY = "reports:dashboard:sign-in-generation"
ENTRY_PREFIX = "reports:dashboard:v1:"  # v2 when an entry's layout changes
ENTRY_SECONDS = 600
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
STALE = "reports_dashboard_stale"  # session.info: the topics this transaction wrote to
STALE_PARTS = "reports_dashboard_stale_parts"  # ... and {topic: parts} of partitioned ones
SIGNED_IN = "reports_dashboard_signed_in"  # session.info: ... or a sign-in (raw rows read it)

Numbers = tuple[dict[str, StageCount], Middles, list[BreakdownCounts]]


@dataclass
class Topic:
    """A family of entries with a generation of its own: the models (and, of some, the only
    columns) its entries read. A write moves the generation of every topic that reads it,
    and no other: a registration for a programme moves the programme list's, and leaves the
    placement dashboards (the dearest to compute) cached."""

    generation_key: str
    models: tuple[type, ...] = ()
    columns_read: dict[type, frozenset[str]] = field(default_factory=dict)
    # Of some models, the attribute that says which part of the topic a row belongs to (an
    # application, to its posting's pipeline): a write moves that part's generation only.
    partitions: dict[type, str] = field(default_factory=dict)

    def reads(self, model: type) -> bool:
        return issubclass(model, self.models)

    def part_key(self, part) -> str:
        return f"{self.generation_key}:{part}"


DASHBOARD = "dashboard"
# Of a user the dashboards read only these (a sign-in's time, a locale, a password or a
# lockout counter changes no figure: a sign-in that counts marks the cache itself).
USER_COLUMNS_READ = frozenset({"display_name", "email", "active"})
# What the dashboard's statements read, besides the summaries (written in the same flush as
# these) and the sign-ins (count_sign_in marks those itself). Figures of other domains that
# read much the same (the collaborations panel, the park's counts) are kept in this topic.
TOPICS: dict[str, Topic] = {
    DASHBOARD: Topic(
        GENERATION_KEY,
        (
            Application,
            Placement,
            Posting,
            Company,
            StudentProfile,
            User,
            StudyProgramme,
            Faculty,
            University,
        ),
        {User: USER_COLUMNS_READ},
    )
}


def watch(
    *models: type,
    columns: frozenset[str] | None = None,
    topic: str = DASHBOARD,
    partition_by: str | None = None,
) -> None:
    """Also follow writes to these models in `topic` (a new topic starts empty): its
    entries read them. With `columns`, a change to a row counts only when it changes one of
    them (a programme session's sequence moves at every registration; its times are what
    the organisers' list reads). With `partition_by`, an attribute of the rows, a change
    to a row moves only the generation of the part it names (and of the part it left), so
    that entries kept with that part (figures(..., part=)) are renewed and no other; a
    write no flush shows (a bulk statement) moves the whole topic. Called once, when the
    reading module is imported."""
    watched = TOPICS.setdefault(topic, Topic(f"cache:{topic}:generation"))
    for model in models:
        if partition_by is not None:
            watched.partitions[model] = partition_by
        fully_watched = model in watched.models and model not in watched.columns_read
        if model not in watched.models:
            watched.models = (*watched.models, model)
        if columns is None:
            watched.columns_read.pop(model, None)  # every column of it is read now
        elif not fully_watched:
            read = watched.columns_read.get(model, frozenset())
            watched.columns_read[model] = read | columns


def init_app(app: Flask, session) -> None:
    """The app's store (Redis when REDIS_URL is set), and the listeners that mark a
    transaction stale and increment the generation after its commit."""
    url = app.config.get("REDIS_URL") or ""
    # A store only on a Redis server: "memory://" (the rate limiter's, in tests) is one
    # process's, and no cache is better than one the other servers cannot see.
    shared = url.startswith(REDIS_SCHEMES)
    app.extensions[EXTENSION] = RedisStore(url) if shared else None
    for name, listener in _LISTENERS:
        if not sa.event.contains(session, name, listener):
            sa.event.listen(session, name, listener)


def _store():
    return current_app.extensions.get(EXTENSION)


# --- following writes ------------------------------------------------------------------------


def mark_stale(session: Session, topic: str = DASHBOARD) -> None:
    """This transaction changes what `topic`'s entries show: its generation moves at the
    commit (for writes no flush shows: Core statements, a rebuild)."""
    session.info.setdefault(STALE, set()).add(topic)


def _after_flush(session: Session, flush_context) -> None:
    added_or_gone = [*session.new, *session.deleted]
    changed = list(session.dirty)
    for name, topic in TOPICS.items():
        touched = [obj for obj in added_or_gone if topic.reads(type(obj))]
        touched += [obj for obj in changed if _changes_what_is_read(topic, obj)]
        parts: set[str] = set()
        for obj in touched:
            attribute = topic.partitions.get(type(obj))
            if attribute is None:
                mark_stale(session, name)
                break
            history = sa.inspect(obj).attrs[attribute].history
            if history.added and not history.deleted and obj not in session.new:
                # Moved to another part from one not loaded: which part it left is unknown.
                mark_stale(session, name)
                break
            parts.update(str(value) for value in history.sum())
        else:
            if parts:
                session.info.setdefault(STALE_PARTS, {}).setdefault(name, set()).update(parts)


def _changes_what_is_read(topic: Topic, obj) -> bool:
    if not topic.reads(type(obj)):
        return False
    read = topic.columns_read.get(type(obj))
    if read is None:
        return True
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in read)


def _bulk_write(state: ORMExecuteState) -> None:
    mapper = state.bind_mapper
    if not (state.is_insert or state.is_update or state.is_delete) or mapper is None:
        return
    for name, topic in TOPICS.items():
        if not topic.reads(mapper.class_):
            continue
        read = topic.columns_read.get(mapper.class_)
        if state.is_update and read is not None and _updates_only_others(state.statement, read):
            continue
        mark_stale(state.session, name)


def _updates_only_others(statement, read: frozenset[str]) -> bool:
    """An UPDATE that sets none of the columns read (the columns it sets, as SQLAlchemy
    keeps them on the statement; when they cannot be told, it counts as a change)."""
    values = getattr(statement, "_values", None)
    if not values:
        return False
    keys = {getattr(column, "key", column) for column in values}
    return all(isinstance(key, str) for key in keys) and not keys & read


def mark_signed_in(session: Session) -> None:
    """This transaction records a sign-in: the figures read from the raw rows move on."""
    session.info[SIGNED_IN] = True


def _after_commit(session: Session) -> None:
    moved = [TOPICS[name].generation_key for name in sorted(session.info.pop(STALE, ()))]
    for name, parts in sorted(session.info.pop(STALE_PARTS, {}).items()):
        moved += [TOPICS[name].part_key(part) for part in sorted(parts)]
    if session.info.pop(SIGNED_IN, False):
        moved.append(SIGN_IN_GENERATION_KEY)
    store = current_app.extensions.get(EXTENSION) if has_app_context() and moved else None
    if store is None:
        return
    try:
        for key in moved:
            store.increment(key)
    except redis.RedisError:  # the entries expire: at most ENTRY_SECONDS out of date
        log.exception("the cache's generations could not be moved")


def _forget(session: Session, *args) -> None:
    session.info.pop(STALE, None)
    session.info.pop(STALE_PARTS, None)
    session.info.pop(SIGNED_IN, None)


_LISTENERS = (
    ("after_flush", _after_flush),
    ("do_orm_execute", _bulk_write),
    ("after_commit", _after_commit),
    ("after_rollback", _forget),
)


# --- reading through the cache ---------------------------------------------------------------


def _key(kind: str, f: ReportFilter, scope: ReportScope, *more: str) -> str:
    """Every value an entry depends on: what it is (and its source, language, day...), the
    whole filter (its days included) and the scope."""

    def ids(values):
        return None if values is None else sorted(values)

    parts = [
        kind,
        list(more),
        [str(getattr(f, field.name)) for field in fields(f)],
        ids(scope.university_ids),
        ids(scope.faculty_ids),
    ]
    text = json.dumps(parts, sort_keys=True)
    return ENTRY_PREFIX + hashlib.sha256(text.encode()).hexdigest()


def _encode_numbers(numbers: Numbers):
    stages, middles, rows = numbers
    return {
        "stages": [astuple(s) for s in stages.values()],
        "middles": [middles.current, middles.previous],
        "rows": [astuple(r) for r in rows],
    }


def _decode_numbers(entry) -> Numbers:
    stages = {s[0]: StageCount(*s) for s in entry["stages"]}
    middles = Middles(*entry["middles"])
    return stages, middles, [BreakdownCounts(*r) for r in entry["rows"]]


def _generation(store, key: str, found: str | None) -> str:
    """The generation `key` as stored; when it is missing (Redis emptied or evicted it),
    one no earlier entry can carry (the time), set unless another server set one first."""
    if found is not None:
        return found
    store.set(key, str(time.time_ns()), only_new=True)
    return store.get_many([key])[0]


def _through(
    key: str,
    compute: Callable,
    encode: Callable,
    decode: Callable,
    sign_ins: bool = False,
    topic: str = DASHBOARD,
    part=None,
):
    """The entry `key` while `topic`'s generation (and, for what `sign_ins` moves, the
    sign-ins' generation; for an entry of one `part` of a partitioned topic, that part's)
    is the one it was made in, else compute() (stored for the next reader). Without a
    store, or in a transaction that wrote what the entry reads, compute()."""
    store = _store()
    written = topic in db.session.info.get(STALE, ()) or (
        part is not None and str(part) in db.session.info.get(STALE_PARTS, {}).get(topic, ())
    )
    if store is None or written or (sign_ins and db.session.info.get(SIGNED_IN)):
        return compute()
    keys = [TOPICS[topic].generation_key]
    if part is not None:
        keys.append(TOPICS[topic].part_key(part))
    if sign_ins:
        keys.append(SIGN_IN_GENERATION_KEY)
    try:
        *found, entry = store.get_many([*keys, key])
        generation = ":".join(_generation(store, k, g) for k, g in zip(keys, found, strict=True))
    except redis.RedisError:
        log.exception("the dashboards' cache could not be read")
        return compute()
    if entry is not None:
        found = json.loads(entry)
        if found["generation"] == generation:
            return decode(found["value"])
    result = compute()
    try:
        entry = json.dumps({"generation": generation, "value": encode(result)})
        store.set(key, entry, ENTRY_SECONDS)
    except redis.RedisError:
        log.exception("the dashboards' cache could not be written")
    return result


def numbers(
    source: str, f: ReportFilter, scope: ReportScope, compute: Callable[[], Numbers]
) -> Numbers:
    """The dashboard's numbers for `source` (its name), `f` and `scope` (see _through)."""
    key = _key("numbers", f, scope, source)
    return _through(key, compute, _encode_numbers, _decode_numbers, sign_ins=source == "raw")


def _entry_key(kind: str, name: str, parts: list) -> str:
    text = json.dumps([f"{kind}:{name}", parts], sort_keys=True)
    return ENTRY_PREFIX + hashlib.sha256(text.encode()).hexdigest()


def figures(
    name: str,
    parts: list,
    compute: Callable,
    encode: Callable,
    decode: Callable,
    topic: str = DASHBOARD,
    part=None,
):
    """Figures the same for every reader of a scope, kept like the dashboard's: the
    collaborations panel and totals, the park admin's and the landing page's counts, the
    programme list's organisers. `name` and `parts` (JSON-able, the reader's scope among
    them) say everything they depend on; the models they read are watched in `topic`
    (watch()), and `part` is the part of a partitioned topic they read. See _through."""
    key = _entry_key("figures", name, parts)
    return _through(key, compute, encode, decode, topic=topic, part=part)


def minute_of(moment) -> str:
    """A key part for entries that show times relative to now: they are renewed each minute."""
    return moment.replace(second=0, microsecond=0).isoformat()


def fragment(topic: str, name: str, parts: list, render: Callable[[], str], part=None) -> Markup:
    """A part of a page the same for every visitor who asks for it alike (no form, token or
    name of the visitor in it), rendered once between two changes to what `topic` reads
    (of a partitioned topic, its `part`): `parts` (JSON-able) say everything else it
    depends on (the language, the query string, the minute when it shows times relative to
    now). See _through."""
    key = _entry_key("fragment", name, parts)
    return _through(key, lambda: Markup(render()), str, Markup, topic=topic, part=part)


def counts_by(name: str, members: type[enum.Enum], statement: sa.Select) -> dict:
    """Counts by an enum's members from `statement` (rows of member and count), kept as
    figures(): every member present, those with no row at 0."""
    counts = figures(
        name,
        [],
        lambda: {members(key).value: n for key, n in db.session.execute(statement)},
        dict,
        dict,
    )
    return {member: counts.get(member.value, 0) for member in members}


def page_part(
    name: str,
    f: ReportFilter,
    scope: ReportScope,
    render: Callable[[], str],
    *more: str,
    from_raw_rows: bool = False,
) -> Markup:
    """A part of a page rendered from the dashboard's figures for `f` and `scope`, the same
    for every viewer of them (no form, token or name of the viewer in it): `name` and `more`
    say which and everything else it depends on (the language, the day); `from_raw_rows`
    when its figures come from the raw rows (every sign-in moves them). See _through."""
    key = _key(f"page:{name}", f, scope, *more)
    return _through(key, lambda: Markup(render()), str, Markup, sign_ins=from_raw_rows)
