"""Users per role read from an index: ix_role_memberships_role_user, (role, user_id).

The park admin's home counts the distinct users of each role (foundry.admin.queries.
users_by_role). Without an index that starts with the role, PostgreSQL read every
membership (55,000 at park scale, most of them students') and sorted them on disk for the
count (72-126 ms at 1m). With the role and the user in one index, the memberships come in
the order the count needs from the index alone, with no sort.

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-07

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_role_memberships_role_user', 'role_memberships', ['role', 'user_id'], unique=False
    )


def downgrade():
    op.drop_index('ix_role_memberships_role_user', table_name='role_memberships')
