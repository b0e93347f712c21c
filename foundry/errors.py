"""Domain errors, and the handlers that turn them and HTTP errors into product pages."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy.exc
from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from foundry.extensions import login_manager
from foundry.unit_of_work import discard


class DomainError(Exception):
    """A rule of the product refused the action; the message is shown to the user."""

    status_code = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class InvalidInput(DomainError):
    status_code = 400


class TooLarge(InvalidInput):
    """An upload over its limit: 413, like a request over the whole-request ceiling."""

    status_code = 413


@contextmanager
def refuse_duplicate(
    refusal: str | Callable[[sqlalchemy.exc.IntegrityError], Exception | None],
) -> Iterator[None]:
    """Around a flush that a unique index guards: when a concurrent request wrote the row
    first, the request's work is rolled back and a refusal raised instead of an error
    page. A message becomes a DomainError (409); a callable builds the error from the
    IntegrityError after the rollback, or returns None when the conflict is not the one
    expected (then the IntegrityError goes on as it is)."""
    try:
        yield
    except sqlalchemy.exc.IntegrityError as conflict:
        discard()
        error = refusal(conflict) if callable(refusal) else DomainError(refusal)
        if error is None:
            raise
        raise error from None


class SignInRequired(Exception):
    """The page needs a signed-in user; the visitor is sent to sign in."""


ERROR_TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Page not found",
    409: "Not possible right now",
    413: "File too large",
    429: "Too many requests",
    500: "Something went wrong",
}


def wants_json() -> bool:
    """The client asked for JSON (a script's fetch, the API); browsers get pages."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith("/api/") or best == "application/json"


def render_error(status: int, message: str | None = None):
    if wants_json():
        return jsonify(error=ERROR_TITLES.get(status, "Error"), message=message), status
    return render_template("errors/error.html", status=status, message=message), status


# How long a client should wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30


def render_database_unavailable(error: Exception):
    """A friendly 503 while the database cannot be reached (or times out). The page is
    rendered straight from the template: the usual context (the signed-in user, the
    navigation, the locale of their profile) would ask the database again."""
    logging.getLogger(__name__).error("database unavailable: %s", error)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if wants_json():
        return jsonify(error="Service unavailable", message="back soon"), 503, headers
    template = current_app.jinja_env.get_template("errors/unavailable.html")
    return template.render(retry_after=RETRY_AFTER_SECONDS), 503, headers


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        discard()  # the page shows what is stored, not the refused change
        return render_error(error.status_code, error.message)

    @app.errorhandler(SignInRequired)
    def sign_in_required(error: SignInRequired):
        return login_manager.unauthorized()

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400,
            _("Your form expired or was sent from another page. Go back, reload it and try again."),
        )

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge):
        # A view that takes larger files says its own limit (foundry.web.accepts_uploads_up_to).
        limit_mb = g.get("upload_limit_bytes", app.config["MAX_CONTENT_LENGTH"]) // (1024 * 1024)
        return render_error(
            413,
            _("The upload is larger than %(limit)d MB. Choose a smaller file.", limit=limit_mb),
        )

    @app.errorhandler(sqlalchemy.exc.OperationalError)
    @app.errorhandler(sqlalchemy.exc.InterfaceError)
    def database_unavailable(error):
        return render_database_unavailable(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500, None)

    @app.errorhandler(500)
    def server_error(error):
        return render_error(500, None)
