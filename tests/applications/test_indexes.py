"""On PostgreSQL, the pipeline and "my applications" read through their indexes."""

from __future__ import annotations

import pytest

from foundry.applications.models import ApplicationStatus
from foundry.applications.queries import my_applications_statement, pipeline_statement
from tests.factories import ApplicationFactory, PostingFactory, profile_of


def _plan(db, stmt) -> str:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("index plans are checked on PostgreSQL")
    compiled = stmt.compile(db.engine)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE applications")
        conn.exec_driver_sql("SET enable_seqscan = off")
        rows = conn.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params)
        return "\n".join(row[0] for row in rows)


def _applications(world, db):
    posting = PostingFactory(company=world.company_a)
    for user in (world.student_a1, world.student_a2, world.student_b1):
        ApplicationFactory(posting=posting, profile_id=profile_of(user).id)
    db.session.commit()
    return posting


def test_pipeline_uses_the_posting_status_index(world, db):
    posting = _applications(world, db)
    plan = _plan(db, pipeline_statement(posting, ApplicationStatus.SUBMITTED, None))
    # Either index that starts with posting_id serves the pipeline.
    assert any(
        name in plan
        for name in ("ix_applications_posting_status", "uq_applications_posting_id_profile_id")
    ), plan


def test_my_applications_uses_the_profile_index(world, db):
    _applications(world, db)
    plan = _plan(db, my_applications_statement(profile_of(world.student_a1), None))
    assert "ix_applications_profile_id" in plan, plan
