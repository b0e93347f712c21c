"""Draws the demo's people (staff and students) from the reference data, without a database.

Everything comes from one `random.Random` passed in, so the same seed gives the same people.
Staff are drawn first and students one after another, so the first N students are the same
whatever the total asked for: seeding 40 and then 500 adds 460.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from foundry.accounts.models import Role
from foundry.db import utcnow
from foundry.demo.clock import graduating_class, hong_kong_date
from foundry.demo.data import (
    COMMON_SKILLS,
    COMPANIES,
    FIELD_INTERESTS,
    FIELD_SKILLS,
    FIELD_THEMES,
    FOUNDER,
    FOUNDER_COMPANY_SLUG,
    HK_ENGLISH_GIVEN_NAMES,
    ORIGINS,
    PARK_ADMIN_EMAIL,
    PARK_ADMIN_NAME,
    STAFF_TITLES,
    UNIVERSITIES,
    FacultySeed,
    NameOrigin,
    ProgrammeSeed,
    UniversitySeed,
)
from foundry.students.models import Proficiency
from foundry.taxonomy import Theme
from foundry.universities.models import StudyLevel

# The class graduating at the end of this academic year (Hong Kong time), so the demo never
# shows current students "graduating" in the past.
CURRENT_CLASS = graduating_class(hong_kong_date(utcnow()))
# The classes of the last two summers (whose first destinations deans report on) up to this
# year's first-year students.
FIRST_GRADUATION_YEAR = CURRENT_CLASS - 2
LAST_GRADUATION_YEAR = CURRENT_CLASS + 3
TALENT_POOL_SHARE = 0.4
# Relative intake of one programme at each level.
LEVEL_WEIGHTS = {StudyLevel.UG: 5.0, StudyLevel.PG: 2.5, StudyLevel.PHD: 1.0}


@dataclass(frozen=True)
class PersonName:
    given: str
    family: str
    display: str

    @property
    def email_local_part(self) -> str:
        return f"{ascii_slug(self.given)}.{ascii_slug(self.family)}"


@dataclass(frozen=True)
class StaffSpec:
    email: str
    display_name: str
    role: Role
    university_code: str | None = None
    faculty_code: str | None = None
    company_slug: str | None = None


@dataclass(frozen=True)
class StudentSpec:
    email: str
    display_name: str
    university_code: str
    faculty_code: str
    programme: ProgrammeSeed
    student_number: str
    graduation_year: int
    headline: str
    skills: tuple[str, ...]
    languages: tuple[tuple[str, Proficiency], ...]
    themes: tuple[Theme, ...]
    non_local: bool
    talent_pool_opt_in: bool
    company_admin_of: str | None = None  # a company slug, for the student founder


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits only: "Lefèvre" -> "lefevre", "Ka Ming" -> "kaming"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.lower() if ch.isascii() and ch.isalnum())


def draw_origin(rng: random.Random) -> NameOrigin:
    return rng.choices(ORIGINS, weights=[origin.weight for origin in ORIGINS])[0]


def draw_name(rng: random.Random, origin: NameOrigin) -> PersonName:
    family = rng.choice(origin.family_names)
    if origin.family_name_first and rng.random() < 0.5:
        given = rng.choice(HK_ENGLISH_GIVEN_NAMES)
        return PersonName(given, family, f"{given} {family}")
    given = rng.choice(origin.given_names)
    display = f"{family} {given}" if origin.family_name_first else f"{given} {family}"
    return PersonName(given, family, display)


# --- staff -------------------------------------------------------------------------------


def staff_specs(rng: random.Random) -> list[StaffSpec]:
    """The park admin, then university coordinators, faculty staff and company members."""
    used_emails: set[str] = {PARK_ADMIN_EMAIL, FOUNDER.email}
    specs = [StaffSpec(PARK_ADMIN_EMAIL, PARK_ADMIN_NAME, Role.PARK_ADMIN)]
    for university in UNIVERSITIES:
        specs.append(_university_staff(rng, used_emails, university))
    for university in UNIVERSITIES:
        for faculty in university.faculties:
            specs.extend(_faculty_staff(rng, used_emails, university, faculty))
    for company in COMPANIES:
        if not company.has_members:
            continue
        roles = [Role.COMPANY_ADMIN] + [Role.RECRUITER] * rng.randint(1, 2)
        if company.slug == FOUNDER_COMPANY_SLUG:
            roles.remove(Role.COMPANY_ADMIN)  # the founder is its admin
        for role in roles:
            name = draw_name(rng, draw_origin(rng))
            email = _unique_email(used_emails, name.email_local_part, company.domain)
            specs.append(StaffSpec(email, name.display, role, company_slug=company.slug))
    return specs


def _university_staff(
    rng: random.Random, used_emails: set[str], university: UniversitySeed
) -> StaffSpec:
    role = Role.UNIVERSITY_COORDINATOR
    name = draw_name(rng, draw_origin(rng))
    email = _unique_email(used_emails, name.email_local_part, university.staff_domain)
    return StaffSpec(email, _titled(role, name), role, university_code=university.code)


def _faculty_staff(
    rng: random.Random, used_emails: set[str], university: UniversitySeed, faculty: FacultySeed
) -> list[StaffSpec]:
    specs = []
    for role in (Role.DEAN, Role.ASSOCIATE_DEAN, Role.PLACEMENT_OFFICER):
        name = draw_name(rng, draw_origin(rng))
        email = _unique_email(used_emails, name.email_local_part, university.staff_domain)
        specs.append(StaffSpec(email, _titled(role, name), role, university.code, faculty.code))
    return specs


def _titled(role: Role, name: PersonName) -> str:
    title = STAFF_TITLES.get(role)
    return f"{title} {name.display}" if title else name.display


def _unique_email(used: set[str], local_part: str, domain: str) -> str:
    email = f"{local_part}@{domain}"
    serial = 2
    while email in used:
        email = f"{local_part}{serial}@{domain}"
        serial += 1
    used.add(email)
    return email


# --- students ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    university: UniversitySeed
    faculty: FacultySeed
    programme: ProgrammeSeed


def _all_places() -> list[_Place]:
    return [
        _Place(university, faculty, programme)
        for university in UNIVERSITIES
        for faculty in university.faculties
        for programme in faculty.programmes
    ]


def founder_spec() -> StudentSpec:
    """The PhD student who also runs a park startup."""
    place = next(
        p
        for p in _all_places()
        if (p.university.code, p.faculty.code, p.programme.code)
        == (FOUNDER.university_code, FOUNDER.faculty_code, FOUNDER.programme_code)
    )
    return StudentSpec(
        email=FOUNDER.email,
        display_name=f"{FOUNDER.given} {FOUNDER.family}",
        university_code=place.university.code,
        faculty_code=place.faculty.code,
        programme=place.programme,
        student_number=FOUNDER.student_number,
        graduation_year=FOUNDER.graduation_year,
        headline=FOUNDER.headline,
        skills=tuple(sorted(FOUNDER.skills)),
        languages=FOUNDER.languages,
        themes=FOUNDER.themes,
        non_local=False,
        talent_pool_opt_in=True,
        company_admin_of=FOUNDER_COMPANY_SLUG,
    )


def student_specs(rng: random.Random, count: int) -> Iterator[StudentSpec]:
    """`count` students spread over every programme, more in UG than in PG or PhD."""
    places = _all_places()
    cumulative = list(accumulate(LEVEL_WEIGHTS[p.programme.level] for p in places))
    for serial in range(1, count + 1):
        place = rng.choices(places, cum_weights=cumulative)[0]
        yield _draw_student(rng, serial, place)


def _draw_student(rng: random.Random, serial: int, place: _Place) -> StudentSpec:
    origin = draw_origin(rng)
    name = draw_name(rng, origin)
    programme = place.programme
    graduation_year = _draw_graduation_year(rng, programme.level)
    skill_pool = FIELD_SKILLS[programme.field] + COMMON_SKILLS
    skills = rng.sample(skill_pool, rng.randint(3, 8))
    themes = rng.sample(FIELD_THEMES[programme.field], rng.randint(1, 3))
    non_local = rng.random() >= origin.local_share
    return StudentSpec(
        email=f"{name.email_local_part}.{serial}@{place.university.student_domain}",
        display_name=name.display,
        university_code=place.university.code,
        faculty_code=place.faculty.code,
        programme=programme,
        student_number=place.university.student_numbers.format(serial),
        graduation_year=graduation_year,
        headline=_headline(rng, programme, graduation_year),
        skills=tuple(sorted(set(skills))),
        languages=_draw_languages(rng, origin),
        themes=tuple(sorted(themes, key=lambda theme: theme.value)),
        non_local=non_local,
        talent_pool_opt_in=rng.random() < TALENT_POOL_SHARE,
    )


def _draw_graduation_year(rng: random.Random, level: StudyLevel) -> int:
    if level is StudyLevel.PG:  # one- and two-year programmes
        return rng.randint(FIRST_GRADUATION_YEAR, CURRENT_CLASS + 1)
    return rng.randint(FIRST_GRADUATION_YEAR, LAST_GRADUATION_YEAR)


def _headline(rng: random.Random, programme: ProgrammeSeed, graduation_year: int) -> str:
    interest = rng.choice(FIELD_INTERESTS[programme.field])
    if graduation_year < CURRENT_CLASS:
        return f"{programme.degree} {programme.subject} graduate ({graduation_year}) · {interest}"
    if programme.level is StudyLevel.PHD:
        return f"PhD candidate in {programme.subject} · researching {interest}"
    if programme.level is StudyLevel.PG:
        return f"{programme.degree} {programme.subject} student · interested in {interest}"
    year_of_study = max(1, min(4, LAST_GRADUATION_YEAR + 1 - graduation_year))
    return f"Year {year_of_study} {programme.subject} student · {interest}"


def _draw_languages(rng: random.Random, origin: NameOrigin) -> tuple[tuple[str, Proficiency], ...]:
    """The first language, English (if not the first), and sometimes Cantonese or Mandarin."""
    languages: dict[str, Proficiency] = {origin.native_language: Proficiency.NATIVE}
    if "en" not in languages:
        languages["en"] = rng.choice((Proficiency.FLUENT, Proficiency.FLUENT, Proficiency.WORKING))
    extra = rng.random()
    if origin.native_language == "yue" and extra < 0.6:
        languages["zh"] = rng.choice((Proficiency.FLUENT, Proficiency.WORKING))
    elif origin.native_language == "zh" and extra < 0.4:
        languages["yue"] = rng.choice((Proficiency.WORKING, Proficiency.BASIC))
    elif origin.native_language not in ("yue", "zh") and extra < 0.3:
        languages["yue"] = Proficiency.BASIC
    return tuple(sorted(languages.items()))
