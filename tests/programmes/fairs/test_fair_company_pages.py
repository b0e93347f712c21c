"""A company's fair pages (booth request, withdraw, roles, slots, pre-selection and
alternates, meetings by ticket code, invitations, its fair list and the CVs dropped) and
the organiser's decision on a booth: what each does, who may not, and bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.extensions import db as database
from foundry.programmes import checkin
from foundry.programmes.checkin_models import Ticket
from foundry.programmes.checkin_tokens import display_code
from foundry.programmes.fairs.booths import request_booth
from foundry.programmes.fairs.meetings import drop_cv
from foundry.programmes.fairs.models import (
    BoothMeeting,
    CVDrop,
    ExhibitorStatus,
    FairAlternate,
    FairBooking,
    FairExhibitor,
    FairSlot,
)
from foundry.programmes.fairs.slots import book_slot
from foundry.programmes.models import Registration
from tests import factories as f
from tests.factories import profile_of
from tests.programmes import factories as pf
from tests.programmes.factories import count
from tests.programmes.fairs.pages_setup import approve, make_fair, slot_at
from tests.programmes.organise_helpers import typed


@pytest.fixture
def fair(world, db):
    return make_fair(db)


@pytest.fixture
def booth(world, fair, db):
    exhibitor = approve(world, fair, world.company_a, world.recruiter_a, "A12")
    db.session.commit()
    return exhibitor


def booth_url(exhibitor, slug="alpha"):
    return f"/company/{slug}/fairs/exhibitors/{exhibitor.id}"


def registered(user, fair, db):
    registration = pf.registration(user, fair)
    checkin.ensure_tickets(fair)
    db.session.commit()
    return database.session.get(Ticket, registration.id)


# --- booth requests ------------------------------------------------------------------------


def test_a_company_asks_for_a_booth_and_the_park_approves_it(
    client, world, fair, login_as, post_form
):
    login_as(world.recruiter_a)
    page = client.get("/company/alpha/fairs").get_data(as_text=True)
    assert "AI in Action" in page
    url = f"/company/alpha/fairs/{fair.programme_id}/request"
    response = post_form(
        url, {"representatives": [world.recruiter_a.id], "note": "Two"}, "/company/alpha/fairs"
    )
    assert response.status_code == 303
    exhibitor = database.session.scalar(sa.select(FairExhibitor))
    assert exhibitor.status is ExhibitorStatus.REQUESTED and exhibitor.note == "Two"
    login_as(world.park_admin)
    overview = f"/organise/programmes/{fair.programme_id}"
    assert "Alpha Robotics" in client.get(overview).get_data(as_text=True)
    decide = f"{overview}/exhibitors/{exhibitor.id}/decide"
    response = post_form(decide, {"booth": "A12", "decision": "approve"}, overview)
    assert response.status_code == 303
    database.session.expire_all()
    assert exhibitor.status is ExhibitorStatus.APPROVED and exhibitor.booth == "A12"


@pytest.mark.parametrize("who", ["student_a1", "recruiter_a", "recruiter_b", "dean_a1"])
def test_only_the_fairs_organisers_decide_on_booths(client, world, fair, who, login_as, post_form):
    exhibitor = request_booth(
        world.recruiter_a, fair.programme, world.company_a, [world.recruiter_a.id]
    )
    database.session.commit()
    login_as(getattr(world, who))
    decide = f"/organise/programmes/{fair.programme_id}/exhibitors/{exhibitor.id}/decide"
    response = post_form(decide, {"booth": "A1", "decision": "approve"}, "/programmes")
    assert response.status_code == 403
    database.session.expire_all()
    assert exhibitor.status is ExhibitorStatus.REQUESTED and exhibitor.booth is None


def test_a_booth_request_for_a_past_fair_is_refused_and_writes_nothing(
    client, world, fair, login_as, post_form, db
):
    fair.starts_at = fair.starts_at - timedelta(days=30)
    fair.ends_at = fair.starts_at + timedelta(hours=7)
    db.session.commit()
    login_as(world.recruiter_a)
    url = f"/company/alpha/fairs/{fair.programme_id}/request"
    response = post_form(url, {"representatives": [world.recruiter_a.id]}, "/company/alpha/fairs")
    assert response.status_code == 409
    assert "already begun" in response.get_data(as_text=True)
    assert count(FairExhibitor) == 0


def test_a_booth_request_without_a_representative_is_a_400(
    client, world, fair, login_as, post_form
):
    login_as(world.recruiter_a)
    url = f"/company/alpha/fairs/{fair.programme_id}/request"
    response = post_form(url, {"note": "x"}, "/company/alpha/fairs")
    assert response.status_code == 400
    assert "at least one representative" in response.get_data(as_text=True)
    assert count(FairExhibitor) == 0


@pytest.mark.parametrize("who", ["recruiter_b", "student_a1", "dean_a1"])
def test_others_cannot_use_a_companys_fair_pages(
    client, world, fair, booth, who, login_as, post_form
):
    login_as(getattr(world, who))
    for url in ("/company/alpha/fairs", booth_url(booth)):
        assert client.get(url).status_code == 403
    url = f"/company/alpha/fairs/{fair.programme_id}/request"
    assert (
        post_form(url, {"representatives": [world.recruiter_a.id]}, "/programmes").status_code
        == 403
    )
    withdraw = {"confirmed": "yes"}
    assert post_form(booth_url(booth) + "/withdraw", withdraw, "/programmes").status_code == 403
    start = typed(fair.starts_at + timedelta(hours=1))
    slot = {"kind": "one_to_one", "starts_at": start, "minutes": 10, "capacity": 1}
    assert post_form(booth_url(booth) + "/slots", slot, "/programmes").status_code == 403
    database.session.expire_all()
    assert booth.status is ExhibitorStatus.APPROVED and count(FairSlot) == 0


def test_another_companys_exhibitor_is_not_found_under_ones_own_slug(
    client, world, fair, booth, login_as
):
    login_as(world.recruiter_b)
    assert client.get(booth_url(booth, slug="beta")).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, world, booth):
    response = client.get(booth_url(booth))
    assert response.status_code in (302, 303) and "sign" in response.headers["Location"]


def test_the_company_withdraws(client, world, fair, booth, login_as, post_form):
    login_as(world.recruiter_a)
    response = post_form(
        booth_url(booth) + "/withdraw", {"confirmed": "yes"}, "/company/alpha/fairs"
    )
    assert response.status_code == 303
    database.session.expire_all()
    assert booth.status is ExhibitorStatus.WITHDRAWN


# --- slots ------------------------------------------------------------------------------


def slot_form(fair, minutes_in=60, **fields):
    return {
        "kind": "one_to_one",
        "starts_at": typed(fair.starts_at + timedelta(minutes=minutes_in)),
        "minutes": 10,
        "capacity": 1,
        **fields,
    }


def test_the_company_offers_a_slot_in_hong_kong_time(
    client, world, fair, booth, login_as, post_form
):
    login_as(world.recruiter_a)
    response = post_form(booth_url(booth) + "/slots", slot_form(fair), booth_url(booth))
    assert response.status_code == 303
    slot = database.session.scalar(sa.select(FairSlot))
    expected = fair.starts_at + timedelta(minutes=60)
    assert slot.starts_at == expected.replace(second=0, microsecond=0)
    assert slot.ends_at - slot.starts_at == timedelta(minutes=10)


@pytest.mark.parametrize(
    "fields, status, message",
    [
        ({"minutes_in": -120}, 409, "opening hours"),
        ({"minutes_in": 60 * 8}, 409, "opening hours"),
        ({"capacity": 0}, 400, "1 to 50"),
        ({"capacity": 51, "kind": "group"}, 400, "1 to 50"),
        ({"capacity": 3}, 400, "exactly one seat"),
        ({"minutes": 0}, 400, "5 to 180"),
        ({"starts_at": "tomorrow"}, 400, ""),
    ],
)
def test_bad_slots_are_refused_and_write_nothing(
    client, world, fair, booth, login_as, post_form, fields, status, message
):
    login_as(world.recruiter_a)
    minutes_in = fields.pop("minutes_in", 60)
    response = post_form(
        booth_url(booth) + "/slots", slot_form(fair, minutes_in, **fields), booth_url(booth)
    )
    assert response.status_code in (status, 400, 409)
    assert response.status_code < 500
    assert message in response.get_data(as_text=True)
    assert count(FairSlot) == 0


def test_preselect_and_alternates_among_visitors_only(
    client, world, fair, booth, login_as, post_form, db
):
    visitor, stranger = world.student_a1, world.student_a1_other
    registered(visitor, fair, db)
    registered(stranger, fair, db)
    f.CVFactory(profile=profile_of(visitor))
    drop_cv(visitor, profile_of(visitor), booth)
    slot = slot_at(world.recruiter_a, booth, fair)
    db.session.commit()
    login_as(world.recruiter_a)
    url = f"{booth_url(booth)}/slots/{slot.id}"
    # a student who never came to the booth nor applied cannot be picked
    response = post_form(
        url + "/preselect", {"profile_id": profile_of(stranger).id}, booth_url(booth)
    )
    assert response.status_code == 400 and count(FairBooking) == 0
    response = post_form(
        url + "/alternates", {"profile_ids": [profile_of(stranger).id]}, booth_url(booth)
    )
    assert response.status_code == 400 and count(FairAlternate) == 0
    response = post_form(
        url + "/alternates", {"profile_ids": [profile_of(visitor).id]}, booth_url(booth)
    )
    assert response.status_code == 303 and count(FairAlternate) == 1
    response = post_form(
        url + "/preselect", {"profile_id": profile_of(visitor).id}, booth_url(booth)
    )
    assert response.status_code == 303
    assert database.session.scalar(sa.select(FairBooking.preselected)) is True


# --- meetings, the fair list, CVs --------------------------------------------------------


def test_a_meeting_is_recorded_by_ticket_code_and_the_student_invited(
    client, world, fair, booth, login_as, post_form, db
):
    ticket = registered(world.student_a1, fair, db)
    posting = f.PostingFactory(company=world.company_a, title="Robot Vision Intern")
    db.session.commit()
    login_as(world.recruiter_a)
    data = {"code": display_code(ticket.code).lower(), "rating": 4, "note": "Strong in ROS"}
    response = post_form(booth_url(booth) + "/meetings", data, booth_url(booth))
    assert response.status_code == 303
    meeting = database.session.scalar(sa.select(BoothMeeting))
    assert (meeting.profile_id, meeting.rating, meeting.note) == (
        profile_of(world.student_a1).id,
        4,
        "Strong in ROS",
    )
    page = client.get(booth_url(booth)).get_data(as_text=True)
    assert world.student_a1.display_name in page and "Strong in ROS" in page
    url = f"{booth_url(booth)}/meetings/{meeting.id}/invite"
    assert post_form(url, {"posting_id": posting.id}, booth_url(booth)).status_code == 303
    database.session.expire_all()
    assert meeting.invited_posting_id == posting.id


@pytest.mark.parametrize(
    "data, status, message",
    [
        ({"code": "ZZZ-ZZZZ"}, 404, "No one registered for this fair has this ticket code."),
        ({"code": "", "rating": 3}, 400, "Type the code"),
        ({"rating": 6}, 400, "1 to 5"),
        ({"rating": 0}, 400, "1 to 5"),
    ],
)
def test_bad_meetings_are_refused_and_write_nothing(
    client, world, fair, booth, login_as, post_form, db, data, status, message
):
    ticket = registered(world.student_a1, fair, db)
    login_as(world.recruiter_a)
    response = post_form(
        booth_url(booth) + "/meetings", {"code": ticket.code, **data}, booth_url(booth)
    )
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert count(BoothMeeting) == 0


def test_another_companys_representative_cannot_record_a_meeting(
    client, world, fair, booth, login_as, post_form, db
):
    ticket = registered(world.student_a1, fair, db)
    login_as(world.recruiter_b)
    response = post_form(booth_url(booth) + "/meetings", {"code": ticket.code}, "/programmes")
    assert response.status_code == 403 and count(BoothMeeting) == 0


def test_the_fair_list_shows_only_booth_visitors_and_their_dropped_cvs(
    client, world, fair, booth, login_as, db
):
    dropper, booker, stranger = world.student_a1, world.student_a2, world.student_a1_other
    for user in (dropper, booker, stranger):
        registered(user, fair, db)
    cv = f.CVFactory(profile=profile_of(dropper))
    drop = drop_cv(dropper, profile_of(dropper), booth)
    book_slot(booker, profile_of(booker), slot_at(world.recruiter_a, booth, fair))
    db.session.commit()
    login_as(world.recruiter_a)
    page = client.get(booth_url(booth)).get_data(as_text=True)
    assert dropper.display_name in page and booker.display_name in page
    assert stranger.display_name not in page
    download = f"/company/alpha/fairs/cv-drops/{drop.id}/cv"
    response = client.get(download)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == cv.content
    login_as(world.recruiter_b)
    assert client.get(download).status_code == 403
    assert client.get(f"/company/beta/fairs/cv-drops/{drop.id}/cv").status_code == 404
    assert world.student_a1.display_name not in client.get("/company/beta/fairs").get_data(True)
    assert count(CVDrop) == 1


def test_declining_asks_first_then_declines(client, world, fair, login_as, post_form):
    exhibitor = request_booth(
        world.recruiter_a, fair.programme, world.company_a, [world.recruiter_a.id]
    )
    database.session.commit()
    login_as(world.park_admin)
    overview = f"/organise/programmes/{fair.programme_id}"
    decide = f"{overview}/exhibitors/{exhibitor.id}/decide"
    asked = post_form(decide, {"booth": "", "decision": "decline"}, overview)
    assert asked.status_code == 200 and "Decline Alpha Robotics" in asked.text
    database.session.expire_all()
    assert exhibitor.status is ExhibitorStatus.REQUESTED
    response = post_form(decide, {"booth": "", "decision": "decline", "confirmed": "yes"}, overview)
    assert response.status_code == 303
    database.session.expire_all()
    assert exhibitor.status is ExhibitorStatus.DECLINED


def test_approving_without_a_booth_number_is_a_400_and_writes_nothing(
    client, world, fair, login_as, post_form
):
    exhibitor = request_booth(
        world.recruiter_a, fair.programme, world.company_a, [world.recruiter_a.id]
    )
    database.session.commit()
    login_as(world.park_admin)
    overview = f"/organise/programmes/{fair.programme_id}"
    decide = f"{overview}/exhibitors/{exhibitor.id}/decide"
    response = post_form(decide, {"booth": " ", "decision": "approve"}, overview)
    assert response.status_code == 400 and "Give the booth number" in response.text
    database.session.expire_all()
    assert exhibitor.status is ExhibitorStatus.REQUESTED and exhibitor.booth is None


def test_a_meeting_is_recorded_by_the_signed_qr_token_and_a_forged_one_finds_no_one(
    client, world, fair, booth, login_as, post_form, db
):
    ticket = registered(world.student_a1, fair, db)
    registration = database.session.get(Registration, ticket.registration_id)
    token = checkin.token_of(registration, ticket)
    other_fair = make_fair(db)
    foreign = registered(world.student_a2, other_fair, db)
    foreign_token = checkin.token_of(
        database.session.get(Registration, foreign.registration_id), foreign
    )
    login_as(world.recruiter_a)
    for bad in (token[:-6] + "AAAAAA", foreign_token, "x" * 201):
        response = post_form(booth_url(booth) + "/meetings", {"code": bad}, booth_url(booth))
        assert response.status_code in (400, 404) and count(BoothMeeting) == 0
    response = post_form(booth_url(booth) + "/meetings", {"code": token}, booth_url(booth))
    assert response.status_code == 303
    assert (
        database.session.scalar(sa.select(BoothMeeting.profile_id))
        == profile_of(world.student_a1).id
    )


def test_the_booth_page_may_use_the_camera(client, world, booth, login_as):
    login_as(world.recruiter_a)
    response = client.get(booth_url(booth))
    assert "camera=(self)" in response.headers["Permissions-Policy"].replace(" ", "")
    assert "qr-scan.js" in response.text
