"""Median days to placement counts from the first application within the 365 days before
the placement, not from the student's first application ever."""

from __future__ import annotations

from datetime import UTC, datetime

from foundry.accounts.models import Role
from foundry.placements.models import Placement
from foundry.policy import report_scope
from foundry.reports.filters import ReportFilter
from foundry.reports.metrics import dashboard
from tests import factories as f


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_an_application_more_than_365_days_before_the_placement_is_not_its_start(db):
    faculty = f.FacultyFactory()
    dean = f.staff(Role.DEAN, faculty)
    old, recent, placed = f.PostingFactory(), f.PostingFactory(), f.PostingFactory()
    # u: applied 2023-10-01 (more than a year before), then 2025-10-01, placed 2025-12-01
    u = f.profile_of(f.student(faculty))
    f.ApplicationFactory(profile=u, posting=old, submitted_at=at(2023, 10, 1))
    f.ApplicationFactory(profile=u, posting=recent, submitted_at=at(2025, 10, 1))
    # v: applied exactly 365 days before the placement (kept), and earlier (ignored)
    v = f.profile_of(f.student(faculty))
    f.ApplicationFactory(profile=v, posting=old, submitted_at=at(2024, 1, 1))
    f.ApplicationFactory(profile=v, posting=placed, submitted_at=at(2025, 1, 10))
    # w: only an application 366 days before the placement: left out
    w = f.profile_of(f.student(faculty))
    f.ApplicationFactory(profile=w, posting=old, submitted_at=at(2024, 12, 1))
    for profile, day in ((u, at(2025, 12, 1)), (v, at(2026, 1, 10)), (w, at(2025, 12, 2))):
        db.session.add(
            Placement(profile_id=profile.id, company_id=placed.company_id, placed_at=day)
        )
    db.session.commit()

    d = dashboard(ReportFilter.for_academic_year(2025), report_scope(dean))

    # u: 2025-10-01 -> 2025-12-01 = 61 days (not 792 from 2023-10-01)
    # v: 2025-01-10 -> 2026-01-10 = 365 days (2024-01-01 is 740 days before: ignored)
    # w: 2024-12-01 -> 2025-12-02 = 366 days: no application in the window, left out
    # median of 61 and 365 = 213
    assert d.median_days_to_placement.value == 213.0
    assert d.placed.value == 3
