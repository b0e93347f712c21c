"""Test harness: an app per test session on SQLite (a file per xdist worker) or on the
PostgreSQL database named by TEST_DATABASE_URL (a database per worker), every table
emptied after each test, and helpers to sign in and post forms with a real CSRF token."""

from __future__ import annotations

import os
import re
import tempfile

import pytest
import sqlalchemy as sa

from foundry import create_app
from foundry.extensions import db as _db

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _postgres_database_for_worker(base_url: str, suffix: str) -> str:
    """Create (afresh) a database for this worker beside the one in TEST_DATABASE_URL."""
    url = sa.make_url(base_url)
    name = f"{url.database}_{suffix}_{_worker()}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def fresh_database_url(suffix: str) -> str:
    """An empty database of the engine under test, for tests that need their own."""
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        return _postgres_database_for_worker(base, suffix)
    folder = tempfile.mkdtemp(prefix=f"foundry-{suffix}-")
    return f"sqlite:///{folder}/test.db"


@pytest.fixture(scope="session")
def database_url() -> str:
    return fresh_database_url("t")


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def _app_context_and_clean_tables(request, app):
    """Every test runs inside an app context and leaves every table empty."""
    if "no_db" in request.fixturenames:
        yield
        return
    with app.app_context():
        yield
        _db.session.rollback()
        _db.session.remove()
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())


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
