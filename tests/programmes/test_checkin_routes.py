"""The organiser's check-in page, its data and its forms: only the programme's organisers
reach them (not another company, a student, another faculty or an anonymous visitor), and
bad input is refused with a message and writes nothing."""

from __future__ import annotations

import pytest

from foundry.programmes.checkin_models import Attendance, CheckInMethod, SessionCheckIn
from tests.conftest import csrf_from
from tests.factories import student
from tests.programmes import factories as pf
from tests.programmes.checkin_setup import session_today, ticket_and_token
from tests.programmes.factories import count
from tests.statements import outline, statements_of_request


def _page(session):
    return f"/programmes/sessions/{session.id}/check-in"


@pytest.fixture
def day(world, db):
    session = session_today(world)
    registration = pf.registration(world.student_a1, session)
    ticket, token = ticket_and_token(registration)
    db.session.commit()
    return session, registration, ticket, token


@pytest.mark.parametrize("who", ["company_admin_a", "recruiter_a", "park_admin"])
def test_the_organisers_see_the_list_with_names_and_codes(world, client, login_as, day, who):
    session, _registration, ticket, _token = day
    login_as(getattr(world, who))
    page = client.get(_page(session)).get_data(as_text=True)
    assert world.student_a1.display_name in page
    assert f"{ticket.code[:3]}-{ticket.code[3:]}" in page
    data = client.get(_page(session) + "/data").get_json()
    assert data["session_id"] == session.id and len(data["public_key"]) == 43
    assert [a["id"] for a in data["attendees"]] == [day[1].id]


@pytest.mark.parametrize("who", ["recruiter_b", "student_a1", "dean_a1", "coordinator_b"])
def test_others_get_neither_the_page_nor_the_list(world, client, login_as, day, who):
    session, _registration, ticket, _token = day
    login_as(getattr(world, who))
    for url in (_page(session), _page(session) + "/data"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert ticket.code not in response.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client, day):
    for url in (_page(day[0]), _page(day[0]) + "/data"):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_faculty_programme_is_checked_in_by_its_faculty_only(world, client, login_as, db):
    session = session_today(world, organiser_company=None, organiser_faculty=world.fac_a1)
    pf.registration(world.student_a2, session)
    db.session.commit()
    login_as(world.officer_a2)  # staff of another faculty of the same university
    assert client.get(_page(session)).status_code == 403
    login_as(world.dean_a1)
    assert client.get(_page(session)).status_code == 200


@pytest.mark.parametrize("who", ["recruiter_b", "student_a1"])
def test_others_cannot_post_check_ins(world, client, login_as, day, who, post_form):
    session, registration, ticket, token = day
    login_as(getattr(world, who))
    token_page = client.get("/notifications")
    csrf = csrf_from(token_page)
    sync = client.post(
        _page(session) + "/sync",
        json={"scans": [_item(token)]},
        headers={"X-CSRFToken": csrf, "Accept": "application/json"},
    )
    assert sync.status_code == 403
    for path, data in (
        ("/code", {"code": ticket.code}),
        (f"/registrations/{registration.id}", {}),
        ("/walk-in", {"identifier": world.student_a1_other.email}),
        ("/self", {"open": "1"}),
    ):
        response = client.post(_page(session) + path, data={"csrf_token": csrf, **data})
        assert response.status_code == 403, path
    assert count(Attendance) == 0 and count(SessionCheckIn) == 0


def _item(token, scan_id="s-1", client_id="c-1"):
    return {"scan_id": scan_id, "client_id": client_id, "token": token, "scanned_at": _now()}


def _now():
    from foundry.db import utcnow

    return utcnow().isoformat()


def test_the_code_form_checks_in_and_says_so(world, client, login_as, day, post_form):
    session, registration, ticket, _token = day
    login_as(world.recruiter_a)
    response = post_form(_page(session) + "/code", {"code": ticket.code}, form_page=_page(session))
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{world.student_a1.display_name} is checked in." in page
    again = post_form(_page(session) + "/code", {"code": ticket.code}, form_page=_page(session))
    assert again.status_code == 303
    assert "is already checked in, at" in client.get(_page(session)).get_data(as_text=True)
    (attendance,) = pf_attendances()
    assert (
        attendance.method is CheckInMethod.CODE
        and attendance.recorded_by_id == world.recruiter_a.id
    )


def pf_attendances():
    import sqlalchemy as sa

    from foundry.extensions import db

    return list(db.session.scalars(sa.select(Attendance)))


@pytest.mark.parametrize(
    ("code", "status", "message"),
    [
        ("", 400, "Type the code shown under the ticket"),
        ("ZZZZZZZ", 409, "No ticket of this session has that code."),
        ("x" * 30, 400, "A ticket code has 7 letters and digits."),
    ],
)
def test_a_bad_code_is_refused_with_a_message(
    world, login_as, day, post_form, code, status, message
):
    session = day[0]
    login_as(world.recruiter_a)
    response = post_form(_page(session) + "/code", {"code": code}, form_page=_page(session))
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert count(Attendance) == 0


def test_the_list_button_checks_in(world, login_as, day, post_form):
    session, registration, _ticket, _token = day
    login_as(world.recruiter_a)
    url = _page(session) + f"/registrations/{registration.id}"
    assert post_form(url, form_page=_page(session)).status_code == 303
    assert [a.method for a in pf_attendances()] == [CheckInMethod.LIST]


def test_the_list_button_refuses_a_registration_of_another_session(
    world, login_as, day, post_form, db
):
    session = day[0]
    elsewhere = pf.registration(world.student_b1, session_today(world))
    db.session.commit()
    login_as(world.recruiter_a)
    url = _page(session) + f"/registrations/{elsewhere.id}"
    response = post_form(url, form_page=_page(session))
    assert response.status_code == 409
    assert count(Attendance) == 0


def test_the_organiser_opens_and_closes_self_check_in(world, client, login_as, day, post_form):
    session = day[0]
    login_as(world.recruiter_a)
    post_form(_page(session) + "/self", {"open": "1"}, form_page=_page(session))
    assert "Close self check-in" in client.get(_page(session)).get_data(as_text=True)
    post_form(_page(session) + "/self", {"open": "0"}, form_page=_page(session))
    assert "Open self check-in" in client.get(_page(session)).get_data(as_text=True)


def test_the_page_costs_the_same_statements_for_3_or_30_people(world, client, login_as, db):
    sizes = {}
    login_as(world.recruiter_a)
    for n in (3, 30):
        session = session_today(world, capacity=40)
        for _ in range(n):
            pf.registration(student(world.fac_a1), session)
        db.session.commit()
        client.get(_page(session))  # tickets made at the first visit
        statements, _response = statements_of_request(client, _page(session))
        sizes[n] = statements
    assert len(sizes[3]) == len(sizes[30]), outline(sizes[30])


def test_only_the_check_in_page_may_use_the_camera(world, client, login_as, day):
    session, registration, _ticket, _token = day
    login_as(world.recruiter_a)
    policy = client.get(_page(session)).headers["Permissions-Policy"]
    assert "camera=(self)" in policy and "microphone=()" in policy
    assert "camera=()" in client.get(_page(session) + "/data").headers["Permissions-Policy"]
