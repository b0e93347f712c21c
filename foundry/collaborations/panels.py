"""Collaborations shown on other domains' pages, to those allowed to see them: a panel on
a company's page and on the placement dashboard (how many records by status, the newest,
how far their student participants went with the partner companies, a link to the
portfolio), and on a posting's or a programme's page the records it came from.

Other templates reach these through template globals (registered in routes.py), so that
their views need not change: the panel asks the policy for its scope and answers None to
anyone who may not see it. A panel costs two statements, whatever the numbers, and none
while the figures are in the dashboards' shared cache (foundry/reports/cache.py): the
hiring totals read every application of the scope's participants (a large faculty's
thousands), so the panel keeps them until a committed write changes what they count.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from flask_login import current_user

from foundry import policy
from foundry.applications.models import Application
from foundry.collaborations import queries
from foundry.collaborations.links import records_linked_to
from foundry.collaborations.models import (
    Collaboration,
    CollaborationStatus,
    CompanyParty,
    FacultyParty,
    StudentParticipant,
)
from foundry.extensions import db
from foundry.placements.models import Placement
from foundry.reports import cache
from foundry.reports.sql import hk_day_start

# What the panel reads beside applications and placements (which the cache follows).
cache.watch(Collaboration, FacultyParty, CompanyParty, StudentParticipant)

NEWEST = 5


@dataclass(frozen=True)
class Panel:
    by_status: list[tuple[CollaborationStatus, int]]
    newest: list[tuple[int, str, CollaborationStatus]]
    # Distinct student participants who, since their record started, applied to,
    # interviewed with, were offered and were placed at one of its companies.
    hiring: dict[str, int]
    portfolio_url: str | None

    @property
    def count(self) -> int:
        return sum(n for _status, n in self.by_status)


def _hiring_totals(scope: sa.ColumnElement[bool]) -> dict[str, int]:
    """One statement: the participants' (student, partner company, since) pairs first, then
    each of those students' applications and placements reduced to their latest moment at
    each company (read through the applications' and placements' profile indexes), joined
    on the pairs. Latest, not first: a student interviewed before the record started and
    again during it counts."""
    participants = (
        sa.select(
            StudentParticipant.profile_id,
            CompanyParty.company_id,
            # From the Hong Kong midnight starting the first record's day: the stored
            # times are UTC, and 02:00 in Hong Kong is still the day before in UTC.
            hk_day_start(sa.func.min(Collaboration.start_date)).label("since"),
        )
        .join(Collaboration, Collaboration.id == StudentParticipant.collaboration_id)
        .join(CompanyParty, CompanyParty.collaboration_id == Collaboration.id)
        .where(scope)
        .group_by(StudentParticipant.profile_id, CompanyParty.company_id)
        .cte("participants")
    )
    students = sa.select(participants.c.profile_id)
    latest = (
        sa.select(
            Application.profile_id,
            Application.company_id,
            sa.func.max(Application.submitted_at).label("applied"),
            sa.func.max(Application.interviewed_at).label("interviewed"),
            sa.func.max(Application.offered_at).label("offered"),
        )
        .where(Application.profile_id.in_(students))
        .group_by(Application.profile_id, Application.company_id)
        .subquery()
    )
    placed = (
        sa.select(sa.func.count(sa.distinct(participants.c.profile_id)))
        .join(
            Placement,
            sa.and_(
                Placement.profile_id == participants.c.profile_id,
                Placement.company_id == participants.c.company_id,
            ),
        )
        .where(Placement.placed_at >= participants.c.since)
        .scalar_subquery()
    )

    def reached(at):
        return sa.func.count(
            sa.distinct(sa.case((at >= participants.c.since, latest.c.profile_id)))
        )

    row = db.session.execute(
        sa.select(
            reached(latest.c.applied),
            reached(latest.c.interviewed),
            reached(latest.c.offered),
            placed,
        )
        .select_from(participants)
        .join(
            latest,
            sa.and_(
                latest.c.profile_id == participants.c.profile_id,
                latest.c.company_id == participants.c.company_id,
            ),
        )
    ).one()
    return dict(zip(queries.STAGES, (int(n or 0) for n in row), strict=True))


Figures = tuple[
    list[tuple[CollaborationStatus, int]], list[tuple[int, str, CollaborationStatus]], dict
]


def _figures(scope: policy.CollaborationScope) -> Figures:
    """Two statements: the counts by status and the newest records in one (each record
    ranked newest first and within its status, each status counted; the rows kept are the
    newest and one per status, at most NEWEST + a row per status), then the participants'
    hiring totals."""
    where = queries.in_scope(scope)
    ranked = (
        sa.select(
            Collaboration.id,
            Collaboration.title,
            Collaboration.status,
            sa.func.row_number()
            .over(order_by=(Collaboration.start_date.desc(), Collaboration.id.desc()))
            .label("rank"),
            sa.func.row_number()
            .over(partition_by=Collaboration.status, order_by=Collaboration.id)
            .label("in_status"),
            sa.func.count().over(partition_by=Collaboration.status).label("of_status"),
        )
        .where(where)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(ranked)
        .where(sa.or_(ranked.c.rank <= NEWEST, ranked.c.in_status == 1))
        .order_by(ranked.c.rank)
    ).all()
    by_status = {row.status: row.of_status for row in rows}
    order = list(CollaborationStatus)
    newest = [(row.id, row.title, row.status) for row in rows if row.rank <= NEWEST]
    return (
        sorted(by_status.items(), key=lambda r: order.index(r[0])),
        newest,
        _hiring_totals(where),
    )


def _encode(figures: Figures) -> list:
    by_status, newest, hiring = figures
    return [
        [[status.value, n] for status, n in by_status],
        [[id_, title, status.value] for id_, title, status in newest],
        hiring,
    ]


def _decode(value: list) -> Figures:
    by_status, newest, hiring = value
    return (
        [(CollaborationStatus(status), n) for status, n in by_status],
        [(id_, title, CollaborationStatus(status)) for id_, title, status in newest],
        hiring,
    )


def _scope_parts(scope: policy.CollaborationScope) -> list:
    def ids(values):
        return None if values is None else sorted(values)

    return [ids(scope.university_ids), ids(scope.faculty_ids), scope.company_id, scope.shared_only]


def panel(scope: policy.CollaborationScope, portfolio_url: str | None) -> Panel:
    """The panel of the records in `scope`, its figures from the shared cache when they are
    there and still current."""
    by_status, newest, hiring = cache.figures(
        "collaborations-panel", _scope_parts(scope), lambda: _figures(scope), _encode, _decode
    )
    return Panel(by_status=by_status, newest=newest, hiring=hiring, portfolio_url=portfolio_url)


def company_panel(company) -> Panel | None:
    """The company page's panel: its members and the park admin (its portfolio's scope)."""
    if not policy.can(current_user, "collaboration.company_list", company):
        return None
    scope = policy.collaboration_scope(current_user, company=company)
    return panel(scope, url_for("collaboration_proposals.company_list", slug=company.slug))


def dashboard_panel() -> Panel | None:
    """The placement dashboard's panel: the records of the faculties and universities the
    reader reports on, with a link to the portfolio that holds them."""
    if not policy.can(current_user, "reports.view"):
        return None
    scope = policy.collaboration_report_scope(current_user)
    return panel(scope, _portfolio_url(scope))


def _portfolio_url(scope: policy.CollaborationScope) -> str | None:
    if scope.university_ids is None and scope.faculty_ids is None:
        return url_for("collaboration_portfolios.park")
    if scope.faculty_ids is not None and len(scope.faculty_ids) == 1:
        return url_for("collaborations.portfolio", faculty_id=next(iter(scope.faculty_ids)))
    if scope.university_ids is not None and len(scope.university_ids) == 1:
        return url_for(
            "collaboration_portfolios.university", university_id=next(iter(scope.university_ids))
        )
    return None


def records_from(obj) -> list[Collaboration]:
    """The records a posting or a programme came from that the viewer may see."""
    return records_linked_to(current_user, obj)
