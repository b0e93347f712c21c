"""Sessions kept on the server: every sign-in makes a UserSession row, the signed cookie
carries only that row's random secret (beside Flask-Login's "<user id>:<session
version>"), and each request of a signed-in user finds the row by its primary key. Ending
the row ends the session wherever the cookie was copied to, on every app server.

A session also ends by itself when idle longer than IDLE_TIMEOUT_MINUTES or older than
SESSION_MAX_HOURS, both read from the row (not from the cookie, which a copy would keep).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from flask import Flask, current_app, flash, g, has_request_context, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy.orm import joinedload, lazyload

from foundry.accounts.models import User, UserSession
from foundry.crypto import new_token, token_hash
from foundry.db import utcnow
from foundry.extensions import db, login_manager
from foundry.i18n import lazy_gettext as _l
from foundry.notifications.queries import remember_unread_count, unread_count_of
from foundry.students.models import StudentProfile
from foundry.unit_of_work import commit_before_view

# The cookie's key for the session row's secret.
SESSION_SECRET = "sid"
# Where load_user leaves the student profile it read with the session row (flask.g).
SESSION_PROFILE = "session_profile"
# Writing last_seen_at on every request is wasteful; a minute's precision is plenty.
SEEN_AT_RESOLUTION_SECONDS = 60
USER_AGENT_LENGTH = 120


def configure_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see that page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    app.before_request(end_expired_session)


def _timed_out(row: UserSession, now: datetime) -> bool:
    config = current_app.config
    idle = now - row.last_seen_at > timedelta(minutes=config["IDLE_TIMEOUT_MINUTES"])
    too_old = now - row.created_at > timedelta(hours=config["SESSION_MAX_HOURS"])
    return idle or too_old


@cache
def _session_row_query() -> sa.Select:
    """The statement load_user runs, built once per process: every request of a signed-in
    user runs it, and building the select with its loader options took ~0.5-1.5 ms of
    Python each time (SQLAlchemy caches the compiled SQL, not the building).

    A student's profile comes in the same statement (outer-joined, so other users get
    None): nearly every page of a student reads it, and a second round trip for it was a
    tenth of a posting page's time. Its lists load when first read, as in profile_for."""
    return (
        sa.select(UserSession, unread_count_of(UserSession.user_id), StudentProfile)
        .outerjoin(StudentProfile, StudentProfile.user_id == UserSession.user_id)
        .where(UserSession.id == sa.bindparam("session_id"))
        .options(
            joinedload(UserSession.user).joinedload(User.memberships),
            lazyload(StudentProfile.user),
            lazyload(StudentProfile.skills),
            lazyload(StudentProfile.languages),
            lazyload(StudentProfile.themes),
        )
    )


def load_user(flask_login_id: str) -> User | None:
    """The user of this request's session, if its row is live: one primary-key query.

    What every page asks of the signed-in user comes with the row in that one statement:
    the user, their role memberships (the navigation and every permission check read
    them) and their unread notifications (the navbar badge).
    `flask_login_id` is User.get_id(): "<id>:<session version>"."""
    user_id, _sep, version = flask_login_id.partition(":")
    secret = session.get(SESSION_SECRET)
    if not (user_id.isdigit() and version.isdigit() and isinstance(secret, str)):
        return None
    found = (
        db.session.execute(_session_row_query(), {"session_id": token_hash(secret)})
        .unique()
        .first()
    )
    if found is None:
        return None
    row, unread, profile = found
    if row.ended_at is not None or row.user_id != int(user_id):
        return None
    if row.user.session_version != int(version):
        return None
    if _timed_out(row, utcnow()):
        g.timed_out_session = row
        return None
    g.user_session = row
    setattr(g, SESSION_PROFILE, profile)
    remember_unread_count(row.user_id, unread)
    return row.user


def profile_read_with_session(user: User) -> StudentProfile | None:
    """The student profile load_user read for `user` in this request, while it is still in
    the database session; None when there was none (it may have been made since: ask the
    database) or it is another user's."""
    profile = g.get(SESSION_PROFILE) if has_request_context() else None
    if profile is None or not sa.inspect(profile).persistent or profile.user_id != user.id:
        return None
    return profile


def current_session_row() -> UserSession | None:
    """The session row of this request (None when nobody is signed in)."""
    if not has_request_context() or not current_user.is_authenticated:
        return None
    return g.get("user_session")


def end_expired_session() -> None:
    """Before each request: sign out a session that timed out (with a message); note
    once a minute that a live one was seen.

    Noting it commits at once, before the view does any work: it is a unit of work of
    its own (the view's is untouched), kept even when the page answers with a refusal."""
    if request.endpoint == "static":
        return
    if current_user.is_authenticated:
        row = g.get("user_session")
        if row is not None and _due_for_seen(row, utcnow()):
            row.last_seen_at = utcnow()
            commit_before_view()
        return
    if g.pop("timed_out_session", None) is not None:
        _clear_keeping_language()
        flash(_("You were signed out after a period of inactivity. Please sign in again."), "info")


def _due_for_seen(row: UserSession, now: datetime) -> bool:
    return now - row.last_seen_at >= timedelta(seconds=SEEN_AT_RESOLUTION_SECONDS)


def _clear_keeping_language() -> None:
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale


def start_session_row(user: User) -> UserSession:
    """A new session row for `user`, its secret put in this request's cookie. The user's
    ended and outlived rows are deleted on the way, so the table stays small."""
    now = utcnow()
    oldest = now - timedelta(hours=current_app.config["SESSION_MAX_HOURS"])
    db.session.execute(
        sa.delete(UserSession)
        .where(
            UserSession.user_id == user.id,
            sa.or_(UserSession.ended_at.is_not(None), UserSession.created_at < oldest),
        )
        .execution_options(synchronize_session=False)
    )
    secret = new_token()
    row = UserSession(
        id=token_hash(secret),
        user=user,
        created_at=now,
        last_seen_at=now,
        user_agent=user_agent_summary(request.user_agent.string if has_request_context() else ""),
    )
    db.session.add(row)
    db.session.flush()
    session[SESSION_SECRET] = secret
    g.user_session = row
    return row


def end_session_row(row: UserSession | None) -> None:
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()


def end_all_sessions(user: User) -> None:
    """End every session of `user` on every device. The session version moves on too, so
    a sign-in waiting for its second factor cannot finish either."""
    user.session_version += 1
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )


def live_sessions(user: User) -> list[UserSession]:
    """The user's sessions that still work, most recently seen first."""
    now = utcnow()
    config = current_app.config
    return list(
        db.session.scalars(
            sa.select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.ended_at.is_(None),
                UserSession.created_at > now - timedelta(hours=config["SESSION_MAX_HOURS"]),
                UserSession.last_seen_at > now - timedelta(minutes=config["IDLE_TIMEOUT_MINUTES"]),
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.created_at.desc())
        )
    )


# Checked in order: the first family found names the browser or the system.
_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def user_agent_summary(user_agent: str) -> str:
    """ "Firefox · Windows": enough to recognise a device (the same in every language),
    without keeping the whole string, which the browser sends and may be anything."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    summary = " · ".join(part for part in (browser, system) if part)
    if not summary:
        summary = "".join(c for c in user_agent if c.isprintable())[:60]
    return summary[:USER_AGENT_LENGTH]
