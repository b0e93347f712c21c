"""`seed_demo()`: builds the deterministic demo data set; running it again adds nothing.

Every record is looked up by its natural key (university code, e-mail domain, faculty and
programme codes, company slug, user e-mail, membership scope, skill name, profile by user)
and created only when missing. The whole run is one transaction, committed at the end.
"""

from __future__ import annotations

import hashlib
import random
import sys
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from tqdm import tqdm

from foundry.accounts.models import Role, RoleMembership, User
from foundry.companies.models import Company, VerificationStatus
from foundry.db import utcnow
from foundry.demo.data import (
    COMPANIES,
    PARK_ADMIN_EMAIL,
    RANDOM_SEED,
    UNIVERSITIES,
    all_skill_names,
)
from foundry.demo.pdf import minimal_pdf
from foundry.demo.people import StaffSpec, StudentSpec, founder_spec, staff_specs, student_specs
from foundry.demo.seed_marketplace import MARKETPLACE_KINDS, seed_marketplace
from foundry.demo.seed_sso import seed_sso_connections
from foundry.extensions import db
from foundry.reports.summaries.maintenance import rebuild
from foundry.reports.summaries.tracking import paused
from foundry.students.models import (
    CVDocument,
    Skill,
    StudentLanguage,
    StudentProfile,
    StudentTheme,
)
from foundry.universities.models import Faculty, StudyProgramme, University, UniversityDomain

FLUSH_EVERY = 100
SIGN_IN_HINT = "Run `make run` and open http://127.0.0.1:5000/demo/sign-in"
SSO_HINT = (
    "University sign-in (HKUST, HKU): run `make idp` in a second terminal, then pick the "
    "university at http://127.0.0.1:5000/sign-in"
)

# The kinds of record the summary counts, in the order it reports them.
KINDS = (
    "universities",
    "domains",
    "faculties",
    "programmes",
    "skills",
    "companies",
    "users",
    "memberships",
    "student profiles",
    "CVs",
    *MARKETPLACE_KINDS,
    "SSO connections",
)


@dataclass
class SeedSummary:
    """What one run created and what it found already there, by kind of record."""

    created: Counter[str] = field(default_factory=Counter)
    present: Counter[str] = field(default_factory=Counter)
    users_by_role: dict[Role, int] = field(default_factory=dict)

    def count(self, kind: str, *, created: bool) -> None:
        (self.created if created else self.present)[kind] += 1

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_present(self) -> int:
        return sum(self.present.values())

    def describe(self) -> str:
        lines = [
            f"Demo data: {self.total_created:,} created, {self.total_present:,} already present."
        ]
        if self.total_created:
            made = ", ".join(f"{self.created[k]:,} {k}" for k in KINDS if self.created[k])
            lines.append(f"  Created: {made}.")
        roles = ", ".join(
            f"{role.value.replace('_', ' ')} {self.users_by_role.get(role, 0):,}" for role in Role
        )
        lines.append(f"Users by role: {roles}.")
        lines.append(SIGN_IN_HINT)
        if self.created["SSO connections"] or self.present["SSO connections"]:
            lines.append(SSO_HINT)
        return "\n".join(lines)


def seed_demo(
    student_count: int = 500, progress: bool = True, sso: bool | None = None
) -> SeedSummary:
    """Create whatever part of the demo data set is missing, and commit.

    `sso` connects HKUST and HKU to the local IdPs of `make idp`; by default only where a
    plain-http loopback IdP is allowed and not under test (i.e. in development). The data
    goes in partly by bulk statements, so the report summaries are rebuilt once at the end
    instead of followed row by row."""
    with paused(db.session):
        summary = _seed_everything(student_count, progress, sso)
        db.session.flush()
    rebuild(db.session.connection())
    db.session.commit()
    return summary


def _seed_everything(student_count: int, progress: bool, sso: bool | None) -> SeedSummary:
    now = utcnow()  # the one reading of the clock: everything is placed relative to it
    rng = random.Random(RANDOM_SEED)
    summary = SeedSummary()
    places = _seed_universities(summary)
    skills = _seed_skills(summary)
    companies = _seed_companies(summary)
    db.session.flush()

    people = _PeopleWriter(summary, places, skills, companies)
    people.add_student(founder_spec())
    for staff in staff_specs(rng):
        people.add_staff(staff)
    db.session.flush()

    students = tqdm(
        student_specs(rng, student_count),
        total=student_count,
        desc="Students",
        unit="student",
        file=sys.stderr,
        disable=not progress,
    )
    for serial, student in enumerate(students, start=1):
        people.add_student(student)
        if serial % FLUSH_EVERY == 0:
            db.session.flush()
    db.session.flush()
    seed_marketplace(summary, places, skills, companies, progress=progress, now=now)
    if sso is None:
        sso = current_app.config["OIDC_ALLOW_LOOPBACK_HTTP"] and not current_app.testing
    if sso:
        seed_sso_connections(summary, places.universities, people.users.get(PARK_ADMIN_EMAIL))
        db.session.flush()

    summary.users_by_role = _users_by_role()
    return summary


# --- universities, faculties, programmes ------------------------------------------------


@dataclass
class _Places:
    """The seeded universities, faculties and programmes by their codes."""

    universities: dict[str, University]
    faculties: dict[tuple[str, str], Faculty]
    programmes: dict[tuple[str, str, str], StudyProgramme]


def _seed_universities(summary: SeedSummary) -> _Places:
    universities = {u.code: u for u in db.session.scalars(sa.select(University))}
    domains = set(db.session.scalars(sa.select(UniversityDomain.domain)))
    faculties = {
        (code, faculty.code): faculty
        for faculty, code in db.session.execute(
            sa.select(Faculty, University.code).join(Faculty.university)
        )
    }
    programmes = {
        (code, faculty_code, programme.code): programme
        for programme, faculty_code, code in db.session.execute(
            sa.select(StudyProgramme, Faculty.code, University.code)
            .join(StudyProgramme.faculty)
            .join(Faculty.university)
        )
    }
    for seed in UNIVERSITIES:
        university = universities.get(seed.code)
        summary.count("universities", created=university is None)
        if university is None:
            university = University(code=seed.code, name_en=seed.name_en, name_zh=seed.name_zh)
            db.session.add(university)
            universities[seed.code] = university
        for domain in seed.domains:
            summary.count("domains", created=domain not in domains)
            if domain not in domains:
                university.domains.append(UniversityDomain(domain=domain))
        for faculty_seed in seed.faculties:
            key = (seed.code, faculty_seed.code)
            faculty = faculties.get(key)
            summary.count("faculties", created=faculty is None)
            if faculty is None:
                faculty = Faculty(
                    university=university,
                    code=faculty_seed.code,
                    name_en=faculty_seed.name_en,
                    name_zh=faculty_seed.name_zh,
                )
                db.session.add(faculty)
                faculties[key] = faculty
            for programme_seed in faculty_seed.programmes:
                programme_key = (*key, programme_seed.code)
                programme = programmes.get(programme_key)
                summary.count("programmes", created=programme is None)
                if programme is None:
                    programmes[programme_key] = StudyProgramme(
                        faculty=faculty,
                        code=programme_seed.code,
                        name_en=programme_seed.name_en,
                        name_zh=programme_seed.name_zh,
                        level=programme_seed.level,
                    )
                    db.session.add(programmes[programme_key])
    return _Places(universities, faculties, programmes)


# --- skills and companies ----------------------------------------------------------------


def _seed_skills(summary: SeedSummary) -> dict[str, Skill]:
    skills = {skill.name: skill for skill in db.session.scalars(sa.select(Skill))}
    for name in all_skill_names():
        summary.count("skills", created=name not in skills)
        if name not in skills:
            skills[name] = Skill(name=name)
            db.session.add(skills[name])
    return skills


def _seed_companies(summary: SeedSummary) -> dict[str, Company]:
    companies = {c.slug: c for c in db.session.scalars(sa.select(Company))}
    for seed in COMPANIES:
        summary.count("companies", created=seed.slug not in companies)
        if seed.slug in companies:
            continue
        verified = seed.status is VerificationStatus.VERIFIED
        companies[seed.slug] = Company(
            slug=seed.slug,
            name=seed.name,
            name_zh=seed.name_zh,
            cluster=seed.cluster,
            park_location=seed.location,
            size=seed.size,
            website=seed.website,
            description=seed.description,
            founded_year=seed.founded_year,
            verification_status=seed.status,
            verified_at=utcnow() if verified else None,
        )
        db.session.add(companies[seed.slug])
    return companies


# --- users, memberships, student profiles ----------------------------------------------

_MembershipKey = tuple[int, Role, int | None, int | None, int | None]


class _PeopleWriter:
    """Adds users with their memberships and profiles, looking up what exists in memory."""

    def __init__(
        self,
        summary: SeedSummary,
        places: _Places,
        skills: dict[str, Skill],
        companies: dict[str, Company],
    ) -> None:
        self.summary = summary
        self.places = places
        self.skills = skills
        self.companies = companies
        self.users = {u.email: u for u in db.session.scalars(sa.select(User))}
        self.memberships: set[_MembershipKey] = {
            (row.user_id, row.role, row.university_id, row.faculty_id, row.company_id)
            for row in db.session.execute(
                sa.select(
                    RoleMembership.user_id,
                    RoleMembership.role,
                    RoleMembership.university_id,
                    RoleMembership.faculty_id,
                    RoleMembership.company_id,
                )
            )
        }
        self.profile_user_ids = set(db.session.scalars(sa.select(StudentProfile.user_id)))

    def add_staff(self, spec: StaffSpec) -> None:
        user = self._user(spec.email, spec.display_name)
        university = (
            self.places.universities[spec.university_code] if spec.university_code else None
        )
        faculty = (
            self.places.faculties[(spec.university_code, spec.faculty_code)]
            if spec.university_code and spec.faculty_code
            else None
        )
        company = self.companies[spec.company_slug] if spec.company_slug else None
        self._membership(user, spec.role, university, faculty, company)

    def add_student(self, spec: StudentSpec) -> None:
        user = self._user(spec.email, spec.display_name)
        university = self.places.universities[spec.university_code]
        faculty = self.places.faculties[(spec.university_code, spec.faculty_code)]
        self._membership(user, Role.STUDENT, university, faculty, None)
        if spec.company_admin_of:
            company = self.companies[spec.company_admin_of]
            self._membership(user, Role.COMPANY_ADMIN, None, None, company)
        has_profile = user.id is not None and user.id in self.profile_user_ids
        self.summary.count("student profiles", created=not has_profile)
        if has_profile:
            self.summary.count("CVs", created=False)
        else:
            self._profile(user, spec, university, faculty)

    def _user(self, email: str, display_name: str) -> User:
        user = self.users.get(email)
        self.summary.count("users", created=user is None)
        if user is None:
            user = User(email=email, display_name=display_name)
            db.session.add(user)
            self.users[email] = user
        return user

    def _membership(
        self,
        user: User,
        role: Role,
        university: University | None,
        faculty: Faculty | None,
        company: Company | None,
    ) -> None:
        ids = (
            university.id if university else None,
            faculty.id if faculty else None,
            company.id if company else None,
        )
        exists = user.id is not None and (user.id, role, *ids) in self.memberships
        self.summary.count("memberships", created=not exists)
        if not exists:
            university_id, faculty_id, company_id = ids
            user.memberships.append(
                RoleMembership(
                    role=role,
                    university_id=university_id,
                    faculty_id=faculty_id,
                    company_id=company_id,
                )
            )

    def _profile(
        self, user: User, spec: StudentSpec, university: University, faculty: Faculty
    ) -> None:
        programme = self.places.programmes[
            (spec.university_code, spec.faculty_code, spec.programme.code)
        ]
        profile = StudentProfile(
            user=user,
            university=university,
            faculty_id=faculty.id,
            programme_id=programme.id,
            student_number=spec.student_number,
            study_level=programme.level,
            graduation_year=spec.graduation_year,
            headline=spec.headline,
            non_local=spec.non_local,
            talent_pool_opt_in=spec.talent_pool_opt_in,
            talent_pool_opted_in_at=utcnow() if spec.talent_pool_opt_in else None,
            skills=[self.skills[name] for name in spec.skills],
            languages=[
                StudentLanguage(language=code, proficiency=level) for code, level in spec.languages
            ],
            themes=[StudentTheme(theme=theme) for theme in spec.themes],
        )
        profile.cvs.append(_cv_for(spec, university, faculty, programme))
        db.session.add(profile)
        self.summary.count("CVs", created=True)


def _cv_for(
    spec: StudentSpec, university: University, faculty: Faculty, programme: StudyProgramme
) -> CVDocument:
    content = minimal_pdf(
        [
            spec.display_name,
            f"{programme.name_en} - {faculty.name_en}",
            university.name_en,
            f"Expected graduation: {spec.graduation_year}",
            spec.email,
            spec.headline.replace("·", "-"),
            f"Skills: {', '.join(spec.skills)}",
        ]
    )
    slug = spec.email.split("@", 1)[0].replace(".", "-")
    return CVDocument(
        title=f"CV - {programme.name_en}"[:120],
        original_filename=f"{slug}-cv.pdf",
        size_bytes=len(content),
        page_count=1,
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )


def _users_by_role() -> dict[Role, int]:
    rows = db.session.execute(
        sa.select(RoleMembership.role, sa.func.count(sa.distinct(RoleMembership.user_id))).group_by(
            RoleMembership.role
        )
    )
    return {role: count for role, count in rows}
