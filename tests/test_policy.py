"""The permission matrix: every role against its own scope and a foreign one."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from foundry import policy
from foundry.db import utcnow
from foundry.errors import PermissionDenied
from tests.factories import CVFactory, profile_of

ANONYMOUS = AnonymousUserMixin()


def _subject(world, name):
    if name == "anonymous":
        return ANONYMOUS
    return getattr(world, name)


# (action, object-getter, who may, who may not)
MATRIX = [
    (
        "student.view",
        lambda w: profile_of(w.student_a1),
        ["student_a1", "dean_a1", "coordinator_a", "park_admin"],
        [
            "student_a1_other",
            "student_b1",
            "officer_a2",
            "dean_b1",
            "coordinator_b",
            "recruiter_unverified",
            "anonymous",
        ],
    ),
    (
        "student.view_private",
        lambda w: profile_of(w.student_a1),
        ["student_a1", "dean_a1", "coordinator_a", "park_admin"],
        ["student_a1_other", "officer_a2", "dean_b1", "coordinator_b", "recruiter_a", "anonymous"],
    ),
    (
        "student.edit",
        lambda w: profile_of(w.student_a1),
        ["student_a1"],
        ["student_a1_other", "dean_a1", "coordinator_a", "park_admin", "recruiter_a", "anonymous"],
    ),
    (
        "cv.download",
        lambda w: CVFactory(profile=profile_of(w.student_a1)),
        ["student_a1", "dean_a1", "coordinator_a"],
        [
            "student_a1_other",
            "officer_a2",
            "dean_b1",
            "coordinator_b",
            "recruiter_a",
            "park_admin",
            "anonymous",
        ],
    ),
    (
        "cv.manage",
        lambda w: CVFactory(profile=profile_of(w.student_a1)),
        ["student_a1"],
        ["student_a1_other", "dean_a1", "park_admin", "anonymous"],
    ),
    (
        "faculty.view_students",
        lambda w: w.fac_a1,
        ["dean_a1", "coordinator_a", "park_admin"],
        ["officer_a2", "dean_b1", "coordinator_b", "student_a1", "recruiter_a", "anonymous"],
    ),
    (
        "university.view",
        lambda w: w.uni_a,
        ["coordinator_a", "park_admin"],
        ["coordinator_b", "dean_a1", "student_a1", "recruiter_a", "anonymous"],
    ),
    (
        "university.manage_staff",
        lambda w: w.uni_a,
        ["coordinator_a", "park_admin"],
        ["coordinator_b", "dean_a1", "anonymous"],
    ),
    (
        "company.view",
        lambda w: w.company_a,
        ["student_a1", "recruiter_b", "dean_a1", "park_admin", "anonymous"],
        [],
    ),
    (
        "company.view",
        lambda w: w.company_unverified,
        ["recruiter_unverified", "park_admin"],
        ["student_a1", "recruiter_a", "dean_a1", "anonymous"],
    ),
    (
        "company.edit",
        lambda w: w.company_a,
        ["company_admin_a", "park_admin"],
        ["recruiter_a", "recruiter_b", "student_a1", "dean_a1", "coordinator_a", "anonymous"],
    ),
    (
        "company.view_members",
        lambda w: w.company_a,
        ["company_admin_a", "recruiter_a", "park_admin"],
        ["recruiter_b", "student_a1", "anonymous"],
    ),
    (
        "company.verify",
        lambda w: w.company_unverified,
        ["park_admin"],
        ["recruiter_unverified", "company_admin_a", "coordinator_a", "anonymous"],
    ),
    (
        "admin.access",
        lambda w: None,
        ["park_admin"],
        ["company_admin_a", "coordinator_a", "dean_a1", "student_a1", "anonymous"],
    ),
    (
        "audit.read",
        lambda w: None,
        ["park_admin"],
        ["company_admin_a", "coordinator_a", "anonymous"],
    ),
]


@pytest.mark.parametrize(
    ("action", "target", "allowed", "refused"),
    MATRIX,
    ids=[f"{row[0]}-{i}" for i, row in enumerate(MATRIX)],
)
def test_policy_matrix(world, action, target, allowed, refused):
    obj = target(world)
    for name in allowed:
        assert policy.can(_subject(world, name), action, obj), f"{name} should {action}"
    for name in refused:
        assert not policy.can(_subject(world, name), action, obj), f"{name} must not {action}"


def test_verified_company_member_sees_talent_pool_students_only(world, db):
    opted_in = profile_of(world.student_a1)
    opted_in.talent_pool_opt_in = True
    opted_in.talent_pool_opted_in_at = utcnow()
    hidden = profile_of(world.student_a2)
    db.session.flush()
    assert policy.can(world.recruiter_a, "student.view", opted_in)
    assert not policy.can(world.recruiter_a, "student.view", hidden)
    assert not policy.can(world.recruiter_unverified, "student.view", opted_in)


def test_a_user_with_two_roles_gets_the_rights_of_both(world, db):
    from foundry.accounts.models import Role, RoleMembership

    phd_founder = world.student_b1
    db.session.add(
        RoleMembership(user=phd_founder, role=Role.COMPANY_ADMIN, company_id=world.company_b.id)
    )
    db.session.flush()
    db.session.refresh(phd_founder)
    assert policy.can(phd_founder, "student.edit", profile_of(phd_founder))
    assert policy.can(phd_founder, "company.edit", world.company_b)
    assert not policy.can(phd_founder, "company.edit", world.company_a)


def test_deactivated_user_may_do_nothing(world, db):
    world.park_admin.active = False
    assert not policy.can(world.park_admin, "admin.access")


def test_authorize_raises_permission_denied(world):
    with pytest.raises(PermissionDenied):
        policy.authorize(world.student_a1, "admin.access")


def test_unknown_action_is_a_programming_error(world):
    with pytest.raises(KeyError):
        policy.can(world.park_admin, "admin.do_anything")
