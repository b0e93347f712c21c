"""The demo data set: complete, consistent, deterministic, and idempotent."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from foundry.accounts.models import Role, RoleMembership, User
from foundry.companies.models import Company, VerificationStatus
from foundry.demo.seed import SIGN_IN_HINT, seed_demo
from foundry.reports.periods import academic_year_of, day_of
from foundry.students.models import CVDocument, StudentProfile
from foundry.universities.models import Faculty, StudyProgramme, University
from tests.demo.shared import DEMO_NOW, DEMO_STUDENTS, FEW_STUDENTS


def _row_counts(db) -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_seeds_six_universities_with_english_and_chinese_names(db, summary):
    universities = db.session.scalars(sa.select(University)).all()

    assert sorted(u.code for u in universities) == sorted(
        ["CUHK", "CityU", "HKBU", "PolyU", "HKUST", "HKU"]
    )
    for university in universities:
        assert university.name_en and university.name_zh
        assert len(university.domains) == 2


def test_every_faculty_has_programmes_at_its_universitys_levels(db, summary):
    faculties = db.session.scalars(sa.select(Faculty)).all()

    assert len(faculties) >= 6
    for faculty in faculties:
        assert 3 <= len(faculty.programmes) <= 7, faculty.code
        assert faculty.name_zh
    levels = set(db.session.scalars(sa.select(StudyProgramme.level)))
    assert len(levels) == 3


def test_every_role_has_at_least_one_user(db, summary):
    held = set(db.session.scalars(sa.select(RoleMembership.role).distinct()))

    assert held == set(Role)
    assert all(summary.users_by_role[role] >= 1 for role in Role)


def test_running_it_again_adds_nothing(db, own_summary):
    before = _row_counts(db)

    again = seed_demo(student_count=FEW_STUDENTS, progress=False)

    assert _row_counts(db) == before
    assert again.total_created == 0
    assert again.total_present == own_summary.total_created
    assert "0 created" in again.describe()


def test_asking_for_more_students_later_adds_only_the_difference(db):
    seed_demo(student_count=FEW_STUDENTS, progress=False)
    before = db.session.scalar(sa.select(sa.func.count(StudentProfile.id)))

    later = seed_demo(student_count=FEW_STUDENTS + 10, progress=False)

    after = db.session.scalar(sa.select(sa.func.count(StudentProfile.id)))
    assert after - before == 10
    assert later.created["student profiles"] == 10


def test_emails_are_lower_case_and_unique(db, summary):
    emails = db.session.scalars(sa.select(User.email)).all()

    assert all(email == email.lower() for email in emails)
    assert len(emails) == len(set(emails))


def test_students_belong_to_a_faculty_and_programme_of_their_university(db, summary):
    profiles = db.session.scalars(sa.select(StudentProfile)).unique().all()
    # From the class of two summers ago up to this year's first years (as of the seed).
    current_class = academic_year_of(day_of(DEMO_NOW)) + 1

    assert len(profiles) == DEMO_STUDENTS + 1  # and the PhD student who founded a startup
    for profile in profiles:
        assert profile.faculty.university_id == profile.university_id
        assert profile.programme.faculty_id == profile.faculty_id
        assert profile.study_level is profile.programme.level
        assert current_class - 2 <= profile.graduation_year <= current_class + 3
        email_domain = profile.user.email.split("@")[1]
        assert email_domain in {d.domain for d in profile.university.domains}
        (membership,) = profile.user.memberships_for(Role.STUDENT)
        assert (membership.university_id, membership.faculty_id) == (
            profile.university_id,
            profile.faculty_id,
        )
        assert 3 <= len(profile.skills) <= 8
        assert 1 <= len(profile.languages) <= 3
        assert 1 <= len(profile.themes) <= 3
        assert profile.talent_pool_opt_in == (profile.talent_pool_opted_in_at is not None)


def test_companies_include_verified_pending_unverified_and_rejected(db, summary):
    statuses = db.session.scalars(sa.select(Company.verification_status)).all()

    assert statuses.count(VerificationStatus.VERIFIED) >= 40
    assert VerificationStatus.UNVERIFIED in statuses
    assert VerificationStatus.PENDING in statuses
    assert statuses.count(VerificationStatus.REJECTED) == 1
    slugs = set(db.session.scalars(sa.select(Company.slug)))
    assert {"sensetime", "fano-labs"} <= slugs


def test_every_cv_is_a_pdf_with_matching_size_and_hash(db, summary):
    cvs = db.session.scalars(sa.select(CVDocument)).all()

    assert len(cvs) == DEMO_STUDENTS + 1
    for cv in cvs:
        assert cv.content.startswith(b"%PDF-")
        assert cv.size_bytes == len(cv.content)
        assert cv.sha256 == hashlib.sha256(cv.content).hexdigest()


def test_one_phd_student_is_also_a_company_admin(db, summary):
    multi_role = [
        user
        for user in db.session.scalars(sa.select(User)).all()
        if {Role.STUDENT, Role.COMPANY_ADMIN} <= user.roles()
    ]

    assert len(multi_role) == 1
    (profile,) = db.session.scalars(
        sa.select(StudentProfile).where(StudentProfile.user_id == multi_role[0].id)
    ).all()
    assert profile.programme.level.value == "phd"


def test_seed_demo_command_prints_the_summary(app, db):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--students", "20", "--quiet"])

    assert result.exit_code == 0, result.output
    assert "created" in result.output
    assert "Users by role" in result.output
    assert SIGN_IN_HINT in result.output
    assert db.session.scalar(sa.select(sa.func.count(StudentProfile.id))) == 21


def test_the_summary_counts_every_table_without_a_list_to_keep(db, summary):
    tables = {table.name.replace("_", " ") for table in db.metadata.sorted_tables}

    assert set(summary.created) == tables
    assert summary.created["student profiles"] == DEMO_STUDENTS + 1
