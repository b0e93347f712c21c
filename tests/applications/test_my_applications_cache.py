"""A student's list of applications goes through the shared cache
(foundry/applications/mine_cache.py), partitioned by student: read once between two changes
to their applications, a recruiter's move shown at the next request while another
student's list stays kept, never one student's list shown to another, a retitled posting
shown everywhere. On the store of one process and on Redis."""

from __future__ import annotations

from foundry.applications.models import ApplicationStatus
from foundry.applications.services import move
from tests import factories as f
from tests.statements import statements_of_request


def _mine(client):
    statements, response = statements_of_request(client, "/me/applications")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return page[page.index("My applications</h1>") :], len(statements)


def _apply(student, title, world):
    posting = f.PostingFactory(company=world.company_a, title=title)
    return f.ApplicationFactory(posting=posting, profile=f.profile_of(student))


def test_a_second_look_reads_no_application(client, world, store, login_as):
    _apply(world.student_a1, "Drone Intern", world)
    login_as(world.student_a1)
    first, fresh = _mine(client)
    second, cached = _mine(client)
    assert "Drone Intern" in first and second == first
    assert cached <= fresh - 2  # the counts and the page of applications


def test_a_move_renews_that_students_list_only(client, world, db, store, login_as):
    mine = _apply(world.student_a1, "Drone Intern", world)
    _apply(world.student_a2, "Quant Intern", world)
    login_as(world.student_a2)
    _mine(client)
    kept = _mine(client)[1]
    login_as(world.student_a1)
    assert "Shortlisted" not in _mine(client)[0]
    move(world.recruiter_a, mine, ApplicationStatus.SHORTLISTED)
    db.session.commit()
    assert "Shortlisted" in _mine(client)[0]
    login_as(world.student_a2)
    assert _mine(client)[1] == kept


def test_no_student_is_shown_anothers_list(client, world, store, login_as):
    _apply(world.student_a1, "Drone Intern", world)
    login_as(world.student_a1)
    assert "Drone Intern" in _mine(client)[0]
    login_as(world.student_a1_other)
    page = _mine(client)[0]
    assert "Drone Intern" not in page and "You have not applied yet" in page


def test_a_retitled_posting_is_shown_at_the_next_request(client, world, db, store, login_as):
    application = _apply(world.student_a1, "Drone Intern", world)
    login_as(world.student_a1)
    _mine(client)
    application.posting.title = "Drone Engineer"
    db.session.commit()
    assert "Drone Engineer" in _mine(client)[0]
