"""Server-side sessions (user_sessions), and stored e-mail addresses in canonical form.

user_sessions: one row per signed-in browser; the cookie carries a random secret whose
SHA-256 is the primary key, so each request finds its session by one primary-key lookup
and signing out ends it on the server. Sessions made before this revision have no row:
everyone signs in again once.

E-mail addresses were stored lower-cased (a check constraint says so) but otherwise as
typed, so a full-width letter or a Unicode domain could be kept as it came. They are put
in the canonical form the app now uses (foundry.accounts.email_address): NFKC, lower case,
the domain in IDNA ASCII. This is a frozen copy of that folding (a migration must not
import code that later revisions may change); the look-alike checks are not applied to
stored rows. A user whose canonical address another user already has keeps the stored
one, and is named in the log for the park's team to resolve.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10

"""
import logging
import unicodedata

import idna
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

log = logging.getLogger('alembic.runtime.migration')


def _canonical(address):
    text = unicodedata.normalize('NFKC', address.strip())
    local, _at, domain = text.rpartition('@')
    if not local or not domain:
        return None
    try:
        ascii_domain = idna.encode(domain, uts46=True).decode('ascii').lower()
    except (idna.IDNAError, UnicodeError):
        return None
    return f"{unicodedata.normalize('NFKC', local.lower())}@{ascii_domain}"


def _canonical_emails():
    conn = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('email', sa.String))
    taken = {email: user_id for user_id, email in conn.execute(sa.select(users.c.id, users.c.email))}
    for email, user_id in list(taken.items()):
        canonical = _canonical(email)
        if canonical is None or canonical == email:
            continue
        if canonical in taken:
            log.warning('user %s keeps %r: %r belongs to user %s', user_id, email, canonical,
                        taken[canonical])
            continue
        conn.execute(users.update().where(users.c.id == user_id).values(email=canonical))
        taken[canonical] = user_id
    for name in ('account_tokens', 'user_identities'):
        table = sa.table(name, sa.column('id', sa.Integer), sa.column('email', sa.String))
        for row_id, email in conn.execute(sa.select(table.c.id, table.c.email)).all():
            canonical = _canonical(email)
            if canonical is not None and canonical != email:
                conn.execute(table.update().where(table.c.id == row_id).values(email=canonical))


def upgrade():
    op.create_table('user_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('user_agent', sa.String(length=120), server_default='', nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)
    _canonical_emails()


def downgrade():
    # The canonical addresses stay: they are the same mailboxes.
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))
    op.drop_table('user_sessions')
