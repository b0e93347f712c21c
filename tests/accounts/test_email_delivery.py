"""The verification e-mail through a real SMTP conversation, and its link used."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from foundry.accounts.models import User
from foundry.db import utcnow
from foundry.notifications.sender import send_due_emails
from tests.conftest import csrf_from
from tests.notifications.smtp_server import Inbox, start_server


def test_the_verification_email_arrives_over_smtp_and_its_link_confirms(app, client, db):
    inbox = Inbox()
    controller = start_server(inbox)
    try:
        page = client.get("/sign-up")
        client.post(
            "/sign-up",
            data={
                "display_name": "Olivia Owner",
                "email": "olivia@newco.example",
                "password": "a long enough passphrase",
                "confirm": "a long enough passphrase",
                "company_name": "NewCo",
                "cluster": "fintech",
                "park_location": "innocentre",
                "size": "1-10",
                "csrf_token": csrf_from(page),
            },
        )
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
    assert envelope.rcpt_tos == ["olivia@newco.example"]
    [message] = inbox.messages()
    assert message["Subject"] == "Confirm your e-mail address for Talent Foundry"
    text = message.get_body(("plain",)).get_content()
    assert "Dear Olivia Owner," in text
    path = re.search(r"https?://[^/\s]+(/verify-email/[A-Za-z0-9_-]+)", text).group(1)

    confirm_page = client.get(path)
    assert client.post(path, data={"csrf_token": csrf_from(confirm_page)}).status_code == 303
    db.session.expire_all()
    assert db.session.scalar(sa.select(User.email_verified_at)) is not None
