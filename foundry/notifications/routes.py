"""In-app notifications: the list, opening one (which marks it read) and marking all read.

Everyone signed in has notifications and sees only their own: each one is loaded through
the user's own list, so another user's id is a 404, never a 403 that confirms it exists.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from foundry.extensions import db
from foundry.messages import notification_text
from foundry.notifications.queries import (
    notifications_for,
    on_site_link,
    own_notification,
    remembered_unread_count,
    unread_count,
)
from foundry.notifications.services import mark_all_read, mark_read
from foundry.web import page_from_request

bp = Blueprint("notifications", __name__)

PER_PAGE = 20


@bp.app_context_processor
def unread_notifications_badge() -> dict:
    """`unread_notifications` for the navbar badge, signed-in users only: as read with the
    session row, or one COUNT when notifications changed since (or no row was read)."""
    if not current_user.is_authenticated:
        return {"unread_notifications": 0}
    remembered = remembered_unread_count(current_user.id)
    if remembered is not None:
        return {"unread_notifications": remembered}
    try:
        return {"unread_notifications": unread_count(current_user.id)}
    except sa.exc.SQLAlchemyError:
        # An error page rendered after a failed transaction must still render; the
        # badge is the one thing on it that may be left out.
        current_app.logger.warning("unread notification count unavailable", exc_info=True)
        return {"unread_notifications": 0}


@bp.get("/notifications")
@login_required
def index():
    page = db.paginate(
        notifications_for(current_user),
        page=page_from_request(),
        per_page=PER_PAGE,
        error_out=False,
    )
    links = {n.id: on_site_link(n.link) for n in page.items}
    texts = {n.id: notification_text(n) for n in page.items}
    return render_template("notifications/index.html", page=page, links=links, texts=texts)


@bp.post("/notifications/<int:notification_id>/open")
@login_required
def open_notification(notification_id: int):
    notification = own_notification(current_user, notification_id)
    mark_read(current_user, notification)
    back = on_site_link(request.form.get("next")) or url_for("notifications.index")
    return redirect(on_site_link(notification.link) or back, 303)


@bp.post("/notifications/read-all")
@login_required
def read_all():
    count = mark_all_read(current_user)
    if count:
        flash(
            ngettext(
                "%(num)d notification marked as read.",
                "%(num)d notifications marked as read.",
                count,
            ),
            "success",
        )
    else:
        flash(_("You had no unread notifications."), "info")
    return redirect(url_for("notifications.index"), 303)
