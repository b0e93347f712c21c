"""Report summaries: what the placement dashboard counts, per student and academic year
(report_student_years), per academic year, cohort and company / kind of posting / month
(report_company_years, report_kind_years, report_months), and per academic year, faculty
and company (report_faculty_company_years), filled here from the existing applications,
placements and sign-ins. From now on the app keeps them in step at every
flush (foundry.reports.summaries); `flask reports rebuild-summaries` fills them again.

The backfill below is a frozen copy, in plain SQL, of foundry.reports.summaries.definitions
as they are at this revision (a migration must not import code that later revisions may
change). tests/test_migrations.py checks that it fills exactly what the app would.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# PostgreSQL: the indexes carry what the dashboard reads, for index-only scans.
COUNTS = ['applications', 'placements']
COHORT_READS = [
    'university_id', 'faculty_id', 'programme_id', 'study_level', 'graduation_year', 'non_local',
]
PLACED = sa.text('days_to_placement IS NOT NULL')
STUDENT_YEAR_READS = [
    'programme_id', 'study_level', 'graduation_year', 'non_local', 'applications',
    'interviews', 'offers', 'placements', 'sign_ins', 'days_to_placement',
]


def upgrade():
    op.create_table('report_company_years',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('academic_year', sa.SmallInteger(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('applications', sa.Integer(), nullable=False),
    sa.Column('placements', sa.Integer(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('faculty_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('study_level', sa.Enum('ug', 'pg', 'phd', name='study_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('graduation_year', sa.SmallInteger(), nullable=False),
    sa.Column('non_local', sa.Boolean(), nullable=False),
    sa.CheckConstraint('applications >= 0 AND placements >= 0', name=op.f('ck_report_company_years_counts_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_company_years')),
    sa.UniqueConstraint('academic_year', 'university_id', 'faculty_id', 'programme_id', 'study_level', 'graduation_year', 'non_local', 'company_id', name='uq_report_company_years_key', postgresql_include=COUNTS)
    )
    op.create_table('report_faculty_company_years',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('academic_year', sa.SmallInteger(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('faculty_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('applications', sa.Integer(), nullable=False),
    sa.Column('placements', sa.Integer(), nullable=False),
    sa.CheckConstraint('applications >= 0 AND placements >= 0', name=op.f('ck_report_faculty_company_years_counts_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_faculty_company_years')),
    sa.UniqueConstraint('academic_year', 'university_id', 'faculty_id', 'company_id', name='uq_report_faculty_company_years_key', postgresql_include=COUNTS)
    )
    op.create_table('report_kind_years',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('academic_year', sa.SmallInteger(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('applications', sa.Integer(), nullable=False),
    sa.Column('placements', sa.Integer(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('faculty_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('study_level', sa.Enum('ug', 'pg', 'phd', name='study_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('graduation_year', sa.SmallInteger(), nullable=False),
    sa.Column('non_local', sa.Boolean(), nullable=False),
    sa.CheckConstraint('applications >= 0 AND placements >= 0', name=op.f('ck_report_kind_years_counts_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_kind_years')),
    sa.UniqueConstraint('academic_year', 'university_id', 'faculty_id', 'programme_id', 'study_level', 'graduation_year', 'non_local', 'kind', name='uq_report_kind_years_key', postgresql_include=COUNTS)
    )
    op.create_table('report_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('academic_year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('applications', sa.Integer(), nullable=False),
    sa.Column('placements', sa.Integer(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('faculty_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('study_level', sa.Enum('ug', 'pg', 'phd', name='study_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('graduation_year', sa.SmallInteger(), nullable=False),
    sa.Column('non_local', sa.Boolean(), nullable=False),
    sa.CheckConstraint('applications >= 0 AND placements >= 0', name=op.f('ck_report_months_counts_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_months')),
    sa.UniqueConstraint('academic_year', 'university_id', 'faculty_id', 'programme_id', 'study_level', 'graduation_year', 'non_local', 'month', name='uq_report_months_key', postgresql_include=COUNTS)
    )
    op.create_table('report_student_years',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('academic_year', sa.SmallInteger(), nullable=False),
    sa.Column('applications', sa.Integer(), nullable=False),
    sa.Column('interviews', sa.Integer(), nullable=False),
    sa.Column('offers', sa.Integer(), nullable=False),
    sa.Column('placements', sa.Integer(), nullable=False),
    sa.Column('sign_ins', sa.Integer(), nullable=False),
    sa.Column('days_to_placement', sa.Float(), nullable=True),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('faculty_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('study_level', sa.Enum('ug', 'pg', 'phd', name='study_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('graduation_year', sa.SmallInteger(), nullable=False),
    sa.Column('non_local', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['student_profiles.id'], name=op.f('fk_report_student_years_profile_id_student_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'academic_year', name=op.f('pk_report_student_years'))
    )
    with op.batch_alter_table('report_student_years', schema=None) as batch_op:
        batch_op.create_index(
            'ix_report_student_years_scope', ['academic_year', 'university_id', 'faculty_id'],
            unique=False, postgresql_include=STUDENT_YEAR_READS,
        )
        batch_op.create_index(
            'ix_report_student_years_placed', ['academic_year', 'days_to_placement'],
            unique=False, postgresql_include=COHORT_READS, postgresql_where=PLACED,
            sqlite_where=PLACED,
        )

    for statement in backfill(_Spelling(op.get_bind().dialect.name)):
        op.execute(statement)


def downgrade():
    with op.batch_alter_table('report_student_years', schema=None) as batch_op:
        batch_op.drop_index('ix_report_student_years_placed', postgresql_where=PLACED, sqlite_where=PLACED)
        batch_op.drop_index('ix_report_student_years_scope')

    op.drop_table('report_student_years')
    op.drop_table('report_faculty_company_years')
    op.drop_table('report_months')
    op.drop_table('report_kind_years')
    op.drop_table('report_company_years')


# --- the backfill ------------------------------------------------------------------------


class _Spelling:
    """The few expressions the two engines write differently (Hong Kong is UTC+8)."""

    def __init__(self, dialect: str):
        self.postgresql = dialect == 'postgresql'

    def academic_year(self, column: str) -> str:
        if self.postgresql:
            return (
                f"CAST(EXTRACT(YEAR FROM {column} + interval '8 hours' - interval '8 months') "
                "AS INTEGER)"
            )
        return f"CAST(strftime('%Y', {column}, '+8 hours', '-8 months') AS INTEGER)"

    def month(self, column: str) -> str:
        if self.postgresql:
            return f"CAST(date_trunc('month', {column} + interval '8 hours') AS DATE)"
        return f"strftime('%Y-%m-01', {column}, '+8 hours')"

    def days(self, later: str, earlier: str) -> str:
        if self.postgresql:
            return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"
        return f"(julianday({later}) - julianday({earlier}))"

    @property
    def no_time(self) -> str:
        if self.postgresql:
            return 'CAST(NULL AS TIMESTAMP WITHOUT TIME ZONE)'
        return 'CAST(NULL AS DATETIME)'


COHORT = (
    'sp.university_id, sp.faculty_id, COALESCE(sp.programme_id, 0), sp.study_level, '
    'sp.graduation_year, sp.non_local'
)
COHORT_COLUMNS = (
    'university_id, faculty_id, programme_id, study_level, graduation_year, non_local'
)


def backfill(sql: _Spelling) -> list[str]:
    year, month, days = sql.academic_year, sql.month, sql.days
    events = f"""
        SELECT profile_id, {year('submitted_at')} AS academic_year, 1 AS applications,
               0 AS interviews, 0 AS offers, 0 AS placements, 0 AS sign_ins,
               {sql.no_time} AS placed_at
        FROM applications
        UNION ALL
        SELECT profile_id, {year('interviewed_at')}, 0, 1, 0, 0, 0, {sql.no_time}
        FROM applications WHERE interviewed_at IS NOT NULL
        UNION ALL
        SELECT profile_id, {year('offered_at')}, 0, 0, 1, 0, 0, {sql.no_time}
        FROM applications WHERE offered_at IS NOT NULL
        UNION ALL
        SELECT profile_id, {year('placed_at')}, 0, 0, 0, 1, 0, placed_at FROM placements
        UNION ALL
        SELECT sp.id, {year('e.occurred_at')}, 0, 0, 0, 0, 1, {sql.no_time}
        FROM audit_events e JOIN student_profiles sp ON sp.user_id = e.actor_id
        WHERE e.action = 'user.sign_in'
    """
    first_application = f"""(
        SELECT min(a.submitted_at) FROM applications a
        WHERE a.profile_id = y.profile_id AND a.submitted_at <= y.first_placed_at
          AND {days('y.first_placed_at', 'a.submitted_at')} <= 365
    )"""
    statements = [
        f"""
        INSERT INTO report_student_years (profile_id, academic_year, {COHORT_COLUMNS},
            applications, interviews, offers, placements, sign_ins, days_to_placement)
        SELECT y.profile_id, y.academic_year, {COHORT}, y.applications, y.interviews,
               y.offers, y.placements, y.sign_ins,
               {days('y.first_placed_at', first_application)}
        FROM (
            SELECT profile_id, academic_year, sum(applications) AS applications,
                   sum(interviews) AS interviews, sum(offers) AS offers,
                   sum(placements) AS placements, sum(sign_ins) AS sign_ins,
                   min(placed_at) AS first_placed_at
            FROM ({events}) AS events
            GROUP BY profile_id, academic_year
        ) AS y
        JOIN student_profiles sp ON sp.id = y.profile_id
        """
    ]
    facts = f"""
        SELECT a.profile_id, {year('a.submitted_at')} AS academic_year, p.company_id,
               p.kind, {month('a.submitted_at')} AS month, 1 AS applications, 0 AS placements
        FROM applications a JOIN postings p ON p.id = a.posting_id
        UNION ALL
        SELECT pl.profile_id, {year('pl.placed_at')}, COALESCE(pl.company_id, 0),
               COALESCE(pl.kind, 'none'), {month('pl.placed_at')}, 0, 1
        FROM placements pl
    """
    for table, key in (
        ('report_company_years', 'company_id'),
        ('report_kind_years', 'kind'),
        ('report_months', 'month'),
    ):
        statements.append(
            f"""
            INSERT INTO {table} (academic_year, {COHORT_COLUMNS}, {key}, applications,
                placements)
            SELECT f.academic_year, {COHORT}, f.{key}, sum(f.applications), sum(f.placements)
            FROM ({facts}) AS f JOIN student_profiles sp ON sp.id = f.profile_id
            GROUP BY f.academic_year, {COHORT}, f.{key}
            """
        )
    statements.append(
        f"""
        INSERT INTO report_faculty_company_years (academic_year, university_id, faculty_id,
            company_id, applications, placements)
        SELECT f.academic_year, sp.university_id, sp.faculty_id, f.company_id,
               sum(f.applications), sum(f.placements)
        FROM ({facts}) AS f JOIN student_profiles sp ON sp.id = f.profile_id
        GROUP BY f.academic_year, sp.university_id, sp.faculty_id, f.company_id
        """
    )
    return statements
