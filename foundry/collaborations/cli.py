"""`flask collaborations ...`: the reminders of milestones due soon (run it daily).

A command is not a request: it is its own unit of work and commits once, at its end."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from foundry.collaborations.proposals import REMINDER_DAYS, remind_due_milestones
from foundry.collaborations.queries import HONG_KONG
from foundry.db import utcnow
from foundry.extensions import db


def register_collaborations_cli(app: Flask) -> None:
    group = AppGroup("collaborations", help="Collaborations: milestone reminders.")

    @group.command("remind")
    def remind_command() -> None:
        """Tell lead academics of their milestones due within 14 days (once per milestone)."""
        today = utcnow().astimezone(HONG_KONG).date()
        sent = remind_due_milestones(today)
        db.session.commit()
        click.echo(f"Reminded {sent} milestone(s) due within {REMINDER_DAYS} days.")

    app.cli.add_command(group)
