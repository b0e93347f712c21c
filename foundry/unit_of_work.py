"""One unit of work per request: the request commits once, at its end, when it succeeded.

Views and services write through `db.session` and flush; none of them commits. When the
view's response is a success or a redirect (status below 400) the request's work is
committed, before the first byte of the response leaves; a refusal (4xx), an error (5xx)
or an exception rolls it back (Flask-SQLAlchemy's teardown discards whatever is left).

The few exceptions say so by name:

- `commit_refusal()`: a refusal that must leave a trace (a failed sign-in that counts
  towards the lockout, the key a set-up page showed), committed before the 4xx answer.
- `commit_before_view()`: a before-request hook's own small unit (the session's last-seen
  time), kept whatever the view then answers.
- `discard()`: roll back now, so that a refusal page shows what is stored, not the
  change that was refused.

A row that a unique index refuses because a concurrent request wrote it first becomes a
refusal where the service flushes it (foundry.errors.refuse_duplicate).

Commands (`flask ...`) and the e-mail sender are not requests: each is its own unit of
work and commits itself, once per unit (see foundry/*/cli.py, notifications/sender.py).
"""

from __future__ import annotations

from flask import Flask, Response, current_app

from foundry.extensions import db

# A response below this status is a success or a redirect: its work is kept.
FIRST_REFUSAL_STATUS = 400


def register_unit_of_work(app: Flask) -> None:
    """Commit or roll back at the end of every request. Registered after the other
    extensions, so it runs before their after-request functions (Flask runs them in
    reverse), and an error page made from a failed commit still gets their headers."""
    app.after_request(end_of_request)


def end_of_request(response: Response) -> Response:
    if response.status_code >= FIRST_REFUSAL_STATUS:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except Exception as error:  # noqa: BLE001  (answered as the view's own error would be)
        db.session.rollback()
        # The database away answers 503 as it does in a view; anything else is a 500.
        return current_app.make_response(current_app.handle_user_exception(error))
    return response


def commit_refusal() -> None:
    """Commit now what the request wrote, though it answers with a refusal (4xx): only
    for what must outlive the refusal, like a failed attempt counted towards a lockout."""
    db.session.commit()


def commit_before_view() -> None:
    """Commit now, from a before-request hook: what it wrote is its own unit of work,
    kept whatever the view answers (and no lock is held while the view runs)."""
    db.session.commit()


def discard() -> None:
    """Roll back the request's work now: a refusal page then shows what is stored."""
    db.session.rollback()
