"""Chinese search: postings get a second search document, search_title, and both documents
are rewritten in the indexed form of foundry.postings.search_index.index_text (Chinese runs
folded to Simplified and written as their character pairs), with the company's Chinese name
added to search_text. The full-text index follows: on PostgreSQL a GIN index on
setweight(to_tsvector(search_title), 'A') || to_tsvector(search_text); on SQLite an FTS5
table of both columns, its triggers rewritten.

The backfill rewrites the stored documents from what they already hold (search_text held
the title, description and requirements as plain text, the skills and the company's name),
with a frozen copy, below, of index_text as it is at this revision; only the character
table is imported, as data. tests/postings/search/test_search_migration.py checks that the backfill
gives what the app would.

Downgrade restores the old index; search_text keeps its new form (English words are still
found in it).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

"""
import json
import re
import unicodedata
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# The character table as it was when this migration was written (a frozen copy of
# foundry.postings.cjk_fold's), so a later change to the app's table cannot change what
# this migration writes, and Alembic never imports the app.
_TABLE = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "0010_cjk_fold.json").read_text("utf-8")
)
_FOLD = str.maketrans(_TABLE["traditional"], _TABLE["simplified"])


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

OLD_SQLITE_FTS5 = (
    "CREATE VIRTUAL TABLE postings_fts USING fts5(search_text, content='postings', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    'CREATE TRIGGER postings_fts_ai AFTER INSERT ON postings BEGIN INSERT INTO postings_fts(rowid, search_text) VALUES (new.id, new.search_text); END',
    "CREATE TRIGGER postings_fts_ad AFTER DELETE ON postings BEGIN INSERT INTO postings_fts(postings_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER postings_fts_au AFTER UPDATE OF search_text ON postings BEGIN INSERT INTO postings_fts(postings_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); INSERT INTO postings_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)
NEW_SQLITE_FTS5 = (
    "CREATE VIRTUAL TABLE postings_fts USING fts5(search_title, search_text, content='postings', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    'CREATE TRIGGER postings_fts_ai AFTER INSERT ON postings BEGIN INSERT INTO postings_fts(rowid, search_title, search_text) VALUES (new.id, new.search_title, new.search_text); END',
    "CREATE TRIGGER postings_fts_ad AFTER DELETE ON postings BEGIN INSERT INTO postings_fts(postings_fts, rowid, search_title, search_text) VALUES ('delete', old.id, old.search_title, old.search_text); END",
    "CREATE TRIGGER postings_fts_au AFTER UPDATE OF search_title, search_text ON postings BEGIN INSERT INTO postings_fts(postings_fts, rowid, search_title, search_text) VALUES ('delete', old.id, old.search_title, old.search_text); INSERT INTO postings_fts(rowid, search_title, search_text) VALUES (new.id, new.search_title, new.search_text); END",
)
SQLITE_DROP = (
    'DROP TRIGGER IF EXISTS postings_fts_ai',
    'DROP TRIGGER IF EXISTS postings_fts_ad',
    'DROP TRIGGER IF EXISTS postings_fts_au',
    'DROP TABLE IF EXISTS postings_fts',
)
OLD_VECTOR = "to_tsvector('english', search_text)"
NEW_VECTOR = "(setweight(to_tsvector('english', search_title), 'A') || to_tsvector('english', search_text))"

# --- a frozen copy of foundry.postings.search_index.index_text at this revision ----------
HAN_RUN = re.compile('[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+')
REGIONAL_WORDS = {
    '机械人': '机器人',
    '人工智慧': '人工智能',
    '软体': '软件',
    '硬体': '硬件',
    '网路': '网络',
    '伺服器': '服务器',
    '资料库': '数据库',
    '资料科学': '数据科学',
    '演算法': '算法',
    '晶片': '芯片',
    '程式': '程序',
    '物件导向': '面向对象',
}
REGIONAL = re.compile('|'.join(sorted(REGIONAL_WORDS, key=len, reverse=True)))


def _run_terms(run):
    folded = fold(run)
    regional = REGIONAL.sub(lambda match: REGIONAL_WORDS[match[0]], folded)
    return ' '.join(
        ' '.join([*(s[i:i + 2] for i in range(len(s) - 1)), s[-1]])
        for s in dict.fromkeys((folded, regional))
    )


def index_text(text):
    normal = unicodedata.normalize('NFKC', text)
    return HAN_RUN.sub(lambda match: f' {_run_terms(match[0])} ', normal).strip()
# ------------------------------------------------------------------------------------------


def _backfill(bind):
    rows = bind.execute(sa.text(
        'SELECT p.id, p.title, p.search_text, c.name_zh'
        ' FROM postings p JOIN companies c ON c.id = p.company_id ORDER BY p.id'
    )).all()
    update = sa.text('UPDATE postings SET search_title = :title, search_text = :text WHERE id = :id')
    batch = []
    for id_, title, search_text, name_zh in rows:
        parts = [part.strip() for part in (search_text or '', name_zh or '') if part and part.strip()]
        batch.append({'id': id_, 'title': index_text(title), 'text': index_text('\n'.join(parts))})
        if len(batch) == 1000:
            bind.execute(update, batch)
            batch = []
    if batch:
        bind.execute(update, batch)


def upgrade():
    bind = op.get_bind()
    postgres = bind.dialect.name == 'postgresql'
    if postgres:
        op.drop_index('ix_postings_search', table_name='postings')
    else:
        for statement in SQLITE_DROP:
            op.execute(statement)
    op.add_column('postings', sa.Column('search_title', sa.Text(), nullable=False, server_default=''))
    _backfill(bind)
    if postgres:
        op.create_index('ix_postings_search', 'postings', [sa.text(NEW_VECTOR)], postgresql_using='gin')
    else:
        for statement in NEW_SQLITE_FTS5:
            op.execute(statement)
        op.execute("INSERT INTO postings_fts(postings_fts) VALUES ('rebuild')")


def downgrade():
    postgres = op.get_bind().dialect.name == 'postgresql'
    if postgres:
        op.drop_index('ix_postings_search', table_name='postings')
    else:
        for statement in SQLITE_DROP:
            op.execute(statement)
    op.drop_column('postings', 'search_title')
    if postgres:
        op.create_index('ix_postings_search', 'postings', [sa.text(OLD_VECTOR)], postgresql_using='gin')
    else:
        for statement in OLD_SQLITE_FTS5:
            op.execute(statement)
        op.execute("INSERT INTO postings_fts(postings_fts) VALUES ('rebuild')")
