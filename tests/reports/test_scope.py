"""Scoped to the row: a dean of one faculty, or a coordinator of one university, gets no
number, list row or export line from another faculty or university."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from foundry.applications.models import Application
from foundry.audit.models import AuditEvent
from foundry.extensions import db
from foundry.placements.models import GraduateOutcome, Placement
from foundry.policy import report_scope
from foundry.reports.drilldown import iter_drilldown
from foundry.reports.figures import parse_figure
from foundry.reports.filters import ReportFilter, ReportScope
from foundry.reports.metrics import dashboard
from foundry.reports.outcomes import graduate_outcomes, iter_outcome_rows, outcome_rows
from foundry.students.models import StudentProfile

YEAR = ReportFilter.for_academic_year(2025)


def erase_activity_of(profiles):
    """Delete every application, placement, sign-in and outcome of these students."""
    ids = [p.id for p in profiles]
    users = [p.user_id for p in profiles]
    # Object by object, as the app would: the report summaries follow each deletion.
    for model, column, keys in (
        (Placement, Placement.profile_id, ids),
        (Application, Application.profile_id, ids),
        (GraduateOutcome, GraduateOutcome.profile_id, ids),
        (AuditEvent, AuditEvent.actor_id, users),
    ):
        for row in db.session.scalars(sa.select(model).where(column.in_(keys))):
            db.session.delete(row)
    db.session.flush()


def every_figure_key(scope, f):
    d = dashboard(f, scope)
    keys = ["active", "applied", "interviewed", "offered", "placed"]
    for breakdown in (d.by_cluster, d.top_companies, d.by_kind, d.by_programme, d.trend):
        for row in breakdown:
            keys += [row.figure_key, row.placed_figure_key]
    return keys


def test_a_deans_figures_do_not_move_when_another_faculty_has_data(known):
    dean = report_scope(known.dean_a1)
    coordinator = report_scope(known.coordinator_a)
    with_others = dashboard(YEAR, dean)
    coordinators_before = dashboard(YEAR, coordinator)
    # faculty A2 (s6) and university B (s7) have data that others see...
    erase_activity_of([known.s6, known.s7])
    assert dashboard(YEAR, coordinator) != coordinators_before
    # ...and none of it reaches the dean of A1: every figure, row and month is the same
    assert dashboard(YEAR, dean) == with_others


def test_a_coordinators_figures_do_not_move_when_another_university_has_data(known):
    coordinator = report_scope(known.coordinator_a)
    with_others = dashboard(YEAR, coordinator)
    admins_before = dashboard(YEAR, ReportScope())
    erase_activity_of([known.s7])
    assert dashboard(YEAR, ReportScope()) != admins_before
    assert dashboard(YEAR, coordinator) == with_others


def test_a_deans_outcomes_do_not_move_when_another_faculty_has_data(known):
    dean = report_scope(known.dean_a1)
    before = graduate_outcomes(2026, YEAR, dean)
    erase_activity_of([known.s6, known.s7])
    assert graduate_outcomes(2026, YEAR, dean) == before


def test_the_other_faculty_sees_only_its_own(known):
    officer_a2 = report_scope(known.officer_a2)
    d = dashboard(YEAR, officer_a2)
    # s6 alone: e1 submitted and interviewed this year, and a sign-in
    assert (d.active.value, d.applied.value, d.interviewed.value, d.placed.value) == (1, 1, 1, 0)
    assert [r.label for r in d.top_companies] == ["Beta Fintech"]


@pytest.mark.parametrize(
    ("viewer", "allowed"),
    [
        ("dean_a1", {"s1", "s2", "s3", "s4", "s5", "s8", "s9", "s10", "s11"}),
        ("officer_a2", {"s6"}),
        ("dean_b1", {"s7"}),
        ("coordinator_a", {"s1", "s2", "s3", "s4", "s5", "s6", "s8", "s9", "s10", "s11"}),
        ("coordinator_b", {"s7"}),
    ],
)
def test_lists_and_export_lines_stay_in_scope(known, viewer, allowed):
    scope = report_scope(getattr(known, viewer))
    allowed_ids = {getattr(known, s).id for s in allowed}
    seen = set()
    for f in (YEAR, YEAR.previous()):
        # every figure of the viewer's own dashboard, and every figure of the park's
        keys = set(every_figure_key(scope, f)) | set(every_figure_key(ReportScope(), f))
        for key in keys:
            lines = {row.profile_id for row in iter_drilldown(parse_figure(key), f, scope)}
            assert lines <= allowed_ids, (viewer, key)
            seen |= lines
    for key in (None, "employed_full_time", "no_information", "self_employed", "seeking"):
        rows, _total = outcome_rows(2026, YEAR, scope, key)
        assert {r.profile_id for r in rows} <= allowed_ids
        assert {r.profile_id for r in iter_outcome_rows(2026, YEAR, scope, key)} <= allowed_ids
    assert seen  # the viewer does see their own students


def test_another_scopes_ids_in_the_figure_key_list_nothing(known):
    dean = report_scope(known.dean_a1)
    for key in (
        f"programme:{known.pb1.id}",
        f"programme:{known.pa2.id}",
        f"placed:programme:{known.pb1.id}",
        f"company:{known.c1.id}",  # C1 has s7's application f1 (university B)
    ):
        lines = list(iter_drilldown(parse_figure(key), YEAR, dean))
        assert known.s7.id not in {r.profile_id for r in lines}
        assert known.s6.id not in {r.profile_id for r in lines}


def test_a_cohort_filter_cannot_widen_the_scope(known):
    # a filter built by hand (not parsed) for another faculty still meets the scope
    dean = report_scope(known.dean_a1)
    tampered = ReportFilter.for_academic_year(
        2025, university_id=known.uni_b.id, faculty_id=known.fac_b1.id
    )
    d = dashboard(tampered, dean)
    assert (d.active.value, d.applied.value, d.placed.value) == (0, 0, 0)
    assert list(iter_drilldown(parse_figure("placed"), tampered, dean)) == []
    assert graduate_outcomes(2026, tampered, dean).graduates == 0


def test_an_empty_scope_sees_nothing(known):
    nobody = ReportScope(frozenset(), frozenset())
    d = dashboard(YEAR, nobody)
    assert (d.active.value, d.applied.value, d.placed.value) == (0, 0, 0)
    assert graduate_outcomes(2026, YEAR, nobody).graduates == 0


def test_the_scope_is_applied_to_students_not_to_companies(known):
    # a dean sees their students' applications to any company, and nobody else's
    dean = report_scope(known.dean_a1)
    rows = list(iter_drilldown(parse_figure(f"company:{known.c2.id}"), YEAR, dean))
    assert {r.application_id for r in rows} == {known.a2.id, known.c2_app.id, known.h1.id}
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(StudentProfile)) == 11
    )  # the data set is what the docstring says
