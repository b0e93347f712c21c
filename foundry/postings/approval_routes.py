"""A university's approval queue: its faculty staff and coordinator decide whether a
published posting shows to its students (only where the university asks to approve).

Endpoints posting_approvals.*; the pages show the posting desk's labels (posting_labels).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.errors import InvalidInput, NotFound
from foundry.extensions import db
from foundry.postings.desk_queries import (
    APPROVAL_SORTS,
    approval_counts,
    approval_for,
    approvals_statement,
)
from foundry.postings.desk_routes import posting_labels
from foundry.postings.forms import ApprovalDecisionForm
from foundry.postings.models import ApprovalStatus, PostingApproval
from foundry.postings.services import PostingInputError, decide_approval
from foundry.universities.models import University
from foundry.web import (
    apply_sorting,
    on_refusal,
    page_from_request,
    require,
    sorting_from_request,
)

bp = Blueprint("posting_approvals", __name__)
bp.context_processor(posting_labels)

PER_PAGE = 25


@bp.get("/university/<int:university_id>/approvals")
@login_required
def queue(university_id: int):
    university = db.get_or_404(University, university_id)
    require("posting.approve", university)
    raw = request.args.get("status") or ApprovalStatus.PENDING.value
    try:
        status = ApprovalStatus(raw)
    except ValueError:
        raise InvalidInput(_("That status is not known.")) from None
    sorting = sorting_from_request(APPROVAL_SORTS, "requested")
    stmt = apply_sorting(
        approvals_statement(university.id, status), sorting, APPROVAL_SORTS, PostingApproval.id
    )
    page = db.paginate(stmt, page=page_from_request(), per_page=PER_PAGE, error_out=False)
    return render_template(
        "postings/desk/approval_queue.html",
        university=university,
        page=page,
        status=status,
        sorting=sorting,
        counts=approval_counts(university.id),
    )


@bp.route("/university/<int:university_id>/approvals/<int:posting_id>", methods=["GET", "POST"])
@login_required
def decide(university_id: int, posting_id: int):
    approval = approval_for(university_id, posting_id)
    if approval is None:
        raise NotFound(_("This university has no approval to give for that posting."))
    require("posting.approve", approval)
    form = ApprovalDecisionForm()
    if not form.validate_on_submit():
        return _decide_page(approval, form)
    with on_refusal(
        lambda _refusal: _decide_page(approval, form),
        catching=PostingInputError,
        field=form.comment,
    ):
        decide_approval(current_user, approval, form.approves, form.comment.data or "")
    flash(_("Your decision on “%(title)s” is saved.", title=approval.posting.title), "success")
    return redirect(url_for(".queue", university_id=university_id), 303)


def _decide_page(approval: PostingApproval, form: ApprovalDecisionForm):
    status = 400 if form.is_submitted() else 200
    return render_template(
        "postings/desk/approval_decide.html", approval=approval, posting=approval.posting, form=form
    ), status
