"""The demo's reference data, read from the plain tables in foundry/demo/tables/: the six
universities with their faculties and programmes, the park companies of the announcements
(SenseTime, Fano Labs) and fictional startups, fields of study, names, roles,
kinds of posting, employers.

`seed_reference()` writes what no service creates: universities, their domains, faculties
and programmes (set up by the park before launch), and the companies' records as the park
registered them (the sign-up service needs a password account per company; the demo's people
sign in on the demo page instead). Everything after that happens through the services.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

import sqlalchemy as sa

from foundry.companies.models import Company, CompanySize, VerificationStatus
from foundry.extensions import db
from foundry.postings.models import PostingKind
from foundry.taxonomy import Cluster, ParkLocation, Theme
from foundry.universities.models import Faculty, StudyLevel, StudyProgramme, University
from foundry.universities.models import UniversityDomain as Domain

TABLES = Path(__file__).with_name("tables")
APPROVING_UNIVERSITY = "HKU"  # asks to approve each posting its students see
FOUNDER_COMPANY = "harbourline-robotics"  # its admin is a PhD student (two roles, one user)
COMMON_SKILLS = ("git", "technical writing", "project management", "figma")


def _rows(name: str) -> list[list[str]]:
    with (TABLES / f"{name}.tsv").open(encoding="utf-8") as file:
        return list(csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE))


def _items(text: str, sep: str = ", ") -> tuple[str, ...]:
    return tuple(item for item in text.split(sep) if item)


class ProgrammeRow(NamedTuple):
    code: str
    name_en: str
    name_zh: str
    level: StudyLevel
    field: str


class FacultyRow(NamedTuple):
    code: str
    name_en: str
    name_zh: str
    programmes: list[ProgrammeRow]


class UniversityRow(NamedTuple):
    code: str
    name_en: str
    name_zh: str
    staff_domain: str
    student_domain: str
    number_prefix: str
    number_digits: int
    number_suffix: str
    faculties: list[FacultyRow]

    def student_number(self, serial: int) -> str:
        return f"{self.number_prefix}{serial:0{self.number_digits}d}{self.number_suffix}"


@cache
def universities() -> tuple[UniversityRow, ...]:
    found: list[UniversityRow] = []
    for kind, *values in _rows("universities"):
        if kind == "university":
            code, en, zh, staff, student, prefix, digits, suffix = values
            found.append(
                UniversityRow(code, en, zh, staff, student, prefix, int(digits), suffix, [])
            )
        elif kind == "faculty":
            found[-1].faculties.append(FacultyRow(*values, []))
        else:
            code, degree, subject, zh, level, study_field = values
            row = ProgrammeRow(code, f"{degree} in {subject}", zh, StudyLevel(level), study_field)
            found[-1].faculties[-1].programmes.append(row)
    return tuple(found)


class CompanyRow(NamedTuple):
    """As the table has it: cluster, location, size and year are read where written."""

    slug: str
    name: str
    name_zh: str
    cluster: str
    location: str
    size: str
    founded_year: str
    status: str
    description: str

    @property
    def domain(self) -> str:
        return f"{self.slug}.example.hk"

    @property
    def verification(self) -> VerificationStatus:
        return VerificationStatus(self.status)


@cache
def companies() -> tuple[CompanyRow, ...]:
    return tuple(CompanyRow(*row) for row in _rows("companies"))


class FieldRow(NamedTuple):
    skills: tuple[str, ...]
    themes: tuple[Theme, ...]
    interests: tuple[str, ...]


@cache
def fields() -> dict[str, FieldRow]:
    return {
        key: FieldRow(_items(skills), tuple(map(Theme, _items(themes))), _items(interests, "; "))
        for key, skills, themes, interests in _rows("fields")
    }


class NameOrigin(NamedTuple):
    key: str
    weight: float
    local_share: float
    language: str
    family_first: bool
    families: tuple[str, ...]
    givens: tuple[str, ...]


@cache
def name_origins() -> tuple[NameOrigin, ...]:
    return tuple(
        NameOrigin(key, float(w), float(local), lang, first == "1", _items(fam), _items(giv))
        for key, w, local, lang, first, fam, giv in _rows("names")
    )


class RoleRow(NamedTuple):
    theme: Theme
    subject: str
    job: str
    skills: tuple[str, ...]
    duties: tuple[str, ...]
    requirements: tuple[str, ...]


@cache
def roles() -> tuple[RoleRow, ...]:
    return tuple(
        RoleRow(
            Theme(theme), subject, job, _items(skills), _items(duties, "; "), _items(reqs, "; ")
        )
        for theme, subject, job, skills, duties, reqs in _rows("roles")
    )


@cache
def destinations() -> dict[str, list[tuple[str, str, str]]]:
    """Employers outside the park (name, graduate title, intern title) and further study."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for kind, *values in _rows("destinations"):
        found.setdefault(kind, []).append(tuple(values))
    return found


@cache
def cluster_themes() -> dict[Cluster, tuple[Theme, ...]]:
    """The themes a park cluster's companies post under."""
    return {Cluster(c): tuple(map(Theme, _items(themes))) for c, themes in _rows("clusters")}


class KindRow(NamedTuple):
    """How a kind of posting is advertised: its share of postings, applicants per posting
    (for 250 students), its title, and its weight in each month from September."""

    weight: int
    applicants: int
    title: str
    months: tuple[int, ...]


@cache
def kinds() -> dict[PostingKind, KindRow]:
    return {
        PostingKind(kind): KindRow(int(weight), int(n), title, tuple(map(int, months.split())))
        for kind, weight, n, title, months in _rows("kinds")
    }


# --- writing it ------------------------------------------------------------------------------


@dataclass
class Places:
    """The universities, faculties and programmes by code, and the companies by slug."""

    universities: dict[str, University]
    faculties: dict[tuple[str, str], Faculty]
    programmes: dict[tuple[str, str, str], StudyProgramme]
    companies: dict[str, Company]


def _named(row: UniversityRow | FacultyRow | ProgrammeRow) -> dict[str, str]:
    return {"code": row.code, "name_en": row.name_en, "name_zh": row.name_zh}


def seed_reference() -> Places:
    """Add the reference rows that are missing; return them all by their codes."""
    known = {u.code: u for u in db.session.scalars(sa.select(University))}
    places = Places({}, {}, {}, {c.slug: c for c in db.session.scalars(sa.select(Company))})
    for row in universities():
        university = known.get(row.code) or University(
            **_named(row),
            posting_approval_required=row.code == APPROVING_UNIVERSITY,
            domains=[Domain(domain=row.staff_domain), Domain(domain=row.student_domain)],
        )
        db.session.add(university)
        places.universities[row.code] = university
        faculties = {f.code: f for f in university.faculties}
        for faculty_row in row.faculties:
            faculty = faculties.get(faculty_row.code)
            faculty = faculty or Faculty(university=university, **_named(faculty_row))
            db.session.add(faculty)
            places.faculties[(row.code, faculty.code)] = faculty
            programmes = {p.code: p for p in faculty.programmes}
            for p in faculty_row.programmes:
                programme = programmes.get(p.code)
                programme = programme or StudyProgramme(faculty=faculty, level=p.level, **_named(p))
                db.session.add(programme)
                places.programmes[(row.code, faculty.code, p.code)] = programme
    for row in companies():
        if row.slug not in places.companies:
            pending = row.verification is VerificationStatus.PENDING  # the park verifies others
            places.companies[row.slug] = Company(
                slug=row.slug,
                name=row.name,
                name_zh=row.name_zh or None,
                cluster=Cluster(row.cluster),
                park_location=ParkLocation(row.location),
                size=CompanySize(row.size),
                website=f"https://{row.domain}",
                description=row.description,
                founded_year=int(row.founded_year),
                verification_status=row.verification if pending else VerificationStatus.UNVERIFIED,
            )
            db.session.add(places.companies[row.slug])
    db.session.flush()
    return places
