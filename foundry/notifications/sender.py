"""Sending the outbox: due OutboxEmail rows become real e-mails, and failures are retried.

Each e-mail is claimed, sent and recorded in its own short transaction. On PostgreSQL the
claim is `SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1`, so several senders (one per app
server, say) share the queue and never send one e-mail twice at the same time; the lock
is released by the commit that records the outcome, and one failure never rolls back
another e-mail's outcome. Delivery is at least once: if the process dies between the
SMTP server accepting a message and that commit, the message is sent again later.

A failed attempt is retried after 1, 2, 4, 8... minutes (at most an hour); after
MAIL_MAX_ATTEMPTS the e-mail is marked failed. A refusal that retrying cannot cure (the
server rejects the recipient or the message with a 5xx code, an address that cannot be
written into a header) fails the e-mail at once.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage, Message
from email.utils import format_datetime, make_msgid, parseaddr

import sqlalchemy as sa

from foundry.db import utcnow
from foundry.extensions import db
from foundry.notifications.models import EmailStatus, OutboxEmail

log = logging.getLogger("foundry.mail")

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
ERROR_LENGTH = 300


class PermanentFailure(Exception):
    """Retrying cannot help: the e-mail is marked failed at once."""


@dataclass(frozen=True)
class MailSettings:
    backend: str
    server: str
    port: int
    use_tls: bool
    username: str | None
    password: str | None
    ca_file: str | None
    sender: str
    max_attempts: int
    timeout: float

    @classmethod
    def from_config(cls, app_or_config) -> MailSettings:
        """Read MAIL_* from a Flask app or a config mapping (tests pass a changed copy)."""
        config: Mapping = getattr(app_or_config, "config", app_or_config)
        return cls(
            backend=config["MAIL_BACKEND"],
            server=config["MAIL_SERVER"],
            port=int(config["MAIL_PORT"]),
            use_tls=bool(config["MAIL_USE_TLS"]),
            username=config.get("MAIL_USERNAME"),
            password=config.get("MAIL_PASSWORD"),
            ca_file=config.get("MAIL_CA_FILE"),
            sender=config["MAIL_FROM"],
            max_attempts=int(config["MAIL_MAX_ATTEMPTS"]),
            timeout=float(config.get("MAIL_TIMEOUT", 15)),
        )


@dataclass
class SendReport:
    """What one run of the sender did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed

    def add(self, other: SendReport) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed

    def describe(self) -> str:
        return f"{self.sent} sent, {self.retrying} to retry later, {self.failed} failed for good."


def retry_delay(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: 1, 2, 4, 8... minutes, at most an hour."""
    return min(FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 10), LONGEST_RETRY)


# --- building the message ----------------------------------------------------------------


def build_message(email: OutboxEmail, sender: str, moment: datetime) -> EmailMessage:
    """The MIME message for an outbox row: headers, the text body and its attachment."""
    message = EmailMessage()
    try:
        message["From"] = sender
        message["To"] = email.to_address
        # A header cannot hold a line break; a title with one is folded into one line.
        message["Subject"] = " ".join(email.subject.split())
        message["Date"] = format_datetime(moment)
        message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
        message.set_content(email.body_text)
        if email.attachment is not None:
            maintype, subtype, params = _content_type(email.attachment_type)
            message.add_attachment(
                email.attachment,
                maintype=maintype,
                subtype=subtype,
                filename=email.attachment_name or "attachment",
                params=params,
            )
    except (ValueError, TypeError) as error:
        raise PermanentFailure(f"cannot build the message: {error}") from error
    return message


def _content_type(value: str | None) -> tuple[str, str, dict[str, str]]:
    """Split "text/calendar; method=REQUEST" into its type, subtype and parameters."""
    parsed = Message()
    parsed["Content-Type"] = value or "application/octet-stream"
    params = {key: val for key, val in parsed.get_params()[1:] if key != "charset"}
    return parsed.get_content_maintype(), parsed.get_content_subtype(), params


# --- transports ---------------------------------------------------------------------------


class ConsoleTransport:
    """Writes each e-mail to the log instead of sending it (development)."""

    def send(self, message: EmailMessage) -> None:
        body = message.get_body(("plain",))
        attachments = [
            f"{part.get_filename()} ({part.get_content_type()}, "
            f"{len(part.get_payload(decode=True) or b'')} bytes)"
            for part in message.iter_attachments()
        ]
        log.info(
            "E-mail (console backend, not sent)\nFrom: %s\nTo: %s\nSubject: %s\n\n%s%s",
            message["From"],
            message["To"],
            message["Subject"],
            body.get_content() if body is not None else "",
            "".join(f"\n[attachment: {a}]" for a in attachments),
        )

    def close(self) -> None:
        """Nothing to close."""


class SmtpTransport:
    """One SMTP connection reused for a run, opened on first use and after an error."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        try:
            self._connection().send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            self.close()
            codes = [code for code, _text in error.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise PermanentFailure(_smtp_refusal(error)) from error
            raise
        except smtplib.SMTPDataError as error:
            self.close()
            if error.smtp_code >= 500:
                raise PermanentFailure(_smtp_refusal(error)) from error
            raise
        except Exception:
            self.close()
            raise

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            s = self.settings
            smtp = smtplib.SMTP(s.server, s.port, timeout=s.timeout)
            try:
                if s.use_tls:
                    smtp.starttls(context=ssl.create_default_context(cafile=s.ca_file))
                if s.username:
                    smtp.login(s.username, s.password or "")
            except Exception:
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp

    def close(self) -> None:
        if self._smtp is None:
            return
        smtp, self._smtp = self._smtp, None
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def _smtp_refusal(error: smtplib.SMTPException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {_text(text)}" for address, (code, text) in error.recipients.items()
        )
    return f"{error.smtp_code} {_text(error.smtp_error)}"


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def transport_for(settings: MailSettings) -> ConsoleTransport | SmtpTransport:
    if settings.backend == "smtp":
        return SmtpTransport(settings)
    if settings.backend == "console":
        return ConsoleTransport()
    raise ValueError(f"unknown MAIL_BACKEND {settings.backend!r}")


# --- the sender ------------------------------------------------------------------------------


def send_due_emails(
    app_or_config,
    now: datetime | None = None,
    batch: int = 50,
    *,
    stop: Callable[[], bool] | None = None,
) -> SendReport:
    """Send up to `batch` due e-mails, oldest first, committing each outcome on its own.

    Needs an application context. `now` fixes the clock (tests); `stop` is asked before
    each e-mail whether to end early (a worker told to shut down).
    """
    settings = MailSettings.from_config(app_or_config)
    clock = (lambda: now) if now is not None else utcnow
    report = SendReport()
    transport = transport_for(settings)
    try:
        for _ in range(batch):
            if stop is not None and stop():
                break
            email = _claim_next_due(clock())
            if email is None:
                break
            _deliver(email, transport, settings, clock(), report)
            db.session.commit()
        db.session.commit()  # ends the transaction that found the queue empty
    except BaseException:
        db.session.rollback()
        raise
    finally:
        transport.close()
    return report


def send_all_due(
    app_or_config, batch: int = 50, *, stop: Callable[[], bool] | None = None
) -> SendReport:
    """Send batches until nothing is due (or `stop` says so)."""
    total = SendReport()
    while True:
        report = send_due_emails(app_or_config, batch=batch, stop=stop)
        total.add(report)
        if report.attempted < batch or (stop is not None and stop()):
            return total


def run_sender_loop(
    app_or_config, interval: float, batch: int, stop_event: threading.Event
) -> SendReport:
    """Send what is due every `interval` seconds until `stop_event` is set."""
    total = SendReport()
    while not stop_event.is_set():
        try:
            report = send_all_due(app_or_config, batch=batch, stop=stop_event.is_set)
        except sa.exc.OperationalError:
            # The database is unreachable for now; the e-mails wait in it, so try again.
            log.exception("Outbox: the database is unavailable; trying again in %g s", interval)
        else:
            if report.attempted:
                log.info("Outbox: %s", report.describe())
            total.add(report)
        stop_event.wait(interval)
    return total


def _claim_next_due(now: datetime) -> OutboxEmail | None:
    stmt = (
        sa.select(OutboxEmail)
        .where(OutboxEmail.status == EmailStatus.PENDING, OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(stmt).first()


def _deliver(
    email: OutboxEmail,
    transport: ConsoleTransport | SmtpTransport,
    settings: MailSettings,
    moment: datetime,
    report: SendReport,
) -> None:
    email.attempts += 1
    try:
        transport.send(build_message(email, settings.sender, moment))
    except PermanentFailure as error:
        _record_failure(email, str(error), moment, give_up=True)
    except Exception as error:  # one e-mail's failure, whatever it is, must not stop the rest
        if not isinstance(error, smtplib.SMTPException | OSError):
            log.exception("Unexpected error sending e-mail %s", email.id)
        give_up = email.attempts >= settings.max_attempts
        _record_failure(email, f"{type(error).__name__}: {error}", moment, give_up=give_up)
    else:
        email.status = EmailStatus.SENT
        email.sent_at = moment
        report.sent += 1
        log.info("Sent e-mail %s to %s", email.id, email.to_address)
        return
    if email.status is EmailStatus.FAILED:
        report.failed += 1
        log.error("Gave up on e-mail %s to %s: %s", email.id, email.to_address, email.last_error)
    else:
        report.retrying += 1
        log.warning(
            "E-mail %s to %s failed (attempt %d), retrying at %s: %s",
            email.id,
            email.to_address,
            email.attempts,
            email.next_attempt_at.isoformat(timespec="seconds"),
            email.last_error,
        )


def _record_failure(email: OutboxEmail, error: str, moment: datetime, *, give_up: bool) -> None:
    email.last_error = error[:ERROR_LENGTH]
    if give_up:
        email.status = EmailStatus.FAILED
    else:
        email.next_attempt_at = moment + retry_delay(email.attempts)
