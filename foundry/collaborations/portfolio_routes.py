"""The portfolios beyond a faculty's: a university's and the whole park's, and the company
portfolio's exports (its page is the company's collaborations list, in proposal_routes).
Each is the shared portfolio page (foundry/collaborations/portfolios.py) over the scope
the policy gives its reader."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort
from flask_login import login_required

from foundry.collaborations import labels, portfolios
from foundry.companies.models import Company
from foundry.extensions import db
from foundry.universities.models import University
from foundry.web import require

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
    return portfolios.show(portfolios.university_portfolio(_university(university_id)))


@bp.get("/universities/<int:university_id>/collaborations.<fmt>")
@login_required
def university_export(university_id: int, fmt: str):
    return portfolios.export(portfolios.university_portfolio(_university(university_id)), fmt)


@bp.get("/collaborations")
@login_required
def park():
    require("collaboration.list_park")
    return portfolios.show(portfolios.park_portfolio())


@bp.get("/collaborations.<fmt>")
@login_required
def park_export(fmt: str):
    require("collaboration.list_park")
    return portfolios.export(portfolios.park_portfolio(), fmt)


@bp.get("/companies/<slug>/collaborations.<fmt>")
@login_required
def company_export(slug: str, fmt: str):
    company = db.session.scalar(sa.select(Company).where(Company.slug == slug))
    if company is None:
        abort(404)
    require("collaboration.company_list", company)
    return portfolios.export(portfolios.company_portfolio(company), fmt)
