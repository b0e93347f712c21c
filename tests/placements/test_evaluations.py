"""Supervisors' evaluations: staff ask by e-mail, the supervisor answers once by a
single-use link without an account; re-issue, withdrawal, expiry and replays."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from foundry.audit.models import AuditEvent
from foundry.crypto import token_hash
from foundry.db import utcnow
from foundry.notifications.models import Notification, OutboxEmail
from foundry.placements.models import EvaluationStage, PlacementEvaluation
from tests.conftest import csrf_from
from tests.placements import factories as pf
from tests.placements.factories import count, fresh

LINK = re.compile(r"https?://\S+/evaluations/([A-Za-z0-9_\-]+)")
REFUSED = [
    "officer_a2",
    "dean_b1",
    "coordinator_b",
    "recruiter_a",
    "company_admin_a",
    "student_a1_other",
    "student_a1",
]
ANSWERS = {
    "rating_overall": "4",
    "rating_technical": "5",
    "rating_professional": "4",
    "rating_communication": "3",
    "strengths": "Writes clean SQL and asks good questions.",
    "improvements": "Speak up earlier when blocked.",
    "would_host_again": "yes",
}


def _ask(post_prefixed, placement, stage="mid_term", **changes):
    data = {"supervisor_name": "Mary Chan", "supervisor_email": "Mary.Chan@HarbourBank.hk"}
    data.update(changes)
    return post_prefixed(
        f"/placements/{placement.id}/evaluations/{stage}",
        data,
        f"/placements/{placement.id}",
        prefix=stage,
    )


def _links(db) -> list[str]:
    db.session.expire_all()
    bodies = db.session.scalars(db.select(OutboxEmail.body_text).order_by(OutboxEmail.id))
    return [LINK.search(body).group(1) for body in bodies]


def _answer(client, raw, data=None):
    token = csrf_from(client.get("/postings"))  # the session's token, whatever the link
    return client.post(f"/evaluations/{raw}", data={"csrf_token": token, **(data or ANSWERS)})


# --- staff ask ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["dean_a1", "coordinator_a", "park_admin"])
def test_staff_ask_the_supervisor_who_gets_a_link_by_email(
    client, world, login_as, post_prefixed, placement, db, who
):
    staff = getattr(world, who)
    login_as(staff)
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert 'value="mary.chan@harbourbank.hk"' in page  # prefilled from the placement
    assert _ask(post_prefixed, placement).status_code == 303
    evaluation = db.session.scalar(db.select(PlacementEvaluation))
    assert evaluation.stage is EvaluationStage.MID_TERM
    assert evaluation.supervisor_email == "mary.chan@harbourbank.hk"
    assert evaluation.requested_by_id == staff.id and evaluation.submitted_at is None
    lifetime = evaluation.expires_at - evaluation.requested_at
    assert lifetime == timedelta(days=30)
    [email] = db.session.scalars(db.select(OutboxEmail)).all()
    assert email.to_address == "mary.chan@harbourbank.hk"
    assert world.student_a1.display_name in email.subject
    assert "Dear Mary Chan," in email.body_text and "Harbour Bank" in email.body_text
    [raw] = _links(db)
    assert evaluation.token_hash == token_hash(raw)  # only the hash is kept
    assert raw not in str(
        db.session.scalar(db.select(AuditEvent.details).filter_by(action="evaluation.requested"))
    )
    # The supervisor follows the link without signing in.
    client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/postings"))})
    form = client.get(f"/evaluations/{raw}")
    html = form.get_data(as_text=True)
    assert form.status_code == 200
    assert world.student_a1.display_name in html and "Harbour Bank" in html
    assert "Mid-term evaluation" in html and "2025-06-01" in html and "2025-08-31" in html


def test_asking_again_before_an_answer_reissues_the_link(
    client, world, login_as, post_prefixed, placement, db
):
    login_as(world.dean_a1)
    assert _ask(post_prefixed, placement).status_code == 303
    assert _ask(post_prefixed, placement, supervisor_email="boss@harbourbank.hk").status_code == 303
    [evaluation] = db.session.scalars(db.select(PlacementEvaluation)).all()
    old, new = _links(db)
    assert evaluation.token_hash == token_hash(new)
    assert evaluation.supervisor_email == "boss@harbourbank.hk"
    assert client.get(f"/evaluations/{old}").status_code == 404  # the old link is dead
    assert _answer(client, old).status_code == 404
    assert client.get(f"/evaluations/{new}").status_code == 200
    assert count(AuditEvent, AuditEvent.action == "evaluation.reissued") == 1


def test_a_withdrawn_request_can_be_asked_again(
    client, world, login_as, post_prefixed, placement, db
):
    evaluation, old = pf.evaluation(placement, revoked_at=utcnow())
    db.session.commit()
    login_as(world.dean_a1)
    assert _ask(post_prefixed, placement).status_code == 303
    row = fresh(evaluation)
    assert row.revoked_at is None and row.expires_at > utcnow() + timedelta(days=29)
    [new] = _links(db)
    assert client.get(f"/evaluations/{new}").status_code == 200


def test_an_answered_stage_cannot_be_asked_again(
    client, world, login_as, post_prefixed, placement, db
):
    evaluation, raw = pf.evaluation(
        placement,
        submitted_at=utcnow(),
        rating_overall=4,
        rating_technical=4,
        rating_professional=4,
        rating_communication=4,
        would_host_again=True,
    )
    db.session.commit()
    login_as(world.dean_a1)
    response = _ask(post_prefixed, placement)
    assert response.status_code == 409
    assert "already answered the mid-term evaluation" in response.get_data(as_text=True)
    assert fresh(evaluation).token_hash == token_hash(raw)
    assert count(OutboxEmail) == 0
    # The final evaluation is a stage of its own.
    assert _ask(post_prefixed, placement, stage="final").status_code == 303
    assert count(PlacementEvaluation) == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"supervisor_name": ""}, "Give the supervisor&#39;s name."),
        ({"supervisor_email": ""}, "Give the supervisor&#39;s e-mail address."),
        ({"supervisor_email": "mary at bank"}, "Enter an e-mail address such as"),
        ({"supervisor_name": "x" * 121}, "Keep the supervisor&#39;s name to 120 characters."),
    ],
)
def test_bad_requests_are_refused(
    client, world, login_as, post_prefixed, placement, changes, message
):
    login_as(world.dean_a1)
    response = _ask(post_prefixed, placement, **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(PlacementEvaluation) == 0 and count(OutboxEmail) == 0


def test_an_unknown_stage_is_404(client, world, login_as, post_prefixed, placement):
    login_as(world.dean_a1)
    assert _ask(post_prefixed, placement, stage="halfway").status_code == 404
    assert count(PlacementEvaluation) == 0


@pytest.mark.parametrize("who", REFUSED)
def test_others_cannot_ask_or_withdraw(client, world, login_as, post_prefixed, placement, db, who):
    evaluation, raw = pf.evaluation(placement, EvaluationStage.FINAL)
    db.session.commit()
    login_as(getattr(world, who))
    response = post_prefixed(
        f"/placements/{placement.id}/evaluations/mid_term",
        {"supervisor_name": "X", "supervisor_email": "x@example.org"},
        "/postings",
        prefix="mid_term",
    )
    assert response.status_code == 403
    revoke = post_prefixed(f"/placements/evaluations/{evaluation.id}/revoke", {}, "/postings")
    assert revoke.status_code == 403
    assert count(PlacementEvaluation) == 1 and count(OutboxEmail) == 0
    assert fresh(evaluation).revoked_at is None


def test_staff_withdraw_a_pending_request(client, world, login_as, post_prefixed, placement, db):
    evaluation, raw = pf.evaluation(placement)
    db.session.commit()
    login_as(world.coordinator_a)
    url = f"/placements/evaluations/{evaluation.id}/revoke"
    assert (
        post_prefixed(url, {"confirmed": "yes"}, f"/placements/{placement.id}").status_code == 303
    )
    assert fresh(evaluation).revoked_at is not None
    assert count(AuditEvent, AuditEvent.action == "evaluation.revoked") == 1
    response = client.get(f"/evaluations/{raw}")
    assert response.status_code == 410
    assert "This link was withdrawn" in response.get_data(as_text=True)
    # Withdrawing twice is refused clearly.
    assert (
        post_prefixed(url, {"confirmed": "yes"}, f"/placements/{placement.id}").status_code == 409
    )


# --- the supervisor answers -------------------------------------------------------------------


def test_the_supervisor_answers_once_and_staff_read_the_answers(
    client, world, login_as, placement, db
):
    evaluation, raw = pf.evaluation(placement, requested_by_id=world.dean_a1.id)
    db.session.commit()
    response = _answer(client, raw)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/evaluations/{raw}")
    row = fresh(evaluation)
    assert row.submitted_at is not None
    assert (
        row.rating_overall,
        row.rating_technical,
        row.rating_professional,
        row.rating_communication,
    ) == (4, 5, 4, 3)
    assert row.strengths == "Writes clean SQL and asks good questions."
    assert row.improvements == "Speak up earlier when blocked." and row.would_host_again is True
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="evaluation.submitted"))
    assert event.actor_id is None and event.details["stage"] == "mid_term"
    note = db.session.scalar(db.select(Notification))
    assert note.user_id == world.dean_a1.id and note.link == f"/placements/{placement.id}"
    thanks = client.get(f"/evaluations/{raw}").get_data(as_text=True)
    assert "Already answered — thank you" in thanks and "Writes clean SQL" not in thanks
    login_as(world.dean_a1)
    html = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "Writes clean SQL and asks good questions." in html and "Speak up earlier" in html
    assert "<strong>5</strong> / 5" in html


def test_a_second_submit_is_refused_and_changes_nothing(client, world, placement, db):
    evaluation, raw = pf.evaluation(placement)
    db.session.commit()
    page = client.get(f"/evaluations/{raw}")
    csrf = csrf_from(page)
    assert (
        client.post(f"/evaluations/{raw}", data={"csrf_token": csrf, **ANSWERS}).status_code == 303
    )
    first = fresh(evaluation)
    replay = client.post(
        f"/evaluations/{raw}",
        data={"csrf_token": csrf, **ANSWERS, "rating_overall": "1", "strengths": "Changed"},
    )
    assert replay.status_code == 409
    assert "Already answered — thank you" in replay.get_data(as_text=True)
    row = fresh(evaluation)
    assert (row.rating_overall, row.strengths, row.submitted_at) == (
        4,
        first.strengths,
        first.submitted_at,
    )
    assert count(AuditEvent, AuditEvent.action == "evaluation.submitted") == 1


def test_a_replay_after_expiry_is_gone(client, world, placement, db):
    evaluation, raw = pf.evaluation(placement)
    db.session.commit()
    csrf = csrf_from(client.get(f"/evaluations/{raw}"))
    evaluation.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post(f"/evaluations/{raw}", data={"csrf_token": csrf, **ANSWERS})
    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)
    assert fresh(evaluation).submitted_at is None
    assert client.get(f"/evaluations/{raw}").status_code == 410


def test_an_evaluation_expiring_between_page_and_submit_is_not_written(placement, db, app):
    """The conditional UPDATE itself refuses an expired link, whatever the page checked."""
    from foundry.placements.evaluations import Answers, submit_evaluation

    evaluation, raw = pf.evaluation(placement, expires_at=utcnow() - timedelta(seconds=1))
    answers = Answers(4, 4, 4, 4, None, None, True)
    assert submit_evaluation(evaluation, raw, answers) is False
    assert submit_evaluation(evaluation, "wrong-token", answers) is False
    assert fresh(evaluation).submitted_at is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_link_is_404(client, placement, method):
    if method == "get":
        response = client.get("/evaluations/not-a-real-token")
    else:
        response = _answer(client, "not-a-real-token")
    assert response.status_code == 404
    assert "This evaluation link is not valid" in response.get_data(as_text=True)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/evaluations/" + "a" * 300).status_code == 404


def test_the_link_pages_keep_the_token_out_of_referrers_and_caches(client, placement, db):
    evaluation, raw = pf.evaluation(placement)
    revoked, revoked_raw = pf.evaluation(placement, EvaluationStage.FINAL, revoked_at=utcnow())
    db.session.commit()
    for url in (f"/evaluations/{raw}", f"/evaluations/{revoked_raw}", "/evaluations/unknown"):
        response = client.get(url)
        assert response.headers["Referrer-Policy"] == "no-referrer", url
        assert "no-store" in response.headers["Cache-Control"], url
    submitted = _answer(client, raw)
    assert submitted.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in submitted.headers["Cache-Control"]


def test_the_form_groups_each_rating_under_its_legend(client, placement, db):
    evaluation, raw = pf.evaluation(placement)
    db.session.commit()
    html = client.get(f"/evaluations/{raw}").get_data(as_text=True)
    for legend in (
        "Overall performance",
        "Technical skills",
        "Professional conduct",
        "Communication",
    ):
        assert re.search(rf"<fieldset[^>]*>\s*<legend[^>]*>{legend}", html), legend
    assert html.count('type="radio"') == 4 * 5 + 2
    assert html.count('<label class="btn btn-outline-primary') == 20


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rating_overall": ""}, "Choose a rating from 1 to 5."),
        ({"rating_technical": "6"}, "Choose a rating from 1 to 5."),
        ({"rating_communication": "0"}, "Choose a rating from 1 to 5."),
        ({"rating_professional": "four"}, "Choose a rating from 1 to 5."),
        ({"would_host_again": ""}, "Answer yes or no."),
        ({"would_host_again": "maybe"}, "Answer yes or no."),
        ({"strengths": "x" * 2001}, "Keep each answer to 2,000 characters."),
        ({"improvements": "x" * 2001}, "Keep each answer to 2,000 characters."),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(client, placement, db, changes, message):
    evaluation, raw = pf.evaluation(placement)
    db.session.commit()
    response = _answer(client, raw, {**ANSWERS, **changes})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert fresh(evaluation).submitted_at is None
    assert client.get(f"/evaluations/{raw}").status_code == 200  # still usable


def test_a_forged_csrf_token_writes_nothing(client, placement, db):
    evaluation, raw = pf.evaluation(placement)
    db.session.commit()
    client.get(f"/evaluations/{raw}")
    response = client.post(f"/evaluations/{raw}", data={"csrf_token": "forged", **ANSWERS})
    assert response.status_code == 400
    assert fresh(evaluation).submitted_at is None


def test_the_supervisors_email_goes_out_over_smtp_with_a_working_link(
    client, world, login_as, post_prefixed, placement, db, app
):
    """One real SMTP conversation: the e-mail the request queued reaches the supervisor."""
    from foundry.notifications.sender import send_due_emails
    from tests.notifications.smtp_server import Inbox, start_server

    inbox = Inbox()
    controller = start_server(inbox)
    try:
        login_as(world.dean_a1)
        assert _ask(post_prefixed, placement, stage="final").status_code == 303
        config = {
            **app.config,
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": controller.port,
        }
        report = send_due_emails(config, now=utcnow() + timedelta(minutes=1))
    finally:
        controller.stop()
    assert report.sent == 1
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["mary.chan@harbourbank.hk"]
    [message] = inbox.messages()
    assert "Final evaluation" in message["Subject"] or "final evaluation" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    raw = LINK.search(text).group(1)
    client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/postings"))})
    assert _answer(client, raw).status_code == 303
    assert fresh(db.session.scalar(db.select(PlacementEvaluation))).submitted_at is not None
