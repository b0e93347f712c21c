"""Following every change that the unit of work makes to what the summaries count, in the
same transaction, so that no service has to remember to.

Before a flush we find the students whose counts the pending changes touch (new, changed
or deleted applications, placements and sign-ins; changed cohort columns of a profile; a
posting's kind or company; deleted profiles, users, postings and companies), lock them and
read what they make up of the breakdown tables; after the flush we read it again, add the
difference and compute their report_student_years rows again
(foundry.reports.summaries.maintenance).

Writes that bypass the unit of work cannot be followed: an ORM INSERT, UPDATE or DELETE
statement on applications, placements, student profiles or the audit log raises
SummariesBypassed, unless it runs inside `paused()` (whose caller rebuilds the summaries
afterwards) or says `.execution_options(report_summaries="unaffected")` because it sets
nothing the summaries count. Plain SQL (a migration, psql) is followed by nobody: run
`flask reports rebuild-summaries` after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import ORMExecuteState, Session

from foundry.accounts.models import User
from foundry.applications.models import Application
from foundry.audit.models import AuditEvent
from foundry.companies.models import Company
from foundry.placements.models import Placement
from foundry.postings.models import Posting
from foundry.reports.aggregates import SIGN_IN
from foundry.reports.summaries import maintenance
from foundry.reports.summaries.definitions import profiles_applied_to, profiles_of_companies
from foundry.reports.summaries.models import COHORT_COLUMNS
from foundry.students.models import StudentProfile

PAUSED = "report_summaries_paused"
PENDING = "report_summaries_pending"
UNAFFECTED_OPTION = "report_summaries"  # .execution_options(report_summaries="unaffected")

# The attributes whose change moves a student's counts: in the breakdowns and the
# student's own rows, or only in the student's rows.
# (A relationship changed before the flush shows in its own history, not yet its column's.)
APPLICATION_KEYS = frozenset({"profile_id", "profile", "posting_id", "posting", "submitted_at"})
APPLICATION_STAGES = frozenset({"interviewed_at", "offered_at"})
PLACEMENT_KEYS = frozenset({"profile_id", "profile", "company_id", "company", "kind", "placed_at"})
PROFILE_COHORT = frozenset({*COHORT_COLUMNS, "university"})
PROFILE_STAGES = frozenset({"user_id", "user"})
POSTING_KEYS = frozenset({"kind", "company_id", "company"})
SIGN_IN_KEYS = frozenset({"actor_id", "actor", "action", "occurred_at"})
COUNTED_CLASSES = (Application, Placement, StudentProfile, AuditEvent)


class SummariesBypassed(RuntimeError):
    """An ORM bulk statement changed what the report summaries count behind their back."""


@dataclass
class _Touched:
    """The students a flush touches, as far as they are known before it."""

    breakdowns: set[int] = field(default_factory=set)  # existing students, breakdown rows
    students: set[int] = field(default_factory=set)  # existing students, their own rows
    sign_in_users: set[int] = field(default_factory=set)  # users who signed in
    new_objects: list = field(default_factory=list)  # new students, and their new rows
    before: maintenance.Contributions = field(default_factory=dict)

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


def _students_of(obj) -> set[int]:
    """The profile ids an application or placement belongs to now and before the flush."""
    return _values(obj, "profile_id") | _ids(obj, "profile")


def _id_of(obj, column: str, relationship: str) -> int | None:
    """The id a new object refers to, by its column or its relationship; None while the
    object referred to is new too."""
    if getattr(obj, column) is not None:
        return getattr(obj, column)
    other = getattr(obj, relationship)
    return other.id if other is not None else None


def _collect_new(touched: _Touched, obj) -> None:
    if isinstance(obj, StudentProfile):  # may find sign-ins of their user made before it
        touched.new_objects.append(obj)
    elif isinstance(obj, Application | Placement):
        profile_id = _id_of(obj, "profile_id", "profile")
        if profile_id is None:
            touched.new_objects.append(obj)
        else:
            touched.add({profile_id}, breakdowns=True)
    elif isinstance(obj, AuditEvent) and obj.action == SIGN_IN:
        user_id = _id_of(obj, "actor_id", "actor")
        if user_id is None:
            touched.new_objects.append(obj)
        else:
            touched.sign_in_users.add(user_id)


def _collect_changed(touched: _Touched, obj, conn: sa.Connection) -> None:
    if isinstance(obj, Application):
        if _changed(obj, APPLICATION_KEYS | APPLICATION_STAGES):
            touched.add(_students_of(obj), breakdowns=_changed(obj, APPLICATION_KEYS))
    elif isinstance(obj, Placement):
        if _changed(obj, PLACEMENT_KEYS):
            touched.add(_students_of(obj), breakdowns=True)
    elif isinstance(obj, StudentProfile):
        if _changed(obj, PROFILE_COHORT | PROFILE_STAGES):
            touched.add({obj.id}, breakdowns=_changed(obj, PROFILE_COHORT))
    elif isinstance(obj, Posting):
        if _changed(obj, POSTING_KEYS):
            ids = maintenance.profile_ids_in(conn, profiles_applied_to({obj.id}))
            touched.add(ids, breakdowns=True)
    elif isinstance(obj, AuditEvent) and _changed(obj, SIGN_IN_KEYS):
        touched.sign_in_users |= _values(obj, "actor_id") | _ids(obj, "actor")


def _collect_deleted(touched: _Touched, obj, conn: sa.Connection) -> None:
    if isinstance(obj, Application | Placement):
        touched.add(_students_of(obj), breakdowns=True)
    elif isinstance(obj, StudentProfile):
        touched.add({obj.id}, breakdowns=True)
    elif isinstance(obj, AuditEvent) and obj.action == SIGN_IN and obj.actor_id is not None:
        touched.sign_in_users.add(obj.actor_id)
    elif isinstance(obj, Posting):
        touched.add(
            maintenance.profile_ids_in(conn, profiles_applied_to({obj.id})), breakdowns=True
        )
    elif isinstance(obj, Company):
        ids = maintenance.profile_ids_in(conn, profiles_of_companies({obj.id}))
        touched.add(ids, breakdowns=True)
    elif isinstance(obj, User):
        touched.add(maintenance.students_of_users(conn, {obj.id}), breakdowns=True)


def _before_flush(session: Session, flush_context, instances) -> None:
    session.info.pop(PENDING, None)
    if session.info.get(PAUSED):
        return
    touched = _Touched()
    conn = session.connection()
    for obj in session.new:
        _collect_new(touched, obj)
    for obj in session.dirty:
        _collect_changed(touched, obj, conn)
    for obj in session.deleted:
        _collect_deleted(touched, obj, conn)
    if not (touched.students or touched.new_objects or touched.sign_in_users):
        return
    locked = maintenance.lock_students(conn, touched.students, touched.sign_in_users)
    touched.add(locked.keys(), breakdowns=False)  # the students who signed in
    touched.sign_in_users -= set(locked.values())  # left: users without a profile yet
    touched.before = maintenance.contributions(conn, touched.breakdowns)
    session.info[PENDING] = touched


def _after_flush(session: Session, flush_context) -> None:
    touched: _Touched | None = session.info.pop(PENDING, None)
    if touched is None:
        return
    conn = session.connection()
    new_students, late_users = set(), set(touched.sign_in_users)
    for obj in touched.new_objects:
        if isinstance(obj, StudentProfile):
            new_students.add(obj.id)
        elif isinstance(obj, AuditEvent):
            late_users.add(obj.actor_id)
        else:
            new_students.add(obj.profile_id)
    breakdowns = touched.breakdowns | new_students
    maintenance.add_difference(conn, touched.before, maintenance.contributions(conn, breakdowns))
    # Users made in this very flush, or whose profile is, may have signed in in it too.
    students = touched.students | new_students | maintenance.students_of_users(conn, late_users)
    maintenance.refresh_student_years(conn, students)


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
    if mapper is not None and issubclass(mapper.class_, COUNTED_CLASSES):
        raise SummariesBypassed(
            f"A bulk {type(state.statement).__name__.upper()} on {mapper.class_.__name__} "
            "would leave the report summaries behind: change the objects instead, run it in "
            "foundry.reports.summaries.paused() and rebuild, or mark it "
            '.execution_options(report_summaries="unaffected") if it sets nothing they count.'
        )


_LISTENERS = (
    ("before_flush", _before_flush),
    ("after_flush", _after_flush),
    ("after_rollback", _forget_pending),
    ("after_soft_rollback", _forget_pending),
    ("do_orm_execute", _refuse_bulk_writes),
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
