"""A data set for the year so far, read on Sunday 6 December 2026 (Hong Kong), and the
clock seam that fixes "today" for a test.

Faculty X (the dean's) and faculty Y (someone else's). Times are UTC; HKT is UTC+8, so
2025-12-06 15:59:59 UTC is the last second of 6 Dec in Hong Kong and 16:00 the first of
7 Dec.

2025/26, the same days (1 Sep – 6 Dec 2025) and after them:
  s1  applied 2025-10-01, placed 2025-11-10                        both in
  s2  applied 2025-12-06 15:59:59 (6 Dec 23:59:59 HKT)              in
  s3  applied 2025-12-06 16:00 (7 Dec 00:00 HKT), placed 2026-03-01 both after
  s4  signed in 2025-08-31 16:00 (1 Sep 00:00 HKT), and 2026-01-10  in, after
  s5  applied 2025-10-20, interviewed 2025-11-01, offered 2026-01-15 in, in, after
  s6  applied 2026-07-20                                           after
  y1  (faculty Y) applied 2025-10-05, placed 2025-11-01             not the dean's
2026/27 so far (1 Sep – 6 Dec 2026):
  s1  applied 2026-09-15, placed 2026-10-20
  s2  applied 2026-11-30
  s6  applied 2026-12-06 02:00 (10:00 HKT, today)

For the dean: this year so far applied 3 (s1 s2 s6), active 3, placed 1 (s1, 35 days);
the same days of 2025/26 applied 3 (s1 s2 s5), active 4 (+ s4), interviewed 1 (s5),
offered 0, placed 1 (s1, 40 days); the whole of 2025/26 applied 5, offered 1, placed 2.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

from foundry.accounts.models import Role
from foundry.extensions import db
from foundry.placements.models import Placement
from foundry.reports import periods
from tests import factories as f
from tests.reports.summaries.helpers import sign_in

TODAY = date(2026, 12, 6)
NOW = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)  # noon in Hong Kong


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def fix_clock(monkeypatch, now: datetime = NOW) -> None:
    """Make `now` the reports' clock (foundry.reports.periods.now)."""
    monkeypatch.setattr(periods, "now", lambda: now)


def build() -> SimpleNamespace:
    w = SimpleNamespace()
    w.fac_x = f.FacultyFactory(code="X", name_en="X Engineering")
    w.fac_y = f.FacultyFactory(university=w.fac_x.university, code="Y", name_en="Y Science")
    w.dean = f.staff(Role.DEAN, w.fac_x)
    w.alpha = f.CompanyFactory(name="Alpha Robotics")
    w.job = f.PostingFactory(company=w.alpha, title="Robotics intern")
    s = [None] + [f.profile_of(f.student(w.fac_x)) for _ in range(6)]
    w.students = s
    y1 = f.profile_of(f.student(w.fac_y))

    def apply(profile, at, interviewed=None, offered=None):
        # A posting of Alpha's each time: a student applies to a posting once.
        return f.ApplicationFactory(
            profile=profile,
            posting=f.PostingFactory(company=w.alpha, kind=w.job.kind),
            submitted_at=at,
            interviewed_at=interviewed,
            offered_at=offered,
        )

    def place(profile, at):
        db.session.add(
            Placement(
                profile_id=profile.id,
                company_id=w.alpha.id,
                posting_id=w.job.id,
                kind=w.job.kind,
                placed_at=at,
            )
        )

    # 2025/26
    apply(s[1], utc(2025, 10, 1))
    place(s[1], utc(2025, 11, 10))
    apply(s[2], utc(2025, 12, 6, 15, 59, 59))
    apply(s[3], utc(2025, 12, 6, 16))
    place(s[3], utc(2026, 3, 1))
    db.session.add(sign_in(s[4].user_id, utc(2025, 8, 31, 16)))
    db.session.add(sign_in(s[4].user_id, utc(2026, 1, 10)))
    apply(s[5], utc(2025, 10, 20), interviewed=utc(2025, 11, 1), offered=utc(2026, 1, 15))
    apply(s[6], utc(2026, 7, 20))
    apply(y1, utc(2025, 10, 5))
    place(y1, utc(2025, 11, 1))
    # 2026/27 so far
    apply(s[1], utc(2026, 9, 15))
    place(s[1], utc(2026, 10, 20))
    apply(s[2], utc(2026, 11, 30))
    apply(s[6], utc(2026, 12, 6, 2))
    db.session.flush()
    return w
