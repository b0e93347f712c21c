"""Who may do what to which object: the one place where roles and scopes are enforced.

Rules are small predicates `(user, obj) -> bool` combined with `|` and `&`; `ACTIONS` maps
each action name to its rule. Views and services call `can()` or `authorize()` right where
they load the object. Anonymous users pass only rules marked public.

Beside the actions: the rows a user may see in reports (`report_scope`), the areas of the
portal their roles open (`navigation_areas`) and the one obligation a role carries
(`must_use_second_factor`). Nothing outside this module asks which roles a user holds to
decide what they may do (tests/test_policy.py keeps it so).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import COMPANY_ROLES, FACULTY_STAFF_ROLES, Role
from foundry.applications.models import Application
from foundry.collaborations import attachment_models as attachments
from foundry.collaborations import models as collab
from foundry.companies.models import Company
from foundry.errors import PermissionDenied
from foundry.extensions import db
from foundry.placements.models import GraduateOutcome, Placement, PlacementEvaluation
from foundry.postings.models import Posting, PostingApproval, PostingStatus
from foundry.programmes.attended import ProgrammeAttendee
from foundry.programmes.models import Programme, ProgrammeStatus, Registration
from foundry.programmes.rules import has_attended, registration_holds_a_seat
from foundry.students.models import CVDocument, StudentProfile
from foundry.universities.models import Faculty, University


class Rule:
    """A predicate over (user, object) that composes with | and &."""

    def __init__(self, check: Callable[[Any, Any], bool], name: str):
        self.check = check
        self.name = name

    def __call__(self, user, obj) -> bool:
        return bool(self.check(user, obj))

    def __or__(self, other: Rule) -> Rule:
        return Rule(lambda u, o: self(u, o) or other(u, o), f"({self.name} | {other.name})")

    def __and__(self, other: Rule) -> Rule:
        return Rule(lambda u, o: self(u, o) and other(u, o), f"({self.name} & {other.name})")

    def __repr__(self) -> str:
        return f"<Rule {self.name}>"


def rule(fn: Callable[[Any, Any], bool]) -> Rule:
    return Rule(fn, fn.__name__)


# --- what an object belongs to -------------------------------------------------------


def _student_of(obj) -> StudentProfile | None:
    if isinstance(obj, StudentProfile):
        return obj
    if isinstance(obj, CVDocument | Application | Placement | GraduateOutcome):
        return obj.profile
    if isinstance(obj, PlacementEvaluation):
        return obj.placement.profile
    if isinstance(obj, Registration | ProgrammeAttendee):
        return obj.profile
    return None


def _faculty_id_of(obj) -> int | None:
    if isinstance(obj, Faculty):
        return obj.id
    if isinstance(obj, Programme):  # the faculty organising it (None: the park or a company)
        return obj.organiser_faculty_id
    student = _student_of(obj)
    return student.faculty_id if student else None


def _university_id_of(obj) -> int | None:
    if isinstance(obj, University):
        return obj.id
    if isinstance(obj, Faculty | PostingApproval):
        return obj.university_id
    if isinstance(obj, Programme):
        return obj.organiser_faculty.university_id if obj.organiser_faculty else None
    student = _student_of(obj)
    return student.university_id if student else None


def _company_id_of(obj) -> int | None:
    if isinstance(obj, Company):
        return obj.id
    if isinstance(obj, Posting | Application):
        return obj.company_id
    if isinstance(obj, Programme):
        return obj.organiser_company_id
    return None


# --- the rules -------------------------------------------------------------------------


@rule
def is_park_admin(user, obj) -> bool:
    return user.has_role(Role.PARK_ADMIN)


@rule
def is_its_user(user, obj) -> bool:
    """The object belongs to the user themself (one of their sessions)."""
    return getattr(obj, "user_id", None) == user.id


@rule
def is_the_student(user, obj) -> bool:
    student = _student_of(obj)
    return student is not None and student.user_id == user.id


@rule
def is_staff_of_its_faculty(user, obj) -> bool:
    faculty_id = _faculty_id_of(obj)
    return faculty_id is not None and any(
        m.faculty_id == faculty_id for m in user.memberships_for(*FACULTY_STAFF_ROLES)
    )


@rule
def is_coordinator_of_its_university(user, obj) -> bool:
    university_id = _university_id_of(obj)
    return university_id is not None and any(
        m.university_id == university_id for m in user.memberships_for(Role.UNIVERSITY_COORDINATOR)
    )


@rule
def is_member_of_the_company(user, obj) -> bool:
    company_id = _company_id_of(obj)
    return company_id is not None and any(
        m.company_id == company_id for m in user.memberships_for(*COMPANY_ROLES)
    )


@rule
def is_admin_of_the_company(user, obj) -> bool:
    company_id = _company_id_of(obj)
    return company_id is not None and any(
        m.company_id == company_id for m in user.memberships_for(Role.COMPANY_ADMIN)
    )


@rule
def is_member_of_a_verified_company(user, obj) -> bool:
    return any(m.company.is_verified for m in user.memberships_for(*COMPANY_ROLES))


@rule
def student_is_in_talent_pool(user, obj) -> bool:
    student = _student_of(obj)
    return student is not None and student.talent_pool_opt_in


@rule
def company_is_verified(user, obj) -> bool:
    return isinstance(obj, Company) and obj.is_verified


@rule
def posting_is_public(user, obj) -> bool:
    """Published postings are readable by anyone with the link (drafts and closed are not)."""
    return isinstance(obj, Posting) and obj.status is PostingStatus.PUBLISHED


@rule
def programme_is_public(user, obj) -> bool:
    """Published and cancelled programmes are readable by anyone; drafts are not."""
    return isinstance(obj, Programme) and obj.status is not ProgrammeStatus.DRAFT


@rule
def is_university_staff_of_the_approval(user, obj) -> bool:
    """Faculty staff of any faculty of the approving university, or its coordinator."""
    university_id = _university_id_of(obj)
    return university_id is not None and any(
        m.university_id == university_id
        for m in user.memberships_for(*FACULTY_STAFF_ROLES, Role.UNIVERSITY_COORDINATOR)
    )


@rule
def is_staff_at_its_university(user, obj) -> bool:
    """Faculty staff of any faculty of the object's university (over a University)."""
    university_id = _university_id_of(obj)
    return university_id is not None and any(
        m.university_id == university_id for m in user.memberships_for(*FACULTY_STAFF_ROLES)
    )


@rule
def is_student(user, obj) -> bool:
    return user.has_role(Role.STUDENT)


@rule
def holds_the_cv_drop(user, obj) -> bool:
    """A member of the company a student left this CV with at a fair (over the CVDrop)."""
    company_id = getattr(getattr(obj, "exhibitor", None), "company_id", None)
    return company_id is not None and any(
        m.company_id == company_id for m in user.memberships_for(*COMPANY_ROLES)
    )


@rule
def reports_on_students(user, obj) -> bool:
    """Faculty staff, university coordinators and the park admin read placement reports
    (each within their own scope, which the reports derive from the same memberships)."""
    return user.has_role(*FACULTY_STAFF_ROLES, Role.UNIVERSITY_COORDINATOR, Role.PARK_ADMIN)


faculty_oversight = is_staff_of_its_faculty | is_coordinator_of_its_university | is_park_admin
# Over a Programme, or its organiser to create one (a Faculty, a Company, None: the park).
programme_organiser = faculty_oversight | is_member_of_the_company
# Collaboration records (objects: a Collaboration, or a Proposal about one): a rule holds
# over a record when it holds over one of its parties (foundry/collaborations/models.py).
# Faculty staff and coordinators of a party faculty keep it; the park admin reads it.
# Over a ProgrammeAttendee: the organisers of the programme attended (not of the student).
organiser_of_the_programme_attended = Rule(
    lambda user, attendee: programme_organiser(user, attendee.programme),
    "organiser_of_the_programme_attended",
)
attended_the_programme = rule(has_attended)
collaboration_keeper = Rule(
    collab.on_a_faculty_party(is_staff_of_its_faculty | is_coordinator_of_its_university),
    "collaboration_keeper",
)
collaboration_faculty_side = collaboration_keeper | is_park_admin
collaboration_company_side = Rule(
    collab.on_a_sharing_company(is_member_of_the_company), "collaboration_company_side"
)
collaboration_participant = Rule(
    collab.on_a_student_participant(is_the_student), "collaboration_participant"
)
collaboration_is_open = Rule(collab.is_open, "collaboration_is_open")
# Attachments (object: the record to attach to, or a CollaborationAttachment).
attachment_for_the_parties = Rule(attachments.is_for_the_parties, "attachment_for_the_parties")
attachment_uploader = Rule(attachments.is_its_uploader, "attachment_uploader")

ACTIONS: dict[str, Rule] = {
    # students' own records
    "student.view": is_the_student
    | faculty_oversight
    | (is_member_of_a_verified_company & student_is_in_talent_pool),
    "student.edit": is_the_student,
    # Student number, e-mail, headline and "about": the student and their faculty's staff.
    "student.view_private": is_the_student | faculty_oversight,
    "cv.manage": is_the_student,
    # CVs: the student, staff of their faculty (or university), and, for the frozen copy
    # sent with an application, the company applied to.
    "cv.download": is_the_student | is_staff_of_its_faculty | is_coordinator_of_its_university,
    # faculties and universities
    "faculty.view_students": faculty_oversight,
    "university.view": is_coordinator_of_its_university | is_park_admin,
    "university.manage_staff": is_coordinator_of_its_university | is_park_admin,
    # companies
    "company.view": company_is_verified | is_member_of_the_company | is_park_admin,
    "company.edit": is_admin_of_the_company | is_park_admin,
    "company.view_members": is_member_of_the_company | is_park_admin,
    "company.verify": is_park_admin,
    "company.invite": is_admin_of_the_company,
    # postings
    "posting.view": posting_is_public | is_member_of_the_company | is_park_admin,
    "posting.create": is_member_of_the_company,
    "posting.edit": is_member_of_the_company,
    "posting.moderate": is_park_admin,
    "posting.approve": is_university_staff_of_the_approval,
    # applications
    "application.cv": is_the_student
    | is_member_of_the_company
    | is_staff_of_its_faculty
    | is_coordinator_of_its_university,
    "application.manage": is_member_of_the_company,
    "application.respond": is_the_student,
    "talent_pool.search": is_member_of_the_company & company_is_verified,
    # programmes (register: the StudentProfile; cancel_registration: the Registration)
    "programme.view": programme_is_public | programme_organiser,
    "programme.create": programme_organiser,
    "programme.edit": programme_organiser,
    "programme.register": is_the_student,
    "programme.cancel_registration": is_the_student,
    # fairs (over the Company; book: the StudentProfile booking or dropping a CV)
    "fair.request_booth": is_member_of_the_company & company_is_verified,
    "fair.manage_booth": is_member_of_the_company,
    "fair.book": is_the_student,
    "fair.download_dropped_cv": holds_the_cv_drop,
    # the student's own registration: its calendar file, its ticket; the calendar feed
    # (over the StudentProfile); the join link only with a seat (over the Registration)
    "programme.view_registration": is_the_student,
    "programme.calendar_feed": is_the_student,
    "programme.see_join_link": is_the_student & rule(registration_holds_a_seat),
    # a session's attendee list and its exports: the programme's organisers only
    "programme.view_attendees": programme_organiser,
    # check-in (check_in: the Programme; self_check_in and join: the Registration)
    "programme.check_in": programme_organiser,
    "programme.ticket": is_the_student,
    "programme.self_check_in": is_the_student,
    "programme.join": is_the_student,
    # after the event (over a ProgrammeAttendee: a student, a programme and the ended
    # sessions they were checked in at); the feedback's figures and comments (over the
    # Programme) are for its organisers only
    "programme.give_feedback": is_the_student & attended_the_programme,
    "programme.certificate": (is_the_student | organiser_of_the_programme_attended)
    & attended_the_programme,
    "programme.view_feedback": programme_organiser,
    # collaborations (list, create: over a Faculty; propose, company_list: over a Company;
    # be_academic, be_contact: the person named on the record, not the actor)
    "collaboration.list": faculty_oversight,
    # the portfolios of a University (its staff see their own faculties' records in it:
    # collaboration_scope below) and of the whole park
    "collaboration.list_university": is_coordinator_of_its_university
    | is_staff_at_its_university
    | is_park_admin,
    "collaboration.list_park": is_park_admin,
    "collaboration.create": is_staff_of_its_faculty | is_coordinator_of_its_university,
    "collaboration.view": collaboration_faculty_side
    | collaboration_company_side
    | collaboration_participant,
    "collaboration.view_summary": collaboration_faculty_side
    | collaboration_company_side
    | collaboration_participant
    | Rule(collab.has_public_summary, "has_public_summary"),
    # Money, agreement, history and the hiring link: not for student participants.
    "collaboration.view_terms": collaboration_faculty_side | collaboration_company_side,
    "collaboration.view_hiring": collaboration_faculty_side,
    "collaboration.edit": collaboration_keeper & collaboration_is_open,
    "collaboration.add_outcome": collaboration_keeper,
    "collaboration.decide": collaboration_keeper,
    "collaboration.company_list": is_member_of_the_company | is_park_admin,
    "collaboration.propose": is_member_of_the_company & company_is_verified,
    "collaboration.propose_update": collaboration_company_side & collaboration_is_open,
    # Attachments: the keepers attach papers, even to an ended record (a final report
    # comes after the end, like outcomes); a company party of a shared record attaches
    # while it is open. The faculty side downloads every attachment, a sharing company
    # those for the parties; student participants and public readers none (terms). A
    # removal leaves the record's history as it was: the keepers, or the company member
    # who uploaded it, while the record is open; an ended record keeps its papers.
    "collaboration.attach": collaboration_keeper
    | (collaboration_company_side & collaboration_is_open),
    "collaboration.download_attachment": collaboration_faculty_side
    | (collaboration_company_side & attachment_for_the_parties),
    # What is kept for the faculties only (its attachments and their lines of history).
    "collaboration.view_faculty_only": collaboration_faculty_side,
    # Keeping an attachment from the companies (an internal budget): the keepers only.
    "collaboration.restrict_attachment": collaboration_keeper,
    "collaboration.remove_attachment": collaboration_is_open
    & (collaboration_keeper | (collaboration_company_side & attachment_uploader)),
    "collaboration.be_academic": Rule(
        collab.on_a_faculty_party(is_staff_of_its_faculty), "academic_of_a_party"
    ),
    "collaboration.be_contact": Rule(
        collab.on_a_company_party(is_member_of_the_company), "member_of_a_party"
    ),
    # placements and graduate outcomes (objects: Placement, GraduateOutcome, or the
    # StudentProfile they are recorded for)
    "reports.view": reports_on_students,
    "placement.view": is_the_student | faculty_oversight,
    "placement.confirm": is_the_student,
    "placement.record": faculty_oversight,
    "outcome.record": faculty_oversight,
    # areas of the portal
    "area.student": is_student,
    "admin.access": is_park_admin,
    "sso.configure": is_park_admin,
    "user.reset_second_factor": is_park_admin,
    # accounts
    "session.end": is_its_user,
    "audit.read": is_park_admin,
}

# Actions that an anonymous visitor may be granted (their rule must not need a user).
PUBLIC_ACTIONS: dict[str, Rule] = {
    "company.view": company_is_verified,
    "posting.view": posting_is_public,
    "programme.view": programme_is_public,
}


def can(user, action: str, obj: Any = None) -> bool:
    """True when `user` may perform `action` on `obj`."""
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    if user is None or not getattr(user, "is_authenticated", False):
        public = PUBLIC_ACTIONS.get(action)
        return bool(public and public(None, obj))
    if not user.is_active:
        return False
    return ACTIONS[action](user, obj)


def authorize(user, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless `user` may perform `action` on `obj`."""
    if not can(user, action, obj):
        raise PermissionDenied("You do not have access to this page.")


# --- obligations -------------------------------------------------------------------------


def must_use_second_factor(user) -> bool:
    """Park admins sign in with a second factor (set up at their first sign-in) and may
    not turn it off; for everyone else it is a choice."""
    return bool(getattr(user, "is_authenticated", False)) and is_park_admin(user, None)


# --- scopes: which rows a user may see ---------------------------------------------------


@dataclass(frozen=True)
class ReportScope:
    """The students a viewer may report on (report_scope below decides it).

    university_ids: None for every university. faculty_ids: None for every faculty of
    those universities, else exactly these faculties. An empty set allows nothing.
    """

    university_ids: frozenset[int] | None = None
    faculty_ids: frozenset[int] | None = None

    @property
    def is_everything(self) -> bool:
        return self.university_ids is None and self.faculty_ids is None

    def allows_university(self, university_id: int) -> bool:
        return self.university_ids is None or university_id in self.university_ids

    def allows_faculty(self, faculty_id: int, university_id: int) -> bool:
        return self.allows_university(university_id) and (
            self.faculty_ids is None or faculty_id in self.faculty_ids
        )

    def conditions(self, columns=StudentProfile) -> list[sa.ColumnElement[bool]]:
        """WHERE conditions that keep only students in scope, over StudentProfile or over
        `columns`, a table with the same cohort columns (a report summary)."""
        where = []
        if self.university_ids is not None:
            where.append(columns.university_id.in_(sorted(self.university_ids)))
        if self.faculty_ids is not None:
            where.append(columns.faculty_id.in_(sorted(self.faculty_ids)))
        return where


def report_scope(user) -> ReportScope:
    """The students a user may see in placement reports: the park admin every student, a
    coordinator those of their universities, faculty staff those of their faculties;
    several roles add up. Raises PermissionDenied for anyone "reports.view" refuses."""
    if not can(user, "reports.view"):
        raise PermissionDenied(_("You do not have access to placement reports."))
    if is_park_admin(user, None):
        return ReportScope()
    coordinated = {m.university_id for m in user.memberships_for(Role.UNIVERSITY_COORDINATOR)}
    staffed = {
        (m.faculty_id, m.university_id)
        for m in user.memberships_for(*FACULTY_STAFF_ROLES)
        if m.university_id not in coordinated
    }
    if not staffed:
        return ReportScope(university_ids=frozenset(coordinated))
    faculty_ids = {faculty_id for faculty_id, _university in staffed}
    if coordinated:  # whole universities plus single faculties elsewhere: list them all
        faculty_ids |= set(
            db.session.scalars(
                sa.select(Faculty.id).where(Faculty.university_id.in_(sorted(coordinated)))
            )
        )
    return ReportScope(
        university_ids=frozenset(coordinated | {university for _f, university in staffed}),
        faculty_ids=frozenset(faculty_ids),
    )


@dataclass(frozen=True)
class CollaborationScope:
    """The collaboration records a portfolio or a panel shows its reader (decided by
    collaboration_scope and collaboration_report_scope below).

    Every field that is set narrows: university_ids, records with a party faculty of one
    of these universities; faculty_ids, records with one of these party faculties;
    company_id, records with that party company, and with shared_only only those shared
    with the companies. Nothing set: every record in the park.
    """

    university_ids: frozenset[int] | None = None
    faculty_ids: frozenset[int] | None = None
    company_id: int | None = None
    shared_only: bool = False


def collaboration_scope(user, *, university=None, company=None) -> CollaborationScope:
    """Which records a university's, a company's or the park's portfolio shows `user`:
    the coordinator and the park admin every record of the university, its faculty staff
    their own faculties' records; a company's members the records shared with it, the park
    admin all its records; the park's portfolio is the park admin's. PermissionDenied for
    anyone else."""
    if university is not None:
        authorize(user, "collaboration.list_university", university)
        whole = frozenset({university.id})
        if is_park_admin(user, None) or is_coordinator_of_its_university(user, university):
            return CollaborationScope(university_ids=whole)
        staffed = frozenset(
            m.faculty_id
            for m in user.memberships_for(*FACULTY_STAFF_ROLES)
            if m.university_id == university.id
        )
        return CollaborationScope(university_ids=whole, faculty_ids=staffed)
    if company is not None:
        authorize(user, "collaboration.company_list", company)
        return CollaborationScope(company_id=company.id, shared_only=not is_park_admin(user, None))
    authorize(user, "collaboration.list_park")
    return CollaborationScope()


def collaboration_report_scope(user) -> CollaborationScope:
    """The records the placement dashboard's collaborations panel counts: those of the
    faculties and universities the reader reports on (report_scope), all for the park
    admin. PermissionDenied for anyone who reads no placement reports."""
    students = report_scope(user)
    if students.faculty_ids is not None:  # its faculties lie within its universities
        return CollaborationScope(faculty_ids=students.faculty_ids)
    return CollaborationScope(university_ids=students.university_ids)


# --- areas of the portal -----------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """An area of the portal a user may open: its kind (a key of AREA_ACTIONS) and the
    faculty, university or company it is about (None for the user's own or the park's)."""

    kind: str
    obj: Any = None


# Each area is offered under the same action its page enforces.
AREA_ACTIONS: dict[str, str] = {
    "student": "area.student",
    "faculty": "faculty.view_students",
    "university": "university.view",
    "reports": "reports.view",
    "approvals": "posting.approve",
    "company": "company.view_members",
    "admin": "admin.access",
}


def navigation_areas(user) -> list[Area]:
    """The areas a user's roles open, in the navigation's order: their own student area,
    the faculties and universities they staff, reports, the approval queues of their
    universities that approve postings, their companies, the park admin's area. Each is
    kept only when its action allows it. Anonymous visitors have none."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    staff = user.memberships_for(*FACULTY_STAFF_ROLES)
    coordinating = user.memberships_for(Role.UNIVERSITY_COORDINATOR)
    approving = {
        m.university_id: m.university
        for m in user.memberships_for(*FACULTY_STAFF_ROLES, Role.UNIVERSITY_COORDINATOR)
        if m.university.posting_approval_required
    }
    offered = [
        Area("student"),
        *(Area("faculty", m.faculty) for m in staff),
        *(Area("university", m.university) for m in coordinating),
        Area("reports"),
        *(Area("approvals", university) for university in approving.values()),
        *(Area("company", m.company) for m in user.memberships_for(*COMPANY_ROLES)),
        Area("admin"),
    ]
    return [area for area in offered if can(user, AREA_ACTIONS[area.kind], area.obj)]
