"""Core data model: universities, faculties, programmes, users and scoped roles,
student profiles with skills, languages, themes and CVs, companies, audit events.

Written by autogenerate, then edited by hand: plain DateTime columns (the app stores
naive UTC), CV content NOT NULL, and the expression index that keeps one membership per
(user, role, scope), which autogenerate cannot see.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 05:36:42.491650

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('companies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=True),
    sa.Column('cluster', sa.Enum('ai_robotics', 'health_tech', 'fintech', 'smart_city', 'microelectronics', 'new_materials', 'sustainability', name='cluster', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('park_location', sa.Enum('science_park', 'innocentre', 'innopark_tko', 'innopark_tp', 'innopark_yl', 'shenzhen_branch', name='park_location', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('size', sa.Enum('1-10', '11-50', '51-200', '201-1000', '1000+', name='company_size', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('founded_year', sa.Integer(), nullable=True),
    sa.Column('verification_status', sa.Enum('unverified', 'pending', 'verified', 'rejected', name='verification_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('founded_year IS NULL OR founded_year BETWEEN 1900 AND 2100', name=op.f('ck_companies_founded_year_plausible')),
    sa.CheckConstraint("verification_status <> 'verified' OR verified_at IS NOT NULL", name=op.f('ck_companies_verified_has_date')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companies')),
    sa.UniqueConstraint('slug', name=op.f('uq_companies_slug'))
    )
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.create_index('ix_companies_name', ['name'], unique=False)
        batch_op.create_index('ix_companies_verification_cluster', ['verification_status', 'cluster'], unique=False)

    op.create_table('skills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_skills_name_not_empty')),
    sa.CheckConstraint('name = lower(name)', name=op.f('ck_skills_name_lowercase')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skills')),
    sa.UniqueConstraint('name', name=op.f('uq_skills_name'))
    )
    op.create_table('universities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_universities')),
    sa.UniqueConstraint('code', name=op.f('uq_universities_code'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('preferred_locale', sa.String(length=10), nullable=True),
    sa.Column('last_sign_in_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_users_email_lowercase')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.String(length=40), nullable=True),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_actor_id', ['actor_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_audit_events_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index('ix_audit_events_occurred_at', ['occurred_at'], unique=False)

    op.create_table('faculties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['university_id'], ['universities.id'], name=op.f('fk_faculties_university_id_universities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_faculties')),
    sa.UniqueConstraint('id', 'university_id', name=op.f('uq_faculties_id_university_id')),
    sa.UniqueConstraint('university_id', 'code', name=op.f('uq_faculties_university_id_code'))
    )
    with op.batch_alter_table('faculties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_faculties_university_id'), ['university_id'], unique=False)

    op.create_table('university_domains',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=253), nullable=False),
    sa.CheckConstraint('domain = lower(domain)', name=op.f('ck_university_domains_domain_lowercase')),
    sa.ForeignKeyConstraint(['university_id'], ['universities.id'], name=op.f('fk_university_domains_university_id_universities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_university_domains')),
    sa.UniqueConstraint('domain', name=op.f('uq_university_domains_domain'))
    )
    with op.batch_alter_table('university_domains', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_university_domains_university_id'), ['university_id'], unique=False)

    op.create_table('role_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('student', 'dean', 'associate_dean', 'placement_officer', 'university_coordinator', 'company_admin', 'recruiter', 'park_admin', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=True),
    sa.Column('faculty_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role <> 'park_admin' OR (university_id IS NULL AND faculty_id IS NULL AND company_id IS NULL)", name=op.f('ck_role_memberships_platform_scope')),
    sa.CheckConstraint("role <> 'university_coordinator' OR (university_id IS NOT NULL AND faculty_id IS NULL AND company_id IS NULL)", name=op.f('ck_role_memberships_university_scope')),
    sa.CheckConstraint("role NOT IN ('associate_dean', 'dean', 'placement_officer', 'student') OR (faculty_id IS NOT NULL AND university_id IS NOT NULL AND company_id IS NULL)", name=op.f('ck_role_memberships_faculty_scope')),
    sa.CheckConstraint("role NOT IN ('company_admin', 'recruiter') OR (company_id IS NOT NULL AND university_id IS NULL AND faculty_id IS NULL)", name=op.f('ck_role_memberships_company_scope')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_role_memberships_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['faculty_id', 'university_id'], ['faculties.id', 'faculties.university_id'], name='fk_role_memberships_faculty_of_university', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_role_memberships_granted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['university_id'], ['universities.id'], name=op.f('fk_role_memberships_university_id_universities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_role_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_memberships'))
    )
    with op.batch_alter_table('role_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_memberships_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_role_memberships_faculty_id'), ['faculty_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_role_memberships_university_id'), ['university_id'], unique=False)
    # NULL scope columns count as 0 so that PostgreSQL and SQLite both refuse duplicates.
    op.create_index(
        'uq_role_memberships_user_role_scope',
        'role_memberships',
        [
            'user_id',
            'role',
            sa.text('coalesce(university_id, 0)'),
            sa.text('coalesce(faculty_id, 0)'),
            sa.text('coalesce(company_id, 0)'),
        ],
        unique=True,
    )

    op.create_table('study_programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('faculty_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('level', sa.Enum('ug', 'pg', 'phd', name='study_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['faculty_id'], ['faculties.id'], name=op.f('fk_study_programmes_faculty_id_faculties'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study_programmes')),
    sa.UniqueConstraint('faculty_id', 'code', name=op.f('uq_study_programmes_faculty_id_code')),
    sa.UniqueConstraint('id', 'faculty_id', name=op.f('uq_study_programmes_id_faculty_id'))
    )
    with op.batch_alter_table('study_programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_study_programmes_faculty_id'), ['faculty_id'], unique=False)

    op.create_table('student_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('faculty_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('student_number', sa.String(length=32), nullable=True),
    sa.Column('study_level', sa.Enum('ug', 'pg', 'phd', name='study_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('graduation_year', sa.Integer(), nullable=False),
    sa.Column('headline', sa.String(length=160), nullable=True),
    sa.Column('about', sa.Text(), nullable=True),
    sa.Column('linkedin_url', sa.String(length=300), nullable=True),
    sa.Column('github_url', sa.String(length=300), nullable=True),
    sa.Column('website_url', sa.String(length=300), nullable=True),
    sa.Column('non_local', sa.Boolean(), nullable=False),
    sa.Column('talent_pool_opt_in', sa.Boolean(), nullable=False),
    sa.Column('talent_pool_opted_in_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('graduation_year BETWEEN 1990 AND 2100', name=op.f('ck_student_profiles_graduation_year_plausible')),
    sa.CheckConstraint('talent_pool_opt_in = false OR talent_pool_opted_in_at IS NOT NULL', name=op.f('ck_student_profiles_opt_in_has_date')),
    sa.ForeignKeyConstraint(['faculty_id', 'university_id'], ['faculties.id', 'faculties.university_id'], name='fk_student_profiles_faculty_of_university', ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id', 'faculty_id'], ['study_programmes.id', 'study_programmes.faculty_id'], name='fk_student_profiles_programme_of_faculty', ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['university_id'], ['universities.id'], name=op.f('fk_student_profiles_university_id_universities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_student_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_student_profiles')),
    sa.UniqueConstraint('university_id', 'student_number', name=op.f('uq_student_profiles_university_id_student_number')),
    sa.UniqueConstraint('user_id', name=op.f('uq_student_profiles_user_id'))
    )
    with op.batch_alter_table('student_profiles', schema=None) as batch_op:
        batch_op.create_index('ix_student_profiles_faculty_grad', ['faculty_id', 'graduation_year'], unique=False)
        batch_op.create_index('ix_student_profiles_programme_id', ['programme_id'], unique=False)
        batch_op.create_index('ix_student_profiles_talent_pool', ['talent_pool_opt_in', 'graduation_year'], unique=False)
        batch_op.create_index('ix_student_profiles_university_id', ['university_id'], unique=False)

    op.create_table('cv_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('original_filename', sa.String(length=255), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.CheckConstraint('page_count > 0', name=op.f('ck_cv_documents_page_count_positive')),
    sa.CheckConstraint('size_bytes > 0', name=op.f('ck_cv_documents_size_positive')),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_cv_documents_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cv_documents'))
    )
    with op.batch_alter_table('cv_documents', schema=None) as batch_op:
        batch_op.create_index('ix_cv_documents_profile_id', ['profile_id', 'uploaded_at'], unique=False)

    op.create_table('student_languages',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('proficiency', sa.Enum('native', 'fluent', 'working', 'basic', name='proficiency', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_student_languages_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'language', name=op.f('pk_student_languages'))
    )
    op.create_table('student_skills',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_student_skills_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_student_skills_skill_id_skills'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'skill_id', name=op.f('pk_student_skills'))
    )
    with op.batch_alter_table('student_skills', schema=None) as batch_op:
        batch_op.create_index('ix_student_skills_skill_id', ['skill_id'], unique=False)

    op.create_table('student_themes',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.Enum('ai_data', 'microelectronics', 'life_health_tech', 'fintech', 'smart_city', 'robotics', 'new_materials', 'sustainability', name='theme', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_student_themes_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'theme', name=op.f('pk_student_themes'))
    )


def downgrade():
    # Dropping a table drops its indexes; children before parents.
    for table in (
        'student_themes',
        'student_skills',
        'student_languages',
        'cv_documents',
        'student_profiles',
        'study_programmes',
        'role_memberships',
        'university_domains',
        'faculties',
        'audit_events',
        'users',
        'universities',
        'skills',
        'companies',
    ):
        op.drop_table(table)
