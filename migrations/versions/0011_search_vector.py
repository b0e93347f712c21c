"""Stored search vector: on PostgreSQL, postings.search_vector, a generated column holding
setweight(to_tsvector('english', search_title), 'A') || to_tsvector('english', search_text),
and the GIN index ix_postings_search moved from that expression onto the column. Matching,
phrase checks and ranking then read the stored vector instead of parsing both texts again for
every matching row (bench/search_cjk.py). Adding the column rewrites the postings table once.

SQLite keeps its FTS5 table: nothing changes there.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

VECTOR = (
    "setweight(to_tsvector('english'::regconfig, search_title), 'A'::\"char\")"
    " || to_tsvector('english'::regconfig, search_text)"
)


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_postings_search', table_name='postings')
    op.add_column(
        'postings',
        sa.Column('search_vector', postgresql.TSVECTOR(), sa.Computed(VECTOR, persisted=True)),
    )
    op.create_index('ix_postings_search', 'postings', ['search_vector'], postgresql_using='gin')


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_postings_search', table_name='postings')
    op.drop_column('postings', 'search_vector')
    op.create_index('ix_postings_search', 'postings', [sa.text(f'({VECTOR})')], postgresql_using='gin')
