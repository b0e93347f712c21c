"""Students signing in to the portal over the demo's three academic years, as the audit
events foundry.messages.SIGN_IN that the placement dashboard counts as activity.

A student signs in now and then in the years they study (more in the busy months), and
just before each application they sent in a past year. Sign-ins of past years are placed
relative to the start of their year; the current year's are drawn over the whole year and
kept up to yesterday, so running the seed again the same day adds none (a sign-in is
looked up by user and time).
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta

import sqlalchemy as sa
from tqdm import tqdm

from foundry.audit.models import AuditEvent
from foundry.demo.clock import academic_year_of, at_hong_kong, day_of_year, hong_kong_date
from foundry.demo.data import RANDOM_SEED
from foundry.demo.history_applications import stage_of
from foundry.demo.seed_history import PastYears
from foundry.extensions import db
from foundry.messages import SIGN_IN
from foundry.universities.models import University

# Chance of signing in at all in a year, and how often, by where the student stood.
ACTIVE_SHARE = {"graduate": 0.45, "first": 0.7}
DEFAULT_ACTIVE_SHARE = 0.85
SIGN_INS_PER_YEAR = (2, 24)
# When students browse, by month from September to August (busy before deadlines).
MONTH_WEIGHTS = (9, 14, 14, 9, 8, 12, 12, 8, 5, 3, 3, 4)
MONTH_STARTS = (0, 30, 61, 91, 122, 153, 181, 212, 242, 273, 303, 334)


def seed_sign_ins(summary, profiles, past: PastYears, now: datetime, progress: bool) -> None:
    """Add the students' sign-ins that are missing, in one bulk INSERT."""
    today = hong_kong_date(now)
    current = academic_year_of(now)
    codes = dict(db.session.execute(sa.select(University.id, University.code)).all())
    existing = set(
        db.session.execute(
            sa.select(AuditEvent.actor_id, AuditEvent.occurred_at).where(
                AuditEvent.action == SIGN_IN
            )
        )
    )
    rows = []
    bar = tqdm(profiles, desc="Sign-ins", unit="student", file=sys.stderr, disable=not progress)
    for profile in bar:
        method = f"sso:{codes[profile.university_id]}"
        for at in _times(profile, past, current, today):
            exists = (profile.user_id, at) in existing
            summary.count("sign-ins", created=not exists)
            if not exists:
                rows.append(
                    {
                        "occurred_at": at,
                        "actor_id": profile.user_id,
                        "action": SIGN_IN,
                        "object_type": "users",
                        "object_id": str(profile.user_id),
                        "summary": f"Signed in ({method})",
                        "details": {"method": method},
                        "origin": "web",
                    }
                )
    if rows:
        db.session.execute(sa.insert(AuditEvent), rows)


def _times(profile, past: PastYears, current: int, today) -> list[datetime]:
    """When the student signed in: drawn year by year, then those before today."""
    rng = random.Random(f"{RANDOM_SEED}:sign-ins:{profile.user.email}")
    times = [
        at - timedelta(minutes=rng.randint(5, 40)) for at in past.applied_at.get(profile.id, ())
    ]
    for year in [*past.years, current]:
        stage = stage_of(profile.study_level, profile.graduation_year, year)
        if stage is None or rng.random() >= ACTIVE_SHARE.get(stage, DEFAULT_ACTIVE_SHARE):
            continue
        for _ in range(rng.randint(*SIGN_INS_PER_YEAR)):
            month = rng.choices(range(12), weights=MONTH_WEIGHTS)[0]
            day = day_of_year(year, MONTH_STARTS[month] + rng.randint(0, 27))
            at = at_hong_kong(day, rng.randint(8, 23), rng.randint(0, 59))
            if day < today:
                times.append(at)
    return sorted(set(times))
