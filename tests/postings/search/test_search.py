"""The search page: keywords ranked by relevance, filters, sorting, counts, eligibility,
bad input, and the cost of the queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from foundry.db import utcnow
from foundry.postings.models import (
    ApprovalStatus,
    PayPeriod,
    Posting,
    PostingApproval,
    PostingKind,
    PostingStatus,
    PostingTheme,
    WorkMode,
)
from foundry.postings.search import kind_counts, parse_search_params
from foundry.postings.search_index import fts_match_string, search_terms
from foundry.taxonomy import Cluster, ParkLocation, Theme
from tests.factories import CompanyFactory, PostingFactory
from tests.postings.search import titles
from tests.statements import recorded_statements


def test_anonymous_visitor_finds_published_postings_by_keyword(client, world):
    PostingFactory(company=world.company_a, title="Drone Engineering Intern")
    PostingFactory(company=world.company_b, title="Payments Analyst")
    PostingFactory(company=world.company_a, title="Drone Draft", status=PostingStatus.DRAFT)
    PostingFactory(
        company=world.company_a,
        title="Drone Closed",
        status=PostingStatus.CLOSED,
        published_at=utcnow(),
    )

    response = client.get("/postings?q=drone")

    assert response.status_code == 200
    assert titles(response) == ["Drone Engineering Intern"]
    assert "1 posting" in response.get_data(as_text=True)


def test_keywords_match_skills_text_and_company_name(client, world):
    PostingFactory(company=world.company_b, title="Analyst", description="Ledgers.")
    PostingFactory(company=world.company_a, title="Engineer", description="Ledgers.")

    assert titles(client.get("/postings?q=beta")) == ["Analyst"]
    assert sorted(titles(client.get("/postings?q=ledgers"))) == ["Analyst", "Engineer"]


def test_every_keyword_must_match(client, world):
    PostingFactory(company=world.company_a, title="Vision Engineer", description="Cameras.")
    PostingFactory(company=world.company_a, title="Vision Researcher", description="Lasers.")

    assert titles(client.get("/postings?q=vision lasers")) == ["Vision Researcher"]


def test_results_are_ranked_by_relevance(client, world):
    filler = " ".join(["warehouse logistics planning"] * 40)
    PostingFactory(
        company=world.company_a, title="Operations Intern", description=f"{filler} vision"
    )
    PostingFactory(
        company=world.company_a,
        title="Vision Intern",
        description="Computer vision for vision-guided robots: vision every day.",
    )

    assert titles(client.get("/postings?q=vision")) == ["Vision Intern", "Operations Intern"]


@pytest.mark.parametrize(
    "query",
    [
        'c++ "OR',
        '"',
        "'; DROP TABLE postings; --",
        "NEAR(robot",
        "title:robot",
        "robot* AND OR NOT",
        "-robot",
        "機械人 robot",
        "%_%",
    ],
)
def test_keywords_that_look_like_syntax_are_just_searched(client, world, db, query):
    PostingFactory(company=world.company_a, title="Robot Intern")

    response = client.get("/postings", query_string={"q": query})

    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Posting)) == 1


def test_fts_match_string_quotes_every_word():
    assert fts_match_string(search_terms('c "robot')) == '"c"* AND "robot"*'


def test_filters_narrow_the_list(client, world):
    other = CompanyFactory(
        name="Delta Materials",
        cluster=Cluster.NEW_MATERIALS,
        park_location=ParkLocation.INNOPARK_TKO,
    )
    base = PostingFactory(company=world.company_a, title="Base")
    PostingFactory(company=world.company_a, title="Graduate", kind=PostingKind.GRADUATE_ROLE)
    PostingFactory(company=other, title="Materials")
    PostingFactory(company=world.company_a, title="Remote", work_mode=WorkMode.REMOTE)
    themed = PostingFactory(company=world.company_a, title="Themed")
    themed.themes.append(PostingTheme(theme=Theme.FINTECH))
    PostingFactory(company=world.company_a, title="July start", start_date=date(2031, 7, 15))
    assert base.work_mode is WorkMode.HYBRID

    def listed(args: str) -> list[str]:
        return sorted(titles(client.get("/postings?" + args)))

    assert listed("kind=graduate_role") == ["Graduate"]
    assert listed("cluster=new_materials") == ["Materials"]
    assert listed("location=innopark_tko") == ["Materials"]
    assert listed("mode=remote") == ["Remote"]
    assert listed("theme=fintech") == ["Themed"]
    assert listed("start=2031-07") == ["July start"]
    assert listed("start=2031-08") == []


def test_minimum_pay_compares_monthly_amounts(client, world):
    PostingFactory(company=world.company_a, title="Monthly 16k")  # 12,000–16,000 a month
    PostingFactory(
        company=world.company_a,
        title="Hourly 120",
        pay_min_hkd=100,
        pay_max_hkd=120,
        pay_period=PayPeriod.HOUR,
    )  # about 20,760 a month
    PostingFactory(
        company=world.company_a,
        title="Yearly 180k",
        pay_min_hkd=150000,
        pay_max_hkd=180000,
        pay_period=PayPeriod.YEAR,
    )  # 15,000 a month
    PostingFactory(company=world.company_a, title="Unpaid", pay_min_hkd=None, pay_max_hkd=None)

    assert sorted(titles(client.get("/postings?pay_min=15500"))) == ["Hourly 120", "Monthly 16k"]
    assert sorted(titles(client.get("/postings?pay_min=20000"))) == ["Hourly 120"]
    assert len(titles(client.get("/postings?pay_min=0"))) == 3


def test_deadline_passed_is_hidden_by_default(client, world):
    PostingFactory(company=world.company_a, title="Open")
    PostingFactory(company=world.company_a, title="Expired", deadline=utcnow() - timedelta(hours=1))

    assert titles(client.get("/postings")) == ["Open"]
    page = client.get("/postings?past=1")
    assert sorted(titles(page)) == ["Expired", "Open"]
    assert "Applications closed" in page.get_data(as_text=True)


def test_sorting_by_newest_and_closing_soonest(client, world):
    now = utcnow()
    PostingFactory(
        company=world.company_a,
        title="Old, closes late",
        published_at=now - timedelta(days=5),
        deadline=now + timedelta(days=40),
    )
    PostingFactory(
        company=world.company_a,
        title="New, closes soon",
        published_at=now - timedelta(days=1),
        deadline=now + timedelta(days=2),
    )
    PostingFactory(
        company=world.company_a,
        title="Middle",
        published_at=now - timedelta(days=3),
        deadline=now + timedelta(days=10),
    )

    assert titles(client.get("/postings")) == ["New, closes soon", "Middle", "Old, closes late"]
    assert titles(client.get("/postings?sort=closing")) == [
        "New, closes soon",
        "Middle",
        "Old, closes late",
    ]
    assert titles(client.get("/postings?sort=newest")) == [
        "New, closes soon",
        "Middle",
        "Old, closes late",
    ]
    PostingFactory(
        company=world.company_a,
        title="Newest, closes last",
        published_at=now,
        deadline=now + timedelta(days=90),
    )
    assert titles(client.get("/postings?sort=closing"))[-1] == "Newest, closes last"
    assert titles(client.get("/postings?sort=newest"))[0] == "Newest, closes last"


def test_results_are_paginated_with_a_total(client, world):
    for n in range(25):
        PostingFactory(company=world.company_a, title=f"Role {n:02d}")

    first = client.get("/postings")
    second = client.get("/postings?page=2")

    assert len(titles(first)) == 20
    assert len(titles(second)) == 5
    assert "25 postings" in first.get_data(as_text=True)
    assert set(titles(first)).isdisjoint(titles(second))


def test_counts_per_kind_keep_the_other_filters_in_one_query(world, db):
    PostingFactory(company=world.company_a, title="Robot A")
    PostingFactory(company=world.company_a, title="Robot B")
    PostingFactory(company=world.company_a, title="Robot C", kind=PostingKind.GRADUATE_ROLE)
    PostingFactory(company=world.company_b, title="Robot D", kind=PostingKind.GRADUATE_ROLE)
    db.session.commit()
    params = parse_search_params({"kind": "graduate_role", "cluster": "ai_robotics", "q": "robot"})

    with recorded_statements() as statements:
        counts = kind_counts(params, None, utcnow())

    assert len(statements) == 1
    assert counts[PostingKind.SUMMER_INTERNSHIP] == 2
    assert counts[PostingKind.GRADUATE_ROLE] == 2  # beta is ai_robotics too (factory default)
    assert counts[PostingKind.RESEARCH_ASSISTANT] == 0


def test_sidebar_shows_the_counts(client, world):
    PostingFactory(company=world.company_a)
    PostingFactory(company=world.company_a, kind=PostingKind.GRADUATE_ROLE)
    PostingFactory(company=world.company_a, kind=PostingKind.GRADUATE_ROLE)

    html = client.get("/postings?kind=graduate_role").get_data(as_text=True)

    assert 'Graduate role <span class="text-body-secondary">(2)</span>' in html
    assert 'Summer internship <span class="text-body-secondary">(1)</span>' in html
    assert 'All kinds <span class="text-body-secondary">(3)</span>' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=intern", "There is no kind of posting called “intern”."),
        ("cluster=space", "There is no park cluster called “space”."),
        ("location=mars", "There is no park location called “mars”."),
        ("mode=teleport", "There is no work mode called “teleport”."),
        ("theme=cooking", "There is no theme called “cooking”."),
        ("pay_min=-5", "The minimum pay cannot be negative."),
        ("pay_min=lots", "The minimum pay must be a whole number of Hong Kong dollars."),
        ("start=2026-13", "The start month must be a year and month, like 2026-07."),
        ("start=July", "The start month must be a year and month, like 2026-07."),
        ("page=abc", "The page number must be a whole number."),
        ("sort=password", "You cannot sort postings by “password”."),
        ("past=maybe", "must be on or off"),
    ],
)
def test_bad_parameters_get_a_400_with_a_clear_message(client, world, query, message):
    response = client.get("/postings?" + query)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#34;", '"')


def test_student_sees_eligibility_and_why_not(client, world, login_as):
    PostingFactory(company=world.company_a, title="Open to all")
    PostingFactory(company=world.company_a, title="UB only", universities=[world.uni_b])
    login_as(world.student_a1)

    html = client.get("/postings").get_data(as_text=True)

    assert html.count("You can apply") == 1
    assert "Not eligible" in html
    assert "Open to students of UB only." in html


def test_anonymous_visitor_sees_no_eligibility(client, world):
    PostingFactory(company=world.company_a, title="UB only", universities=[world.uni_b])

    html = client.get("/postings").get_data(as_text=True)

    assert "UB only" in html
    assert "Not eligible" not in html
    assert "Only postings I can apply to" not in html


def test_eligible_for_me_filter(client, world, login_as):
    PostingFactory(company=world.company_a, title="Open to all")
    PostingFactory(company=world.company_a, title="UB only", universities=[world.uni_b])
    PostingFactory(company=world.company_a, title="UA only", universities=[world.uni_a])
    login_as(world.student_a1)

    assert sorted(titles(client.get("/postings?eligible=1"))) == ["Open to all", "UA only"]
    assert len(titles(client.get("/postings"))) == 3


def test_student_never_sees_postings_their_university_has_not_approved(client, world, db, login_as):
    world.uni_a.posting_approval_required = True
    PostingFactory(company=world.company_a, title="Not approved")
    approved = PostingFactory(company=world.company_a, title="Approved")
    declined = PostingFactory(company=world.company_a, title="Declined")
    db.session.add_all(
        [
            PostingApproval(
                posting=approved, university_id=world.uni_a.id, status=ApprovalStatus.APPROVED
            ),
            PostingApproval(
                posting=declined, university_id=world.uni_a.id, status=ApprovalStatus.DECLINED
            ),
        ]
    )

    login_as(world.student_a1)
    assert titles(client.get("/postings")) == ["Approved"]
    login_as(world.student_b1)
    assert len(titles(client.get("/postings"))) == 3


def test_anonymous_visitors_see_every_published_posting(client, world, db):
    world.uni_a.posting_approval_required = True
    PostingFactory(company=world.company_a, title="Not approved by UA")

    assert titles(client.get("/postings")) == ["Not approved by UA"]


def test_search_parameters_round_trip_through_a_query_string():
    args = {
        "q": "drone",
        "kind": "graduate_role",
        "cluster": "fintech",
        "location": "innocentre",
        "mode": "remote",
        "theme": "ai_data",
        "pay_min": "0",
        "start": "2031-07",
        "past": "1",
        "eligible": "1",
        "sort": "closing",
    }

    assert parse_search_params(args).to_args() == args
    assert parse_search_params({"q": "  ", "past": "0"}).to_args() == {}
