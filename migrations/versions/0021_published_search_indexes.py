"""Search reads only published postings: ix_postings_search becomes partial (WHERE status =
'published'), and ix_postings_search_title, a partial GIN index of the title's own vector,
finds the title hits that relevance puts first.

Every search condition includes status = 'published' (foundry/postings/search.py), yet the
GIN index held all 100,000 postings at park scale, most of them closed: a common word
(`python`, in 45 % of postings) matched some 45,000 of them, so the planner rightly read
the 3,000 open postings through a btree instead and tested the word on each one, reading
each row's 1.5 KB search_vector from TOAST (10,000 buffers, 10-13 ms per statement, twice
a page: the kind counts and the ranked page). Holding only published postings, the index
answers the word with the 1,332 open matches directly (1.7 ms, no vector read).

Ranking every match with ts_rank read all their vectors again (12 ms for `python`); the
search now orders title hits first, then newest (search.py, _order), and the title hits
are one lookup in ix_postings_search_title (the title's vector is an expression of the
small search_title column, 0.1 ms). PostgreSQL only; SQLite searches its FTS5 table.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

PUBLISHED = sa.text("status = 'published'")
TITLE_VECTOR = sa.text("to_tsvector('english'::regconfig, search_title)")


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_postings_search', table_name='postings')
    op.create_index(
        'ix_postings_search', 'postings', ['search_vector'],
        postgresql_using='gin', postgresql_where=PUBLISHED,
    )
    op.create_index(
        'ix_postings_search_title', 'postings', [TITLE_VECTOR],
        postgresql_using='gin', postgresql_where=PUBLISHED,
    )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_postings_search_title', table_name='postings')
    op.drop_index('ix_postings_search', table_name='postings')
    op.create_index('ix_postings_search', 'postings', ['search_vector'], postgresql_using='gin')
