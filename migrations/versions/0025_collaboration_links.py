"""What a collaboration produced: links from a record to the postings and programmes that
came out of it (collaboration_postings, collaboration_programmes, each with an index from
the posting or programme back to its records); and an index on the records' start date,
by which the university's and the park's portfolios sort (at park scale the park's first
page is read from the index instead of sorting every record).

Written by hand after the models; tests/test_migrations.py compares it with them on both
engines. New tables and an index only: nothing to backfill.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('collaboration_postings',
    sa.Column('collaboration_id', sa.Integer(), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['collaboration_id'], ['collaborations.id'], name=op.f('fk_collaboration_postings_collaboration_id_collaborations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_collaboration_postings_posting_id_postings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('collaboration_id', 'posting_id', name=op.f('pk_collaboration_postings'))
    )
    with op.batch_alter_table('collaboration_postings', schema=None) as batch_op:
        batch_op.create_index('ix_collaboration_postings_posting', ['posting_id'], unique=False)

    op.create_table('collaboration_programmes',
    sa.Column('collaboration_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['collaboration_id'], ['collaborations.id'], name=op.f('fk_collaboration_programmes_collaboration_id_collaborations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_collaboration_programmes_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('collaboration_id', 'programme_id', name=op.f('pk_collaboration_programmes'))
    )
    with op.batch_alter_table('collaboration_programmes', schema=None) as batch_op:
        batch_op.create_index('ix_collaboration_programmes_programme', ['programme_id'], unique=False)

    with op.batch_alter_table('collaborations', schema=None) as batch_op:
        batch_op.create_index('ix_collaborations_start', ['start_date', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('collaborations', schema=None) as batch_op:
        batch_op.drop_index('ix_collaborations_start')

    with op.batch_alter_table('collaboration_programmes', schema=None) as batch_op:
        batch_op.drop_index('ix_collaboration_programmes_programme')

    op.drop_table('collaboration_programmes')
    with op.batch_alter_table('collaboration_postings', schema=None) as batch_op:
        batch_op.drop_index('ix_collaboration_postings_posting')

    op.drop_table('collaboration_postings')
