"""Where a user made by SSO lands before they can use the portal."""

from foundry.accounts.models import Role
from foundry.sso.models import UserIdentity
from tests.factories import MembershipFactory, UserFactory


def _sso_user(db, university, **kwargs):
    user = UserFactory(**kwargs)
    db.session.add(
        UserIdentity(
            user=user,
            university=university,
            issuer="https://idp.example.edu.hk",
            subject=f"sub-{user.email}",
            email=user.email,
            affiliations="staff",
        )
    )
    return user


def test_a_student_without_study_details_is_asked_for_them_first(client, db, world, login_as):
    user = _sso_user(db, world.uni_a)
    MembershipFactory(
        user=user, role=Role.STUDENT, university=world.uni_a, faculty_id=world.fac_a1.id
    )
    login_as(user)
    for page in ("/me", "/me/profile"):
        response = client.get(page)
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/welcome")


def test_a_university_account_without_any_role_is_told_why_it_sees_nothing(
    client, db, world, login_as
):
    login_as(_sso_user(db, world.uni_a))
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/welcome/no-access")


def test_a_user_with_a_role_goes_to_their_area_as_before(client, world, login_as):
    login_as(world.dean_a1)
    response = client.get("/")
    assert response.headers["Location"].endswith(f"/faculty/{world.fac_a1.id}")
