"""One unit of work per request: the request commits once, at its end, when it succeeded,
and rolls back otherwise; the few refusals that must leave a trace say so by name; a
service's refusal re-renders its form through one helper (foundry.web.on_refusal).

The behaviour is checked on an app of its own (the suite's app, plus a few views that
write), against the suite's database: what a request committed is visible afterwards
from another session. The architecture checks keep the habit from coming back: no
commit or rollback outside foundry/unit_of_work.py (commands and the e-mail sender are
their own units), no form module imported outside forms and routes, and no route module
catching a domain error or an IntegrityError by hand."""

from __future__ import annotations

import ast
import importlib
import pathlib

import pytest
import sqlalchemy as sa
from flask import Blueprint, abort, redirect
from sqlalchemy.exc import IntegrityError

from foundry import create_app
from foundry.errors import DomainError, InvalidInput, refuse_duplicate
from foundry.extensions import db as _db
from foundry.unit_of_work import commit_refusal
from foundry.universities.models import University
from foundry.web import on_refusal
from tests.conftest import IsolatedClient

FOUNDRY = pathlib.Path(__file__).resolve().parents[2] / "foundry"


# --- the architecture ---------------------------------------------------------------------


def _modules():
    for path in sorted(FOUNDRY.rglob("*.py")):
        relative = path.relative_to(FOUNDRY.parent)
        if relative.parts[1] == "demo":  # the demo's personas are a helper of their own
            continue
        yield relative, ast.parse(path.read_text(), str(relative))


# Not requests: each command, and each e-mail the sender sends, is its own unit of work.
OWN_UNITS_OF_WORK = {"foundry/unit_of_work.py", "foundry/notifications/sender.py"}


def _is_own_unit_of_work(relative: pathlib.PurePath) -> bool:
    return str(relative) in OWN_UNITS_OF_WORK or relative.name == "cli.py"


def test_only_the_unit_of_work_commits_or_rolls_back():
    found = [
        f"{relative}:{node.lineno} .{node.func.attr}()"
        for relative, tree in _modules()
        if not _is_own_unit_of_work(relative)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("commit", "rollback")
    ]
    assert found == [], "commit at the request's end (foundry/unit_of_work.py): " + str(found)


def _is_forms_module(name: str) -> bool:
    stem = name.removesuffix(".py")
    return stem == "forms" or stem.endswith("_forms")


def _is_routes_module(name: str) -> bool:
    stem = name.removesuffix(".py")
    return stem == "routes" or stem.endswith("_routes")


def _names_a_forms_module(dotted: str) -> bool:
    return dotted.startswith("foundry.") and _is_forms_module(dotted.rsplit(".", 1)[-1])


def test_only_forms_and_routes_import_forms():
    """Limits and labels live once per domain (labels.py, limits.py), not in its forms."""
    found = []
    for relative, tree in _modules():
        if _is_forms_module(relative.name) or _is_routes_module(relative.name):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                named = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                named = [alias.name for alias in node.names]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                named = [node.value]  # importlib.import_module("foundry.x.forms")
            else:
                continue
            if any(_names_a_forms_module(name) for name in named):
                found.append(f"{relative}:{node.lineno}")
    assert found == [], "a form module imported outside forms and routes: " + str(found)


def _caught(handler: ast.ExceptHandler, module) -> list:
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    caught = []
    for kind in kinds:
        obj = module
        for part in ast.unparse(kind).split("."):
            obj = getattr(obj, part, None)
        caught.append(obj)
    return caught


def test_route_modules_catch_no_domain_error_by_hand():
    """A service's refusal re-renders its form through on_refusal; a unique index's
    refusal becomes a domain error where the service flushes (refuse_duplicate)."""
    found = []
    for relative, tree in _modules():
        if not _is_routes_module(relative.name):
            continue
        module = importlib.import_module(".".join(relative.with_suffix("").parts))
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                for kind in _caught(node, module):
                    if isinstance(kind, type) and issubclass(kind, DomainError | IntegrityError):
                        found.append(f"{relative}:{node.lineno} {kind.__name__}")
    assert found == [], "use foundry.web.on_refusal: " + str(found)


# --- the behaviour ------------------------------------------------------------------------

bp = Blueprint("uow_test", __name__)


def _write(code: str) -> University:
    university = University(code=code, name_en=f"University {code}", name_zh=f"大學{code}")
    _db.session.add(university)
    _db.session.flush()
    return university


@bp.post("/uow/success")
def success():
    _write("OK1")
    return "written", 200


@bp.post("/uow/redirect")
def redirected():
    _write("OK2")
    return redirect("/", 303)


@bp.post("/uow/refused")
def refused():
    _write("NO1")
    raise DomainError("Not possible right now.")


@bp.post("/uow/bad-form")
def bad_form():
    _write("NO2")
    return "the form again", 400


@bp.post("/uow/not-found")
def not_found():
    _write("NO3")
    abort(404)


@bp.post("/uow/crash")
def crash():
    _write("NO4")
    raise RuntimeError("a bug")


@bp.post("/uow/refusal-kept")
def refusal_kept():
    _write("KEPT")
    commit_refusal()
    _write("NO5")
    return "refused, the attempt counted", 400


@bp.post("/uow/service-refused")
def service_refused():
    _write("NO6")
    with on_refusal(lambda error: (f"form again: {error.message}", 422), catching=InvalidInput):
        _write("NO7")
        raise InvalidInput("Keep the note to 5,000 characters.")
    return "not reached", 200


@bp.post("/uow/duplicate")
def duplicate():
    _write("DUP")
    with refuse_duplicate("Someone else just did this. Reload the page."):
        _write("DUP")
    return "not reached", 200


@bp.post("/uow/commit-fails")
def commit_fails():
    _write("SAME")
    # Not flushed: the unique code is refused only by the commit at the request's end.
    _db.session.add(University(code="SAME", name_en="Again", name_zh="再"))
    return "looked fine", 200


@pytest.fixture(scope="module")
def uow_app(database_url):
    # The views take no form, so no CSRF token: the mechanism is what is under test.
    app = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False}
    )
    app.test_client_class = IsolatedClient
    app.register_blueprint(bp)
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def uow_client(uow_app):
    return uow_app.test_client()


def _stored_codes(db) -> set[str]:
    """The codes stored, read on a connection of its own (not the test's session)."""
    with db.engine.connect() as conn:
        return set(conn.scalars(sa.select(University.code)))


def test_a_successful_post_is_committed(uow_client, db):
    response = uow_client.post("/uow/success")
    assert response.status_code == 200
    assert _stored_codes(db) == {"OK1"}


def test_a_redirect_is_committed(uow_client, db):
    assert uow_client.post("/uow/redirect").status_code == 303
    assert _stored_codes(db) == {"OK2"}


@pytest.mark.parametrize(
    ("path", "status"),
    [("/uow/refused", 409), ("/uow/bad-form", 400), ("/uow/not-found", 404)],
    ids=["domain-error", "form-answered-400", "abort-404"],
)
def test_a_refused_request_writes_nothing(uow_client, db, path, status):
    assert uow_client.post(path).status_code == status
    assert _stored_codes(db) == set()


def test_an_exception_writes_nothing(uow_client, db):
    with pytest.raises(RuntimeError):  # TESTING propagates it; a server answers 500
        uow_client.post("/uow/crash")
    assert _stored_codes(db) == set()


def test_a_refusal_committed_by_name_is_kept_and_nothing_after_it(uow_client, db):
    response = uow_client.post("/uow/refusal-kept")
    assert response.status_code == 400
    assert _stored_codes(db) == {"KEPT"}


def test_a_service_refusal_re_renders_the_form_and_writes_nothing(uow_client, db):
    response = uow_client.post("/uow/service-refused")
    assert response.status_code == 422
    assert response.get_data(as_text=True) == "form again: Keep the note to 5,000 characters."
    assert _stored_codes(db) == set()


def test_a_row_a_concurrent_request_wrote_first_is_a_409_not_an_error(uow_client, db):
    response = uow_client.post("/uow/duplicate")
    assert response.status_code == 409
    assert "Someone else just did this." in response.get_data(as_text=True)
    assert _stored_codes(db) == set()


def test_a_commit_that_fails_at_the_end_writes_nothing(uow_client, db):
    with pytest.raises(IntegrityError):  # TESTING propagates it; a server answers 500
        uow_client.post("/uow/commit-fails")
    assert _stored_codes(db) == set()
