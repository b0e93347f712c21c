"""Flask-Login wiring: how a session names its user, and when a session ends by itself."""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from foundry.accounts.models import User
from foundry.extensions import db, login_manager
from foundry.i18n import lazy_gettext as _l

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
# Writing the cookie on every request is wasteful; a minute's precision is plenty.
SEEN_AT_RESOLUTION_SECONDS = 60


def configure_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see that page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    app.before_request(end_expired_session)


def load_user(session_id: str) -> User | None:
    """`session_id` is User.get_id(): "<id>:<session version>"."""
    user_id, _sep, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def start_session_clock() -> None:
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now


def end_expired_session() -> None:
    """Sign out a session idle longer than IDLE_TIMEOUT_MINUTES or older than
    SESSION_MAX_HOURS; otherwise note that it was seen."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    now = int(time.time())
    config = current_app.config
    seen_at = session.get(SEEN_AT, 0)
    signed_in_at = session.get(SIGNED_IN_AT, 0)
    idle = now - seen_at > config["IDLE_TIMEOUT_MINUTES"] * 60
    too_old = now - signed_in_at > config["SESSION_MAX_HOURS"] * 3600
    if idle or too_old:
        locale = session.get("locale")
        logout_user()
        session.clear()
        if locale:
            session["locale"] = locale
        flash(_("You were signed out after a period of inactivity. Please sign in again."), "info")
        return
    if now - seen_at >= SEEN_AT_RESOLUTION_SECONDS:
        session[SEEN_AT] = now
