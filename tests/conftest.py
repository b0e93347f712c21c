"""Test harness: an app per test session on SQLite (a file per xdist worker) or on the
PostgreSQL database named by TEST_DATABASE_URL (a database per worker), every table
emptied after each test, and helpers to sign in and post forms with a real CSRF token."""

from __future__ import annotations

import atexit
import contextvars
import os
import re
import tempfile
import uuid

import pytest
import redis
import sqlalchemy as sa
from flask.globals import _cv_app, _cv_request
from flask.testing import FlaskClient

from foundry import create_app
from foundry.extensions import db as _db
from foundry.reports import cache

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


_CREATED_DATABASES: list[str] = []


def _postgres_database(base_url: str, suffix: str) -> str:
    """Create a database beside the one in TEST_DATABASE_URL, unique to this process (so
    parallel pytest runs and xdist workers never share one), dropped at exit."""
    url = sa.make_url(base_url)
    name = f"{url.database}_{suffix}_{os.getpid()}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    if not _CREATED_DATABASES:
        atexit.register(_drop_created_databases, base_url)
    _CREATED_DATABASES.append(name)
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_created_databases(base_url: str) -> None:
    admin = sa.create_engine(sa.make_url(base_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in _CREATED_DATABASES:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def fresh_database_url(suffix: str) -> str:
    """An empty database of the engine under test, for tests that need their own."""
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        return _postgres_database(base, suffix)
    folder = tempfile.mkdtemp(prefix=f"foundry-{suffix}-")
    return f"sqlite:///{folder}/test.db"


@pytest.fixture(scope="session")
def database_url() -> str:
    return fresh_database_url("t")


class IsolatedClient(FlaskClient):
    """Serves each request in its own app context, as a real server does.

    Without this, requests reuse the test's app context and so its `g` (where Flask-Login
    and Flask-Babel cache the user and locale) and its database session. The test's work
    is committed first so the request sees it and no lock is held across the request.
    """

    def open(self, *args, **kwargs):
        if _cv_app.get(None) is not None:
            _db.session.commit()

        def serve():
            _cv_app.set(None)
            _cv_request.set(None)
            return super(IsolatedClient, self).open(*args, **kwargs)

        return contextvars.copy_context().run(serve)


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    app.test_client_class = IsolatedClient
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def _app_context_and_clean_tables(request, app):
    """Every test runs inside an app context and leaves every table empty. Before they are
    emptied, the report summaries must hold exactly what the test's data makes them (every
    write the test made through the app kept them in step)."""
    if "no_db" in request.fixturenames:
        yield
        return
    with app.app_context():
        yield
        _db.session.rollback()
        _db.session.remove()
        with _db.engine.connect() as conn:
            wrong = summaries_out_of_step(conn)
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())
        if wrong and "summaries_may_differ" not in request.keywords:
            pytest.fail(f"the report summaries differ from the data: {wrong}", pytrace=False)


def summaries_out_of_step(conn) -> dict:
    """{table: (rows missing or wrong, rows extra)} where the report summaries differ from
    their definitions; {} when they agree (or the test wrote nothing they count)."""
    from foundry.messages import SIGN_IN
    from foundry.reports.summaries.maintenance import differences
    from foundry.reports.summaries.models import SignInYear, StudentCounts, StudentYear

    sign_ins = sa.table("audit_events", sa.column("action"))
    counted = sa.or_(
        sa.exists().select_from(sa.table("applications")),
        sa.exists().select_from(sa.table("placements")),
        sa.exists().select_from(StudentYear),
        sa.exists().select_from(SignInYear),
        sa.exists().select_from(sa.table("student_profiles")),  # the head counts
        sa.exists().select_from(StudentCounts),
        sa.exists().select_from(sign_ins).where(sign_ins.c.action == SIGN_IN),
    )
    if not conn.scalar(sa.select(counted)):
        return {}
    return {table: found for table, found in differences(conn).items() if found != (0, 0)}


@pytest.fixture
def client(app):
    """A fresh client per test (not kept open with `with`, so no context is preserved)."""
    return app.test_client()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def login_as(client):
    """Sign the test client in as `user` through the demo sign-in form."""

    def sign_in(user):
        _db.session.commit()
        page = client.get("/demo/sign-in")
        response = client.post(
            "/demo/sign-in", data={"user_id": user.id, "csrf_token": csrf_from(page)}
        )
        assert response.status_code == 303, response.data[:500]
        return user

    return sign_in


CSRF_TOKENS = re.compile(r'(name="csrf_token"[^>]*value=|name="csrf-token" content=)"[^"]*"')


def without_csrf_tokens(html: str) -> str:
    """`html` with its CSRF tokens blanked: a token carries the second it was signed, so
    two otherwise identical pages differ when the clock ticks between them."""
    return CSRF_TOKENS.sub(r"\1", html)


def csrf_from(response) -> str:
    match = CSRF_META.search(response.get_data(as_text=True))
    assert match, "page has no CSRF token meta tag"
    return match.group(1)


@pytest.fixture
def post_form(client):
    """POST `data` to `url` with the CSRF token of the page at `form_page` (default: url)."""

    def post(url, data=None, form_page=None, **kwargs):
        page = client.get(form_page or url)
        payload = {"csrf_token": csrf_from(page), **(data or {})}
        return client.post(url, data=payload, **kwargs)

    return post


@pytest.fixture
def no_db():
    """Request this fixture in tests that must not touch the shared test database."""
    return None


@pytest.fixture
def world(db):
    """Two universities with two faculties each, people in every role, and companies:
    enough to test each role against its own scope and a foreign one."""
    from types import SimpleNamespace

    from foundry.accounts.models import Role
    from foundry.companies.models import VerificationStatus
    from tests import factories as f

    uni_a = f.UniversityFactory(code="UA", name_en="University A")
    uni_b = f.UniversityFactory(code="UB", name_en="University B")
    fac_a1 = f.FacultyFactory(university=uni_a, code="ENG", name_en="A Engineering")
    fac_a2 = f.FacultyFactory(university=uni_a, code="SCI", name_en="A Science")
    fac_b1 = f.FacultyFactory(university=uni_b, code="ENG", name_en="B Engineering")
    prog_a1 = f.ProgrammeFactory(faculty=fac_a1, name_en="BEng Computer Engineering")
    prog_a2 = f.ProgrammeFactory(faculty=fac_a2, name_en="BSc Data Science")
    company_a = f.CompanyFactory(name="Alpha Robotics", slug="alpha")
    company_b = f.CompanyFactory(name="Beta Fintech", slug="beta")
    company_unverified = f.CompanyFactory(
        name="Gamma Unverified", slug="gamma", verification_status=VerificationStatus.UNVERIFIED
    )
    w = SimpleNamespace(
        uni_a=uni_a,
        uni_b=uni_b,
        fac_a1=fac_a1,
        fac_a2=fac_a2,
        fac_b1=fac_b1,
        prog_a1=prog_a1,
        prog_a2=prog_a2,
        company_a=company_a,
        company_b=company_b,
        company_unverified=company_unverified,
        student_a1=f.student(fac_a1, programme_id=prog_a1.id),
        student_a1_other=f.student(fac_a1),
        student_a2=f.student(fac_a2),
        student_b1=f.student(fac_b1),
        dean_a1=f.staff(Role.DEAN, fac_a1),
        officer_a2=f.staff(Role.PLACEMENT_OFFICER, fac_a2),
        dean_b1=f.staff(Role.DEAN, fac_b1),
        coordinator_a=f.coordinator(uni_a),
        coordinator_b=f.coordinator(uni_b),
        company_admin_a=f.company_member(company_a, Role.COMPANY_ADMIN),
        recruiter_a=f.company_member(company_a, Role.RECRUITER),
        recruiter_b=f.company_member(company_b, Role.RECRUITER),
        recruiter_unverified=f.company_member(company_unverified, Role.COMPANY_ADMIN),
        park_admin=f.park_admin(),
    )
    db.session.commit()
    return w


# --- the dashboards' shared cache (foundry/reports/cache.py) ---------------------------------


def _redis_store() -> cache.RedisStore:
    """A store of the test's own on Redis database 2: its keys start with a prefix no other
    test (of this run, or of another suite running beside it) writes."""
    store = cache.RedisStore("redis://127.0.0.1:6379/2", prefix=f"test-{uuid.uuid4().hex}:")
    try:
        store.client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (CI must have one)")
    return store


def _forget(store: cache.RedisStore) -> None:
    keys = list(store.client.scan_iter(match=f"{store.prefix}*", count=1000))
    if keys:
        store.client.delete(*keys)


@pytest.fixture(params=["local", "redis"])
def store(app, request):
    """The dashboards' cache on the store of one process, then on Redis (the test runs
    twice): for the tests of what goes through it."""
    store = cache.LocalStore() if request.param == "local" else _redis_store()
    app.extensions[cache.EXTENSION] = store
    yield store
    app.extensions[cache.EXTENSION] = None
    if request.param == "redis":
        _forget(store)
