"""Command-line tools: `flask --app foundry seed-demo`, `send-email` and friends.

Commands are not requests: each is its own unit of work and commits itself, once per
unit (the e-mail sender once per e-mail; see foundry.unit_of_work)."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import Flask, current_app

from foundry.accounts.cli import register_accounts_cli
from foundry.collaborations.cli import register_collaborations_cli
from foundry.demo.seed import seed_demo
from foundry.notifications.sender import run_sender_loop, send_all_due, send_due_emails
from foundry.postings.cli import register_postings_cli
from foundry.reports.cli import register_reports_cli
from foundry.sso.cli import register_sso_cli


def register_cli(app: Flask) -> None:
    register_sso_cli(app)
    register_accounts_cli(app)
    register_postings_cli(app)
    register_reports_cli(app)
    register_collaborations_cli(app)

    @app.cli.command("seed-demo")
    @click.option("--students", default=200, show_default=True, help="How many students.")
    @click.option("--quiet", is_flag=True, help="No progress bar.")
    def seed_demo_command(students: int, quiet: bool) -> None:
        """Build the deterministic demo data set; running it again changes nothing."""
        summary = seed_demo(student_count=students, progress=not quiet)
        click.echo(summary.describe())

    @app.cli.command("send-email")
    @click.option("--once", is_flag=True, help="Send one batch, even if more is due.")
    @click.option(
        "--batch",
        default=50,
        show_default=True,
        type=click.IntRange(1, 1000),
        help="E-mails per batch.",
    )
    @click.option(
        "--loop", is_flag=True, help="Keep running until SIGTERM or Ctrl-C (a worker process)."
    )
    @click.option(
        "--interval",
        default=30.0,
        show_default=True,
        type=click.FloatRange(min=1),
        help="Seconds between rounds with --loop.",
    )
    def send_email_command(once: bool, batch: int, loop: bool, interval: float) -> None:
        """Send the e-mails that are due in the outbox, retrying failed ones when due."""
        if once and loop:
            raise click.UsageError("--once and --loop cannot be used together.")
        _show_mail_log()
        config = current_app.config
        if not loop:
            report = send_due_emails(config, batch=batch) if once else send_all_due(config, batch)
            click.echo(report.describe())
            return
        stop = threading.Event()
        with _stop_on_signals(stop):
            click.echo(f"Sending the outbox every {interval:g} s; stop with SIGTERM or Ctrl-C.")
            report = run_sender_loop(config, interval, batch, stop)
        click.echo(f"Stopped. In all: {report.describe()}")


def _show_mail_log() -> None:
    """Let the sender's log (and the console backend's e-mails) reach the terminal."""
    mail_log = logging.getLogger("foundry.mail")
    mail_log.setLevel(logging.INFO)
    if not logging.getLogger().handlers and not mail_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        mail_log.addHandler(handler)


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set `stop`: the e-mail being sent is finished and recorded."""
    signals = (signal.SIGTERM, signal.SIGINT)
    previous = {sig: signal.signal(sig, lambda signum, frame: stop.set()) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
