"""A published programme's page body goes through the shared cache
(foundry/programmes/page_cache.py): kept for everyone who sees it alike (a cohort of
students, or everyone signed in who is not a student, or visitors), never for a student
who holds a place in it; each viewer's own form token in the kept copy; a registration, a
cancelled programme or a changed eligibility shown at the next request; one entry per
language. On the store of one process and on Redis."""

from __future__ import annotations

import re

import sqlalchemy as sa

from foundry.db import utcnow
from foundry.programmes import registration as registrations
from foundry.programmes.models import ProgrammeFormat, ProgrammeStatus, Registration
from tests import factories as f
from tests.programmes import factories as pf
from tests.statements import statements_of_request

JOIN = "https://meet.example.com/secret-room"
REGISTER = re.compile(r'action="(/programmes/\d+/sessions/\d+/register)"')
REGISTER_TOKEN = re.compile(r'/register">\s*<input type="hidden" name="csrf_token" value="([^"]+)"')


def _page(client, url):
    statements, response = statements_of_request(client, url)
    return response.get_data(as_text=True), len(statements)


def _seats(page: str) -> list[str]:
    return re.findall(r"(\d+) seats? left", page)


def _programme(**fields):
    return pf.SessionFactory(programme=pf.ProgrammeFactory(**fields)).programme


def test_a_second_student_of_the_cohort_reads_the_kept_body_and_registers_with_its_form(
    client, db, world, store, login_as
):
    programme = _programme(title_en="Job search techniques")
    classmate = f.student(world.fac_a1)
    assert f.profile_of(classmate).graduation_year == f.profile_of(world.student_a1).graduation_year
    url = f"/programmes/{programme.id}"
    login_as(world.student_a1)
    first, fresh = _page(client, url)
    login_as(classmate)
    second, kept = _page(client, url)
    assert "Job search techniques" in second and _seats(second) == ["10"]
    assert kept <= fresh - 2  # the seats and the eligibility lists are not read again
    assert "<!--" not in second.split("<main", 1)[1]  # every marker filled in
    # The kept copy's form carries this visitor's token: the registration goes through.
    (action,) = REGISTER.findall(second)
    (token,) = REGISTER_TOKEN.findall(second)
    response = client.post(action, data={"csrf_token": token})
    assert response.status_code == 303
    (row,) = db.session.scalars(sa.select(Registration)).all()
    assert row.profile_id == f.profile_of(classmate).id


def test_a_student_holding_a_place_sees_it_and_the_next_sees_the_seat_taken(
    client, db, world, store, login_as
):
    programme = _programme(format=ProgrammeFormat.VIRTUAL, venue=None, join_link=JOIN)
    session = programme.sessions[0]
    url = f"/programmes/{programme.id}"
    login_as(world.student_a1_other)
    assert _seats(_page(client, url)[0]) == ["10"]
    registrations.register(world.student_a1, f.profile_of(world.student_a1), session)
    db.session.commit()
    login_as(world.student_a1)
    mine = _page(client, url)[0]
    assert not REGISTER.findall(mine) and "My programmes" in mine and _seats(mine) == ["9"]
    assert "Join online" in mine and JOIN not in mine  # the portal's way in, for them only
    login_as(world.student_a1_other)
    theirs = _page(client, url)[0]
    assert len(REGISTER.findall(theirs)) == 1 and _seats(theirs) == ["9"]
    assert "Join online" not in theirs and "My programmes</a>" not in theirs


def test_another_cohort_and_a_visitor_never_get_an_eligible_students_copy(
    app, client, db, world, store, login_as
):
    programme = _programme(universities=[world.uni_a])
    url = f"/programmes/{programme.id}"
    login_as(world.student_a1)
    assert len(REGISTER.findall(_page(client, url)[0])) == 1
    login_as(world.student_b1)
    other_university = _page(client, url)[0]
    assert "Not eligible" in other_university and not REGISTER.findall(other_university)
    visitor = _page(app.test_client(), url)[0]
    assert not REGISTER.findall(visitor) and "Sign in with your university account" in visitor
    assert "Not eligible" not in visitor


def test_a_change_to_the_programme_is_shown_at_the_next_request_in_each_language(
    client, db, world, store, login_as
):
    programme = _programme(title_en="Cantonese for newcomers", title_zh="新來港人士粵語班")
    url = f"/programmes/{programme.id}"
    login_as(world.student_b1)
    assert len(REGISTER.findall(_page(client, url)[0])) == 1
    chinese = client.get(url, headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    assert "新來港人士粵語班" in chinese
    programme.universities = [world.uni_a]  # an association table: the row's state moves
    db.session.commit()
    assert "Not eligible" in _page(client, url)[0]
    programme.status = ProgrammeStatus.CANCELLED
    programme.cancelled_at = utcnow()
    programme.cancellation_message = "Typhoon signal 8."
    db.session.commit()
    page = _page(client, url)[0]
    assert "Typhoon signal 8." in page and not REGISTER.findall(page)
