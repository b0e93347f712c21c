"""Message keys: notifications and audit events keep what they say as a key and its
parameters, rendered in the reader's language when read (foundry/messages.py).

notifications.message_key and notifications.params, audit_events.params; all nullable.
Existing rows are not backfilled: their stored words were written from free text (names,
titles, translated labels) that cannot be taken apart again reliably, so they keep showing
the text stored with them. An audit event's action label is translated for old rows too,
since it comes from the action code every row has.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.add_column(sa.Column("message_key", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_column("params")
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.drop_column("params")
        batch_op.drop_column("message_key")
