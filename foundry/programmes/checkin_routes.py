"""The organiser's check-in page of a session: camera scan, typed code, a searchable list,
walk-ins and the self check-in switch; the attendee list and public key it downloads to
work offline, and the sync endpoint its queued scans are posted to. The forms work
without JavaScript; static/js/checkin.js makes the page work offline."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.errors import InvalidInput
from foundry.programmes import checkin, checkin_sync, checkin_tokens
from foundry.programmes.checkin_forms import ActionForm, CodeForm, WalkInForm
from foundry.programmes.checkin_models import CheckInMethod
from foundry.programmes.checkin_queries import attendees, session_for_check_in
from foundry.programmes.checkin_student import self_check_in_is_open, set_self_check_in
from foundry.programmes.checkin_walkin import walk_in
from foundry.programmes.models import ProgrammeSession
from foundry.security import camera_allowed
from foundry.web import on_refusal, require

bp = Blueprint("programme_checkin", __name__)


def _session(session_id: int) -> ProgrammeSession:
    session = session_for_check_in(session_id)
    if session is None:
        abort(404)
    require("programme.check_in", session.programme)
    return session


def _page(session: ProgrammeSession, status: int = 200, code_form=None, walk_in_form=None):
    checkin.ensure_tickets(session)
    people = attendees(session)
    return render_template(
        "programmes/checkin/organiser.html",
        session=session,
        programme=session.programme,
        people=people,
        checked_in=sum(1 for person in people if person.checked_in_at),
        window=checkin.check_in_window(session),
        self_open=self_check_in_is_open(session),
        code_form=code_form or CodeForm(formdata=None),
        walk_in_form=walk_in_form or WalkInForm(formdata=None),
        action_form=ActionForm(formdata=None),
    ), status


def _back(session: ProgrammeSession):
    return redirect(url_for("programme_checkin.page", session_id=session.id), 303)


@bp.get("/programmes/sessions/<int:session_id>/check-in")
@login_required
@camera_allowed
def page(session_id: int):
    return _page(_session(session_id))


@bp.get("/programmes/sessions/<int:session_id>/check-in/data")
@login_required
def data(session_id: int):
    """What the page keeps to work offline: the public key and the attendee list."""
    session = _session(session_id)
    checkin.ensure_tickets(session)
    opens, closes = checkin.check_in_window(session)
    response = jsonify(
        programme_id=session.programme_id,
        session_id=session.id,
        public_key=checkin_tokens.public_key_b64(),
        opens_at=opens.isoformat(),
        closes_at=closes.isoformat(),
        attendees=[person.as_json() for person in attendees(session)],
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/programmes/sessions/<int:session_id>/check-in/sync")
@login_required
def sync(session_id: int):
    """A batch of queued scans (JSON, CSRF token in X-CSRFToken): a result per scan."""
    session = _session(session_id)
    payload = request.get_json(silent=True)
    if payload is None:
        raise InvalidInput(_("Send the scans as a JSON object."))
    results = checkin_sync.sync_scans(current_user, session, checkin_sync.parse_batch(payload))
    return jsonify(results=results)


@bp.post("/programmes/sessions/<int:session_id>/check-in/code")
@login_required
def by_code(session_id: int):
    session = _session(session_id)
    form = CodeForm()
    if not form.validate_on_submit():
        return _page(session, 400, code_form=form)
    scan = checkin.Scan(CheckInMethod.CODE, code=form.code.data)
    with on_refusal(lambda _e: _page(session, 409, code_form=form), field=form.code):
        result = checkin.check_in(current_user, session, scan)
    flash(result.message, "success")
    return _back(session)


@bp.post("/programmes/sessions/<int:session_id>/check-in/registrations/<int:registration_id>")
@login_required
def from_list(session_id: int, registration_id: int):
    session = _session(session_id)
    if not ActionForm().validate_on_submit():
        raise InvalidInput(_("Your form expired. Reload the page and try again."))
    scan = checkin.Scan(CheckInMethod.LIST, registration_id=registration_id)
    result = checkin.check_in(current_user, session, scan)
    flash(result.message, "success")
    return _back(session)


@bp.post("/programmes/sessions/<int:session_id>/check-in/walk-in")
@login_required
def walk_in_view(session_id: int):
    session = _session(session_id)
    form = WalkInForm()
    if not form.validate_on_submit():
        return _page(session, 400, walk_in_form=form)
    with on_refusal(lambda _e: _page(session, 409, walk_in_form=form), field=form.identifier):
        result = walk_in(current_user, session, form.identifier.data)
    flash(result.message, "success")
    return _back(session)


@bp.post("/programmes/sessions/<int:session_id>/check-in/self")
@login_required
def self_switch(session_id: int):
    session = _session(session_id)
    if not ActionForm().validate_on_submit():
        raise InvalidInput(_("Your form expired. Reload the page and try again."))
    is_open = request.form.get("open") == "1"
    set_self_check_in(current_user, session, is_open)
    if is_open:
        flash(
            _("Self check-in is open: registered students can check in from their ticket."),
            "success",
        )
    else:
        flash(_("Self check-in is closed."), "info")
    return _back(session)
