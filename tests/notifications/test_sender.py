"""The outbox sender against a real SMTP server: what arrives, retries, giving up, and the
change that queued an e-mail surviving a mail server that is down."""

from __future__ import annotations

import ssl
from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.applications.models import Application, ApplicationStatus
from foundry.db import utcnow
from foundry.notifications.models import EmailStatus, OutboxEmail
from foundry.notifications.sender import retry_delay, send_due_emails
from foundry.notifications.services import notify, queue_email
from tests.factories import ApplicationFactory, PostingFactory, profile_of
from tests.notifications.smtp_server import (
    Inbox,
    free_port,
    password_checker,
    self_signed_certificate,
    start_server,
)

# The sender's clock in these tests: after every e-mail a test queues is due.
NOW = (utcnow() + timedelta(days=1)).replace(microsecond=0)


@pytest.fixture
def inbox():
    """An SMTP server on 127.0.0.1 that keeps what it receives."""
    inbox = Inbox()
    controller = start_server(inbox)
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_config(app, inbox):
    """The app's configuration pointed at the test server (a copy: the app is shared)."""
    return {
        **app.config,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": inbox.port,
    }


@pytest.fixture
def down_config(app):
    """The app's configuration pointed at a port where no mail server listens."""
    return {
        **app.config,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": free_port(),
    }


def outbox(db) -> list[OutboxEmail]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)))


def test_a_notification_arrives_as_an_email_with_its_headers_and_text(
    db, world, smtp_config, inbox
):
    student = world.student_a1
    notify(
        student,
        "application.moved",
        "/me",
        title="Alpha",
        status=ApplicationStatus.SHORTLISTED,
        message="Alpha liked your CV.",
    )
    db.session.commit()

    report = send_due_emails(smtp_config, now=NOW)

    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == [student.email]
    [message] = inbox.messages()
    assert message["From"] == "Talent Foundry <no-reply@talentfoundry.hk>"
    assert message["To"] == student.email
    assert message["Subject"] == "Your application to “Alpha”: Shortlisted"
    assert message["Date"].datetime == NOW
    assert message["Message-ID"].endswith("@talentfoundry.hk>")
    text = message.get_body(("plain",)).get_content()
    assert f"Dear {student.display_name}," in text
    assert "Alpha liked your CV." in text and "/me" in text
    [row] = outbox(db)
    assert (row.status, row.sent_at, row.attempts) == (EmailStatus.SENT, NOW, 1)


def test_an_interview_invitation_arrives_as_a_calendar_attachment(db, world, smtp_config, inbox):
    invitation = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    notify(
        world.student_a1,
        "application.interview_chosen.student",
        attachment=("interview.ics", "text/calendar; method=REQUEST", invitation),
        title="Alpha",
        when=NOW,
        minutes=30,
        place="See you there.",
    )
    db.session.commit()

    send_due_emails(smtp_config, now=NOW)

    [message] = inbox.messages()
    assert "See you there." in message.get_body(("plain",)).get_content()
    [attachment] = message.iter_attachments()
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_filename() == "interview.ics"
    assert attachment.get_payload(decode=True) == invitation


def test_a_line_break_in_a_title_never_reaches_a_header(db, world, smtp_config, inbox):
    queue_email(world.student_a1.email, "Offer\r\nBcc: victim@example.org", "Body")
    db.session.commit()

    send_due_emails(smtp_config, now=NOW)

    [message] = inbox.messages()
    assert message["Subject"] == "Offer Bcc: victim@example.org"
    assert message["Bcc"] is None
    assert inbox.envelopes[0].rcpt_tos == [world.student_a1.email]


def test_emails_go_oldest_first_a_batch_at_a_time(db, smtp_config, inbox):
    for n in range(3):
        queue_email(f"person{n}@example.org", f"Message {n}", "Hello")
    db.session.commit()

    first = send_due_emails(smtp_config, now=NOW, batch=2)
    assert first.sent == 2
    assert [m["Subject"] for m in inbox.messages()] == ["Message 0", "Message 1"]
    assert [row.status for row in outbox(db)] == [
        EmailStatus.SENT,
        EmailStatus.SENT,
        EmailStatus.PENDING,
    ]

    assert send_due_emails(smtp_config, now=NOW, batch=2).sent == 1
    assert send_due_emails(smtp_config, now=NOW, batch=2).attempted == 0
    assert len(inbox.envelopes) == 3


def test_an_email_not_yet_due_waits(db, smtp_config, inbox):
    queue_email("later@example.org", "Later", "Hello").next_attempt_at = NOW + timedelta(minutes=5)
    db.session.commit()

    assert send_due_emails(smtp_config, now=NOW).attempted == 0
    assert send_due_emails(smtp_config, now=NOW + timedelta(minutes=5)).sent == 1


def test_a_server_that_is_down_schedules_a_retry_and_a_later_run_sends(
    db, down_config, smtp_config, inbox
):
    queue_email("someone@example.org", "Hello", "Body")
    db.session.commit()

    report = send_due_emails(down_config, now=NOW)

    assert (report.sent, report.retrying) == (0, 1)
    [row] = outbox(db)
    assert row.status is EmailStatus.PENDING
    assert row.attempts == 1
    assert row.next_attempt_at == NOW + timedelta(minutes=1)
    assert "ConnectionRefusedError" in row.last_error
    assert send_due_emails(smtp_config, now=NOW + timedelta(seconds=30)).attempted == 0

    report = send_due_emails(smtp_config, now=NOW + timedelta(minutes=1))

    assert report.sent == 1
    [row] = outbox(db)
    assert (row.status, row.attempts) == (EmailStatus.SENT, 2)
    assert inbox.messages()[0]["Subject"] == "Hello"


def test_retries_back_off_exponentially_then_give_up(db, app, down_config, smtp_config, inbox):
    assert app.config["MAIL_MAX_ATTEMPTS"] == 6
    queue_email("someone@example.org", "Hello", "Body")
    db.session.commit()
    moment, waits = NOW, []

    for _ in range(6):
        send_due_emails(down_config, now=moment)
        [row] = outbox(db)
        if row.status is EmailStatus.PENDING:
            waits.append(row.next_attempt_at - moment)
            moment = row.next_attempt_at

    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert (row.status, row.attempts) == (EmailStatus.FAILED, 6)
    # A failed e-mail stays failed, even once the server is back.
    assert send_due_emails(smtp_config, now=moment + timedelta(days=1)).attempted == 0
    assert inbox.envelopes == []


def test_the_wait_between_retries_is_at_most_an_hour():
    assert retry_delay(7) == timedelta(minutes=60)
    assert retry_delay(500) == timedelta(hours=1)


def test_a_refused_recipient_fails_at_once_and_the_others_are_still_sent(db, smtp_config, inbox):
    inbox.refuse["gone@example.org"] = "550 5.1.1 No such user"
    inbox.refuse["busy@example.org"] = "451 4.3.0 Try again later"
    for address in ("gone@example.org", "busy@example.org", "here@example.org"):
        queue_email(address, "Hello", "Body")
    db.session.commit()

    report = send_due_emails(smtp_config, now=NOW)

    assert (report.sent, report.retrying, report.failed) == (1, 1, 1)
    gone, busy, here = outbox(db)
    assert (gone.status, gone.attempts) == (EmailStatus.FAILED, 1)
    assert "550" in gone.last_error and "No such user" in gone.last_error
    assert (busy.status, busy.next_attempt_at) == (EmailStatus.PENDING, NOW + timedelta(minutes=1))
    assert here.status is EmailStatus.SENT
    assert [e.rcpt_tos for e in inbox.envelopes] == [["here@example.org"]]


def test_an_address_that_cannot_be_a_header_fails_without_contacting_the_server(
    db, smtp_config, inbox
):
    queue_email("a@example.org\nBcc: b@example.org", "Hello", "Body")
    db.session.commit()

    assert send_due_emails(smtp_config, now=NOW).failed == 1
    [row] = outbox(db)
    assert row.status is EmailStatus.FAILED and "cannot build the message" in row.last_error
    assert inbox.envelopes == []


def test_a_status_change_commits_while_the_mail_server_is_down_and_its_email_follows_later(
    db, world, down_config, smtp_config, inbox
):
    application = ApplicationFactory(
        posting=PostingFactory(company=world.company_a), profile=profile_of(world.student_a1)
    )
    db.session.commit()
    # What a route does: change the status, notify, commit once.
    application.status = ApplicationStatus.SHORTLISTED
    notify(
        world.student_a1, "application.moved", title="Alpha", status=ApplicationStatus.SHORTLISTED
    )
    db.session.commit()

    assert send_due_emails(down_config, now=NOW).retrying == 1

    db.session.expire_all()
    assert db.session.get(Application, application.id).status is ApplicationStatus.SHORTLISTED
    assert outbox(db)[0].status is EmailStatus.PENDING
    assert send_due_emails(smtp_config, now=NOW + timedelta(minutes=1)).sent == 1
    assert inbox.messages()[0]["Subject"] == "Your application to “Alpha”: Shortlisted"


def test_starttls_and_a_password_are_used_when_configured(db, app, tmp_path, world):
    certificate, key = self_signed_certificate(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(certificate, key)
    inbox = Inbox()
    controller = start_server(
        inbox,
        tls_context=tls,
        require_starttls=True,
        authenticator=password_checker(inbox, "foundry", "s3cret"),
        auth_require_tls=True,
    )
    config = {
        **app.config,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": controller.port,
        "MAIL_USE_TLS": True,
        "MAIL_CA_FILE": str(certificate),
        "MAIL_USERNAME": "foundry",
    }
    try:
        queue_email(world.student_a1.email, "Over TLS", "Body")
        db.session.commit()

        wrong = send_due_emails({**config, "MAIL_PASSWORD": "wrong"}, now=NOW)
        assert wrong.retrying == 1
        assert "SMTPAuthenticationError" in outbox(db)[0].last_error

        right = send_due_emails(
            {**config, "MAIL_PASSWORD": "s3cret"}, now=NOW + timedelta(minutes=1)
        )
        assert right.sent == 1
    finally:
        controller.stop()
    assert inbox.messages()[0]["Subject"] == "Over TLS"
    assert inbox.logins[-1][1] == "foundry"


def test_the_console_backend_writes_the_email_to_the_log(db, app, world, caplog):
    assert app.config["MAIL_BACKEND"] == "console"
    notify(
        world.student_a1,
        "application.interview_chosen.student",
        attachment=("interview.ics", "text/calendar; method=REQUEST", b"BEGIN:VCALENDAR"),
        title="Alpha",
        when=NOW,
        minutes=30,
        place="Bring your CV.",
    )
    db.session.commit()

    with caplog.at_level("INFO", logger="foundry.mail"):
        assert send_due_emails(app, now=NOW).sent == 1

    assert "Subject: Your interview for “Alpha”" in caplog.text
    assert "Bring your CV." in caplog.text
    assert "interview.ics (text/calendar" in caplog.text
    assert outbox(db)[0].status is EmailStatus.SENT


def test_an_email_locked_by_another_sender_is_skipped_not_sent_twice(db, app, smtp_config, inbox):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("FOR UPDATE SKIP LOCKED is a PostgreSQL feature; SQLite has one writer")
    first = queue_email("first@example.org", "First", "Body")
    queue_email("second@example.org", "Second", "Body")
    db.session.commit()
    first_id = first.id

    # Another sender holds the first e-mail while it talks to the mail server.
    with db.engine.connect() as other_sender:
        other_sender.execute(
            sa.select(OutboxEmail.id).where(OutboxEmail.id == first_id).with_for_update()
        )
        report = send_due_emails(smtp_config, now=NOW)
        other_sender.rollback()

    assert report.sent == 1
    assert [m["Subject"] for m in inbox.messages()] == ["Second"]
    assert outbox(db)[0].status is EmailStatus.PENDING
