"""Sign-ins counted where they happen: report_sign_in_years holds, per user and academic
year, when they first signed in (filled here from the audit log's sign-ins), written by the
sign-in itself with an insert that locks no student. report_student_years no longer counts
sign-ins (its sign_ins and first_signed_in_at columns go, and the rows of students who only
signed in that year with them), so a sign-in no longer computes the student's rows again.
The dashboard's "active" figure reads both tables.

The backfill is a frozen copy, in plain SQL, of
foundry.reports.summaries.definitions.sign_in_years at this revision (a migration must not
import code that later revisions may change); tests/test_migrations.py checks that it
fills exactly what the app would. The downgrade puts the sign-in counts back from the audit
log, as revision 0009 left them. On PostgreSQL run `VACUUM ANALYZE report_student_years`
afterwards (the DELETE leaves dead rows the dashboard's index-only scans would visit).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

SIGN_IN = "'user.sign_in'"
COHORT_READS = [
    'university_id', 'faculty_id', 'programme_id', 'study_level', 'graduation_year', 'non_local',
]
PLACED = sa.text('days_to_placement IS NOT NULL')
FIRST_COLUMNS = ['first_applied_at', 'first_interviewed_at', 'first_offered_at', 'first_placed_at']
STUDENT_YEAR_READS = [
    'programme_id', 'study_level', 'graduation_year', 'non_local', 'applications',
    'interviews', 'offers', 'placements', 'days_to_placement',
]


def _year(column: str) -> str:
    """The academic year of a UTC timestamp (Hong Kong is UTC+8; the year starts 1 Sep)."""
    if op.get_bind().dialect.name == 'postgresql':
        return (
            f"CAST(EXTRACT(YEAR FROM {column} + interval '8 hours' - interval '8 months') "
            "AS INTEGER)"
        )
    return f"CAST(strftime('%Y', {column}, '+8 hours', '-8 months') AS INTEGER)"


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
    op.create_table('report_sign_in_years',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('academic_year', sa.SmallInteger(), nullable=False),
    sa.Column('first_signed_in_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_report_sign_in_years_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'academic_year', name=op.f('pk_report_sign_in_years'))
    )
    with op.batch_alter_table('report_sign_in_years', schema=None) as batch_op:
        batch_op.create_index(
            'ix_report_sign_in_years_year', ['academic_year', 'user_id'], unique=False,
            postgresql_include=['first_signed_in_at'],
        )
    op.execute(
        f"""
        INSERT INTO report_sign_in_years (user_id, academic_year, first_signed_in_at)
        SELECT actor_id, {_year('occurred_at')}, min(occurred_at)
        FROM audit_events
        WHERE action = {SIGN_IN} AND actor_id IS NOT NULL
        GROUP BY actor_id, {_year('occurred_at')}
        """
    )

    with op.batch_alter_table('report_student_years', schema=None) as batch_op:
        _drop_indexes(batch_op)
        batch_op.drop_column('first_signed_in_at')
        batch_op.drop_column('sign_ins')
    # A student who only signed in that year has nothing left to count in the row.
    op.execute(
        'DELETE FROM report_student_years '
        'WHERE applications = 0 AND interviews = 0 AND offers = 0 AND placements = 0'
    )
    with op.batch_alter_table('report_student_years', schema=None) as batch_op:
        _indexes(batch_op, STUDENT_YEAR_READS + FIRST_COLUMNS, COHORT_READS + ['first_placed_at'])


def downgrade():
    with op.batch_alter_table('report_student_years', schema=None) as batch_op:
        _drop_indexes(batch_op)
        batch_op.add_column(
            sa.Column('sign_ins', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.add_column(sa.Column('first_signed_in_at', sa.DateTime(), nullable=True))
    # The students who only signed in get their rows back, then every row its sign-ins.
    sign_ins = f"""
        SELECT sp.id AS profile_id, {_year('e.occurred_at')} AS academic_year,
               count(*) AS sign_ins, min(e.occurred_at) AS first_signed_in_at
        FROM audit_events e JOIN student_profiles sp ON sp.user_id = e.actor_id
        WHERE e.action = {SIGN_IN}
        GROUP BY sp.id, {_year('e.occurred_at')}
    """
    op.execute(
        f"""
        INSERT INTO report_student_years (profile_id, academic_year, university_id,
            faculty_id, programme_id, study_level, graduation_year, non_local, applications,
            interviews, offers, placements)
        SELECT s.profile_id, s.academic_year, sp.university_id, sp.faculty_id,
               COALESCE(sp.programme_id, 0), sp.study_level, sp.graduation_year, sp.non_local,
               0, 0, 0, 0
        FROM ({sign_ins}) AS s JOIN student_profiles sp ON sp.id = s.profile_id
        WHERE NOT EXISTS (
            SELECT 1 FROM report_student_years y
            WHERE y.profile_id = s.profile_id AND y.academic_year = s.academic_year
        )
        """
    )
    row = 'report_student_years'
    for column in ('sign_ins', 'first_signed_in_at'):
        value = 'count(*)' if column == 'sign_ins' else 'min(e.occurred_at)'
        op.execute(
            f"""
            UPDATE {row} SET {column} = (
                SELECT {value}
                FROM audit_events e JOIN student_profiles sp ON sp.user_id = e.actor_id
                WHERE sp.id = {row}.profile_id AND e.action = {SIGN_IN}
                  AND {_year('e.occurred_at')} = {row}.academic_year
            )
            """
        )
    with op.batch_alter_table('report_student_years', schema=None) as batch_op:
        batch_op.alter_column('sign_ins', server_default=None)
        _indexes(
            batch_op,
            STUDENT_YEAR_READS[:8] + ['sign_ins', 'days_to_placement']
            + FIRST_COLUMNS + ['first_signed_in_at'],
            COHORT_READS + ['first_placed_at'],
        )

    with op.batch_alter_table('report_sign_in_years', schema=None) as batch_op:
        batch_op.drop_index('ix_report_sign_in_years_year')
    op.drop_table('report_sign_in_years')
