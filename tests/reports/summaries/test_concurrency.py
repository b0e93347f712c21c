"""Concurrent transactions keep the summaries exact: two on one student take turns (the
student's profile row is locked while their rows are computed), two on students who share
breakdown rows both count, and a sign-in waits for neither: it locks no student. Needs real
concurrent transactions: PostgreSQL only."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from foundry.accounts.models import User
from foundry.accounts.services import sign_in as sign_in_service
from foundry.applications.models import Application, ApplicationStatus
from foundry.extensions import db
from foundry.reports.periods import academic_year_of, hong_kong_today
from foundry.reports.summaries.models import (
    CompanyYear,
    KindYear,
    MonthCounts,
    SignInYear,
    StudentYear,
)
from tests import factories as f
from tests.reports.summaries.helpers import out_of_step

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="needs concurrent transactions (PostgreSQL)"
)

SUBMITTED = datetime(2025, 11, 3, 2, tzinfo=UTC)


def application(profile_id: int, posting_id: int, company_id: int) -> Application:
    return Application(
        posting_id=posting_id,
        profile_id=profile_id,
        company_id=company_id,
        status=ApplicationStatus.SUBMITTED,
        cv_title="CV",
        cv_filename="cv.pdf",
        cv_size_bytes=5,
        cv_page_count=1,
        cv_sha256="0" * 64,
        cv_content=b"%PDF-",
        submitted_at=SUBMITTED,
        status_changed_at=SUBMITTED,
    )


def in_own_transaction(app, make_row, times: dict, name: str, start=None):
    """A thread adding `make_row()` in a session of its own, noting when its flush ended."""

    def work():
        with app.app_context():
            session = db.session.session_factory()
            try:
                if start is not None:
                    start.wait(timeout=10)
                session.add(make_row())
                session.flush()
                times[name] = time.monotonic()
                session.commit()
            except Exception as error:  # surfaced by the test
                times[f"{name} failed"] = error
                session.rollback()
            finally:
                session.close()

    return threading.Thread(target=work)


def test_two_transactions_on_one_student_take_turns(app, db):
    student = f.profile_of(f.student())
    postings = [f.PostingFactory(), f.PostingFactory()]
    db.session.commit()
    student_id = student.id  # plain values for the threads
    (first_posting, first_company), (second_posting, second_company) = (
        (p.id, p.company_id) for p in postings
    )

    first = db.session.session_factory()
    first.add(application(student_id, first_posting, first_company))
    first.flush()  # holds the student's profile row until it commits
    times: dict = {}
    second = in_own_transaction(
        app, lambda: application(student_id, second_posting, second_company), times, "second"
    )
    second.start()
    time.sleep(0.5)
    assert second.is_alive() and "second" not in times  # waiting for the first
    first.commit()
    committed = time.monotonic()
    first.close()
    second.join(timeout=10)

    assert "second failed" not in times
    assert times["second"] >= committed
    db.session.expire_all()
    row = db.session.get(StudentYear, (student_id, 2025))
    assert row.applications == 2
    assert out_of_step() == {}


def test_a_sign_in_does_not_wait_for_a_transaction_on_the_student(app, db):
    student = f.profile_of(f.student())
    posting = f.PostingFactory()
    db.session.commit()
    student_id, user_id = student.id, student.user_id
    posting_id, company_id = posting.id, posting.company_id

    first = db.session.session_factory()
    first.add(application(student_id, posting_id, company_id))
    first.flush()  # holds the student's profile row (and computes their rows) until it commits
    times: dict = {}

    def sign_in_through_the_service():
        # The sign-in service itself, in a request of its own, as a browser's sign-in runs.
        with app.test_request_context("/"):
            try:
                db.session.execute(sa.text("SET LOCAL lock_timeout = '5s'"))
                sign_in_service(db.session.get(User, user_id), "password")
                db.session.flush()
                times["sign-in"] = time.monotonic()
                db.session.commit()
            except Exception as error:  # surfaced by the test
                times["sign-in failed"] = error
                db.session.rollback()
            finally:
                db.session.remove()

    second = threading.Thread(target=sign_in_through_the_service)
    second.start()
    second.join(timeout=10)
    still_holding = time.monotonic()
    first.commit()
    first.close()

    assert "sign-in failed" not in times, times
    assert times["sign-in"] < still_holding  # done while the first still held the student
    db.session.expire_all()
    assert db.session.get(StudentYear, (student_id, 2025)).applications == 1
    signed_in = db.session.get(SignInYear, (user_id, academic_year_of(hong_kong_today())))
    assert signed_in is not None
    assert out_of_step() == {}


def test_two_students_sharing_breakdown_rows_both_count(app, db):
    faculty = f.FacultyFactory()
    # Same cohort (faculty, level, graduation year, local), same posting and month.
    students = [f.profile_of(f.student(faculty, graduation_year=2026)) for _ in range(2)]
    posting = f.PostingFactory()
    db.session.commit()
    faculty_id, posting_id, company_id = faculty.id, posting.id, posting.company_id
    student_ids = [s.id for s in students]

    start = threading.Barrier(2)
    times: dict = {}
    threads = [
        in_own_transaction(
            app, lambda s=s: application(s, posting_id, company_id), times, f"s{s}", start
        )
        for s in student_ids
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert not [key for key in times if key.endswith("failed")], times
    for table in (CompanyYear, KindYear, MonthCounts):
        counted = db.session.scalars(
            sa.select(table.applications).where(table.faculty_id == faculty_id)
        ).all()
        assert counted == [2], table.__tablename__
    assert out_of_step() == {}
