"""Staff roles of a university: its coordinator (or the park admin) lists the university's
staff, and grants and revokes their roles."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField

from foundry import policy
from foundry.accounts.models import Role, RoleMembership, User
from foundry.errors import DomainError, InvalidInput, NotFound
from foundry.extensions import db
from foundry.i18n import lazy_gettext as _l
from foundry.universities.models import Faculty, University
from foundry.universities.staff import (
    GRANTABLE_ROLES,
    STAFF_SORTS,
    UNIVERSITY_STAFF_ROLES,
    InvalidStaffField,
    StaffFilters,
    grant_staff_role,
    has_staff_affiliation,
    identities_at,
    is_staff_of,
    revoke_staff_role,
    staff_roles_at,
    staff_statement,
)
from foundry.web import (
    ROLE_LABELS,
    apply_sorting,
    confirm_or_ask,
    on_refusal,
    page_from_request,
    require,
    sorting_from_request,
)

bp = Blueprint("university_staff", __name__)


class GrantRoleForm(FlaskForm):
    # The service checks the values (a tampered faculty gets its own message).
    role = SelectField(_l("Role"), validate_choice=False)
    faculty = SelectField(_l("Faculty (for faculty roles)"), validate_choice=False)

    def __init__(self, university: University, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale())
        self.role.choices = [(r.value, ROLE_LABELS[r]) for r in GRANTABLE_ROLES]
        self.faculty.choices = [("", _("— none (university coordinator) —"))] + [
            (str(f.id), f.name(locale)) for f in university.faculties
        ]


class RevokeRoleForm(FlaskForm):
    """Only the CSRF token."""


def _university_or_404(code: str) -> University:
    return db.first_or_404(db.select(University).where(University.code == code))


def _staff_member_or_404(university: University, user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or not is_staff_of(person, university):
        raise NotFound(_("This person is not on the staff of %(code)s.", code=university.code))
    return person


@bp.get("/universities/<code>/staff")
@login_required
def index(code: str):
    university = _university_or_404(code)
    require("university.manage_staff", university)
    sorting = sorting_from_request(STAFF_SORTS, "name")
    filters = StaffFilters(
        query=(request.args.get("q") or "").strip()[:100] or None,
        faculty_id=_faculty_filter(university),
    )
    stmt = apply_sorting(staff_statement(university, filters), sorting, STAFF_SORTS, User.id)
    page = db.paginate(stmt, page=page_from_request(), per_page=25, error_out=False)
    return render_template(
        "universities/staff.html",
        university=university,
        page=page,
        sorting=sorting,
        filters=filters,
        identities=identities_at(university, [u.id for u in page.items]),
        roles_at=lambda user: staff_roles_at(user, university),
    )


@bp.route("/universities/<code>/staff/<int:user_id>", methods=["GET", "POST"])
@login_required
def person(code: str, user_id: int):
    university = _university_or_404(code)
    require("university.manage_staff", university)
    person = _staff_member_or_404(university, user_id)
    form = GrantRoleForm(university)
    if not form.is_submitted():
        return _render_person(university, person, form)
    if not form.validate():
        return _render_person(university, person, form), 400
    with on_refusal(
        lambda error: (
            _render_person(university, person, form, _show_error(form, error)),
            error.status_code,
        )
    ):
        grant_staff_role(
            current_user, university, person, form.role.data, form.faculty.data or None
        )
    flash(_("Role granted to %(name)s.", name=person.display_name), "success")
    return redirect(url_for(".person", code=code, user_id=person.id), 303)


@bp.post("/universities/<code>/staff/roles/<int:membership_id>/revoke")
@login_required
def revoke(code: str, membership_id: int):
    university = _university_or_404(code)
    require("university.manage_staff", university)
    membership = db.get_or_404(RoleMembership, membership_id)
    if not RevokeRoleForm().validate_on_submit():
        raise InvalidInput(_("Your form expired. Reload the page and try again."))
    person = membership.user
    # A role of another university, or no staff role: the service says it does not exist.
    if membership.university_id == university.id and membership.role in UNIVERSITY_STAFF_ROLES:
        confirm_or_ask(
            _(
                "Take the role %(role)s away from %(name)s?",
                role=ROLE_LABELS[membership.role],
                name=person.display_name,
            ),
            detail=_("They lose what the role lets them see at once."),
            action=_("Remove the role"),
            cancel_url=url_for(".person", code=code, user_id=person.id),
        )
    revoke_staff_role(current_user, university, membership)
    flash(_("Role removed from %(name)s.", name=person.display_name), "success")
    if not policy.can(current_user, "university.manage_staff", university):
        return redirect(url_for("core.home"), 303)  # a coordinator who stepped down
    if not is_staff_of(person, university):
        return redirect(url_for(".index", code=code), 303)
    return redirect(url_for(".person", code=code, user_id=person.id), 303)


def _render_person(
    university: University, person: User, form: GrantRoleForm, problem: DomainError | None = None
):
    return render_template(
        "universities/staff_person.html",
        university=university,
        person=person,
        roles=staff_roles_at(person, university),
        identity=identities_at(university, [person.id]).get(person.id),
        staff_affiliation=has_staff_affiliation(person, university),
        is_student=person.has_role(Role.STUDENT),
        form=form,
        problem=problem if not isinstance(problem, InvalidStaffField) else None,
        revoke_form=RevokeRoleForm(),
    )


def _show_error(form: GrantRoleForm, error: DomainError) -> DomainError:
    """Put a message about one field on that field; the page shows any other above."""
    if isinstance(error, InvalidStaffField):
        form[error.field].errors.append(error.message)
    return error


def _faculty_filter(university: University) -> int | None:
    raw = (request.args.get("faculty") or "").strip()
    if not raw:
        return None
    faculty = db.session.get(Faculty, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if faculty is None or faculty.university_id != university.id:
        raise InvalidInput(_("That faculty is not one of %(code)s's.", code=university.code))
    return faculty.id
