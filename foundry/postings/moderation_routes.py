"""The park's moderation of postings: the queue, a posting under review, publish, return.

Endpoints posting_moderation.*; the pages show the posting desk's labels (posting_labels).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.postings.desk_queries import MODERATION_SORTS, moderation_statement, status_counts
from foundry.postings.desk_routes import posting_labels
from foundry.postings.forms import ActionForm, ReturnForm
from foundry.postings.models import Posting, PostingStatus
from foundry.postings.services import PostingInputError, publish, return_to_company
from foundry.web import (
    apply_sorting,
    on_refusal,
    page_from_request,
    require,
    sorting_from_request,
)

bp = Blueprint("posting_moderation", __name__)
bp.context_processor(posting_labels)

PER_PAGE = 25


@bp.before_request
@login_required
def _moderators_only():
    require("posting.moderate")


@bp.get("/admin/postings")
def queue():
    raw = request.args.get("status") or PostingStatus.PENDING_REVIEW.value
    try:
        status = PostingStatus(raw)
    except ValueError:
        raise InvalidInput(_("That status is not known.")) from None
    sorting = sorting_from_request(MODERATION_SORTS, "submitted")
    stmt = apply_sorting(moderation_statement(status), sorting, MODERATION_SORTS, Posting.id)
    page = db.paginate(stmt, page=page_from_request(), per_page=PER_PAGE, error_out=False)
    return render_template(
        "postings/desk/moderation_queue.html",
        page=page,
        status=status,
        sorting=sorting,
        counts=status_counts(),
    )


def _render_review(posting: Posting, return_form: ReturnForm, status: int = 200):
    return render_template(
        "postings/desk/moderation_review.html",
        posting=posting,
        action_form=ActionForm(),
        return_form=return_form,
    ), status


@bp.get("/admin/postings/<int:posting_id>")
def review(posting_id: int):
    posting = db.get_or_404(Posting, posting_id)
    require("posting.moderate", posting)
    return _render_review(posting, ReturnForm(formdata=None))


@bp.post("/admin/postings/<int:posting_id>/publish")
def publish_posting(posting_id: int):
    posting = db.get_or_404(Posting, posting_id)
    require("posting.moderate", posting)
    if not ActionForm().validate_on_submit():
        raise InvalidInput(_("Your form expired. Reload the page and try again."))
    approvals = publish(current_user, posting)
    flash(_("“%(title)s” is published.", title=posting.title), "success")
    if approvals:
        codes = ", ".join(a.university.code for a in approvals)
        flash(_("Waiting for approval by %(universities)s.", universities=codes), "info")
    return redirect(url_for(".queue"), 303)


@bp.post("/admin/postings/<int:posting_id>/return")
def return_posting(posting_id: int):
    posting = db.get_or_404(Posting, posting_id)
    require("posting.moderate", posting)
    form = ReturnForm()
    if not form.validate_on_submit():
        return _render_review(posting, form, 400)
    with on_refusal(
        lambda _refusal: _render_review(posting, form, 400),
        catching=PostingInputError,
        field=form.reason,
    ):
        return_to_company(current_user, posting, form.reason.data or "")
    flash(_("“%(title)s” is returned to the company.", title=posting.title), "success")
    return redirect(url_for(".queue"), 303)
