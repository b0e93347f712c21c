"""Registering and giving a place up from the pages, "my programmes", and the join link:
each refusal a clear message and a 4xx with nothing written; nobody acts for another."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import sqlalchemy as sa

from foundry.db import utcnow
from foundry.programmes.models import ProgrammeFormat, Registration, RegistrationStatus
from tests.factories import profile_of
from tests.programmes import factories as pf
from tests.programmes.factories import count
from tests.statements import outline, statements_of_request

JOIN = "https://meet.example.com/secret-room"
REGISTERED, WAITLISTED = RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED


def _text(response) -> str:
    return response.get_data(as_text=True)


def _session(**programme_fields):
    capacity = programme_fields.pop("capacity", 10)
    waitlist = programme_fields.pop("waitlist_enabled", True)
    programme = pf.ProgrammeFactory(**programme_fields)
    return pf.SessionFactory(programme=programme, capacity=capacity, waitlist_enabled=waitlist)


def _register_url(session) -> str:
    return f"/programmes/{session.programme_id}/sessions/{session.id}/register"


def _post(post_form, session):
    return post_form(_register_url(session), form_page=f"/programmes/{session.programme_id}")


def test_a_student_registers_and_sees_it_in_my_programmes(client, db, world, login_as, post_form):
    session = _session(title_en="Job search techniques")
    login_as(world.student_a1)
    response = _post(post_form, session)
    assert response.status_code == 303
    page = _text(client.get(response.headers["Location"]))
    assert "You are registered for" in page
    (row,) = db.session.scalars(sa.select(Registration)).all()
    assert row.status is REGISTERED and row.profile_id == profile_of(world.student_a1).id
    mine = _text(client.get("/me/programmes"))
    assert "Job search techniques" in mine
    assert f"/programmes/registrations/{row.id}/ticket" in mine
    assert f"/programmes/registrations/{row.id}.ics" in mine


def test_a_full_session_puts_the_student_on_the_waitlist_at_their_place(
    client, db, world, login_as, post_form
):
    session = _session(capacity=1)
    pf.registration(world.student_a1_other, session)
    pf.registration(world.student_a2, session, WAITLISTED)
    login_as(world.student_a1)
    response = _post(post_form, session)
    assert "number 2 on the waitlist" in _text(client.get(response.headers["Location"]))
    assert "On the waitlist: number 2" in _text(client.get("/me/programmes"))


def test_registering_twice_is_refused_with_a_message(client, db, world, login_as, post_form):
    session = _session()
    pf.registration(world.student_a1, session)
    login_as(world.student_a1)
    response = _post(post_form, session)
    assert response.status_code == 409
    assert "already registered" in _text(response)
    assert count(Registration) == 1


def test_outside_the_window_is_refused(client, db, world, login_as, post_form):
    session = _session(
        registration_opens_at=utcnow() + timedelta(days=2),
        registration_closes_at=utcnow() + timedelta(days=5),
    )
    login_as(world.student_a1)
    response = _post(post_form, session)
    assert response.status_code == 409 and "Registration opens at" in _text(response)
    assert count(Registration) == 0


def test_a_full_session_without_a_waitlist_is_refused(client, db, world, login_as, post_form):
    session = _session(capacity=1, waitlist_enabled=False)
    pf.registration(world.student_a2, session)
    login_as(world.student_a1)
    response = _post(post_form, session)
    assert response.status_code == 409 and "keeps no waitlist" in _text(response)
    assert count(Registration) == 1


def test_a_student_not_eligible_is_told_why_with_a_403(client, db, world, login_as, post_form):
    session = _session(open_to_non_local=False)
    profile_of(world.student_a1).non_local = True
    login_as(world.student_a1)
    response = _post(post_form, session)
    assert response.status_code == 403
    assert "not eligible" in _text(response) and "Not open to non-local students." in _text(
        response
    )
    assert count(Registration) == 0


def test_anonymous_visitors_and_staff_cannot_register(client, db, world, login_as, post_form):
    session = _session()
    response = _post(post_form, session)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    login_as(world.recruiter_a)
    assert _post(post_form, session).status_code == 403
    assert count(Registration) == 0


def test_a_session_of_another_programme_is_not_found(client, db, world, login_as, post_form):
    session, other = _session(), _session()
    login_as(world.student_a1)
    url = f"/programmes/{other.programme_id}/sessions/{session.id}/register"
    assert post_form(url, form_page="/programmes").status_code == 404
    assert count(Registration) == 0


def test_a_student_cannot_cancel_anothers_registration(client, db, world, login_as, post_form):
    registration = pf.registration(world.student_a2, _session())
    login_as(world.student_a1)
    response = post_form(
        f"/programmes/registrations/{registration.id}/cancel", form_page="/me/programmes"
    )
    assert response.status_code == 403
    db.session.refresh(registration)
    assert registration.status is REGISTERED


def test_a_student_cancels_their_place_and_the_first_waiting_moves_up(
    client, db, world, login_as, post_form
):
    session = _session(capacity=1)
    mine = pf.registration(world.student_a1, session)
    waiting = pf.registration(world.student_a2, session, WAITLISTED)
    login_as(world.student_a1)
    response = post_form(
        f"/programmes/registrations/{mine.id}/cancel",
        {"confirmed": "yes"},
        form_page="/me/programmes",
    )
    assert response.status_code == 303
    db.session.refresh(mine)
    db.session.refresh(waiting)
    assert mine.status is RegistrationStatus.CANCELLED and waiting.status is REGISTERED


def test_cancelling_after_the_cut_off_is_refused(client, db, world, login_as, post_form):
    session = _session()
    session.starts_at = utcnow() + timedelta(hours=2)
    session.ends_at = utcnow() + timedelta(hours=4)
    mine = pf.registration(world.student_a1, session)
    login_as(world.student_a1)
    response = post_form(
        f"/programmes/registrations/{mine.id}/cancel",
        {"confirmed": "yes"},
        form_page="/me/programmes",
    )
    assert response.status_code == 409 and "Cancellations for this session closed" in _text(
        response
    )
    db.session.refresh(mine)
    assert mine.status is REGISTERED


def test_my_programmes_is_for_students_only(client, db, world, login_as):
    assert client.get("/me/programmes").status_code == 302
    login_as(world.recruiter_a)
    assert client.get("/me/programmes").status_code == 403


def test_my_programmes_lists_only_my_own(client, db, world, login_as):
    pf.registration(world.student_a2, _session(title_en="Someone else's talk"))
    pf.registration(world.student_a1, _session(title_en="My talk"))
    login_as(world.student_a1)
    page = _text(client.get("/me/programmes"))
    assert "My talk" in page and "Someone else" not in page


def test_my_programmes_costs_the_same_statements_for_1_and_6(client, db, world, login_as):
    login_as(world.student_a1)
    pf.registration(world.student_a1, _session())
    small, _ = statements_of_request(client, "/me/programmes")
    for _ in range(5):
        session = _session(capacity=1)
        pf.registration(world.student_a2, session)
        pf.registration(world.student_a1, session, WAITLISTED)
    large, _ = statements_of_request(client, "/me/programmes")
    assert len(large) == len(small), outline(large)


# --- the join link --------------------------------------------------------------------------


def _online(**fields):
    return _session(format=ProgrammeFormat.VIRTUAL, venue=None, join_link=JOIN, **fields)


def test_the_join_way_in_is_shown_only_to_a_registered_student(client, db, world, login_as):
    session = _online(capacity=1)
    pf.registration(world.student_a1, session)
    pf.registration(world.student_a2, session, WAITLISTED)
    url = f"/programmes/{session.programme_id}"
    join = f"/programmes/{session.programme_id}/join"

    page = _text(client.get(url))
    assert join not in page and JOIN not in page  # anonymous
    for other in (world.student_a2, world.student_b1, world.recruiter_a):  # waitlisted, others
        login_as(other)
        page = _text(client.get(url))
        assert join not in page and JOIN not in page, other
    login_as(world.student_a1)
    page = _text(client.get(url))
    assert join in page and JOIN not in page  # the portal's redirect, never the raw link


def test_the_raw_join_link_never_reaches_json_ld(client, db, world, login_as):
    session = _online()
    pf.registration(world.student_a1, session)
    login_as(world.student_a1)
    page = _text(client.get(f"/programmes/{session.programme_id}"))
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(match.group(1))
    assert JOIN not in json.dumps(data) and "/join" not in json.dumps(data)
    assert data["location"]["@type"] == "VirtualLocation"


def test_no_join_way_in_for_an_in_person_programme(client, db, world, login_as):
    session = _session()
    pf.registration(world.student_a1, session)
    login_as(world.student_a1)
    page = _text(client.get(f"/programmes/{session.programme_id}"))
    assert f"/programmes/{session.programme_id}/join" not in page


def test_giving_up_a_place_asks_first(client, db, world, login_as, post_form):
    mine = pf.registration(world.student_a1, _session())
    login_as(world.student_a1)
    response = post_form(f"/programmes/registrations/{mine.id}/cancel", form_page="/me/programmes")
    assert response.status_code == 200 and "Give up your place" in _text(response)
    db.session.refresh(mine)
    assert mine.status is REGISTERED
