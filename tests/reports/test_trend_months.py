"""A custom range that starts mid-month shares that month with the previous period: each
trend counts only its own period's applications and placements."""

from __future__ import annotations

from datetime import UTC, date, datetime

from foundry.accounts.models import Role
from foundry.placements.models import Placement
from foundry.policy import report_scope
from foundry.reports.filters import ReportFilter
from foundry.reports.metrics import dashboard
from tests import factories as f


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_a_month_shared_with_the_previous_period_is_split_between_the_two_trends(db):
    faculty = f.FacultyFactory()
    dean = f.staff(Role.DEAN, faculty)
    profile = f.profile_of(f.student(faculty))
    before, during = f.PostingFactory(), f.PostingFactory()
    # 2 Sep 2025 (HKT) is in the previous period (6 Aug – 4 Sep); 10 Sep 2025 in this one.
    f.ApplicationFactory(profile=profile, posting=before, submitted_at=at(2025, 9, 2, 4))
    f.ApplicationFactory(profile=profile, posting=during, submitted_at=at(2025, 9, 10, 4))
    db.session.add(
        Placement(profile_id=profile.id, company_id=before.company_id, placed_at=at(2025, 9, 3, 4))
    )
    db.session.commit()

    f_range = ReportFilter.for_days(date(2025, 9, 5), date(2025, 10, 4))
    d = dashboard(f_range, report_scope(dean))

    assert f_range.previous().start == datetime(2025, 8, 5, 16, tzinfo=UTC)  # 6 Aug HKT
    assert [(p.month, p.applications, p.placements) for p in d.trend] == [
        ("2025-09", 1, 0),
        ("2025-10", 0, 0),
    ]
    assert [(p.month, p.applications, p.placements) for p in d.previous_trend] == [
        ("2025-08", 0, 0),
        ("2025-09", 1, 1),
    ]
