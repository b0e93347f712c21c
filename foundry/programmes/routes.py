"""The public and student side of programmes: the list with its filters, the month
calendar, a programme's page (with schema.org Event data, and a themed drive's theme),
registering and giving a place up, and the student's own "my programmes".

The organisers' pages (organiser_routes.py) and check-in (checkin*.py) are elsewhere.
"""

from __future__ import annotations

from calendar import Calendar as MonthCalendar
from datetime import timedelta

from babel.dates import get_day_names
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.orm import joinedload, lazyload

from foundry import policy
from foundry.db import utcnow
from foundry.errors import NotFound
from foundry.extensions import db
from foundry.i18n import format_moment
from foundry.postings.saved_routes import CARD_LABELS, card_context, viewer_profile
from foundry.programmes import browse, listing, organisers, page_cache
from foundry.programmes.calendar_feeds import feed_token
from foundry.programmes.feedback import after_the_event
from foundry.programmes.ics import join_path
from foundry.programmes.labels import (
    FORMAT_LABELS,
    KIND_LABELS,
    PROGRAMME_STATUS_LABELS,
    REGISTRATION_STATUS_LABELS,
)
from foundry.programmes.models import Programme, ProgrammeSession, Registration
from foundry.programmes.pages import drive_context, programme_context, viewer_context
from foundry.programmes.registration import cancel_registration, register, waitlist_position
from foundry.programmes.student_queries import my_registrations, registrations_in
from foundry.reports import cache
from foundry.students.labels import STUDY_LEVEL_LABELS
from foundry.students.services import profile_for
from foundry.urls import external_url, id_url
from foundry.web import confirm_or_ask, on_refusal, page_from_request, require

bp = Blueprint("programmes", __name__)

PER_PAGE = 12
WEEKS = MonthCalendar(firstweekday=6)  # weeks from Sunday, as Hong Kong calendars print them
LABELS = {
    "kind": KIND_LABELS,
    "format": FORMAT_LABELS,
    "status": PROGRAMME_STATUS_LABELS,
    "registration": REGISTRATION_STATUS_LABELS,
    "level": STUDY_LEVEL_LABELS,
}


def _locale() -> str:
    return str(get_locale())


@bp.get("/programmes")
def index():
    parsed, now = browse.parse_filters(request.args), utcnow()
    results = listing.results(
        parsed.filters,
        request.args,
        _locale(),
        now,
        page=page_from_request(),
        per_page=PER_PAGE,
        labels=LABELS,
    )
    return render_template(
        "programmes/index.html",
        results=results,
        filters=parsed.filters,
        ignored=parsed.ignored,
        organisers=organisers.organiser_choices(_locale(), parsed.filters, now),
        labels=LABELS,
    )


@bp.get("/programmes/calendar")
def calendar():
    parsed, now = browse.parse_filters(request.args), utcnow()
    today = now.astimezone(browse.HONG_KONG).date()
    first, month_problem = browse.parse_month(request.args.get("month"), today)
    sessions = browse.sessions_in_month(parsed.filters, first)
    by_day: dict = {}
    for session in sessions:
        by_day.setdefault(session.starts_at.astimezone(browse.HONG_KONG).date(), []).append(session)
    return render_template(
        "programmes/calendar.html",
        first=first,
        weeks=WEEKS.monthdatescalendar(first.year, first.month),
        weekdays=_weekday_names(),
        previous=(first - timedelta(days=1)).replace(day=1),
        following=browse.next_month(first),
        today=today,
        by_day=by_day,
        full=len(sessions) >= browse.MAX_CALENDAR_SESSIONS,
        filters=parsed.filters,
        ignored=[*parsed.ignored, *([month_problem] if month_problem else [])],
        organisers=organisers.organiser_choices(_locale(), parsed.filters, now),
        labels=LABELS,
    )


def _weekday_names() -> list[tuple[str, str]]:
    """(short, full) names of the days from Sunday, in the reader's language."""
    short = get_day_names("abbreviated", locale=get_locale())
    full = get_day_names("wide", locale=get_locale())
    return [(short[day], full[day]) for day in (6, 0, 1, 2, 3, 4, 5)]


# A programme's eligibility lists are short (a few universities, faculties, levels): joined
# into the programme's own statement, their product is a handful of rows, and the page
# makes one round trip for them instead of four.
ELIGIBILITY_JOINED = (
    joinedload(Programme.universities),
    joinedload(Programme.faculties),
    joinedload(Programme.levels),
)


# A programme's page whose body is kept (page_cache.py) reads no eligibility list; one
# rendered reads them when it comes to them.
ELIGIBILITY_LEFT = (
    lazyload(Programme.universities),
    lazyload(Programme.faculties),
    lazyload(Programme.levels),
)


def visible_programme(programme_id: int, options=ELIGIBILITY_JOINED) -> Programme:
    programme = db.session.get(Programme, programme_id, options=options)
    # Drafts are not found, rather than forbidden, for those who may not see them.
    if programme is None or not policy.can(current_user, "programme.view", programme):
        raise NotFound(_("There is no published programme with this number."))
    return programme


def render_programme(programme: Programme, *, refusal=None, status: int = 200):
    now, profile, locale = utcnow(), viewer_profile(), _locale()
    mine = registrations_in(profile, programme) if profile else {}

    def body(held: dict, **markers) -> Markup:
        drive = drive_context(programme, profile, now, page_from_request())
        postings = drive["drive"]["postings"].items if drive else []
        cards = card_context(profile, postings, approved=True) if drive else {}
        return Markup(  # noqa: S704 (an autoescaped template's output)
            render_template(
                "programmes/_page.html",
                refusal=refusal,
                labels=LABELS,
                posting_labels=CARD_LABELS,
                reasons_by_posting=cards.get("reasons", {}),
                saved_ids=cards.get("saved_ids", set()),
                **programme_context(programme, profile, held, locale, now),
                **drive,
                **markers,
            )
        )

    if page_cache.may_keep(programme, refusal):
        page = page_cache.programme_body(
            programme,
            profile,
            current_user.is_authenticated,
            locale,
            now,
            viewer_context(programme, profile, mine, now),
            lambda: body(
                {},
                kept=True,
                csrf_token=lambda: cache.FORM_TOKEN,
                records_marker=page_cache.records_marker(programme),
            ),
        )
    else:
        page = body(mine)
    return render_template(
        "programmes/view.html", programme=programme, body=page, labels=LABELS
    ), status


@bp.get("/programmes/<int:programme_id>")
def view(programme_id: int):
    return render_programme(visible_programme(programme_id, ELIGIBILITY_LEFT))


@bp.post("/programmes/<int:programme_id>/sessions/<int:session_id>/register")
@login_required
def register_for_session(programme_id: int, session_id: int):
    require("area.student")
    programme = visible_programme(programme_id)
    session = db.session.get(ProgrammeSession, session_id)
    if session is None or session.programme_id != programme.id:
        raise NotFound(_("This programme has no such session."))
    profile = profile_for(current_user)
    with on_refusal(
        lambda error: render_programme(
            programme, refusal=error, status=getattr(error, "status_code", 409)
        )
    ):
        registration = register(current_user, profile, session)
    position = waitlist_position(registration)
    if position is None:
        flash(
            _("You are registered for %(when)s (Hong Kong time).", when=_when(session)), "success"
        )
    else:
        flash(
            _(
                "The session is full: you are number %(position)d on the waitlist.",
                position=position,
            ),
            "info",
        )
    return redirect(url_for("programmes.view", programme_id=programme.id), 303)


def _when(session: ProgrammeSession) -> str:
    return format_moment(session.starts_at)


@bp.post("/programmes/registrations/<int:registration_id>/cancel")
@login_required
def cancel(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    require("programme.cancel_registration", registration)
    title = registration.session.programme.title(_locale())
    confirm_or_ask(
        _("Give up your place for “%(title)s”?", title=title),
        action=_("Give up my place"),
        cancel_url=url_for("programmes.mine"),
        detail=_("A seat you give up goes to the first student on the waitlist."),
    )
    with on_refusal(lambda error: render_mine(refusal=error, status=error.status_code)):
        cancel_registration(current_user, registration)
    flash(_("You gave up your place for “%(title)s”.", title=title), "success")
    return redirect(url_for("programmes.mine"), 303)


def render_mine(*, refusal=None, status: int = 200):
    profile = profile_for(current_user)
    now = utcnow()
    upcoming, past = my_registrations(profile, now)
    token = feed_token(profile)
    after = after_the_event(profile, [item.programme.id for item in past], now)
    return render_template(
        "programmes/mine.html",
        upcoming=upcoming,
        past=past,
        after=after,
        # Attended, feedback open and not given yet: asked for at the top of the page.
        awaiting=_awaiting_feedback(past, after),
        feed_url=external_url("programme_calendars.feed", token=token) if token else None,
        refusal=refusal,
        now=now,
        labels=LABELS,
        id_url=id_url,
    ), status


def _awaiting_feedback(past, after) -> list[Programme]:
    awaiting: dict[int, Programme] = {}
    for item in past:
        state = after.get(item.programme.id)
        if state and state.feedback_open and state.rating is None:
            awaiting.setdefault(item.programme.id, item.programme)
    return list(awaiting.values())


@bp.get("/me/programmes")
@login_required
def mine():
    require("area.student")
    return render_mine()


def ticket_url(registration_id: int) -> str:
    """The student's ticket (QR code and short code), a page of the check-in part."""
    return url_for("programme_tickets.ticket", registration_id=registration_id)


bp.add_app_template_global(ticket_url, "programme_ticket_url")
# The join redirect of the check-in part: the only way in online any page shows.
bp.add_app_template_global(join_path, "programme_join_url")
