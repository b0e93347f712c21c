"""Month breakdowns for whole faculties: report_faculty_company_months and
report_programme_kind_months hold report_faculty_company_years and report_kind_years (the
latter added up over level, graduation year and origin) per calendar month in Hong Kong
time, filled here from the applications and placements. The dashboard of the year so far
reads the same days of the year before from their whole months, and only the days of the
month the cut falls in from the raw rows (at most half a month, where it read up to half a
year of applications). The app keeps them in step at every flush like the other breakdown
tables; `flask reports rebuild-summaries` fills them again.

The backfill is a frozen copy, in plain SQL, of the breakdown definitions
(foundry.reports.summaries.definitions) at this revision; tests/test_migrations.py checks
that it fills exactly what the app would.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

COUNTS = ['applications', 'placements']


def _facts() -> str:
    """Each application and placement with its academic year and month (Hong Kong time)."""
    if op.get_bind().dialect.name == 'postgresql':
        def year(column):
            return (
                f"CAST(EXTRACT(YEAR FROM {column} + interval '8 hours' - interval '8 months') "
                "AS INTEGER)"
            )

        def month(column):
            return f"CAST(date_trunc('month', {column} + interval '8 hours') AS DATE)"
    else:
        def year(column):
            return f"CAST(strftime('%Y', {column}, '+8 hours', '-8 months') AS INTEGER)"

        def month(column):
            return f"strftime('%Y-%m-01', {column}, '+8 hours')"
    return f"""
        SELECT a.profile_id, {year('a.submitted_at')} AS academic_year, p.company_id,
               p.kind, {month('a.submitted_at')} AS month, 1 AS applications, 0 AS placements
        FROM applications a JOIN postings p ON p.id = a.posting_id
        UNION ALL
        SELECT pl.profile_id, {year('pl.placed_at')}, COALESCE(pl.company_id, 0),
               COALESCE(pl.kind, 'none'), {month('pl.placed_at')}, 0, 1
        FROM placements pl
    """


def upgrade():
    op.create_table('report_faculty_company_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('academic_year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('faculty_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('applications', sa.Integer(), nullable=False),
    sa.Column('placements', sa.Integer(), nullable=False),
    sa.CheckConstraint('applications >= 0 AND placements >= 0', name=op.f('ck_report_faculty_company_months_counts_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_faculty_company_months')),
    sa.UniqueConstraint('academic_year', 'university_id', 'faculty_id', 'month', 'company_id', name='uq_report_faculty_company_months_key', postgresql_include=COUNTS)
    )
    op.create_table('report_programme_kind_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('academic_year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('faculty_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('applications', sa.Integer(), nullable=False),
    sa.Column('placements', sa.Integer(), nullable=False),
    sa.CheckConstraint('applications >= 0 AND placements >= 0', name=op.f('ck_report_programme_kind_months_counts_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_programme_kind_months')),
    sa.UniqueConstraint('academic_year', 'university_id', 'faculty_id', 'month', 'programme_id', 'kind', name='uq_report_programme_kind_months_key', postgresql_include=COUNTS)
    )
    facts = _facts()
    op.execute(f"""
        INSERT INTO report_faculty_company_months (academic_year, university_id, faculty_id,
            month, company_id, applications, placements)
        SELECT f.academic_year, sp.university_id, sp.faculty_id, f.month, f.company_id,
               sum(f.applications), sum(f.placements)
        FROM ({facts}) AS f JOIN student_profiles sp ON sp.id = f.profile_id
        GROUP BY f.academic_year, sp.university_id, sp.faculty_id, f.month, f.company_id
    """)
    op.execute(f"""
        INSERT INTO report_programme_kind_months (academic_year, university_id, faculty_id,
            month, programme_id, kind, applications, placements)
        SELECT f.academic_year, sp.university_id, sp.faculty_id, f.month,
               COALESCE(sp.programme_id, 0), f.kind, sum(f.applications), sum(f.placements)
        FROM ({facts}) AS f JOIN student_profiles sp ON sp.id = f.profile_id
        GROUP BY f.academic_year, sp.university_id, sp.faculty_id, f.month,
                 COALESCE(sp.programme_id, 0), f.kind
    """)


def downgrade():
    op.drop_table('report_programme_kind_months')
    op.drop_table('report_faculty_company_months')
