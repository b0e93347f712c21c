"""Faculty staff's and coordinators' pages: figures and student lists, within scope."""

from __future__ import annotations

import pytest

from foundry.db import utcnow
from tests.factories import CVFactory, profile_of, student


def test_dean_sees_their_faculty_figures(client, world, login_as, db):
    CVFactory(profile=profile_of(world.student_a1))
    profile = profile_of(world.student_a1)
    profile.talent_pool_opt_in, profile.talent_pool_opted_in_at = True, utcnow()
    login_as(world.dean_a1)
    html = client.get(f"/faculty/{world.fac_a1.id}").get_data(as_text=True)
    assert "A Engineering" in html
    # two students in faculty A1, one in the pool, one with a CV: 50%
    assert '<div class="tf-stat-value">2</div>' in html
    assert "50% of students" in html
    assert "BEng Computer Engineering" in html  # the programme chart row


@pytest.mark.parametrize(
    ("who", "faculty", "status"),
    [
        ("dean_a1", "fac_a1", 200),
        ("dean_a1", "fac_a2", 403),
        ("officer_a2", "fac_a2", 200),
        ("dean_b1", "fac_a1", 403),
        ("coordinator_a", "fac_a1", 200),
        ("coordinator_a", "fac_a2", 200),
        ("coordinator_b", "fac_a1", 403),
        ("park_admin", "fac_b1", 200),
        ("student_a1", "fac_a1", 403),
        ("recruiter_a", "fac_a1", 403),
    ],
)
def test_who_may_see_a_faculty(client, world, login_as, who, faculty, status):
    login_as(getattr(world, who))
    faculty_id = getattr(world, faculty).id
    assert client.get(f"/faculty/{faculty_id}").status_code == status
    assert client.get(f"/faculty/{faculty_id}/students").status_code == status


def test_anonymous_is_sent_to_sign_in(client, world):
    assert client.get(f"/faculty/{world.fac_a1.id}").status_code == 302
    assert client.get(f"/university/{world.uni_a.id}").status_code == 302


def test_student_list_shows_only_the_faculty(client, world, login_as):
    login_as(world.dean_a1)
    html = client.get(f"/faculty/{world.fac_a1.id}/students").get_data(as_text=True)
    assert world.student_a1.display_name in html
    assert world.student_a1_other.display_name in html
    assert world.student_a2.display_name not in html
    assert world.student_b1.display_name not in html


def test_student_list_filters_and_sorts(client, world, login_as, db):
    for year in (2026, 2028, 2029):
        student(world.fac_a1, graduation_year=year)
    login_as(world.dean_a1)
    url = f"/faculty/{world.fac_a1.id}/students"
    html = client.get(f"{url}?graduation=2028").get_data(as_text=True)
    assert "1–1 of 1" in html
    html = client.get(f"{url}?programme={world.prog_a1.id}").get_data(as_text=True)
    assert world.student_a1.display_name in html and "1–1 of 1" in html
    html = client.get(f"{url}?sort=-graduation").get_data(as_text=True)
    assert html.index("2029") < html.index("2026")


@pytest.mark.parametrize(
    "query",
    [
        "graduation=1800",
        "graduation=2027%27%20OR%201=1--",
        "level=professor",
        "talent_pool=maybe",
        "sort=email",
        "page=-1",
    ],
)
def test_student_list_refuses_bad_filters(client, world, login_as, query):
    login_as(world.dean_a1)
    response = client.get(f"/faculty/{world.fac_a1.id}/students?{query}")
    assert response.status_code == 400


def test_programme_of_another_faculty_is_refused_as_filter(client, world, login_as):
    login_as(world.dean_a1)
    response = client.get(f"/faculty/{world.fac_a1.id}/students?programme={world.prog_a2.id}")
    assert response.status_code == 400
    assert "not one of this faculty" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "university", "status"),
    [
        ("coordinator_a", "uni_a", 200),
        ("coordinator_a", "uni_b", 403),
        ("coordinator_b", "uni_b", 200),
        ("dean_a1", "uni_a", 403),
        ("park_admin", "uni_b", 200),
        ("student_a1", "uni_a", 403),
    ],
)
def test_who_may_see_a_university(client, world, login_as, who, university, status):
    login_as(getattr(world, who))
    assert client.get(f"/university/{getattr(world, university).id}").status_code == status


def test_coordinator_sees_each_faculty_of_their_university(client, world, login_as):
    login_as(world.coordinator_a)
    html = client.get(f"/university/{world.uni_a.id}").get_data(as_text=True)
    assert "A Engineering" in html and "A Science" in html
    assert "B Engineering" not in html
