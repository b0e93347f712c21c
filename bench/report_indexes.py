"""The reports' indexes as migration 0005 made them, or as they were before it, in a bench
database: bench/dashboard.py --indexes before times the raw queries on the old ones."""

from __future__ import annotations

import time

import sqlalchemy as sa

# The reports' indexes of migration 0005: name -> (before 0005, as migrated).
# `--indexes before` puts back the definitions of migration 0004 in the bench database,
# `migrated` (the default) those of 0005, so both can be timed.
INDEXES = {
    "ix_audit_events_sign_ins": (
        None,
        "CREATE INDEX ix_audit_events_sign_ins ON audit_events (actor_id, occurred_at) "
        "WHERE ((action)::text = 'user.sign_in'::text)",
    ),
    "ix_applications_profile_id": (
        "CREATE INDEX ix_applications_profile_id ON applications (profile_id, submitted_at)",
        "CREATE INDEX ix_applications_profile_id ON applications (profile_id, submitted_at) "
        "INCLUDE (posting_id, interviewed_at, offered_at)",
    ),
    "ix_applications_submitted_at": (
        "CREATE INDEX ix_applications_submitted_at ON applications (submitted_at, profile_id)",
        "CREATE INDEX ix_applications_submitted_at ON applications (submitted_at, profile_id) "
        "INCLUDE (posting_id)",
    ),
}


def log(message: str) -> None:
    print(message, flush=True)


def set_indexes(url: str, which: str) -> None:
    """Make the bench database's indexes those of migration 0005 or those before it."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    changed = False
    with engine.connect() as conn:
        for name, (before, migrated) in INDEXES.items():
            wanted = before if which == "before" else migrated
            current = conn.scalar(
                sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"),
                {"name": name},
            )

            def normal(sql: str | None) -> str | None:
                return None if sql is None else " ".join(sql.replace("public.", "").split())

            current_sql = normal(current.replace(" USING btree", "")) if current else None
            if current_sql == normal(wanted):
                continue
            if current is not None:
                conn.execute(sa.text(f"DROP INDEX {name}"))
            if wanted is not None:
                step = time.perf_counter()
                conn.execute(sa.text(wanted))
                log(f"  built {name} ({time.perf_counter() - step:.1f} s)")
            changed = True
        if changed:
            conn.execute(sa.text("VACUUM ANALYZE applications"))
            conn.execute(sa.text("VACUUM ANALYZE audit_events"))
    engine.dispose()
    log(f"indexes: {which}")
