"""The students, and the universities' and the park's staff (with the personas among
them: bench/park/personas.py); the universities themselves first (universities.py)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import NamedTuple

from bench.park import ANCHOR, HISTORY_STARTS, personas, universities
from bench.park.accounts import (
    GIVEN,
    MEMBERSHIP_COLUMNS,
    SURNAMES,
    USER_COLUMNS,
    encrypted_totp_secret,
    user_row,
)
from bench.park.build import Build, log
from bench.park.universities import THEMES
from foundry.demo.pdf import minimal_pdf


class Student(NamedTuple):
    """What later steps need of a student: who they are, their cohort and their CV."""

    profile_id: int
    user_id: int
    university_id: int
    faculty_id: int
    level: str
    graduation_year: int
    non_local: bool
    cv: SimpleNamespace


def cv_of(name: str, subject: str) -> SimpleNamespace:
    content = minimal_pdf([name, "Curriculum vitae", subject])
    return SimpleNamespace(
        title="CV",
        filename="cv.pdf",
        size=len(content),
        pages=1,
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )


def fill(build: Build) -> None:
    rng = build.rng("people")
    people = SimpleNamespace(
        universities={},
        faculties=[],
        programmes=[],
        students=[],
        pool=[],
        deans={},
        coordinators={},
    )
    universities.fill(build, people)
    build.made.people = people
    _staff(build, people)
    _students(build, people, rng)


def _staff(build: Build, people: SimpleNamespace) -> None:
    """The park admins, and for every faculty a dean and a placement officer, for every
    university a coordinator. The personas are CUHK's and the first park admin."""
    users, memberships = [], []
    created = HISTORY_STARTS - timedelta(days=20)

    def add(email: str, name: str, role: str, university=None, faculty=None, **totp) -> int:
        user_id = build.ids("users", 1)[0]
        users.append(user_row(user_id, email, name, created, **totp))
        memberships.append(
            (
                build.ids("role_memberships", 1)[0],
                user_id,
                role,
                university,
                faculty,
                None,
                created,
                created,
            )
        )
        return user_id

    people.admin_id = add(
        personas.PARK_ADMIN,
        "Park Admin (bench)",
        "park_admin",
        secret=encrypted_totp_secret(),
        enabled_at=created,
        recovery_codes=json.dumps([]),
    )
    add(
        "admin2@bench.example",
        "Second Park Admin (bench)",
        "park_admin",
        secret=encrypted_totp_secret(),
        enabled_at=created,
        recovery_codes=json.dumps([]),
    )
    for code, university in people.universities.items():
        persona = code == "CUHK"
        people.coordinators[code] = add(
            personas.COORDINATOR if persona else f"coordinator.{code.lower()}@bench.example",
            f"{code} Placement Coordinator",
            "university_coordinator",
            university.id,
        )
        for faculty in university.faculties.values():
            dean = (
                personas.DEAN
                if persona and faculty.code == "ENG"
                else (f"dean.{code.lower()}.{faculty.code.lower()}@bench.example")
            )
            people.deans[faculty.id] = add(
                dean, f"Dean of {code} {faculty.code}", "dean", university.id, faculty.id
            )
            add(
                f"officer.{code.lower()}.{faculty.code.lower()}@bench.example",
                f"{code} {faculty.code} Placement Officer",
                "placement_officer",
                university.id,
                faculty.id,
            )
    build.copy("users", USER_COLUMNS, users)
    build.copy("role_memberships", MEMBERSHIP_COLUMNS, memberships)


def _students(build: Build, people: SimpleNamespace, rng) -> None:
    """The park's students (spread over the programmes by their size), then the persona
    student and the applicant pool: CUHK engineering undergraduates graduating in 2027."""
    cuhk = people.universities["CUHK"]
    engineering = cuhk.faculties["ENG"]
    pool_programme = next(
        p for p in people.programmes if p.faculty is engineering and p.level == "ug"
    )
    weights = [p.weight for p in people.programmes]
    specs = []
    for n, programme in enumerate(rng.choices(people.programmes, weights, k=build.scale.students)):
        years = {"ug": 4, "pg": 1, "phd": 4}[programme.level]
        graduation = rng.randint(2023, 2030 if programme.level == "ug" else 2028)
        # Bulk students' addresses are made from their names once their ids are known.
        specs.append((None, programme, graduation, years, rng.random() < 0.2, False, n))
    specs.append((personas.STUDENT, pool_programme, 2027, 4, False, True, "persona"))
    specs.extend(
        (personas.applicant_email(n), pool_programme, 2027, 4, False, True, f"pool {n}")
        for n in range(personas.APPLICANT_POOL)
    )
    _write_students(build, people, rng, specs)


def _write_students(build: Build, people: SimpleNamespace, rng, specs: list) -> None:
    users, profiles, memberships, cvs, skills, languages, themes = [], [], [], [], [], [], []
    for email, programme, graduation, years, non_local, complete, n in specs:
        faculty = programme.faculty
        university = people.universities[faculty.university]
        user_id, profile_id = build.ids("users", 1)[0], build.ids("student_profiles", 1)[0]
        surname, given = SURNAMES[profile_id % 16], GIVEN[(profile_id // 16) % 16]
        name = f"{surname} {given}" if complete else f"{surname} {given} {n}"
        if email is None:
            email = f"{surname.lower()}.{given.lower().replace(' ', '')}.{n}@{university.domain}"
        entered = datetime(graduation - years, 8, 25, 3, 0)
        created = max(entered, HISTORY_STARTS) + timedelta(minutes=profile_id % 5000)
        created = min(created, ANCHOR - timedelta(days=30))
        users.append(user_row(user_id, email, name, created))
        memberships.append(
            (
                build.ids("role_memberships", 1)[0],
                user_id,
                "student",
                university.id,
                faculty.id,
                None,
                created,
                created,
            )
        )
        opted_in = complete or rng.random() < 0.3
        profiles.append(
            (
                profile_id,
                user_id,
                university.id,
                faculty.id,
                programme.id,
                f"{faculty.university[:2]}{profile_id:08d}",
                programme.level,
                graduation,
                f"{programme.subject} student" if complete or rng.random() < 0.6 else None,
                "I like building things that work." if complete else None,
                non_local,
                opted_in,
                created if opted_in else None,
                created,
                created,
            )
        )
        cv = cv_of(name, programme.subject)
        cvs.append(
            (
                build.ids("cv_documents", 1)[0],
                profile_id,
                cv.title,
                cv.filename,
                cv.size,
                cv.pages,
                cv.sha256,
                created + timedelta(days=3),
                cv.content,
            )
        )
        chosen = {1, 2, 3} if complete else set()  # python, sql, javascript
        chosen.update(rng.sample(range(1, 40), rng.randint(0 if not complete else 1, 5)))
        skills.extend((profile_id, skill_id) for skill_id in sorted(chosen))
        if complete or rng.random() < 0.5:
            languages.append((profile_id, "en", "fluent"))
            languages.append((profile_id, "yue" if not non_local else "cmn", "native"))
        themes.extend(
            (profile_id, theme)
            for theme in sorted(set(rng.sample(THEMES, 2 if complete else rng.randint(0, 2))))
        )
        student = Student(
            profile_id,
            user_id,
            university.id,
            faculty.id,
            programme.level,
            graduation,
            non_local,
            cv,
        )
        if n == "persona":
            people.persona_student = student
        elif complete:
            people.pool.append(student)
        else:
            people.students.append(student)
    build.copy("users", USER_COLUMNS, users)
    build.copy("role_memberships", MEMBERSHIP_COLUMNS, memberships)
    build.copy(
        "student_profiles",
        (
            "id",
            "user_id",
            "university_id",
            "faculty_id",
            "programme_id",
            "student_number",
            "study_level",
            "graduation_year",
            "headline",
            "about",
            "non_local",
            "talent_pool_opt_in",
            "talent_pool_opted_in_at",
            "created_at",
            "updated_at",
        ),
        profiles,
    )
    build.copy(
        "cv_documents",
        (
            "id",
            "profile_id",
            "title",
            "original_filename",
            "size_bytes",
            "page_count",
            "sha256",
            "uploaded_at",
            "content",
        ),
        cvs,
    )
    build.copy("student_skills", ("profile_id", "skill_id"), skills)
    build.copy("student_languages", ("profile_id", "language", "proficiency"), languages)
    build.copy("student_themes", ("profile_id", "theme"), themes)
    log(
        f"  {len(people.students):,} students, the persona student, {len(people.pool)} in the "
        "applicant pool"
    )
