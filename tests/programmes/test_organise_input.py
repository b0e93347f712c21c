"""Bad input on the organisers' forms: each refusal names the field, answers 400 and
writes nothing (no programme, no session, no change to a saved one)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from foundry.extensions import db
from foundry.notifications.models import Notification
from foundry.programmes.models import Programme, ProgrammeSession, ProgrammeStatus
from tests.programmes import factories as pf
from tests.programmes.factories import count
from tests.programmes.organise_helpers import programme_form, session_form

NEW = "/company/alpha/programmes/new"


def _refused_at(response, field: str, message: str) -> None:
    assert response.status_code == 400, response.status_code
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page, page[:3000]
    assert message in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title_en": "   "}, "title_en", "Enter a title in English."),
        ({"title_en": "x" * 161}, "title_en", "Keep the title to 160 characters."),
        (
            {
                "registration_opens_at": "2031-05-02T10:00",
                "registration_closes_at": "2031-05-01T10:00",
            },
            "registration_closes_at",
            "Registration must close after it opens.",
        ),
        ({"registration_opens_at": ""}, "registration_opens_at", "Enter when registration opens"),
        ({"registration_closes_at": "tomorrow"}, "registration_closes_at", "Not a valid datetime"),
        ({"join_link": "http://meet.example.org/x"}, "join_link", "full https:// address"),
        ({"join_link": "javascript:alert(1)"}, "join_link", "full https:// address"),
        ({"cancellation_cutoff_hours": "-1"}, "cancellation_cutoff_hours", "between 0 and 720"),
        (
            {"graduation_year_from": "2028", "graduation_year_to": "2026"},
            "graduation_year_to",
            "Swap them",
        ),
        ({"graduation_year_from": "1900"}, "graduation_year_from", "between 2000 and 2100"),
        ({"kind": "party"}, "kind", "Not a valid choice"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_a_bad_programme_is_refused_at_its_field_and_nothing_is_written(
    world, login_as, post_form, fields, field, message
):
    login_as(world.recruiter_a)
    _refused_at(post_form(NEW, programme_form(**fields)), field, message)
    assert count(Programme) == 0


def test_a_faculty_of_another_university_is_refused(world, login_as, post_form):
    login_as(world.dean_a1)
    form = programme_form(university_ids=[str(world.uni_a.id)], faculty_ids=[str(world.fac_b1.id)])
    response = post_form(f"/faculty/{world.fac_a1.id}/programmes/new", form)
    _refused_at(response, "faculty_ids", "Choose faculties of the universities you chose")
    assert count(Programme) == 0


def test_a_refused_edit_leaves_the_programme_as_it_was(world, login_as, post_form):
    programme = pf.ProgrammeFactory(organiser_company=world.company_a, title_en="Kept")
    pf.SessionFactory(programme=programme)
    login_as(world.recruiter_a)
    url = f"/organise/programmes/{programme.id}/edit"
    # Published and held online without a join link: refused at the join link.
    response = post_form(url, programme_form(title_en="Changed", format="virtual", join_link=""))
    _refused_at(response, "join_link", "Give the join link of a programme held online.")
    db.session.expire_all()
    kept = db.session.get(Programme, programme.id)
    assert (kept.title_en, kept.format.value) == ("Kept", "in_person")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"hours": -1}, "ends_at", "A session must end after it starts."),
        ({"hours": 0}, "ends_at", "A session must end after it starts."),
        ({"hours": 80}, "ends_at", "at most 72 hours"),
        ({"capacity": "0"}, "capacity", "between 1 and 10000 seats"),
        ({"capacity": "-5"}, "capacity", "between 1 and 10000 seats"),
        ({"capacity": "10001"}, "capacity", "between 1 and 10000 seats"),
        ({"capacity": "9" * 30}, "capacity", "between 1 and 10000 seats"),
        ({"capacity": "many"}, "capacity", "Not a valid integer"),
        ({"capacity": ""}, "capacity", "Say how many seats"),
        ({"starts_in": timedelta(days=-1)}, "starts_at", "must start in the future"),
        ({"label": "x" * 121}, "label", "120 characters"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_a_bad_session_is_refused_at_its_field_and_nothing_is_written(
    world, login_as, post_form, fields, field, message
):
    programme = pf.ProgrammeFactory(organiser_company=world.company_a, status=ProgrammeStatus.DRAFT)
    login_as(world.recruiter_a)
    response = post_form(
        f"/organise/programmes/{programme.id}/sessions/new", session_form(**fields)
    )
    _refused_at(response, field, message)
    assert count(ProgrammeSession) == 0


def test_seats_cannot_drop_below_those_taken(world, login_as, post_form):
    session = pf.SessionFactory(programme=pf.ProgrammeFactory(organiser_company=world.company_a))
    for person in (world.student_a1, world.student_a2, world.student_b1):
        pf.registration(person, session)
    login_as(world.recruiter_a)
    url = f"/organise/programmes/{session.programme_id}/sessions/{session.id}/edit"
    response = post_form(url, session_form(capacity="2", label="Changed"))
    _refused_at(response, "capacity", "Seats taken in this session: 3.")
    db.session.expire_all()
    kept = db.session.get(ProgrammeSession, session.id)
    assert (kept.capacity, kept.label) == (10, None)


def test_a_cancellation_needs_a_message_and_tells_no_one_without_it(world, login_as, post_form):
    session = pf.SessionFactory(programme=pf.ProgrammeFactory(organiser_company=world.company_a))
    pf.registration(world.student_a1, session)
    login_as(world.recruiter_a)
    url = f"/organise/programmes/{session.programme_id}/cancel"
    _refused_at(post_form(url, {"message": "   "}), "message", "Say why the programme is cancelled")
    _refused_at(post_form(url, {"message": "x" * 1001}), "message", "1,000 characters")
    db.session.expire_all()
    assert db.session.get(Programme, session.programme_id).status is ProgrammeStatus.PUBLISHED
    assert count(Notification) == 0


def test_an_expired_form_is_refused_without_a_change(world, login_as, client):
    programme = pf.ProgrammeFactory(organiser_company=world.company_a, status=ProgrammeStatus.DRAFT)
    pf.SessionFactory(programme=programme)
    login_as(world.recruiter_a)
    response = client.post(f"/organise/programmes/{programme.id}/publish", data={})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).status is ProgrammeStatus.DRAFT


def _past(**kwargs):
    from foundry.db import utcnow

    return utcnow() - timedelta(**kwargs)


@pytest.mark.parametrize(
    ("setup", "status", "message"),
    [
        ("no_session", 409, "Add at least one session in the future before publishing."),
        ("past_session", 409, "Add at least one session in the future before publishing."),
        ("no_venue", 400, "Give the venue of a programme held in person."),
        ("no_join_link", 400, "Give the join link of a programme held online."),
        ("closed", 409, "Registration would already be closed."),
    ],
)
def test_publishing_is_refused_with_what_is_missing(
    world, login_as, post_form, setup, status, message
):
    from foundry.programmes.models import ProgrammeFormat

    fields = {
        "no_venue": {"venue": None},
        "no_join_link": {"format": ProgrammeFormat.HYBRID, "join_link": None},
        "closed": {"registration_opens_at": _past(days=3), "registration_closes_at": _past(days=1)},
    }.get(setup, {})
    programme = pf.ProgrammeFactory(
        organiser_company=world.company_a, status=ProgrammeStatus.DRAFT, **fields
    )
    if setup == "past_session":
        pf.SessionFactory(programme=programme, starts_at=_past(days=2))
    elif setup != "no_session":
        pf.SessionFactory(programme=programme)
    login_as(world.recruiter_a)
    overview = f"/organise/programmes/{programme.id}"
    response = post_form(f"{overview}/publish", {}, form_page=overview)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert "The programme cannot be published yet" in page and message in page
    db.session.expire_all()
    kept = db.session.get(Programme, programme.id)
    assert (kept.status, kept.published_at) == (ProgrammeStatus.DRAFT, None)
