"""Organisers run their programmes from their own pages: a company under its workspace, a
faculty under its home, the park under its console. They list, write, schedule, publish
and cancel programmes, and read and export each session's attendees."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.extensions import db
from foundry.notifications.models import Notification
from foundry.programmes.models import (
    Programme,
    ProgrammeSession,
    ProgrammeStatus,
    RegistrationStatus,
)
from tests.factories import student
from tests.programmes import factories as pf
from tests.programmes.factories import count
from tests.programmes.organise_helpers import HONG_KONG, programme_form, session_form
from tests.statements import outline, statements_of_request

LISTS = {
    "company": ("recruiter_a", lambda w: "/company/alpha/programmes", "company_a"),
    "faculty": ("dean_a1", lambda w: f"/faculty/{w.fac_a1.id}/programmes", "fac_a1"),
    "park": ("park_admin", lambda w: "/admin/programmes", None),
}


@pytest.mark.parametrize("organiser", LISTS)
def test_organiser_creates_schedules_and_publishes_a_programme(
    world, login_as, post_form, client, organiser
):
    who, url, _owner = LISTS[organiser]
    login_as(getattr(world, who))
    base = url(world)
    response = post_form(f"{base}/new", programme_form())
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    programme = _only_programme()
    assert programme.status is ProgrammeStatus.DRAFT
    assert programme.title_zh == "人工智能職涯的個人品牌"
    overview = f"/organise/programmes/{programme.id}"
    assert response.headers["Location"].endswith(overview)

    response = post_form(f"{overview}/sessions/new", session_form(), form_page=overview)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    session = programme.sessions[0]
    assert session.capacity == 30 and session.label == "Morning"
    assert session.ends_at - session.starts_at == timedelta(hours=2)

    response = post_form(f"{overview}/publish", {}, form_page=overview)
    assert response.status_code == 303
    db.session.refresh(programme)
    assert programme.status is ProgrammeStatus.PUBLISHED

    page = client.get(base).get_data(as_text=True)
    assert "Personal branding for AI careers" in page
    assert "0 / 30" in page


def _only_programme() -> Programme:
    return db.session.scalars(sa.select(Programme)).one()
