"""A posting's board goes through the shared cache (foundry/applications/board_cache.py),
partitioned by posting: read once for its recruiters, a move of one of its applicants shown
at the next request while another posting's board stays kept, a renamed student shown
everywhere, a bulk statement renewing every board, each recruiter's own form token in the
cards. On the store of one process and on Redis."""

from __future__ import annotations

import re

import sqlalchemy as sa

from foundry.applications.models import Application, ApplicationStatus
from foundry.applications.services import move
from tests import factories as f
from tests.statements import statements_of_request


def _board_url(posting) -> str:
    return f"/company/alpha/postings/{posting.id}/pipeline"


def _board(client, posting):
    statements, response = statements_of_request(client, _board_url(posting))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return page, len(statements)


def _column(page: str, status: ApplicationStatus) -> str:
    start = page.index(f'data-status="{status.value}"')
    return page[start : page.index("</section>", start)]


def _apply(world, posting, student):
    return f.ApplicationFactory(posting=posting, profile=f.profile_of(student))


def test_a_second_look_reads_no_applicant_and_shows_the_same(client, world, store, login_as):
    posting = f.PostingFactory(company=world.company_a)
    _apply(world, posting, world.student_a1)
    login_as(world.recruiter_a)
    first, fresh = _board(client, posting)
    second, cached = _board(client, posting)
    assert cached == fresh - 1
    assert _column(second, ApplicationStatus.SUBMITTED) == _column(
        first, ApplicationStatus.SUBMITTED
    ).replace(csrf_from_text(first), csrf_from_text(second))
    assert "<!--csrf-->" not in second


def test_a_move_renews_its_postings_board_only(client, world, db, store, login_as):
    drones, quants = (
        f.PostingFactory(company=world.company_a),
        f.PostingFactory(company=world.company_a),
    )
    application = _apply(world, drones, world.student_a1)
    _apply(world, quants, world.student_a2)
    login_as(world.recruiter_a)
    _board(client, drones)
    _board(client, quants)
    kept = _board(client, quants)[1]
    move(world.recruiter_a, application, ApplicationStatus.SHORTLISTED)
    db.session.commit()
    page = _board(client, drones)[0]
    name = world.student_a1.display_name
    assert name in _column(page, ApplicationStatus.SHORTLISTED)
    assert name not in _column(page, ApplicationStatus.SUBMITTED)
    assert _board(client, quants)[1] == kept  # still kept


def test_a_renamed_student_and_a_bulk_statement_renew_every_board(
    client, world, db, store, login_as
):
    posting = f.PostingFactory(company=world.company_a)
    _apply(world, posting, world.student_a1)
    login_as(world.recruiter_a)
    _board(client, posting)
    world.student_a1.display_name = "Renamed Student"
    db.session.commit()
    assert "Renamed Student" in _board(client, posting)[0]
    # A bulk statement: no flush shows which posting it touched (the report summaries,
    # which refuse it in the portal, are not what this test is about).
    db.session.execute(
        sa.update(Application)
        .where(Application.posting_id == posting.id)
        .values(status=ApplicationStatus.UNDER_REVIEW)
        .execution_options(report_summaries="unaffected")
    )
    db.session.commit()
    page = _board(client, posting)[0]
    assert "Renamed Student" in _column(page, ApplicationStatus.UNDER_REVIEW)


def test_each_recruiter_gets_their_own_token(client, world, db, store, login_as):
    posting = f.PostingFactory(company=world.company_a)
    _apply(world, posting, world.student_a1)
    login_as(world.recruiter_a)
    _board(client, posting)
    login_as(world.company_admin_a)
    page = _board(client, posting)[0]
    tokens = set(
        re.findall(r'name="csrf_token" value="([^"]+)"', _column(page, ApplicationStatus.SUBMITTED))
    )
    assert tokens == {csrf_from_text(page)}


def csrf_from_text(page: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def test_a_new_applicant_is_on_the_board_at_the_next_request(client, world, db, store, login_as):
    posting = f.PostingFactory(company=world.company_a)
    _apply(world, posting, world.student_a1)
    login_as(world.recruiter_a)
    _board(client, posting)
    _apply(world, posting, world.student_a2)
    db.session.commit()
    page = _board(client, posting)[0]
    assert world.student_a2.display_name in _column(page, ApplicationStatus.SUBMITTED)
