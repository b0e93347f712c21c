"""The roles and companies on the student's dashboard go through the shared cache
(foundry/students/dashboard.py): read once for a cohort and its themes, the student's own
applications taken out per request (also for a student who applied to more roles than an
entry keeps), another faculty never shown this one's roles, a new posting shown at the
next request. On the store of one process and on Redis."""

from __future__ import annotations

from datetime import timedelta

from foundry.applications.models import ApplicationStatus
from foundry.db import utcnow
from foundry.postings.models import PostingTheme
from foundry.students import dashboard
from foundry.students.models import StudentTheme
from foundry.taxonomy import Cluster, Theme
from tests import factories as f
from tests.statements import statements_of_request


def _home(client):
    statements, response = statements_of_request(client, "/me")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return page[page.index('id="postings-title"') :], len(statements)


def _role(n: int) -> str:
    return f"Robotics role {n:02}"


def _postings(world, count: int) -> list:
    # Newest last: role 00 is the oldest.
    return [
        f.PostingFactory(
            company=world.company_a,
            title=_role(n),
            published_at=utcnow() - timedelta(hours=count - n),
        )
        for n in range(count)
    ]


def _apply(world, student, posting) -> None:
    f.ApplicationFactory(
        posting=posting, profile=f.profile_of(student), status=ApplicationStatus.SUBMITTED
    )


def test_a_second_visit_reads_no_role_and_shows_the_same(client, world, store, login_as):
    _postings(world, 7)
    login_as(world.student_a1)
    first, fresh = _home(client)
    second, cached = _home(client)
    assert [_role(n) in first for n in range(7)] == [False, False] + [True] * 5
    assert cached <= fresh - 2 and second == first  # the roles and the companies


def test_a_role_the_student_applied_to_is_left_out_at_once(client, world, db, store, login_as):
    postings = _postings(world, 7)
    login_as(world.student_a1)
    _home(client)
    _apply(world, world.student_a1, postings[6])
    db.session.commit()
    page = _home(client)[0]
    assert _role(6) not in page and _role(1) in page and _role(0) not in page
    login_as(world.student_a1_other)  # the same cohort, who applied to none
    assert _role(6) in _home(client)[0]


def test_a_student_who_applied_to_more_than_an_entry_keeps_still_gets_five_new_roles(
    client, world, db, store, login_as
):
    postings = _postings(world, dashboard.ROLES_SHOWN + dashboard.EXTRA + 3)
    login_as(world.student_a1_other)
    _home(client)  # the entry is kept
    for posting in postings[-(dashboard.EXTRA + 1) :]:
        _apply(world, world.student_a1_other, posting)
    db.session.commit()
    page = _home(client)[0]
    newest_unapplied = len(postings) - dashboard.EXTRA - 2
    shown = [n for n in range(len(postings)) if _role(n) in page]
    assert shown == list(range(newest_unapplied - 4, newest_unapplied + 1))


def test_another_faculty_is_never_shown_this_facultys_roles(client, world, store, login_as):
    only_a1 = f.PostingFactory(company=world.company_a, title="Faculty-only role")
    only_a1.faculties = [world.fac_a1]
    login_as(world.student_a1)
    assert "Faculty-only role" in _home(client)[0]
    login_as(world.student_a2)
    assert "Faculty-only role" not in _home(client)[0]


def test_the_students_themes_pick_their_roles_and_companies(client, world, db, store, login_as):
    world.company_b.cluster = Cluster.FINTECH
    fintech = f.PostingFactory(
        company=world.company_b, title="Fintech role", published_at=utcnow() - timedelta(days=3)
    )
    fintech.themes.append(PostingTheme(theme=Theme.FINTECH))
    _postings(world, 5)
    login_as(world.student_a1)
    assert "Fintech role" not in _home(client)[0]  # five newer roles outside any theme
    db.session.add(StudentTheme(profile_id=f.profile_of(world.student_a1).id, theme=Theme.FINTECH))
    db.session.commit()
    page = _home(client)[0]
    assert page.index("Fintech role") < page.index(_role(4))  # their theme first
    companies = page[page.index('id="companies-title"') :]
    assert "Beta Fintech" in companies and "Alpha Robotics" not in companies


def test_a_new_posting_is_shown_at_the_next_visit(client, world, db, store, login_as):
    _postings(world, 5)
    login_as(world.student_a1)
    _home(client)
    f.PostingFactory(company=world.company_b, title="Brand new role")
    db.session.commit()
    assert "Brand new role" in _home(client)[0]


def test_a_student_who_applied_to_very_many_gets_their_roles_read_for_them(
    client, world, db, store, login_as, monkeypatch
):
    monkeypatch.setattr(dashboard, "MAX_EXTRA", dashboard.EXTRA)
    postings = _postings(world, dashboard.ROLES_SHOWN + dashboard.EXTRA + 3)
    for posting in postings[-(dashboard.EXTRA + 1) :]:
        _apply(world, world.student_a1_other, posting)
    db.session.commit()
    login_as(world.student_a1_other)
    newest_unapplied = len(postings) - dashboard.EXTRA - 2
    for _visit in range(2):
        page = _home(client)[0]
        shown = [n for n in range(len(postings)) if _role(n) in page]
        assert shown == list(range(newest_unapplied - 4, newest_unapplied + 1))


def test_an_entry_keeps_at_least_as_many_more_roles_as_the_student_applied_to():
    assert [dashboard.extra_kept(n) for n in (0, 15, 16, 31, 100, 240, 241)] == [
        15,
        15,
        30,
        60,
        120,
        240,
        None,
    ]
