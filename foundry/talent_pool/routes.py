"""Talent Pool search for verified companies, and invitations to apply."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry import policy
from foundry.companies.models import Company
from foundry.errors import InvalidInput, NotFound, PermissionDenied
from foundry.extensions import db
from foundry.postings.models import Posting
from foundry.students.labels import PROFICIENCY_LABELS, STUDY_LEVEL_LABELS
from foundry.students.models import StudentProfile
from foundry.talent_pool.forms import InvitationForm
from foundry.talent_pool.queries import (
    POOL_SORTS,
    faculties_by_university,
    filters_from_args,
    invitable_postings,
    invitations_from,
    pool_statement,
    shared_links,
)
from foundry.talent_pool.services import invite_to_apply
from foundry.web import (
    apply_sorting,
    on_refusal,
    page_from_request,
    require,
    sorting_from_request,
)

bp = Blueprint("talent_pool", __name__)

PER_PAGE = 20


def _company_for_pool(slug: str) -> Company:
    """The company, once the policy lets the current user search the pool on its behalf."""
    company = db.first_or_404(db.select(Company).where(Company.slug == slug))
    if (
        current_user.is_authenticated
        and not company.is_verified
        and policy.is_member_of_the_company(current_user, company)
    ):
        raise PermissionDenied(
            _(
                "Only verified companies can search the Talent Pool, because students agreed "
                "to be found by verified park companies only. The park’s talent team verifies "
                "your company; once it has, the pool opens to you."
            )
        )
    require("talent_pool.search", company)
    return company


def _pool_profile(profile_id: int) -> StudentProfile:
    profile = db.session.get(StudentProfile, profile_id)
    if profile is None or not profile.talent_pool_opt_in or not profile.user.active:
        raise NotFound(
            _("This student is not in the Talent Pool; they may have left it. Search again.")
        )
    return profile


def _shown(**context):
    return {
        "level_labels": STUDY_LEVEL_LABELS,
        "proficiency_labels": PROFICIENCY_LABELS,
        "shared_links": shared_links,
        **context,
    }


@bp.get("/company/<slug>/talent-pool")
@login_required
def search(slug: str):
    company = _company_for_pool(slug)
    faculty_groups = faculties_by_university()
    faculty_ids = {faculty.id for _university, faculties in faculty_groups for faculty in faculties}
    filters = filters_from_args(request.args, faculty_ids)
    sorting = sorting_from_request(POOL_SORTS, "name")
    stmt = apply_sorting(pool_statement(filters), sorting, POOL_SORTS, StudentProfile.id)
    page = db.paginate(stmt, page=page_from_request(), per_page=PER_PAGE, error_out=False)
    invitations = invitations_from(company, [profile.id for profile in page.items])
    return render_template(
        "talent_pool/search.html",
        **_shown(
            company=company,
            faculty_groups=faculty_groups,
            filters=filters,
            sorting=sorting,
            page=page,
            invitations=invitations,
        ),
    )


@bp.route("/company/<slug>/talent-pool/students/<int:profile_id>/invite", methods=["GET", "POST"])
@login_required
def invite(slug: str, profile_id: int):
    company = _company_for_pool(slug)
    profile = _pool_profile(profile_id)
    form = InvitationForm()
    form.set_postings(invitable_postings(company, profile))
    if not form.validate_on_submit():
        return _render_invite(company, profile, form, 400 if form.is_submitted() else 200)
    with on_refusal(
        lambda error: _render_invite(company, profile, form, error.status_code, error.message)
    ):
        posting = db.session.get(Posting, form.posting_id.data)
        if posting is None:
            raise InvalidInput(_("That posting does not exist. Choose one from the list."))
        invite_to_apply(current_user, company, profile, posting, form.message.data)
    flash(
        _(
            "%(name)s is invited to apply to “%(posting)s”.",
            name=profile.user.display_name,
            posting=posting.title,
        ),
        "success",
    )
    return redirect(url_for("talent_pool.search", slug=company.slug), 303)


def _render_invite(company, profile, form, status: int, refusal: str | None = None):
    sent = invitations_from(company, [profile.id]).get(profile.id, [])
    return render_template(
        "talent_pool/invite.html",
        **_shown(company=company, profile=profile, form=form, sent=sent, refusal=refusal),
    ), status
