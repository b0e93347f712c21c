"""Report summaries: when each student first applied, was interviewed, offered, placed and
signed in within an academic year (report_student_years.first_*_at), so that the dashboard
compares the year so far with the same days of the year before from the summaries.

The backfill is a frozen copy, in plain SQL, of foundry.reports.summaries.definitions at
this revision (a migration must not import code that later revisions may change);
tests/test_migrations.py checks that it fills exactly what the app would. The UPDATE
rewrites every row: on PostgreSQL run `VACUUM ANALYZE report_student_years` afterwards
(or `flask reports rebuild-summaries`, which does), or the dashboard's index-only scans
visit the table until autovacuum has been by.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

FIRST_COLUMNS = [
    'first_applied_at', 'first_interviewed_at', 'first_offered_at', 'first_placed_at',
    'first_signed_in_at',
]
COHORT_READS = [
    'university_id', 'faculty_id', 'programme_id', 'study_level', 'graduation_year', 'non_local',
]
PLACED = sa.text('days_to_placement IS NOT NULL')
STUDENT_YEAR_READS = [
    'programme_id', 'study_level', 'graduation_year', 'non_local', 'applications',
    'interviews', 'offers', 'placements', 'sign_ins', 'days_to_placement',
]


def _indexes(batch_op, scope_reads, placed_reads):
    batch_op.create_index(
        'ix_report_student_years_scope', ['academic_year', 'university_id', 'faculty_id'],
        unique=False, postgresql_include=scope_reads,
    )
    batch_op.create_index(
        'ix_report_student_years_placed', ['academic_year', 'days_to_placement'],
        unique=False, postgresql_include=placed_reads, postgresql_where=PLACED,
        sqlite_where=PLACED,
    )


def _drop_indexes(batch_op):
    batch_op.drop_index('ix_report_student_years_placed', postgresql_where=PLACED, sqlite_where=PLACED)
    batch_op.drop_index('ix_report_student_years_scope')


def upgrade():
    with op.batch_alter_table('report_student_years', schema=None) as batch_op:
        _drop_indexes(batch_op)
        for name in FIRST_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.DateTime(), nullable=True))
    # PostgreSQL: the indexes carry the new columns too, for index-only scans.
    with op.batch_alter_table('report_student_years', schema=None) as batch_op:
        _indexes(
            batch_op,
            STUDENT_YEAR_READS + FIRST_COLUMNS,
            COHORT_READS + ['first_placed_at'],
        )
    op.execute(backfill(op.get_bind().dialect.name == 'postgresql'))


def downgrade():
    with op.batch_alter_table('report_student_years', schema=None) as batch_op:
        _drop_indexes(batch_op)
        for name in FIRST_COLUMNS:
            batch_op.drop_column(name)
    with op.batch_alter_table('report_student_years', schema=None) as batch_op:
        _indexes(batch_op, STUDENT_YEAR_READS, COHORT_READS)


# --- the backfill ------------------------------------------------------------------------


def backfill(postgresql: bool) -> str:
    """Each row's first times of the year, from the raw rows (Hong Kong is UTC+8)."""

    def year(column: str) -> str:
        if postgresql:
            return (
                f"CAST(EXTRACT(YEAR FROM {column} + interval '8 hours' - interval '8 months') "
                "AS INTEGER)"
            )
        return f"CAST(strftime('%Y', {column}, '+8 hours', '-8 months') AS INTEGER)"

    row = 'report_student_years'

    def first_of_applications(column: str) -> str:
        return f"""(
            SELECT min(a.{column}) FROM applications a
            WHERE a.profile_id = {row}.profile_id AND a.{column} IS NOT NULL
              AND {year(f'a.{column}')} = {row}.academic_year
        )"""

    return f"""
        UPDATE {row} SET
            first_applied_at = {first_of_applications('submitted_at')},
            first_interviewed_at = {first_of_applications('interviewed_at')},
            first_offered_at = {first_of_applications('offered_at')},
            first_placed_at = (
                SELECT min(pl.placed_at) FROM placements pl
                WHERE pl.profile_id = {row}.profile_id
                  AND {year('pl.placed_at')} = {row}.academic_year
            ),
            first_signed_in_at = (
                SELECT min(e.occurred_at)
                FROM audit_events e JOIN student_profiles sp ON sp.user_id = e.actor_id
                WHERE sp.id = {row}.profile_id AND e.action = 'user.sign_in'
                  AND {year('e.occurred_at')} = {row}.academic_year
            )
    """
