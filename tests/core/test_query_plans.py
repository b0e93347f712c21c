"""On PostgreSQL, with a park's worth of rows (tests/core/park_rows.py) and fresh
statistics, the main queries read through their indexes: EXPLAIN of the statements the
pages actually run (recorded as they serve the request, not written again here) names the
index, and scans none of the big tables whole.

Each line of MAIN_QUERIES names a page, who opens it, which of its statements are the main
query, and the indexes any of which may serve it.
"""

# The table keeps one line per main query, however long.
# ruff: noqa: E501

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from foundry.extensions import db
from foundry.reports.summaries.models import ALL_TABLES
from tests.core import park_rows
from tests.statements import Statement, statements_of_request

INDEX_SCANS = {"Index Scan", "Index Only Scan", "Bitmap Index Scan"}
TITLE_VECTOR = "to_tsvector('english'::regconfig, search_title)"
SUMMARY_TABLES = tuple(table.__tablename__ for table in ALL_TABLES)
BIG_TABLES = (*park_rows.BIG_TABLES, *SUMMARY_TABLES)
BIG_ROWS = 1_000


@dataclass(frozen=True)
class MainQuery:
    name: str
    who: str | None
    url: str  # formatted with w=world, park=the bulk rows' handles
    picks: Callable[[str], bool]  # which of the page's statements are the main query
    indexes: tuple[str, ...]  # each picked statement uses one of these
    # Read in the index's order, stopping when the page is full. Asked only where this
    # data set has enough matches for it to be the right plan: with tens of open postings
    # (two filters, the dashboard's eligible ones) reading them all and sorting is cheaper,
    # and the planner rightly does; at park scale they walk (migration 0014).
    in_order: bool = False


def _reads(*fragments: str) -> Callable[[str], bool]:
    return lambda sql: all(fragment in sql for fragment in fragments)


def _reads_summaries(sql: str) -> bool:
    return any(f"FROM {table}" in sql or f"JOIN {table}" in sql for table in SUMMARY_TABLES)


# Open postings: published, before their deadline.
OPEN = ("ix_postings_status_deadline", "ix_postings_open_newest")
# Newest open first, walked backwards until the page is full (migration 0014).
OPEN_NEWEST = ("ix_postings_open_newest",)
SUMMARY_INDEXES = (
    "ix_report_student_years_scope",
    "ix_report_student_years_placed",
    "ix_report_sign_in_years_year",
    *(f"uq_{table}_key" for table in SUMMARY_TABLES),
)

# fmt: off
MAIN_QUERIES = [
    MainQuery("search-keyword", "student_a1", f"/postings?q={park_rows.KEYWORD}", _reads("search_vector @@"), ("ix_postings_search",)),
    MainQuery("search-chinese", "student_a1", f"/postings?q={park_rows.CHINESE_WORD}", _reads("search_vector @@"), ("ix_postings_search",)),
    MainQuery("search-no-words", "student_a1", "/postings", _reads("FROM postings", "postings.deadline >"), OPEN),
    MainQuery("search-newest", "student_a1", "/postings", _reads("FROM postings", "postings.deadline >", "ORDER BY postings.published_at DESC"), OPEN_NEWEST, in_order=True),
    MainQuery("search-two-filters", "student_a1", "/postings?kind=summer_internship&mode=hybrid", _reads("FROM postings", "postings.deadline >", "ORDER BY postings.published_at DESC"), OPEN_NEWEST),
    MainQuery("dashboard-suggestions", "student_a1", "/me", _reads("FROM postings", "postings.deadline >", "ORDER BY postings.published_at DESC"), OPEN),
    MainQuery("posting-page", "student_a1", "/postings/{park.pipeline_posting.id}", _reads("FROM postings", "WHERE postings.id ="), ("pk_postings",)),
    MainQuery("my-applications", "student_a1", "/me/applications", _reads("FROM applications", "applications.profile_id ="), ("ix_applications_profile_id",)),
    MainQuery("pipeline", "recruiter_a", "/company/alpha/postings/{park.pipeline_posting.id}/pipeline", _reads("FROM applications", "applications.posting_id ="), ("ix_applications_posting_status", "uq_applications_posting_id_profile_id")),
    MainQuery("dean-dashboard", "dean_a1", "/reports/placements?year=2025", _reads_summaries, SUMMARY_INDEXES),
    MainQuery("coordinator-dashboard", "coordinator_a", "/reports/placements?year=2025", _reads_summaries, SUMMARY_INDEXES),
]
# fmt: on


# TEST_DATABASE_URL names the PostgreSQL database the tests run on (tests/conftest.py).
pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="query plans are PostgreSQL's"
)


@pytest.fixture
def park(world):
    return park_rows.fill(world)


def plan_of(statement: Statement) -> dict:
    """EXPLAIN (FORMAT JSON) of a recorded statement, with the parameters it ran with."""
    with db.engine.connect() as conn:
        explained = conn.exec_driver_sql(
            "EXPLAIN (FORMAT JSON) " + statement.sql, statement.parameters
        ).scalar()
    return (explained if isinstance(explained, list) else json.loads(explained))[0]["Plan"]


def nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def indexes_used(plan: dict) -> set[str]:
    return {node["Index Name"] for node in nodes(plan) if node["Node Type"] in INDEX_SCANS}


def sorts_every_row(plan: dict) -> bool:
    """A Sort node reads all its rows before giving one; an Incremental Sort only those of
    equal leading keys, as an index walk gives them."""
    return any(node["Node Type"] == "Sort" for node in nodes(plan))


def tables_scanned_whole(plan: dict) -> set[str]:
    return {node["Relation Name"] for node in nodes(plan) if node["Node Type"] == "Seq Scan"}


def big_tables() -> set[str]:
    """Those of BIG_TABLES that hold BIG_ROWS rows or more here: a table of a few hundred
    rows is read faster whole, and the planner is right to."""
    with db.engine.connect() as conn:
        sizes = conn.execute(
            sa.text("SELECT relname, reltuples FROM pg_class WHERE relname IN :names").bindparams(
                sa.bindparam("names", expanding=True)
            ),
            {"names": list(BIG_TABLES)},
        )
        return {name for name, rows in sizes if rows >= BIG_ROWS}


def problems_with(query: MainQuery, statements: list[Statement], big: set[str]) -> list[str]:
    """What is wrong with the plans of the query's statements, one text each."""
    picked = [s for s in statements if query.picks(s.sql)]
    if not picked:
        return [f"{query.name}: no statement of the page is its main query"]
    problems = []
    for statement in picked:
        plan = plan_of(statement)
        used, whole = indexes_used(plan), tables_scanned_whole(plan) & big
        # The stored vector is read, never computed again from the text row by row. The
        # title's vector is the key of ix_postings_search_title, computed only to recheck
        # the title hits that index gives.
        computed = "to_tsvector" in json.dumps(plan).replace(TITLE_VECTOR, "")
        sorted_all = query.in_order and sorts_every_row(plan)
        if not used & set(query.indexes) or whole or computed or sorted_all:
            problems.append(
                f"{query.name}: uses {sorted(used)}, not one of {list(query.indexes)};"
                f" reads {sorted(whole)} whole{'; computes to_tsvector' if computed else ''}"
                f"{'; sorts every row' if sorted_all else ''}\n"
                f"{statement.sql}\n{json.dumps(plan, indent=1)}"
            )
    return problems


def test_the_main_queries_read_through_their_indexes(park, client, world, login_as):
    """One data set for every query: filling it takes most of the time."""
    big = big_tables()
    assert {"postings", "applications", "report_student_years"} <= big, big
    problems = []
    for query in MAIN_QUERIES:
        if query.who:
            login_as(getattr(world, query.who))
        url = query.url.format(w=world, park=park)
        statements, _page = statements_of_request(client, url)
        problems += problems_with(query, statements, big)
    assert not problems, "\n\n".join(problems)
