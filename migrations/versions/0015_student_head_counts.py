"""Student head counts: report_student_counts holds how many students each cohort
(university, faculty, programme, level, graduation year, origin) has, by whether they
joined the talent pool and have a CV, filled here from the profiles and CVs. The faculty
and university home pages and the park admin's figures add these rows up instead of
counting every profile (tens of thousands for a university at park scale); the app keeps
them in step at every flush (foundry.reports.summaries.head_counts) and `flask reports
rebuild-summaries` fills them again.

The backfill is a frozen copy, in plain SQL, of
foundry.reports.summaries.head_counts.student_counts at this revision (a migration must
not import code that later revisions may change); tests/test_migrations.py checks that it
fills exactly what the app would.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

KEY = [
    'university_id', 'faculty_id', 'programme_id', 'study_level', 'graduation_year',
    'non_local', 'talent_pool', 'with_cv',
]
CELL = (
    "p.university_id, p.faculty_id, COALESCE(p.programme_id, 0) AS programme_id, "
    "p.study_level, p.graduation_year, p.non_local, p.talent_pool_opt_in AS talent_pool, "
    "EXISTS (SELECT 1 FROM cv_documents c WHERE c.profile_id = p.id) AS with_cv"
)


def upgrade():
    op.create_table('report_student_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('talent_pool', sa.Boolean(), nullable=False),
    sa.Column('with_cv', sa.Boolean(), nullable=False),
    sa.Column('students', sa.Integer(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('faculty_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('study_level', sa.Enum('ug', 'pg', 'phd', name='study_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('graduation_year', sa.SmallInteger(), nullable=False),
    sa.Column('non_local', sa.Boolean(), nullable=False),
    sa.CheckConstraint('students >= 0', name=op.f('ck_report_student_counts_students_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_student_counts')),
    sa.UniqueConstraint(*KEY, name='uq_report_student_counts_key', postgresql_include=['students'])
    )
    key = ', '.join(KEY)
    op.execute(
        f"INSERT INTO report_student_counts ({key}, students) "
        f"SELECT {key}, count(*) FROM (SELECT {CELL} FROM student_profiles p) AS cells "
        f"GROUP BY {key}"
    )


def downgrade():
    op.drop_table('report_student_counts')
