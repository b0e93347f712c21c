"""Programme check-in: a registration's ticket (typed code, unique in its session, and the
version its signed QR token carries), its one attendance (however many scans: unique on the
registration; how, when, by whom, and an offline scan's client and scan ids), and a
session's self check-in switch.

Written by hand, in the shape autogenerate gives (tests/test_migrations.py compares it with
the models on both engines). New tables only: nothing to backfill (tickets are made the
first time a ticket or the check-in list is opened).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

METHODS = ('scan', 'code', 'list', 'self', 'virtual', 'walk_in')


def upgrade():
    op.create_table('programme_tickets',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=7), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_programme_tickets_version_positive')),
    sa.ForeignKeyConstraint(['registration_id'], ['programme_registrations.id'], name=op.f('fk_programme_tickets_registration_id_programme_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['programme_sessions.id'], name=op.f('fk_programme_tickets_session_id_programme_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', name=op.f('pk_programme_tickets')),
    sa.UniqueConstraint('session_id', 'code', name=op.f('uq_programme_tickets_session_id_code'))
    )
    op.create_table('programme_attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.Enum(*METHODS, name='check_in_method', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.String(length=64), nullable=True),
    sa.Column('scan_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_programme_attendances_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['programme_registrations.id'], name=op.f('fk_programme_attendances_registration_id_programme_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['programme_sessions.id'], name=op.f('fk_programme_attendances_session_id_programme_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_attendances')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_programme_attendances_registration_id'))
    )
    with op.batch_alter_table('programme_attendances', schema=None) as batch_op:
        batch_op.create_index('ix_programme_attendances_session_id', ['session_id'], unique=False)

    op.create_table('programme_session_checkins',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('self_check_in_open', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['programme_sessions.id'], name=op.f('fk_programme_session_checkins_session_id_programme_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_programme_session_checkins_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('session_id', name=op.f('pk_programme_session_checkins'))
    )


def downgrade():
    op.drop_table('programme_session_checkins')
    with op.batch_alter_table('programme_attendances', schema=None) as batch_op:
        batch_op.drop_index('ix_programme_attendances_session_id')
    op.drop_table('programme_attendances')
    op.drop_table('programme_tickets')
