"""The fair page of students: who is coming (by booth, with roles and free slots, found
by company name), booking and cancelling a slot, dropping a CV; and who may not."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from foundry.extensions import db as database
from foundry.programmes.fairs.booths import feature_postings
from foundry.programmes.fairs.models import BookingStatus, CVDrop, FairBooking
from tests import factories as f
from tests.factories import profile_of
from tests.programmes import factories as pf
from tests.programmes.factories import count
from tests.programmes.fairs.pages_setup import approve, make_fair, slot_at


@pytest.fixture
def fair(world, db):
    return make_fair(db)


@pytest.fixture
def booth(world, fair, db):
    exhibitor = approve(world, fair, world.company_a, world.recruiter_a, "A12")
    posting = f.PostingFactory(company=world.company_a, title="Robot Vision Intern")
    feature_postings(world.recruiter_a, exhibitor, [posting.id])
    db.session.commit()
    return exhibitor


@pytest.fixture
def slot(world, fair, booth, db):
    created = slot_at(world.recruiter_a, booth, fair)
    db.session.commit()
    return created


@pytest.fixture
def attendee(world, fair, db):
    pf.registration(world.student_a1, fair)
    db.session.commit()
    return world.student_a1


def url(fair):
    return f"/programmes/{fair.programme_id}/fair"


def test_anyone_sees_whos_coming_by_booth_with_roles_and_slots(client, world, fair, slot):
    page = client.get(url(fair)).get_data(as_text=True)
    assert "Alpha Robotics" in page and "A12" in page and "Robot Vision Intern" in page
    assert "1 seat left" in page and "HKT" in page
    assert f"/programmes/fair/slots/{slot.id}/book" not in page  # anonymous: no button


def test_the_list_is_searchable_by_company_name(client, world, fair, booth, db):
    approve(world, fair, world.company_b, world.recruiter_b, "B01")
    db.session.commit()
    page = client.get(url(fair) + "?q=beta").get_data(as_text=True)
    assert "Beta Fintech" in page and "Alpha Robotics" not in page
    assert "No company at the fair matches" in client.get(url(fair) + "?q=zzz").get_data(
        as_text=True
    )


def test_booths_are_listed_in_the_order_of_the_hall(client, world, fair, booth, db):
    approve(world, fair, world.company_b, world.recruiter_b, "A2")
    db.session.commit()
    page = client.get(url(fair)).get_data(as_text=True)
    assert page.index("Beta Fintech") < page.index("Alpha Robotics")  # A2, then A12


def test_the_fair_page_is_not_found_for_other_kinds(client, world, db):
    workshop = pf.SessionFactory()
    db.session.commit()
    assert client.get(f"/programmes/{workshop.programme_id}/fair").status_code == 404


def bookings() -> list[FairBooking]:
    database.session.expire_all()
    return database.session.scalars(sa.select(FairBooking).order_by(FairBooking.id)).all()


def test_a_registered_student_books_sees_and_cancels_a_slot(
    client, world, fair, slot, attendee, login_as, post_form
):
    login_as(attendee)
    response = post_form(f"/programmes/fair/slots/{slot.id}/book", form_page=url(fair))
    assert response.status_code == 303
    [booking] = bookings()
    assert booking.profile_id == profile_of(attendee).id and booking.slot_id == slot.id
    page = client.get(url(fair)).get_data(as_text=True)
    assert "My bookings" in page and f"/programmes/fair/bookings/{booking.id}/cancel" in page
    cancel = f"/programmes/fair/bookings/{booking.id}/cancel"
    asked = post_form(cancel, form_page=url(fair))
    assert asked.status_code == 200 and "Cancel your slot with Alpha Robotics?" in asked.text
    assert bookings()[0].status is BookingStatus.BOOKED
    response = post_form(cancel, {"confirmed": "yes"}, url(fair))
    assert response.status_code == 303
    assert bookings()[0].status is BookingStatus.CANCELLED


def test_booking_refusals_are_clear_4xx_and_write_nothing(
    client, world, fair, booth, slot, attendee, login_as, post_form, db
):
    other = world.student_a1_other
    pf.registration(other, fair)
    db.session.commit()
    # not registered for the fair
    login_as(world.student_a2)
    response = post_form(f"/programmes/fair/slots/{slot.id}/book", form_page=url(fair))
    assert response.status_code == 409 and "Register for the fair" in response.get_data(True)
    assert bookings() == []
    # a 1:1 already booked by someone else
    login_as(other)
    post_form(f"/programmes/fair/slots/{slot.id}/book", form_page=url(fair))
    login_as(attendee)
    response = post_form(f"/programmes/fair/slots/{slot.id}/book", form_page=url(fair))
    assert response.status_code == 409 and "This slot is full." in response.get_data(True)
    assert len(bookings()) == 1
    # overlapping: two group sessions at the same time
    first = slot_at(world.recruiter_a, booth, fair, minutes_in=120, length=30, capacity=5)
    second = slot_at(world.recruiter_a, booth, fair, minutes_in=130, length=30, capacity=5)
    db.session.commit()
    assert post_form(f"/programmes/fair/slots/{first.id}/book", form_page=url(fair)).status_code
    response = post_form(f"/programmes/fair/slots/{second.id}/book", form_page=url(fair))
    assert response.status_code == 409
    assert "another booking at that time" in response.get_data(True)
    assert len(bookings()) == 2


def test_no_one_cancels_anothers_booking(client, world, fair, slot, attendee, login_as, post_form):
    login_as(attendee)
    post_form(f"/programmes/fair/slots/{slot.id}/book", form_page=url(fair))
    [booking] = bookings()
    for intruder in (world.student_a1_other, world.recruiter_b, world.dean_a1):
        login_as(intruder)
        cancel = f"/programmes/fair/bookings/{booking.id}/cancel"
        response = post_form(cancel, {"confirmed": "yes"}, url(fair))
        assert response.status_code == 403
    assert bookings()[0].status is BookingStatus.BOOKED


def test_anonymous_and_companies_cannot_book_or_drop(
    client, world, fair, booth, slot, login_as, post_form
):
    response = client.post(f"/programmes/fair/slots/{slot.id}/book")
    assert response.status_code in (302, 303, 400)
    login_as(world.recruiter_a)
    response = post_form(f"/programmes/fair/slots/{slot.id}/book", form_page=url(fair))
    assert response.status_code == 403
    response = post_form(f"/programmes/fair/exhibitors/{booth.id}/cv", form_page=url(fair))
    assert response.status_code == 403
    assert bookings() == [] and count(CVDrop) == 0


def test_a_student_drops_a_cv_with_one_button(
    client, world, fair, booth, attendee, login_as, post_form, db
):
    login_as(attendee)
    response = post_form(f"/programmes/fair/exhibitors/{booth.id}/cv", form_page=url(fair))
    assert response.status_code == 409 and "Upload a CV" in response.get_data(True)
    assert count(CVDrop) == 0
    f.CVFactory(profile=profile_of(attendee))
    db.session.commit()
    response = post_form(f"/programmes/fair/exhibitors/{booth.id}/cv", form_page=url(fair))
    assert response.status_code == 303 and count(CVDrop) == 1
    assert "CV dropped" in client.get(url(fair)).get_data(as_text=True)


def test_the_programme_page_leads_to_the_fair_page_and_a_workshop_does_not(client, world, fair, db):
    workshop = pf.SessionFactory()
    db.session.commit()
    assert url(fair) in client.get(f"/programmes/{fair.programme_id}").get_data(as_text=True)
    page = client.get(f"/programmes/{workshop.programme_id}").get_data(as_text=True)
    assert "/fair" not in page


def test_a_student_cannot_book_for_another_student(
    client, world, fair, slot, attendee, login_as, post_form, db
):
    other = world.student_a1_other
    pf.registration(other, fair)
    db.session.commit()
    login_as(attendee)
    data = {"profile_id": profile_of(other).id, "profile": profile_of(other).id}
    post_form(f"/programmes/fair/slots/{slot.id}/book", data, url(fair))
    assert [b.profile_id for b in bookings()] == [profile_of(attendee).id]


def test_a_company_home_leads_to_its_fairs(client, world, login_as):
    login_as(world.recruiter_a)
    assert "/company/alpha/fairs" in client.get("/company/alpha").get_data(as_text=True)
