"""A sign-in, the most frequent write, is counted where it happens and costs a couple of
small statements: it locks no student and computes none of their summary rows again (on
PostgreSQL, tests/reports/summaries/test_concurrency.py checks that it does not wait for a
transaction holding the student)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa

from foundry.accounts.models import User
from foundry.accounts.services import sign_in
from foundry.reports.summaries.models import SignInYear
from tests import factories as f
from tests.reports.summaries.helpers import out_of_step
from tests.statements import recorded_statements

WRITTEN = re.compile(r"^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+\"?(\w+)", re.IGNORECASE)
# What following the summaries of a student would read or write (and the lock, FOR UPDATE,
# which SQLite does not spell).
A_STUDENT_S_SUMMARIES = re.compile(
    r"\b(student_profiles|applications|placements|report_student_years|report_company_years"
    r"|report_kind_years|report_months|report_faculty_company_years)\b|FOR (NO KEY )?UPDATE",
    re.IGNORECASE,
)


def test_a_sign_in_writes_its_own_row_and_touches_no_student(app, db):
    student = f.profile_of(f.student())
    f.ApplicationFactory(profile=student, submitted_at=datetime(2025, 10, 1, tzinfo=UTC))
    db.session.commit()
    user_id = student.user_id
    with app.test_request_context("/"):
        user = db.session.get(User, user_id)
        with recorded_statements() as recorded:
            sign_in(user, "password")
            db.session.flush()
        db.session.commit()
    statements = [s.sql for s in recorded]

    touching_students = [s for s in statements if A_STUDENT_S_SUMMARIES.search(s)]
    assert touching_students == []
    written = {m.group(1).lower() for s in statements if (m := WRITTEN.match(s))}
    assert written == {"users", "user_sessions", "audit_events", "report_sign_in_years"}
    assert db.session.scalar(sa.select(SignInYear.user_id)) == user_id
    assert out_of_step() == {}
