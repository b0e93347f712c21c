"""What searching costs: the matches counted once, and SQLite's full-text table doing the
keyword search. Statements per page: tests/core/test_statements_per_page.py; PostgreSQL's
plans, the GIN index among them: tests/core/test_query_plans.py."""

from __future__ import annotations

import pytest

from foundry.postings.models import PostingKind
from tests.factories import PostingFactory
from tests.postings.search import is_postgres, titles
from tests.statements import recorded_statements


def test_keyword_search_uses_the_fts5_table_on_sqlite(client, world, db):
    if is_postgres():
        pytest.skip("FTS5 is SQLite's")
    PostingFactory(company=world.company_a, title="Robot Intern")
    with recorded_statements() as statements:
        client.get("/postings?q=robot")
    searched = [(s, p) for s, p in statements if "postings_fts MATCH" in s and "LIMIT" in s]
    assert searched, "the keyword search did not use postings_fts"
    statement, parameters = searched[0]

    with db.engine.connect() as conn:
        plan = " ".join(
            str(row[-1])
            for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        )

    assert "VIRTUAL TABLE INDEX" in plan


@pytest.mark.parametrize(
    ("query", "heading"),
    [
        ("q=zephyr", "23 postings"),
        ("q=zephyr&kind=graduate_role", "21 postings"),
        ("q=zephyr&kind=research_assistant", "0 postings"),
        ("q=zephyr&kind=graduate_role&page=2", "21 postings"),
    ],
)
def test_the_matches_are_counted_once_and_the_total_is_that_of_the_kinds(
    client, world, db, query, heading
):
    PostingFactory(company=world.company_a, title="Zephyr intern")
    PostingFactory(company=world.company_b, title="Zephyr intern")
    for n in range(21):
        PostingFactory(company=world.company_a, title=f"Zephyr {n}", kind=PostingKind.GRADUATE_ROLE)
    PostingFactory(company=world.company_a, title="Payments", kind=PostingKind.GRADUATE_ROLE)
    db.session.commit()

    with recorded_statements() as statements:
        response = client.get(f"/postings?{query}")

    counting = [s for s, _ in statements if "count(" in s.lower()]
    assert len(counting) == 1, counting  # kind_counts only; the page takes its total from it
    assert f">{heading}</h2>" in response.get_data(as_text=True)
    if "page=2" in query:
        assert len(titles(response)) == 1


@pytest.mark.parametrize(
    ("query", "joined"), [("q=zephyr", False), ("q=zephyr&cluster=ai_robotics", True)]
)
def test_the_count_joins_the_companies_only_for_their_filters(client, world, db, query, joined):
    PostingFactory(company=world.company_a, title="Zephyr intern")
    db.session.commit()

    with recorded_statements() as statements:
        response = client.get(f"/postings?{query}")

    counting = [s for s, _ in statements if "count(" in s.lower()]
    assert ("JOIN companies" in counting[0]) is joined
    assert ">1 posting</h2>" in response.get_data(as_text=True)
