"""A student's saved postings and saved searches: save and unsave, the saved list, and the
saved searches page with run, rename, alerts on or off, and delete.

Endpoints saved_postings.*; the search page's own "save this search" form posts to
`postings.save_search` in routes.py.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from foundry import policy
from foundry.db import utcnow
from foundry.eligibility.rules import application_blockers
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.i18n import lazy_gettext as _l
from foundry.postings.alerts import (
    NAME_MAX_LENGTH,
    delete_search,
    params_of,
    rename_search,
    save_posting,
    saved_posting_ids,
    search_of,
    set_search_alerts,
    unsave_posting,
)
from foundry.postings.labels import KIND_LABELS, PAY_PERIOD_LABELS, WORK_MODE_LABELS
from foundry.postings.loading import card_loader_options
from foundry.postings.models import Posting, SavedPosting, SavedSearch
from foundry.postings.search import describe
from foundry.students.models import StudentProfile
from foundry.students.services import profile_for
from foundry.urls import safe_next_url
from foundry.web import confirm_or_ask, on_refusal, page_from_request, require

bp = Blueprint("saved_postings", __name__)

SAVED_PER_PAGE = 20
CARD_LABELS = {"kind": KIND_LABELS, "mode": WORK_MODE_LABELS, "pay": PAY_PERIOD_LABELS}


class SaveSearchForm(FlaskForm):
    name = StringField(
        _l("Name of this search"),
        validators=[
            DataRequired(message=_l("Give the search a name.")),
            Length(
                max=NAME_MAX_LENGTH,
                message=_l("Keep the name to %(max)d characters or fewer.", max=NAME_MAX_LENGTH),
            ),
        ],
        render_kw={"maxlength": NAME_MAX_LENGTH},
    )


class RenameSearchForm(SaveSearchForm):
    pass


def viewer_profile() -> StudentProfile | None:
    """The signed-in student's profile, or None for anyone else."""
    if policy.can(current_user, "area.student"):
        return profile_for(current_user)
    return None


def card_context(
    profile: StudentProfile | None,
    postings: list[Posting],
    saved_ids: set[int] | None = None,
    *,
    approved: bool = False,
) -> dict:
    """What posting cards show beyond the posting: eligibility and saved marks (`saved_ids`
    when the caller knows them, else read in one query). `approved`: the caller kept only
    postings the student's university approved (application_blockers())."""
    if profile is None:
        return {"reasons": {}, "saved_ids": set(), "is_student": False}
    if saved_ids is None:
        saved_ids = saved_posting_ids(current_user, (p.id for p in postings))
    return {
        "reasons": {p.id: application_blockers(profile, p, approved=approved) for p in postings},
        "saved_ids": saved_ids,
        "is_student": True,
    }


def _back(fallback: str):
    return redirect(safe_next_url(request.form.get("next"), fallback), 303)


# --- saved postings ----------------------------------------------------------------------


@bp.post("/postings/<int:posting_id>/save")
@login_required
def save(posting_id: int):
    require("area.student")
    save_posting(current_user, db.session.get(Posting, posting_id))
    flash(_("Posting saved. Find it under Saved postings."), "success")
    return _back(url_for("postings.view", posting_id=posting_id))


@bp.post("/postings/<int:posting_id>/unsave")
@login_required
def unsave(posting_id: int):
    require("area.student")
    unsave_posting(current_user, posting_id)
    flash(_("Posting removed from your saved list."), "success")
    return _back(url_for("saved_postings.list_saved"))


@bp.get("/postings/saved")
@login_required
def list_saved():
    require("area.student")
    profile = viewer_profile()
    stmt = (
        sa.select(SavedPosting)
        .where(SavedPosting.user_id == current_user.id)
        .order_by(SavedPosting.created_at.desc(), SavedPosting.posting_id.desc())
        .options(joinedload(SavedPosting.posting).options(*card_loader_options(profile)))
    )
    page = db.paginate(stmt, page=page_from_request(), per_page=SAVED_PER_PAGE, error_out=False)
    postings = [saved.posting for saved in page.items]
    # Every posting of this list is one the student saved: no need to ask which.
    context = card_context(profile, postings, saved_ids={p.id for p in postings})
    return render_template(
        "postings/saved.html",
        page=page,
        now=utcnow(),
        labels=CARD_LABELS,
        **context,
    )


# --- saved searches ----------------------------------------------------------------------


def _render_searches(rename_forms: dict[int, RenameSearchForm] | None = None, status: int = 200):
    searches = db.session.scalars(
        sa.select(SavedSearch)
        .where(SavedSearch.user_id == current_user.id)
        .order_by(SavedSearch.name, SavedSearch.id)
    ).all()
    rename_forms = rename_forms or {}
    rows = []
    for search in searches:
        params = params_of(search)
        form = rename_forms.get(search.id) or RenameSearchForm(
            formdata=None, prefix=f"s{search.id}", name=search.name
        )
        rows.append(
            {"search": search, "summary": describe(params) if params else None, "form": form}
        )
    return render_template("postings/searches.html", rows=rows), status


@bp.get("/postings/searches")
@login_required
def searches():
    require("area.student")
    return _render_searches()


@bp.get("/postings/searches/<int:search_id>")
@login_required
def run_search(search_id: int):
    require("area.student")
    search = search_of(current_user, search_id)
    params = params_of(search)
    if params is None:
        raise InvalidInput(
            _("This saved search uses filters that no longer exist. Delete it and search again.")
        )
    return redirect(url_for("postings.search", **params.to_args()), 303)


@bp.post("/postings/searches/<int:search_id>/rename")
@login_required
def rename(search_id: int):
    require("area.student")
    search = search_of(current_user, search_id)
    form = RenameSearchForm(prefix=f"s{search.id}")
    if not form.validate_on_submit():
        return _render_searches({search_id: form}, 400)
    with on_refusal(
        lambda _refusal: _render_searches({search_id: form}, 400),
        catching=InvalidInput,
        field=form.name,
    ):
        rename_search(current_user, search, form.name.data)
    flash(_("Saved search renamed to “%(name)s”.", name=search.name), "success")
    return redirect(url_for("saved_postings.searches"), 303)


@bp.post("/postings/searches/<int:search_id>/alerts")
@login_required
def alerts(search_id: int):
    require("area.student")
    search = search_of(current_user, search_id)
    choice = request.form.get("enabled")
    if choice not in ("1", "0"):
        raise InvalidInput(_("Choose whether alerts are on or off."))
    set_search_alerts(current_user, search, choice == "1", utcnow())
    if search.alerts_enabled:
        flash(_("Alerts on for “%(name)s”.", name=search.name), "success")
    else:
        flash(_("Alerts off for “%(name)s”.", name=search.name), "success")
    return redirect(url_for("saved_postings.searches"), 303)


@bp.post("/postings/searches/<int:search_id>/delete")
@login_required
def delete(search_id: int):
    require("area.student")
    search = search_of(current_user, search_id)
    name = search.name
    confirm_or_ask(
        _("Delete the saved search “%(name)s”?", name=name),
        detail=_("Its alerts stop; the postings themselves stay."),
        action=_("Delete the saved search"),
        cancel_url=url_for("saved_postings.searches"),
    )
    delete_search(current_user, search)
    flash(_("Saved search “%(name)s” deleted.", name=name), "success")
    return redirect(url_for("saved_postings.searches"), 303)
