"""Indexes for the placement dashboard at park scale: sign-ins only (a partial index on
the audit log), and on PostgreSQL the columns the dashboard reads INCLUDEd in the
applications' (profile_id, submitted_at) and (submitted_at, profile_id) indexes, so its
probes read no table rows. No data changes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

SIGN_IN = sa.text("action = 'user.sign_in'")


def upgrade():
    op.create_index(
        'ix_audit_events_sign_ins', 'audit_events', ['actor_id', 'occurred_at'],
        unique=False, postgresql_where=SIGN_IN, sqlite_where=SIGN_IN,
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_profile_id')
        batch_op.create_index(
            'ix_applications_profile_id', ['profile_id', 'submitted_at'], unique=False,
            postgresql_include=['posting_id', 'interviewed_at', 'offered_at'],
        )
        batch_op.drop_index('ix_applications_submitted_at')
        batch_op.create_index(
            'ix_applications_submitted_at', ['submitted_at', 'profile_id'], unique=False,
            postgresql_include=['posting_id'],
        )


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_submitted_at')
        batch_op.create_index(
            'ix_applications_submitted_at', ['submitted_at', 'profile_id'], unique=False
        )
        batch_op.drop_index('ix_applications_profile_id')
        batch_op.create_index(
            'ix_applications_profile_id', ['profile_id', 'submitted_at'], unique=False
        )
    op.drop_index('ix_audit_events_sign_ins', table_name='audit_events')
