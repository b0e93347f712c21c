"""The placement dashboard's numbers, shared by every app server through Redis: the three
statements' results (stage counts, median middles, breakdowns) for one scope, filter and
source, so that the deans of a faculty, and one dean reloading, read them once between two
changes instead of at every request.

Correctness across servers rests on a generation number in Redis:

- every transaction that wrote something the dashboard reads (applications, placements,
  postings, companies, student profiles, users' names, programmes, a first sign-in of an
  academic year, the summaries: see WATCHED and mark_stale; and what the other figures kept
  here read, which their modules add with watch()) increments it after its commit;
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
from dataclasses import astuple, fields

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
STALE = "reports_dashboard_stale"  # session.info: this transaction wrote what it reads
SIGNED_IN = "reports_dashboard_signed_in"  # session.info: ... or a sign-in (raw rows read it)

# What the dashboard's statements read, besides the summaries (written in the same flush as
# these) and the sign-ins (count_sign_in marks those itself).
WATCHED: tuple[type, ...] = (
    Application,
    Placement,
    Posting,
    Company,
    StudentProfile,
    User,
    StudyProgramme,
    Faculty,
    University,
)

Numbers = tuple[dict[str, StageCount], Middles, list[BreakdownCounts]]


def watch(*models: type, columns: frozenset[str] | None = None) -> None:
    """Also follow writes to these models: another domain's figures cached here (figures())
    read them. With `columns`, a change to a row counts only when it changes one of them
    (a programme session's sequence moves at every registration; its times are what is
    read). Called once, when that domain's module is imported."""
    global WATCHED
    for model in models:
        fully_watched = model in WATCHED and model not in COLUMNS_READ
        if model not in WATCHED:
            WATCHED = (*WATCHED, model)
        if columns is None:
            COLUMNS_READ.pop(model, None)  # every column of it is read now
        elif not fully_watched:
            COLUMNS_READ[model] = COLUMNS_READ.get(model, frozenset()) | columns


# --- the stores ----------------------------------------------------------------------------


class LocalStore:
    """The store in one process (tests): what RedisStore does, in a dict."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get_many(self, keys: list[str]) -> list[str | None]:
        return [self.values.get(key) for key in keys]

    def set(self, key: str, value: str, seconds: int | None = None, only_new=False) -> None:
        if not (only_new and key in self.values):
            self.values[key] = value

    def increment(self, key: str) -> None:
        self.values[key] = str(int(self.values.get(key, time.time_ns())) + 1)


class RedisStore:
    """The store every app server shares. `prefix` starts every key it writes, so that
    several users of one Redis database (test runs side by side) keep apart."""

    def __init__(self, url: str, prefix: str = "") -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=1, decode_responses=True)
        self.prefix = prefix

    def get_many(self, keys: list[str]) -> list[str | None]:
        return self.client.mget([self.prefix + key for key in keys])

    def set(self, key: str, value: str, seconds: int | None = None, only_new=False) -> None:
        self.client.set(self.prefix + key, value, ex=seconds, nx=only_new)

    def increment(self, key: str) -> None:
        # From the time when the key is missing (emptied, evicted), never from 1: an entry
        # of an earlier generation 1 must not match again. One round trip.
        pipe = self.client.pipeline(transaction=False)
        pipe.set(self.prefix + key, str(time.time_ns()), nx=True)
        pipe.incr(self.prefix + key)
        pipe.execute()


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


def mark_stale(session: Session) -> None:
    """This transaction changes what the dashboards show: the generation moves at its
    commit (for writes no flush shows: Core statements, a rebuild)."""
    session.info[STALE] = True


# Of a user the dashboards read only these (a sign-in's time, a locale, a password or a
# lockout counter changes no figure: a sign-in that counts marks the cache itself).
USER_COLUMNS_READ = frozenset({"display_name", "email", "active"})
# The models of which only some columns are read: a change to another leaves the figures.
COLUMNS_READ: dict[type, frozenset[str]] = {User: USER_COLUMNS_READ}


def _after_flush(session: Session, flush_context) -> None:
    if any(isinstance(obj, WATCHED) for obj in (*session.new, *session.deleted)) or any(
        _changes_what_is_read(obj) for obj in session.dirty
    ):
        session.info[STALE] = True


def _changes_what_is_read(obj) -> bool:
    if not isinstance(obj, WATCHED):
        return False
    read = COLUMNS_READ.get(type(obj))
    if read is None:
        return True
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in read)


def _bulk_write(state: ORMExecuteState) -> None:
    mapper = state.bind_mapper
    writes = state.is_insert or state.is_update or state.is_delete
    if not (writes and mapper is not None and issubclass(mapper.class_, WATCHED)):
        return
    read = COLUMNS_READ.get(mapper.class_)
    if state.is_update and read is not None and _updates_only_others(state.statement, read):
        return
    state.session.info[STALE] = True


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
    moved = [
        key
        for flag, key in ((STALE, GENERATION_KEY), (SIGNED_IN, SIGN_IN_GENERATION_KEY))
        if session.info.pop(flag, False)
    ]
    store = current_app.extensions.get(EXTENSION) if has_app_context() and moved else None
    if store is None:
        return
    try:
        for key in moved:
            store.increment(key)
    except redis.RedisError:  # the entries expire: at most ENTRY_SECONDS out of date
        log.exception("the dashboards' generation could not be moved")


def _forget(session: Session, *args) -> None:
    session.info.pop(STALE, None)
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
    key: str, compute: Callable, encode: Callable, decode: Callable, sign_ins: bool = False
):
    """The entry `key` while the generation (and, for what `sign_ins` moves, the sign-ins'
    generation) is the one it was made in, else compute() (stored for the next reader).
    Without a store, or in a transaction that wrote what the dashboards show, compute()."""
    store = _store()
    if store is None or db.session.info.get(STALE) or (sign_ins and db.session.info.get(SIGNED_IN)):
        return compute()
    keys = [GENERATION_KEY, SIGN_IN_GENERATION_KEY] if sign_ins else [GENERATION_KEY]
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


def figures(name: str, parts: list, compute: Callable, encode: Callable, decode: Callable):
    """Figures the same for every reader of a scope, kept like the dashboard's: the
    collaborations panel and totals, the park admin's and the landing page's counts, the
    programme list's organisers. `name` and `parts` (JSON-able, the reader's scope among
    them) say everything they depend on; the models they read are watched (watch()). See
    _through."""
    text = json.dumps([f"figures:{name}", parts], sort_keys=True)
    key = ENTRY_PREFIX + hashlib.sha256(text.encode()).hexdigest()
    return _through(key, compute, encode, decode)


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
