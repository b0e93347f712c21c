"""The pages around the round trip: choosing the university, starting the sign-in, the
new student's first details and the page for accounts nobody has given a role."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from foundry.accounts.models import User
from foundry.sso.onboarding import graduation_years
from foundry.students.models import StudentProfile
from foundry.universities.models import StudyLevel
from tests import factories as f
from tests.conftest import csrf_from
from tests.sso.conftest import sign_in_through, start_login, student_claims


def choose(client, **data):
    page = client.get("/demo/sign-in")
    return client.post("/sign-in/university", data={"csrf_token": csrf_from(page), **data})


def flashes(client) -> str:
    with client.session_transaction() as session:
        return " ".join(str(m) for _c, m in session.get("_flashes", []))


# --- choosing the university -----------------------------------------------------------------


def test_choose_by_code_goes_to_the_universitys_login(client, connected):
    response = choose(client, university="UA", next="/postings")
    assert response.status_code == 303
    assert response.headers["Location"] == "/sso/UA/login?next=/postings"


def test_choose_by_email_domain(client, connected):
    response = choose(client, email="  Amy@UA.edu.hk ")
    assert response.status_code == 303
    assert response.headers["Location"] == "/sso/UA/login"


def test_choose_drops_a_next_to_another_site(client, connected):
    response = choose(client, university="UA", next="https://evil.example/")
    assert response.headers["Location"] == "/sso/UA/login"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"university": "ZZ"}, "We do not know that university"),
        ({"email": "amy@unknown.edu"}, "We do not know that university"),
        ({"email": "amy@evil.ua.edu.hk"}, "We do not know that university"),
        ({"email": "no-at-sign"}, "We do not know that university"),
        ({"university": "UB"}, "has not switched on single sign-on"),
        ({}, "Choose your university"),
        ({"university": "U" * 500}, "Choose your university"),
        ({"university": "../../etc"}, "We do not know that university"),
        ({"email": "a@" + "x" * 300}, "Choose your university"),
        ({"email": "amy@ü.edu.hk"}, "We do not know that university"),
    ],
)
def test_choose_anything_else_returns_to_sign_in_with_a_message(client, connected, data, message):
    response = choose(client, **data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-in"
    assert message in flashes(client)


@pytest.mark.parametrize("data", [{"university": "UA\x00"}, {"email": "amy@ua.edu.hk\x00"}])
def test_choose_with_a_null_character_is_a_400_with_a_message(client, connected, data):
    """The guard of every route (foundry/security.py) answers before the view runs."""
    response = choose(client, **data)
    assert response.status_code == 400
    assert "cannot be stored (a null character)" in response.get_data(as_text=True)


def test_choose_refuses_a_disabled_connection(client, connected, db):
    connected.uni_a.sso.enabled = False
    db.session.commit()
    response = choose(client, university="UA")
    assert response.headers["Location"] == "/sign-in"
    assert "has not switched on single sign-on" in flashes(client)


def test_choose_needs_the_csrf_token(client, connected):
    response = client.post("/sign-in/university", data={"university": "UA"})
    assert response.status_code == 400


# --- starting the round trip ------------------------------------------------------------------


def test_login_sends_a_complete_authorization_request(client, connected, idp):
    location = start_login(client, next="/postings")
    params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    assert location.startswith(idp.issuer + "/authorize?")
    assert params["response_type"] == "code"
    assert params["client_id"] == idp.client_id
    assert params["redirect_uri"] == "http://localhost/sso/UA/callback"
    assert params["scope"] == "openid email profile"
    assert params["code_challenge_method"] == "S256"
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    with client.session_transaction() as session:
        flow = session["sso_flows"][params["state"]]
    assert flow["u"] == "UA" and flow["next"] == "/postings"
    assert flow["n"] == params["nonce"]


def test_login_for_an_unknown_or_unconnected_university_returns_to_sign_in(client, connected):
    for code in ("ZZ", "UB", "x" * 40, "U%0AA", "%E2%80%AE"):
        response = client.get(f"/sso/{code}/login")
        assert response.status_code == 303
        assert response.headers["Location"] == "/sign-in"
    assert client.get("/sso/UA%00/login").status_code == 400  # the NUL guard of every route


def test_login_keeps_only_a_few_pending_sign_ins(client, connected, idp):
    states = [parse_qs(urlsplit(start_login(client)).query)["state"][0] for _ in range(7)]
    with client.session_transaction() as session:
        kept = set(session["sso_flows"])
    assert len(kept) == 5
    assert kept == set(states[-5:])


def test_two_tabs_can_sign_in_in_parallel(client, connected, idp):
    first = idp.approve(start_login(client), student_claims())
    second = idp.approve(start_login(client, next="/postings"), student_claims())
    response = client.get("/sso/UA/callback", query_string=second)
    assert response.status_code == 303
    assert response.headers["Location"] == "/welcome"
    # The first tab's sign-in was dropped with the old session when the second signed in.
    again = client.get("/sso/UA/callback", query_string=first)
    assert again.status_code == 400


@pytest.mark.parametrize("code", ["nowhere", "UA%00", "U%0AA"])
def test_callback_of_an_unknown_university_is_a_clear_page(client, connected, code):
    response = client.get(f"/sso/{code}/callback", query_string={"state": "x\x00", "code": "y"})
    assert response.status_code == 400
    assert 'href="/sso/' not in response.get_data(as_text=True)  # no retry for nowhere


# --- onboarding ------------------------------------------------------------------------------


@pytest.fixture
def new_student(client, connected, idp):
    response = sign_in_through(client, idp, student_claims())
    assert response.headers["Location"] == "/welcome"
    return connected


def onboard(client, **data):
    page = client.get("/welcome")
    return client.post("/welcome", data={"csrf_token": csrf_from(page), **data})


def the_profile(db):
    """The profile of the student who signed in through the IdP."""
    db.session.expire_all()
    return db.session.scalar(
        sa.select(StudentProfile).join(User).where(User.email == "amy@ua.edu.hk")
    )


def test_onboarding_page_lists_only_the_facultys_programmes(client, new_student):
    page = client.get("/welcome")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "BEng Computer Engineering" in text
    assert "BSc Data Science" not in text  # a programme of the other faculty
    assert "A Engineering" in text


def test_onboarding_creates_the_profile(client, new_student, db):
    year = graduation_years().start + 2
    response = onboard(
        client, study_level="ug", graduation_year=str(year), programme=str(new_student.prog_a1.id)
    )
    assert response.status_code == 303
    profile = the_profile(db)
    assert profile.study_level is StudyLevel.UG
    assert profile.graduation_year == year
    assert profile.programme_id == new_student.prog_a1.id
    assert profile.faculty_id == new_student.fac_a1.id
    assert profile.university_id == new_student.uni_a.id
    assert profile.student_number == "20240001"
    # Done: the page now sends the student home.
    assert client.get("/welcome").status_code == 303


def test_onboarding_programme_is_optional(client, new_student, db):
    response = onboard(client, study_level="phd", graduation_year=str(graduation_years()[-1]))
    assert response.status_code == 303
    assert the_profile(db).programme_id is None


@pytest.mark.parametrize(
    "data",
    [
        {"study_level": "", "graduation_year": "2027"},
        {"study_level": "master", "graduation_year": "2027"},
        {"study_level": "ug", "graduation_year": ""},
        {"study_level": "ug", "graduation_year": "1999"},
        {"study_level": "ug", "graduation_year": "abc"},
        {"study_level": "ug", "graduation_year": "2027", "programme": "999999"},
        {"study_level": "ug", "graduation_year": "2027", "programme": "x"},
        {"study_level": "ug", "graduation_year": "2027", "programme": "OTHER"},
    ],
)
def test_onboarding_bad_input_is_refused_with_messages(client, new_student, db, data):
    if data.get("programme") == "OTHER":
        data = {**data, "programme": str(new_student.prog_a2.id)}
    if data["graduation_year"] == "2027":
        data = {**data, "graduation_year": str(graduation_years().start + 1)}
    response = onboard(client, **data)
    assert response.status_code == 400
    assert "Please correct the following" in response.get_data(as_text=True)
    assert the_profile(db) is None


def test_onboarding_needs_sign_in(client, connected):
    response = client.get("/welcome")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_onboarding_is_not_for_staff_or_recruiters(client, login_as, connected):
    login_as(connected.recruiter_a)
    assert client.get("/welcome").status_code == 403
    assert client.post("/welcome", data={}).status_code in (400, 403)


def test_onboarding_sends_a_student_with_a_profile_home(client, login_as, connected):
    login_as(connected.student_a1)
    response = client.get("/welcome")
    assert response.status_code == 303


def test_no_access_page_sends_people_with_roles_home(client, login_as, connected):
    login_as(connected.dean_a1)
    assert client.get("/welcome/no-access").status_code == 303


def test_no_access_page_needs_sign_in(client, connected):
    assert client.get("/welcome/no-access").status_code == 302


def test_onboarding_ignores_a_student_number_taken_meanwhile(client, new_student, db):
    f.student(new_student.fac_a2, student_number="20240001")
    db.session.commit()
    response = onboard(client, study_level="pg", graduation_year=str(graduation_years()[3]))
    assert response.status_code == 303
    assert the_profile(db).student_number is None


def test_sso_sign_in_makes_a_server_session_that_sign_out_ends(app, client, connected, idp, db):
    from foundry.accounts.models import UserSession
    from foundry.accounts.session import SESSION_SECRET
    from foundry.crypto import token_hash
    from tests.sso.conftest import sign_in_through, student_claims

    assert sign_in_through(client, idp, student_claims(student_number="1")).status_code == 303
    with client.session_transaction() as session:
        row = db.session.get(UserSession, token_hash(session[SESSION_SECRET]))
    assert row is not None and row.ended_at is None and row.user.email == "amy@ua.edu.hk"
    copy = app.test_client()
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    copy.set_cookie(cookie.key, cookie.value)
    assert copy.get("/notifications").status_code == 200
    client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/notifications"))})
    assert copy.get("/notifications").status_code == 302
