"""The navigation bar: each role sees the areas of its own scope (policy.navigation_areas),
labelled as before, and every link it shows opens."""

from __future__ import annotations

import pytest
from flask import url_for
from flask_login import AnonymousUserMixin

from foundry.accounts.models import Role, RoleMembership
from foundry.web import navigation_for


def links(user) -> list[tuple[str, str]]:
    return [(url, str(label)) for url, label in navigation_for(user)]


@pytest.fixture
def nav(app, world):
    """URLs of the world's areas, built inside a request."""
    with app.test_request_context("/"):
        yield {
            "find_roles": url_for("postings.search"),
            "companies": url_for("companies.directory"),
            "programmes": url_for("programmes.index"),
            "student": [
                (url_for("students.home"), "Dashboard"),
                (url_for("postings.search"), "Find roles"),
                (url_for("applications.mine"), "Applications"),
                (url_for("placements.mine"), "Placements"),
                (url_for("students.edit_profile"), "Profile"),
            ],
            "reports": (url_for("reports.dashboard"), "Placements"),
            "fac_a1": (
                url_for("universities.faculty_home", faculty_id=world.fac_a1.id),
                "A Engineering",
            ),
            "fac_a2": (
                url_for("universities.faculty_home", faculty_id=world.fac_a2.id),
                "A Science",
            ),
            "uni_a": (url_for("universities.university_home", university_id=world.uni_a.id), "UA"),
            "queue_a": url_for("posting_approvals.queue", university_id=world.uni_a.id),
            "queue_b": url_for("posting_approvals.queue", university_id=world.uni_b.id),
            "company_a": (url_for("companies.home", slug="alpha"), "Alpha Robotics"),
            "company_b": (url_for("companies.home", slug="beta"), "Beta Fintech"),
            "admin": (url_for("admin.home"), "Park admin"),
        }


def test_a_visitor_sees_roles_and_companies(app, nav):
    with app.test_request_context("/"):
        assert links(AnonymousUserMixin()) == [
            (nav["find_roles"], "Find roles"),
            (nav["programmes"], "Programmes"),
            (nav["companies"], "Companies"),
        ]


def test_each_role_sees_the_areas_of_its_own_scope(app, world, nav):
    # Programmes follow "Find roles" for everyone (but a student with another area).
    find_roles = (nav["find_roles"], "Find roles"), (nav["programmes"], "Programmes")
    student = [*nav["student"]]
    student.insert(2, (nav["programmes"], "Programmes"))
    expected = {
        "student_a1": student,
        "dean_a1": [nav["fac_a1"], nav["reports"], *find_roles],
        "officer_a2": [nav["fac_a2"], nav["reports"], *find_roles],
        "coordinator_a": [nav["uni_a"], nav["reports"], *find_roles],
        "company_admin_a": [nav["company_a"], *find_roles],
        "recruiter_b": [nav["company_b"], *find_roles],
        "park_admin": [nav["reports"], nav["admin"], *find_roles],
    }
    with app.test_request_context("/"):
        for who, areas in expected.items():
            assert links(getattr(world, who)) == areas, who


def test_approvals_appear_for_staff_of_a_university_that_approves_postings(app, world, db, nav):
    world.uni_a.posting_approval_required = True
    db.session.flush()
    find_roles = (nav["find_roles"], "Find roles"), (nav["programmes"], "Programmes")
    approvals_a = (nav["queue_a"], "Approvals")
    with app.test_request_context("/"):
        assert links(world.dean_a1) == [nav["fac_a1"], nav["reports"], approvals_a, *find_roles]
        assert links(world.coordinator_a) == [
            nav["uni_a"],
            nav["reports"],
            approvals_a,
            *find_roles,
        ]
        assert approvals_a not in links(world.dean_b1)
        assert approvals_a not in links(world.coordinator_b)
        assert approvals_a not in links(world.park_admin)


def test_staff_of_two_approving_universities_see_each_queue_by_its_code(app, world, db, nav):
    world.uni_a.posting_approval_required = True
    world.uni_b.posting_approval_required = True
    dean = world.dean_a1
    db.session.add(
        RoleMembership(user=dean, role=Role.UNIVERSITY_COORDINATOR, university_id=world.uni_b.id)
    )
    db.session.flush()
    db.session.refresh(dean)
    with app.test_request_context("/"):
        shown = links(dean)
    assert (nav["queue_a"], "UA · Approvals") in shown
    assert (nav["queue_b"], "UB · Approvals") in shown


def test_a_student_who_runs_a_company_sees_both(app, world, db, nav):
    founder = world.student_a1
    db.session.add(
        RoleMembership(user=founder, role=Role.COMPANY_ADMIN, company_id=world.company_b.id)
    )
    db.session.flush()
    db.session.refresh(founder)
    with app.test_request_context("/"):
        assert links(founder) == [*nav["student"], nav["company_b"]]


@pytest.mark.parametrize(
    "who",
    [
        "student_a1",
        "dean_a1",
        "officer_a2",
        "coordinator_a",
        "company_admin_a",
        "recruiter_a",
        "park_admin",
    ],
)
def test_every_link_a_role_is_shown_opens(app, client, login_as, world, db, who):
    world.uni_a.posting_approval_required = True
    db.session.commit()
    user = getattr(world, who)
    with app.test_request_context("/"):
        urls = [url for url, _label in navigation_for(user)]
    login_as(user)
    for url in urls:
        assert client.get(url).status_code == 200, f"{who}: {url}"
