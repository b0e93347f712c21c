"""What keeping the report summaries in step adds to a write, at park scale (bench/dashboard.py
prints it): an application, a sign-in and a student changing class, each written, flushed
and rolled back, as the portal writes it and without the summaries (the hooks paused; a
sign-in's audit line alone, not counted in `report_sign_in_years`)."""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, datetime

import sqlalchemy as sa

from foundry.applications.models import Application, ApplicationStatus
from foundry.audit.models import AuditEvent
from foundry.extensions import db
from foundry.messages import SIGN_IN
from foundry.postings.models import Posting
from foundry.reports.summaries.sign_ins import count_sign_in
from foundry.reports.summaries.tracking import paused
from foundry.students.models import StudentProfile

WRITES = 30  # timed writes of each kind


def _one_write(
    kind: str, rng: random.Random, students: list[int], postings: list, follow: bool
) -> float:
    """Milliseconds to write and flush one write of `kind` (then rolled back); `follow`:
    as the portal does it, else without what the summaries need (a sign-in's audit line
    alone, the others with the hooks paused)."""
    profile = db.session.get(StudentProfile, rng.choice(students))
    now = datetime.now(UTC)
    started = time.perf_counter()
    if kind == "application":
        posting_id, company_id = rng.choice(postings)
        db.session.add(
            Application(
                posting_id=posting_id,
                profile_id=profile.id,
                company_id=company_id,
                status=ApplicationStatus.SUBMITTED,
                cv_title="CV",
                cv_filename="cv.pdf",
                cv_size_bytes=5,
                cv_page_count=1,
                cv_sha256="0" * 64,
                cv_content=b"%PDF-",
                submitted_at=now,
                status_changed_at=now,
            )
        )
    elif kind == "sign-in":
        # As accounts.services.sign_in writes it: the audit line, and the sign-in counted
        # (report_sign_in_years) where it happens.
        event = AuditEvent(
            actor_id=profile.user_id,
            action=SIGN_IN,
            object_type="user",
            object_id=str(profile.user_id),
            occurred_at=now,
            origin="web",
        )
        db.session.add(event)
        if follow:
            count_sign_in(event)
    else:  # a student moving to the next year's class
        profile.graduation_year += 1
    try:
        db.session.flush()
    except sa.exc.IntegrityError:  # applied to that posting already: not timed
        db.session.rollback()
        return float("nan")
    elapsed = (time.perf_counter() - started) * 1000
    db.session.rollback()
    return elapsed


def time_writes() -> dict[str, tuple[float, float]]:
    """Median ms of a flush per kind of write: (following the summaries, paused)."""
    students = list(db.session.scalars(sa.select(StudentProfile.id)))
    postings = db.session.execute(sa.select(Posting.id, Posting.company_id)).all()
    results = {}
    for kind in ("application", "sign-in", "programme change"):
        timed = {}
        for follow in (True, False):
            rng = random.Random(kind)  # the same students both ways
            ms = []
            for _ in range(WRITES):
                if follow:
                    ms.append(_one_write(kind, rng, students, postings, follow))
                else:
                    with paused(db.session):
                        ms.append(_one_write(kind, rng, students, postings, follow))
            timed[follow] = statistics.median([m for m in ms if m == m])
        results[kind] = (timed[True], timed[False])
    return results
