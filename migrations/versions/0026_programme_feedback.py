"""Feedback after a programme: a student's rating (1 to 5) and optional comment, one row
per student per programme (a unique constraint: a second answer edits the first), newest
first per programme (an index on programme and last change).

Written by hand, in the shape autogenerate gives (tests/test_migrations.py compares it with
the models on both engines). A new table only: nothing to backfill. Certificates of
attendance need no table: their verification code is signed (foundry/programmes/
certificates.py).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('programme_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.SmallInteger(), nullable=False),
    sa.Column('comment', sa.String(length=2000), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_programme_feedback_rating_in_range')),
    sa.CheckConstraint('updated_at >= created_at', name=op.f('ck_programme_feedback_updated_after_created')),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_programme_feedback_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_feedback_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_feedback')),
    sa.UniqueConstraint('programme_id', 'profile_id', name=op.f('uq_programme_feedback_programme_id_profile_id'))
    )
    with op.batch_alter_table('programme_feedback', schema=None) as batch_op:
        batch_op.create_index('ix_programme_feedback_programme_updated', ['programme_id', 'updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('programme_feedback', schema=None) as batch_op:
        batch_op.drop_index('ix_programme_feedback_programme_updated')

    op.drop_table('programme_feedback')
