"""Graduate outcomes (NACE first destination) of the class of 2026 in
tests/reports/dataset.py, counted by hand.

Class of 2026 in faculty A1: s1 s2 s4 s5 s8 s10 s11 (s3 and s9 graduate in 2027).
  s1  no information: its only placement (pl1, summer) starts on 1 June, before 1 July
  s2  employed full-time: pl3, a graduate role recorded by staff, beats pl2 (an internship
      starting 15 July) -- found outside the portal
  s4  continuing education: recorded by staff (graduate survey)
  s5  employed full-time: pl4, research assistant on the portal
  s8  no information: pl6 is a part-time internship that started in February
  s10 post-graduate internship: pl7 starts on 1 July exactly
  s11 still seeking: recorded by staff, which beats pl8 (a year-long placement from 1 Sep)
Faculty A2 adds s6 (not seeking, recorded); university B adds s7 (self-employed, recorded,
which beats pl5, a graduate role).
"""

from __future__ import annotations

import pytest

from foundry.errors import InvalidInput
from foundry.policy import report_scope
from foundry.reports.filters import ReportFilter, ReportScope
from foundry.reports.outcomes import (
    class_year_for,
    graduate_outcomes,
    iter_outcome_rows,
    outcome_rows,
)
from foundry.universities.models import StudyLevel

YEAR = ReportFilter.for_academic_year(2025)


def counts(summary):
    return {key: n for key, n in summary.counts.items() if n}


def test_the_deans_class_of_2026(known):
    summary = graduate_outcomes(2026, YEAR, report_scope(known.dean_a1))
    assert counts(summary) == {
        "employed_full_time": 2,  # s2 s5
        "postgrad_internship": 1,  # s10
        "continuing_education": 1,  # s4
        "seeking": 1,  # s11
        "no_information": 2,  # s1 s8
    }
    assert summary.graduates == 7
    assert summary.known == 5
    assert summary.knowledge_rate == pytest.approx(5 / 7)
    # (employed 2 + internship 1 + education 1) / (known 5 - not seeking 0)
    assert summary.career_outcomes == 4
    assert summary.career_outcomes_rate == pytest.approx(4 / 5)
    assert summary.recorded_off_portal == 3  # s2 (recorded placement), s4, s11
    assert [(row.key, row.count) for row in summary.rows][-1] == ("no_information", 2)
    assert summary.rows[0].label == "Employed full-time"
    assert summary.rows[0].share == pytest.approx(2 / 7)


def test_the_coordinators_class_of_2026_adds_not_seeking(known):
    summary = graduate_outcomes(2026, YEAR, report_scope(known.coordinator_a))
    assert summary.counts["not_seeking"] == 1  # s6
    assert (summary.graduates, summary.known) == (8, 6)
    assert summary.knowledge_rate == pytest.approx(6 / 8)
    # not seeking leaves the denominator: 4 / (6 - 1)
    assert summary.career_outcomes_rate == pytest.approx(4 / 5)
    assert summary.recorded_off_portal == 4


def test_the_parks_class_of_2026(known):
    summary = graduate_outcomes(2026, YEAR, ReportScope())
    assert counts(summary) == {
        "employed_full_time": 2,
        "self_employed": 1,  # s7: recorded by staff, beats the graduate role pl5
        "postgrad_internship": 1,
        "continuing_education": 1,
        "seeking": 1,
        "not_seeking": 1,
        "no_information": 2,
    }
    assert (summary.graduates, summary.known, summary.career_outcomes) == (9, 7, 5)
    assert summary.career_outcomes_rate == pytest.approx(5 / 6)
    assert summary.knowledge_rate == pytest.approx(7 / 9)
    assert summary.recorded_off_portal == 5


def test_cohort_filters_apply_and_the_period_does_not(known):
    dean = report_scope(known.dean_a1)
    msc = ReportFilter.for_academic_year(2019, programme_id=known.pa1b.id)
    assert counts(graduate_outcomes(2026, msc, dean)) == {"seeking": 1}  # s11
    phd = ReportFilter.for_academic_year(2025, study_level=StudyLevel.PHD)
    assert counts(graduate_outcomes(2026, phd, dean)) == {"employed_full_time": 1}  # s5
    # the class year wins over a graduation-year filter
    other_year = ReportFilter.for_academic_year(2025, graduation_year=2027)
    assert graduate_outcomes(2026, other_year, dean).graduates == 7


def test_a_class_with_no_information_has_no_career_rate(known):
    summary = graduate_outcomes(2027, YEAR, report_scope(known.dean_a1))
    assert counts(summary) == {"no_information": 2}  # s3 s9
    assert (summary.knowledge_rate, summary.career_outcomes_rate) == (0.0, None)
    assert graduate_outcomes(1999, YEAR, ReportScope()).knowledge_rate is None


def test_the_rows_behind_each_outcome_say_where_it_comes_from(known):
    dean = report_scope(known.dean_a1)
    employed, total = outcome_rows(2026, YEAR, dean, "employed_full_time")
    assert total == 2
    s2, s5 = employed
    assert (s2.profile_id, s2.source, s2.off_portal) == (
        known.s2.id,
        "placement recorded by staff",
        True,
    )
    assert (s2.employer, s2.role, s2.placement_id) == (
        "MTR Corporation",
        "Graduate Engineer",
        known.pl3.id,
    )
    assert (s5.profile_id, s5.source, s5.off_portal) == (known.s5.id, "portal placement", False)
    assert (s5.employer, s5.placement_id) == ("Gamma Health", known.pl4.id)
    (s4,), _ = outcome_rows(2026, YEAR, dean, "continuing_education")
    assert (s4.source, s4.institution, s4.found_via, s4.off_portal) == (
        "recorded by staff (found via graduate survey)",
        "HKUST",
        "graduate survey",
        True,
    )
    unknown, _ = outcome_rows(2026, YEAR, dean, "no_information")
    assert [(r.profile_id, r.source, r.employer) for r in unknown] == [
        (known.s1.id, None, None),
        (known.s8.id, None, None),
    ]


def test_all_graduates_page_sort_and_stream(known):
    dean = report_scope(known.dean_a1)
    everyone, total = outcome_rows(2026, YEAR, dean, None, "name", 1, 50)
    assert total == 7
    assert [r.student_name[:3] for r in everyone] == [
        "S01",
        "S02",
        "S04",
        "S05",
        "S08",
        "S10",
        "S11",
    ]
    first, _ = outcome_rows(2026, YEAR, dean, None, "-name", 1, 2)
    assert [r.student_name[:3] for r in first] == ["S11", "S10"]
    by_outcome, _ = outcome_rows(2026, YEAR, dean, None, "outcome")
    assert [r.outcome for r in by_outcome][:2] == ["continuing_education", "employed_full_time"]
    for sort in ("email", "programme", "level", "employer", "-employer"):
        rows, _ = outcome_rows(2026, YEAR, dean, None, sort)
        assert sorted(r.profile_id for r in rows) == sorted(r.profile_id for r in everyone)
    assert list(iter_outcome_rows(2026, YEAR, dean)) == everyone


@pytest.mark.parametrize("key", ["unknown", "employed", "' OR 1=1 --", ""])
def test_unknown_outcomes_are_refused(known, key):
    with pytest.raises(InvalidInput):
        outcome_rows(2026, YEAR, ReportScope(), key)


@pytest.mark.parametrize("sort", ["id", "name desc", "--name"])
def test_unknown_outcome_sorts_are_refused(known, sort):
    with pytest.raises(InvalidInput):
        outcome_rows(2026, YEAR, ReportScope(), None, sort)


def test_the_class_a_period_reports_on():
    assert class_year_for(ReportFilter.for_academic_year(2025)) == 2026
    from datetime import date

    assert class_year_for(ReportFilter.for_days(date(2026, 1, 1), date(2026, 12, 31))) == 2026
