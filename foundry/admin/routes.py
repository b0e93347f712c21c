"""The park admin's console: platform figures, company verification and the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.admin.queries import (
    ADMIN_COMPANY_SORTS,
    AUDIT_SORTS,
    audit_actions,
    audit_statement,
    companies_by_status,
    users_by_role,
    verified_companies_by_cluster,
)
from foundry.audit.models import AuditEvent
from foundry.companies.forms import VerificationForm
from foundry.companies.labels import VERIFICATION_LABELS
from foundry.companies.models import Company, VerificationStatus
from foundry.companies.queries import directory_statement
from foundry.companies.services import set_verification
from foundry.core.queries import platform_figures
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.taxonomy import CLUSTER_LABELS
from foundry.web import (
    ROLE_LABELS,
    apply_sorting,
    page_from_request,
    require,
    safe_next_url,
    sorting_from_request,
)

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def _park_admins_only():
    require("admin.access")


@bp.get("/admin")
def home():
    recent = db.session.scalars(
        db.select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(8)
    ).all()
    by_status = companies_by_status()
    return render_template(
        "admin/home.html",
        figures=platform_figures(),
        pending=by_status[VerificationStatus.PENDING],
        registered=sum(by_status.values()),
        cluster_rows=[(CLUSTER_LABELS[c], n) for c, n in verified_companies_by_cluster().items()],
        role_rows=[(ROLE_LABELS[role], n) for role, n in users_by_role().items()],
        recent=recent,
    )


@bp.get("/admin/companies")
def companies():
    sorting = sorting_from_request(ADMIN_COMPANY_SORTS, "name")
    raw_status = request.args.get("status") or None
    try:
        status = VerificationStatus(raw_status) if raw_status else None
    except ValueError:
        raise InvalidInput(_("Unknown verification status.")) from None
    query = (request.args.get("q") or "").strip()[:100] or None
    stmt = directory_statement(None, None, query, status=status)
    stmt = apply_sorting(stmt, sorting, ADMIN_COMPANY_SORTS, Company.id)
    page = db.paginate(stmt, page=page_from_request(), per_page=25, error_out=False)
    return render_template(
        "admin/companies.html",
        page=page,
        sorting=sorting,
        status=status,
        query=query or "",
        form=VerificationForm(),
    )


@bp.post("/admin/companies/<slug>/verification")
def change_verification(slug: str):
    company = db.first_or_404(db.select(Company).where(Company.slug == slug))
    require("company.verify", company)
    form = VerificationForm()
    if not form.validate_on_submit():
        raise InvalidInput(_("Choose one of the verification statuses."))
    status = VerificationStatus(form.status.data)
    set_verification(current_user, company, status)
    flash(
        _("%(name)s: %(status)s.", name=company.name, status=VERIFICATION_LABELS[status]), "success"
    )
    return redirect(safe_next_url(request.form.get("back"), url_for("admin.companies")), 303)


@bp.get("/admin/audit")
def audit_log():
    require("audit.read")
    sorting = sorting_from_request(AUDIT_SORTS, "-time")
    action = request.args.get("action") or None
    stmt = apply_sorting(audit_statement(action, None), sorting, AUDIT_SORTS, AuditEvent.id.desc())
    page = db.paginate(stmt, page=page_from_request(), per_page=50, error_out=False)
    return render_template(
        "admin/audit.html", page=page, sorting=sorting, action=action, actions=audit_actions()
    )
