"""Searching the Talent Pool: who may, what they find, what they see, and what it costs."""

from __future__ import annotations

import pytest

from foundry.universities.models import StudyLevel
from tests.talent_pool.helpers import pool_student


def _url(world, slug="alpha", query=""):
    return f"/company/{slug}/talent-pool" + (f"?{query}" if query else "")


def _names(response) -> str:
    return response.get_data(as_text=True)


def test_recruiter_of_a_verified_company_finds_students_who_opted_in(client, world, login_as):
    pool_student(world.fac_a1, name="Ada Chan")
    pool_student(world.fac_b1, name="Ben Wong")
    login_as(world.recruiter_a)

    response = client.get(_url(world))

    page = _names(response)
    assert response.status_code == 200
    assert "Ada Chan" in page and "Ben Wong" in page
    assert "2 students" in page


def test_students_who_did_not_opt_in_are_never_listed(client, world, login_as):
    pool_student(world.fac_a1, name="Ada Chan")
    pool_student(world.fac_a1, name="Opted Out", opted_in=False)
    login_as(world.recruiter_a)

    page = _names(client.get(_url(world)))

    assert "Ada Chan" in page
    assert "Opted Out" not in page
    for user in (world.student_a1, world.student_b1):  # the world's students did not opt in
        assert user.display_name not in page
    assert "1 student" in page


def test_deactivated_students_are_not_listed(client, world, login_as, db):
    profile = pool_student(world.fac_a1, name="Gone Away")
    profile.user.active = False
    login_as(world.recruiter_a)

    assert "Gone Away" not in _names(client.get(_url(world)))


def test_companies_see_only_what_students_chose_to_share(client, world, login_as, db):
    profile = pool_student(
        world.fac_a1,
        name="Ada Chan",
        skills=("pytorch", "verilog"),
        languages=("yue", "en"),
        programme_id=world.prog_a1.id,
        headline="Secret headline",
        about="Private notes about me",
        github_url="https://github.com/ada",
        linkedin_url="javascript://example.com/%0Aalert(1)",
    )
    login_as(world.recruiter_a)

    page = _names(client.get(_url(world)))

    assert "Ada Chan" in page
    assert "BEng Computer Engineering" in page and "A Engineering" in page
    assert "pytorch" in page and "verilog" in page
    assert "Cantonese" in page and "English" in page
    assert 'href="https://github.com/ada"' in page
    assert profile.user.email not in page
    assert profile.student_number not in page
    assert "Secret headline" not in page and "Private notes" not in page
    assert "javascript:" not in page


def test_every_skill_asked_for_must_match(client, world, login_as):
    pool_student(world.fac_a1, name="Both Skills", skills=("python", "verilog"))
    pool_student(world.fac_a1, name="Python Only", skills=("python",))
    login_as(world.recruiter_a)

    page = _names(client.get(_url(world, query="skills=Python,+ VERILOG")))

    assert "Both Skills" in page
    assert "Python Only" not in page


@pytest.mark.parametrize(
    ("query", "found", "missed"),
    [
        ("faculty={fac_a2}", "Second Faculty", "First Faculty"),
        ("graduation=2029", "Second Faculty", "First Faculty"),
        ("level=phd", "Second Faculty", "First Faculty"),
        ("language=ja", "Second Faculty", "First Faculty"),
    ],
)
def test_filters_narrow_the_list(client, world, login_as, query, found, missed):
    pool_student(world.fac_a1, name="First Faculty", graduation_year=2027, languages=("en",))
    pool_student(
        world.fac_a2,
        name="Second Faculty",
        graduation_year=2029,
        study_level=StudyLevel.PHD,
        languages=("ja", "en"),
    )
    login_as(world.recruiter_a)

    page = _names(client.get(_url(world, query=query.format(fac_a2=world.fac_a2.id))))

    assert found in page
    assert missed not in page


def test_faculty_filter_offers_every_faculty_grouped_by_university(client, world, login_as):
    login_as(world.recruiter_a)

    page = _names(client.get(_url(world)))

    assert '<optgroup label="University A">' in page
    assert '<optgroup label="University B">' in page
    for faculty in (world.fac_a1, world.fac_a2, world.fac_b1):
        assert f'<option value="{faculty.id}"' in page


def test_sorts_by_name_and_by_graduation_year(client, world, login_as):
    pool_student(world.fac_a1, name="Zoe Lam", graduation_year=2026)
    pool_student(world.fac_a1, name="Alan Ho", graduation_year=2028)
    login_as(world.recruiter_a)

    by_name = _names(client.get(_url(world)))
    by_year = _names(client.get(_url(world, query="sort=-graduation")))

    assert by_name.index("Alan Ho") < by_name.index("Zoe Lam")
    assert by_year.index("Alan Ho") < by_year.index("Zoe Lam")


def test_pages_hold_twenty_students_and_show_the_total(client, world, login_as):
    for number in range(25):
        pool_student(world.fac_a1, name=f"Student {number:02d}")
    login_as(world.recruiter_a)

    first = _names(client.get(_url(world)))
    second = _names(client.get(_url(world, query="page=2")))

    assert "25 students" in first
    assert "Student 19" in first and "Student 20" not in first
    assert "Student 20" in second and "Student 24" in second
    assert "21–25 of 25" in second


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("faculty=999999", "That faculty is not known"),
        ("faculty=engineering", "That faculty is not known"),
        ("graduation=1989", "between 1990 and 2100"),
        ("graduation=2101", "between 1990 and 2100"),
        ("graduation=next", "between 1990 and 2100"),
        ("level=masters", "That study level is not known"),
        ("language=klingon", "That language is not known"),
        ("sort=email", "You cannot sort this list by email"),
        ("skills=" + ",".join(f"s{n}" for n in range(11)), "at most 10 skills"),
    ],
)
def test_bad_filters_get_a_400_with_a_clear_message(client, world, login_as, query, message):
    login_as(world.recruiter_a)

    response = client.get(_url(world, query=query))

    assert response.status_code == 400
    assert message in _names(response)


def test_unverified_company_gets_a_403_that_explains_why(client, world, login_as):
    pool_student(world.fac_a1, name="Ada Chan")
    login_as(world.recruiter_unverified)

    response = client.get(_url(world, slug="gamma"))

    assert response.status_code == 403
    page = _names(response)
    assert "Only verified companies can search the Talent Pool" in page
    assert "Ada Chan" not in page


@pytest.mark.parametrize(
    "who", ["recruiter_b", "student_a1", "dean_a1", "coordinator_a", "park_admin"]
)
def test_others_may_not_search_on_a_companys_behalf(client, world, login_as, who):
    pool_student(world.fac_a1, name="Ada Chan")
    login_as(getattr(world, who))

    response = client.get(_url(world, slug="alpha"))

    assert response.status_code == 403
    assert "Ada Chan" not in _names(response)


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(_url(world))

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_unknown_company_is_a_404(client, world, login_as):
    login_as(world.recruiter_a)

    assert client.get(_url(world, slug="no-such-company")).status_code == 404
