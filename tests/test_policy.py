"""The permission matrix: every role against its own scope and a foreign one, for the
actions, the report scope, the navigation areas and the second-factor obligation; and a
guard that no permission decision is taken outside foundry/policy.py."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from foundry import policy
from foundry.accounts.models import Role
from foundry.collaborations import attachments
from foundry.collaborations.attachment_models import AttachmentAudience
from foundry.db import utcnow
from foundry.demo.pdf import minimal_pdf
from foundry.errors import PermissionDenied
from foundry.extensions import db as _db
from foundry.programmes.models import ProgrammeStatus
from foundry.students.models import StudentProfile
from tests.collaborations import factories as collaborations
from tests.factories import CVFactory, profile_of, staff
from tests.programmes import factories as programmes

ANONYMOUS = AnonymousUserMixin()

# Everyone in the world fixture (with an associate dean added below), and a visitor.
EVERYONE = [
    "student_a1",
    "student_a1_other",
    "student_a2",
    "student_b1",
    "dean_a1",
    "associate_dean_a1",
    "officer_a2",
    "dean_b1",
    "coordinator_a",
    "coordinator_b",
    "company_admin_a",
    "recruiter_a",
    "recruiter_b",
    "recruiter_unverified",
    "park_admin",
    "anonymous",
]


@pytest.fixture
def world(world):
    """The shared world, plus the one faculty staff role it lacks."""
    world.associate_dean_a1 = staff(Role.ASSOCIATE_DEAN, world.fac_a1)
    return world


def _subject(world, name):
    if name == "anonymous":
        return ANONYMOUS
    return getattr(world, name)


def _collaboration(w):
    """A record of faculty A1, shared with Alpha Robotics, with student A1 taking part."""
    return collaborations.record(
        w.dean_a1, w.fac_a1, companies=[w.company_a], students=[w.student_a1]
    )


def _attachment(w, audience, uploader="dean_a1"):
    """A PDF on that record, for the parties or the faculties only."""
    return attachments.add_attachment(
        getattr(w, uploader),
        _collaboration(w),
        attachments.Upload("agreement.pdf", minimal_pdf(["Agreement"])),
        audience=audience,
    )


def _draft(**organiser):
    return programmes.ProgrammeFactory(status=ProgrammeStatus.DRAFT, **organiser)


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
        ["dean_a1", "associate_dean_a1", "coordinator_a", "park_admin"],
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
    (
        "area.student",
        lambda w: None,
        ["student_a1", "student_b1"],
        ["dean_a1", "coordinator_a", "company_admin_a", "recruiter_a", "park_admin", "anonymous"],
    ),
    (
        "reports.view",
        lambda w: None,
        ["dean_a1", "associate_dean_a1", "officer_a2", "coordinator_b", "park_admin"],
        ["student_a1", "company_admin_a", "recruiter_a", "recruiter_unverified", "anonymous"],
    ),
    (
        # The approval queue of a university (and its Approvals link).
        "posting.approve",
        lambda w: w.uni_a,
        ["dean_a1", "associate_dean_a1", "officer_a2", "coordinator_a"],
        [
            "dean_b1",
            "coordinator_b",
            "student_a1",
            "company_admin_a",
            "recruiter_a",
            "park_admin",
            "anonymous",
        ],
    ),
    (
        # Programmes the park organises: its talent team only.
        "programme.create",
        lambda w: None,
        ["park_admin"],
        ["dean_a1", "coordinator_a", "company_admin_a", "recruiter_a", "student_a1", "anonymous"],
    ),
    (
        "programme.create",
        lambda w: w.fac_a1,
        ["dean_a1", "associate_dean_a1", "coordinator_a", "park_admin"],
        ["officer_a2", "dean_b1", "coordinator_b", "recruiter_a", "student_a1", "anonymous"],
    ),
    (
        "programme.create",
        lambda w: w.company_a,
        ["company_admin_a", "recruiter_a", "park_admin"],
        ["recruiter_b", "dean_a1", "coordinator_a", "student_a1", "anonymous"],
    ),
    (
        "programme.edit",
        lambda w: _draft(),
        ["park_admin"],
        ["dean_a1", "coordinator_a", "company_admin_a", "student_a1", "anonymous"],
    ),
    (
        "programme.edit",
        lambda w: _draft(organiser_faculty=w.fac_a1),
        ["dean_a1", "associate_dean_a1", "coordinator_a", "park_admin"],
        ["officer_a2", "dean_b1", "coordinator_b", "recruiter_a", "student_a1", "anonymous"],
    ),
    (
        "programme.edit",
        lambda w: _draft(organiser_company=w.company_a),
        ["company_admin_a", "recruiter_a", "park_admin"],
        ["recruiter_b", "recruiter_unverified", "dean_a1", "student_a1", "anonymous"],
    ),
    (
        # A draft is seen by its organisers only; once published, by anyone.
        "programme.view",
        lambda w: _draft(organiser_company=w.company_a),
        ["recruiter_a", "park_admin"],
        ["recruiter_b", "student_a1", "dean_a1", "anonymous"],
    ),
    (
        "programme.view",
        lambda w: programmes.ProgrammeFactory(organiser_company=w.company_a),
        ["student_a1", "recruiter_b", "dean_b1", "anonymous"],
        [],
    ),
    (
        "programme.register",
        lambda w: profile_of(w.student_a1),
        ["student_a1"],
        ["student_a1_other", "dean_a1", "coordinator_a", "recruiter_a", "park_admin", "anonymous"],
    ),
    (
        "programme.cancel_registration",
        lambda w: programmes.registration(w.student_a1, programmes.SessionFactory()),
        ["student_a1"],
        ["student_a1_other", "dean_a1", "coordinator_a", "recruiter_a", "park_admin", "anonymous"],
    ),
    (
        "collaboration.view",
        lambda w: _collaboration(w),
        ["dean_a1", "coordinator_a", "park_admin", "company_admin_a", "recruiter_a", "student_a1"],
        ["officer_a2", "dean_b1", "coordinator_b", "recruiter_b", "student_a1_other", "anonymous"],
    ),
    (
        "collaboration.edit",
        lambda w: _collaboration(w),
        ["dean_a1", "associate_dean_a1", "coordinator_a"],
        ["officer_a2", "dean_b1", "park_admin", "company_admin_a", "student_a1", "anonymous"],
    ),
    (
        "collaboration.view_terms",
        lambda w: _collaboration(w),
        ["dean_a1", "coordinator_a", "park_admin", "recruiter_a"],
        ["student_a1", "dean_b1", "recruiter_b", "anonymous"],
    ),
    (
        "collaboration.attach",
        lambda w: _collaboration(w),
        ["dean_a1", "associate_dean_a1", "coordinator_a", "company_admin_a", "recruiter_a"],
        ["officer_a2", "dean_b1", "coordinator_b", "park_admin", "recruiter_b", "student_a1"]
        + ["anonymous"],
    ),
    (
        "collaboration.download_attachment",
        lambda w: _attachment(w, AttachmentAudience.PARTIES),
        ["dean_a1", "coordinator_a", "park_admin", "company_admin_a", "recruiter_a"],
        ["officer_a2", "dean_b1", "coordinator_b", "recruiter_b", "student_a1", "anonymous"],
    ),
    (
        "collaboration.download_attachment",
        lambda w: _attachment(w, AttachmentAudience.FACULTIES),
        ["dean_a1", "coordinator_a", "park_admin"],
        ["company_admin_a", "recruiter_a", "officer_a2", "dean_b1", "student_a1", "anonymous"],
    ),
    (
        "collaboration.remove_attachment",
        lambda w: _attachment(w, AttachmentAudience.PARTIES),
        ["dean_a1", "associate_dean_a1", "coordinator_a"],
        ["park_admin", "company_admin_a", "recruiter_a", "officer_a2", "student_a1", "anonymous"],
    ),
    (
        "collaboration.remove_attachment",
        lambda w: _attachment(w, AttachmentAudience.PARTIES, uploader="recruiter_a"),
        ["dean_a1", "recruiter_a"],
        ["company_admin_a", "recruiter_b", "park_admin", "student_a1", "anonymous"],
    ),
    (
        "collaboration.restrict_attachment",
        lambda w: _collaboration(w),
        ["dean_a1", "coordinator_a"],
        ["park_admin", "company_admin_a", "recruiter_a", "officer_a2", "student_a1", "anonymous"],
    ),
    (
        "user.reset_second_factor",
        lambda w: None,
        ["park_admin"],
        ["coordinator_a", "dean_a1", "company_admin_a", "student_a1", "anonymous"],
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


# --- the report scope: which students' figures a viewer sees ------------------------------

STUDENTS = ["student_a1", "student_a1_other", "student_a2", "student_b1"]

# (viewer, the students in their scope; every other student is outside it)
REPORT_SCOPES = [
    ("dean_a1", ["student_a1", "student_a1_other"]),
    ("associate_dean_a1", ["student_a1", "student_a1_other"]),
    ("officer_a2", ["student_a2"]),
    ("dean_b1", ["student_b1"]),
    ("coordinator_a", ["student_a1", "student_a1_other", "student_a2"]),
    ("coordinator_b", ["student_b1"]),
    ("park_admin", STUDENTS),
]


@pytest.mark.parametrize(("viewer", "own"), REPORT_SCOPES, ids=[r[0] for r in REPORT_SCOPES])
def test_report_scope_holds_the_viewers_own_students_and_no_others(world, viewer, own):
    scope = policy.report_scope(getattr(world, viewer))
    visible = set(_db.session.scalars(sa.select(StudentProfile.user_id).where(*scope.conditions())))
    for name in STUDENTS:
        student = getattr(world, name)
        profile = profile_of(student)
        in_scope = scope.allows_faculty(profile.faculty_id, profile.university_id)
        if name in own:
            assert student.id in visible and in_scope, f"{viewer} should see {name}"
        else:
            assert student.id not in visible and not in_scope, f"{viewer} must not see {name}"


@pytest.mark.parametrize(
    "viewer",
    ["student_a1", "company_admin_a", "recruiter_a", "recruiter_unverified", "anonymous"],
)
def test_report_scope_refuses_those_without_a_reporting_role(world, viewer):
    with pytest.raises(PermissionDenied):
        policy.report_scope(_subject(world, viewer))


def test_report_scope_and_reports_view_agree_for_everyone(world):
    for name in EVERYONE:
        user = _subject(world, name)
        try:
            policy.report_scope(user)
        except PermissionDenied:
            assert not policy.can(user, "reports.view"), name
        else:
            assert policy.can(user, "reports.view"), name


def test_a_deactivated_viewer_has_no_report_scope(world):
    world.park_admin.active = False
    with pytest.raises(PermissionDenied):
        policy.report_scope(world.park_admin)


# --- the navigation areas -----------------------------------------------------------------

# (user, the areas their roles open) with University A approving postings and B not: an
# exact list, so no area of a foreign faculty, university or company can slip in.
NAVIGATION = [
    ("student_a1", lambda w: [("student", None)]),
    ("dean_a1", lambda w: [("faculty", w.fac_a1), ("reports", None), ("approvals", w.uni_a)]),
    (
        "associate_dean_a1",
        lambda w: [("faculty", w.fac_a1), ("reports", None), ("approvals", w.uni_a)],
    ),
    ("officer_a2", lambda w: [("faculty", w.fac_a2), ("reports", None), ("approvals", w.uni_a)]),
    ("dean_b1", lambda w: [("faculty", w.fac_b1), ("reports", None)]),
    (
        "coordinator_a",
        lambda w: [("university", w.uni_a), ("reports", None), ("approvals", w.uni_a)],
    ),
    ("coordinator_b", lambda w: [("university", w.uni_b), ("reports", None)]),
    ("company_admin_a", lambda w: [("company", w.company_a)]),
    ("recruiter_a", lambda w: [("company", w.company_a)]),
    ("recruiter_b", lambda w: [("company", w.company_b)]),
    ("recruiter_unverified", lambda w: [("company", w.company_unverified)]),
    ("park_admin", lambda w: [("reports", None), ("admin", None)]),
    ("anonymous", lambda w: []),
]


@pytest.mark.parametrize(("who", "expected"), NAVIGATION, ids=[r[0] for r in NAVIGATION])
def test_navigation_areas_are_the_users_own(world, db, who, expected):
    world.uni_a.posting_approval_required = True
    db.session.flush()
    areas = policy.navigation_areas(_subject(world, who))
    assert [(area.kind, area.obj) for area in areas] == expected(world)


def test_each_area_is_offered_under_a_known_action():
    assert set(policy.AREA_ACTIONS.values()) <= set(policy.ACTIONS)


def test_a_deactivated_user_is_offered_no_area(world):
    world.dean_a1.active = False
    assert policy.navigation_areas(world.dean_a1) == []


# --- the second factor --------------------------------------------------------------------


def test_only_park_admins_must_use_a_second_factor(world):
    for name in EVERYONE:
        must = policy.must_use_second_factor(_subject(world, name))
        assert must is (name == "park_admin"), name


# --- the guard: no permission decision outside the policy ---------------------------------

FOUNDRY = Path(__file__).resolve().parent.parent / "foundry"
TEMPLATES = FOUNDRY.parent / "templates"

# Asking which roles a user holds is how a permission is decided: only the policy asks.
ROLE_QUESTIONS = {"has_role", "memberships_for", "roles"}

# Where roles are defined, and the demo, which grants its personas their roles.
NOT_SCANNED = {"policy.py", "accounts/models.py"}
NOT_SCANNED_PACKAGES = ("demo/",)

# (module, function): why asking there is a data lookup, not a permission decision.
ROLE_LOOKUPS = {
    ("accounts/cli.py", "create_park_admin"): "grants the park admin role unless already held",
    ("accounts/signup.py", "_company_waiting_for"): "finds the company a new e-mail link is for",
    ("students/services.py", "_move_student_membership"): "the student role follows the faculty",
    ("sso/onboarding.py", "pending_student_membership"): "the membership a profile is made from",
    ("sso/provisioning.py", "_apply_roles"): "writes the roles a university's sign-in grants",
    ("sso/provisioning.py", "_ensure_profile"): "finds the student membership to fill in",
    ("universities/staff_routes.py", "_render_person"): "shows 'Also: Student' on a staff page",
}


def role_questions_in(source: str) -> list[tuple[str, int]]:
    """(enclosing function, line) of every has_role(), memberships_for() or roles() call."""
    found: list[tuple[str, int]] = []

    def walk(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = child.name
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr in ROLE_QUESTIONS
            ):
                found.append((function, child.lineno))
            walk(child, inner)

    walk(ast.parse(source), "<module>")
    return found


def role_questions_outside_the_policy(root: Path = FOUNDRY) -> dict[tuple[str, str], list[int]]:
    """{(module, function): lines} of the role questions asked outside the policy."""
    asked: dict[tuple[str, str], list[int]] = {}
    for path in sorted(root.rglob("*.py")):
        module = path.relative_to(root).as_posix()
        if module in NOT_SCANNED or module.startswith(NOT_SCANNED_PACKAGES):
            continue
        for function, line in role_questions_in(path.read_text(encoding="utf-8")):
            asked.setdefault((module, function), []).append(line)
    return asked


def test_the_guard_sees_a_role_question():
    source = "def view(user):\n    if user.has_role(Role.PARK_ADMIN):\n        return 1\n"
    assert role_questions_in(source) == [("view", 2)]


def test_no_permission_decision_is_taken_outside_the_policy():
    """Who may do what is decided in foundry/policy.py: a route, service or query that asks
    has_role(), memberships_for() or roles() is deciding a permission of its own. Ask the policy
    (can, authorize, report_scope, navigation_areas, must_use_second_factor), or, for a
    plain data lookup, add the function to ROLE_LOOKUPS with the reason."""
    asked = role_questions_outside_the_policy()
    deciding = {
        f"{module}:{lines[0]} ({function})"
        for (module, function), lines in asked.items()
        if (module, function) not in ROLE_LOOKUPS
    }
    assert not deciding, f"permission decisions outside the policy: {sorted(deciding)}"
    stale = set(ROLE_LOOKUPS) - set(asked)
    assert not stale, f"ROLE_LOOKUPS entries that ask no more (remove them): {sorted(stale)}"


def test_templates_ask_the_policy_not_the_roles():
    """Templates ask `can(...)` and show `navigation`; they never read a user's roles."""
    pattern = re.compile(r"\b(has_role|memberships_for|roles)\s*\(")
    asking = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not asking, f"templates deciding by role: {asking}"
