"""Rows for the main pages to list, made in batches: each maker takes the `world` and the
numbers of the rows to add (1, then 2-20, then 21-100), so a test can grow a page's rows
without starting again. Row `i` carries its number, zero-padded ("Robot role 007"), so a
page showing row `i` can be told from one showing row `i0`.

Rows are made rich (skills, themes, eligibility lists, applicants in several faculties)
so that anything a page loads row by row costs a statement more per row and shows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from foundry.applications.models import ApplicationStatus
from foundry.audit.services import record
from foundry.companies.models import VerificationStatus
from foundry.db import utcnow
from foundry.extensions import db
from foundry.postings.models import (
    ApprovalStatus,
    Posting,
    PostingApproval,
    PostingLevel,
    PostingStatus,
    PostingTheme,
    SavedPosting,
    SavedSearch,
    ScreeningQuestion,
)
from foundry.taxonomy import Theme
from foundry.universities.models import StudyLevel
from tests import factories as f
from tests.notifications.test_pages import note
from tests.placements import factories as pf
from tests.postings.desk_helpers import posting_in
from tests.talent_pool.helpers import pool_student, skills_named

# Inside the academic year the report pages are asked for (year=2025, 2025/26).
REPORT_YEAR = 2025
IN_REPORT_YEAR = datetime(2025, 10, 1, tzinfo=UTC)
# The Chinese word the postings carry, and a keyword of their English text.
CHINESE_WORD = "機械人"
KEYWORD = "robot"


def _posting(world, i: int, **fields):
    """A published posting open to the world's students, with every list a card shows."""
    fields.setdefault("company", world.company_a if i % 2 else world.company_b)
    fields.setdefault("universities", _universities(world, i))
    fields.setdefault("faculties", [world.fac_a1, world.fac_b1] if i % 4 == 0 else [])
    posting = f.PostingFactory(
        title=f"Robot role {i:03d}",
        description=f"Build {CHINESE_WORD} vision for warehouse robots.",
        skills=skills_named("python", "pytorch"),
        **fields,
    )
    posting.themes.append(PostingTheme(theme=Theme.ROBOTICS))
    return posting


def _universities(world, i: int) -> list:
    """Every fifth posting is for University B only: student A1 sees why they may not apply."""
    if i % 5 == 0:
        return [world.uni_b]
    return [world.uni_a, world.uni_b] if i % 3 else []


def open_to_a1(n: int) -> int:
    """How many of the postings 1 to n student A1 may apply to."""
    return n - n // 5


def postings(world, numbers: range) -> None:
    for i in numbers:
        _posting(world, i)


def posting_lists(world, numbers: range) -> None:
    """Skills and screening questions of "The posting" (made with the first), which is
    open to two faculties of two universities and to undergraduates only."""
    if not hasattr(world, "posting"):
        world.posting = _posting(world, 0, faculties=[world.fac_a1, world.fac_b1])
        world.posting.levels.append(PostingLevel(level=StudyLevel.UG))
    for i in numbers:
        world.posting.skills.extend(skills_named(f"skill {i:03d}"))
        world.posting.questions.append(ScreeningQuestion(position=i, prompt=f"Question {i}?"))


def company_postings(world, numbers: range) -> None:
    """Postings of Alpha in each state its desk lists, in turn: published (the first),
    draft, waiting for review."""
    states = [PostingStatus.PUBLISHED, PostingStatus.DRAFT, PostingStatus.PENDING_REVIEW]
    for i in numbers:
        posting_in(world.company_a, states[(i - 1) % 3], title=f"Robot role {i:03d}")


def pending_postings(world, numbers: range) -> None:
    """Postings waiting for the park's review."""
    for i in numbers:
        company = world.company_a if i % 2 else world.company_b
        posting_in(company, PostingStatus.PENDING_REVIEW, title=f"Robot role {i:03d}")


def approvals(world, numbers: range) -> None:
    """Published postings waiting for University A's approval (which it now asks for)."""
    world.uni_a.posting_approval_required = True
    for i in numbers:
        posting = _posting(world, i)
        db.session.add(PostingApproval(posting=posting, university_id=world.uni_a.id))


def approved_by_a(make):
    """`make`, with University A approving postings for its students, and having approved
    every posting (student A1's cards and pages then read its decisions)."""

    def made(world, numbers: range) -> None:
        world.uni_a.posting_approval_required = True
        make(world, numbers)
        db.session.flush()
        decided = sa.select(PostingApproval.posting_id).where(
            PostingApproval.university_id == world.uni_a.id
        )
        for posting_id in db.session.scalars(
            sa.select(Posting.id).where(Posting.id.not_in(decided))
        ):
            db.session.add(
                PostingApproval(
                    posting_id=posting_id,
                    university_id=world.uni_a.id,
                    status=ApprovalStatus.APPROVED,
                )
            )

    return made


def saved_postings(world, numbers: range) -> None:
    for i in numbers:
        posting = _posting(world, i)
        db.session.add(SavedPosting(user_id=world.student_a1.id, posting=posting))


def saved_searches(world, numbers: range) -> None:
    for i in numbers:
        db.session.add(
            SavedSearch(
                user_id=world.student_a1.id, name=f"Search {i:03d}", params={"q": f"robot {i}"}
            )
        )


def notifications(world, numbers: range) -> None:
    for i in numbers:
        note(world.student_a1, f"News {i:03d}", link="/me")


def my_applications(world, numbers: range) -> None:
    """Applications of student A1, one a minute, the newest last."""
    profile = f.profile_of(world.student_a1)
    for i in numbers:
        f.ApplicationFactory(
            profile=profile,
            posting=_posting(world, i),
            submitted_at=utcnow() - timedelta(minutes=200 - i),
        )


def my_placements(world, numbers: range) -> None:
    """Student A1's placements: from the portal (titled by their posting), and every other
    one recorded by their dean at an employer outside the park (titled by the dean), with a
    supervisor's evaluation asked for."""
    world.a1_profile = f.profile_of(world.student_a1)
    for i in numbers:
        placed_at = utcnow() - timedelta(days=200 - i)
        if i % 2:
            placement = pf.recorded_placement(
                world.student_a1,
                world.dean_a1,
                role_title=f"Robot role {i:03d}",
                placed_at=placed_at,
            )
            pf.evaluation(placement, requested_by_id=world.dean_a1.id)
        else:
            pf.portal_placement(
                world.student_a1,
                world.company_a,
                posting_id=_posting(world, i, company=world.company_a).id,
                placed_at=placed_at,
            )


def my_cvs(world, numbers: range) -> None:
    """Student A1's CVs, and as many faculties (with a programme) in University A for their
    profile form to choose from."""
    for i in numbers:
        f.CVFactory(profile=f.profile_of(world.student_a1), title=f"CV {i:03d}")
        f.ProgrammeFactory(faculty=f.FacultyFactory(university=world.uni_a))


def applicants(world, numbers: range) -> None:
    """Applicants to Alpha's "Pipeline posting" (made with the first), from two faculties
    and in every state in turn."""
    if not hasattr(world, "pipeline_posting"):
        world.pipeline_posting = _posting(world, 0, company=world.company_a)
        world.pipeline_posting.title = "Pipeline posting"
    states = list(ApplicationStatus)
    for i in numbers:
        applicant = f.student(world.fac_a2 if i % 2 else world.fac_b1)
        applicant.display_name = f"Applicant {i:03d}"
        f.ApplicationFactory(
            profile=f.profile_of(applicant),
            posting=world.pipeline_posting,
            status=states[i % len(states)],
            submitted_at=utcnow() - timedelta(minutes=200 - i),
        )


def placed_students(faculties: tuple[str, ...]):
    """Students of these faculties (world attributes, in turn) who applied, were interviewed,
    offered and placed in the report year: what the dashboards count."""

    def make(world, numbers: range) -> None:
        for i in numbers:
            faculty = getattr(world, faculties[i % len(faculties)])
            profile = f.profile_of(f.student(faculty, graduation_year=2026))
            profile.user.display_name = f"Placed {i:03d}"
            at = IN_REPORT_YEAR + timedelta(hours=i)
            posting = _posting(world, i)
            application = f.ApplicationFactory(
                profile=profile,
                posting=posting,
                submitted_at=at,
                interviewed_at=at + timedelta(days=3),
                offered_at=at + timedelta(days=6),
                status=ApplicationStatus.ACCEPTED,
            )
            pf.placement_from(application, at + timedelta(days=8))

    return make


def students_in(faculty: str, *, own_programme: bool = False, own_faculty: bool = False):
    """Students of a faculty (a world attribute), each in a programme or a faculty of their
    own when asked (so the faculty's or university's breakdown grows a row per student)."""

    def make(world, numbers: range) -> None:
        home = getattr(world, faculty)
        for i in numbers:
            where = f.FacultyFactory(university=home.university) if own_faculty else home
            fields = {}
            if own_programme:
                fields["programme_id"] = f.ProgrammeFactory(faculty=where).id
            user = f.student(where, **fields)
            user.display_name = f"Student {i:03d}"
            f.CVFactory(profile=f.profile_of(user), title=f"CV {i:03d}")

    return make


def pool_students(world, numbers: range) -> None:
    for i in numbers:
        faculty = world.fac_a1 if i % 2 else world.fac_b1
        pool_student(faculty, name=f"Pool {i:03d}", skills=("python", f"skill {i % 7}"))


def companies(world, numbers: range) -> None:
    """Verified companies, every third one waiting for verification."""
    for i in numbers:
        waiting = i % 3 == 0
        status = VerificationStatus.PENDING if waiting else VerificationStatus.VERIFIED
        f.CompanyFactory(name=f"Robot Company {i:03d}", verification_status=status)


def members(world, numbers: range) -> None:
    """Members of Alpha, and as many invitations waiting, sent by its admin or a recruiter."""
    for i in numbers:
        f.company_member(world.company_a).display_name = f"Member {i:03d}"
        inviter = world.recruiter_a if i % 2 else world.company_admin_a
        f.invitation(world.company_a, f"invitee{i:03d}@example.com", created_by=inviter)


def staff(world, numbers: range) -> None:
    for i in numbers:
        f.sso_staff(world.uni_a, display_name=f"Staff {i:03d}")


def audit_events(world, numbers: range) -> None:
    for i in numbers:
        record(world.recruiter_b, "cv.uploaded", world.company_b, {"title": f"CV {i:03d}"})


def sso_connections(world, numbers: range) -> None:
    for i in numbers:
        f.connection(f.UniversityFactory(code=f"Q{i:03d}"))
