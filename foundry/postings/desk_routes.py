"""Managing postings: companies write them, the park moderates, universities approve.

This module is the company side (its list, the posting form, the preview and the lifecycle
buttons). The park's moderation and the universities' approval queues are blueprints of
their own (moderation_routes: posting_moderation.*, approval_routes: posting_approvals.*)
that show the same labels (posting_labels).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from foundry.companies.models import Company
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.i18n import lazy_gettext as _l
from foundry.postings.desk_queries import (
    COMPANY_POSTING_SORTS,
    applicant_counts,
    company_postings_statement,
    status_counts,
)
from foundry.postings.forms import ActionForm, PostingForm, posting_form_data
from foundry.postings.labels import (
    APPROVAL_STATUS_LABELS,
    KIND_LABELS,
    PAY_PERIOD_LABELS,
    POSTING_STATUS_LABELS,
    WORK_MODE_LABELS,
)
from foundry.postings.models import Posting, PostingStatus
from foundry.postings.services import (
    PostingInputError,
    archive_posting,
    close_posting,
    create_posting,
    require_editable,
    submit_for_review,
    update_posting,
    withdraw_submission,
)
from foundry.students.labels import STUDY_LEVEL_LABELS
from foundry.universities.models import University
from foundry.web import (
    apply_sorting,
    confirm_or_ask,
    on_refusal,
    page_from_request,
    require,
    sorting_from_request,
)

bp = Blueprint("posting_desk", __name__)

PER_PAGE = 20

# action in the URL → (service, message once done)
LIFECYCLE_ACTIONS = {
    "submit": (submit_for_review, _l("Submitted for review. The park’s talent team will reply.")),
    "withdraw": (withdraw_submission, _l("Withdrawn from review. It is a draft again.")),
    "close": (close_posting, _l("The posting is closed and takes no more applications.")),
    "archive": (archive_posting, _l("The posting is archived.")),
}


@bp.context_processor
def posting_labels() -> dict:
    """The labels the desk's pages (and the moderation and approval queues) show."""
    return {
        "KIND_LABELS": KIND_LABELS,
        "WORK_MODE_LABELS": WORK_MODE_LABELS,
        "PAY_PERIOD_LABELS": PAY_PERIOD_LABELS,
        "POSTING_STATUS_LABELS": POSTING_STATUS_LABELS,
        "APPROVAL_STATUS_LABELS": APPROVAL_STATUS_LABELS,
        "STUDY_LEVEL_LABELS": STUDY_LEVEL_LABELS,
    }


def _company_or_404(slug: str) -> Company:
    return db.first_or_404(sa.select(Company).where(Company.slug == slug))


def _status_arg() -> PostingStatus | None:
    raw = request.args.get("status") or None
    try:
        return PostingStatus(raw) if raw else None
    except ValueError:
        raise InvalidInput(_("That status is not known.")) from None


def _posting_form(**kwargs) -> PostingForm:
    form = PostingForm(**kwargs)
    universities = db.session.scalars(
        sa.select(University)
        .where(University.enabled.is_(True))
        .options(selectinload(University.faculties))
        .order_by(University.code)
    ).all()
    form.set_choices(universities, str(get_locale()))
    return form


@bp.get("/company/<slug>/postings")
@login_required
def company_postings(slug: str):
    company = _company_or_404(slug)
    require("posting.create", company)
    status = _status_arg()
    sorting = sorting_from_request(COMPANY_POSTING_SORTS, "-updated")
    stmt = apply_sorting(
        company_postings_statement(company.id, status),
        sorting,
        COMPANY_POSTING_SORTS,
        Posting.id.desc(),
    )
    page = db.paginate(stmt, page=page_from_request(), per_page=PER_PAGE, error_out=False)
    counts = status_counts(company.id)
    return render_template(
        "postings/desk/company_list.html",
        company=company,
        page=page,
        status=status,
        sorting=sorting,
        counts=counts,
        total=sum(counts.values()),
        current_total=sum(counts.values()) - counts[PostingStatus.ARCHIVED],
        applicants=applicant_counts([posting.id for posting in page.items]),
    )


@bp.route("/company/<slug>/postings/new", methods=["GET", "POST"])
@login_required
def new_posting(slug: str):
    company = _company_or_404(slug)
    require("posting.create", company)
    form = _posting_form()
    if not form.validate_on_submit():
        return _edit_page(form, company)
    with on_refusal(lambda error: _edit_page(form, company, error), catching=PostingInputError):
        posting = create_posting(current_user, company, form.to_data())
    flash(_("The draft is saved. Check the preview, then submit it for review."), "success")
    return redirect(url_for(".preview", posting_id=posting.id), 303)


def _edit_page(
    form: PostingForm,
    company: Company,
    refusal: PostingInputError | None = None,
    posting: Posting | None = None,
):
    """The posting's form (new or a draft), with the service's refusal shown on its fields."""
    if refusal is not None:
        form.show_error(refusal)
    status = 400 if form.is_submitted() else 200
    return render_template(
        "postings/desk/edit.html", form=form, company=company, posting=posting
    ), status


@bp.route("/postings/<int:posting_id>/edit", methods=["GET", "POST"])
@login_required
def edit_posting(posting_id: int):
    posting = db.get_or_404(Posting, posting_id)
    require("posting.edit", posting)
    require_editable(posting)
    form = _posting_form(data=posting_form_data(posting))
    if not form.validate_on_submit():
        return _edit_page(form, posting.company, posting=posting)
    with on_refusal(
        lambda error: _edit_page(form, posting.company, error, posting),
        catching=PostingInputError,
    ):
        update_posting(current_user, posting, form.to_data())
    flash(_("The draft is saved."), "success")
    return redirect(url_for(".preview", posting_id=posting.id), 303)


@bp.get("/postings/<int:posting_id>/preview")
@login_required
def preview(posting_id: int):
    posting = db.get_or_404(Posting, posting_id)
    require("posting.edit", posting)
    return render_template("postings/desk/preview.html", posting=posting, form=ActionForm())


@bp.post("/postings/<int:posting_id>/<any(submit, withdraw, close, archive):action>")
@login_required
def change_status(posting_id: int, action: str):
    posting = db.get_or_404(Posting, posting_id)
    require("posting.edit", posting)
    if not ActionForm().validate_on_submit():
        raise InvalidInput(_("Your form expired. Reload the page and try again."))
    if action == "close" and posting.status is PostingStatus.PUBLISHED:  # else refused below
        confirm_or_ask(
            _("Close “%(title)s”?", title=posting.title),
            detail=_("It stops taking applications; those already sent stay in the pipeline."),
            action=_("Close the posting"),
            cancel_url=url_for(".preview", posting_id=posting.id),
        )
    service, done_message = LIFECYCLE_ACTIONS[action]
    service(current_user, posting)
    flash(str(done_message), "success")
    return redirect(url_for(".preview", posting_id=posting.id), 303)
