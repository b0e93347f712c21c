"""Following every change that the unit of work makes to what the summaries count, in the
same transaction, so that no service has to remember to (the student head counts,
foundry.reports.summaries.head_counts, likewise).

What is followed is declared on the models that own it, as `__report_facts__`
(foundry.db.ReportFacts): Application, Placement, StudentProfile, Posting, Company and
User. Before a flush we find the students whose counts the pending changes touch (new,
changed or deleted objects of those models, as their declarations say), lock them and read
what they make up of the breakdown tables; after the flush we read it again and compute
their report_student_years rows again (foundry.reports.summaries.maintenance). The
breakdown tables' differences are added up over the flushes and written just before the
commit (see _deltas_of), or before a statement of the transaction reads those tables;
`settle()` writes them at once for a reader that goes around the session. Sign-ins are not
followed here: the sign-in service counts them where they happen
(foundry.reports.summaries.sign_ins), with no lock.

Writes that bypass the unit of work cannot be followed: an ORM INSERT, UPDATE or DELETE
statement on a model whose declaration says refuse_bulk_writes (applications, placements,
student profiles, the audit log) raises SummariesBypassed, unless it runs inside `paused()`
(whose caller rebuilds the summaries afterwards) or says
`.execution_options(report_summaries="unaffected")` because it sets nothing the summaries
count. Plain SQL (a migration, psql) is followed by nobody: run
`flask reports rebuild-summaries` after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import ORMExecuteState, Session, scoped_session
from sqlalchemy.sql import util as sql_util

from foundry.accounts.models import User
from foundry.applications.models import Application
from foundry.companies.models import Company
from foundry.db import ReportFacts
from foundry.placements.models import Placement
from foundry.postings.models import Posting
from foundry.reports.summaries import head_counts, maintenance
from foundry.reports.summaries.definitions import profiles_applied_to, profiles_of_companies
from foundry.reports.summaries.models import BREAKDOWN_TABLES
from foundry.students.models import CVDocument, StudentProfile

PAUSED = "report_summaries_paused"
PENDING = "report_summaries_pending"
DELTAS = "report_summaries_deltas"  # (the unit of work's transaction, its differences)
BREAKDOWN_TABLE_NAMES = frozenset(table.__tablename__ for table in BREAKDOWN_TABLES)
UNAFFECTED_OPTION = "report_summaries"  # .execution_options(report_summaries="unaffected")


class SummariesBypassed(RuntimeError):
    """An ORM bulk statement changed what the report summaries count behind their back."""


@dataclass
class _Touched:
    """The students a flush touches, as far as they are known before it."""

    breakdowns: set[int] = field(default_factory=set)  # existing students, breakdown rows
    students: set[int] = field(default_factory=set)  # existing students, their own rows
    new_objects: list = field(default_factory=list)  # new students, and their new rows
    before: maintenance.Contributions = field(default_factory=dict)
    counted_heads: set[int] = field(default_factory=set)  # existing students, head counts
    cells_before: head_counts.Cells = field(default_factory=head_counts.Cells)

    def add(self, profile_ids, *, breakdowns: bool) -> None:
        ids = {i for i in profile_ids if i is not None}
        self.students |= ids
        if breakdowns:
            self.breakdowns |= ids


def _changed(obj, names: frozenset[str]) -> bool:
    attrs = sa.inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _values(obj, name: str) -> set:
    """The attribute's value now and, if it changed in this flush, before."""
    history = sa.inspect(obj).attrs[name].history
    values = {*history.added, *history.unchanged, *history.deleted}
    if not values:  # not loaded, hence not changed either
        values = {getattr(obj, name)}
    return {v for v in values if v is not None}


def _ids(obj, relationship: str) -> set[int]:
    """The ids of the objects a relationship was changed to and from in this flush."""
    history = sa.inspect(obj).attrs[relationship].history
    return {other.id for other in (*history.added, *history.deleted) if other is not None}


def _id_of(obj, column: str, relationship: str) -> int | None:
    """The id a new object refers to, by its column or its relationship; None while the
    object referred to is new too."""
    if getattr(obj, column) is not None:
        return getattr(obj, column)
    other = getattr(obj, relationship)
    return other.id if other is not None else None


# How to find the students an object of each declaring model counts for: the profile ids
# it belongs to now and before the flush (a posting, a company or a user through the
# database, as it is before the flush).
def _owners(obj, conn: sa.Connection) -> set[int]:
    return _values(obj, "profile_id") | _ids(obj, "profile")


STUDENTS_OF: dict[type, Callable[[object, sa.Connection], set[int]]] = {
    Application: _owners,
    Placement: _owners,
    StudentProfile: lambda obj, conn: {obj.id},
    CVDocument: _owners,
    Posting: lambda obj, conn: maintenance.profile_ids_in(conn, profiles_applied_to({obj.id})),
    Company: lambda obj, conn: maintenance.profile_ids_in(conn, profiles_of_companies({obj.id})),
    User: lambda obj, conn: maintenance.students_of_users(conn, {obj.id}),
}


def report_facts(obj_or_class) -> ReportFacts | None:
    """What the summaries count of this object's model (its `__report_facts__`)."""
    cls = obj_or_class if isinstance(obj_or_class, type) else type(obj_or_class)
    return getattr(cls, "__report_facts__", None)


# The existing students whose head count a new, changed or deleted object may move (a new
# student's own is read after the flush, from touched.new_objects; a new user has none).
def _new_head_count(touched: _Touched, obj) -> None:
    facts = report_facts(obj)
    if facts is None or not facts.head_count_on_write or isinstance(obj, StudentProfile | User):
        return
    profile_id = _id_of(obj, "profile_id", "profile")
    if profile_id is not None:  # else their student is new in this flush too
        touched.counted_heads.add(profile_id)


def _changed_head_count(touched: _Touched, obj, conn: sa.Connection) -> None:
    facts = report_facts(obj)
    if facts is not None and _changed(obj, facts.moves_head_counts):
        touched.counted_heads |= STUDENTS_OF[type(obj)](obj, conn)


def _deleted_head_count(touched: _Touched, obj, conn: sa.Connection) -> None:
    facts = report_facts(obj)
    if facts is not None and facts.head_count_on_write:
        touched.counted_heads |= STUDENTS_OF[type(obj)](obj, conn)


def _collect_new(touched: _Touched, obj) -> None:
    facts = report_facts(obj)
    if facts is None or not facts.on_insert:
        return
    if isinstance(obj, StudentProfile):  # their rows are made after the flush
        touched.new_objects.append(obj)
        return
    profile_id = _id_of(obj, "profile_id", "profile")
    if profile_id is None:  # for a student new in this flush too
        touched.new_objects.append(obj)
    else:
        touched.add({profile_id}, breakdowns=True)


def _collect_changed(touched: _Touched, obj, conn: sa.Connection) -> None:
    facts = report_facts(obj)
    if facts is None:
        return
    if _changed(obj, facts.moves_breakdowns):
        touched.add(STUDENTS_OF[type(obj)](obj, conn), breakdowns=True)
    elif _changed(obj, facts.moves_students):
        touched.add(STUDENTS_OF[type(obj)](obj, conn), breakdowns=False)


def _collect_deleted(touched: _Touched, obj, conn: sa.Connection) -> None:
    facts = report_facts(obj)
    if facts is not None and facts.on_delete:
        touched.add(STUDENTS_OF[type(obj)](obj, conn), breakdowns=True)


def _before_flush(session: Session, flush_context, instances) -> None:
    session.info.pop(PENDING, None)
    if session.info.get(PAUSED):
        return
    touched = _Touched()
    conn = session.connection()
    for obj in session.new:
        _collect_new(touched, obj)
        _new_head_count(touched, obj)
    for obj in session.dirty:
        _collect_changed(touched, obj, conn)
        _changed_head_count(touched, obj, conn)
    for obj in session.deleted:
        _collect_deleted(touched, obj, conn)
        _deleted_head_count(touched, obj, conn)
    if not (touched.students or touched.new_objects or touched.counted_heads):
        return
    # One lock statement for both, in id order: two statements could meet another
    # transaction's in the opposite order.
    maintenance.lock_students(conn, touched.students | touched.counted_heads)
    touched.before = maintenance.contributions(conn, touched.breakdowns)
    touched.cells_before = head_counts.cells_of(conn, touched.counted_heads)
    session.info[PENDING] = touched


def _after_flush(session: Session, flush_context) -> None:
    touched: _Touched | None = session.info.pop(PENDING, None)
    if touched is None:
        return
    conn = session.connection()
    new_students = {
        obj.id if isinstance(obj, StudentProfile) else obj.profile_id for obj in touched.new_objects
    }
    breakdowns = touched.breakdowns | new_students
    after = maintenance.contributions(conn, breakdowns)
    if session.in_nested_transaction():  # a savepoint rolled back must take them back too
        maintenance.add_difference(conn, touched.before, after)
    else:
        maintenance.difference(touched.before, after, into=_deltas_of(session))
    maintenance.refresh_student_years(conn, touched.students | new_students)
    new_profiles = {obj.id for obj in touched.new_objects if isinstance(obj, StudentProfile)}
    head_counts.add_difference(
        conn,
        touched.cells_before,
        head_counts.cells_of(conn, touched.counted_heads | new_profiles),
    )


# The breakdown tables' rows are shared: every application of a cohort in a month moves the
# same report_months row, of a company the same report_company_years row. An upsert locks
# its row until the transaction ends, so written at the flush it held the row for the rest
# of the request (the audit line, the notification, the commit: most of an apply), and
# concurrent applies of one cohort waited for each other in turn. The differences are
# therefore added up over the unit of work's flushes and written just before it commits
# (or before a statement of the same transaction reads the summaries): the same rows,
# the same transaction, held for the last few statements only.
#
# They are kept with the transaction they belong to: one rolled back leaves them to nobody
# (the next transaction is another), and a savepoint writes its own at once, so rolling it
# back takes them back with it.
def _deltas_of(session: Session) -> maintenance.Deltas:
    root = session.get_transaction()
    kept = session.info.get(DELTAS)
    if kept is None or kept[0] is not root:
        kept = session.info[DELTAS] = (root, {})
    return kept[1]


def settle(session: Session) -> None:
    """Write the breakdown differences the unit of work has added up so far (before it
    commits, or before anything reads the breakdown tables in the same transaction)."""
    if isinstance(session, scoped_session):
        session = session()
    kept = session.info.pop(DELTAS, None)
    if kept is None or kept[0] is not session.get_transaction():
        return
    maintenance.apply_deltas(session.connection(), kept[1])


def _settle_at_commit(session: Session) -> None:
    session.flush()  # the commit's own flush comes after this hook: its differences too
    settle(session)


def _settle_before_reading(state: ORMExecuteState) -> None:
    if DELTAS not in state.session.info or not state.is_select:
        return
    tables = {getattr(t, "name", None) for t in sql_util.find_tables(state.statement)}
    if tables & BREAKDOWN_TABLE_NAMES:
        settle(state.session)


def _forget_pending(session: Session, *args) -> None:
    session.info.pop(PENDING, None)


def _refuse_bulk_writes(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if state.session.info.get(PAUSED):
        return
    if state.execution_options.get(UNAFFECTED_OPTION) == "unaffected":
        return
    mapper = state.bind_mapper
    facts = report_facts(mapper.class_) if mapper is not None else None
    if facts is not None and facts.refuse_bulk_writes:
        raise SummariesBypassed(
            f"A bulk {type(state.statement).__name__.upper()} on {mapper.class_.__name__} "
            "would leave the report summaries behind: change the objects instead, run it in "
            "foundry.reports.summaries.paused() and rebuild, or mark it "
            '.execution_options(report_summaries="unaffected") if it sets nothing they count.'
        )


_LISTENERS = (
    ("before_flush", _before_flush),
    ("after_flush", _after_flush),
    ("before_commit", _settle_at_commit),
    ("after_rollback", _forget_pending),
    ("after_soft_rollback", _forget_pending),
    ("do_orm_execute", _refuse_bulk_writes),
    ("do_orm_execute", _settle_before_reading),
)


def follow_changes(session) -> None:
    """Keep the summaries in step with every flush of `session` (a Session, sessionmaker or
    scoped_session). Safe to call more than once."""
    for name, listener in _LISTENERS:
        if not sa.event.contains(session, name, listener):
            sa.event.listen(session, name, listener)


@contextmanager
def paused(session) -> Iterator[None]:
    """Don't follow changes in `session` meanwhile (a bulk load); the caller rebuilds the
    summaries afterwards."""
    session.info[PAUSED] = True
    try:
        yield
    finally:
        session.info.pop(PAUSED, None)
