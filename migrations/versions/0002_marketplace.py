"""Marketplace: postings (eligibility, questions, university approvals, saved postings
and searches), applications (history, notes, interview slots, offers, Talent Pool
invitations), placements, notifications and the e-mail outbox.

Written by autogenerate, then edited by hand: plain DateTime columns; a server default
for the new NOT NULL column on existing universities; the full-text index, which
autogenerate cannot see (a GIN expression index on PostgreSQL, an FTS5 table kept in
step by triggers on SQLite; the SQL is written out here so the migration stands alone).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 06:06:56.594609

"""
from alembic import op
import sqlalchemy as sa


SQLITE_FTS5 = (
    "CREATE VIRTUAL TABLE postings_fts USING fts5(search_text, content='postings', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    'CREATE TRIGGER postings_fts_ai AFTER INSERT ON postings BEGIN INSERT INTO postings_fts(rowid, search_text) VALUES (new.id, new.search_text); END',
    "CREATE TRIGGER postings_fts_ad AFTER DELETE ON postings BEGIN INSERT INTO postings_fts(postings_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER postings_fts_au AFTER UPDATE OF search_text ON postings BEGIN INSERT INTO postings_fts(postings_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); INSERT INTO postings_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_emails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('attachment_name', sa.String(length=120), nullable=True),
    sa.Column('attachment_type', sa.String(length=80), nullable=True),
    sa.Column('attachment', sa.LargeBinary(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', name='email_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_emails'))
    )
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_emails_due', ['status', 'next_attempt_at'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.String(length=2000), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_unread', ['user_id', 'read_at', 'created_at'], unique=False)

    op.create_table('postings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.Enum('summer_internship', 'part_time_internship', 'year_long_placement', 'graduate_role', 'research_assistant', name='posting_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('requirements', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=160), nullable=False),
    sa.Column('work_mode', sa.Enum('on_site', 'hybrid', 'remote', name='work_mode', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('duration_weeks', sa.Integer(), nullable=True),
    sa.Column('pay_min_hkd', sa.Integer(), nullable=True),
    sa.Column('pay_max_hkd', sa.Integer(), nullable=True),
    sa.Column('pay_period', sa.Enum('hour', 'month', 'year', name='pay_period', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('openings', sa.Integer(), nullable=False),
    sa.Column('graduation_year_from', sa.Integer(), nullable=True),
    sa.Column('graduation_year_to', sa.Integer(), nullable=True),
    sa.Column('open_to_non_local', sa.Boolean(), nullable=False),
    sa.Column('deadline', sa.DateTime(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'pending_review', 'published', 'closed', 'archived', name='posting_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('review_note', sa.String(length=1000), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status <> 'published' OR published_at IS NOT NULL", name=op.f('ck_postings_published_has_date')),
    sa.CheckConstraint('duration_weeks IS NULL OR duration_weeks BETWEEN 1 AND 260', name=op.f('ck_postings_duration_plausible')),
    sa.CheckConstraint('graduation_year_from IS NULL OR graduation_year_to IS NULL OR graduation_year_from <= graduation_year_to', name=op.f('ck_postings_graduation_range_ordered')),
    sa.CheckConstraint('length(trim(title)) > 0', name=op.f('ck_postings_title_not_empty')),
    sa.CheckConstraint('openings >= 1', name=op.f('ck_postings_openings_positive')),
    sa.CheckConstraint('pay_min_hkd IS NULL OR pay_max_hkd IS NULL OR pay_min_hkd <= pay_max_hkd', name=op.f('ck_postings_pay_range_ordered')),
    sa.CheckConstraint('pay_min_hkd IS NULL OR pay_min_hkd >= 0', name=op.f('ck_postings_pay_min_not_negative')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_postings_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_postings_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_postings'))
    )
    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.create_index('ix_postings_company_status', ['company_id', 'status'], unique=False)
        batch_op.create_index('ix_postings_status_deadline', ['status', 'deadline'], unique=False)
        batch_op.create_index('ix_postings_status_published_at', ['status', 'published_at'], unique=False)

    op.create_table('saved_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('alerts_enabled', sa.Boolean(), nullable=False),
    sa.Column('last_alerted_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_searches_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_searches')),
    sa.UniqueConstraint('user_id', 'name', name=op.f('uq_saved_searches_user_id_name'))
    )
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.create_index('ix_saved_searches_alerts', ['alerts_enabled', 'last_alerted_at'], unique=False)

    op.create_table('posting_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'declined', name='approval_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('comment', sa.String(length=1000), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_posting_approvals_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_posting_approvals_posting_id_postings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['university_id'], ['universities.id'], name=op.f('fk_posting_approvals_university_id_universities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posting_approvals')),
    sa.UniqueConstraint('posting_id', 'university_id', name=op.f('uq_posting_approvals_posting_id_university_id'))
    )
    with op.batch_alter_table('posting_approvals', schema=None) as batch_op:
        batch_op.create_index('ix_posting_approvals_university_status', ['university_id', 'status'], unique=False)

    op.create_table('posting_faculties',
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('faculty_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['faculty_id'], ['faculties.id'], name=op.f('fk_posting_faculties_faculty_id_faculties'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_posting_faculties_posting_id_postings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('posting_id', 'faculty_id', name=op.f('pk_posting_faculties'))
    )
    op.create_table('posting_levels',
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('ug', 'pg', 'phd', name='study_level', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_posting_levels_posting_id_postings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('posting_id', 'level', name=op.f('pk_posting_levels'))
    )
    op.create_table('posting_skills',
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_posting_skills_posting_id_postings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_posting_skills_skill_id_skills'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('posting_id', 'skill_id', name=op.f('pk_posting_skills'))
    )
    with op.batch_alter_table('posting_skills', schema=None) as batch_op:
        batch_op.create_index('ix_posting_skills_skill_id', ['skill_id'], unique=False)

    op.create_table('posting_themes',
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.Enum('ai_data', 'microelectronics', 'life_health_tech', 'fintech', 'smart_city', 'robotics', 'new_materials', 'sustainability', name='theme', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_posting_themes_posting_id_postings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('posting_id', 'theme', name=op.f('pk_posting_themes'))
    )
    with op.batch_alter_table('posting_themes', schema=None) as batch_op:
        batch_op.create_index('ix_posting_themes_theme', ['theme'], unique=False)

    op.create_table('posting_universities',
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_posting_universities_posting_id_postings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['university_id'], ['universities.id'], name=op.f('fk_posting_universities_university_id_universities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('posting_id', 'university_id', name=op.f('pk_posting_universities'))
    )
    op.create_table('saved_postings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_saved_postings_posting_id_postings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_postings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'posting_id', name=op.f('pk_saved_postings'))
    )
    with op.batch_alter_table('saved_postings', schema=None) as batch_op:
        batch_op.create_index('ix_saved_postings_posting_id', ['posting_id'], unique=False)

    op.create_table('screening_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('prompt', sa.String(length=500), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_screening_questions_posting_id_postings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_questions')),
    sa.UniqueConstraint('posting_id', 'position', name=op.f('uq_screening_questions_posting_id_position'))
    )
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'under_review', 'shortlisted', 'interview', 'offer', 'accepted', 'declined', 'rejected', 'withdrawn', name='application_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('cover_letter', sa.Text(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('cv_title', sa.String(length=120), nullable=False),
    sa.Column('cv_filename', sa.String(length=255), nullable=False),
    sa.Column('cv_size_bytes', sa.Integer(), nullable=False),
    sa.Column('cv_page_count', sa.Integer(), nullable=False),
    sa.Column('cv_sha256', sa.String(length=64), nullable=False),
    sa.Column('cv_content', sa.LargeBinary(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(cover_letter) <= 10000', name=op.f('ck_applications_cover_letter_length')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_applications_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_applications_posting_id_postings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_applications_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('posting_id', 'profile_id', name=op.f('uq_applications_posting_id_profile_id'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_company_status', ['company_id', 'status'], unique=False)
        batch_op.create_index('ix_applications_posting_status', ['posting_id', 'status'], unique=False)
        batch_op.create_index('ix_applications_profile_id', ['profile_id', 'submitted_at'], unique=False)

    op.create_table('talent_pool_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_talent_pool_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_talent_pool_invitations_posting_id_postings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_talent_pool_invitations_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_pool_invitations')),
    sa.UniqueConstraint('posting_id', 'profile_id', name=op.f('uq_talent_pool_invitations_posting_id_profile_id'))
    )
    with op.batch_alter_table('talent_pool_invitations', schema=None) as batch_op:
        batch_op.create_index('ix_talent_pool_invitations_profile', ['profile_id', 'created_at'], unique=False)

    op.create_table('application_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.Enum('submitted', 'under_review', 'shortlisted', 'interview', 'offer', 'accepted', 'declined', 'rejected', 'withdrawn', name='from_status', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('to_status', sa.Enum('submitted', 'under_review', 'shortlisted', 'interview', 'offer', 'accepted', 'declined', 'rejected', 'withdrawn', name='to_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_application_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_events_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_events'))
    )
    with op.batch_alter_table('application_events', schema=None) as batch_op:
        batch_op.create_index('ix_application_events_application', ['application_id', 'created_at'], unique=False)

    op.create_table('application_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(body) BETWEEN 1 AND 5000', name=op.f('ck_application_notes_body_length')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_notes_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_application_notes_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_notes'))
    )
    with op.batch_alter_table('application_notes', schema=None) as batch_op:
        batch_op.create_index('ix_application_notes_application', ['application_id', 'created_at'], unique=False)

    op.create_table('interview_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('chosen_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('duration_minutes BETWEEN 10 AND 480', name=op.f('ck_interview_slots_duration_plausible')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_interview_slots_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_interview_slots_proposed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_slots'))
    )
    with op.batch_alter_table('interview_slots', schema=None) as batch_op:
        batch_op.create_index('ix_interview_slots_application', ['application_id', 'starts_at'], unique=False)

    op.create_table('offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('pay_hkd', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('respond_by', sa.DateTime(), nullable=True),
    sa.Column('made_by_id', sa.Integer(), nullable=True),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('pay_hkd IS NULL OR pay_hkd >= 0', name=op.f('ck_offers_pay_not_negative')),
    sa.CheckConstraint('start_date IS NULL OR end_date IS NULL OR start_date <= end_date', name=op.f('ck_offers_dates_ordered')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_offers_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['made_by_id'], ['users.id'], name=op.f('fk_offers_made_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offers')),
    sa.UniqueConstraint('application_id', name=op.f('uq_offers_application_id'))
    )
    op.create_table('placements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('confirmed_by_student_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('start_date IS NULL OR end_date IS NULL OR start_date <= end_date', name=op.f('ck_placements_dates_ordered')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_placements_application_id_applications'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_placements_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_placements_posting_id_postings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_placements_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placements')),
    sa.UniqueConstraint('application_id', name=op.f('uq_placements_application_id'))
    )
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index('ix_placements_company_id', ['company_id'], unique=False)
        batch_op.create_index('ix_placements_profile_id', ['profile_id'], unique=False)

    with op.batch_alter_table('universities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('posting_approval_required', sa.Boolean(), nullable=False, server_default=sa.false()))

    if op.get_bind().dialect.name == 'postgresql':
        op.create_index(
            'ix_postings_search',
            'postings',
            [sa.text("to_tsvector('english', search_text)")],
            postgresql_using='gin',
        )
    else:
        for statement in SQLITE_FTS5:
            op.execute(statement)


def downgrade():
    # Dropping a table drops its indexes and, on SQLite, its triggers; the FTS5 table goes
    # after postings so that no trigger is left pointing at it.
    for table in (
        'placements', 'offers', 'interview_slots', 'application_notes', 'application_events',
        'talent_pool_invitations', 'applications', 'screening_questions', 'saved_postings',
        'posting_universities', 'posting_themes', 'posting_skills', 'posting_levels',
        'posting_faculties', 'posting_approvals', 'saved_searches', 'postings',
        'notifications', 'outbox_emails',
    ):
        op.drop_table(table)
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('DROP TABLE IF EXISTS postings_fts')
    with op.batch_alter_table('universities', schema=None) as batch_op:
        batch_op.drop_column('posting_approval_required')
