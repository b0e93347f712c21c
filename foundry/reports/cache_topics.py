"""What the shared cache (foundry.reports.cache) follows of the database: its topics (each a
family of entries with a generation of its own in Redis: the models and columns they read,
and how a partitioned topic's rows name their part), and the session listeners that note
what a transaction wrote and move those generations after its commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import redis
import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import ORMExecuteState, Session

from foundry.accounts.models import User
from foundry.applications.models import Application
from foundry.companies.models import Company
from foundry.placements.models import Placement
from foundry.postings.models import Posting
from foundry.students.models import StudentProfile
from foundry.universities.models import Faculty, StudyProgramme, University

log = logging.getLogger(__name__)

EXTENSION = "dashboard_cache"
GENERATION_KEY = "reports:dashboard:generation"
SIGN_IN_GENERATION_KEY = "reports:dashboard:sign-in-generation"
STALE = "reports_dashboard_stale"  # session.info: the topics this transaction wrote to
STALE_PARTS = "reports_dashboard_stale_parts"  # ... and {topic: parts} of partitioned ones
SIGNED_IN = "reports_dashboard_signed_in"  # session.info: ... or a sign-in (raw rows read it)


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


# --- following writes ------------------------------------------------------------------------


def mark_stale(session: Session, topic: str = DASHBOARD) -> None:
    """This transaction changes what `topic`'s entries show: its generation moves at the
    commit (for writes no flush shows: Core statements, a rebuild)."""
    session.info.setdefault(STALE, set()).add(topic)


def _after_flush(session: Session, flush_context) -> None:
    new, gone = list(session.new), list(session.deleted)
    models = {type(obj) for obj in (*new, *gone)}
    changed = list(session.dirty)
    for name, topic in TOPICS.items():
        parts = _parts_written(topic, models, new, gone, changed)
        if parts is None:
            mark_stale(session, name)
        elif parts:
            session.info.setdefault(STALE_PARTS, {}).setdefault(name, set()).update(parts)


def _parts_written(topic: Topic, models: set, new: list, gone: list, changed: list):
    """The parts of `topic` a flush wrote to (an empty set: none), or None when it wrote to
    the whole topic (a model it reads unpartitioned, or a part it cannot tell)."""
    parts: set[str] = set()
    for model in models:
        if not topic.reads(model):
            continue
        attribute = topic.partitions.get(model)
        if attribute is None:
            return None
        # A new row's part is set by now (the flush filled its foreign keys in).
        parts.update(str(getattr(obj, attribute)) for obj in new if type(obj) is model)
        for obj in gone:
            if type(obj) is model:
                left = sa.inspect(obj).attrs[attribute].history.sum()
                if not left:  # its part was not loaded
                    return None
                parts.update(str(value) for value in left)
    for obj in changed:
        if not _changes_what_is_read(topic, obj):
            continue
        attribute = topic.partitions.get(type(obj))
        if attribute is None:
            return None
        history = sa.inspect(obj).attrs[attribute].history
        if history.added and not history.deleted:
            return None  # moved to another part from one not loaded: which, is unknown
        parts.update(str(value) for value in history.sum())
    return parts


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


LISTENERS = (
    ("after_flush", _after_flush),
    ("do_orm_execute", _bulk_write),
    ("after_commit", _after_commit),
    ("after_rollback", _forget),
)
