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
from dataclasses import astuple, fields

import redis
import sqlalchemy as sa
from flask import Flask, current_app
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from foundry.extensions import db
from foundry.policy import ReportScope
from foundry.reports.cache_stores import LocalStore as LocalStore
from foundry.reports.cache_stores import RedisStore
from foundry.reports.cache_topics import DASHBOARD as DASHBOARD
from foundry.reports.cache_topics import EXTENSION as EXTENSION
from foundry.reports.cache_topics import GENERATION_KEY as GENERATION_KEY
from foundry.reports.cache_topics import LISTENERS, SIGNED_IN, STALE, STALE_PARTS
from foundry.reports.cache_topics import SIGN_IN_GENERATION_KEY as SIGN_IN_GENERATION_KEY
from foundry.reports.cache_topics import TOPICS as TOPICS
from foundry.reports.cache_topics import USER_COLUMNS_READ as USER_COLUMNS_READ
from foundry.reports.cache_topics import Topic as Topic
from foundry.reports.cache_topics import mark_signed_in as mark_signed_in
from foundry.reports.cache_topics import mark_stale as mark_stale
from foundry.reports.cache_topics import watch as watch
from foundry.reports.filters import ReportFilter
from foundry.reports.sources import BreakdownCounts, Middles, StageCount

log = logging.getLogger(__name__)

ENTRY_PREFIX = "reports:dashboard:v1:"  # v2 when an entry's layout changes
ENTRY_SECONDS = 600
# An entry missed by several requests at once is computed by the first (see _claim).
COMPUTING = ":computing"
COMPUTING_SECONDS = 10  # the claim's life, should its request die before storing
WAIT_SECONDS = 2.0  # how long the others wait for it before computing it themselves
POLL_SECONDS = 0.02
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")

Numbers = tuple[dict[str, StageCount], Middles, list[BreakdownCounts]]


def init_app(app: Flask, session) -> None:
    """The app's store (Redis when REDIS_URL is set), and the listeners that mark a
    transaction stale and increment the generation after its commit."""
    url = app.config.get("REDIS_URL") or ""
    # A store only on a Redis server: "memory://" (the rate limiter's, in tests) is one
    # process's, and no cache is better than one the other servers cannot see.
    shared = url.startswith(REDIS_SCHEMES)
    app.extensions[EXTENSION] = RedisStore(url) if shared else None
    for name, listener in LISTENERS:
        if not sa.event.contains(session, name, listener):
            sa.event.listen(session, name, listener)


def _store():
    return current_app.extensions.get(EXTENSION)


# --- reading through the cache ---------------------------------------------------------------


def _key(kind: str, f: ReportFilter, scope: ReportScope, *more: str) -> str:
    """Every value an entry depends on: what it is (and its source, language, day...), the
    whole filter (its days included) and the scope."""

    parts = [kind, list(more), [str(getattr(f, field.name)) for field in fields(f)]]
    parts += scope_parts(scope)
    text = json.dumps(parts, sort_keys=True)
    return ENTRY_PREFIX + hashlib.sha256(text.encode()).hexdigest()


def scope_parts(scope: ReportScope) -> list:
    """A report scope as key parts: its universities and faculties (None: all)."""
    return [
        None if ids is None else sorted(ids) for ids in (scope.university_ids, scope.faculty_ids)
    ]


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
    claimed = _claim(store, key)
    if not claimed:
        found = _awaited(store, key, generation)
        if found is not None:
            return decode(found["value"])
    try:
        result = compute()
    except Exception:
        if claimed:
            _release(store, key)
        raise
    try:
        entry = json.dumps({"generation": generation, "value": encode(result)})
        store.set(key, entry, ENTRY_SECONDS)
        if claimed:
            store.release(key + COMPUTING)
    except redis.RedisError:
        log.exception("the dashboards' cache could not be written")
    return result


def _claim(store, key: str) -> bool:
    """Whether this request computes the entry `key`: the first to miss it does, and the
    others wait for its result (_awaited) rather than all computing it at once, which on
    a cold cache (or after a write to a busy topic) made sixteen requests each take the
    whole machine's time for seconds."""
    try:
        return store.claim(key + COMPUTING, COMPUTING_SECONDS)
    except redis.RedisError:
        return True


def _release(store, key: str) -> None:
    try:
        store.release(key + COMPUTING)
    except redis.RedisError:  # the claim expires after COMPUTING_SECONDS
        log.exception("the cache's claim could not be released")


def _awaited(store, key: str, generation: str) -> dict | None:
    """The entry of `generation` once the request computing it has stored it, or None
    after WAIT_SECONDS (that request may have failed: this one computes it then)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        try:
            entry = store.get_many([key])[0]
        except redis.RedisError:
            return None
        if entry is not None:
            found = json.loads(entry)
            if found["generation"] == generation:
                return found
    return None


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


# A form's token in a kept copy of a page part: an HTML comment (escaped text cannot make
# one), replaced per request by with_form_token(). Pass it as the template's csrf_token.
FORM_TOKEN = Markup("<!--csrf-->")


def with_form_token(html: str) -> Markup:
    """A kept copy with this request's form token wherever FORM_TOKEN stands."""
    return Markup(str(html).replace(FORM_TOKEN, generate_csrf()))  # noqa: S704 (template output)


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
