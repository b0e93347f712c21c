"""A student's profile: the student number, study level and graduation year kept with the
student role, and the onboarding that asks for them when a student's first sign-in through
the university did not say enough to create the profile.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry import clock
from foundry.accounts.models import Role, RoleMembership, User
from foundry.audit.services import record
from foundry.extensions import db
from foundry.sso.discovery import SsoError
from foundry.students.models import StudentProfile
from foundry.universities.models import StudyLevel, StudyProgramme, University

HONG_KONG = ZoneInfo("Asia/Hong_Kong")


def graduation_years(today: datetime | None = None) -> range:
    """The expected graduation years a student may give: last year to eight years ahead."""
    year = (today or clock.now()).astimezone(HONG_KONG).year
    return range(year - 1, year + 9)


def student_number_taken(university: University, number: str, user: User) -> bool:
    owner = db.session.scalar(
        sa.select(StudentProfile.user_id).where(
            StudentProfile.university_id == university.id,
            StudentProfile.student_number == number,
        )
    )
    return owner is not None and owner != user.id


def student_profile(user: User) -> StudentProfile | None:
    return db.session.scalar(sa.select(StudentProfile).where(StudentProfile.user_id == user.id))


def create_profile(
    user: User,
    membership: RoleMembership,
    *,
    study_level: StudyLevel,
    graduation_year: int,
    student_number: str | None,
    programme: StudyProgramme | None = None,
) -> StudentProfile:
    profile = StudentProfile(
        user_id=user.id,
        university_id=membership.university_id,
        faculty_id=membership.faculty_id,
        programme_id=programme.id if programme is not None else None,
        student_number=student_number,
        study_level=study_level,
        graduation_year=graduation_year,
    )
    db.session.add(profile)
    db.session.flush()
    return profile


def pending_student_membership(user: User) -> RoleMembership | None:
    """The student membership of a student who has no profile yet, if any."""
    memberships = user.memberships_for(Role.STUDENT)
    if not memberships or student_profile(user) is not None:
        return None
    return memberships[0]


def complete_onboarding(
    user: User,
    *,
    study_level: StudyLevel,
    graduation_year: int,
    programme: StudyProgramme | None,
    student_number: str | None,
) -> StudentProfile:
    """Create the profile of a student who signed in without study details."""
    membership = pending_student_membership(user)
    if membership is None:
        raise SsoError(_("Your student profile already exists."), "onboarding: no pending", 409)
    if programme is not None and programme.faculty_id != membership.faculty_id:
        raise SsoError(
            _("Choose a programme of your faculty."), "onboarding: foreign programme", 400
        )
    if graduation_year not in graduation_years():
        raise SsoError(_("Choose a graduation year in the list."), "onboarding: year", 400)
    university = membership.university
    if student_number and student_number_taken(university, student_number, user):
        student_number = None
    profile = create_profile(
        user,
        membership,
        study_level=study_level,
        graduation_year=graduation_year,
        student_number=student_number,
        programme=programme,
    )
    record(user, "student.onboarded", profile)
    return profile
