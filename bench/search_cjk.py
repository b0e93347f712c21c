"""What Chinese search costs at scale, on PostgreSQL: 100,000 bilingual postings in a
throwaway database (their words and companies' names drawn as the park-scale data set
draws them: bench/park/posting_text.py), timed with EXPLAIN ANALYZE as the search was at
each revision:

    0006        one english tsvector of the raw text, an expression index
    0010        the weighted tsvector of the folded character pairs, an expression index
                (so matching, phrase checks and ranking parse both texts again per row)
    stored      the same tsvector stored in postings.search_vector and GIN-indexed, as from
                migration 0011: the statements the app runs, ranked by ts_rank
    stored cd   the same, ranked by ts_rank_cd instead (for comparison only)
    pg_trgm     trigram LIKE on the folded raw text, for comparison

What it showed (migration 0011): the stored column makes a common word's page of 20 four to
nine times faster (ranking reads the stored vector; 0007 parsed both texts of every match).
ts_rank_cd is no faster than ts_rank, so ranking is unchanged. A count stopped at 1,001
matches takes ~10 ms where the exact one takes 150-500 ms, but the page's total now comes
from the per-kind counts of the sidebar, and capping those per kind would still scan every
match for each kind under the cap, so counts stay exact. With the default random_page_cost
(4) the planner may count a word matching a third of the rows by a sequential scan, which
detoasts every row's vector (0.8 s instead of 0.2 s); at 1.1, usual on SSDs, it keeps the
bitmap scan.

    .venv/bin/python bench/search_cjk.py [--postings 100000] [--keep]

It needs the PostgreSQL server of bench/park (database search_bench, created and dropped
here: it adds columns and indexes the app's schema has not) and prints one line per query
and technique: the rows matched and the median time (of five) of the page query (20 by
rank), of the count, and of a count that stops at 1,001 matches, then the sizes of the
indexes and of the postings table.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import psycopg
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's foundry

from bench.park import SERVER as PARK_SERVER  # noqa: E402
from bench.park import companies as park_companies  # noqa: E402
from bench.park import posting_text  # noqa: E402
from foundry import create_app
from foundry.extensions import db
from foundry.postings.cjk_fold import fold
from foundry.postings.models import Posting
from foundry.postings.search import _order, filtered_select, parse_search_params

SERVER = PARK_SERVER.replace("postgresql+psycopg://", "postgresql://")
DATABASE = "search_bench"
COMPANIES = 300
CAP = 1000  # "capped ms": counting no further than this many matches, for comparison
QUERIES = {
    "common English word": "engineer",
    "rare English word": "lidar",
    "Chinese, 2 characters": "機械",
    "Chinese, 2 characters, Simplified": "数据",
    "Chinese, 4 characters": "人工智能",
    "Chinese, 4 characters, rare": "量子計算",
    "Chinese, 1 character": "港",
    "mixed": "Python 機械人",
}


def _companies(rng: random.Random) -> list[tuple]:
    """(id, slug, name, Chinese name) of COMPANIES companies named as the park's are."""
    names = park_companies.names(COMPANIES, rng)
    return [(n, f"company-{n}", name, name_zh) for n, (name, name_zh, _c) in enumerate(names, 1)]


def _load(conn: psycopg.Connection, count: int) -> float:
    """Companies and postings, written with COPY; returns the seconds spent indexing text."""
    rng = random.Random(10)
    companies = _companies(rng)
    with conn.cursor() as cur:
        with cur.copy(
            "COPY companies (id, slug, name, name_zh, cluster, park_location, size,"
            " verification_status, verified_at, created_at, updated_at) FROM STDIN"
        ) as copy:
            for id_, slug, name, name_zh in companies:
                copy.write_row(
                    (
                        id_,
                        slug,
                        name,
                        name_zh,
                        "ai_robotics",
                        "science_park",
                        "11-50",
                        "verified",
                        "2026-01-01",
                        "2026-01-01",
                        "2026-01-01",
                    )
                )
        indexing = 0.0
        buffer = io.StringIO()
        with cur.copy(
            "COPY postings (id, company_id, title, kind, description, requirements, location,"
            " work_mode, pay_period, openings, open_to_non_local, deadline, status,"
            " published_at, search_title, search_text, legacy_text, folded_text, created_at,"
            " updated_at) FROM STDIN"
        ) as copy:
            for n in range(1, count + 1):
                company = companies[n % COMPANIES]
                text = posting_text.compose(rng, posting_text.language(rng), internship=True)
                title = text.title
                raw = f"{title}\n{text.description}\n{text.requirements}\n"
                raw += f"{' '.join(text.skills)}\n{company[2]}"
                started = time.perf_counter()
                names = SimpleNamespace(name=company[2], name_zh=company[3])
                search_title, search_text = posting_text.search_documents(text, names)
                indexing += time.perf_counter() - started
                copy.write_row(
                    (
                        n,
                        company[0],
                        title,
                        "summer_internship",
                        text.description,
                        text.requirements,
                        "Science Park",
                        "hybrid",
                        "month",
                        1,
                        True,
                        "2999-01-01",
                        "published",
                        "2026-01-01",
                        search_title,
                        search_text,
                        raw,
                        fold(f"{raw}\n{company[3]}").lower(),
                        "2026-01-01",
                        "2026-01-01",
                    )
                )
        del buffer
    return indexing


def _median_ms(conn: psycopg.Connection, sql: str, params) -> tuple[float, int | None]:
    times = []
    rows = None
    for _ in range(5):
        plan = conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params).fetchone()[0][0]
        times.append(plan["Execution Time"])
        rows = plan["Plan"].get("Actual Rows")
    return statistics.median(times), rows


def _app_statements(app, q: str, *, count_joins_company: bool) -> tuple[str, None, str, None]:
    """The page and count statements the search page runs, with their values written in
    (until migration 0011 the count joined the companies too)."""
    with app.app_context():
        params = parse_search_params({"q": q})
        now = sa.func.now()
        page = (
            filtered_select([Posting.id], params, None, now, with_company=True)
            .order_by(*_order(params))
            .limit(20)
        )
        count = filtered_select(
            [sa.func.count()], params, None, now, with_company=count_joins_company
        )
        kwargs = {"dialect": db.engine.dialect, "compile_kwargs": {"literal_binds": True}}
        return str(page.compile(**kwargs)), None, str(count.compile(**kwargs)), None


EXPRESSION_0007 = (
    "(setweight(to_tsvector('english', postings.search_title), 'A')"
    " || to_tsvector('english', postings.search_text))"
)


def _expression_0007(statements: tuple) -> tuple:
    """The app's statements as they were at 0010: the weighted expression, not the column."""
    page, _, count, _ = statements
    column = "postings.search_vector"
    return page.replace(column, EXPRESSION_0007), None, count.replace(column, EXPRESSION_0007), None


def _cover_density(statements: tuple) -> tuple:
    page, _, count, _ = statements
    return page.replace("ts_rank(", "ts_rank_cd("), None, count, None


def _legacy(q: str) -> tuple[str, dict, str, dict]:
    vector = "to_tsvector('english', legacy_text)"
    query = "websearch_to_tsquery('english', %(q)s)"
    where = f"status = 'published' AND deadline > now() AND {vector} @@ {query}"
    page = (
        f"SELECT id FROM postings WHERE {where} ORDER BY ts_rank({vector}, {query}) DESC LIMIT 20"
    )
    return page, {"q": q}, f"SELECT count(*) FROM postings WHERE {where}", {"q": q}


def _trigram(q: str) -> tuple[str, dict, str, dict]:
    words = fold(q).lower().split()
    where = " AND ".join(f"folded_text LIKE %(w{i})s" for i in range(len(words)))
    binds = {f"w{i}": f"%{word}%" for i, word in enumerate(words)}
    where = f"status = 'published' AND deadline > now() AND {where}"
    page = f"SELECT id FROM postings WHERE {where} ORDER BY published_at DESC LIMIT 20"
    return page, binds, f"SELECT count(*) FROM postings WHERE {where}", binds


def _size(conn: psycopg.Connection, index: str) -> str:
    return conn.execute("SELECT pg_size_pretty(pg_relation_size(%s))", (index,)).fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    url = f"{SERVER.replace('postgresql://', 'postgresql+psycopg://')}/{DATABASE}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    try:
        with app.app_context():
            db.create_all()
            db.engine.dispose()
        with psycopg.connect(f"{SERVER}/{DATABASE}", autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            conn.execute(
                "ALTER TABLE postings ADD COLUMN legacy_text text, ADD COLUMN folded_text text"
            )
            started = time.perf_counter()
            indexing = _load(conn, args.postings)
            print(
                f"loaded {args.postings:,} postings in {time.perf_counter() - started:.0f} s"
                f" (index_text: {indexing / args.postings * 1e6:.0f} µs a posting)"
            )
            for name, sql in (
                (
                    "ix_legacy",
                    "CREATE INDEX ix_legacy ON postings USING gin "
                    "(to_tsvector('english', legacy_text))",
                ),
                (
                    "ix_0007",
                    f"CREATE INDEX ix_0007 ON postings USING gin ({EXPRESSION_0007})",
                ),
                ("ix_postings_search (rebuilt)", "REINDEX INDEX ix_postings_search"),
                (
                    "ix_trigram",
                    "CREATE INDEX ix_trigram ON postings USING gin (folded_text gin_trgm_ops)",
                ),
            ):
                started = time.perf_counter()
                conn.execute(sql)
                print(f"{name}: built in {time.perf_counter() - started:.1f} s")
            # Both tables, as autovacuum would have them: without statistics on companies the
            # planner joins them by repeating the search's index scan once per company.
            conn.execute("VACUUM ANALYZE postings")
            conn.execute("VACUUM ANALYZE companies")
            print(
                f"{'query':40} {'technique':9} {'matches':>8} {'page ms':>8} {'count ms':>9}"
                f" {'capped ms':>10}"
            )
            for label, q in QUERIES.items():
                app_statements = _app_statements(app, q, count_joins_company=False)
                joined = _app_statements(app, q, count_joins_company=True)
                for technique, statements in (
                    ("0006", _legacy(q)),
                    ("0007", _expression_0007(joined)),
                    ("stored", app_statements),
                    ("stored cd", _cover_density(app_statements)),
                    ("pg_trgm", _trigram(q)),
                ):
                    page_sql, page_params, count_sql, count_params = statements
                    page_ms, _ = _median_ms(conn, page_sql, page_params)
                    matches = conn.execute(count_sql, count_params).fetchone()[0]
                    count_ms, _ = _median_ms(conn, count_sql, count_params)
                    capped_sql = (
                        f"SELECT count(*) FROM ({count_sql.replace('count(*)', '1', 1)}"
                        f" LIMIT {CAP + 1}) AS capped"
                    )
                    capped_ms, _ = _median_ms(conn, capped_sql, count_params)
                    print(
                        f"{label + ' ' + q:40} {technique:9} {matches:>8,} "
                        f"{page_ms:>8.1f} {count_ms:>9.1f} {capped_ms:>10.1f}"
                    )
            print(
                "index sizes: 0006",
                _size(conn, "ix_legacy"),
                "· 0007",
                _size(conn, "ix_0007"),
                "· stored",
                _size(conn, "ix_postings_search"),
                "· pg_trgm",
                _size(conn, "ix_trigram"),
            )
            heap = conn.execute(
                "SELECT pg_size_pretty(pg_table_size('postings')),"
                " pg_size_pretty(sum(pg_column_size(search_vector))) FROM postings"
            ).fetchone()
            print(f"postings table: {heap[0]}, of which search_vector {heap[1]}")
    finally:
        with app.app_context():
            db.engine.dispose()
        if not args.keep:
            with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
