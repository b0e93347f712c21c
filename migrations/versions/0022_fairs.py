"""Career days and recruitment fairs: the companies exhibiting (a booth asked for, approved
with its number, declined or withdrawn) with their representatives and featured roles;
interview slots (1:1, one seat) and group sessions (2 to 50) at a booth, their bookings and
the company's alternates in order; booth meetings (rating, note, an invitation to apply)
and CV drops.

Written from autogenerate's output and read by hand (tests/test_migrations.py compares it
with the models on both engines). The schema says what it can of the services' rules: a
slot's seats by its kind, one live booking per student per slot and one booth number per
fair (partial unique indexes on both engines), one meeting and one CV drop per student and
exhibitor, an approved exhibitor has a booth. New tables only: nothing to backfill.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('fair_exhibitors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('requested', 'approved', 'declined', 'withdrawn', name='exhibitor_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('booth', sa.String(length=20), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status <> 'approved' OR booth IS NOT NULL", name=op.f('ck_fair_exhibitors_approved_has_booth')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_fair_exhibitors_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_fair_exhibitors_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_fair_exhibitors_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_fair_exhibitors_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fair_exhibitors')),
    sa.UniqueConstraint('programme_id', 'company_id', name=op.f('uq_fair_exhibitors_programme_id_company_id'))
    )
    with op.batch_alter_table('fair_exhibitors', schema=None) as batch_op:
        batch_op.create_index('ix_fair_exhibitors_company_id', ['company_id'], unique=False)
        batch_op.create_index('uq_fair_exhibitors_booth', ['programme_id', 'booth'], unique=True, postgresql_where=sa.text('booth IS NOT NULL'), sqlite_where=sa.text('booth IS NOT NULL'))

    op.create_table('fair_booth_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exhibitor_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('met_by_id', sa.Integer(), nullable=True),
    sa.Column('met_at', sa.DateTime(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.Column('invited_posting_id', sa.Integer(), nullable=True),
    sa.Column('invited_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_fair_booth_meetings_rating_one_to_five')),
    sa.ForeignKeyConstraint(['exhibitor_id'], ['fair_exhibitors.id'], name=op.f('fk_fair_booth_meetings_exhibitor_id_fair_exhibitors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_posting_id'], ['postings.id'], name=op.f('fk_fair_booth_meetings_invited_posting_id_postings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['met_by_id'], ['users.id'], name=op.f('fk_fair_booth_meetings_met_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_fair_booth_meetings_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fair_booth_meetings')),
    sa.UniqueConstraint('exhibitor_id', 'profile_id', name=op.f('uq_fair_booth_meetings_exhibitor_id_profile_id'))
    )
    with op.batch_alter_table('fair_booth_meetings', schema=None) as batch_op:
        batch_op.create_index('ix_fair_booth_meetings_profile_id', ['profile_id'], unique=False)

    op.create_table('fair_featured_postings',
    sa.Column('exhibitor_id', sa.Integer(), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['exhibitor_id'], ['fair_exhibitors.id'], name=op.f('fk_fair_featured_postings_exhibitor_id_fair_exhibitors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_fair_featured_postings_posting_id_postings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('exhibitor_id', 'posting_id', name=op.f('pk_fair_featured_postings'))
    )
    op.create_table('fair_representatives',
    sa.Column('exhibitor_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['exhibitor_id'], ['fair_exhibitors.id'], name=op.f('fk_fair_representatives_exhibitor_id_fair_exhibitors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_fair_representatives_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('exhibitor_id', 'user_id', name=op.f('pk_fair_representatives'))
    )
    op.create_table('fair_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exhibitor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('one_to_one', 'group', name='slot_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(kind = 'one_to_one' AND capacity = 1) OR (kind = 'group' AND capacity BETWEEN 2 AND 50)", name=op.f('ck_fair_slots_seats_by_kind')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_fair_slots_ends_after_start')),
    sa.ForeignKeyConstraint(['exhibitor_id'], ['fair_exhibitors.id'], name=op.f('fk_fair_slots_exhibitor_id_fair_exhibitors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fair_slots'))
    )
    with op.batch_alter_table('fair_slots', schema=None) as batch_op:
        batch_op.create_index('ix_fair_slots_exhibitor_starts', ['exhibitor_id', 'starts_at'], unique=False)

    op.create_table('fair_alternates',
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.CheckConstraint('rank >= 1', name=op.f('ck_fair_alternates_rank_positive')),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_fair_alternates_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['fair_slots.id'], name=op.f('fk_fair_alternates_slot_id_fair_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('slot_id', 'profile_id', name=op.f('pk_fair_alternates')),
    sa.UniqueConstraint('slot_id', 'rank', name=op.f('uq_fair_alternates_slot_id_rank'))
    )
    op.create_table('fair_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('booked', 'cancelled', name='booking_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('preselected', sa.Boolean(), nullable=False),
    sa.Column('booked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(status = 'cancelled') = (cancelled_at IS NOT NULL)", name=op.f('ck_fair_bookings_cancelled_has_date')),
    sa.ForeignKeyConstraint(['booked_by_id'], ['users.id'], name=op.f('fk_fair_bookings_booked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_fair_bookings_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['fair_slots.id'], name=op.f('fk_fair_bookings_slot_id_fair_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fair_bookings'))
    )
    with op.batch_alter_table('fair_bookings', schema=None) as batch_op:
        batch_op.create_index('ix_fair_bookings_profile_id', ['profile_id'], unique=False)
        batch_op.create_index('uq_fair_bookings_live', ['slot_id', 'profile_id'], unique=True, postgresql_where=sa.text("status = 'booked'"), sqlite_where=sa.text("status = 'booked'"))

    op.create_table('fair_cv_drops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exhibitor_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('cv_document_id', sa.Integer(), nullable=True),
    sa.Column('dropped_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cv_document_id'], ['cv_documents.id'], name=op.f('fk_fair_cv_drops_cv_document_id_cv_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['exhibitor_id'], ['fair_exhibitors.id'], name=op.f('fk_fair_cv_drops_exhibitor_id_fair_exhibitors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_fair_cv_drops_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fair_cv_drops')),
    sa.UniqueConstraint('exhibitor_id', 'profile_id', name=op.f('uq_fair_cv_drops_exhibitor_id_profile_id'))
    )
    with op.batch_alter_table('fair_cv_drops', schema=None) as batch_op:
        batch_op.create_index('ix_fair_cv_drops_profile_id', ['profile_id'], unique=False)



def downgrade():
    with op.batch_alter_table('fair_cv_drops', schema=None) as batch_op:
        batch_op.drop_index('ix_fair_cv_drops_profile_id')

    op.drop_table('fair_cv_drops')
    with op.batch_alter_table('fair_bookings', schema=None) as batch_op:
        batch_op.drop_index('uq_fair_bookings_live', postgresql_where=sa.text("status = 'booked'"), sqlite_where=sa.text("status = 'booked'"))
        batch_op.drop_index('ix_fair_bookings_profile_id')

    op.drop_table('fair_bookings')
    op.drop_table('fair_alternates')
    with op.batch_alter_table('fair_slots', schema=None) as batch_op:
        batch_op.drop_index('ix_fair_slots_exhibitor_starts')

    op.drop_table('fair_slots')
    op.drop_table('fair_representatives')
    op.drop_table('fair_featured_postings')
    with op.batch_alter_table('fair_booth_meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_fair_booth_meetings_profile_id')

    op.drop_table('fair_booth_meetings')
    with op.batch_alter_table('fair_exhibitors', schema=None) as batch_op:
        batch_op.drop_index('uq_fair_exhibitors_booth', postgresql_where=sa.text('booth IS NOT NULL'), sqlite_where=sa.text('booth IS NOT NULL'))
        batch_op.drop_index('ix_fair_exhibitors_company_id')

    op.drop_table('fair_exhibitors')
