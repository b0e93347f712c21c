"""Placement reporting: when each application first reached an interview and an offer
(backfilled from its history), placements recorded by staff from outside the portal
(employer by name, kind, agreed date, completion, supervisor), supervisors' evaluations by
single-use link, and graduates' first destinations (NACE) recorded by staff.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('graduate_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('employed_full_time', 'employed_part_time', 'self_employed', 'postgrad_internship', 'continuing_education', 'seeking', 'not_seeking', name='graduate_outcome', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('employer_name', sa.String(length=200), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('job_title', sa.String(length=200), nullable=True),
    sa.Column('institution', sa.String(length=200), nullable=True),
    sa.Column('found_via', sa.String(length=120), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_graduate_outcomes_company_id_companies'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_graduate_outcomes_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_graduate_outcomes_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_graduate_outcomes')),
    sa.UniqueConstraint('profile_id', name=op.f('uq_graduate_outcomes_profile_id'))
    )
    op.create_table('placement_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('mid_term', 'final', name='evaluation_stage', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('supervisor_name', sa.String(length=120), nullable=False),
    sa.Column('supervisor_email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('rating_overall', sa.Integer(), nullable=True),
    sa.Column('rating_technical', sa.Integer(), nullable=True),
    sa.Column('rating_professional', sa.Integer(), nullable=True),
    sa.Column('rating_communication', sa.Integer(), nullable=True),
    sa.Column('strengths', sa.Text(), nullable=True),
    sa.Column('improvements', sa.Text(), nullable=True),
    sa.Column('would_host_again', sa.Boolean(), nullable=True),
    sa.CheckConstraint('rating_communication IS NULL OR rating_communication BETWEEN 1 AND 5', name=op.f('ck_placement_evaluations_rating_communication')),
    sa.CheckConstraint('rating_overall IS NULL OR rating_overall BETWEEN 1 AND 5', name=op.f('ck_placement_evaluations_rating_overall')),
    sa.CheckConstraint('rating_professional IS NULL OR rating_professional BETWEEN 1 AND 5', name=op.f('ck_placement_evaluations_rating_professional')),
    sa.CheckConstraint('rating_technical IS NULL OR rating_technical BETWEEN 1 AND 5', name=op.f('ck_placement_evaluations_rating_technical')),
    sa.CheckConstraint('submitted_at IS NULL OR rating_overall IS NOT NULL', name=op.f('ck_placement_evaluations_submitted_has_rating')),
    sa.CheckConstraint('supervisor_email = lower(supervisor_email)', name=op.f('ck_placement_evaluations_email_lowercase')),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_placement_evaluations_placement_id_placements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_placement_evaluations_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_evaluations')),
    sa.UniqueConstraint('placement_id', 'stage', name=op.f('uq_placement_evaluations_placement_id_stage')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_placement_evaluations_token_hash'))
    )
    with op.batch_alter_table('placement_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_evaluations_placement_id'), ['placement_id'], unique=False)

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interviewed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('offered_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_applications_interviewed_at', ['interviewed_at', 'profile_id'], unique=False)
        batch_op.create_index('ix_applications_offered_at', ['offered_at', 'profile_id'], unique=False)
        batch_op.create_index('ix_applications_submitted_at', ['submitted_at', 'profile_id'], unique=False)

    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('employer_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.Enum('summer_internship', 'part_time_internship', 'year_long_placement', 'graduate_role', 'research_assistant', name='posting_kind', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('role_title', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('source', sa.Enum('portal', 'recorded', name='placement_source', native_enum=False, create_constraint=True), server_default='portal', nullable=False))
        batch_op.add_column(sa.Column('placed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('completion', sa.Enum('ongoing', 'completed', 'ended_early', name='placement_completion', native_enum=False, create_constraint=True), server_default='ongoing', nullable=False))
        batch_op.add_column(sa.Column('completed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('supervisor_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('supervisor_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('notes', sa.Text(), nullable=True))
        batch_op.alter_column('company_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_placements_recorded_by_id_users'), 'users', ['recorded_by_id'], ['id'], ondelete='SET NULL')

    # Existing placements were all made on the portal when an offer was accepted.
    op.execute("UPDATE placements SET placed_at = created_at")
    op.execute(
        "UPDATE placements SET kind = "
        "(SELECT postings.kind FROM postings WHERE postings.id = placements.posting_id)"
    )
    op.execute(
        "UPDATE applications SET interviewed_at = (SELECT min(e.created_at) "
        "FROM application_events e WHERE e.application_id = applications.id "
        "AND e.to_status = 'interview')"
    )
    op.execute(
        "UPDATE applications SET offered_at = (SELECT min(e.created_at) "
        "FROM application_events e WHERE e.application_id = applications.id "
        "AND e.to_status = 'offer')"
    )

    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.alter_column('placed_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.create_index('ix_placements_placed_at', ['placed_at', 'profile_id'], unique=False)
        # Autogenerate does not see new CHECK constraints on an existing table.
        batch_op.create_check_constraint(
            'names_employer', 'company_id IS NOT NULL OR employer_name IS NOT NULL'
        )
        batch_op.create_check_constraint(
            'portal_placement_has_company', "source <> 'portal' OR company_id IS NOT NULL"
        )
        batch_op.create_check_constraint(
            'ongoing_not_completed', "completion <> 'ongoing' OR completed_on IS NULL"
        )



def downgrade():
    # Placements recorded from outside the portal have no park company: they go.
    op.execute("DELETE FROM placements WHERE company_id IS NULL")
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_placements_names_employer'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_placements_portal_placement_has_company'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_placements_ongoing_not_completed'), type_='check')
        # The enumerations' own checks (SQLite would keep them on the rebuilt table).
        batch_op.drop_constraint(batch_op.f('ck_placements_posting_kind'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_placements_placement_source'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_placements_placement_completion'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_placements_recorded_by_id_users'), type_='foreignkey')
        batch_op.drop_index('ix_placements_placed_at')
        batch_op.alter_column('company_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('notes')
        batch_op.drop_column('recorded_by_id')
        batch_op.drop_column('supervisor_email')
        batch_op.drop_column('supervisor_name')
        batch_op.drop_column('completed_on')
        batch_op.drop_column('completion')
        batch_op.drop_column('placed_at')
        batch_op.drop_column('source')
        batch_op.drop_column('role_title')
        batch_op.drop_column('kind')
        batch_op.drop_column('employer_name')

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_submitted_at')
        batch_op.drop_index('ix_applications_offered_at')
        batch_op.drop_index('ix_applications_interviewed_at')
        batch_op.drop_column('offered_at')
        batch_op.drop_column('interviewed_at')

    with op.batch_alter_table('placement_evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_evaluations_placement_id'))

    op.drop_table('placement_evaluations')
    op.drop_table('graduate_outcomes')
