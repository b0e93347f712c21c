"""Who an SSO sign-in creates or updates, and with which roles: students in their faculty,
staff without roles unless a trusted claim says otherwise, nobody linked by e-mail."""

from __future__ import annotations

import sqlalchemy as sa

from foundry.accounts.models import Role, User
from foundry.audit.models import AuditEvent
from foundry.sso.models import UserIdentity
from foundry.students.models import StudentProfile
from foundry.universities.models import StudyLevel
from tests import factories as f
from tests.sso.conftest import (
    connect,
    sign_in_through,
    signed_in_user_id,
    staff_claims,
    student_claims,
    users_and_identities,
)


def user_by_email(db, email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def profile_of(db, user: User) -> StudentProfile | None:
    return db.session.scalar(sa.select(StudentProfile).where(StudentProfile.user_id == user.id))


def audit_actions(db) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def with_claims(db, world, idp, **claims):
    connect(world.uni_a, idp, claims=claims)
    db.session.commit()


# --- students ------------------------------------------------------------------------------


def test_first_sign_in_creates_a_student_in_the_claimed_faculty(client, connected, idp, db):
    response = sign_in_through(client, idp, student_claims())
    assert response.status_code == 303
    assert response.headers["Location"] == "/welcome"
    user = user_by_email(db, "amy@ua.edu.hk")
    assert user.display_name == "Amy Chan"
    assert user.password_hash is None
    assert user.email_verified_at is not None
    assert user.last_sign_in_at is not None
    assert signed_in_user_id(client) == user.get_id()
    [membership] = user.memberships
    assert (membership.role, membership.faculty_id, membership.university_id) == (
        Role.STUDENT,
        connected.fac_a1.id,
        connected.uni_a.id,
    )
    assert membership.granted_by_id is None
    identity = db.session.scalar(sa.select(UserIdentity).where(UserIdentity.user_id == user.id))
    assert (identity.issuer, identity.subject, identity.email) == (
        idp.issuer,
        "amy-001",
        user.email,
    )
    assert identity.affiliation_set == {"student", "member"}
    assert profile_of(db, user) is None  # asked at /welcome
    actions = audit_actions(db)
    assert "user.created_by_sso" in actions and "role.granted" in actions
    assert "user.sign_in" in actions


def test_study_claims_create_the_profile_at_once(client, connected, idp, db):
    with_claims(db, connected, idp, study_level="level", graduation_year="grad_year")
    claims = student_claims(level="PG", grad_year="2027")
    response = sign_in_through(client, idp, claims, next="/postings")
    assert response.status_code == 303
    assert response.headers["Location"] == "/postings"
    profile = profile_of(db, user_by_email(db, "amy@ua.edu.hk"))
    assert profile.study_level is StudyLevel.PG
    assert profile.graduation_year == 2027
    assert profile.faculty_id == connected.fac_a1.id
    assert profile.university_id == connected.uni_a.id
    assert profile.student_number == "20240001"


def test_implausible_study_claims_send_the_student_to_onboarding(client, connected, idp, db):
    with_claims(db, connected, idp, study_level="level", graduation_year="grad_year")
    response = sign_in_through(client, idp, student_claims(level="kindergarten", grad_year="1970"))
    assert response.headers["Location"] == "/welcome"
    assert profile_of(db, user_by_email(db, "amy@ua.edu.hk")) is None


def test_faculty_is_matched_by_name_case_insensitively(client, connected, idp, db):
    sign_in_through(client, idp, student_claims(faculty="a science"))
    user = user_by_email(db, "amy@ua.edu.hk")
    assert user.memberships[0].faculty_id == connected.fac_a2.id


def test_affiliation_may_be_a_string_in_any_case(client, connected, idp, db):
    sign_in_through(client, idp, student_claims(eduPersonAffiliation="Student"))
    assert user_by_email(db, "amy@ua.edu.hk").has_role(Role.STUDENT)


def test_email_is_lower_cased_and_verified_may_be_a_string(client, connected, idp, db):
    response = sign_in_through(
        client, idp, student_claims(email="Amy@UA.edu.hk", email_verified="true")
    )
    assert response.status_code == 303
    assert user_by_email(db, "amy@ua.edu.hk") is not None


def test_email_from_userinfo_when_the_id_token_has_none(client, connected, idp, db):
    idp.userinfo_only.update({"email", "email_verified", "faculty", "eduPersonAffiliation"})
    response = sign_in_through(client, idp, student_claims())
    assert response.status_code == 303
    assert idp.hits["/userinfo"] == 1
    assert user_by_email(db, "amy@ua.edu.hk").has_role(Role.STUDENT)


def test_userinfo_is_not_asked_when_the_id_token_says_everything(client, connected, idp, db):
    sign_in_through(client, idp, student_claims(student_number=None) | {"student_number": "1"})
    assert idp.hits["/userinfo"] == 0


def test_student_of_a_faculty_of_another_university_is_refused(client, connected, idp, db, caplog):
    before = users_and_identities(db)
    response = sign_in_through(client, idp, student_claims(faculty="B Engineering"))
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "B Engineering" in page and "not one of University A" in page
    assert users_and_identities(db) == before
    assert signed_in_user_id(client) is None


def test_student_without_faculty_claim_is_refused_naming_it(client, connected, idp, db):
    before = users_and_identities(db)
    response = sign_in_through(client, idp, student_claims(faculty=None))
    assert response.status_code == 403
    assert "did not say which faculty" in response.get_data(as_text=True)
    assert "“faculty”" in response.get_data(as_text=True)
    assert users_and_identities(db) == before


def test_student_number_of_another_profile_is_refused(client, connected, idp, db):
    f.student(connected.fac_a1, student_number="20240001")
    db.session.commit()
    before = users_and_identities(db)
    with_claims(db, connected, idp, study_level="level", graduation_year="grad_year")
    response = sign_in_through(client, idp, student_claims(level="ug", grad_year="2028"))
    assert response.status_code == 409
    assert users_and_identities(db) == before


# --- staff and nobody ------------------------------------------------------------------------


def test_staff_get_an_account_without_roles(client, connected, idp, db):
    response = sign_in_through(client, idp, staff_claims())
    assert response.status_code == 303
    assert response.headers["Location"] == "/welcome/no-access"
    user = user_by_email(db, "sam@ua.edu.hk")
    assert user.memberships == []
    page = client.get("/welcome/no-access").get_data(as_text=True)
    assert "Nobody has given you access yet" in page
    assert "University A" in page


def test_no_affiliation_gives_no_rights(client, connected, idp, db):
    with_claims(db, connected, idp, staff_role="roles")
    claims = staff_claims(eduPersonAffiliation=None, roles=["dean", "university_coordinator"])
    response = sign_in_through(client, idp, claims)
    assert response.headers["Location"] == "/welcome/no-access"
    assert user_by_email(db, "sam@ua.edu.hk").memberships == []


def test_member_only_affiliation_gives_no_rights(client, connected, idp, db):
    sign_in_through(client, idp, staff_claims(eduPersonAffiliation=["member", "alum"]))
    assert user_by_email(db, "sam@ua.edu.hk").memberships == []


def test_staff_role_claim_is_ignored_unless_configured(client, connected, idp, db):
    sign_in_through(client, idp, staff_claims(roles=["dean"], staff_role=["dean"]))
    assert user_by_email(db, "sam@ua.edu.hk").memberships == []


def test_configured_staff_role_claim_grants_those_roles(client, connected, idp, db):
    with_claims(db, connected, idp, staff_role="roles")
    claims = staff_claims(roles=["Dean", "university_coordinator", "park_admin", "recruiter"])
    response = sign_in_through(client, idp, claims)
    assert response.headers["Location"] == "/"
    user = user_by_email(db, "sam@ua.edu.hk")
    granted = {(m.role, m.faculty_id, m.university_id) for m in user.memberships}
    assert granted == {
        (Role.DEAN, connected.fac_a1.id, connected.uni_a.id),
        (Role.UNIVERSITY_COORDINATOR, None, connected.uni_a.id),
    }
    assert all(m.granted_by_id is None for m in user.memberships)
    grants = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "role.granted")
    ).all()
    assert {g.details["role"] for g in grants} == {"dean", "university_coordinator"}
    assert all(g.actor_id is None and g.details["source"] == "sso" for g in grants)


def test_faculty_role_without_a_known_faculty_is_not_granted(client, connected, idp, db):
    with_claims(db, connected, idp, staff_role="roles")
    sign_in_through(client, idp, staff_claims(roles="placement_officer", faculty="Unknown"))
    assert user_by_email(db, "sam@ua.edu.hk").memberships == []


def test_a_student_claiming_a_staff_role_gets_only_the_student_role(client, connected, idp, db):
    with_claims(db, connected, idp, staff_role="roles")
    sign_in_through(client, idp, student_claims(roles=["dean"]))
    assert user_by_email(db, "amy@ua.edu.hk").roles() == {Role.STUDENT}


# --- later sign-ins -------------------------------------------------------------------------


def test_same_subject_with_a_new_email_is_the_same_account(app, client, connected, idp, db):
    sign_in_through(client, idp, student_claims())
    user_id = user_by_email(db, "amy@ua.edu.hk").id
    browser = app.test_client()
    claims = student_claims(email="amy.chan@ua.edu.hk", name="Amy Chan Mei")
    response = sign_in_through(browser, idp, claims)
    assert response.status_code == 303
    user = user_by_email(db, "amy.chan@ua.edu.hk")
    assert user.id == user_id
    assert user.display_name == "Amy Chan Mei"
    assert user_by_email(db, "amy@ua.edu.hk") is None
    assert users_and_identities(db)[1] == 1
    identity = db.session.scalar(sa.select(UserIdentity))
    assert identity.email == "amy.chan@ua.edu.hk"


def test_new_email_owned_by_another_account_is_refused(app, client, connected, idp, db):
    sign_in_through(client, idp, student_claims())
    f.UserFactory(email="taken@ua.edu.hk")
    db.session.commit()
    browser = app.test_client()
    response = sign_in_through(browser, idp, student_claims(email="taken@ua.edu.hk"))
    assert response.status_code == 409
    assert "talent team" in response.get_data(as_text=True)
    assert signed_in_user_id(browser) is None
    assert user_by_email(db, "amy@ua.edu.hk") is not None


def test_new_subject_with_an_existing_email_is_never_linked(client, connected, idp, db, caplog):
    existing = f.UserFactory(email="amy@ua.edu.hk")
    db.session.commit()
    response = sign_in_through(client, idp, student_claims())
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "already uses this e-mail address" in page
    assert 'href="/sso/UA/login"' not in page  # starting again would not help
    assert signed_in_user_id(client) is None
    assert users_and_identities(db)[1] == 0
    db.session.refresh(existing)
    assert existing.memberships == []


def test_later_sign_in_moves_the_student_to_the_new_faculty(app, client, connected, idp, db):
    with_claims(db, connected, idp, study_level="level", graduation_year="grad_year")
    claims = student_claims(level="ug", grad_year="2027")
    sign_in_through(client, idp, claims)
    user = user_by_email(db, "amy@ua.edu.hk")
    profile = profile_of(db, user)
    profile.programme_id = connected.prog_a1.id
    db.session.commit()

    sign_in_through(app.test_client(), idp, {**claims, "faculty": "SCI"})
    user = user_by_email(db, "amy@ua.edu.hk")
    assert [(m.role, m.faculty_id) for m in user.memberships] == [
        (Role.STUDENT, connected.fac_a2.id)
    ]
    profile = profile_of(db, user)
    assert profile.faculty_id == connected.fac_a2.id
    assert profile.programme_id is None  # the old faculty's programme is dropped
    assert "student.faculty_changed" in audit_actions(db)


def test_later_sign_in_keeps_the_faculty_when_the_claim_is_unknown(app, client, connected, idp, db):
    sign_in_through(client, idp, student_claims())
    response = sign_in_through(app.test_client(), idp, student_claims(faculty="Nowhere"))
    assert response.status_code == 303
    user = user_by_email(db, "amy@ua.edu.hk")
    assert user.memberships[0].faculty_id == connected.fac_a1.id


def test_deactivated_account_cannot_sign_in(app, client, connected, idp, db):
    sign_in_through(client, idp, student_claims())
    user = user_by_email(db, "amy@ua.edu.hk")
    user.active = False
    db.session.commit()
    browser = app.test_client()
    response = sign_in_through(browser, idp, student_claims())
    assert response.status_code == 403
    assert signed_in_user_id(browser) is None


def test_same_subject_at_another_university_is_another_account(
    client, both_connected, idp, idp_b, db
):
    """Subjects are only unique per issuer: "amy-001" at B is somebody else."""
    sign_in_through(client, idp, student_claims())
    response = sign_in_through(
        client, idp_b, student_claims(email="amy@ub.edu.hk", faculty="ENG"), code="UB"
    )
    assert response.status_code == 303
    a, b = user_by_email(db, "amy@ua.edu.hk"), user_by_email(db, "amy@ub.edu.hk")
    assert a.id != b.id
    assert b.memberships[0].university_id == both_connected.uni_b.id


def test_control_characters_in_claims_are_dropped(client, connected, idp, db):
    claims = student_claims(name="Amy\x00 Chan\x1b", eduPersonAffiliation="stu\x00dent")
    response = sign_in_through(client, idp, claims)
    assert response.status_code == 303
    user = user_by_email(db, "amy@ua.edu.hk")
    assert user.display_name == "Amy Chan"
    assert user.has_role(Role.STUDENT)
