"""The company directory, a company's public profile, its workspace and its edit form."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.companies.forms import CompanyForm
from foundry.companies.models import Company, CompanySize
from foundry.companies.queries import (
    DIRECTORY_SORTS,
    directory_statement,
    hiring_figures,
    members_of,
)
from foundry.companies.services import CompanyChanges, update_company
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.taxonomy import Cluster, ParkLocation
from foundry.web import (
    apply_sorting,
    page_from_request,
    require,
    sorting_from_request,
)

bp = Blueprint("companies", __name__)


def _company_or_404(slug: str) -> Company:
    return db.first_or_404(db.select(Company).where(Company.slug == slug))


def _enum_arg(enum_cls, name: str):
    raw = request.args.get(name) or None
    if raw is None:
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        raise InvalidInput(_("That filter value is not known.")) from None


@bp.get("/companies")
def directory():
    sorting = sorting_from_request(DIRECTORY_SORTS, "name")
    cluster = _enum_arg(Cluster, "cluster")
    location = _enum_arg(ParkLocation, "location")
    query = (request.args.get("q") or "").strip()[:100] or None
    stmt = directory_statement(cluster, location, query)
    stmt = apply_sorting(stmt, sorting, DIRECTORY_SORTS, Company.id)
    page = db.paginate(stmt, page=page_from_request(), per_page=24, error_out=False)
    return render_template(
        "companies/directory.html",
        page=page,
        sorting=sorting,
        cluster=cluster,
        location=location,
        query=query or "",
    )


@bp.get("/companies/<slug>")
def profile(slug: str):
    company = _company_or_404(slug)
    require("company.view", company)
    return render_template("companies/profile.html", company=company)


@bp.get("/company/<slug>")
@login_required
def home(slug: str):
    company = _company_or_404(slug)
    require("company.view_members", company)
    return render_template(
        "companies/home.html",
        company=company,
        members=members_of(company),
        hiring=hiring_figures(company),
    )


@bp.route("/company/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    company = _company_or_404(slug)
    require("company.edit", company)
    form = CompanyForm(obj=company)
    if form.validate_on_submit():
        update_company(current_user, company, _changes_from(form))
        flash(_("The company profile is saved."), "success")
        return redirect(url_for("companies.home", slug=company.slug), 303)
    if request.method == "GET":
        form.cluster.data = company.cluster.value
        form.park_location.data = company.park_location.value
        form.size.data = company.size.value
    status = 400 if form.is_submitted() else 200
    return render_template("companies/edit.html", company=company, form=form), status


def _changes_from(form: CompanyForm) -> CompanyChanges:
    return CompanyChanges(
        name=form.name.data.strip(),
        name_zh=(form.name_zh.data or "").strip() or None,
        cluster=Cluster(form.cluster.data),
        park_location=ParkLocation(form.park_location.data),
        size=CompanySize(form.size.data),
        founded_year=form.founded_year.data,
        website=form.website.data or None,
        description=form.description.data or None,
    )
