""" "Who's coming" goes through the shared cache (foundry/programmes/fair_listing.py): read
once between changes and the same for every visitor, yet each registered student's copy
carries their own form token and their own dropped CVs; a booking, a new booth or a renamed
company is shown at the next request; and anonymous visitors get no forms from a student's
entry. On the store of one process and on Redis."""

from __future__ import annotations

import re

import pytest

from foundry.programmes.fair_listing import TOPIC
from foundry.programmes.fairs.models import CVDrop
from foundry.reports import cache
from tests import factories as f
from tests.factories import profile_of
from tests.programmes import factories as pf
from tests.programmes.factories import count
from tests.programmes.fairs.pages_setup import approve, make_fair, slot_at
from tests.statements import statements_of_request


@pytest.fixture
def fair(world, db):
    session = make_fair(db)
    booth = approve(world, session, world.company_a, world.recruiter_a, "A12")
    session.slot = slot_at(world.recruiter_a, booth, session, capacity=2)
    session.booth = booth
    for student in (world.student_a1, world.student_a2):
        pf.registration(student, session)
        f.CVFactory(profile=profile_of(student))
    db.session.commit()
    return session


def _page(client, fair):
    statements, response = statements_of_request(client, f"/programmes/{fair.programme_id}/fair")
    return response.get_data(as_text=True), len(statements)


def _exhibitors(page: str) -> str:
    return page[page.index('id="who"') : page.index("fair-route.js")]


def test_the_second_visitor_reads_no_exhibitor_and_sees_the_same(client, fair, store):
    first, fresh = _page(client, fair)
    second, cached = _page(client, fair)
    assert "Alpha Robotics" in first and "2 seats left" in first
    assert cached <= fresh - 3  # the exhibitors, their roles, their slots
    assert _exhibitors(second) == _exhibitors(first)


def test_each_student_gets_their_own_token_and_dropped_cvs(client, world, fair, store, login_as):
    login_as(world.student_a1)
    assert _drop_with_the_pages_form(client, fair) == 303 and count(CVDrop) == 1
    mine = _exhibitors(_page(client, fair)[0])
    assert "CV dropped" in mine and "Drop my CV" not in mine
    login_as(world.student_a2)  # the same entry, filled in for another student
    theirs = _exhibitors(_page(client, fair)[0])
    assert "Drop my CV" in theirs and "CV dropped" not in theirs
    assert "<!--" not in theirs
    assert _drop_with_the_pages_form(client, fair) == 303 and count(CVDrop) == 2


def _drop_with_the_pages_form(client, fair) -> int:
    """Drop a CV with the token the page's own "Drop my CV" form carries."""
    page = _exhibitors(_page(client, fair)[0])
    action = f"/programmes/fair/exhibitors/{fair.booth.id}/cv"
    form = page[page.index(f'action="{action}"') :]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    return client.post(action, data={"csrf_token": token}).status_code


def test_anonymous_visitors_get_no_form_from_a_students_entry(client, world, fair, store, login_as):
    login_as(world.student_a1)
    assert "Drop my CV" in _page(client, fair)[0]
    anonymous = client.application.test_client()
    page = _exhibitors(_page(anonymous, fair)[0])
    assert "Alpha Robotics" in page and "csrf_token" not in page and "Drop my CV" not in page


def test_a_booking_a_new_booth_and_a_rename_are_shown_at_the_next_request(
    client, world, fair, store, login_as, post_form, db
):
    slot = fair.slot
    assert "2 seats left" in _page(client, fair)[0]
    login_as(world.student_a1)
    response = post_form(
        f"/programmes/fair/slots/{slot.id}/book", form_page=f"/programmes/{fair.programme_id}/fair"
    )
    assert response.status_code == 303
    assert "1 seat left" in _page(client, fair)[0]
    approve(world, fair, world.company_b, world.recruiter_b, "B01")
    world.company_a.name = "Alpha Robotics HK"
    db.session.commit()
    page = _exhibitors(_page(client, fair)[0])
    assert "Beta Fintech" in page and "Alpha Robotics HK" in page


def test_the_fair_has_its_own_topic():
    from foundry.programmes.fairs.models import FairBooking

    assert cache.TOPICS[TOPIC].reads(FairBooking)
    assert not cache.TOPICS[cache.DASHBOARD].reads(FairBooking)
