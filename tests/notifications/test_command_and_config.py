"""`flask send-email` (once, in batches, as a worker stopped by SIGTERM) and the MAIL_*
settings of each configuration."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from config import ConfigurationError
from foundry import create_app
from foundry.notifications.models import EmailStatus, OutboxEmail
from foundry.notifications.services import queue_email

ROOT = Path(__file__).resolve().parents[2]


def statuses(db) -> list[EmailStatus]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxEmail.status).order_by(OutboxEmail.id)))


def test_send_email_sends_everything_due(app, db):
    for n in range(3):
        queue_email(f"person{n}@example.org", f"Message {n}", "Hello")
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["send-email", "--batch", "2"])

    assert result.exit_code == 0, result.output
    assert "3 sent, 0 to retry later, 0 failed for good." in result.output
    assert statuses(db) == [EmailStatus.SENT] * 3


def test_send_email_once_sends_a_single_batch(app, db):
    for n in range(3):
        queue_email(f"person{n}@example.org", f"Message {n}", "Hello")
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["send-email", "--once", "--batch", "2"])

    assert result.exit_code == 0, result.output
    assert "2 sent" in result.output
    assert statuses(db) == [EmailStatus.SENT, EmailStatus.SENT, EmailStatus.PENDING]


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--once", "--loop"], "cannot be used together"), (["--batch", "0"], "--batch")],
)
def test_send_email_refuses_bad_options(app, db, args, message):
    result = app.test_cli_runner().invoke(args=["send-email", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_the_worker_loop_sends_then_stops_cleanly_on_sigterm(db, database_url):
    queue_email("worker@example.org", "From the worker", "Hello")
    db.session.commit()
    env = {**os.environ, "FOUNDRY_CONFIG": "testing", "TEST_DATABASE_URL": database_url}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "foundry",
            "send-email",
            "--loop",
            "--interval",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(60, worker.kill)  # a hung worker fails the test, not the run
    watchdog.start()
    try:
        log = []
        for line in worker.stderr:
            log.append(line)
            if "Sent e-mail" in line:
                break
        worker.send_signal(signal.SIGTERM)
        stdout, stderr = worker.communicate(timeout=30)
    finally:
        watchdog.cancel()
        worker.kill()

    assert "Subject: From the worker" in "".join(log)
    assert worker.returncode == 0, stderr
    assert "Stopped. In all: 1 sent" in stdout
    assert statuses(db) == [EmailStatus.SENT]


def test_the_worker_keeps_going_through_a_database_outage(app, monkeypatch):
    from foundry.notifications import sender

    worker_stop, rounds = threading.Event(), []

    def one_round(config, batch, stop):
        rounds.append(batch)
        if len(rounds) == 1:
            raise sa.exc.OperationalError("SELECT", {}, ConnectionError("server closed"))
        worker_stop.set()  # the second round works, then the worker is told to stop
        return sender.SendReport(sent=2)

    monkeypatch.setattr(sender, "send_all_due", one_round)

    report = sender.run_sender_loop(app.config, interval=0, batch=5, stop_event=worker_stop)

    assert rounds == [5, 5]
    assert report.sent == 2


# --- configuration ---------------------------------------------------------------------


@pytest.fixture
def production_mail_env(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/test")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://talentfoundry.example.org")
    monkeypatch.setenv("FOUNDRY_ENCRYPTION_KEYS", base64.urlsafe_b64encode(b"k" * 32).decode())
    for name in ("DEMO_SIGN_IN", "MAIL_BACKEND", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("MAIL_PASSWORD", raising=False)
    return monkeypatch


def test_production_sends_over_smtp_with_starttls_by_default(no_db, production_mail_env):
    config = create_app("production").config
    assert (config["MAIL_BACKEND"], config["MAIL_SERVER"]) == ("smtp", "smtp.example.org")
    assert (config["MAIL_PORT"], config["MAIL_USE_TLS"]) == (587, True)
    assert config["MAIL_FROM"] == "Talent Foundry <no-reply@talentfoundry.hk>"
    assert config["MAIL_MAX_ATTEMPTS"] == 6


def test_production_reads_every_mail_setting_from_the_environment(no_db, production_mail_env):
    production_mail_env.setenv("MAIL_PORT", "2525")
    production_mail_env.setenv("MAIL_USERNAME", "foundry")
    production_mail_env.setenv("MAIL_PASSWORD", "s3cret")
    production_mail_env.setenv("MAIL_FROM", "Talent Team <talent@example.org>")
    production_mail_env.setenv("MAIL_MAX_ATTEMPTS", "3")
    config = create_app("production").config
    assert (config["MAIL_PORT"], config["MAIL_USERNAME"], config["MAIL_PASSWORD"]) == (
        2525,
        "foundry",
        "s3cret",
    )
    assert (config["MAIL_FROM"], config["MAIL_MAX_ATTEMPTS"]) == (
        "Talent Team <talent@example.org>",
        3,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MAIL_SERVER": ""}, "MAIL_SERVER"),
        ({"MAIL_PORT": "submission"}, "MAIL_PORT"),
        ({"MAIL_BACKEND": "pigeon"}, "MAIL_BACKEND"),
        ({"MAIL_USERNAME": "foundry"}, "MAIL_PASSWORD"),
        (
            {"MAIL_USERNAME": "foundry", "MAIL_PASSWORD": "s3cret", "MAIL_USE_TLS": "false"},
            "unencrypted",
        ),
        ({"MAIL_MAX_ATTEMPTS": "0"}, "MAIL_MAX_ATTEMPTS"),
    ],
)
def test_production_refuses_incomplete_or_unsafe_mail_settings(
    no_db, production_mail_env, env, message
):
    for name, value in env.items():
        production_mail_env.setenv(name, value)
    with pytest.raises(ConfigurationError, match=message):
        create_app("production")


def test_production_may_log_emails_instead_without_a_server(no_db, production_mail_env):
    production_mail_env.setenv("MAIL_BACKEND", "console")
    production_mail_env.delenv("MAIL_SERVER")
    assert create_app("production").config["MAIL_BACKEND"] == "console"


def test_development_and_testing_write_emails_to_the_log(no_db, app):
    assert app.config["MAIL_BACKEND"] == "console"
    assert create_app("development").config["MAIL_BACKEND"] == "console"


def test_an_unknown_backend_is_refused_at_start(no_db):
    with pytest.raises(ConfigurationError, match="MAIL_BACKEND"):
        create_app("testing", {"MAIL_BACKEND": "carrier-pigeon"})
