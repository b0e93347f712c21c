"""A company's members and invitations (the company admin manages them), and the public
page where an invited person accepts."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from foundry import policy
from foundry.accounts.forms import canonical_email
from foundry.accounts.models import COMPANY_ROLES, Role, RoleMembership
from foundry.accounts.passwords import password_problems
from foundry.accounts.services import sign_in
from foundry.companies import invitations as inv
from foundry.companies.members import (
    MEMBER_SORTS,
    admin_count,
    change_member_role,
    members_statement,
    membership_of,
    remove_member,
)
from foundry.companies.models import Company
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput
from foundry.extensions import db
from foundry.i18n import lazy_gettext as _l
from foundry.web import (
    ROLE_LABELS,
    apply_sorting,
    confirm_or_ask,
    on_refusal,
    page_from_request,
    require,
    sorting_from_request,
)

bp = Blueprint("company_members", __name__)

ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in (Role.RECRUITER, Role.COMPANY_ADMIN)]


def _company_role(form, field) -> None:
    if field.data not in {r.value for r in COMPANY_ROLES}:
        raise ValidationError(_l("Choose recruiter or company admin."))


class InviteForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter the e-mail address to invite.")),
            Length(max=254, message=_l("An e-mail address has at most 254 characters.")),
            canonical_email,
        ],
    )
    role = SelectField(
        _l("Role"), choices=ROLE_CHOICES, validate_choice=False, validators=[_company_role]
    )


class MemberRoleForm(FlaskForm):
    role = SelectField(
        _l("Role"), choices=ROLE_CHOICES, validate_choice=False, validators=[_company_role]
    )


class ActionForm(FlaskForm):
    """Only the CSRF token (resend, revoke, remove, join)."""


class NewAccountForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        validators=[
            DataRequired(_l("Enter your name.")),
            Length(max=120, message=_l("At most 120 characters.")),
        ],
        filters=[lambda v: " ".join(v.split()) if isinstance(v, str) else v],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Choose a password."))])
    confirm = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
    )

    def __init__(self, email: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def validate_password(self, field) -> None:
        problems = password_problems(field.data or "", self.email)
        if problems:
            raise ValidationError(" ".join(problems))


def _company_or_404(slug: str) -> Company:
    return db.first_or_404(db.select(Company).where(Company.slug == slug))


@bp.get("/company/<slug>/members")
@login_required
def index(slug: str):
    company = _company_or_404(slug)
    require("company.view_members", company)
    return _render_members(company, InviteForm())


@bp.post("/company/<slug>/members/invite")
@login_required
def invite(slug: str):
    company = _managed_company(slug)
    form = InviteForm()
    if not form.validate_on_submit():
        return _render_members(company, form, status=400)
    with on_refusal(
        lambda error: _render_members(company, form, status=error.status_code), field=form.email
    ):
        inv.invite(current_user, company, form.email.data, form.role.data)
    return _done(slug, _("Invitation sent to %(email)s.", email=form.email.data))


@bp.post("/company/<slug>/invitations/<int:invitation_id>/resend")
@login_required
def resend_invitation(slug: str, invitation_id: int):
    company = _managed_company(slug)
    invitation = inv.invitation_of(company, invitation_id)
    _check_csrf(ActionForm())
    inv.resend_invitation(current_user, company, invitation)
    return _done(slug, _("A new invitation link was sent to %(email)s.", email=invitation.email))


@bp.post("/company/<slug>/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(slug: str, invitation_id: int):
    company = _managed_company(slug)
    invitation = inv.invitation_of(company, invitation_id)
    _check_csrf(ActionForm())
    confirm_or_ask(
        _("Withdraw the invitation to %(email)s?", email=invitation.email),
        detail=_("The link in their e-mail will stop working."),
        action=_("Withdraw the invitation"),
        cancel_url=url_for(".index", slug=slug),
    )
    inv.revoke_invitation(current_user, company, invitation)
    return _done(slug, _("The invitation to %(email)s is withdrawn.", email=invitation.email))


@bp.post("/company/<slug>/members/<int:membership_id>/role")
@login_required
def change_role(slug: str, membership_id: int):
    company = _managed_company(slug)
    membership = membership_of(company, membership_id)
    form = MemberRoleForm()
    if not form.validate_on_submit():
        raise InvalidInput(
            " ".join(map(str, form.role.errors)) or _("Choose recruiter or company admin.")
        )
    change_member_role(current_user, company, membership, form.role.data)
    name, role = membership.user.display_name, ROLE_LABELS[membership.role]
    return _done(slug, _("%(name)s is now %(role)s.", name=name, role=role))


@bp.post("/company/<slug>/members/<int:membership_id>/remove")
@login_required
def remove(slug: str, membership_id: int):
    company = _managed_company(slug)
    membership = membership_of(company, membership_id)
    _check_csrf(ActionForm())
    name = membership.user.display_name
    confirm_or_ask(
        _("Remove %(name)s from %(company)s?", name=name, company=company.name),
        detail=_("They lose access to the company's workspace at once."),
        action=_("Remove the member"),
        cancel_url=url_for(".index", slug=slug),
    )
    remove_member(current_user, company, membership)
    flash(
        _("%(name)s is no longer a member of %(company)s.", name=name, company=company.name),
        "success",
    )
    if not policy.can(current_user, "company.view_members", company):
        return redirect(url_for("core.home"), 303)  # they removed themselves
    return redirect(url_for(".index", slug=slug), 303)


def _managed_company(slug: str) -> Company:
    """The company whose members and invitations the current user may manage (404, 403)."""
    company = _company_or_404(slug)
    require("company.invite", company)
    return company


def _done(slug: str, message: str):
    """Say what was done, and go back to the members page."""
    flash(message, "success")
    return redirect(url_for(".index", slug=slug), 303)


def _check_csrf(form: FlaskForm) -> None:
    if not form.validate_on_submit():
        raise InvalidInput(_("Your form expired. Reload the page and try again."))


def _render_members(company: Company, form: InviteForm, status: int = 200):
    sorting = sorting_from_request(MEMBER_SORTS, "name")
    stmt = apply_sorting(members_statement(company), sorting, MEMBER_SORTS, RoleMembership.id)
    page = db.paginate(stmt, page=page_from_request(), per_page=25, error_out=False)
    can_manage = policy.can(current_user, "company.invite", company)
    return render_template(
        "companies/members.html",
        company=company,
        page=page,
        sorting=sorting,
        invitations=inv.pending_invitations(company) if can_manage else [],
        can_manage=can_manage,
        form=form,
        role_choices=ROLE_CHOICES,
        admin_count=admin_count(company),
        now=utcnow(),
    ), status


# --- the invited person ------------------------------------------------------------------


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """Public: the link from the e-mail. What it offers depends on who opens it."""
    with on_refusal(_refused, catching=inv.InvitationUnusable):
        invitation = inv.find_invitation(token)
    account = inv.account_for(invitation)
    if current_user.is_authenticated:
        return _accept_signed_in(invitation, token)
    if account is not None:
        sign_in_url = url_for("accounts.sign_in", next=request.path)
        status = 409 if request.method == "POST" else 200
        return _private(
            render_template(
                "companies/invitation.html",
                invitation=invitation,
                mode="sign_in_first",
                sign_in_url=sign_in_url,
            ),
            status,
        )
    return _accept_with_new_account(invitation, token)


def _accept_signed_in(invitation, token: str):
    form = ActionForm()
    if current_user.email != invitation.email:
        return _private(
            render_template(
                "companies/invitation.html", invitation=invitation, mode="other_account"
            ),
            403,
        )
    if form.validate_on_submit():
        with on_refusal(_refused):
            inv.accept_as(current_user, invitation)
        flash(_("Welcome to %(company)s.", company=invitation.company.name), "success")
        return redirect(url_for("companies.home", slug=invitation.company.slug), 303)
    status = 400 if form.is_submitted() else 200
    return _private(
        render_template("companies/invitation.html", invitation=invitation, mode="join", form=form),
        status,
    )


def _accept_with_new_account(invitation, token: str):
    form = NewAccountForm(invitation.email)
    if form.validate_on_submit():
        with on_refusal(lambda error: _refused(error, signed_out=True)):
            user = inv.accept_with_new_account(
                invitation, form.display_name.data, form.password.data
            )
            sign_in(user, "invitation")
        flash(
            _("Welcome to %(company)s. Your account is ready.", company=invitation.company.name),
            "success",
        )
        return redirect(url_for("companies.home", slug=invitation.company.slug), 303)
    status = 400 if form.is_submitted() else 200
    return _private(
        render_template(
            "companies/invitation.html", invitation=invitation, mode="new_account", form=form
        ),
        status,
    )


def _refused(error: DomainError, signed_out: bool = False):
    """The link cannot be used, or a race was lost or a rule broken at the last moment:
    nothing was written."""
    if signed_out:
        logout_user()  # in case the session was started before the refusal
    page = render_template("companies/invitation_unusable.html", error=error)
    return _private(page, error.status_code)


def _private(page: str, status: int):
    """The token is in the URL: keep it out of Referer headers and caches."""
    return page, status, {"Referrer-Policy": "no-referrer", "Cache-Control": "private, no-store"}
