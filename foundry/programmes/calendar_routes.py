"""Programme registrations in the student's own calendar: one registration's .ics file,
the personal feed (a secret URL a calendar app polls without a session) and making a new
feed URL, which revokes the old one."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.errors import NotFound
from foundry.extensions import db
from foundry.programmes.calendar_feeds import profile_for_feed, renew_feed
from foundry.programmes.ics import MIME_TYPE, feed_calendar, registration_calendar
from foundry.programmes.models import Registration
from foundry.programmes.student_queries import live_registrations
from foundry.students.services import profile_for
from foundry.web import require

bp = Blueprint("programme_calendars", __name__)


def _calendar_response(content: bytes, filename: str) -> Response:
    return Response(
        content,
        mimetype=MIME_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@bp.get("/programmes/registrations/<int:registration_id>.ics")
@login_required
def registration_ics(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    require("programme.view_registration", registration)
    if not registration.is_live:
        raise NotFound(_("This registration was given up: it has no calendar entry."))
    content = registration_calendar(registration, str(get_locale()))
    return _calendar_response(content, f"programme-{registration.session.programme_id}.ics")


@bp.get("/programmes/calendar/<token>.ics")
def feed(token: str):
    """The feed: no session cookie, the secret in the URL is the key."""
    profile = profile_for_feed(token)
    if profile is None:
        raise NotFound(_("There is no calendar feed at this address: it may have been replaced."))
    # A calendar app sends no language of its own: the student's chosen one is used.
    locale = profile.user.preferred_locale or "en"
    with force_locale(locale):
        content = feed_calendar(live_registrations(profile), locale)
    return _calendar_response(content, "talent-foundry-programmes.ics")


@bp.post("/me/programmes/calendar-feed")
@login_required
def renew():
    require("area.student")
    renew_feed(current_user, profile_for(current_user))
    flash(_("Your calendar feed has a new address. The old one no longer works."), "success")
    return redirect(url_for("programmes.mine", _anchor="calendar-feed"), 303)
