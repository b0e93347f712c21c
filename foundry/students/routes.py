"""The student's dashboard, profile and CVs; staff's view of a student."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from foundry.db import utcnow
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.security import pdf_framable_by_us
from foundry.students import dashboard
from foundry.students.forms import CVUploadForm, DeleteForm, ProfileForm
from foundry.students.models import CVDocument, StudentProfile
from foundry.students.queries import (
    applications_of,
    profile_lists,
)
from foundry.students.services import (
    ProfileChanges,
    add_cv,
    delete_cv,
    profile_completeness,
    profile_for,
    update_profile,
)
from foundry.universities.models import Faculty, StudyLevel
from foundry.web import confirm_or_ask, on_refusal, pdf_response, require

bp = Blueprint("students", __name__)


def _my_profile() -> StudentProfile:
    require("area.student")
    profile = profile_for(current_user)
    if profile is None:
        # Signed in through their university for the first time: study details first.
        abort(redirect(url_for("sso.onboarding"), 303))
    return profile


def _profile_form(profile: StudentProfile, **kwargs) -> ProfileForm:
    form = ProfileForm(**kwargs)
    faculties = db.session.scalars(
        sa.select(Faculty)
        .where(Faculty.university_id == profile.university_id)
        .order_by(Faculty.name_en)
        .options(selectinload(Faculty.programmes))  # the chooser lists each one's programmes
    ).all()
    form.set_choices(faculties, str(get_locale()))
    return form


def _render_profile_page(profile, form, cv_form, status=200):
    return render_template(
        "students/edit_profile.html",
        profile=profile,
        form=form,
        cv_form=cv_form,
        delete_form=DeleteForm(),
    ), status


@bp.get("/me")
@login_required
def home():
    profile = _my_profile()
    applications, applied = applications_of(profile)
    return render_template(
        "students/home.html",
        profile=profile,
        checklist=profile_completeness(profile, profile_lists(profile)),
        companies=dashboard.companies_for(profile),
        postings=dashboard.roles_for(profile, applied, utcnow()),
        applications=applications,
    )


@bp.route("/me/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    profile = _my_profile()
    require("student.edit", profile)
    form = _profile_form(profile, obj=profile)
    if form.is_submitted():
        if form.validate():
            with on_refusal(lambda error: _profile_refused(form, error), catching=InvalidInput):
                update_profile(current_user, profile, _changes_from(form))
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("students.edit_profile"), 303)
        return _render_profile_page(profile, form, CVUploadForm(formdata=None), 400)
    _fill_form(form, profile)
    return _render_profile_page(profile, form, CVUploadForm(formdata=None))


def _profile_refused(form: ProfileForm, refusal: InvalidInput):
    flash(refusal.message, "danger")
    return _render_profile_page(_my_profile(), form, CVUploadForm(formdata=None), 400)


def _fill_form(form: ProfileForm, profile: StudentProfile) -> None:
    form.display_name.data = profile.user.display_name
    form.study_level.data = profile.study_level.value
    form.skills.data = ", ".join(skill.name for skill in profile.skills)
    form.themes.data = [theme.value for theme in profile.theme_values]
    for row, language in zip(form.languages.entries, profile.languages, strict=False):
        row.form.language.data = language.language
        row.form.proficiency.data = language.proficiency.value


def _changes_from(form: ProfileForm) -> ProfileChanges:
    return ProfileChanges(
        display_name=form.display_name.data.strip(),
        faculty_id=form.faculty_id.data,
        programme_id=form.programme_id.data,
        study_level=StudyLevel(form.study_level.data),
        graduation_year=form.graduation_year.data,
        headline=form.headline.data or None,
        about=form.about.data or None,
        skills=(form.skills.data or "").split(","),
        languages=form.chosen_languages(),
        themes=form.chosen_themes(),
        linkedin_url=form.linkedin_url.data or None,
        github_url=form.github_url.data or None,
        website_url=form.website_url.data or None,
        non_local=form.non_local.data,
        talent_pool_opt_in=form.talent_pool_opt_in.data,
    )


@bp.post("/me/cvs")
@login_required
def upload_cv():
    profile = _my_profile()
    cv_form = CVUploadForm()
    if not cv_form.validate_on_submit():
        return _cv_refused(profile, cv_form)
    upload = cv_form.file.data
    with on_refusal(
        lambda _refusal: _cv_refused(profile, cv_form), catching=InvalidInput, field=cv_form.file
    ):
        add_cv(current_user, profile, cv_form.title.data, upload.filename, upload.read())
    flash(_("Your CV is uploaded."), "success")
    return redirect(url_for("students.edit_profile", _anchor="cvs"), 303)


def _cv_refused(profile: StudentProfile, cv_form: CVUploadForm):
    form = _profile_form(profile, formdata=None, obj=profile)
    _fill_form(form, profile)
    return _render_profile_page(profile, form, cv_form, 400)


@bp.post("/me/cvs/<int:cv_id>/delete")
@login_required
def remove_cv(cv_id: int):
    cv = db.get_or_404(CVDocument, cv_id)
    require("cv.manage", cv)
    if not DeleteForm().validate_on_submit():
        raise InvalidInput(_("Your form expired. Reload the page and try again."))
    confirm_or_ask(
        _("Delete the CV “%(title)s”?", title=cv.title),
        detail=_("Applications you already sent keep their own copy."),
        action=_("Delete the CV"),
        cancel_url=url_for("students.edit_profile", _anchor="cvs"),
    )
    delete_cv(current_user, cv)
    flash(_("The CV is deleted."), "info")
    return redirect(url_for("students.edit_profile", _anchor="cvs"), 303)


@bp.get("/cvs/<int:cv_id>")
@login_required
@pdf_framable_by_us
def download_cv(cv_id: int):
    cv = db.get_or_404(CVDocument, cv_id)
    require("cv.download", cv)
    return pdf_response(cv.content, cv.original_filename)


@bp.get("/students/<int:profile_id>")
@login_required
def view_profile(profile_id: int):
    profile = db.get_or_404(StudentProfile, profile_id)
    require("student.view", profile)
    return render_template("students/view_profile.html", profile=profile)
