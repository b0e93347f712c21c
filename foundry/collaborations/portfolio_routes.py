"""The portfolios: a faculty's, a university's, a company's and the whole park's records,
each with the same search and filters, sorting, totals, knowledge-transfer table and CSV
and Excel exports. A portfolio is described once (its scope, its words, its links) and
shown or exported by the same two functions, so the four pages differ only in whose
records they hold; the policy (foundry/policy.py) decides that scope. The faculty's page
is routes.portfolio, the company's proposal_routes.company_list; the university's and the
park's, and the company portfolio's exports, are here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry import policy
from foundry.collaborations import labels, listing, queries
from foundry.collaborations.exports import portfolio_export, summary_export
from foundry.collaborations.filters import filters_from
from foundry.collaborations.models import Collaboration
from foundry.collaborations.totals import conditions_key, knowledge_transfer, totals
from foundry.companies.models import Company
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.reports.exports import FORMATS, export_response
from foundry.universities.models import Faculty, University
from foundry.web import apply_sorting, page_from_request, require, sorting_from_request

# The filters a portfolio's form may offer, beside words, kind, status, year, value, scheme.
FACETS = frozenset({"company", "cluster", "faculty", "university"})


@dataclass(frozen=True)
class Portfolio:
    """What a portfolio page shows: whose records (`scope`), its heading and links, and
    the filters that make sense in it (a company's portfolio has no company filter)."""

    heading: str
    caption: str
    scope: sa.ColumnElement[bool]
    endpoint: str  # the page's endpoint; the exports are at `export_endpoint`
    export_endpoint: str
    url_args: dict
    filename: str
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)
    facets: frozenset[str] = FACETS
    faculties_of: int | None = None  # the faculty filter lists this university's only
    create_url: str | None = None
    note: str | None = None

    def url(self, **args) -> str:
        return url_for(self.endpoint, **self.url_args, **args)

    def export_url(self, fmt: str, **args) -> str:
        return url_for(self.export_endpoint, **self.url_args, fmt=fmt, **{**request.args, **args})


def faculty_portfolio(faculty: Faculty) -> Portfolio:
    name = faculty.name(str(get_locale()))
    can_create = policy.can(current_user, "collaboration.create", faculty)
    return Portfolio(
        heading=_("Industry collaborations"),
        caption=_("Collaborations of %(faculty)s", faculty=name),
        scope=queries.of_faculty(faculty.id),
        endpoint="collaborations.portfolio",
        export_endpoint="collaborations.export",
        url_args={"faculty_id": faculty.id},
        filename=f"collaborations-{faculty.university.code}-{faculty.code}",
        breadcrumbs=[(name, url_for("universities.faculty_home", faculty_id=faculty.id))],
        facets=frozenset({"company", "cluster"}),
        create_url=url_for("collaborations.create", faculty_id=faculty.id) if can_create else None,
    )


def university_portfolio(university: University) -> Portfolio:
    scope = policy.collaboration_scope(current_user, university=university)
    name = university.name(str(get_locale()))
    return Portfolio(
        heading=_("Industry collaborations of %(university)s", university=name),
        caption=_("Collaborations of %(university)s", university=name),
        scope=queries.in_scope(scope),
        endpoint="collaboration_portfolios.university",
        export_endpoint="collaboration_portfolios.university_export",
        url_args={"university_id": university.id},
        filename=f"collaborations-{university.code}",
        breadcrumbs=(
            [(name, url_for("universities.university_home", university_id=university.id))]
            if policy.can(current_user, "university.view", university)
            else []
        ),
        facets=frozenset({"company", "cluster", "faculty"}),
        faculties_of=university.id,
        note=(
            _("You see the records of your own faculty.") if scope.faculty_ids is not None else None
        ),
    )


def company_portfolio(company: Company) -> Portfolio:
    scope = policy.collaboration_scope(current_user, company=company)
    return Portfolio(
        heading=_("Collaborations with universities"),
        caption=_("Collaborations shared with %(company)s", company=company.name),
        scope=queries.in_scope(scope),
        endpoint="collaboration_proposals.company_list",
        export_endpoint="collaboration_portfolios.company_export",
        url_args={"slug": company.slug},
        filename=f"collaborations-{company.slug}",
        breadcrumbs=[(company.name, url_for("companies.home", slug=company.slug))],
        facets=frozenset({"faculty", "university"}),
    )


def park_portfolio() -> Portfolio:
    scope = policy.collaboration_scope(current_user)
    return Portfolio(
        heading=_("Collaborations across the park"),
        caption=_("Collaborations across the park"),
        scope=queries.in_scope(scope),
        endpoint="collaboration_portfolios.park",
        export_endpoint="collaboration_portfolios.park_export",
        url_args={},
        filename="collaborations-park",
    )


def _choices(portfolio: Portfolio) -> dict:
    """The filters' options: one statement for each list the form offers (a company is
    typed, not chosen from the park's two thousand), kept in the shared cache."""
    chinese = str(get_locale()).startswith("zh")
    parts = [sorted(portfolio.facets & {"faculty", "university"}), portfolio.faculties_of, chinese]
    return listing.choices(parts, lambda: _read_choices(portfolio, chinese))


def _read_choices(portfolio: Portfolio, chinese: bool) -> dict:
    chosen: dict = {}
    if "faculty" in portfolio.facets:
        stmt = sa.select(Faculty.id, Faculty.name_en, Faculty.name_zh, University.code).join(
            University, University.id == Faculty.university_id
        )
        if portfolio.faculties_of is not None:
            stmt = stmt.where(Faculty.university_id == portfolio.faculties_of)
        chosen["faculties"] = [
            (row.id, f"{row.code} · {row.name_zh if chinese else row.name_en}")
            for row in db.session.execute(stmt.order_by(University.code, Faculty.name_en))
        ]
    if "university" in portfolio.facets:
        chosen["universities"] = [
            (row.id, row.code)
            for row in db.session.execute(
                sa.select(University.id, University.code).order_by(University.code)
            )
        ]
    return chosen


def show(portfolio: Portfolio, template: str = "collaborations/portfolio.html", **extra):
    """The portfolio's page: a page of records, its totals and the KT table. Those are the
    same for everyone who may see the portfolio's scope, and are kept in the shared cache
    (listing.py) under the records' conditions, the query string and the language."""
    filters = filters_from(request.args)
    sorting = sorting_from_request(queries.SORTS, "-start")
    key = conditions_key(portfolio.scope, filters)
    figures = totals(portfolio.scope, filters, key)
    number = page_from_request()

    def render() -> str:
        stmt = apply_sorting(
            queries.list_statement(portfolio.scope, filters),
            sorting,
            queries.SORTS,
            Collaboration.id.desc(),
        )
        # The totals count the same records: no second count for the pages.
        page = db.paginate(
            stmt, page=number, per_page=queries.PAGE_SIZE, error_out=False, count=False
        )
        page.total = figures.overall[0]
        return render_template(
            "collaborations/_portfolio_results.html",
            portfolio=portfolio,
            page=page,
            sorting=sorting,
            totals=figures,
            kt_lines=knowledge_transfer(figures),
        )

    return render_template(
        template,
        portfolio=portfolio,
        filters=filters,
        sorting=sorting,
        results=listing.results(
            key, portfolio.endpoint, request.query_string, str(get_locale()), number, render
        ),
        has_records=figures.overall[0] > (number - 1) * queries.PAGE_SIZE,
        choices=_choices(portfolio),
        **extra,
    )


# `?table=`: the records (with the figures as a second sheet of a workbook), or the figures.
EXPORT_TABLES = ("records", "summary")


def export(portfolio: Portfolio, fmt: str):
    """The portfolio's records or its figures as CSV or Excel, with the page's filters."""
    if fmt not in FORMATS:
        abort(404)
    table = request.args.get("table", "records")
    if table not in EXPORT_TABLES:
        raise InvalidInput(_("Choose the records or the summary to export."))
    filters = filters_from(request.args)
    figures = totals(portfolio.scope, filters)
    if table == "summary":
        return export_response(summary_export(portfolio.caption, portfolio.filename, figures), fmt)
    return export_response(
        portfolio_export(portfolio.caption, portfolio.filename, portfolio.scope, filters, figures),
        fmt,
    )


bp = Blueprint("collaboration_portfolios", __name__)


@bp.context_processor
def words():
    return {"L": labels}


def _university(university_id: int) -> University:
    university = db.get_or_404(University, university_id)
    require("collaboration.list_university", university)
    return university


@bp.get("/universities/<int:university_id>/collaborations")
@login_required
def university(university_id: int):
    return show(university_portfolio(_university(university_id)))


@bp.get("/universities/<int:university_id>/collaborations.<fmt>")
@login_required
def university_export(university_id: int, fmt: str):
    return export(university_portfolio(_university(university_id)), fmt)


@bp.get("/collaborations")
@login_required
def park():
    require("collaboration.list_park")
    return show(park_portfolio())


@bp.get("/collaborations.<fmt>")
@login_required
def park_export(fmt: str):
    require("collaboration.list_park")
    return export(park_portfolio(), fmt)


@bp.get("/companies/<slug>/collaborations.<fmt>")
@login_required
def company_export(slug: str, fmt: str):
    company = db.session.scalar(sa.select(Company).where(Company.slug == slug))
    if company is None:
        abort(404)
    require("collaboration.company_list", company)
    return export(company_portfolio(company), fmt)
