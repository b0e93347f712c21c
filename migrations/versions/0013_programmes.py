"""Programmes: workshops, insight sessions, career days and fairs, themed drives, mentoring
and landing activities (programmes, with eligibility as postings state it), their sessions,
and students' registrations with a waitlist.

Written by hand, in the shape autogenerate gives (tests/test_migrations.py compares it with
the models on both engines). The rules the services keep are also the schema's: a session
ends after it starts and offers 1 to 10,000 seats; a student holds at most one live
registration (registered or waitlisted) per session, a partial unique index on both
engines (cancelled registrations are history and may repeat); the waitlist's order,
`sequence`, is unique within a session. New tables only: nothing to backfill.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

LIVE = sa.text("status IN ('registered', 'waitlisted')")
THEMES = (
    'ai_data', 'microelectronics', 'life_health_tech', 'fintech', 'smart_city', 'robotics',
    'new_materials', 'sustainability',
)


def upgrade():
    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('workshop', 'insight_session', 'career_day', 'themed_drive', 'mentoring', 'landing_activity', name='programme_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'cancelled', name='programme_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('title_en', sa.String(length=160), nullable=False),
    sa.Column('title_zh', sa.String(length=160), nullable=True),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('description_zh', sa.Text(), nullable=True),
    sa.Column('theme', sa.Enum(*THEMES, name='theme', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('organiser_company_id', sa.Integer(), nullable=True),
    sa.Column('organiser_faculty_id', sa.Integer(), nullable=True),
    sa.Column('format', sa.Enum('in_person', 'virtual', 'hybrid', name='programme_format', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('venue', sa.String(length=300), nullable=True),
    sa.Column('join_link', sa.String(length=500), nullable=True),
    sa.Column('registration_opens_at', sa.DateTime(), nullable=False),
    sa.Column('registration_closes_at', sa.DateTime(), nullable=False),
    sa.Column('cancellation_cutoff_hours', sa.Integer(), nullable=False),
    sa.Column('graduation_year_from', sa.Integer(), nullable=True),
    sa.Column('graduation_year_to', sa.Integer(), nullable=True),
    sa.Column('open_to_non_local', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancellation_message', sa.String(length=1000), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(trim(title_en)) > 0', name=op.f('ck_programmes_title_not_empty')),
    sa.CheckConstraint('organiser_company_id IS NULL OR organiser_faculty_id IS NULL', name=op.f('ck_programmes_one_organiser')),
    sa.CheckConstraint('registration_opens_at < registration_closes_at', name=op.f('ck_programmes_registration_window_ordered')),
    sa.CheckConstraint('cancellation_cutoff_hours BETWEEN 0 AND 720', name=op.f('ck_programmes_cutoff_plausible')),
    sa.CheckConstraint('graduation_year_from IS NULL OR graduation_year_to IS NULL OR graduation_year_from <= graduation_year_to', name=op.f('ck_programmes_graduation_range_ordered')),
    sa.CheckConstraint("status <> 'published' OR published_at IS NOT NULL", name=op.f('ck_programmes_published_has_date')),
    sa.CheckConstraint("status <> 'cancelled' OR (cancelled_at IS NOT NULL AND cancellation_message IS NOT NULL)", name=op.f('ck_programmes_cancelled_has_date_and_message')),
    sa.ForeignKeyConstraint(['organiser_company_id'], ['companies.id'], name=op.f('fk_programmes_organiser_company_id_companies'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organiser_faculty_id'], ['faculties.id'], name=op.f('fk_programmes_organiser_faculty_id_faculties'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_programmes_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes'))
    )
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.create_index('ix_programmes_status_kind', ['status', 'kind'], unique=False)
        batch_op.create_index('ix_programmes_organiser_company_id', ['organiser_company_id'], unique=False)
        batch_op.create_index('ix_programmes_organiser_faculty_id', ['organiser_faculty_id'], unique=False)

    op.create_table('programme_universities',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_universities_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['university_id'], ['universities.id'], name=op.f('fk_programme_universities_university_id_universities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'university_id', name=op.f('pk_programme_universities'))
    )
    op.create_table('programme_faculties',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('faculty_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['faculty_id'], ['faculties.id'], name=op.f('fk_programme_faculties_faculty_id_faculties'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_faculties_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'faculty_id', name=op.f('pk_programme_faculties'))
    )
    op.create_table('programme_levels',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('ug', 'pg', 'phd', name='study_level', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_levels_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'level', name=op.f('pk_programme_levels'))
    )

    op.create_table('programme_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('waitlist_enabled', sa.Boolean(), nullable=False),
    sa.Column('last_sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_programme_sessions_ends_after_start')),
    sa.CheckConstraint('capacity BETWEEN 1 AND 10000', name=op.f('ck_programme_sessions_capacity_plausible')),
    sa.CheckConstraint('last_sequence >= 0', name=op.f('ck_programme_sessions_sequence_not_negative')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_sessions_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_sessions'))
    )
    with op.batch_alter_table('programme_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_programme_sessions_programme_starts', ['programme_id', 'starts_at'], unique=False)

    op.create_table('programme_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('registered', 'waitlisted', 'cancelled', name='registration_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('promoted_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(status = 'cancelled') = (cancelled_at IS NOT NULL)", name=op.f('ck_programme_registrations_cancelled_has_date')),
    sa.CheckConstraint('sequence >= 1', name=op.f('ck_programme_registrations_sequence_positive')),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_programme_registrations_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['programme_sessions.id'], name=op.f('fk_programme_registrations_session_id_programme_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_registrations')),
    sa.UniqueConstraint('session_id', 'sequence', name=op.f('uq_programme_registrations_session_id_sequence'))
    )
    with op.batch_alter_table('programme_registrations', schema=None) as batch_op:
        batch_op.create_index(
            'uq_programme_registrations_live', ['session_id', 'profile_id'], unique=True,
            postgresql_where=LIVE, sqlite_where=LIVE,
        )
        batch_op.create_index('ix_programme_registrations_session_status', ['session_id', 'status', 'sequence'], unique=False)
        batch_op.create_index('ix_programme_registrations_profile_id', ['profile_id'], unique=False)


def downgrade():
    with op.batch_alter_table('programme_registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_programme_registrations_profile_id')
        batch_op.drop_index('ix_programme_registrations_session_status')
        batch_op.drop_index('uq_programme_registrations_live', postgresql_where=LIVE, sqlite_where=LIVE)
    op.drop_table('programme_registrations')

    with op.batch_alter_table('programme_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_programme_sessions_programme_starts')
    op.drop_table('programme_sessions')

    op.drop_table('programme_levels')
    op.drop_table('programme_faculties')
    op.drop_table('programme_universities')

    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_index('ix_programmes_organiser_faculty_id')
        batch_op.drop_index('ix_programmes_organiser_company_id')
        batch_op.drop_index('ix_programmes_status_kind')
    op.drop_table('programmes')
