"""The student's placements: what they see, confirming a record staff made, and saying it
is not right (which tells the staff who recorded it)."""

from __future__ import annotations

import pytest

from foundry.audit.models import AuditEvent
from foundry.notifications.models import Notification, OutboxEmail
from foundry.placements.models import EvaluationStage
from tests.placements import factories as pf
from tests.placements.factories import count, fresh


def test_student_sees_portal_and_recorded_placements(client, world, login_as, placement, db):
    pf.portal_placement(world.student_a1, world.company_a, role_title="Robot Vision Intern")
    pf.recorded_placement(world.student_a1_other, employer_name="Someone Else Ltd")
    db.session.commit()
    login_as(world.student_a1)
    html = client.get("/me/placements").get_data(as_text=True)
    assert "Harbour Bank" in html and "Data Analyst Intern" in html
    assert "Alpha Robotics" in html and "Robot Vision Intern" in html
    assert "Someone Else Ltd" not in html
    # The recorded one waits for the student; the portal one was confirmed by accepting.
    assert "Waiting for your confirmation" in html and "Confirmed by you" in html
    assert "Recorded by staff" in html and "Through the portal" in html
    assert "2025-06-01" in html and "2025-08-31" in html and "Yes, this is right" in html


def test_agreed_date_is_shown_in_hong_kong_time(client, world, login_as, db):
    # 2025-04-30 16:00 UTC is 1 May 00:00 in Hong Kong.
    from datetime import UTC, datetime

    pf.recorded_placement(world.student_a1, placed_at=datetime(2025, 4, 30, 16, 0, tzinfo=UTC))
    db.session.commit()
    login_as(world.student_a1)
    html = client.get("/me/placements").get_data(as_text=True)
    assert "2025-05-01" in html and "2025-04-30" not in html


def test_an_empty_list_says_how_placements_appear(client, world, login_as):
    login_as(world.student_a1)
    html = client.get("/me/placements").get_data(as_text=True)
    assert "No placements yet" in html


def test_student_confirms_a_recorded_placement(client, world, login_as, post_form, placement, db):
    login_as(world.student_a1)
    response = post_form(f"/placements/{placement.id}/confirm", form_page="/me/placements")
    assert response.status_code == 303
    confirmed_at = fresh(placement).confirmed_by_student_at
    assert confirmed_at is not None
    assert count(AuditEvent, AuditEvent.action == "placement.confirmed") == 1
    # Confirming again changes nothing.
    post_form(f"/placements/{placement.id}/confirm", form_page="/me/placements")
    assert fresh(placement).confirmed_by_student_at == confirmed_at
    assert count(AuditEvent, AuditEvent.action == "placement.confirmed") == 1


def test_confirming_without_a_csrf_token_is_refused(client, world, login_as, placement):
    login_as(world.student_a1)
    response = client.post(f"/placements/{placement.id}/confirm", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert fresh(placement).confirmed_by_student_at is None


@pytest.mark.parametrize(
    "who",
    [
        "student_a1_other",
        "student_b1",
        "dean_a1",
        "coordinator_a",
        "park_admin",
        "recruiter_a",
    ],
)
def test_only_the_student_confirms(client, world, login_as, post_form, placement, who):
    """Staff record; only the student can confirm (by URL tampering too)."""
    login_as(getattr(world, who))
    response = post_form(f"/placements/{placement.id}/confirm", form_page="/postings")
    assert response.status_code == 403
    assert fresh(placement).confirmed_by_student_at is None
    assert count(AuditEvent, AuditEvent.action == "placement.confirmed") == 0


def test_anonymous_visitors_are_sent_to_sign_in(client, placement):
    response = client.get("/me/placements")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_staff_have_no_my_placements_page(client, world, login_as):
    login_as(world.dean_a1)
    assert client.get("/me/placements").status_code == 403


def test_confirming_an_unknown_placement_is_404(client, world, login_as, post_form):
    login_as(world.student_a1)
    assert post_form("/placements/999999/confirm", form_page="/postings").status_code == 404


def _dispute(client, post_prefixed, placement, reason):
    return post_prefixed(
        f"/placements/{placement.id}/dispute",
        {"reason": reason},
        "/me/placements",
        prefix=f"p{placement.id}",
    )


def test_this_is_not_right_tells_the_staff_who_recorded_it(
    client, world, login_as, post_prefixed, placement, db
):
    placement.confirmed_by_student_at = None
    login_as(world.student_a1)
    response = _dispute(client, post_prefixed, placement, "I worked there in 2024, not 2025.")
    assert response.status_code == 303
    [note] = db.session.scalars(db.select(Notification)).all()
    assert note.user_id == world.dean_a1.id and note.kind == "placement.disputed"
    assert "I worked there in 2024, not 2025." in note.body
    assert note.link == f"/placements/{placement.id}"
    assert db.session.scalar(db.select(OutboxEmail.to_address)) == world.dean_a1.email
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="placement.disputed"))
    assert event.details["reason"] == "I worked there in 2024, not 2025."
    # Both sides see the objection until it is answered.
    assert "I worked there in 2024" in client.get("/me/placements").get_data(as_text=True)
    login_as(world.dean_a1)
    html = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "The student says this is not right" in html and "I worked there in 2024" in html


def test_saying_a_confirmed_record_is_wrong_withdraws_the_confirmation(
    client, world, login_as, post_prefixed, db
):
    from foundry.db import utcnow

    placement = pf.recorded_placement(
        world.student_a1, world.dean_a1, confirmed_by_student_at=utcnow()
    )
    db.session.commit()
    login_as(world.student_a1)
    assert _dispute(client, post_prefixed, placement, "The end date is wrong.").status_code == 303
    assert fresh(placement).confirmed_by_student_at is None


def test_when_the_recorder_left_the_faculty_its_staff_are_told(
    client, world, login_as, post_prefixed, db
):
    """The recorder is no longer staff of the student's faculty: the faculty's staff hear."""
    placement = pf.recorded_placement(world.student_a1, world.dean_b1)
    db.session.commit()
    login_as(world.student_a1)
    assert _dispute(client, post_prefixed, placement, "Not my placement.").status_code == 303
    told = set(db.session.scalars(db.select(Notification.user_id)))
    assert told == {world.dean_a1.id}


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Say briefly what is not right."), ("x" * 1001, "Keep it to 1,000 characters.")],
)
def test_this_is_not_right_needs_a_short_reason(
    client, world, login_as, post_prefixed, placement, reason, message
):
    login_as(world.student_a1)
    response = _dispute(client, post_prefixed, placement, reason)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(Notification) == 0
    assert count(AuditEvent, AuditEvent.action == "placement.disputed") == 0


def test_a_portal_placement_cannot_be_disputed_here(client, world, login_as, post_prefixed, db):
    placement = pf.portal_placement(world.student_a1, world.company_a)
    db.session.commit()
    login_as(world.student_a1)
    response = _dispute(client, post_prefixed, placement, "Wrong")
    assert response.status_code == 409
    assert count(Notification) == 0


@pytest.mark.parametrize("who", ["student_a1_other", "dean_a1", "recruiter_a"])
def test_only_the_student_disputes(client, world, login_as, post_prefixed, placement, who):
    login_as(getattr(world, who))
    response = post_prefixed(
        f"/placements/{placement.id}/dispute",
        {"reason": "x"},
        "/postings",
        prefix=f"p{placement.id}",
    )
    assert response.status_code == 403
    assert count(Notification) == 0


def test_student_sees_that_an_evaluation_was_sent_but_not_its_ratings(
    client, world, login_as, placement, db
):
    from foundry.db import utcnow

    pf.evaluation(
        placement,
        EvaluationStage.MID_TERM,
        submitted_at=utcnow(),
        rating_overall=2,
        rating_technical=3,
        rating_professional=4,
        rating_communication=5,
        strengths="Quick learner with SQL",
        improvements="Speak up in meetings",
        would_host_again=True,
    )
    db.session.commit()
    login_as(world.student_a1)
    html = client.get("/me/placements").get_data(as_text=True)
    assert "Your supervisor sent the mid-term evaluation on" in html
    assert "Quick learner" not in html and "Speak up" not in html and "/ 5" not in html
