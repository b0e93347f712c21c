"""The student's own profile: editing it, and what bad input is refused."""

from __future__ import annotations

import pytest

from foundry.accounts.models import Role
from foundry.students.models import Proficiency
from foundry.taxonomy import Theme
from tests.factories import profile_of


def _valid_form(world, **changes):
    data = {
        "display_name": "Chan Tai Man",
        "headline": "Year 3 computer engineering",
        "faculty_id": world.fac_a1.id,
        "programme_id": world.prog_a1.id,
        "study_level": "ug",
        "graduation_year": "2027",
        "skills": "Python, PyTorch,  verilog , python",
        "languages-0-language": "yue",
        "languages-0-proficiency": "native",
        "languages-1-language": "en",
        "languages-1-proficiency": "fluent",
        "themes": ["ai_data", "robotics"],
        "github_url": "https://github.com/chantaiman",
        "talent_pool_opt_in": "y",
    }
    data.update(changes)
    return data


def test_student_saves_their_profile(client, world, login_as, post_form, db):
    login_as(world.student_a1)
    response = post_form("/me/profile", _valid_form(world))
    assert response.status_code == 303
    profile = profile_of(world.student_a1)
    assert profile.user.display_name == "Chan Tai Man"
    assert [s.name for s in profile.skills] == ["python", "pytorch", "verilog"]
    assert {lang.language: lang.proficiency for lang in profile.languages} == {
        "yue": Proficiency.NATIVE,
        "en": Proficiency.FLUENT,
    }
    assert set(profile.theme_values) == {Theme.AI_DATA, Theme.ROBOTICS}
    assert profile.talent_pool_opt_in and profile.talent_pool_opted_in_at is not None


def test_moving_faculty_moves_the_student_role_scope(client, world, login_as, post_form):
    login_as(world.student_a1)
    response = post_form(
        "/me/profile", _valid_form(world, faculty_id=world.fac_a2.id, programme_id=world.prog_a2.id)
    )
    assert response.status_code == 303
    (membership,) = profile_of(world.student_a1).user.memberships_for(Role.STUDENT)
    assert membership.faculty_id == world.fac_a2.id


def test_profile_page_shows_saved_values(client, world, login_as, post_form):
    login_as(world.student_a1)
    post_form("/me/profile", _valid_form(world))
    html = client.get("/me/profile").get_data(as_text=True)
    assert 'value="python, pytorch, verilog"' in html
    assert "Chan Tai Man" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"display_name": "x" * 121}, "Your name can be at most 120 characters."),
        ({"display_name": "   "}, "Enter your name."),
        ({"graduation_year": "1800"}, "Enter a year between 1990 and 2100."),
        ({"graduation_year": "soon"}, "Enter the year you expect to graduate."),
        ({"github_url": "not a url"}, "Invalid URL."),
        ({"languages-1-language": "yue"}, "List each language once."),
        ({"skills": ",".join(["s" * 51])}, "Each skill can be at most 50 characters."),
        ({"skills": ",".join(f"skill{i}" for i in range(31))}, "List at most 30 skills."),
        ({"study_level": "professor"}, "Not a valid choice"),
    ],
)
def test_bad_profile_input_is_refused_and_nothing_changes(
    client, world, login_as, post_form, changes, message
):
    login_as(world.student_a1)
    before = profile_of(world.student_a1)
    name_before, skills_before = before.user.display_name, list(before.skills)
    response = post_form("/me/profile", _valid_form(world, **changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    after = profile_of(world.student_a1)
    assert after.user.display_name == name_before
    assert list(after.skills) == skills_before


def test_faculty_of_a_foreign_university_is_refused(client, world, login_as, post_form):
    login_as(world.student_a1)
    response = post_form(
        "/me/profile", _valid_form(world, faculty_id=world.fac_b1.id, programme_id="")
    )
    assert response.status_code == 400
    assert "Choose a faculty of your own university." in response.get_data(as_text=True)
    profile = profile_of(world.student_a1)
    assert profile.faculty_id == world.fac_a1.id
    assert profile.user.display_name != "Chan Tai Man"


def test_programme_of_another_faculty_is_refused(client, world, login_as, post_form):
    login_as(world.student_a1)
    response = post_form("/me/profile", _valid_form(world, programme_id=world.prog_a2.id))
    assert response.status_code == 400
    assert "Choose a programme of the faculty you selected." in response.get_data(as_text=True)
    assert profile_of(world.student_a1).programme_id == world.prog_a1.id


def test_forged_csrf_token_changes_nothing(client, world, login_as):
    login_as(world.student_a1)
    response = client.post("/me/profile", data={**_valid_form(world), "csrf_token": "forged"})
    assert response.status_code == 400
    assert profile_of(world.student_a1).user.display_name != "Chan Tai Man"


@pytest.mark.parametrize("who", ["dean_a1", "recruiter_a", "park_admin", "coordinator_a"])
def test_only_students_have_a_profile_page(client, world, login_as, who):
    login_as(getattr(world, who))
    assert client.get("/me/profile").status_code == 403
    assert client.get("/me").status_code == 403


def test_student_dashboard_shows_checklist_and_companies(client, world, login_as, post_form):
    login_as(world.student_a1)
    post_form("/me/profile", _valid_form(world))
    html = client.get("/me").get_data(as_text=True)
    assert "Welcome, Chan Tai Man" in html
    assert "Alpha Robotics" in html  # verified, in the AI & robotics cluster
    assert "Gamma Unverified" not in html


@pytest.mark.parametrize(
    "address", ["javascript://example.com/%0Aalert(1)", "ftp://example.com/cv", "data:text/html,x"]
)
def test_links_must_be_web_addresses(client, world, login_as, post_form, address):
    login_as(world.student_a1)
    response = post_form("/me/profile", _valid_form(world, website_url=address))
    assert response.status_code == 400
    assert "Enter a web address starting with https://" in response.get_data(as_text=True)
    assert profile_of(world.student_a1).website_url is None


def test_companies_see_only_what_the_talent_pool_opt_in_promises(client, world, login_as, db):
    from foundry.db import utcnow

    profile = profile_of(world.student_a1)
    profile.talent_pool_opt_in, profile.talent_pool_opted_in_at = True, utcnow()
    profile.headline, profile.about = "Private headline", "Private about text"
    profile.website_url = "javascript://example.com/%0Aalert(1)"  # an old row, before the check
    db.session.commit()
    login_as(world.recruiter_a)
    html = client.get(f"/students/{profile.id}").get_data(as_text=True)
    assert world.student_a1.display_name in html
    for private in (
        "Private headline",
        "Private about text",
        world.student_a1.email,
        profile.student_number,
        "javascript:",
    ):
        assert private not in html
