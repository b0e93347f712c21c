"""Open postings newest first read through one index: ix_postings_status_published_at
becomes ix_postings_open_newest, (status, published_at, deadline, kind, work_mode).

PostgreSQL judges "published and before its deadline" as if the two were independent
(3 % of postings published × 3.5 % with a future deadline ≈ 120 rows), where at park
scale every published posting is open (3,000 rows). Thinking so few rows match, it read
them all through ix_postings_status_deadline and sorted them for the newest 20 (9-25 ms at
1m), and the student dashboard's suggestions likewise. With the deadline in the index that
serves "newest first", the deadline test is an index condition: walking the index
backwards costs index tuples, not table rows, so the planner takes the walk and stops
after 20 rows (0.2 ms), whatever it guesses of the count. The search's kind and work-mode
filters are tested on the index too (two filters: 9 ms to 0.2 ms).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_postings_open_newest', 'postings',
        ['status', 'published_at', 'deadline', 'kind', 'work_mode'], unique=False,
    )
    op.drop_index('ix_postings_status_published_at', table_name='postings')


def downgrade():
    op.create_index(
        'ix_postings_status_published_at', 'postings', ['status', 'published_at'], unique=False
    )
    op.drop_index('ix_postings_open_newest', table_name='postings')
