"""What the report summaries follow is declared on the models that own it
(`__report_facts__`, foundry.db.ReportFacts), and nowhere else: every column their
definitions read is declared by its model, so a change to it moves the summaries at the
next flush. A definition that starts reading an undeclared column fails here."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.sql import visitors

import foundry
from foundry.extensions import db
from foundry.reports.summaries import definitions, tracking
from foundry.reports.summaries.models import ALL_TABLES, BREAKDOWN_TABLES
from foundry.students.models import StudentProfile

SUMMARY_TABLES = {table.__tablename__ for table in ALL_TABLES}


def _columns_read(statement) -> set[sa.Column]:
    return {
        element
        for element in visitors.iterate(statement, {"column_collections": False})
        if isinstance(element, sa.Column)
        and isinstance(element.table, sa.Table)
        and element.table.name not in SUMMARY_TABLES
    }


def _definitions():
    yield definitions.student_years()
    yield definitions.facts_of_students()
    yield from (definitions.breakdown_rows(table) for table in BREAKDOWN_TABLES)


def _model_of(table: sa.Table):
    for mapper in db.Model.registry.mappers:
        if mapper.local_table is table:
            return mapper.class_
    raise AssertionError(f"no model maps {table.name}")


def test_every_column_the_student_summaries_read_is_declared_by_its_model():
    undeclared = set()
    for statement in _definitions():
        for column in _columns_read(statement):
            model = _model_of(column.table)
            facts = tracking.report_facts(model)
            declared = set() if facts is None else facts.moves_breakdowns | facts.moves_students
            # An object's own id never changes; its row comes and goes with on_insert and
            # on_delete, which the model declares too.
            if column.primary_key and facts is not None and facts.on_insert | facts.on_delete:
                continue
            if column.key not in declared:
                undeclared.add(f"{model.__name__}.{column.key}")
    assert undeclared == set()


def test_tracking_knows_the_students_of_every_model_that_declares_facts():
    declaring = {
        mapper.class_
        for mapper in db.Model.registry.mappers
        if (facts := tracking.report_facts(mapper.class_)) is not None
        and (
            facts.moves_breakdowns
            or facts.moves_students
            or facts.on_insert
            or facts.on_delete
            or facts.moves_head_counts
            or facts.head_count_on_write
        )
    }
    assert declaring == set(tracking.STUDENTS_OF)
    assert StudentProfile in declaring


def test_the_sign_in_action_is_spelt_once():
    # foundry.messages.SIGN_IN names it; the reports, the sign-in service and the audit
    # log's index all import that name (the migrations keep their frozen copies).
    package = Path(foundry.__file__).parent
    spelt = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if re.search(r"""["']user\.sign_in["']""", path.read_text(encoding="utf-8"))
    )
    assert spelt == ["messages.py"]
