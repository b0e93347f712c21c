"""The dashboard read from the summaries is the dashboard read from the raw rows: every
figure, breakdown row, month and median, for every viewer, year and cohort filter."""

from __future__ import annotations

from datetime import date

import pytest

from foundry.universities.models import StudyLevel
from tests.reports.summaries.helpers import both_ways, out_of_step

VIEWERS = ("dean_a1", "officer_a2", "dean_b1", "coordinator_a", "coordinator_b", "park_admin")


def cohorts(known) -> list[dict]:
    return [
        {},
        {"university_id": known.uni_a.id},
        {"faculty_id": known.fac_a1.id},
        {"programme_id": known.pa1.id},
        {"programme_id": known.pa1b.id},
        {"study_level": StudyLevel.UG},
        {"study_level": StudyLevel.PHD},
        {"graduation_year": 2026},
        {"graduation_year": 2027},
        {"non_local": True},
        {"non_local": False},
        {"faculty_id": known.fac_a1.id, "study_level": StudyLevel.PG, "graduation_year": 2027},
    ]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_viewer_cohort_and_year_gets_the_raw_figures(known, viewer):
    user = getattr(known, viewer)
    compared = 0
    for year in (2023, 2024, 2025, 2026):
        for cohort in cohorts(known):
            from_summaries, from_raw = both_ways(user, year, **cohort)
            assert from_summaries == from_raw, (viewer, year, cohort)
            compared += 1
    assert compared == 48


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_year_so_far_against_the_same_days_gets_the_raw_figures(known, viewer):
    # Nothing in the data set happens after 1 Sep 2026 (HKT): 2026/27 so far is its whole
    # row in the summaries; the same days of 2025/26 come from the raw rows.
    user = getattr(known, viewer)
    days = (
        date(2026, 9, 1),
        date(2026, 12, 6),
        date(2027, 3, 1),
        date(2027, 3, 3),
        date(2027, 8, 30),
    )
    for today in days:
        for cohort in cohorts(known):
            from_summaries, from_raw = both_ways(user, 2026, today, **cohort)
            assert from_summaries.previous_filter.part_of_year
            assert from_summaries == from_raw, (viewer, today, cohort)


def test_the_data_set_leaves_the_summaries_exact(known):
    assert out_of_step() == {}


def test_the_summaries_are_what_the_hand_count_says(known):
    # The dean of A1 in 2025/26 (tests/reports/test_metrics.py counts these by hand).
    from_summaries, _ = both_ways(known.dean_a1, 2025)
    assert (from_summaries.applied.value, from_summaries.applied.previous) == (4, 3)
    assert (from_summaries.placed.value, from_summaries.placed.previous) == (4, 1)
    assert from_summaries.median_days_to_placement.value == 44.0
