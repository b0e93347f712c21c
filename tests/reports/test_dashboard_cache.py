"""The dashboards' cache (foundry.reports.cache): the numbers are read once between two
changes, and every committed change the dashboard shows is shown at the next request.

Every test runs twice: on the store of one process (LocalStore) and on production's
RedisStore against the Redis server on 127.0.0.1:6379 (keys of the test's own, under a
prefix no other test writes, removed after it), which every app server shares."""

from __future__ import annotations

import re
from datetime import timedelta

from foundry.accounts.models import Role
from foundry.applications.models import ApplicationStatus
from foundry.audit.services import record
from foundry.db import utcnow
from foundry.extensions import db
from foundry.messages import SIGN_IN
from foundry.policy import report_scope
from foundry.reports import cache
from foundry.reports.filters import ReportFilter
from foundry.reports.metrics import dashboard
from foundry.reports.periods import hong_kong_today
from foundry.reports.summaries.sign_ins import count_sign_in
from tests import factories as f
from tests.conftest import without_csrf_tokens
from tests.reports.test_query_count import START, add_applications
from tests.statements import recorded_statements

YEAR = ReportFilter.for_academic_year(2025)


def generation(store) -> str | None:
    if isinstance(store, cache.LocalStore):
        return store.values.get(cache.GENERATION_KEY)
    return store.client.get(store.prefix + cache.GENERATION_KEY)


def forget_generation(store) -> None:
    """Redis emptied or evicted the generation's key, not the entries."""
    if isinstance(store, cache.LocalStore):
        del store.values[cache.GENERATION_KEY]
    else:
        store.client.delete(store.prefix + cache.GENERATION_KEY)


def read(scope, period=YEAR):
    """The dashboard and the statements it sent."""
    with recorded_statements() as statements:
        board = dashboard(period, scope)
    db.session.commit()  # as a request ends
    return board, len(statements)


def test_a_second_reader_sends_no_statement_and_sees_the_same_figures(db, store):
    faculty = f.FacultyFactory()
    scope = report_scope(f.staff(Role.DEAN, faculty))
    add_applications(faculty, students=3, postings=2)
    first, sent = read(scope)
    again, sent_again = read(scope)
    assert sent == 3 and sent_again == 0
    assert again == first
    assert (again.applied.value, again.placed.value) == (3, 3)


def test_a_committed_application_is_counted_at_the_next_read(db, store):
    faculty = f.FacultyFactory()
    scope = report_scope(f.staff(Role.DEAN, faculty))
    add_applications(faculty, students=2, postings=1)
    before, _ = read(scope)
    newcomer = f.profile_of(f.student(faculty))
    f.ApplicationFactory(
        profile=newcomer,
        posting=f.PostingFactory(),
        submitted_at=START + timedelta(days=30),
        status=ApplicationStatus.SUBMITTED,
    )
    db.session.commit()
    after, sent = read(scope)
    assert sent == 3
    assert after.applied.value == before.applied.value + 1 == 3
    assert sum(row.applications for row in after.by_kind) == 3


def test_a_transaction_that_wrote_reads_its_own_writes_and_stores_nothing(db, store):
    faculty = f.FacultyFactory()
    scope = report_scope(f.staff(Role.DEAN, faculty))
    add_applications(faculty, students=2, postings=1)
    read(scope)
    f.ApplicationFactory(
        profile=f.profile_of(f.student(faculty)),
        posting=f.PostingFactory(),
        submitted_at=START + timedelta(days=30),
    )
    db.session.flush()  # not committed: only this transaction sees it
    with recorded_statements() as statements:
        board = dashboard(YEAR, scope)
    # The summaries' pending updates go first (written before a read of them), then the
    # dashboard's three reads, from the database.
    reads = [s for s in statements if s.sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert board.applied.value == 3 and len(reads) == 3
    db.session.rollback()
    after, sent = read(scope)
    assert after.applied.value == 2 and sent == 0  # the entry before the write still holds


def test_a_sign_in_moves_the_generation(db, store, login_as):
    faculty = f.FacultyFactory()
    scope = report_scope(f.staff(Role.DEAN, faculty))
    add_applications(faculty, students=1, postings=1)
    this_year = ReportFilter.for_academic_year(START.year + 1)  # the year so far
    quiet = f.student(faculty)
    before, _ = read(scope, this_year)
    login_as(quiet)
    after, sent = read(scope, this_year)
    assert sent == 3
    assert after.active.value == before.active.value + 1


def test_another_sign_in_in_the_year_leaves_the_years_figures_cached(db, store, login_as):
    faculty = f.FacultyFactory()
    scope = report_scope(f.staff(Role.DEAN, faculty))
    add_applications(faculty, students=1, postings=1)
    this_year = ReportFilter.for_academic_year(START.year + 1)
    quiet = f.student(faculty)
    login_as(quiet)  # the year's first: counted
    before, _ = read(scope, this_year)
    login_as(quiet)
    after, sent = read(scope, this_year)
    assert sent == 0 and after.active.value == before.active.value


def test_any_sign_in_moves_the_figures_of_a_custom_range(db, store, login_as):
    """Raw rows count every sign-in in the range: one who last came weeks ago and signs in
    today is active this week, though the year's summaries had counted them already."""
    faculty = f.FacultyFactory()
    scope = report_scope(f.staff(Role.DEAN, faculty))
    quiet = f.student(faculty)
    earlier = record(quiet, SIGN_IN, quiet, method="password")
    earlier.occurred_at = utcnow() - timedelta(days=40)
    count_sign_in(earlier)
    db.session.commit()
    today = hong_kong_today()
    this_week = ReportFilter.for_days(today - timedelta(days=6), today)
    before, _ = read(scope, this_week)
    login_as(quiet)
    after, sent = read(scope, this_week)
    assert sent == 3
    assert after.active.value == before.active.value + 1


def test_a_user_change_the_dashboards_do_not_show_keeps_the_cache(db, store):
    faculty = f.FacultyFactory()
    scope = report_scope(f.staff(Role.DEAN, faculty))
    student = f.student(faculty)
    db.session.commit()
    read(scope)
    student.last_sign_in_at, student.preferred_locale = utcnow(), "zh_Hant_HK"
    db.session.commit()
    _, sent = read(scope)
    assert sent == 0
    student.display_name = "Another name"
    db.session.commit()
    _, sent = read(scope)
    assert sent == 3


def test_each_scope_and_filter_has_its_own_entry(db, store):
    mine, theirs = f.FacultyFactory(), f.FacultyFactory()
    my_scope = report_scope(f.staff(Role.DEAN, mine))
    their_scope = report_scope(f.staff(Role.DEAN, theirs))
    add_applications(mine, students=2, postings=1)
    add_applications(theirs, students=1, postings=1)
    read(my_scope)
    theirs_read, sent = read(their_scope)
    assert sent == 3 and theirs_read.applied.value == 1
    year_before, sent = read(my_scope, ReportFilter.for_academic_year(2024))
    assert sent == 3 and year_before.applied.value == 0
    level = ReportFilter.for_academic_year(2025, graduation_year=1999)
    nobody, sent = read(my_scope, level)
    assert sent == 3 and nobody.applied.value == 0


def test_an_entry_of_a_lost_generation_is_not_used(db, store):
    faculty = f.FacultyFactory()
    scope = report_scope(f.staff(Role.DEAN, faculty))
    add_applications(faculty, students=1, postings=1)
    read(scope)
    forget_generation(store)
    _, sent = read(scope)
    assert sent == 3


def test_the_rebuild_command_moves_the_generation(app, db, store):
    faculty = f.FacultyFactory()
    scope = report_scope(f.staff(Role.DEAN, faculty))
    add_applications(faculty, students=1, postings=1)
    read(scope)
    before = generation(store)
    result = app.test_cli_runner().invoke(args=["reports", "rebuild-summaries", "--quiet"])
    assert result.exit_code == 0, result.output
    assert generation(store) not in (None, before)
    _, sent = read(scope)
    assert sent == 3


def test_the_page_is_rendered_once_and_shows_a_change_at_the_next_request(
    client, db, store, login_as
):
    faculty = f.FacultyFactory()
    dean = f.staff(Role.DEAN, faculty)
    add_applications(faculty, students=2, postings=1)
    login_as(dean)
    url = "/reports/placements?year=2025"
    with recorded_statements() as first:
        client.get(url)  # with the sign-in's message
    page = client.get(url).get_data(as_text=True)
    with recorded_statements() as second:
        again = client.get(url).get_data(as_text=True)
    # The figures' three statements, the collaborations panel's two and the filter form's
    # choices (four): the session's own statement is all that is left.
    assert len(second) == len(first) - 9 == 1
    assert not any("report_sign_in_years" in statement.sql for statement in second)
    assert without_csrf_tokens(again) == without_csrf_tokens(page)
    assert 'data-figure="applied"' in again
    f.ApplicationFactory(
        profile=f.profile_of(f.student(faculty)),
        posting=f.PostingFactory(),
        submitted_at=START + timedelta(days=30),
    )
    db.session.commit()
    changed = client.get(url).get_data(as_text=True)
    assert figure_of(changed, "applied") == "3" and figure_of(again, "applied") == "2"


def test_the_page_of_another_language_or_scope_is_its_own(client, db, store, login_as):
    mine, theirs = f.FacultyFactory(), f.FacultyFactory()
    add_applications(mine, students=2, postings=1)
    add_applications(theirs, students=1, postings=1)
    url = "/reports/placements?year=2025"
    login_as(f.staff(Role.DEAN, mine))
    english = client.get(url).get_data(as_text=True)
    chinese = client.get(url, headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    assert "Applied" in english and "Applied" not in chinese
    assert figure_of(chinese, "applied") == "2"
    login_as(f.staff(Role.DEAN, theirs))
    assert figure_of(client.get(url).get_data(as_text=True), "applied") == "1"


def figure_of(html: str, key: str) -> str:
    found = re.search(
        rf'data-figure="{key}">.*?<span class="tf-figure-number">([^<]*)<', html, re.DOTALL
    )
    assert found, key
    return found.group(1)


def test_two_redis_stores_with_their_own_prefixes_share_a_database_without_meeting(store):
    if isinstance(store, cache.LocalStore):
        return  # the prefix is Redis's: a LocalStore is one process's already
    beside = cache.RedisStore("redis://127.0.0.1:6379/2", prefix=store.prefix + "beside:")
    store.set("figures", "mine")
    beside.set("figures", "theirs")
    beside.increment(cache.GENERATION_KEY)
    assert store.get_many(["figures", cache.GENERATION_KEY]) == ["mine", None]
    assert beside.get_many(["figures"]) == ["theirs"]


def test_the_filter_forms_choices_are_the_scopes_own_and_follow_a_new_programme(
    client, db, store, login_as
):
    mine, theirs = f.FacultyFactory(), f.FacultyFactory()
    f.ProgrammeFactory(faculty=mine, name_en="BEng Robotics Zeta")
    f.ProgrammeFactory(faculty=theirs, name_en="BSc Finance Omega")
    login_as(f.staff(Role.DEAN, mine))
    page = client.get("/reports/placements").get_data(as_text=True)
    assert "BEng Robotics Zeta" in page and "BSc Finance Omega" not in page
    f.ProgrammeFactory(faculty=mine, name_en="MSc Drones Kappa")
    db.session.commit()
    assert "MSc Drones Kappa" in client.get("/reports/placements").get_data(as_text=True)
    login_as(f.staff(Role.DEAN, theirs))
    page = client.get("/reports/placements").get_data(as_text=True)
    assert "BSc Finance Omega" in page and "BEng Robotics Zeta" not in page
