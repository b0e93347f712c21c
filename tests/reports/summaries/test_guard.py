"""Bulk ORM statements that would change what the summaries count behind their back are
refused, unless the summaries are paused (and rebuilt) or the statement says it changes
nothing they count."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from foundry.applications.models import Application
from foundry.audit.models import AuditEvent
from foundry.extensions import db
from foundry.notifications.models import Notification
from foundry.placements.models import Placement
from foundry.reports.summaries.maintenance import rebuild
from foundry.reports.summaries.tracking import SummariesBypassed, paused
from foundry.students.models import StudentProfile
from tests.reports.summaries.helpers import figures, out_of_step

REFUSED = {
    "update interviews": lambda: sa.update(Application).values(
        interviewed_at=datetime(2026, 1, 5, tzinfo=UTC)
    ),
    "delete placements": lambda: sa.delete(Placement),
    "move students": lambda: sa.update(StudentProfile).values(graduation_year=2030),
    "delete sign-ins": lambda: sa.delete(AuditEvent).where(AuditEvent.action == "user.sign_in"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_bulk_statement_on_what_the_summaries_count_is_refused(known, name):
    with pytest.raises(SummariesBypassed, match="report summaries"):
        db.session.execute(REFUSED[name]())
    db.session.rollback()
    assert out_of_step() == {}


def test_a_bulk_insert_of_sign_ins_is_refused(known):
    row = {
        "actor_id": known.s11.user_id,
        "action": "user.sign_in",
        "object_type": "user",
        "occurred_at": datetime(2026, 1, 5, tzinfo=UTC),
        "summary": "",
        "details": {},
        "origin": "web",
    }
    with pytest.raises(SummariesBypassed):
        db.session.execute(sa.insert(AuditEvent), [row])
    db.session.rollback()
    assert figures(known.dean_a1)["active"] == (5, 3)


def test_paused_lets_a_bulk_load_through_and_a_rebuild_catches_up(known):
    with paused(db.session):
        db.session.execute(sa.delete(Placement).where(Placement.profile_id == known.s10.id))
    # s10's placement pl7 (Beta Fintech, summer, May 2026) is gone behind the summaries'
    # back: their year row and the C2 and summer rows are wrong; the May rows should be gone.
    assert out_of_step() == {
        "report_student_years": (1, 1),
        "report_company_years": (1, 1),
        "report_kind_years": (1, 1),
        "report_months": (0, 1),
        "report_faculty_company_years": (1, 1),
        "report_faculty_company_months": (0, 1),
        "report_programme_kind_months": (0, 1),
    }
    rebuild(db.session.connection())
    db.session.commit()
    assert out_of_step() == {}
    assert figures(known.dean_a1)["placed"] == (3, 1)


def test_a_statement_that_changes_nothing_counted_may_say_so(known):
    db.session.execute(
        sa.update(Placement)
        .values(confirmed_by_student_at=datetime(2026, 1, 5, tzinfo=UTC))
        .execution_options(report_summaries="unaffected")
    )
    db.session.execute(sa.update(Notification).values(read_at=None))  # not counted at all
    db.session.commit()
    assert out_of_step() == {}
