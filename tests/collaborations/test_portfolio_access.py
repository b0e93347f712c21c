"""Who may not, on the routes issue 14's item 4 and 5 added: the university's and the
park's portfolios and their exports, the company portfolio's exports, and linking postings
and programmes to a record. A refusal is a 403 (the sign-in page for a visitor) and
nothing is written; and each portfolio holds only the records its reader may see.

The records: A1's (University A) shared with Alpha Robotics, A1's private one with Alpha,
A2's (University A, another faculty) and B1's (University B)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from foundry.collaborations.link_models import CollaborationPosting, CollaborationProgramme
from foundry.collaborations.models import CollaborationChange, Visibility
from tests.collaborations.factories import record
from tests.conftest import csrf_from
from tests.factories import PostingFactory
from tests.programmes import factories as pf

USERS = [
    "dean_a1",
    "officer_a2",
    "dean_b1",
    "coordinator_a",
    "coordinator_b",
    "company_admin_a",
    "recruiter_a",
    "recruiter_b",
    "student_a1",
    "student_b1",
    "park_admin",
]
UNIVERSITY_A = {"dean_a1", "officer_a2", "coordinator_a", "park_admin"}
COMPANY_A = {"company_admin_a", "recruiter_a"}
KEEPERS = {"dean_a1", "coordinator_a"}

ROUTES = [
    ("GET", "/universities/{uni_a}/collaborations", UNIVERSITY_A),
    ("GET", "/universities/{uni_a}/collaborations.csv", UNIVERSITY_A),
    ("GET", "/universities/{uni_a}/collaborations.xlsx", UNIVERSITY_A),
    ("GET", "/universities/{uni_a}/collaborations.csv?table=summary", UNIVERSITY_A),
    ("GET", "/collaborations", {"park_admin"}),
    ("GET", "/collaborations.xlsx?table=summary", {"park_admin"}),
    ("GET", "/collaborations.csv", {"park_admin"}),
    ("GET", "/companies/alpha/collaborations.csv", COMPANY_A | {"park_admin"}),
    ("GET", "/companies/alpha/collaborations.xlsx", COMPANY_A | {"park_admin"}),
    ("GET", "/companies/alpha/collaborations.csv?table=summary", COMPANY_A | {"park_admin"}),
    ("POST", "/collaborations/{c}/links", KEEPERS),
    ("POST", "/collaborations/{c}/links/posting/{posting}/remove", KEEPERS),
    ("POST", "/collaborations/{c}/links/programme/{programme}/remove", KEEPERS),
]


@pytest.fixture
def ids(world, db):
    from foundry.collaborations import links

    shared = record(world.dean_a1, world.fac_a1, companies=[world.company_a], title="A1 shared")
    record(
        world.dean_a1,
        world.fac_a1,
        companies=[world.company_a],
        visibility=Visibility.PRIVATE,
        title="A1 private",
    )
    record(world.officer_a2, world.fac_a2, companies=[world.company_b], title="A2 science")
    record(world.dean_b1, world.fac_b1, companies=[world.company_a], title="B1 shared")
    posting = PostingFactory(company=world.company_a, title="Robotics graduate engineer")
    programme = pf.ProgrammeFactory(organiser_faculty=world.fac_a1, title_en="Robot lab open day")
    links.link_posting(world.dean_a1, shared, posting.id)
    links.link_programme(world.dean_a1, shared, programme.id)
    db.session.commit()
    return {
        "c": shared.id,
        "uni_a": world.uni_a.id,
        "posting": posting.id,
        "programme": programme.id,
    }


def _written(db) -> tuple[int, int, int]:
    db.session.rollback()

    def count(model):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))

    return count(CollaborationChange), count(CollaborationPosting), count(CollaborationProgramme)


@pytest.mark.parametrize("who", USERS)
def test_every_new_route_refuses_those_outside_its_scope(world, db, client, login_as, ids, who):
    login_as(getattr(world, who))
    token = csrf_from(client.get("/", follow_redirects=True))
    before = _written(db)
    for method, template, allowed in ROUTES:
        url = template.format(**ids)
        if method == "GET":
            response = client.get(url, buffered=True)
            expected = 200 if who in allowed else 403
            assert response.status_code == expected, (who, url, response.status_code)
        elif who not in allowed:
            data = {"csrf_token": token, "target": f"posting:{ids['posting']}"}
            response = client.post(url, data=data)
            assert response.status_code == 403, (who, method, url, response.status_code)
    assert _written(db) == before, who


def test_anonymous_visitors_are_sent_to_sign_in(client, ids):
    for method, template, _allowed in ROUTES:
        response = client.open(template.format(**ids), method=method)
        assert response.status_code in (302, 400), (method, template)
        if response.status_code == 302:
            assert "/sign-in" in response.headers["Location"]


def _titles(client, url) -> set[str]:
    page = client.get(url).get_data(as_text=True)
    return {t for t in ("A1 shared", "A1 private", "A2 science", "B1 shared") if t in page}


@pytest.mark.parametrize(
    "who, seen",
    [
        ("coordinator_a", {"A1 shared", "A1 private", "A2 science"}),
        ("park_admin", {"A1 shared", "A1 private", "A2 science"}),
        ("dean_a1", {"A1 shared", "A1 private"}),  # their faculty's records only
        ("officer_a2", {"A2 science"}),
    ],
)
def test_the_university_portfolio_holds_what_its_reader_may_see(
    world, db, client, login_as, ids, who, seen
):
    login_as(getattr(world, who))
    assert _titles(client, f"/universities/{world.uni_a.id}/collaborations") == seen


@pytest.mark.parametrize(
    "who, seen",
    [
        ("recruiter_a", {"A1 shared", "B1 shared"}),  # shared with Alpha, from both universities
        ("park_admin", {"A1 shared", "A1 private", "B1 shared"}),
    ],
)
def test_the_company_portfolio_holds_only_records_shared_with_it(
    world, db, client, login_as, ids, who, seen
):
    login_as(getattr(world, who))
    assert _titles(client, "/companies/alpha/collaborations") == seen
    csv = client.get("/companies/alpha/collaborations.csv", buffered=True).get_data(as_text=True)
    assert {t for t in ("A1 shared", "A1 private", "A2 science", "B1 shared") if t in csv} == seen


def test_the_park_portfolio_holds_every_record(world, db, client, login_as, ids):
    login_as(world.park_admin)
    assert _titles(client, "/collaborations") == {
        "A1 shared",
        "A1 private",
        "A2 science",
        "B1 shared",
    }


def test_a_programme_names_the_records_it_came_from_only_to_those_who_may_see_them(
    world, db, client, login_as, ids
):
    url = f"/programmes/{ids['programme']}"
    login_as(world.coordinator_a)
    assert "A1 shared" in client.get(url).get_data(as_text=True)
    for who in ("student_b1", "dean_b1"):
        login_as(getattr(world, who))
        assert "A1 shared" not in client.get(url).get_data(as_text=True)


def test_a_posting_page_names_no_record(world, db, client, login_as, ids):
    """The posting page keeps to its statements (tests/core/test_statements_per_page.py):
    the record's page lists the postings it produced, the posting does not look back."""
    login_as(world.recruiter_a)
    page = client.get(f"/postings/{ids['posting']}").get_data(as_text=True)
    assert "Robotics graduate engineer" in page and "A1 shared" not in page


def test_the_company_page_shows_collaborations_to_its_members_only(
    world, db, client, login_as, ids
):
    login_as(world.recruiter_a)
    page = client.get("/companies/alpha").get_data(as_text=True)
    assert 'id="collaborations-panel-title"' in page and "A1 shared" in page
    assert "A1 private" not in page
    for who in ("recruiter_b", "dean_a1", "student_a1"):
        login_as(getattr(world, who))
        page = client.get("/companies/alpha").get_data(as_text=True)
        assert 'id="collaborations-panel-title"' not in page, who
