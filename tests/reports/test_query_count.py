"""The dashboard, a drill-down page and the outcomes issue a fixed number of statements,
whatever the amount of data (aggregates in SQL, no loop over rows)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from foundry.accounts.models import Role
from foundry.applications.models import ApplicationStatus
from foundry.extensions import db
from foundry.policy import report_scope
from foundry.reports.drilldown import drilldown_page
from foundry.reports.figures import parse_figure
from foundry.reports.filters import ReportFilter
from foundry.reports.metrics import dashboard
from foundry.reports.outcomes import graduate_outcomes, outcome_rows
from tests import factories as f
from tests.placements import factories as pf
from tests.statements import recorded_statements

START = datetime(2025, 9, 15, tzinfo=UTC)


def add_applications(faculty, students: int, postings: int) -> None:
    """students x postings applications, every other one interviewed, offered, placed."""
    posts = [f.PostingFactory() for _ in range(postings)]
    for s in range(students):
        profile = f.profile_of(f.student(faculty))
        for p, posting in enumerate(posts):
            at = START + timedelta(days=s + p)
            reached = (s + p) % 2 == 0
            application = f.ApplicationFactory(
                profile=profile,
                posting=posting,
                submitted_at=at,
                interviewed_at=at + timedelta(days=3) if reached else None,
                offered_at=at + timedelta(days=6) if reached else None,
                status=ApplicationStatus.ACCEPTED if reached else ApplicationStatus.REJECTED,
            )
            if reached:
                pf.placement_from(application, at + timedelta(days=8))
    db.session.commit()


def statements_for(scope, period):
    with recorded_statements() as statements:
        dashboard(period, scope)
    with recorded_statements() as listing:
        drilldown_page(parse_figure("placed"), period, scope)
        outcome_rows(2027, period, scope)
        graduate_outcomes(2027, period, scope)
    return len(statements), len(listing)


def test_the_same_number_of_statements_for_10_and_200_applications(db):
    faculty = f.FacultyFactory()
    dean = f.staff(Role.DEAN, faculty)
    scope = report_scope(dean)
    period = ReportFilter.for_academic_year(2025)
    add_applications(faculty, students=5, postings=2)
    few = statements_for(scope, period)
    assert dashboard(period, scope).applied.value == 5
    add_applications(faculty, students=20, postings=10)  # 200 more
    many = statements_for(scope, period)
    assert dashboard(period, scope).applied.value == 25
    assert few == many
    assert few == (3, 1 + 1 + 1)
