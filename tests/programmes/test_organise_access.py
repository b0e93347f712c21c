"""Who may not run a programme: another company's member, another faculty's staff, a
coordinator of another university, a student and an anonymous visitor are each refused on
every organiser route (list, new, edit, sessions, publish, cancel, attendees, exports),
and the programme, its sessions and its registrations stay as they were."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from foundry.extensions import db
from foundry.notifications.models import Notification
from foundry.programmes.models import Programme, ProgrammeSession, ProgrammeStatus
from tests.programmes import factories as pf
from tests.programmes.factories import count
from tests.programmes.organise_helpers import programme_form, session_form

# organiser → (its list URL, who may not)
CASES = {
    "company": (
        lambda w: "/company/alpha/programmes",
        ["recruiter_b", "dean_a1", "coordinator_a", "student_a1", "anonymous"],
    ),
    "faculty": (
        lambda w: f"/faculty/{w.fac_a1.id}/programmes",
        ["officer_a2", "dean_b1", "coordinator_b", "recruiter_a", "student_a1", "anonymous"],
    ),
    "park": (
        lambda w: "/admin/programmes",
        ["dean_a1", "coordinator_a", "recruiter_a", "student_a1", "anonymous"],
    ),
}
REFUSALS = [(organiser, who) for organiser, (_url, people) in CASES.items() for who in people]


def _programme(world, organiser, status=ProgrammeStatus.DRAFT) -> Programme:
    owner = {
        "company": {"organiser_company": world.company_a},
        "faculty": {"organiser_faculty": world.fac_a1},
        "park": {},
    }[organiser]
    programme = pf.ProgrammeFactory(status=status, title_en="Untouched", **owner)
    session = pf.SessionFactory(programme=programme, capacity=5)
    pf.registration(world.student_a1_other, session)
    return programme


def _snapshot(programme: Programme) -> tuple:
    db.session.expire_all()
    programme = db.session.get(Programme, programme.id)
    return (
        count(Programme),
        programme.title_en,
        programme.status,
        programme.cancellation_message,
        [(s.starts_at, s.capacity, s.label) for s in programme.sessions],
        count(Notification),
        count(AuditEvent, AuditEvent.action.like("programme.%")),
    )


def _refused(response, who: str) -> None:
    if who == "anonymous":
        assert response.status_code in (302, 303), response.status_code
        assert "/sign-in" in response.headers["Location"]
    else:
        assert response.status_code == 403, response.status_code


@pytest.mark.parametrize(("organiser", "who"), REFUSALS, ids=[f"{o}-{w}" for o, w in REFUSALS])
def test_refused_on_every_organiser_route(world, client, login_as, post_form, organiser, who):
    programme = _programme(world, organiser)
    session = programme.sessions[0]
    before = _snapshot(programme)
    if who != "anonymous":
        login_as(getattr(world, who))
    base = CASES[organiser][0](world)
    own = f"/organise/programmes/{programme.id}"
    people = f"{own}/sessions/{session.id}/attendees"
    gets = [
        base,
        f"{base}/new",
        own,
        f"{own}/edit",
        f"{own}/sessions/new",
        f"{own}/sessions/{session.id}/edit",
        f"{own}/cancel",
        people,
        f"{people}.csv",
        f"{people}.xlsx",
    ]
    for url in gets:
        response = client.get(url)
        _refused(response, who)
        assert b"Untouched" not in response.data, url
        assert world.student_a1_other.display_name.encode() not in response.data, url
    posts = {
        f"{base}/new": programme_form(title_en="Hijacked"),
        f"{own}/edit": programme_form(title_en="Hijacked"),
        f"{own}/sessions/new": session_form(),
        f"{own}/sessions/{session.id}/edit": session_form(capacity="9999"),
        f"{own}/publish": {},
        f"{own}/cancel": {"message": "Hijacked"},
    }
    for url, data in posts.items():
        _refused(post_form(url, data, form_page="/companies"), who)
    assert _snapshot(programme) == before


def test_a_faculty_coordinator_of_its_university_and_the_park_may_organise(world, client, login_as):
    programme = _programme(world, "faculty")
    for who in ("dean_a1", "coordinator_a", "park_admin"):
        login_as(getattr(world, who))
        assert client.get(f"/organise/programmes/{programme.id}").status_code == 200
        attendees = f"/organise/programmes/{programme.id}/sessions/"
        assert client.get(f"{attendees}{programme.sessions[0].id}/attendees").status_code == 200


def test_a_session_of_another_programme_is_not_found_through_mine(world, client, login_as):
    mine = _programme(world, "company")
    theirs = pf.ProgrammeFactory(organiser_company=world.company_b)
    other = pf.SessionFactory(programme=theirs)
    pf.registration(world.student_b1, other)
    login_as(world.recruiter_a)
    url = f"/organise/programmes/{mine.id}/sessions/{other.id}"
    assert client.get(f"{url}/attendees").status_code == 404
    assert client.get(f"{url}/attendees.csv").status_code == 404
    assert client.get(f"{url}/edit").status_code == 404
    assert count(AuditEvent, AuditEvent.action == "programme.attendees_exported") == 0
    db.session.expire_all()
    assert (
        db.session.scalar(
            sa.select(ProgrammeSession.capacity).where(ProgrammeSession.id == other.id)
        )
        == 10
    )
