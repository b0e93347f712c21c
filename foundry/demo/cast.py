"""The demo's people: the park's talent team, each university's coordinator and each
faculty's dean, associate dean and placement officer, the members of park companies, and
the students, with Karen Lau (a PhD student who founded Harbourline Robotics) first.

Who they are is drawn from one seeded `random.Random`, students one after another, so the
first N students are the same whatever the total. Their accounts and roles are written as
the universities' sign-in (and the park, for companies) would provision them; their
profiles and CVs go through the students' own services.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field, replace

import sqlalchemy as sa

from foundry.accounts.models import Role, RoleMembership, User
from foundry.companies.models import VerificationStatus
from foundry.demo import reference as ref
from foundry.demo.pdf import minimal_pdf
from foundry.extensions import db
from foundry.sso.onboarding import create_profile
from foundry.students.models import Proficiency, StudentProfile
from foundry.students.services import ProfileChanges, add_cv, update_profile
from foundry.universities.models import StudyLevel

RANDOM_SEED = 2025
PARK_ADMIN = ("talent@hkstp.example.org", "Fanny Wong (HKSTP Talent)")
FOUNDER_EMAIL = "karen.lau@connect.ust.hk"
STAFF_TITLES = {Role.DEAN: "Prof.", Role.ASSOCIATE_DEAN: "Prof.", Role.UNIVERSITY_COORDINATOR: "Dr"}
FACULTY_ROLES = (Role.DEAN, Role.ASSOCIATE_DEAN, Role.PLACEMENT_OFFICER)
LEVEL_WEIGHTS = {StudyLevel.UG: 5.0, StudyLevel.PG: 2.5, StudyLevel.PHD: 1.0}
YEARS_OF_STUDY = {StudyLevel.UG: 4, StudyLevel.PG: 1, StudyLevel.PHD: 4}
TALENT_POOL_SHARE = 0.4
SECOND_LANGUAGES = (("en", Proficiency.FLUENT), ("zh", Proficiency.WORKING))


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    role: Role
    university: str | None = None
    faculty: str | None = None
    company: str | None = None


FOUNDER = Person(FOUNDER_EMAIL, "Karen Lau", Role.COMPANY_ADMIN, company=ref.FOUNDER_COMPANY)


@dataclass(frozen=True)
class Student:
    email: str
    name: str
    university: str
    faculty: str
    programme: ref.ProgrammeRow
    number: str
    graduation_year: int
    non_local: bool
    language: str
    skills: tuple[str, ...]
    themes: tuple
    headline: str
    talent_pool: bool
    strength: float  # how recruiters take to them: the funnel a dean compares

    @property
    def first_year(self) -> int:
        """The academic year they started in."""
        return self.graduation_year - YEARS_OF_STUDY[self.programme.level]


@dataclass
class Names:
    rng: random.Random
    used: set[str] = field(default_factory=lambda: {PARK_ADMIN[0], FOUNDER_EMAIL})

    def draw(self, domain: str) -> tuple[str, str, ref.NameOrigin]:
        """A name and a unique address at `domain`."""
        english, *origins = ref.name_origins()
        origin = self.rng.choices(origins, weights=[o.weight for o in origins])[0]
        family, given = self.rng.choice(origin.families), self.rng.choice(origin.givens)
        if origin.family_first:
            if self.rng.random() < 0.45:
                given = f"{self.rng.choice(english.givens)} {given}"
            name = f"{given.split(' ')[0]} {family}" if " " in given else f"{family} {given}"
            name = f"{given} {family}" if self.rng.random() < 0.5 else name
        else:
            name = f"{given} {family}"
        local = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
        local = ".".join(local.replace("-", " ").split())
        email, serial = f"{local}@{domain}", 2
        while email in self.used:
            email, serial = f"{local}{serial}@{domain}", serial + 1
        self.used.add(email)
        return email, name, origin


def staff(rng: random.Random) -> list[Person]:
    """The park admin, coordinators, faculty staff and company members, in that order."""
    names = Names(rng)
    people = [Person(*PARK_ADMIN, Role.PARK_ADMIN)]
    for u in ref.universities():
        email, name, _ = names.draw(u.staff_domain)
        people.append(Person(email, f"Dr {name}", Role.UNIVERSITY_COORDINATOR, u.code))
    for u in ref.universities():
        for f in u.faculties:
            for role in FACULTY_ROLES:
                email, name, _ = names.draw(u.staff_domain)
                title = STAFF_TITLES.get(role)
                people.append(
                    Person(email, f"{title} {name}" if title else name, role, u.code, f.code)
                )
    for c in ref.companies():
        if c.verification not in (VerificationStatus.VERIFIED, VerificationStatus.PENDING):
            continue
        company_roles = [Role.COMPANY_ADMIN] + [Role.RECRUITER] * rng.randint(1, 2)
        if c.slug == ref.FOUNDER_COMPANY:
            company_roles.remove(Role.COMPANY_ADMIN)
        for role in company_roles:
            email, name, _ = names.draw(c.domain)
            people.append(Person(email, name, role, company=c.slug))
    return people


def students(rng: random.Random, count: int, current_year: int) -> list[Student]:
    """Karen Lau, then `count` students of the classes graduating two summers ago up to
    this year's first years."""
    names = Names(rng)
    programmes = [(u, f, p) for u in ref.universities() for f in u.faculties for p in f.programmes]
    karen = next(x for x in programmes if x[0].code == "HKUST" and x[2].code == "PHD-ECE")
    founder = _student(rng, FOUNDER.email, FOUNDER.name, "yue", karen, current_year + 2, 0)
    headline = "PhD candidate in ECE · founder of Harbourline Robotics · inspection robots"
    found = [replace(founder, headline=headline, talent_pool=True)]
    weights = [LEVEL_WEIGHTS[p.level] for *_, p in programmes]
    for serial in range(1, count + 1):
        u, f, p = rng.choices(programmes, weights=weights)[0]
        email, name, origin = names.draw(u.student_domain)
        graduation = current_year + 1 + rng.randint(-2, YEARS_OF_STUDY[p.level] - 1)
        student = _student(rng, email, name, origin.language, (u, f, p), graduation, serial)
        found.append(replace(student, non_local=rng.random() > origin.local_share))
    return found


def _student(rng, email, name, language, place, graduation, serial) -> Student:
    u, f, p = place
    pool = ref.fields()[p.field]
    skills = rng.sample(pool.skills, rng.randint(3, 6)) + rng.sample(ref.COMMON_SKILLS, 1)
    themes = tuple(rng.sample(pool.themes, rng.randint(1, min(3, len(pool.themes)))))
    return Student(
        email,
        name,
        u.code,
        f.code,
        p,
        u.student_number(serial * 7919 % 10**u.number_digits),
        graduation,
        False,
        language,
        tuple(skills),
        themes,
        f"{p.name_en} student · {rng.choice(pool.interests)}",
        rng.random() < TALENT_POOL_SHARE,
        rng.choice((0.6, 1.0, 1.0, 1.0, 1.6, 2.2)),
    )


# --- writing them ------------------------------------------------------------------------------


def account(places: ref.Places, person: Person | Student) -> User:
    """The person's account with their role in its scope, as provisioning would make it."""
    user = db.session.scalar(sa.select(User).where(User.email == person.email))
    if user is None:
        user = User(email=person.email, display_name=person.name)
        db.session.add(user)
    role = getattr(person, "role", Role.STUDENT)
    university = places.universities[person.university] if person.university else None
    faculty = places.faculties[(person.university, person.faculty)] if person.faculty else None
    company = places.companies.get(getattr(person, "company", None) or "")
    user.memberships.append(
        RoleMembership(
            role=role,
            university_id=university and university.id,
            faculty_id=faculty and faculty.id,
            company_id=company and company.id,
        )
    )
    db.session.flush()
    return user


def enrol(places: ref.Places, student: Student) -> StudentProfile:
    """The student signs in for the first time, fills in the profile and uploads a CV."""
    user = account(places, student)
    programme = places.programmes[(student.university, student.faculty, student.programme.code)]
    profile = create_profile(
        user,
        user.memberships[-1],
        study_level=programme.level,
        graduation_year=student.graduation_year,
        student_number=student.number,
        programme=programme,
    )
    languages = {student.language: Proficiency.NATIVE}
    languages.update(SECOND_LANGUAGES[: 1 + len(student.email) % 2])
    update_profile(
        user,
        profile,
        ProfileChanges(
            display_name=student.name,
            faculty_id=profile.faculty_id,
            programme_id=programme.id,
            study_level=programme.level,
            graduation_year=student.graduation_year,
            headline=student.headline,
            about=None,
            skills=list(student.skills),
            languages=languages,
            themes=list(student.themes),
            linkedin_url=None,
            github_url=None,
            website_url=None,
            non_local=student.non_local,
            talent_pool_opt_in=student.talent_pool,
        ),
    )
    content = minimal_pdf(
        [
            student.name,
            f"{programme.name_en} - {programme.faculty.name_en}",
            programme.faculty.university.name_en,
            f"Expected graduation: {student.graduation_year}",
            student.email,
            student.headline.replace("·", "-"),
            f"Skills: {', '.join(student.skills)}",
        ]
    )
    slug = student.email.split("@", 1)[0].replace(".", "-")
    add_cv(user, profile, f"CV - {programme.name_en}"[:120], f"{slug}-cv.pdf", content)
    return profile
