"""The student's ticket (QR code and typed code, self check-in when open) and the join
redirect of a virtual or hybrid programme, which records virtual attendance."""

from __future__ import annotations

import segno
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.programmes import checkin
from foundry.programmes.checkin_forms import ActionForm
from foundry.programmes.checkin_queries import registration_for_ticket
from foundry.programmes.checkin_student import (
    attendance_of,
    join_link_for,
    self_check_in,
    self_check_in_is_open,
)
from foundry.programmes.checkin_tokens import display_code
from foundry.programmes.models import Programme, Registration
from foundry.programmes.ticket_replacement import may_replace, replace_ticket
from foundry.web import confirm_or_ask, on_refusal, require

bp = Blueprint("programme_tickets", __name__)


def _registration(registration_id: int, action: str) -> Registration:
    registration = registration_for_ticket(registration_id)
    if registration is None:
        abort(404)
    require(action, registration)
    return registration


@bp.get("/programmes/registrations/<int:registration_id>/ticket")
@login_required
def ticket(registration_id: int):
    registration = _registration(registration_id, "programme.ticket")
    return _ticket_page(registration)


def _ticket_page(registration: Registration, refusal=None):
    ticket_row = checkin.ticket_of(registration)
    attendance = attendance_of(registration)
    token = checkin.token_of(registration, ticket_row)
    # Error correction M: still reads from a cracked or dim phone screen.
    qr = segno.make(token, error="m", micro=False)
    response = render_template(
        "programmes/checkin/ticket.html",
        registration=registration,
        session=registration.session,
        programme=registration.session.programme,
        qr_data_uri=qr.svg_data_uri(scale=6, border=2, dark="#000", light="#fff"),
        code=display_code(ticket_row.code),
        refusal=refusal,
        attendance=attendance,
        self_open=self_check_in_is_open(registration.session),
        may_replace=may_replace(registration, checked_in=attendance is not None),
        action_form=ActionForm(formdata=None),
    )
    status = getattr(refusal, "status_code", 409) if refusal else 200
    return response, status, {"Cache-Control": "private, no-store"}


@bp.post("/programmes/registrations/<int:registration_id>/ticket/replace")
@login_required
def replace(registration_id: int):
    """A lost or shared ticket: a new code and QR code, the old ones refused at the door."""
    registration = _registration(registration_id, "programme.ticket")
    confirm_or_ask(
        _("Replace your ticket?"),
        action=_("Replace my ticket"),
        cancel_url=url_for(".ticket", registration_id=registration.id),
        detail=_(
            "Your current QR code and code stop working at once; show the new ones at the "
            "door. Do this if you lost your ticket or someone else has a copy of it."
        ),
    )
    with on_refusal(lambda error: _ticket_page(registration, error)):
        replace_ticket(current_user, registration)
    flash(_("Your ticket is replaced: the old QR code and code no longer work."), "success")
    return redirect(url_for(".ticket", registration_id=registration.id), 303)


@bp.post("/programmes/registrations/<int:registration_id>/check-in")
@login_required
def check_in_myself(registration_id: int):
    registration = _registration(registration_id, "programme.self_check_in")
    if not ActionForm().validate_on_submit():
        raise InvalidInput(_("Your form expired. Reload the page and try again."))
    result = self_check_in(current_user, registration)
    if result.newly:
        flash(_("You are checked in. Enjoy the session!"), "success")
    else:
        flash(result.message, "info")
    return redirect(url_for(".ticket", registration_id=registration.id), 303)


@bp.get("/programmes/<int:programme_id>/join")
@login_required
def join(programme_id: int):
    """To the join link, for the registered only (recording virtual attendance)."""
    programme = db.get_or_404(Programme, programme_id)
    response = redirect(join_link_for(current_user, programme), 303)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
