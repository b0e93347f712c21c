"""The viewer's scope from their roles, and the report filter parsed from URL parameters."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from foundry.accounts.models import Role
from foundry.errors import InvalidInput, PermissionDenied
from foundry.policy import report_scope
from foundry.reports.filters import InvalidFilter, ReportFilter, ReportScope
from foundry.reports.parsing import parse_filter
from foundry.universities.models import StudyLevel
from tests import factories as f

TODAY = date(2026, 3, 15)  # in the academic year 2025/26


# --- scope ------------------------------------------------------------------------------


def test_a_dean_reports_on_their_faculty(world):
    scope = report_scope(world.dean_a1)
    assert scope == ReportScope(frozenset({world.uni_a.id}), frozenset({world.fac_a1.id}))


def test_a_coordinator_reports_on_every_faculty_of_their_university(world):
    assert report_scope(world.coordinator_a) == ReportScope(frozenset({world.uni_a.id}), None)


def test_the_park_admin_reports_on_everything(world):
    scope = report_scope(world.park_admin)
    assert scope == ReportScope(None, None)
    assert scope.is_everything


def test_several_roles_add_up(world, db):
    # a dean of B1 who also coordinates university A: all of A, and B1 of B
    user = world.dean_b1
    db.session.add(
        f.MembershipFactory.build(
            user=user, role=Role.UNIVERSITY_COORDINATOR, university_id=world.uni_a.id
        )
    )
    db.session.flush()
    db.session.refresh(user)
    scope = report_scope(user)
    assert scope.university_ids == {world.uni_a.id, world.uni_b.id}
    assert scope.faculty_ids == {world.fac_a1.id, world.fac_a2.id, world.fac_b1.id}


def test_a_dean_who_coordinates_their_own_university_sees_all_of_it(world, db):
    user = world.dean_a1
    db.session.add(
        f.MembershipFactory.build(
            user=user, role=Role.UNIVERSITY_COORDINATOR, university_id=world.uni_a.id
        )
    )
    db.session.flush()
    db.session.refresh(user)
    assert report_scope(user) == ReportScope(frozenset({world.uni_a.id}), None)


@pytest.mark.parametrize("who", ["student_a1", "recruiter_a", "company_admin_a"])
def test_people_without_a_reporting_role_are_refused(world, who):
    with pytest.raises(PermissionDenied):
        report_scope(getattr(world, who))


# --- the period -------------------------------------------------------------------------


def test_the_default_is_the_current_academic_year(world):
    scope = report_scope(world.dean_a1)
    assert parse_filter({}, scope, TODAY).academic_year == 2025
    assert parse_filter({}, scope, date(2026, 9, 1)).academic_year == 2026
    assert parse_filter({}, scope, date(2026, 8, 31)).academic_year == 2025


def test_an_academic_year_runs_from_1_september_in_hong_kong():
    f = ReportFilter.for_academic_year(2025)
    assert f.start == datetime(2025, 8, 31, 16, 0, tzinfo=UTC)
    assert f.end == datetime(2026, 8, 31, 16, 0, tzinfo=UTC)
    assert f.label == "2025/26"
    assert f.previous() == ReportFilter.for_academic_year(2024)
    assert f.previous().label == "2024/25"
    assert ReportFilter.for_academic_year(2099).label == "2099/00"


def test_a_custom_range_counts_whole_hong_kong_days(world):
    f = parse_filter({"from": "2026-03-01", "to": "2026-05-31"}, ReportScope(), date(2026, 6, 1))
    assert f.start == datetime(2026, 2, 28, 16, 0, tzinfo=UTC)
    assert f.end == datetime(2026, 5, 31, 16, 0, tzinfo=UTC)
    assert f.academic_year is None
    assert f.label == "1 Mar 2026 – 31 May 2026"
    assert f.months == ["2026-03", "2026-04", "2026-05"]
    before = f.previous()  # 92 days just before
    assert (before.first_day, before.last_day) == (date(2025, 11, 29), date(2026, 2, 28))
    assert before.end == f.start


def test_a_single_day_is_a_valid_range():
    f = parse_filter({"from": "2026-03-01", "to": "2026-03-01"}, ReportScope(), TODAY)
    assert f.label == "1 Mar 2026 – 1 Mar 2026"
    assert f.previous().last_day == date(2026, 2, 28)


def test_query_args_rebuild_the_filter(world):
    scope = report_scope(world.coordinator_a)
    args = {
        "year": "2024",
        "faculty": str(world.fac_a1.id),
        "programme": str(world.prog_a1.id),
        "level": "ug",
        "grad": "2027",
        "origin": "non_local",
    }
    f = parse_filter(args, scope, TODAY)
    assert f.query_args() == args
    assert parse_filter(f.query_args(), scope, TODAY) == f
    assert f.previous().query_args()["year"] == "2023"
    ranged = parse_filter(
        {"from": "2026-01-01", "to": "2026-01-31", "origin": "local"}, scope, TODAY
    )
    assert ranged.query_args() == {"from": "2026-01-01", "to": "2026-01-31", "origin": "local"}
    assert ranged.non_local is False


def test_empty_parameters_count_as_absent(world):
    scope = report_scope(world.coordinator_a)
    f = parse_filter(
        {"year": "", "from": " ", "to": "", "faculty": "", "level": "", "origin": ""},
        scope,
        TODAY,
    )
    assert f == ReportFilter.for_academic_year(2025, today=TODAY)


def test_cohort_values_are_parsed(world):
    f = parse_filter({"level": "phd", "grad": "2026", "origin": "local"}, ReportScope(), TODAY)
    assert (f.study_level, f.graduation_year, f.non_local) == (StudyLevel.PHD, 2026, False)


@pytest.mark.parametrize(
    ("args", "parameter", "message"),
    [
        ({"year": "1800"}, "year", "from 2000 to 2027"),
        ({"year": "2028"}, "year", "from 2000 to 2027"),
        ({"year": "twenty"}, "year", "academic year"),
        ({"year": "2025.0"}, "year", "academic year"),
        ({"year": "-2025"}, "year", "academic year"),
        ({"year": "２０２５"}, "year", "academic year"),  # full-width digits
        ({"year": "٢٠٢٥"}, "year", "academic year"),  # Arabic-Indic digits
        ({"year": "9" * 5000}, "year", "academic year"),
        ({"from": "2026-03-01"}, "to", "end date"),
        ({"to": "2026-03-01"}, "from", "start date"),
        ({"from": "2026-05-01", "to": "2026-03-01"}, "to", "before the start date"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "to", "at most five years"),
        ({"from": "1800-01-01", "to": "2026-01-01"}, "from", "start date"),
        ({"from": "2026-02-30", "to": "2026-03-01"}, "from", "start date"),
        ({"from": "2026-03-01", "to": "01/04/2026"}, "to", "end date"),
        ({"from": "20260301", "to": "2026-04-01"}, "from", "start date"),
        ({"level": "master"}, "level", "Unknown study level"),
        ({"level": "ug' OR '1'='1"}, "level", "Unknown study level"),
        ({"grad": "1800"}, "grad", "graduation year"),
        ({"grad": "2026; DROP TABLE users"}, "grad", "graduation year"),
        ({"origin": "mars"}, "origin", "Unknown origin"),
        ({"university": "1 OR 1=1"}, "university", "Unknown university."),
        ({"faculty": "'; DROP TABLE faculties; --"}, "faculty", "Unknown faculty."),
        ({"programme": "1e3"}, "programme", "Unknown programme."),
        ({"faculty": "99999999999999999999"}, "faculty", "Unknown faculty."),
        ({"faculty": "4294967297"}, "faculty", "Unknown faculty."),
        ({"faculty": "０"}, "faculty", "Unknown faculty."),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_parameter(world, args, parameter, message):
    with pytest.raises(InvalidFilter) as refused:
        parse_filter(args, ReportScope(), TODAY)
    assert isinstance(refused.value, InvalidInput)
    assert refused.value.parameter == parameter
    assert message in refused.value.message


# --- scope of the ids -------------------------------------------------------------------


def _message(args, scope) -> str:
    with pytest.raises(InvalidFilter) as refused:
        parse_filter(args, scope, TODAY)
    return refused.value.message


def test_an_id_outside_the_scope_reads_like_an_unknown_id(world):
    dean = report_scope(world.dean_a1)
    coordinator = report_scope(world.coordinator_a)
    unknown_faculty = _message({"faculty": "999999"}, coordinator)
    assert unknown_faculty == "Unknown faculty."
    # a faculty of another university, for the coordinator and for the dean
    assert _message({"faculty": str(world.fac_b1.id)}, coordinator) == unknown_faculty
    assert _message({"faculty": str(world.fac_b1.id)}, dean) == unknown_faculty
    # another faculty of the dean's own university
    assert _message({"faculty": str(world.fac_a2.id)}, dean) == unknown_faculty
    # a programme of another faculty
    unknown_programme = _message({"programme": "999999"}, dean)
    assert _message({"programme": str(world.prog_a2.id)}, dean) == unknown_programme
    # another university
    unknown_university = _message({"university": "999999"}, coordinator)
    assert _message({"university": str(world.uni_b.id)}, coordinator) == unknown_university
    assert _message({"university": str(world.uni_b.id)}, dean) == unknown_university


def test_ids_must_agree_with_each_other(world):
    admin = report_scope(world.park_admin)
    # the park admin may pick any university and faculty, but not a mismatched pair
    assert (
        _message({"university": str(world.uni_b.id), "faculty": str(world.fac_a1.id)}, admin)
        == "Unknown faculty."
    )
    assert (
        _message({"faculty": str(world.fac_a2.id), "programme": str(world.prog_a1.id)}, admin)
        == "Unknown programme."
    )
    assert (
        _message({"university": str(world.uni_b.id), "programme": str(world.prog_a1.id)}, admin)
        == "Unknown programme."
    )


def test_in_scope_ids_are_accepted(world):
    coordinator = report_scope(world.coordinator_a)
    f = parse_filter({"faculty": str(world.fac_a2.id)}, coordinator, TODAY)
    assert f.faculty_id == world.fac_a2.id
    dean = report_scope(world.dean_a1)
    f = parse_filter(
        {"university": str(world.uni_a.id), "programme": str(world.prog_a1.id)}, dean, TODAY
    )
    assert (f.university_id, f.programme_id) == (world.uni_a.id, world.prog_a1.id)
    admin = report_scope(world.park_admin)
    assert parse_filter({"university": str(world.uni_b.id)}, admin, TODAY).university_id == (
        world.uni_b.id
    )
