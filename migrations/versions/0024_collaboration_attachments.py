"""Collaboration attachments: a record's agreements, reports and budgets (PDF, Word,
Excel up to 20 MB), with the kind read from the content, size, SHA-256, who uploaded it
and when, a description, and whether the company parties may see it.

The bytes are a column of the row, as students' CVs are (cv_documents.content): every app
server reads them from the database, and a file is stored with its row or not at all.
Written by hand after the model; tests/test_migrations.py compares it with the models on
both engines. A new table only: nothing to backfill.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('collaboration_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collaboration_id', sa.Integer(), nullable=False),
    sa.Column('original_filename', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.Enum('pdf', 'docx', 'xlsx', name='document_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('audience', sa.Enum('parties', 'faculties', name='attachment_audience', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.CheckConstraint('length(trim(original_filename)) > 0', name=op.f('ck_collaboration_attachments_filename_not_empty')),
    sa.CheckConstraint('size_bytes > 0 AND size_bytes <= 20971520', name=op.f('ck_collaboration_attachments_size_in_range')),
    sa.ForeignKeyConstraint(['collaboration_id'], ['collaborations.id'], name=op.f('fk_collaboration_attachments_collaboration_id_collaborations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_collaboration_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collaboration_attachments'))
    )
    with op.batch_alter_table('collaboration_attachments', schema=None) as batch_op:
        batch_op.create_index('ix_collaboration_attachments_collaboration', ['collaboration_id', 'uploaded_at'], unique=False)


def downgrade():
    with op.batch_alter_table('collaboration_attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_collaboration_attachments_collaboration')

    op.drop_table('collaboration_attachments')
