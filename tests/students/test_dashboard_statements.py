"""The student dashboard's checklist reads its counts in one statement, whatever the
profile holds, and counts only the student's own lists."""

from __future__ import annotations

from foundry.extensions import db
from foundry.students.models import Proficiency, Skill, StudentLanguage, StudentProfile
from foundry.students.queries import profile_lists
from tests.factories import CVFactory, student
from tests.statements import outline, statements_of_request


def profile_of(user) -> StudentProfile:
    return db.session.query(StudentProfile).filter_by(user_id=user.id).one()


def fill(profile: StudentProfile, skills: int, cvs: int) -> None:
    for n in range(skills):
        name = f"skill {profile.id} {n}"
        profile.skills.append(Skill(name=name))
    profile.languages.append(StudentLanguage(language="en", proficiency=Proficiency.FLUENT))
    for _ in range(cvs):
        CVFactory(profile=profile)
    db.session.commit()


LIST_STEPS = ("List at least three skills", "Add the languages you speak", "Upload a CV")


def test_the_counts_are_the_students_own(db):
    busy, empty = student(), student()
    fill(profile_of(busy), skills=4, cvs=2)
    assert profile_lists(profile_of(busy)).skills == 4
    lists = profile_lists(profile_of(empty))
    assert (lists.skills, lists.has_languages, lists.has_cvs) == (0, False, False)
    both = profile_lists(profile_of(busy))
    assert (both.has_languages, both.has_cvs) == (True, True)


def test_the_dashboard_costs_the_same_statements_for_an_empty_and_a_full_profile(
    client, db, login_as
):
    empty = student()
    login_as(empty)
    small, response = statements_of_request(client, "/me")
    empty_page = response.get_data(as_text=True)

    full = student()
    fill(profile_of(full), skills=6, cvs=3)
    login_as(full)
    large, response = statements_of_request(client, "/me")
    full_page = response.get_data(as_text=True)

    assert len(large) == len(small), outline(large)
    assert len(large) <= 7, outline(large)
    # Skills, languages and a CV done on the full profile's checklist, not on the other's.
    for step in LIST_STEPS:
        assert f"Done:</span> {step}" in full_page
        assert f"To do:</span> {step}" in empty_page
