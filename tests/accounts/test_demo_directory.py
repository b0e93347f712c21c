"""The demo sign-in lists every demo persona, grouped by university, company and role, and
finds them by name (server side with ?q=; static/js/demo_sign_in.js does the same live)."""

from __future__ import annotations

import re

from foundry.accounts.models import Role
from tests import factories as f
from tests.conftest import csrf_from
from tests.statements import outline, statements_of_request


def _buttons(html: str) -> dict[str, str]:
    """user id -> role of every sign-in button on the page."""
    return dict(re.findall(r'name="user_id" value="(\d+)" data-role="([a-z_]+)"', html))


def _section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_every_active_persona_has_a_button_however_many_share_a_role(client, world, db):
    more_deans = [f.staff(Role.DEAN, world.fac_a2) for _ in range(6)]
    gone = f.student(world.fac_a1)
    gone.active = False
    db.session.commit()
    html = client.get("/demo/sign-in").get_data(as_text=True)
    buttons = _buttons(html)
    for person in [world.dean_b1, world.coordinator_b, world.recruiter_b, *more_deans]:
        assert str(person.id) in buttons
    assert str(gone.id) not in buttons
    assert re.search(r"(\d+) of \1 people shown", html)


def test_people_are_grouped_by_university_role_and_company(client, world):
    html = client.get("/demo/sign-in").get_data(as_text=True)
    university_b = _section(html, "university-ub")
    assert "University B" in university_b
    assert world.dean_b1.display_name in university_b
    assert world.student_b1.display_name in university_b
    assert world.dean_a1.display_name not in university_b
    assert re.search(r">Dean <span", university_b)
    beta = _section(html, "company-beta")
    assert world.recruiter_b.display_name in beta
    assert world.recruiter_a.display_name not in beta
    park = _section(html, "park-team")
    assert world.park_admin.display_name in park


def test_search_by_name_keeps_only_matching_people(client, world):
    html = client.get(
        "/demo/sign-in", query_string={"q": world.dean_b1.display_name.upper()}
    ).get_data(as_text=True)
    assert set(_buttons(html)) == {str(world.dean_b1.id)}
    assert "1 of " in html
    assert "Show everyone" in html


def test_search_combines_university_and_role_words(client, world):
    html = client.get("/demo/sign-in", query_string={"q": "ub dean"}).get_data(as_text=True)
    assert set(_buttons(html)) == {str(world.dean_b1.id)}


def test_search_reads_role_names_in_chinese(client, world):
    client.post("/language", data={"language": "zh_Hant", "csrf_token": _csrf(client)})
    html = client.get("/demo/sign-in", query_string={"q": "UB 院長"}).get_data(as_text=True)
    assert set(_buttons(html)) == {str(world.dean_b1.id)}
    assert "示範登入" in html


def test_search_with_no_match_says_so_and_lists_nobody(client, world):
    html = client.get("/demo/sign-in", query_string={"q": "nobody-like-this"}).get_data(
        as_text=True
    )
    assert _buttons(html) == {}
    assert "No demo user matches “nobody-like-this”." in html


def test_search_echoes_markup_escaped(client, world):
    html = client.get("/demo/sign-in", query_string={"q": "<svg onload=x>"}).get_data(as_text=True)
    assert "<svg onload=x>" not in html
    assert "&lt;svg onload=x&gt;" in html


def test_the_page_loads_everyone_in_two_statements(client, world, db):
    for _ in range(15):
        f.student(world.fac_b1)
    db.session.commit()
    statements, _page = statements_of_request(client, "/demo/sign-in")
    assert len(statements) <= 2, outline(statements)


def test_one_persona_of_each_role_comes_first_with_its_whole_scope(client, world):
    html = client.get("/demo/sign-in").get_data(as_text=True)
    featured = _section(html, "featured-title")
    assert set(re.findall(r'data-role="([a-z_]+)"', featured)) == {
        "student",
        "dean",
        "placement_officer",
        "university_coordinator",
        "company_admin",
        "recruiter",
        "park_admin",
    }
    assert "Dean · UA · A Engineering" in featured


def test_a_button_signs_in_as_its_person(client, world):
    page = client.get("/demo/sign-in", query_string={"q": "ub dean"})
    response = client.post(
        "/demo/sign-in", data={"user_id": world.dean_b1.id, "csrf_token": csrf_from(page)}
    )
    assert response.status_code == 303
    with client.session_transaction() as session:
        assert session["_user_id"].startswith(f"{world.dean_b1.id}:")


def _csrf(client) -> str:
    return csrf_from(client.get("/demo/sign-in"))
