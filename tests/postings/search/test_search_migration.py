"""Migration 0010 rewrites the search documents of the postings already there with a frozen
copy of index_text: the result must be what the app itself would write, and found."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from foundry import create_app
from foundry.extensions import db
from foundry.postings.content import index_posting
from foundry.postings.models import Posting
from tests.conftest import fresh_database_url

OLD_SEARCH_TEXT = "港灣線機械人 intern\nBuild 人工智慧 robots.\nHarbourline Robotics"


def _insert_before_0010(conn) -> None:
    now = "2026-01-01 00:00:00"
    conn.execute(
        sa.text(
            "INSERT INTO companies (id, slug, name, name_zh, cluster, park_location, size,"
            " verification_status, verified_at, created_at, updated_at) VALUES (1, 'hl',"
            " 'Harbourline Robotics', '港灣線機械人', 'ai_robotics', 'science_park', '1-10',"
            " 'verified', :now, :now, :now)"
        ),
        {"now": now},
    )
    conn.execute(
        sa.text(
            "INSERT INTO postings (id, company_id, title, kind, description, requirements,"
            " location, work_mode, pay_period, openings, open_to_non_local, deadline, status,"
            " published_at, search_text, created_at, updated_at) VALUES (1, 1,"
            " '港灣線機械人 intern', 'summer_internship', 'Build **人工智慧** robots.', '',"
            " 'Shatin', 'hybrid', 'month', 1, true, '2999-01-01 00:00:00', 'published', :now,"
            " :text, :now, :now)"
        ),
        {"now": now, "text": OLD_SEARCH_TEXT},
    )


def test_the_cjk_search_backfill_writes_what_the_app_would_and_is_searchable(no_db):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": fresh_database_url("cjkmig")})
    try:
        with app.app_context():
            upgrade(revision="0009")  # the migration before the CJK search (0010)
            with db.engine.begin() as conn:
                _insert_before_0010(conn)
            upgrade()
            posting = db.session.get(Posting, 1)
            migrated = (posting.search_title, posting.search_text)
            index_posting(posting)  # what the app writes
            expected = (posting.search_title, posting.search_text)
            db.session.rollback()
            client = app.test_client()
            found = {
                q: "港灣線機械人 intern" in client.get("/postings", query_string={"q": q}).text
                for q in ("机器人", "人工智能", "港湾线", "robots", "harbourline")
            }
            db.session.remove()  # the requests ran in this app context, on its session
            downgrade(revision="0009")
            with db.engine.connect() as conn:
                columns = {c["name"] for c in sa.inspect(conn).get_columns("postings")}
    finally:
        with app.app_context():
            db.engine.dispose()

    assert migrated == expected
    assert migrated[0] == "港湾 湾线 线机 机械 械人 人 港湾 湾线 线机 机器 器人 人  intern"
    assert "人工 工智 智慧 慧 人工 工智 智能 能" in migrated[1]
    assert migrated[1].endswith("港湾 湾线 线机 机械 械人 人 港湾 湾线 线机 机器 器人 人")
    assert found == dict.fromkeys(found, True)
    assert "search_title" not in columns
