"""The event-to-hire funnel's pages: the organiser's (the whole event, every exhibitor's
row, the figures the park publishes) and an exhibiting company's (its own funnel, only
the students who came to its booth or applied to it). Every figure opens the list of
students behind it, within the same scope.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request, url_for
from flask_login import login_required

from foundry.accounts.models import User
from foundry.applications.models import Application
from foundry.companies.models import Company
from foundry.extensions import db
from foundry.i18n import lazy_gettext as _l
from foundry.programmes.fairs.meetings import booth_visitor_ids
from foundry.programmes.fairs.models import ExhibitorStatus, FairExhibitor
from foundry.programmes.funnel import (
    COMPANY_STAGES,
    STAGES,
    funnel,
    funnel_by_company,
    published_figures,
    stage_members,
)
from foundry.programmes.models import Programme
from foundry.programmes.organiser_queries import RowPage
from foundry.reports.charts import bar_width, percent
from foundry.students.models import StudentProfile
from foundry.universities.models import Faculty, University
from foundry.web import page_from_request, require

bp = Blueprint("programme_funnel", __name__)

STAGE_LABELS = {
    "registered": _l("Registered"),
    "attended": _l("Attended"),
    "met": _l("Met a company"),
    "applied": _l("Applied within 30 days"),
    "interviewed": _l("Interviewed"),
    "offered": _l("Offered"),
    "placed": _l("Placed within 90 days"),
}
PER_PAGE = 50


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int
    width: int  # the bar's length, in percent of the first stage
    of_before: str  # the share of the stage before, as text ("" for the first)


def _stages(counts: dict[str, int], keys=STAGES) -> list[Stage]:
    peak, rows, before = max(counts.values(), default=0), [], None
    for key in keys:
        share = "" if before is None else percent(counts[key] / before if before else None)
        rows.append(
            Stage(key, str(STAGE_LABELS[key]), counts[key], bar_width(counts[key], peak), share)
        )
        before = counts[key]
    return rows


# The funnel's pages never show who may register: the eligibility lists load only if read.
NOT_ELIGIBILITY = [
    sa.orm.lazyload(Programme.universities),
    sa.orm.lazyload(Programme.faculties),
    sa.orm.lazyload(Programme.levels),
]


def _fair(programme_id: int, action: str = "programme.edit") -> Programme:
    programme = db.get_or_404(Programme, programme_id, options=NOT_ELIGIBILITY)
    require(action, programme)
    if not programme.sessions:
        abort(404)
    return programme


def _company_scope(company: Company, programme: Programme) -> tuple[FairExhibitor, list[int]]:
    """The company's exhibitor row at the fair (404 if it did not exhibit) and the students
    it may see: those who came to its booth, and those who applied to it."""
    exhibitor = db.session.scalar(
        sa.select(FairExhibitor).where(
            FairExhibitor.programme_id == programme.id,
            FairExhibitor.company_id == company.id,
            FairExhibitor.status == ExhibitorStatus.APPROVED,
        )
    )
    if exhibitor is None:
        abort(404)
    applicants = db.session.scalars(
        sa.select(Application.profile_id).where(Application.company_id == company.id).distinct()
    )
    return exhibitor, sorted(booth_visitor_ids(exhibitor) | set(applicants))


def _students(programme, stage, company_id, profile_ids) -> RowPage:
    if stage not in STAGES:
        abort(404)
    members = stage_members(programme, stage, company_id, profile_ids).subquery()
    stmt = (
        sa.select(
            User.display_name,
            University.code,
            Faculty.name_en,
            Faculty.name_zh,
            StudentProfile.graduation_year,
        )
        .select_from(StudentProfile)
        .join(members, members.c.profile_id == StudentProfile.id)
        .join(User, User.id == StudentProfile.user_id)
        .join(University, University.id == StudentProfile.university_id)
        .join(Faculty, Faculty.id == StudentProfile.faculty_id)
        .order_by(User.display_name, StudentProfile.id)
    )
    return RowPage(stmt, page_from_request(), PER_PAGE)


# --- the organiser's --------------------------------------------------------------------------


@bp.get("/organise/programmes/<int:programme_id>/funnel")
@login_required
def organiser_funnel(programme_id: int):
    programme = _fair(programme_id)
    exhibitors = db.session.execute(
        sa.select(FairExhibitor.company_id, FairExhibitor.booth, Company.name)
        .join(Company, Company.id == FairExhibitor.company_id)
        .where(
            FairExhibitor.programme_id == programme.id,
            FairExhibitor.status == ExhibitorStatus.APPROVED,
        )
        .order_by(FairExhibitor.booth, Company.name)
    ).all()
    by_company = funnel_by_company(programme)
    empty = dict.fromkeys(COMPANY_STAGES, 0)
    rows = [
        (name, booth, company_id, by_company.get(company_id, empty))
        for company_id, booth, name in exhibitors
    ]
    rows.sort(key=lambda row: (-row[3]["met"], row[0]))
    return render_template(
        "programmes/funnel/organiser.html",
        programme=programme,
        stages=_stages(funnel(programme)),
        figures=published_figures(programme),
        rows=rows,
        company_stages=COMPANY_STAGES,
        stage_labels=STAGE_LABELS,
        list_url=lambda stage, company=None: url_for(
            ".organiser_list", programme_id=programme.id, stage=stage, company=company
        ),
    )


@bp.get("/organise/programmes/<int:programme_id>/funnel/<stage>")
@login_required
def organiser_list(programme_id: int, stage: str):
    programme = _fair(programme_id)
    company_id = request.args.get("company", type=int)
    company = db.session.get(Company, company_id) if company_id else None
    return render_template(
        "programmes/funnel/students.html",
        programme=programme,
        stage_label=STAGE_LABELS.get(stage, ""),
        company=company,
        page=_students(programme, stage, company_id, None),
        back_url=url_for(".organiser_funnel", programme_id=programme.id),
    )


# --- an exhibiting company's --------------------------------------------------------------


@bp.get("/company/<slug>/fairs/<int:programme_id>/funnel")
@login_required
def company_funnel(slug: str, programme_id: int):
    company = db.first_or_404(sa.select(Company).where(Company.slug == slug))
    require("fair.manage_booth", company)
    programme = _fair(programme_id, "programme.view")
    _exhibitor, visible = _company_scope(company, programme)
    return render_template(
        "programmes/funnel/company.html",
        programme=programme,
        company=company,
        stages=_stages(funnel(programme, company.id, visible)),
        list_url=lambda stage: url_for(
            ".company_list", slug=company.slug, programme_id=programme.id, stage=stage
        ),
    )


@bp.get("/company/<slug>/fairs/<int:programme_id>/funnel/<stage>")
@login_required
def company_list(slug: str, programme_id: int, stage: str):
    company = db.first_or_404(sa.select(Company).where(Company.slug == slug))
    require("fair.manage_booth", company)
    programme = _fair(programme_id, "programme.view")
    _exhibitor, visible = _company_scope(company, programme)
    return render_template(
        "programmes/funnel/students.html",
        programme=programme,
        stage_label=STAGE_LABELS.get(stage, ""),
        company=company,
        page=_students(programme, stage, company.id, visible),
        back_url=url_for(".company_funnel", slug=company.slug, programme_id=programme.id),
    )
