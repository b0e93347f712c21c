"""The dashboard's links to the lists behind its figures are built from one url_for per
period: each must be the very URL url_for gives for its figure."""

from __future__ import annotations

import pytest
from flask import url_for

from foundry.reports.filters import ReportFilter
from foundry.reports.routes import _drill_url
from foundry.universities.models import StudyLevel

KEYS = (
    "applied",
    "placed",
    "cluster:ai_robotics",
    "placed:company:1234",
    "programme:none",
    "placed:month:2025-09",
    "kind:summer_internship",
    "odd key/with ? & = + %",
)


@pytest.mark.parametrize(
    "period",
    [
        ReportFilter.for_academic_year(2025),
        ReportFilter.for_academic_year(2025, faculty_id=3, study_level=StudyLevel.UG),
        ReportFilter.for_academic_year(2024, graduation_year=2026, non_local=True),
    ],
)
def test_each_link_is_what_url_for_gives(app, period):
    with app.test_request_context("/reports/placements"):
        drill = _drill_url(period)
        for key in KEYS:
            assert drill(key) == url_for("reports.drilldown", figure=key, **period.query_args())
