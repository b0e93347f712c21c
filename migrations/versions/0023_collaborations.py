"""Faculty–industry collaboration records: the record (kind, status, visibility, dates,
cash and in-kind value in whole HKD, funding scheme, agreement), its faculty and company
parties with their roles, its people (lead academic, academics, company contacts), student
participants, milestones, outcomes, the history of its changes and companies' proposals.

Written from autogenerate's output and read by hand (tests/test_migrations.py compares it
with the models on both engines). The schema says what it can of the services' rules:
dates in order, values from 0 to a billion dollars, titles not empty, one row per party and
per person, one lead academic per record (a partial unique index on both engines), a
proposal decided exactly when it is no longer pending. New tables only: nothing to backfill.

Revises 0022 on this branch so that the chain has one head (the brief's base is 0016; the
lead re-chains at merge).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('collaborations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('faculty_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('collaborative_research', 'contract_research', 'consultancy', 'sponsored_project', 'internship_partnership', 'cpd', 'guest_lecture', 'advisory_role', 'donation', 'licensing', 'equipment_use', name='collaboration_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'negotiating', 'active', 'completed', 'terminated', name='collaboration_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('visibility', sa.Enum('private', 'shared', 'public', name='collaboration_visibility', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('cash_hkd', sa.BigInteger(), nullable=False),
    sa.Column('in_kind_hkd', sa.BigInteger(), nullable=False),
    sa.Column('funding_scheme', sa.String(length=80), nullable=False),
    sa.Column('agreement_type', sa.Enum('sponsored_research', 'nda', 'material_transfer', 'service_contract', 'licence', 'unfunded', name='agreement_type', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('agreement_reference', sa.String(length=80), nullable=False),
    sa.Column('agreement_signed_on', sa.Date(), nullable=True),
    sa.Column('agreement_ends_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('agreement_ends_on IS NULL OR agreement_signed_on IS NULL OR agreement_ends_on >= agreement_signed_on', name=op.f('ck_collaborations_agreement_dates_in_order')),
    sa.CheckConstraint('cash_hkd BETWEEN 0 AND 1000000000', name=op.f('ck_collaborations_cash_in_range')),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_collaborations_ends_after_start')),
    sa.CheckConstraint('in_kind_hkd BETWEEN 0 AND 1000000000', name=op.f('ck_collaborations_in_kind_in_range')),
    sa.CheckConstraint('length(trim(title)) > 0', name=op.f('ck_collaborations_title_not_empty')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_collaborations_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['faculty_id'], ['faculties.id'], name=op.f('fk_collaborations_faculty_id_faculties'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collaborations'))
    )
    with op.batch_alter_table('collaborations', schema=None) as batch_op:
        batch_op.create_index('ix_collaborations_faculty', ['faculty_id', 'start_date'], unique=False)
        batch_op.create_index('ix_collaborations_status_kind', ['status', 'kind'], unique=False)

    op.create_table('collaboration_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collaboration_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('what', sa.String(length=40), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_collaboration_changes_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['collaboration_id'], ['collaborations.id'], name=op.f('fk_collaboration_changes_collaboration_id_collaborations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collaboration_changes'))
    )
    with op.batch_alter_table('collaboration_changes', schema=None) as batch_op:
        batch_op.create_index('ix_collaboration_changes_collaboration', ['collaboration_id', 'occurred_at'], unique=False)

    op.create_table('collaboration_companies',
    sa.Column('collaboration_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('coordinator', 'partner', 'contractor', 'funder', 'in_kind', name='party_role', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['collaboration_id'], ['collaborations.id'], name=op.f('fk_collaboration_companies_collaboration_id_collaborations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_collaboration_companies_company_id_companies'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('collaboration_id', 'company_id', name=op.f('pk_collaboration_companies'))
    )
    with op.batch_alter_table('collaboration_companies', schema=None) as batch_op:
        batch_op.create_index('ix_collaboration_companies_company', ['company_id'], unique=False)

    op.create_table('collaboration_faculties',
    sa.Column('collaboration_id', sa.Integer(), nullable=False),
    sa.Column('faculty_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('coordinator', 'partner', 'contractor', 'funder', 'in_kind', name='party_role', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['collaboration_id'], ['collaborations.id'], name=op.f('fk_collaboration_faculties_collaboration_id_collaborations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['faculty_id'], ['faculties.id'], name=op.f('fk_collaboration_faculties_faculty_id_faculties'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('collaboration_id', 'faculty_id', name=op.f('pk_collaboration_faculties'))
    )
    with op.batch_alter_table('collaboration_faculties', schema=None) as batch_op:
        batch_op.create_index('ix_collaboration_faculties_faculty', ['faculty_id'], unique=False)

    op.create_table('collaboration_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collaboration_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'done', 'missed', name='milestone_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('length(trim(title)) > 0', name=op.f('ck_collaboration_milestones_title_not_empty')),
    sa.ForeignKeyConstraint(['collaboration_id'], ['collaborations.id'], name=op.f('fk_collaboration_milestones_collaboration_id_collaborations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collaboration_milestones'))
    )
    with op.batch_alter_table('collaboration_milestones', schema=None) as batch_op:
        batch_op.create_index('ix_collaboration_milestones_collaboration', ['collaboration_id'], unique=False)
        batch_op.create_index('ix_collaboration_milestones_due', ['due_on', 'status'], unique=False)

    op.create_table('collaboration_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collaboration_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('publication', 'patent_filed', 'patent_granted', 'product', 'spin_off', 'student_hired', name='collaboration_outcome', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(trim(title)) > 0', name=op.f('ck_collaboration_outcomes_title_not_empty')),
    sa.ForeignKeyConstraint(['collaboration_id'], ['collaborations.id'], name=op.f('fk_collaboration_outcomes_collaboration_id_collaborations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collaboration_outcomes'))
    )
    with op.batch_alter_table('collaboration_outcomes', schema=None) as batch_op:
        batch_op.create_index('ix_collaboration_outcomes_collaboration', ['collaboration_id'], unique=False)

    op.create_table('collaboration_people',
    sa.Column('collaboration_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('lead_academic', 'academic', 'company_contact', name='collaboration_person_role', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['collaboration_id'], ['collaborations.id'], name=op.f('fk_collaboration_people_collaboration_id_collaborations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_collaboration_people_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('collaboration_id', 'user_id', name=op.f('pk_collaboration_people'))
    )
    with op.batch_alter_table('collaboration_people', schema=None) as batch_op:
        batch_op.create_index('ix_collaboration_people_user', ['user_id'], unique=False)
        batch_op.create_index('uq_collaboration_people_lead', ['collaboration_id'], unique=True, postgresql_where=sa.text("role = 'lead_academic'"), sqlite_where=sa.text("role = 'lead_academic'"))

    op.create_table('collaboration_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collaboration_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('new', 'update', name='proposal_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', name='proposal_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(status = 'pending') = (decided_at IS NULL)", name=op.f('ck_collaboration_proposals_decided_when_not_pending')),
    sa.ForeignKeyConstraint(['collaboration_id'], ['collaborations.id'], name=op.f('fk_collaboration_proposals_collaboration_id_collaborations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_collaboration_proposals_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_collaboration_proposals_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_collaboration_proposals_proposed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collaboration_proposals'))
    )
    with op.batch_alter_table('collaboration_proposals', schema=None) as batch_op:
        batch_op.create_index('ix_collaboration_proposals_collaboration', ['collaboration_id', 'status'], unique=False)
        batch_op.create_index('ix_collaboration_proposals_company', ['company_id', 'status'], unique=False)

    op.create_table('collaboration_students',
    sa.Column('collaboration_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['collaboration_id'], ['collaborations.id'], name=op.f('fk_collaboration_students_collaboration_id_collaborations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_collaboration_students_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('collaboration_id', 'profile_id', name=op.f('pk_collaboration_students'))
    )
    with op.batch_alter_table('collaboration_students', schema=None) as batch_op:
        batch_op.create_index('ix_collaboration_students_profile', ['profile_id'], unique=False)



def downgrade():
    with op.batch_alter_table('collaboration_students', schema=None) as batch_op:
        batch_op.drop_index('ix_collaboration_students_profile')

    op.drop_table('collaboration_students')
    with op.batch_alter_table('collaboration_proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_collaboration_proposals_company')
        batch_op.drop_index('ix_collaboration_proposals_collaboration')

    op.drop_table('collaboration_proposals')
    with op.batch_alter_table('collaboration_people', schema=None) as batch_op:
        batch_op.drop_index('uq_collaboration_people_lead', postgresql_where=sa.text("role = 'lead_academic'"), sqlite_where=sa.text("role = 'lead_academic'"))
        batch_op.drop_index('ix_collaboration_people_user')

    op.drop_table('collaboration_people')
    with op.batch_alter_table('collaboration_outcomes', schema=None) as batch_op:
        batch_op.drop_index('ix_collaboration_outcomes_collaboration')

    op.drop_table('collaboration_outcomes')
    with op.batch_alter_table('collaboration_milestones', schema=None) as batch_op:
        batch_op.drop_index('ix_collaboration_milestones_due')
        batch_op.drop_index('ix_collaboration_milestones_collaboration')

    op.drop_table('collaboration_milestones')
    with op.batch_alter_table('collaboration_faculties', schema=None) as batch_op:
        batch_op.drop_index('ix_collaboration_faculties_faculty')

    op.drop_table('collaboration_faculties')
    with op.batch_alter_table('collaboration_companies', schema=None) as batch_op:
        batch_op.drop_index('ix_collaboration_companies_company')

    op.drop_table('collaboration_companies')
    with op.batch_alter_table('collaboration_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_collaboration_changes_collaboration')

    op.drop_table('collaboration_changes')
    with op.batch_alter_table('collaborations', schema=None) as batch_op:
        batch_op.drop_index('ix_collaborations_status_kind')
        batch_op.drop_index('ix_collaborations_faculty')

    op.drop_table('collaborations')
