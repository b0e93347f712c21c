"""Organisers run their programmes from their own pages: a company under its workspace, a
faculty under its home, the park under its console. They list, write, schedule, publish
and cancel programmes, and read and export each session's attendees."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.extensions import db
from foundry.notifications.models import Notification
from foundry.programmes.models import (
    Programme,
    ProgrammeStatus,
    RegistrationStatus,
)
from tests.factories import student
from tests.programmes import factories as pf
from tests.programmes.factories import count
from tests.programmes.organise_helpers import HONG_KONG, programme_form, session_form
from tests.reports.routes.readers import read_csv, read_xlsx
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


def _company_programme(world, **fields):
    return pf.ProgrammeFactory(organiser_company=world.company_a, **fields)


def test_editing_keeps_what_was_typed_in_hong_kong_time(world, login_as, post_form, client):
    programme = _company_programme(world, status=ProgrammeStatus.DRAFT)
    login_as(world.recruiter_a)
    url = f"/organise/programmes/{programme.id}/edit"
    page = client.get(url).get_data(as_text=True)
    opens = programme.registration_opens_at.astimezone(HONG_KONG).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{opens}"' in page
    form = programme_form(
        title_en="Job search techniques",
        format="hybrid",
        join_link="https://meet.example.org/job-search",
        university_ids=[str(world.uni_a.id)],
        faculty_ids=[str(world.fac_a1.id)],
        levels=["ug", "pg"],
        graduation_year_from="2026",
        graduation_year_to="2027",
        open_to_non_local="",
        registration_opens_at="2030-03-01T09:00",
        registration_closes_at="2030-03-10T18:00",
    )
    response = post_form(url, form)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    db.session.refresh(programme)
    assert programme.title_en == "Job search techniques"
    assert programme.join_link == "https://meet.example.org/job-search"
    assert [u.id for u in programme.universities] == [world.uni_a.id]
    assert [f.id for f in programme.faculties] == [world.fac_a1.id]
    assert sorted(level.value for level in programme.level_values) == ["pg", "ug"]
    assert (programme.graduation_year_from, programme.graduation_year_to) == (2026, 2027)
    assert programme.open_to_non_local is False
    # 09:00 in Hong Kong is 01:00 UTC.
    assert programme.registration_opens_at.hour == 1
    assert programme.registration_opens_at.astimezone(HONG_KONG).hour == 9


def test_a_session_is_edited_and_added_seats_go_to_the_waitlist_in_order(
    world, login_as, post_form
):
    session = pf.SessionFactory(programme=_company_programme(world), capacity=1)
    first, second, third = (student(world.fac_a1) for _ in range(3))
    pf.registration(first, session)
    waiting = [pf.registration(s, session, RegistrationStatus.WAITLISTED) for s in (second, third)]
    login_as(world.recruiter_a)
    url = f"/organise/programmes/{session.programme_id}/sessions/{session.id}/edit"
    response = post_form(url, session_form(capacity="2", label="Afternoon"))
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    db.session.refresh(session)
    assert (session.capacity, session.label) == (2, "Afternoon")
    db.session.refresh(waiting[0])
    db.session.refresh(waiting[1])
    assert waiting[0].status is RegistrationStatus.REGISTERED
    assert waiting[1].status is RegistrationStatus.WAITLISTED


def test_cancelling_tells_everyone_registered_with_the_message(world, login_as, post_form, client):
    session = pf.SessionFactory(programme=_company_programme(world))
    pf.registration(world.student_a1, session)
    pf.registration(world.student_b1, session, RegistrationStatus.WAITLISTED)
    login_as(world.recruiter_a)
    url = f"/organise/programmes/{session.programme_id}/cancel"
    page = client.get(url).get_data(as_text=True)
    assert "2 students are registered or waiting" in page
    response = post_form(url, {"message": "The speaker is ill; we will run it in May."})
    assert response.status_code == 303
    programme = db.session.get(Programme, session.programme_id)
    db.session.refresh(programme)
    assert programme.status is ProgrammeStatus.CANCELLED
    assert programme.cancellation_message == "The speaker is ill; we will run it in May."
    told = count(Notification, Notification.kind == "programme.cancelled")
    assert told == 2
    overview = client.get(f"/organise/programmes/{programme.id}").get_data(as_text=True)
    assert "The speaker is ill" in overview
    assert client.get(f"/organise/programmes/{programme.id}/edit").status_code == 409


def test_publishing_a_programme_not_ready_says_why_and_keeps_the_draft(world, login_as, post_form):
    programme = _company_programme(world, status=ProgrammeStatus.DRAFT)
    login_as(world.recruiter_a)
    overview = f"/organise/programmes/{programme.id}"
    response = post_form(f"{overview}/publish", {}, form_page=overview)
    assert response.status_code == 409
    assert "Add at least one session in the future" in response.get_data(as_text=True)
    db.session.refresh(programme)
    assert programme.status is ProgrammeStatus.DRAFT


def test_an_unverified_company_cannot_publish(world, login_as, post_form):
    programme = pf.ProgrammeFactory(
        organiser_company=world.company_unverified, status=ProgrammeStatus.DRAFT
    )
    pf.SessionFactory(programme=programme)
    login_as(world.recruiter_unverified)
    overview = f"/organise/programmes/{programme.id}"
    response = post_form(f"{overview}/publish", {}, form_page=overview)
    assert response.status_code == 409
    assert "must be verified" in response.get_data(as_text=True)
    db.session.refresh(programme)
    assert programme.status is ProgrammeStatus.DRAFT


def _session_with_people(world, registered=3, waiting=2):
    session = pf.SessionFactory(programme=_company_programme(world), capacity=registered)
    names = []
    for n in range(registered + waiting):
        person = student(world.fac_a1 if n % 2 else world.fac_b1)
        person.display_name = f"Attendee {n:02d}"
        status = RegistrationStatus.REGISTERED if n < registered else RegistrationStatus.WAITLISTED
        pf.registration(person, session, status)
        names.append(person.display_name)
    return session, names


def test_attendees_are_listed_registered_first_then_the_waitlist_with_positions(
    world, login_as, client
):
    session, names = _session_with_people(world)
    login_as(world.recruiter_a)
    url = f"/organise/programmes/{session.programme_id}/sessions/{session.id}/attendees"
    page = client.get(url).get_data(as_text=True)
    positions = [page.index(name) for name in names]
    assert positions == sorted(positions)
    waitlist = client.get(f"{url}?shown=waitlisted&q=04").get_data(as_text=True)
    assert "Attendee 04" in waitlist and "Attendee 03" not in waitlist
    # Its true place in line (2), not its place among the search results.
    assert '<td class="text-end">2</td>' in waitlist
    assert "Attendee 00" not in client.get(f"{url}?shown=waitlisted").get_data(as_text=True)
    assert client.get(f"{url}?shown=everyone").status_code == 400


def test_attendees_export_as_csv_and_excel_and_each_export_is_audited(world, login_as, client):
    session, names = _session_with_people(world)
    login_as(world.recruiter_a)
    url = f"/organise/programmes/{session.programme_id}/sessions/{session.id}/attendees"
    response = client.get(f"{url}.csv", buffered=True)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = read_csv(response)
    assert rows[0][:3] == ["Status", "Seat or waitlist position", "Name"]
    assert [row[2] for row in rows[1:]] == names
    assert [row[0] for row in rows[1:]] == ["Registered"] * 3 + ["On the waitlist"] * 2
    assert [row[1] for row in rows[1:]] == ["1", "2", "3", "1", "2"]
    response = client.get(f"{url}.xlsx", buffered=True)
    assert response.status_code == 200
    sheet = read_xlsx(response.data)
    assert [row[2] for row in sheet[1:]] == names
    assert [row[1] for row in sheet[1:]] == [1.0, 2.0, 3.0, 1.0, 2.0]
    exported = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "programme.attendees_exported")
    ).all()
    assert len(exported) == 2


def test_the_organiser_list_costs_the_same_statements_for_one_or_a_full_page(
    world, login_as, client
):
    login_as(world.recruiter_a)
    for _ in range(2):
        pf.SessionFactory(programme=_company_programme(world))
    few, _page = statements_of_request(client, "/company/alpha/programmes")
    for _ in range(18):
        programme = _company_programme(world)
        session = pf.SessionFactory(programme=programme)
        pf.registration(student(world.fac_a1), session)
    many, page = statements_of_request(client, "/company/alpha/programmes")
    assert page.get_data(as_text=True).count('class="list-group-item') == 20
    assert len(many) == len(few), outline(many)
    _company_programme(world)
    second = client.get("/company/alpha/programmes?page=2").get_data(as_text=True)
    assert second.count('class="list-group-item') == 1  # 21 programmes, 20 a page


def test_the_attendee_list_costs_the_same_statements_for_one_or_a_full_page(
    world, login_as, client
):
    login_as(world.recruiter_a)
    session, _names = _session_with_people(world, registered=1, waiting=0)
    url = f"/organise/programmes/{session.programme_id}/sessions/{session.id}/attendees"
    few, _page = statements_of_request(client, url)
    for _ in range(49):
        pf.registration(student(world.fac_a2), session, RegistrationStatus.WAITLISTED)
    many, page = statements_of_request(client, url)
    assert page.get_data(as_text=True).count("<tr>") == 51  # the header and 50 rows
    assert len(many) == len(few), outline(many)


def test_the_lists_show_an_empty_state_and_sort_by_next_session(world, login_as, client):
    login_as(world.dean_a1)
    page = client.get(f"/faculty/{world.fac_a1.id}/programmes").get_data(as_text=True)
    assert "Organise your first programme" in page
    later = pf.ProgrammeFactory(organiser_faculty=world.fac_a1, title_en="Later one")
    sooner = pf.ProgrammeFactory(organiser_faculty=world.fac_a1, title_en="Sooner one")
    pf.SessionFactory(programme=later, starts_at=utcnow() + timedelta(days=30))
    pf.SessionFactory(programme=sooner, starts_at=utcnow() + timedelta(days=3))
    past = pf.ProgrammeFactory(organiser_faculty=world.fac_a1, title_en="Past one")
    pf.SessionFactory(programme=past, starts_at=utcnow() - timedelta(days=3))
    page = client.get(f"/faculty/{world.fac_a1.id}/programmes?sort=next").get_data(as_text=True)
    # The soonest first; one with no session ahead after them, on both engines.
    assert page.index("Sooner one") < page.index("Later one") < page.index("Past one")
    page = client.get(f"/faculty/{world.fac_a1.id}/programmes?sort=-next").get_data(as_text=True)
    assert page.index("Later one") < page.index("Sooner one") < page.index("Past one")
    assert client.get(f"/faculty/{world.fac_a1.id}/programmes?sort=secret").status_code == 400
    assert client.get(f"/faculty/{world.fac_a1.id}/programmes?status=gone").status_code == 400


def test_each_organiser_finds_the_list_where_they_work(world, login_as, client):
    login_as(world.recruiter_a)
    assert "/company/alpha/programmes" in client.get("/company/alpha").get_data(as_text=True)
    login_as(world.dean_a1)
    home = client.get(f"/faculty/{world.fac_a1.id}").get_data(as_text=True)
    assert f"/faculty/{world.fac_a1.id}/programmes" in home
    login_as(world.park_admin)
    assert 'href="/admin/programmes"' in client.get("/admin").get_data(as_text=True)


def test_an_export_in_an_unknown_format_is_not_found(world, login_as, client):
    session, _names = _session_with_people(world)
    login_as(world.recruiter_a)
    url = f"/organise/programmes/{session.programme_id}/sessions/{session.id}/attendees.pdf"
    assert client.get(url).status_code == 404
    assert count(AuditEvent, AuditEvent.action == "programme.attendees_exported") == 0
