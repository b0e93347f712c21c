"""Moving applicants from the pipeline board: the board's script asks for JSON, the cards'
forms (no JavaScript) get redirects; both go through the same service and state machine."""

from __future__ import annotations

import re

import pytest

from foundry.applications.models import ApplicationEvent, ApplicationStatus
from foundry.audit.models import AuditEvent
from foundry.notifications.models import Notification, OutboxEmail
from tests.applications import application_of, count, posting_of

S = ApplicationStatus
JSON = {"Accept": "application/json"}


@pytest.fixture
def posting(world, db):
    posting = posting_of(world.company_a, title="Robot Vision Intern")
    db.session.commit()
    return posting


def _board(posting) -> str:
    return f"/company/{posting.company.slug}/postings/{posting.id}/pipeline"


def _move(post_form, application, posting, data, **kwargs):
    url = f"/pipeline/applications/{application.id}/move"
    return post_form(url, {"back": "board", **data}, form_page="/companies", **kwargs)


def _unchanged(db, application, status) -> None:
    db.session.refresh(application)
    assert application.status is status
    assert count(ApplicationEvent) == 0 and count(Notification) == 0 and count(OutboxEmail) == 0


def test_the_script_moves_a_card_and_gets_json_with_the_next_moves(
    client, world, login_as, post_form, posting, db
):
    application = application_of(world.student_a1, posting)
    login_as(world.recruiter_a)
    response = _move(post_form, application, posting, {"to_status": "shortlisted"}, headers=JSON)
    assert response.status_code == 200 and response.is_json
    body = response.get_json()
    assert body["ok"] is True and body["status"] == "shortlisted"
    assert world.student_a1.display_name in body["message"] and "Shortlisted" in body["message"]
    assert [m["value"] for m in body["moves"]] == ["interview", "offer", "rejected"]
    db.session.refresh(application)
    assert application.status is S.SHORTLISTED
    event = db.session.scalar(db.select(ApplicationEvent))
    assert (event.from_status, event.to_status, event.actor_id) == (
        S.SUBMITTED,
        S.SHORTLISTED,
        world.recruiter_a.id,
    )
    assert count(OutboxEmail, OutboxEmail.to_address == world.student_a1.email) == 1
    assert count(AuditEvent, AuditEvent.action == "application.moved") == 1


def test_a_cards_form_without_javascript_moves_and_returns_to_the_board(
    client, world, login_as, post_form, posting, db
):
    application = application_of(world.student_a1, posting)
    login_as(world.recruiter_a)
    response = _move(post_form, application, posting, {"to_status": "under_review"})
    assert response.status_code == 303
    assert response.location == f"{_board(posting)}#card-{application.id}"
    db.session.refresh(application)
    assert application.status is S.UNDER_REVIEW
    html = client.get(_board(posting)).get_data(as_text=True)
    assert "moved to “Under review”. The student has been told." in html


def test_the_board_shows_each_card_only_the_moves_the_state_machine_allows(
    client, world, login_as, posting, db
):
    shortlisted = application_of(world.student_a1, posting, status=S.SHORTLISTED)
    withdrawn = application_of(world.student_a2, posting, status=S.WITHDRAWN)
    login_as(world.recruiter_a)
    html = client.get(_board(posting)).get_data(as_text=True)
    card = re.search(rf'<li[^>]*id="card-{shortlisted.id}".*?</li>', html, re.S).group(0)
    assert re.findall(r'name="to_status" value="(\w+)"', card) == ["interview", "offer", "rejected"]
    assert 'name="csrf_token"' in card and 'name="back" value="board"' in card
    card = re.search(rf'<li[^>]*id="card-{withdrawn.id}".*?</li>', html, re.S).group(0)
    assert 'name="to_status"' not in card and "tf-drag-handle" not in card
    # Rejected is a column to drop on even while it is empty.
    assert 'id="col-rejected"' in html and 'src="/static/js/pipeline.js"' in html


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        (
            S.REJECTED,
            "shortlisted",
            "An application that is “Rejected” cannot move to “Shortlisted”",
        ),
        (S.SHORTLISTED, "submitted", "cannot move to “Submitted”"),
        (S.SUBMITTED, "accepted", "cannot move to “Accepted”"),
        (S.WITHDRAWN, "rejected", "The student has withdrawn this application"),
        (S.REJECTED, "interview", "cannot move to “Interview”"),
        (S.REJECTED, "offer", "cannot move to “Offer”"),
    ],
)
def test_an_illegal_move_is_refused_with_its_reason_and_nothing_changes(
    client, world, login_as, post_form, posting, db, current, target, message
):
    application = application_of(world.student_a1, posting, status=current)
    login_as(world.recruiter_a)
    data = {"to_status": target, "confirm": "y"}
    response = _move(post_form, application, posting, data, headers=JSON)
    assert response.status_code == 409 and response.is_json
    assert message in response.get_json()["message"]
    _unchanged(db, application, current)
    # The same refusal without JavaScript, as a page.
    response = _move(post_form, application, posting, data)
    assert response.status_code == 409 and message in response.get_data(as_text=True)
    _unchanged(db, application, current)


@pytest.mark.parametrize(
    ("target", "opened", "anchor"),
    [("interview", "interview", "interview-title"), ("offer", "offer", "offer-title")],
)
def test_an_interview_or_an_offer_opens_its_form_and_moves_nothing_yet(
    client, world, login_as, post_form, posting, db, target, opened, anchor
):
    application = application_of(world.student_a1, posting, status=S.SHORTLISTED)
    login_as(world.recruiter_a)
    form_url = f"/pipeline/applications/{application.id}?open={opened}#{anchor}"
    response = _move(post_form, application, posting, {"to_status": target}, headers=JSON)
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is False and body["open"] == form_url
    response = _move(post_form, application, posting, {"to_status": target})
    assert response.status_code == 303 and response.location == form_url
    _unchanged(db, application, S.SHORTLISTED)
    html = client.get(form_url).get_data(as_text=True)
    assert re.search(r"<details open>\s*<summary>(Propose interview times|Write the offer)", html)


def test_a_rejection_is_confirmed_first_then_sent_with_its_message(
    client, world, login_as, post_form, posting, db
):
    application = application_of(world.student_a1, posting, status=S.UNDER_REVIEW)
    login_as(world.recruiter_a)
    unconfirmed = _move(post_form, application, posting, {"to_status": "rejected"}, headers=JSON)
    assert unconfirmed.get_json()["open"].endswith("?open=reject#move-title")
    without_js = _move(post_form, application, posting, {"to_status": "rejected"})
    assert without_js.status_code == 303
    page = client.get(without_js.location).get_data(as_text=True)
    assert '<option value="rejected" selected>' in page and "Confirm the rejection" in page
    _unchanged(db, application, S.UNDER_REVIEW)

    data = {"to_status": "rejected", "confirm": "y", "message": "We chose others this time."}
    response = _move(post_form, application, posting, data, headers=JSON)
    assert response.status_code == 200 and response.get_json()["moves"] == []
    db.session.refresh(application)
    assert application.status is S.REJECTED
    event = db.session.scalar(db.select(ApplicationEvent))
    assert event.message == "We chose others this time."


@pytest.mark.parametrize(
    "data",
    [{"to_status": "hired"}, {}, {"to_status": "shortlisted", "back": "elsewhere"}],
    ids=["unknown-status", "no-status", "unknown-back"],
)
def test_a_bad_move_request_is_a_400_in_json(client, world, login_as, post_form, posting, db, data):
    application = application_of(world.student_a1, posting)
    login_as(world.recruiter_a)
    response = _move(post_form, application, posting, data, headers=JSON)
    assert response.status_code == 400 and response.is_json and response.get_json()["message"]
    _unchanged(db, application, S.SUBMITTED)


@pytest.mark.parametrize(
    "who",
    ["recruiter_b", "recruiter_unverified", "student_a1", "dean_a1", "coordinator_a", "park_admin"],
)
def test_who_may_not_move_a_card(client, world, login_as, post_form, posting, db, who):
    application = application_of(world.student_a1, posting)
    login_as(getattr(world, who))
    for headers in (JSON, {}):
        data = {"to_status": "shortlisted"}
        response = _move(post_form, application, posting, data, headers=headers)
        assert response.status_code == 403
        assert response.is_json == bool(headers)
    _unchanged(db, application, S.SUBMITTED)


def test_anonymous_cannot_move_a_card(client, world, post_form, posting, db):
    application = application_of(world.student_a1, posting)
    for headers in (JSON, {}):
        response = _move(
            post_form, application, posting, {"to_status": "shortlisted"}, headers=headers
        )
        assert response.status_code == 302 and "/sign-in" in response.location
    _unchanged(db, application, S.SUBMITTED)


def test_a_move_without_the_csrf_token_is_refused(client, world, login_as, posting, db):
    application = application_of(world.student_a1, posting)
    login_as(world.recruiter_a)
    url = f"/pipeline/applications/{application.id}/move"
    for headers in (JSON, {}):
        data = {"to_status": "shortlisted", "back": "board"}
        response = client.post(url, data=data, headers=headers)
        assert response.status_code == 400
        assert "Your form expired" in response.get_data(as_text=True)
    _unchanged(db, application, S.SUBMITTED)


def test_an_unknown_form_to_open_is_refused(client, world, login_as, posting):
    application = application_of(world.student_a1, posting)
    login_as(world.recruiter_a)
    assert client.get(f"/pipeline/applications/{application.id}?open=grid").status_code == 400
