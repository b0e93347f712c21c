"""Staff roles of a university: the coordinator (or the park admin) grants and revokes."""

from __future__ import annotations

import pytest

from foundry.accounts.models import Role, RoleMembership
from foundry.audit.models import AuditEvent
from tests import factories as pf
from tests.factories import coordinator


def _roles(db, user, university):
    return sorted(
        (m.role.value, m.faculty_id)
        for m in db.session.scalars(
            db.select(RoleMembership).filter_by(user_id=user.id, university_id=university.id)
        )
    )


@pytest.fixture
def lecturer(world, db):
    user = pf.sso_staff(world.uni_a, display_name="Dr Lee Wing", email="wing.lee@ua.edu.hk")
    db.session.commit()
    return user


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator_a", "park_admin"])
def test_coordinator_and_park_admin_see_the_staff(client, world, login_as, lecturer, who):
    login_as(getattr(world, who))
    html = client.get("/universities/UA/staff").get_data(as_text=True)
    assert "Dr Lee Wing" in html
    assert world.dean_a1.display_name in html and world.coordinator_a.display_name in html
    assert world.dean_b1.display_name not in html  # another university's staff
    assert world.student_a1.display_name not in html  # students are not staff


@pytest.mark.parametrize(
    "who", ["coordinator_b", "dean_a1", "officer_a2", "student_a1", "company_admin_a"]
)
def test_others_cannot_reach_the_staff_pages(client, world, login_as, post_form, db, lecturer, who):
    login_as(getattr(world, who))
    assert client.get("/universities/UA/staff").status_code == 403
    assert client.get(f"/universities/UA/staff/{lecturer.id}").status_code == 403
    response = post_form(
        f"/universities/UA/staff/{lecturer.id}",
        {"role": "dean", "faculty": str(world.fac_a1.id)},
        form_page="/companies",
    )
    assert response.status_code == 403
    dean_role = world.dean_a1.memberships[0]
    response = post_form(
        f"/universities/UA/staff/roles/{dean_role.id}/revoke",
        {"confirmed": "yes"},
        form_page="/companies",
    )
    assert response.status_code == 403
    assert _roles(db, lecturer, world.uni_a) == []
    assert db.session.get(RoleMembership, dean_role.id) is not None


@pytest.mark.parametrize("path", ["/universities/UA/staff", "/universities/UA/staff/1"])
def test_anonymous_visitors_are_sent_to_sign_in(client, world, path):
    response = client.get(path)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_person_of_another_university_is_not_found_here(client, world, login_as):
    login_as(world.coordinator_a)
    assert client.get(f"/universities/UA/staff/{world.dean_b1.id}").status_code == 404
    assert client.get(f"/universities/UA/staff/{world.student_a1.id}").status_code == 404
    assert client.get("/universities/NOPE/staff").status_code == 404


# --- the list ---------------------------------------------------------------------------------


def test_list_filters_by_name_and_faculty_and_sorts(client, world, login_as, lecturer):
    login_as(world.coordinator_a)
    html = client.get("/universities/UA/staff?q=wing").get_data(as_text=True)
    assert "Dr Lee Wing" in html and world.dean_a1.display_name not in html
    html = client.get(f"/universities/UA/staff?faculty={world.fac_a2.id}").get_data(as_text=True)
    assert world.officer_a2.display_name in html and world.dean_a1.display_name not in html
    html = client.get("/universities/UA/staff?q=ua.edu.hk").get_data(as_text=True)
    assert "Dr Lee Wing" in html
    html = client.get("/universities/UA/staff?sort=-name").get_data(as_text=True)
    names = [world.dean_a1.display_name, "Dr Lee Wing"]
    assert html.index(max(names)) < html.index(min(names))


def test_list_refuses_a_faculty_of_another_university(client, world, login_as):
    login_as(world.coordinator_a)
    response = client.get(f"/universities/UA/staff?faculty={world.fac_b1.id}")
    assert response.status_code == 400
    assert "not one of UA" in response.get_data(as_text=True)
    assert client.get("/universities/UA/staff?faculty=abc").status_code == 400
    assert client.get("/universities/UA/staff?sort=password").status_code == 400


def test_affiliations_count_only_as_whole_words(client, world, login_as, db):
    pf.sso_staff(world.uni_a, "student", display_name="Pure Student")
    pf.sso_staff(world.uni_a, "affiliate", display_name="Not Staff Affiliate")
    pf.sso_staff(world.uni_a, "student employee", display_name="Teaching Assistant")
    pf.sso_staff(world.uni_b, "staff", display_name="Staff Elsewhere")
    db.session.commit()
    login_as(world.coordinator_a)
    html = client.get("/universities/UA/staff").get_data(as_text=True)
    assert "Teaching Assistant" in html
    assert "Pure Student" not in html and "Not Staff Affiliate" not in html
    assert "Staff Elsewhere" not in html


def test_list_is_paginated(client, world, login_as, db):
    for n in range(30):
        pf.sso_staff(world.uni_a, display_name=f"Staff {n:02d}")
    db.session.commit()
    login_as(world.coordinator_a)
    html = client.get("/universities/UA/staff?page=2").get_data(as_text=True)
    assert "26–33 of 33" in html


# --- granting ---------------------------------------------------------------------------------


def test_coordinator_grants_a_faculty_role(client, world, login_as, post_form, db, lecturer):
    login_as(world.coordinator_a)
    response = post_form(
        f"/universities/UA/staff/{lecturer.id}",
        {"role": "placement_officer", "faculty": str(world.fac_a1.id)},
    )
    assert response.status_code == 303
    assert _roles(db, lecturer, world.uni_a) == [("placement_officer", world.fac_a1.id)]
    membership = db.session.scalar(db.select(RoleMembership).filter_by(user_id=lecturer.id))
    assert membership.granted_by_id == world.coordinator_a.id
    event = db.session.scalar(
        db.select(AuditEvent).filter_by(action="university.staff_role_granted")
    )
    assert event.actor_id == world.coordinator_a.id and event.details["role"] == "placement_officer"
    # the new officer now sees their faculty
    login_as(lecturer)
    assert client.get(f"/faculty/{world.fac_a1.id}").status_code == 200


def test_park_admin_grants_the_coordinator_role(client, world, login_as, post_form, db, lecturer):
    login_as(world.park_admin)
    response = post_form(
        f"/universities/UA/staff/{lecturer.id}", {"role": "university_coordinator", "faculty": ""}
    )
    assert response.status_code == 303
    assert _roles(db, lecturer, world.uni_a) == [("university_coordinator", None)]


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"role": "dean", "faculty": ""}, "faculty", "Choose the faculty"),
        ({"role": "dean", "faculty": "999999"}, "faculty", "not one of UA"),
        ({"role": "dean", "faculty": "x" * 500}, "faculty", "not one of UA"),
        ({"role": "park_admin", "faculty": ""}, "role", "Choose one of the staff roles"),
        ({"role": "student", "faculty": "FAC"}, "role", "Choose one of the staff roles"),
        ({"role": "overlord", "faculty": ""}, "role", "Choose one of the staff roles"),
        ({"role": "university_coordinator", "faculty": "FAC"}, "faculty", "leave the faculty"),
    ],
)
def test_bad_grants_are_refused_with_a_message(
    client, world, login_as, post_form, db, lecturer, data, field, message
):
    if data["faculty"] == "FAC":
        data = {**data, "faculty": str(world.fac_a1.id)}
    login_as(world.coordinator_a)
    response = post_form(f"/universities/UA/staff/{lecturer.id}", data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert _roles(db, lecturer, world.uni_a) == []


def test_faculty_of_another_university_is_refused_even_when_tampered(
    client, world, login_as, post_form, db, lecturer
):
    login_as(world.coordinator_a)
    response = post_form(
        f"/universities/UA/staff/{lecturer.id}", {"role": "dean", "faculty": str(world.fac_b1.id)}
    )
    assert response.status_code == 400
    assert "That faculty is not one of UA" in response.get_data(as_text=True)
    assert _roles(db, lecturer, world.uni_a) == [] and _roles(db, lecturer, world.uni_b) == []


def test_a_student_without_staff_affiliation_cannot_be_granted(
    client, world, login_as, post_form, db
):
    """Even by posting to a URL the page never offers: the person is not staff here."""
    pf.identity(world.student_a1, world.uni_a, "student member")
    login_as(world.coordinator_a)
    response = post_form(
        f"/universities/UA/staff/{world.student_a1.id}",
        {"role": "dean", "faculty": str(world.fac_a1.id)},
        form_page="/universities/UA/staff",
    )
    assert response.status_code == 404
    assert _roles(db, world.student_a1, world.uni_a) == [("student", world.fac_a1.id)]


def test_a_student_who_is_also_staff_can_be_granted(client, world, login_as, post_form, db):
    pf.identity(world.student_a1, world.uni_a, "student staff")
    login_as(world.coordinator_a)
    response = post_form(
        f"/universities/UA/staff/{world.student_a1.id}",
        {"role": "placement_officer", "faculty": str(world.fac_a1.id)},
    )
    assert response.status_code == 303
    assert ("placement_officer", world.fac_a1.id) in _roles(db, world.student_a1, world.uni_a)


def test_granting_a_role_held_already_is_a_conflict(client, world, login_as, post_form, db):
    login_as(world.coordinator_a)
    response = post_form(
        f"/universities/UA/staff/{world.dean_a1.id}",
        {"role": "dean", "faculty": str(world.fac_a1.id)},
    )
    assert response.status_code == 409
    assert "already holds this role" in response.get_data(as_text=True)
    assert _roles(db, world.dean_a1, world.uni_a) == [("dean", world.fac_a1.id)]


def test_forged_csrf_is_refused(client, world, login_as, db, lecturer):
    login_as(world.coordinator_a)
    response = client.post(
        f"/universities/UA/staff/{lecturer.id}",
        data={"role": "dean", "faculty": str(world.fac_a1.id), "csrf_token": "forged"},
    )
    assert response.status_code == 400
    assert _roles(db, lecturer, world.uni_a) == []


# --- revoking ---------------------------------------------------------------------------------


def test_coordinator_revokes_a_role(client, world, login_as, post_form, db):
    dean_role = world.dean_a1.memberships[0]
    login_as(world.coordinator_a)
    response = post_form(
        f"/universities/UA/staff/roles/{dean_role.id}/revoke",
        {"confirmed": "yes"},
        form_page=f"/universities/UA/staff/{world.dean_a1.id}",
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/universities/UA/staff"  # no longer staff here
    assert _roles(db, world.dean_a1, world.uni_a) == []
    event = db.session.scalar(
        db.select(AuditEvent).filter_by(action="university.staff_role_revoked")
    )
    assert event.details == {"role": "dean", "university": "UA", "faculty_id": world.fac_a1.id}


def test_a_role_at_another_university_cannot_be_revoked_here(
    client, world, login_as, post_form, db
):
    dean_b = world.dean_b1.memberships[0]
    login_as(world.coordinator_a)
    response = post_form(
        f"/universities/UA/staff/roles/{dean_b.id}/revoke",
        {"confirmed": "yes"},
        form_page="/universities/UA/staff",
    )
    assert response.status_code == 404
    assert db.session.get(RoleMembership, dean_b.id) is not None


def test_a_student_role_cannot_be_revoked_here(client, world, login_as, post_form, db):
    student_role = world.student_a1.memberships[0]
    login_as(world.coordinator_a)
    response = post_form(
        f"/universities/UA/staff/roles/{student_role.id}/revoke",
        {"confirmed": "yes"},
        form_page="/universities/UA/staff",
    )
    assert response.status_code == 404
    assert db.session.get(RoleMembership, student_role.id) is not None


def test_the_last_coordinator_cannot_remove_their_own_role(client, world, login_as, post_form, db):
    own = world.coordinator_a.memberships[0]
    login_as(world.coordinator_a)
    response = post_form(
        f"/universities/UA/staff/roles/{own.id}/revoke",
        {"confirmed": "yes"},
        form_page="/universities/UA/staff",
    )
    assert response.status_code == 409
    assert "only coordinator of UA" in response.get_data(as_text=True)
    assert db.session.get(RoleMembership, own.id) is not None


def test_a_coordinator_may_step_down_when_another_remains(client, world, login_as, post_form, db):
    coordinator(world.uni_a)
    own_id = world.coordinator_a.memberships[0].id
    login_as(world.coordinator_a)
    response = post_form(
        f"/universities/UA/staff/roles/{own_id}/revoke",
        {"confirmed": "yes"},
        form_page="/universities/UA/staff",
    )
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert db.session.get(RoleMembership, own_id) is None
    assert client.get("/universities/UA/staff").status_code == 403


def test_the_park_admin_may_remove_the_last_coordinator(client, world, login_as, post_form, db):
    own_id = world.coordinator_a.memberships[0].id
    login_as(world.park_admin)
    response = post_form(
        f"/universities/UA/staff/roles/{own_id}/revoke",
        {"confirmed": "yes"},
        form_page="/universities/UA/staff",
    )
    assert response.status_code == 303
    assert db.session.get(RoleMembership, own_id) is None


def test_revoke_with_forged_csrf_is_refused(client, world, login_as, db):
    dean_role = world.dean_a1.memberships[0]
    login_as(world.coordinator_a)
    response = client.post(
        f"/universities/UA/staff/roles/{dean_role.id}/revoke", data={"csrf_token": "x"}
    )
    assert response.status_code == 400
    assert db.session.get(RoleMembership, dean_role.id) is not None


def test_roles_from_another_role_kind_are_untouched(world, db):
    """Sanity: the world's coordinator holds exactly one role."""
    assert [m.role for m in world.coordinator_a.memberships] == [Role.UNIVERSITY_COORDINATOR]
