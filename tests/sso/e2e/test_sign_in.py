"""Signing in through the universities' real IdPs: who is created, with which roles, where;
and what a later sign-in changes."""

from __future__ import annotations

import sqlalchemy as sa

from foundry.accounts.models import Role, User
from foundry.sso.models import UserIdentity
from foundry.sso.services import configure_connection
from foundry.students.models import StudentProfile
from foundry.universities.models import StudyLevel
from tests.sso.e2e.checks import count, page_text, signed_in_user_id, user_by_email
from tests.sso.e2e.flow import SsoBrowser


def _memberships(user: User) -> set[tuple[Role, int | None, int | None]]:
    return {(m.role, m.university_id, m.faculty_id) for m in user.memberships}


def test_hkust_student_is_created_at_first_sign_in_in_their_faculty(campus, idp, browser, db):
    response = browser.sign_in("HKUST", "hkust-student")

    student = user_by_email("ka.ming.chan@connect.ust.hk")
    assert student is not None and student.display_name == "Chan Ka Ming"
    assert _memberships(student) == {(Role.STUDENT, campus.hkust.id, campus.hkust_engineering.id)}
    assert signed_in_user_id(browser.client) == student.id
    identity = db.session.scalars(sa.select(UserIdentity)).one()
    assert (identity.user_id, identity.university_id) == (student.id, campus.hkust.id)
    assert (identity.issuer, identity.subject) == (idp.issuer("hkust"), "hkust-student")
    # HKUST's IdP sends no study level or graduation year: the student is asked once.
    assert response.status_code == 303 and response.headers["Location"].endswith("/welcome")


def test_new_student_gives_their_study_details_once(campus, browser, post_form, db):
    browser.sign_in("HKUST", "hkust-student")

    response = post_form("/welcome", {"study_level": "ug", "graduation_year": "2028"})

    assert response.status_code == 303
    profile = db.session.scalars(sa.select(StudentProfile)).one()
    assert profile.user_id == user_by_email("ka.ming.chan@connect.ust.hk").id
    assert profile.study_level is StudyLevel.UG and profile.graduation_year == 2028
    assert profile.student_number == "20123456"
    assert profile.faculty_id == campus.hkust_engineering.id


def test_study_details_from_the_idp_make_the_profile_at_once(campus, idp, browser, db):
    configure_connection(
        campus.hkust,
        actor=campus.park_admin,
        issuer=idp.issuer("hkust"),
        client_id="foundry-hkust",
        claims={"study_level": "study_level", "graduation_year": "graduation_year"},
    )
    idp.update_account("hkust-student", study_level="pg", graduation_year=2027)

    response = browser.sign_in("HKUST", "hkust-student", next_url="/postings")

    assert response.status_code == 303 and response.headers["Location"].endswith("/postings")
    profile = db.session.scalars(sa.select(StudentProfile)).one()
    assert (profile.study_level, profile.graduation_year) == (StudyLevel.PG, 2027)
    assert profile.student_number == "20123456"


def test_dean_gets_the_dean_role_from_the_configured_claim(campus, browser):
    response = browser.sign_in("HKUST", "hkust-dean")

    dean = user_by_email("wing.yan.lee@ust.hk")
    assert _memberships(dean) == {(Role.DEAN, campus.hkust.id, campus.hkust_engineering.id)}
    assert signed_in_user_id(browser.client) == dean.id
    assert response.status_code == 303 and not response.headers["Location"].endswith("/welcome")


def test_staff_without_a_role_claim_get_an_account_without_roles(campus, browser, client):
    response = browser.sign_in("HKUST", "hkust-staff")

    staff = user_by_email("man.ho.ho@ust.hk")
    assert staff is not None and staff.memberships == []
    assert signed_in_user_id(browser.client) == staff.id
    assert response.headers["Location"].endswith("/welcome/no-access")
    page = client.get("/welcome/no-access")
    assert page.status_code == 200 and "coordinator" in page_text(page).lower()


def test_no_affiliation_gives_no_staff_rights_whatever_the_role_claim(campus, idp, browser):
    idp.set_account(
        "hkust-visitor",
        {
            "email": "visitor@ust.hk",
            "email_verified": True,
            "name": "A Visitor",
            "faculty": "SENG",
            "foundry_role": "dean",
        },
    )

    browser.sign_in("HKUST", "hkust-visitor")

    assert user_by_email("visitor@ust.hk").memberships == []


def test_a_student_claiming_a_staff_role_is_only_a_student(campus, idp, browser):
    idp.update_account("hkust-student", foundry_role="dean")

    browser.sign_in("HKUST", "hkust-student")

    student = user_by_email("ka.ming.chan@connect.ust.hk")
    assert {m.role for m in student.memberships} == {Role.STUDENT}


def test_later_sign_in_updates_name_and_faculty(campus, idp, app):
    SsoBrowser(app.test_client()).sign_in("HKUST", "hkust-student")
    first = user_by_email("ka.ming.chan@connect.ust.hk")
    idp.update_account("hkust-student", name="Chan Ka Ming Kelvin", faculty="SSCI")

    again = SsoBrowser(app.test_client())
    again.sign_in("HKUST", "hkust-student")

    student = user_by_email("ka.ming.chan@connect.ust.hk")
    assert student.id == first.id and student.display_name == "Chan Ka Ming Kelvin"
    assert _memberships(student) == {(Role.STUDENT, campus.hkust.id, campus.hkust_science.id)}
    assert signed_in_user_id(again.client) == student.id
    assert count(User) == 2 and count(UserIdentity) == 1  # the park admin and the student


def test_a_changed_email_with_the_same_subject_is_the_same_account(campus, idp, app):
    SsoBrowser(app.test_client()).sign_in("HKUST", "hkust-student")
    first = user_by_email("ka.ming.chan@connect.ust.hk")
    idp.update_account("hkust-student", email="kelvin.chan@connect.ust.hk")

    again = SsoBrowser(app.test_client())
    again.sign_in("HKUST", "hkust-student")

    assert user_by_email("ka.ming.chan@connect.ust.hk") is None
    assert user_by_email("kelvin.chan@connect.ust.hk").id == first.id
    assert signed_in_user_id(again.client) == first.id
    assert count(UserIdentity) == 1


def test_a_new_subject_with_a_known_email_is_not_linked_to_that_account(campus, idp, app):
    SsoBrowser(app.test_client()).sign_in("HKUST", "hkust-student")
    idp.set_account("someone-else", {**idp.accounts["hkust-student"], "name": "Impostor"})

    other = SsoBrowser(app.test_client())
    response = other.sign_in("HKUST", "someone-else")

    assert response.status_code == 409
    assert signed_in_user_id(other.client) is None
    assert user_by_email("ka.ming.chan@connect.ust.hk").display_name == "Chan Ka Ming"
    assert count(UserIdentity) == 1


def test_hku_student_signs_in_at_hkus_own_idp(campus, idp, browser):
    browser.sign_in("HKU", "hku-student")

    student = user_by_email("hoi.ying.lam@connect.hku.hk")
    assert _memberships(student) == {(Role.STUDENT, campus.hku.id, campus.hku_computing.id)}
    assert student.identities[0].issuer == idp.issuer("hku")
