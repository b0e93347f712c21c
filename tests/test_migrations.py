"""The Alembic migrations build the schema the models describe, on the engine under test."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from foundry import create_app
from foundry.extensions import db
from foundry.postings.search_index import alembic_include_object
from tests.conftest import fresh_database_url


def _migrated_app():
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": fresh_database_url("migrations")})
    with app.app_context():
        upgrade()
    return app


def test_empty_database_upgrades_to_head_with_no_difference_from_the_models(no_db):
    app = _migrated_app()
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "render_as_batch": True,
                "include_object": alembic_include_object(connection.dialect.name),
            },
        )
        differences = compare_metadata(context, db.metadata)
        tables = set(sa.inspect(connection).get_table_names())
    db_engine_dispose(app)
    assert differences == []
    assert {
        "users",
        "role_memberships",
        "student_profiles",
        "cv_documents",
        "companies",
        "audit_events",
        "alembic_version",
    } <= tables


def test_migrated_schema_enforces_scopes_and_consistency(no_db):
    app = _migrated_app()
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO universities"
                " (id, code, name_en, name_zh, enabled, created_at, updated_at)"
                " VALUES (1, 'UA', 'A', 'A', true, '2026-01-01', '2026-01-01'),"
                " (2, 'UB', 'B', 'B', true, '2026-01-01', '2026-01-01')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO faculties (id, university_id, code, name_en, name_zh, created_at, "
                "updated_at) VALUES (10, 1, 'ENG', 'E', 'E', '2026-01-01', '2026-01-01')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO users (id, email, display_name, active, created_at, updated_at)"
                " VALUES (1, 'a@example.org', 'A', true, '2026-01-01', '2026-01-01')"
            )
        )
    refused = [
        # a dean with no faculty
        "INSERT INTO role_memberships (user_id, role, university_id, created_at, updated_at)"
        " VALUES (1, 'dean', 1, '2026-01-01', '2026-01-01')",
        # a faculty of university 1 claimed for university 2
        "INSERT INTO role_memberships (user_id, role, university_id, faculty_id, created_at,"
        " updated_at) VALUES (1, 'student', 2, 10, '2026-01-01', '2026-01-01')",
        # an unknown role
        "INSERT INTO role_memberships (user_id, role, created_at, updated_at)"
        " VALUES (1, 'overlord', '2026-01-01', '2026-01-01')",
        # an upper-case e-mail
        "INSERT INTO users (email, display_name, active, created_at, updated_at)"
        " VALUES ('B@Example.org', 'B', true, '2026-01-01', '2026-01-01')",
    ]
    for statement in refused:
        with app.app_context():
            try:
                with db.engine.begin() as conn:
                    conn.execute(sa.text(statement))
            except sa.exc.IntegrityError:
                continue
            raise AssertionError(f"the schema accepted: {statement}")
    duplicate = (
        "INSERT INTO role_memberships (user_id, role, created_at, updated_at)"
        " VALUES (1, 'park_admin', '2026-01-01', '2026-01-01')"
    )
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(sa.text(duplicate))
        try:
            with db.engine.begin() as conn:
                conn.execute(sa.text(duplicate))
        except sa.exc.IntegrityError:
            pass
        else:
            raise AssertionError("the same role was granted twice in the same scope")
    db_engine_dispose(app)


def test_downgrade_to_base_removes_every_table(no_db):
    app = _migrated_app()
    with app.app_context():
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    db_engine_dispose(app)
    assert tables == set()


def db_engine_dispose(app) -> None:
    with app.app_context():
        db.engine.dispose()


def test_the_summaries_backfill_fills_what_the_app_would(no_db):
    """Migration 0006 fills the report summaries from the data already there with a frozen
    copy of their definitions: the result must be what the app's own definitions give."""
    from foundry.reports.summaries.maintenance import differences
    from foundry.reports.summaries.models import StudentYear
    from foundry.reports.summaries.tracking import paused
    from tests.reports import dataset

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": fresh_database_url("backfill")})
    with app.app_context():
        # The data is written by today's models, so on today's schema; going back to 0005
        # then drops the summary tables (and any later column) and 0006 fills them again.
        upgrade()
        with paused(db.session):
            dataset.build()
            db.session.commit()
        downgrade(revision="0005")
        upgrade()
        with db.engine.connect() as conn:
            found = differences(conn)
            filled = conn.scalar(sa.select(sa.func.count()).select_from(StudentYear))
    db_engine_dispose(app)
    assert filled == 13  # the 15 rows of 0006, less two students who only signed in (0012)
    assert found == {
        "report_student_years": (0, 0),
        "report_company_years": (0, 0),
        "report_kind_years": (0, 0),
        "report_months": (0, 0),
        "report_faculty_company_years": (0, 0),
        "report_sign_in_years": (0, 0),
        "report_student_counts": (0, 0),  # filled by 0015
        "report_faculty_company_months": (0, 0),  # filled by 0016
        "report_programme_kind_months": (0, 0),
    }


def test_sign_ins_move_to_their_own_table_and_back(no_db):
    """Migration 0012 takes the sign-ins out of report_student_years into
    report_sign_in_years (from the audit log); its downgrade puts them back as 0009 had
    them, the students who only signed in included."""
    from foundry.reports.summaries.maintenance import differences
    from tests.reports import dataset

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": fresh_database_url("sign_ins")})
    with app.app_context():
        upgrade()
        dataset.build()  # the summaries followed as the app keeps them
        db.session.commit()
        downgrade(revision="0011")
        with db.engine.connect() as conn:
            rows, sign_ins, firsts = conn.execute(
                sa.text(
                    "SELECT count(*), sum(sign_ins), count(first_signed_in_at) "
                    "FROM report_student_years"
                )
            ).one()
            only_signed_in = conn.scalar(
                sa.text(
                    "SELECT count(*) FROM report_student_years WHERE applications = 0 "
                    "AND interviews = 0 AND offers = 0 AND placements = 0"
                )
            )
        upgrade()
        with db.engine.connect() as conn:
            found = differences(conn)
            years = conn.scalar(sa.text("SELECT count(*) FROM report_sign_in_years"))
    db_engine_dispose(app)
    # The data set's sign-ins: s1, s4, s5 (twice, in two years), s6 and the dean of A1.
    assert (rows, sign_ins, firsts, only_signed_in) == (15, 5, 5, 2)
    assert years == 6
    assert set(found.values()) == {(0, 0)}


def test_stored_addresses_are_put_in_canonical_form_unless_taken(no_db):
    """Migration 0007_accounts folds stored addresses (full-width letters, a Unicode
    domain) to the canonical form the app now looks up; one whose canonical form another
    user already has is left for the park's team."""
    from foundry.accounts.email_address import normalise_email

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": fresh_database_url("emails")})
    stored = {
        1: "olivia@bücher.example",
        2: "ｎｏｒａ@startup.hk",
        3: "amy@ua.edu.hk",
        4: "ａｍｙ@ua.edu.hk",  # its canonical form is user 3's
    }
    with app.app_context():
        upgrade(revision="0006")
        with db.engine.begin() as conn:
            for user_id, email in stored.items():
                conn.execute(
                    sa.text(
                        "INSERT INTO users (id, email, display_name, active, created_at,"
                        " updated_at) VALUES (:id, :email, 'X', true, '2026-01-01',"
                        " '2026-01-01')"
                    ),
                    {"id": user_id, "email": email},
                )
        upgrade()
        with db.engine.connect() as conn:
            after = dict(conn.execute(sa.text("SELECT id, email FROM users")).all())
        canonical = {i: normalise_email(e) for i, e in stored.items() if i != 4}
    db_engine_dispose(app)
    assert after == {**canonical, 4: "ａｍｙ@ua.edu.hk"}
    assert after[1] == "olivia@xn--bcher-kva.example" and after[2] == "nora@startup.hk"


def test_migrated_schema_guards_sessions_and_registrations(no_db):
    """Migration 0013's constraints hold on the engine under test: a session ends after it
    starts and offers 1 to 10,000 seats; one live registration per student per session
    (the partial unique index), however many cancelled ones."""
    app = _migrated_app()
    now = "'2026-12-01 10:00:00'"
    setup = [
        "INSERT INTO universities (id, code, name_en, name_zh, enabled, created_at, updated_at)"
        " VALUES (1, 'UA', 'A', 'A', true, '2026-01-01', '2026-01-01')",
        "INSERT INTO faculties (id, university_id, code, name_en, name_zh, created_at,"
        " updated_at) VALUES (10, 1, 'ENG', 'E', 'E', '2026-01-01', '2026-01-01')",
        "INSERT INTO users (id, email, display_name, active, created_at, updated_at)"
        " VALUES (1, 'a@example.org', 'A', true, '2026-01-01', '2026-01-01')",
        "INSERT INTO student_profiles (id, user_id, university_id, faculty_id, study_level,"
        " graduation_year, non_local, talent_pool_opt_in, created_at, updated_at)"
        " VALUES (1, 1, 1, 10, 'ug', 2027, false, false, '2026-01-01', '2026-01-01')",
        "INSERT INTO programmes (id, kind, status, title_en, description_en, format,"
        " registration_opens_at, registration_closes_at, cancellation_cutoff_hours,"
        " open_to_non_local, created_at, updated_at) VALUES (1, 'workshop', 'draft', 'W', '',"
        f" 'virtual', {now}, '2026-12-09', 24, true, {now}, {now})",
        "INSERT INTO programme_sessions (id, programme_id, starts_at, ends_at, capacity,"
        f" waitlist_enabled, last_sequence, created_at) VALUES (1, 1, '2026-12-10 02:00:00',"
        f" '2026-12-10 04:00:00', 10, true, 0, {now})",
    ]

    def registration(sequence: int, status: str) -> str:
        cancelled = now if status == "cancelled" else "NULL"
        return (
            "INSERT INTO programme_registrations (session_id, profile_id, status, sequence,"
            f" created_at, cancelled_at) VALUES (1, 1, '{status}', {sequence}, {now},"
            f" {cancelled})"
        )

    def session(starts: str, ends: str, capacity: int) -> str:
        return (
            "INSERT INTO programme_sessions (programme_id, starts_at, ends_at, capacity,"
            f" waitlist_enabled, last_sequence, created_at) VALUES (1, '{starts}', '{ends}',"
            f" {capacity}, true, 0, {now})"
        )

    with app.app_context(), db.engine.begin() as conn:
        for statement in [*setup, registration(1, "cancelled"), registration(2, "cancelled")]:
            conn.execute(sa.text(statement))
        conn.execute(sa.text(registration(3, "registered")))
    refused = [
        registration(4, "waitlisted"),  # a second live registration
        registration(3, "cancelled"),  # a sequence handed out twice
        registration(5, "cancelled").replace(now + ")", "NULL)"),  # cancelled with no time
        session("2026-12-10 04:00:00", "2026-12-10 02:00:00", 10),
        session("2026-12-10 02:00:00", "2026-12-10 04:00:00", 0),
        session("2026-12-10 02:00:00", "2026-12-10 04:00:00", -3),
        session("2026-12-10 02:00:00", "2026-12-10 04:00:00", 10001),
    ]
    for statement in refused:
        with app.app_context():
            try:
                with db.engine.begin() as conn:
                    conn.execute(sa.text(statement))
            except sa.exc.IntegrityError:
                continue
            raise AssertionError(f"the schema accepted: {statement}")
    db_engine_dispose(app)
