"""The attendee export carries each attendance: checked in or not, how, and when in Hong
Kong time, in CSV and Excel; the attendee page shows it too."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from foundry.extensions import db
from foundry.programmes.checkin_models import CheckInMethod
from foundry.reports.exports import to_hong_kong
from tests.programmes.after_event_setup import attend, past_programme
from tests.reports.routes.readers import read_csv, read_xlsx


def test_the_export_says_who_checked_in_how_and_when(world, client, login_as):
    past = past_programme(world)
    url = f"/organise/programmes/{past.programme.id}/sessions/{past.session.id}/attendees"
    login_as(world.recruiter_a)
    rows = read_csv(client.get(f"{url}.csv", buffered=True))
    header = rows[0]
    assert header[-3:] == ["Checked in", "Check-in method", "Checked in at (Hong Kong time)"]
    by_name = {row[2]: row for row in rows[1:]}
    came = by_name[world.student_a1.display_name]
    at = to_hong_kong(past.session.starts_at + timedelta(minutes=5))
    assert came[-3:] == ["Yes", "QR code scanned", at.isoformat(timespec="minutes")]
    assert by_name[world.student_a1_other.display_name][-3:] == ["No", "", ""]
    sheet = read_xlsx(client.get(f"{url}.xlsx", buffered=True).data)
    assert sheet[0][-3:] == header[-3:]
    methods = {row[2]: row[-2] for row in sheet[1:]}
    assert methods[world.student_a1.display_name] == "QR code scanned"
    exported = db.session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.action == "programme.attendees_exported")
    )
    assert exported == 2


def test_the_attendee_page_shows_each_attendance_and_its_method(world, client, login_as):
    past = past_programme(world)
    attend(past.absent, method=CheckInMethod.WALK_IN, minutes_in=40)
    db.session.commit()
    login_as(world.recruiter_a)
    page = client.get(
        f"/organise/programmes/{past.programme.id}/sessions/{past.session.id}/attendees"
    ).text
    assert "QR code scanned" in page and "Walk-in at the door" in page
    assert "Not checked in" not in page


def test_the_chinese_export_names_the_method_in_chinese(world, client, login_as):
    past = past_programme(world)
    world.recruiter_a.preferred_locale = "zh_Hant"
    login_as(world.recruiter_a)
    url = f"/organise/programmes/{past.programme.id}/sessions/{past.session.id}/attendees"
    rows = read_csv(client.get(f"{url}.csv", buffered=True))
    assert "簽到方式" in rows[0] and any("掃描二維碼" in row for row in rows[1:])
