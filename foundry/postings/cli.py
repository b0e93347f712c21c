"""`flask postings ...`: the daily digest of new postings for saved searches.

A command is not a request: it is its own unit of work and commits once, at its end."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from foundry.db import utcnow
from foundry.extensions import db
from foundry.postings.alerts import send_alert_digests


def register_postings_cli(app: Flask) -> None:
    group = AppGroup("postings", help="Postings: the alert digests of saved searches.")

    @group.command("send-alert-digests")
    def send_alert_digests_command() -> None:
        """E-mail students the new postings that match their saved searches (run it daily)."""
        sent = send_alert_digests(utcnow())
        db.session.commit()
        click.echo(f"Queued {sent} alert digest e-mail(s).")

    app.cli.add_command(group)
