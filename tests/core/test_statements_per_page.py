"""Statements per page: every main page runs the same number of SQL statements for 1, 20
and 100 rows of what it lists, and at most MAX_STATEMENTS. A page whose count grows with
its rows loads something row by row (an N+1); one over the cap does per request what
could be done once.

One line per page: who signs in (a `world` attribute, None for a visitor), the rows it
lists (tests/core/page_rows.py), its URL (formatted with w=world) and a text it shows with
N rows (formatted with n=N, or a function of N; looked for in the page without its tags).
A new main page adds its line here.
"""

# The table keeps one line per page, however long: a page is read (and added) whole.
# ruff: noqa: E501

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.core import page_rows as rows
from tests.core import programme_rows
from tests.statements import outline, statements_of_request

MAX_STATEMENTS = 10
SIZES = (1, 20, 100)
YEAR = f"year={rows.REPORT_YEAR}"
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Page:
    name: str
    who: str | None
    rows: Callable[[object, range], None]
    url: str
    shows: str | Callable[[int], str]

    def text_with(self, n: int) -> str:
        return self.shows(n) if callable(self.shows) else self.shows.format(n=n)

    def __str__(self) -> str:
        return self.name


# fmt: off
PAGES = [
    # Finding postings
    Page("search", "student_a1", rows.postings, "/postings", "{n} posting"),
    Page("search-keyword", "student_a1", rows.postings, f"/postings?q={rows.KEYWORD}", "{n} posting"),
    Page("search-chinese", "student_a1", rows.postings, f"/postings?q={rows.CHINESE_WORD}", "{n} posting"),
    Page("search-two-filters", "student_a1", rows.postings, "/postings?cluster=ai_robotics&mode=hybrid", "{n} posting"),
    Page("search-eligible-relevance", "student_a1", rows.postings, f"/postings?q={rows.KEYWORD}&eligible=1&sort=relevance", lambda n: f"{rows.open_to_a1(n)} posting"),
    Page("search-approving-university", "student_a1", rows.approved_by_a(rows.postings), "/postings", "{n} posting"),
    Page("search-visitor", None, rows.postings, "/postings", "{n} posting"),
    Page("posting", "student_a1", rows.posting_lists, "/postings/{w.posting.id}", "asks {n} screening question"),
    Page("posting-approving-university", "student_a1", rows.approved_by_a(rows.posting_lists), "/postings/{w.posting.id}", "asks {n} screening question"),
    Page("posting-visitor", None, rows.posting_lists, "/postings/{w.posting.id}", "skill {n:03d}"),
    Page("feed", None, rows.postings, "/postings/feed.atom", "Robot role {n:03d}"),
    Page("saved-postings", "student_a1", rows.saved_postings, "/postings/saved", "Robot role {n:03d}"),
    Page("saved-postings-approving-university", "student_a1", rows.approved_by_a(rows.saved_postings), "/postings/saved", "Robot role {n:03d}"),
    Page("saved-searches", "student_a1", rows.saved_searches, "/postings/searches", "Search {n:03d}"),
    # The student's own area
    Page("student-dashboard", "student_a1", rows.my_applications, "/me", "{n} application"),
    Page("student-dashboard-roles", "student_a1", rows.postings, "/me", "See every role open to me"),
    Page("my-applications", "student_a1", rows.my_applications, "/me/applications", "Robot role {n:03d}"),
    Page("my-placements", "student_a1", rows.my_placements, "/me/placements", "Robot role {n:03d}"),
    Page("student-placements", "dean_a1", rows.my_placements, "/students/{w.a1_profile.id}/placements", "Robot role {n:03d}"),
    Page("my-profile", "student_a1", rows.my_cvs, "/me/profile", "CV {n:03d}"),
    Page("notifications", "student_a1", rows.notifications, "/notifications", "News {n:03d}"),
    # Companies and their recruiters
    Page("company-directory", None, rows.companies, "/companies", "Robot Company 001"),
    Page("company-home", "company_admin_a", rows.members, "/company/alpha", "Member {n:03d}"),
    Page("posting-desk", "recruiter_a", rows.company_postings, "/company/alpha/postings", "All current {n}"),
    Page("pipeline", "recruiter_a", rows.applicants, "/company/alpha/postings/{w.pipeline_posting.id}/pipeline", "Applicant {n:03d}"),
    Page("pipeline-list", "recruiter_a", rows.applicants, "/company/alpha/postings/{w.pipeline_posting.id}/pipeline?view=list", "{n} applicant"),
    Page("talent-pool", "recruiter_a", rows.pool_students, "/company/alpha/talent-pool", "{n} student"),
    Page("company-members", "company_admin_a", rows.members, "/company/alpha/members", lambda n: f"of {n + 2}"),
    # Faculties and universities
    Page("faculty-home", "dean_a1", rows.students_in("fac_a1", own_programme=True), "/faculty/{w.fac_a1.id}", "{n} With a CV"),
    Page("faculty-students", "dean_a1", rows.students_in("fac_a1"), "/faculty/{w.fac_a1.id}/students", "Student 001"),
    Page("university-home", "coordinator_a", rows.students_in("fac_a1", own_faculty=True), "/university/{w.uni_a.id}", "{n} With a CV"),
    Page("university-staff", "coordinator_a", rows.staff, "/universities/UA/staff", "Staff 001"),
    Page("approvals", "coordinator_a", rows.approvals, "/university/{w.uni_a.id}/approvals", "Waiting for a decision {n}"),
    # Reports
    Page("dean-dashboard", "dean_a1", rows.placed_students(("fac_a1",)), f"/reports/placements?{YEAR}", "Of {n} students who applied"),
    Page("coordinator-dashboard", "coordinator_a", rows.placed_students(("fac_a1", "fac_a2")), f"/reports/placements?{YEAR}", "Of {n} students who applied"),
    Page("park-dashboard", "park_admin", rows.placed_students(("fac_a1", "fac_b1")), f"/reports/placements?{YEAR}", "Of {n} students who applied"),
    Page("dean-placed-list", "dean_a1", rows.placed_students(("fac_a1",)), f"/reports/placements/list?figure=placed&{YEAR}", "{n} student"),
    Page("dean-outcomes", "dean_a1", rows.placed_students(("fac_a1",)), "/reports/outcomes?graduation_year=2026", "{n} : graduates"),
    # The park admin
    Page("admin-home", "park_admin", rows.audit_events, "/admin", "CV {n:03d}"),
    Page("admin-companies", "park_admin", rows.companies, "/admin/companies", "Robot Company 001"),
    Page("admin-moderation", "park_admin", rows.pending_postings, "/admin/postings", "Waiting for review {n}"),
    Page("admin-audit", "park_admin", rows.audit_events, "/admin/audit", "CV {n:03d}"),
    Page("admin-universities", "park_admin", rows.sso_connections, "/admin/universities", "Q001"),
    # Programmes (issue 13)
    Page("programmes", "student_a1", programme_rows.programmes, "/programmes", "{n} programme"),
    Page("programmes-visitor", None, programme_rows.programmes, "/programmes", "{n} programme"),
    Page("programme", "student_a1", programme_rows.sessions, "/programmes/{w.programme.id}", "Session {n:03d}"),
    Page("my-programmes", "student_a1", programme_rows.my_registrations, "/me/programmes", "Workshop {n:03d}"),
    Page("programme-attendees", "recruiter_a", programme_rows.attendees, "/organise/programmes/{w.attendee_session.programme_id}/sessions/{w.attendee_session.id}/attendees", "Seats taken: {n} of 200"),
    Page("programme-feedback", "recruiter_a", programme_rows.feedback, "/organise/programmes/{w.feedback_session.programme_id}/feedback", "{n} With a comment"),
    Page("my-programmes-attended", "student_a1", programme_rows.attended_programmes, "/me/programmes", "Workshop {n:03d}"),
    Page("programme-funnel", "park_admin", programme_rows.exhibitors, "/organise/programmes/{w.fair.programme_id}/funnel", "Exhibitor {n:03d}"),
]
# fmt: on


def _text(response) -> str:
    """The page's text, its tags and runs of white space each made one space."""
    return " ".join(TAG.sub(" ", response.get_data(as_text=True)).split())


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_main_page_runs_the_same_few_statements_for_1_20_and_100_rows(
    page, client, world, login_as
):
    if page.who:
        login_as(getattr(world, page.who))
    counts: dict[int, int] = {}
    made = 0
    for n in SIZES:
        page.rows(world, range(made + 1, n + 1))
        made = n
        statements, response = statements_of_request(client, page.url.format(w=world))
        assert page.text_with(n) in _text(response), f"{page.name} with {n} rows"
        counts[n] = len(statements)
    ran = outline(statements)
    assert len(set(counts.values())) == 1, f"{counts} statements for {SIZES} rows; at 100:\n{ran}"
    assert counts[1] <= MAX_STATEMENTS, f"{counts[1]} statements:\n{ran}"
