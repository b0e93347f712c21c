"""Programme calendar feeds: one secret feed URL per student (a hash to find it, the
secret encrypted to show it again), replaced when the student makes a new one.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "programme_calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("token_encrypted", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["student_profiles.id"],
            name=op.f("fk_programme_calendar_feeds_profile_id_student_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_calendar_feeds")),
        sa.UniqueConstraint("profile_id", name=op.f("uq_programme_calendar_feeds_profile_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_programme_calendar_feeds_token_hash")),
    )


def downgrade():
    op.drop_table("programme_calendar_feeds")
