"""factory_boy factories, one per model, flushing into the test session."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory

from foundry.accounts.models import AccountToken, Role, RoleMembership, TokenPurpose, User
from foundry.accounts.tokens import issue_token
from foundry.applications.models import Application, ApplicationStatus
from foundry.companies.models import Company, CompanySize, VerificationStatus
from foundry.crypto import encrypt
from foundry.db import utcnow
from foundry.demo.pdf import minimal_pdf
from foundry.extensions import db
from foundry.postings.models import PayPeriod, Posting, PostingKind, PostingStatus, WorkMode
from foundry.postings.search_index import index_text
from foundry.sso.models import SsoConnection, UserIdentity
from foundry.students.models import CVDocument, StudentProfile
from foundry.taxonomy import Cluster, ParkLocation
from foundry.universities.models import (
    Faculty,
    StudyLevel,
    StudyProgramme,
    University,
    UniversityDomain,
)


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class UniversityFactory(BaseFactory):
    class Meta:
        model = University

    code = factory.Sequence(lambda n: f"U{n}")
    name_en = factory.Sequence(lambda n: f"University {n}")
    name_zh = factory.Sequence(lambda n: f"大學{n}")

    @factory.post_generation
    def domains(university, create, extracted, **kwargs):
        for domain in extracted or [f"{university.code.lower()}.edu.hk"]:
            university.domains.append(UniversityDomain(domain=domain))
        if create:
            db.session.flush()


class FacultyFactory(BaseFactory):
    class Meta:
        model = Faculty

    university = factory.SubFactory(UniversityFactory)
    code = factory.Sequence(lambda n: f"F{n}")
    name_en = factory.Sequence(lambda n: f"Faculty of Engineering {n}")
    name_zh = factory.Sequence(lambda n: f"工程學院{n}")


class ProgrammeFactory(BaseFactory):
    class Meta:
        model = StudyProgramme

    faculty = factory.SubFactory(FacultyFactory)
    code = factory.Sequence(lambda n: f"P{n}")
    name_en = factory.Sequence(lambda n: f"BEng Computer Science {n}")
    name_zh = factory.Sequence(lambda n: f"計算機科學{n}")
    level = StudyLevel.UG


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    display_name = factory.Sequence(lambda n: f"User {n}")


class MembershipFactory(BaseFactory):
    class Meta:
        model = RoleMembership

    user = factory.SubFactory(UserFactory)
    role = Role.PARK_ADMIN


class CompanyFactory(BaseFactory):
    class Meta:
        model = Company

    slug = factory.Sequence(lambda n: f"company-{n}")
    name = factory.Sequence(lambda n: f"Company {n} Limited")
    cluster = Cluster.AI_ROBOTICS
    park_location = ParkLocation.SCIENCE_PARK
    size = CompanySize.SMALL
    verification_status = VerificationStatus.VERIFIED
    verified_at = factory.LazyAttribute(
        lambda c: utcnow() if c.verification_status is VerificationStatus.VERIFIED else None
    )


class StudentProfileFactory(BaseFactory):
    """Pass faculty=...; a new faculty (and university) is made when none is given."""

    class Meta:
        model = StudentProfile

    user = factory.SubFactory(UserFactory)
    study_level = StudyLevel.UG
    graduation_year = 2027
    student_number = factory.Sequence(lambda n: f"S{n:08d}")

    @classmethod
    def _create(cls, model_class, *args, faculty=None, **kwargs):
        faculty = faculty or FacultyFactory()
        kwargs.setdefault("faculty_id", faculty.id)
        kwargs.setdefault("university_id", faculty.university_id)
        return super()._create(model_class, *args, **kwargs)


class CVFactory(BaseFactory):
    class Meta:
        model = CVDocument

    profile = factory.SubFactory(StudentProfileFactory)
    title = "My CV"
    original_filename = "cv.pdf"
    content = factory.LazyFunction(lambda: minimal_pdf(["Curriculum vitae"]))
    size_bytes = factory.LazyAttribute(lambda cv: len(cv.content))
    page_count = 1
    sha256 = factory.LazyAttribute(lambda cv: hashlib.sha256(cv.content).hexdigest())


# --- people in roles ------------------------------------------------------------------


def student(faculty: Faculty | None = None, **profile_fields) -> User:
    """A user with the student role and a profile in `faculty` (a new one by default)."""
    faculty = faculty or FacultyFactory()
    profile = StudentProfileFactory(faculty=faculty, **profile_fields)
    db.session.add(
        RoleMembership(
            user=profile.user,
            role=Role.STUDENT,
            university_id=faculty.university_id,
            faculty_id=faculty.id,
        )
    )
    db.session.flush()
    db.session.refresh(profile.user)
    return profile.user


def staff(role: Role, faculty: Faculty) -> User:
    membership = MembershipFactory(
        role=role, university_id=faculty.university_id, faculty_id=faculty.id
    )
    db.session.refresh(membership.user)
    return membership.user


def coordinator(university: University) -> User:
    membership = MembershipFactory(role=Role.UNIVERSITY_COORDINATOR, university_id=university.id)
    db.session.refresh(membership.user)
    return membership.user


def company_member(company: Company, role: Role = Role.RECRUITER) -> User:
    membership = MembershipFactory(role=role, company_id=company.id)
    db.session.refresh(membership.user)
    return membership.user


def park_admin() -> User:
    membership = MembershipFactory(role=Role.PARK_ADMIN)
    db.session.refresh(membership.user)
    return membership.user


def profile_of(user: User) -> StudentProfile:
    return db.session.scalar(db.select(StudentProfile).filter_by(user_id=user.id))


# --- marketplace -------------------------------------------------------------------------


class PostingFactory(BaseFactory):
    """A published posting of a verified company, open to all, deadline in 30 days."""

    class Meta:
        model = Posting

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Machine Learning Intern {n}")
    kind = PostingKind.SUMMER_INTERNSHIP
    description = "Build **computer vision** models for warehouse robots."
    requirements = "Python, PyTorch."
    location = "Hong Kong Science Park, Shatin"
    work_mode = WorkMode.HYBRID
    pay_min_hkd = 12000
    pay_max_hkd = 16000
    pay_period = PayPeriod.MONTH
    openings = 2
    deadline = factory.LazyFunction(lambda: utcnow() + timedelta(days=30))
    status = PostingStatus.PUBLISHED
    published_at = factory.LazyAttribute(
        lambda p: utcnow() if p.status is PostingStatus.PUBLISHED else None
    )
    search_title = factory.LazyAttribute(lambda p: index_text(p.title))
    search_text = factory.LazyAttribute(
        lambda p: index_text(
            f"{p.title} {p.description} {p.requirements} {p.company.name} {p.company.name_zh or ''}"
        )
    )


class ApplicationFactory(BaseFactory):
    class Meta:
        model = Application

    posting = factory.SubFactory(PostingFactory)
    company_id = factory.SelfAttribute("posting.company_id")
    status = ApplicationStatus.SUBMITTED
    cover_letter = "I would love to join."
    cv_title = "My CV"
    cv_filename = "cv.pdf"
    cv_content = factory.LazyFunction(lambda: minimal_pdf(["Frozen CV"]))
    cv_size_bytes = factory.LazyAttribute(lambda a: len(a.cv_content))
    cv_page_count = 1
    cv_sha256 = "0" * 64


# --- SSO connections, identities and invitations (the people pages) --------------------


def connection(university: University, **fields) -> SsoConnection:
    values = {
        "issuer": f"https://idp.{university.code.lower()}.example/oidc",
        "client_id": "foundry",
        "client_secret_encrypted": encrypt("s3cret-value"),
        "secret_updated_at": utcnow(),
        "enabled": True,
        **fields,
    }
    row = SsoConnection(university=university, **values)
    db.session.add(row)
    db.session.flush()
    return row


def identity(
    user: User, university: University, affiliations: str = "staff", **fields
) -> UserIdentity:
    row = UserIdentity(
        user=user,
        university_id=university.id,
        issuer=f"https://idp.{university.code.lower()}.example/oidc",
        subject=fields.pop("subject", f"sub-{user.id}"),
        email=user.email,
        affiliations=affiliations,
        last_sign_in_at=utcnow(),
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


def sso_staff(university: University, affiliations: str = "staff member", **user_fields) -> User:
    """A person who signed in through the university's SSO as staff, with no role yet."""
    user = UserFactory(**user_fields)
    identity(user, university, affiliations)
    return user


def invitation(
    company, email: str, role: Role = Role.RECRUITER, created_by: User | None = None, days: int = 14
) -> tuple[AccountToken, str]:
    token, raw = issue_token(
        TokenPurpose.INVITATION,
        email,
        timedelta(days=days),
        company=company,
        role=role,
        created_by=created_by,
    )
    db.session.flush()
    return token, raw
