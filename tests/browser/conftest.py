"""End-to-end harness: the app with demo data behind a real HTTP server, driven by the
Chromium that Debian ships, one browser context per test.

Everything here is session-scoped per pytest-xdist worker: each worker migrates and seeds
its own database (from `fresh_database_url("browser")`) and serves it on a free port.
Browser tests never touch the shared `app` database: they all request `no_db`.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
import pytest
from flask import got_request_exception
from werkzeug.serving import make_server

from foundry import clock, create_app
from foundry.extensions import db
from tests.conftest import fresh_database_url

HERE = Path(__file__).parent
SCREENSHOTS = HERE / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_STUDENTS = 60
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 375, "height": 812},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


def pytest_collection_modifyitems(config, items):
    """Mark every test of this folder `browser` (the hook sees the whole session)."""
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so the page fixture knows a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session", autouse=True)
def _chromium_available():
    """Skip the folder when Chromium is missing, except in CI where that is a failure."""
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: CI must run the browser tests "
            "(apt-get install chromium, or set CHROMIUM_PATH)",
            pytrace=False,
        )
    pytest.skip("Chromium not installed: apt-get install chromium to run the browser tests")


@pytest.fixture(autouse=True)
def _browser_tests_use_no_db(no_db):
    """Keep the shared per-test table cleanup (tests/conftest.py) away from these tests."""


def _migrate_quietly() -> None:
    """Apply the migrations. Alembic's env.py calls logging.fileConfig(), which disables
    every logger that exists already; put them back so later tests' caplog still works."""
    manager = logging.Logger.manager
    disabled = {
        name: logger.disabled
        for name, logger in manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    root_level, root_handlers = logging.root.level, list(logging.root.handlers)
    try:
        flask_migrate.upgrade()
    finally:
        for name, was_disabled in disabled.items():
            logging.getLogger(name).disabled = was_disabled
        logging.root.setLevel(root_level)
        logging.root.handlers[:] = root_handlers


@pytest.fixture(scope="session")
def live_app(_chromium_available):
    """The app on its own database, migrated and seeded with the demo data."""
    from foundry.demo.seed import seed_demo

    app = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": fresh_database_url("browser"), "WTF_CSRF_ENABLED": True},
    )
    with app.app_context():
        _migrate_quietly()
        seed_demo(student_count=DEMO_STUDENTS, progress=False)
        app.extensions[SEEDED_LOCALES] = _locales()
        db.session.remove()
    # TESTING propagates exceptions, so a failing request shows werkzeug's bare 500 page;
    # keep the tracebacks so the test that met them can report them.
    errors: list[str] = []
    got_request_exception.connect(
        lambda sender, exception, **extra: errors.append(
            "".join(traceback.format_exception(exception))
        ),
        app,
        weak=False,
    )
    app.extensions["browser_test_server_errors"] = errors
    yield app
    with app.app_context():
        db.engine.dispose()


SEEDED_LOCALES = "browser_test_seeded_locales"


def _locales() -> dict[int, str | None]:
    from foundry.accounts.models import User

    return dict(db.session.execute(db.select(User.id, User.preferred_locale)).all())


@pytest.fixture
def languages_as_seeded(request):
    """Each user's language back to the seeded one after the test. Choosing a language is
    remembered for the user: a screenshot test that switched demo users to Chinese left
    every later test that signs in as them reading Chinese. (Not for every test: some
    parametrised tests go on from the language their previous case chose.)"""
    yield
    if "live_app" not in request.fixturenames:
        return
    app = request.getfixturevalue("live_app")
    with app.app_context():
        from foundry.accounts.models import User

        seeded = app.extensions[SEEDED_LOCALES]
        for user_id, locale in _locales().items():
            if user_id in seeded and seeded[user_id] != locale:
                db.session.execute(
                    db.update(User)
                    .where(User.id == user_id)
                    .values(preferred_locale=seeded[user_id])
                )
        db.session.commit()
        db.session.remove()


class ServerClock:
    """The live server's clock (foundry/clock.py), moved for a journey that spans days: a
    student registers weeks ahead, and the test then moves to the day itself. Once moved,
    every request runs at the real time plus the same offset, so the clock keeps ticking.
    The server's threads do not share our context, hence this WSGI wrapper."""

    def __init__(self, app):
        self.app = app
        self.offset: timedelta | None = None

    def move_to(self, moment: datetime) -> None:
        self.offset = moment - datetime.now(UTC)

    def reset(self) -> None:
        self.offset = None

    def __call__(self, environ, start_response):
        offset = self.offset
        if offset is None:
            return self.app(environ, start_response)
        with clock.frozen_at(datetime.now(UTC) + offset):
            body = self.app(environ, start_response)
            try:  # the whole answer inside the moved clock (pages here are small)
                return [b"".join(body)]
            finally:
                if hasattr(body, "close"):
                    body.close()


SERVER_CLOCK = "browser_test_server_clock"


@pytest.fixture
def server_clock(base_url, live_app):
    """The live server's clock, put back to the real time after the test."""
    moved = live_app.extensions[SERVER_CLOCK]
    yield moved
    moved.reset()


@pytest.fixture(scope="session")
def base_url(live_app):
    """Serve the app on a free local port in a daemon thread; the URL has no trailing /."""
    live_app.extensions[SERVER_CLOCK] = ServerClock(live_app)
    server = make_server("127.0.0.1", 0, live_app.extensions[SERVER_CLOCK], threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    live_app.config["PUBLIC_BASE_URL"] = url  # absolute links point at this server
    yield url
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser(_chromium_available):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


def _expected_console_error(text: str) -> bool:
    """Chromium logs every 4xx/5xx response as a console error; the responses themselves
    are checked (a 5xx fails the test, a 4xx may be what the test asks for)."""
    return text.startswith("Failed to load resource: the server responded with a status of 4")


def _open_page(
    browser, live_app, base_url, request, viewport: str, who: str = "", server_errors: bool = True
):
    """A fresh context (no cookies) and page; on teardown, fail on JS errors or 5xx
    responses, with the server's tracebacks (unless `server_errors` is False: the caller
    reports them). `who` names the failure screenshot of one of several pages."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    context = browser.new_context(base_url=base_url, locale="en-GB", **VIEWPORTS[viewport])
    context.set_default_timeout(10_000)
    page = context.new_page()
    tracebacks = live_app.extensions["browser_test_server_errors"]
    seen_tracebacks = len(tracebacks)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    # Content-Security-Policy violations reach the console as errors (the policy is
    # enforced, so they are also broken pages): every console error of our pages fails
    # the test (an IdP's own pages are not ours to judge).
    page.on(
        "console",
        lambda message: (
            problems.append(f"Console error on {page.url}: {message.text}")
            if message.type == "error"
            and page.url.startswith(base_url)
            and not _expected_console_error(message.text)
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            problems.append(f"HTTP {r.status} from {r.request.method} {r.url}")
            if r.status >= 500
            else None
        ),
    )
    yield page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed and not page.is_closed():
        suffix = f"failed-{who}" if who else "failed"
        page.screenshot(path=screenshot_path(request.node.name, suffix), full_page=True)
    context.close()
    if server_errors:
        problems.extend(f"Server error:\n{tb}" for tb in tracebacks[seen_tracebacks:])
    heading = f"the browser of {who} saw problems:" if who else "the browser saw problems:"
    assert not problems, heading + "\n" + "\n".join(problems)


@pytest.fixture
def page(browser, live_app, base_url, request):
    """A desktop (1280 x 900) page whose relative URLs go to the live server."""
    yield from _open_page(browser, live_app, base_url, request, "desktop")


@pytest.fixture
def phone_page(browser, live_app, base_url, request):
    """A phone-sized (375 x 812, touch) page whose relative URLs go to the live server."""
    yield from _open_page(browser, live_app, base_url, request, "phone")


@pytest.fixture
def open_page(browser, live_app, base_url, request):
    """A factory of pages for journeys where several people take turns, each page in its
    own browser context (its own cookies): `open_page("student")`, or
    `open_page("student", "phone")`. Every page is checked on teardown as `page` is; the
    server's tracebacks are reported once."""
    tracebacks = live_app.extensions["browser_test_server_errors"]
    seen_tracebacks = len(tracebacks)
    openers = []

    def open_one(who: str, viewport: str = "desktop"):
        opener = _open_page(
            browser, live_app, base_url, request, viewport, who=who, server_errors=False
        )
        openers.append(opener)
        return next(opener)

    yield open_one
    problems = []
    for opener in openers:
        try:
            next(opener, None)
        except AssertionError as error:
            problems.append(str(error))
    problems.extend(f"Server error:\n{tb}" for tb in tracebacks[seen_tracebacks:])
    assert not problems, "\n".join(problems)


def screenshot_path(test_name: str, suffix: str = "") -> str:
    SCREENSHOTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name).strip("-")
    return str(SCREENSHOTS / f"{name}{'-' + suffix if suffix else ''}.png")


@pytest.fixture
def screenshot(request):
    """`screenshot(page, "step")` saves tests/browser/screenshots/<test>[-step].png."""

    def take(page, step: str = "") -> str:
        path = screenshot_path(request.node.name, step)
        page.screenshot(path=path, full_page=True)
        return path

    return take


@dataclass(frozen=True)
class DemoUser:
    """Who the demo sign-in page said we became: their name and their scope line."""

    name: str
    scope: str


def sign_in_as(page, role_value: str) -> DemoUser:
    """Sign in as the first demo user of `role_value` (the page's "one of each role") and
    wait for the page after it."""
    from playwright.sync_api import expect

    page.goto("/demo/sign-in")
    button = page.locator(f'button[data-role="{role_value}"]').first
    user = DemoUser(
        name=button.locator(".fw-semibold").inner_text().strip(),
        scope=button.locator(".text-body-secondary").inner_text().split(" · ", 1)[1].strip(),
    )
    button.click()
    page.wait_for_url(lambda url: "/demo/sign-in" not in url)
    expect(page.locator(".tf-flashes .alert", has_text=f"Signed in as {user.name}")).to_be_visible()
    return user
