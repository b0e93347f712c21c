"""Landing page, home redirect, language switch, /favicon.ico and /healthz."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from foundry.core.queries import database_is_reachable, platform_figures
from foundry.errors import InvalidInput
from foundry.urls import safe_next_url
from foundry.web import navigation_for

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    if current_user.is_authenticated:
        if current_user.identities and not current_user.memberships:
            # Signed in through their university, but nobody has granted them a role yet.
            return redirect(url_for("sso.no_access"))
        areas = navigation_for(current_user)
        return redirect(areas[0][0])
    return render_template("core/landing.html", figures=platform_figures())


@bp.post("/language")
def set_language():
    code = request.form.get("language", "")
    if code not in current_app.config["LANGUAGES"]:
        raise InvalidInput(_("Choose English or Traditional Chinese."))
    session["locale"] = code
    if current_user.is_authenticated:
        current_user.preferred_locale = code
    return redirect(safe_next_url(request.form.get("next"), url_for("core.home")), 303)


@bp.get("/favicon.ico")
def favicon():
    """Browsers and crawlers ask for /favicon.ico whatever the page links."""
    return send_from_directory(
        current_app.static_folder, "img/favicon.ico", mimetype="image/x-icon", max_age=86400
    )


@bp.get("/healthz")
def healthz():
    if database_is_reachable():
        return jsonify(status="ok", database="ok"), 200
    return jsonify(status="degraded", database="unavailable"), 503
