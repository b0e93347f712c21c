"""`flask --app foundry accounts ...`: make a park admin (who sets the password through a
single-use link, never on the command line) and unlock an account.

A command is not a request: each is its own unit of work and commits once, at its end
(or rolls back and changes nothing when it refuses)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import Flask
from flask.cli import AppGroup

from foundry.accounts import lockout
from foundry.accounts.email_address import InvalidEmailAddress, normalise_email
from foundry.accounts.emails import site_link
from foundry.accounts.models import Role, RoleMembership, User
from foundry.accounts.recovery import issue_reset_link
from foundry.accounts.services import find_user_by_email
from foundry.audit.services import record
from foundry.extensions import db

PARK_ADMIN_LINK_HOURS = 24


def _normalised_email(email: str) -> str:
    try:
        return normalise_email(email)
    except InvalidEmailAddress as error:
        raise click.BadParameter(error.message, param_hint="EMAIL") from None


def _existing_user(email: str) -> User:
    user = find_user_by_email(_normalised_email(email))
    if user is None:
        raise click.ClickException(f"No account uses {email}.")
    return user


def register_accounts_cli(app: Flask) -> None:
    accounts = AppGroup("accounts", help="Password accounts: park admins, lockouts.")

    @accounts.command("create-park-admin")
    @click.argument("email")
    @click.option("--name", required=True, help="The person's name as shown in the portal.")
    def create_park_admin(email: str, name: str) -> None:
        """Make EMAIL a park admin (creating the account if needed) and print a link, valid
        24 hours and once, where they choose their password. At their first sign-in they
        set up an authenticator app (a second factor is required for park admins)."""
        address = _normalised_email(email)
        name = name.strip()
        if not name or len(name) > 120:
            raise click.BadParameter("give a name of 1 to 120 characters", param_hint="--name")
        user = find_user_by_email(address)
        if user is None:
            user = User(email=address, display_name=name)
            db.session.add(user)
            db.session.flush()
            record(None, "user.created", user, {"via": "command_line", "email": address})
        if not user.active:
            raise click.ClickException(f"The account {address} is deactivated.")
        if not user.has_role(Role.PARK_ADMIN):
            db.session.add(RoleMembership(user=user, role=Role.PARK_ADMIN))
            record(
                None,
                "role.granted",
                user,
                {"via": "command_line", "role": Role.PARK_ADMIN, "email": address},
                role="park_admin",
            )
        raw = issue_reset_link(user, timedelta(hours=PARK_ADMIN_LINK_HOURS))
        db.session.commit()
        link = site_link("accounts.reset_password", token=raw)
        click.echo(f"{address} is a park admin.")
        click.echo(
            f"Send them this link (it works once, for {PARK_ADMIN_LINK_HOURS} hours) to "
            "choose their password:"
        )
        click.echo(link)
        if not link.startswith(("https://", "http://")):
            click.echo("PUBLIC_BASE_URL is not set: put the portal's address in front.", err=True)

    @accounts.command("unlock")
    @click.argument("email")
    def unlock(email: str) -> None:
        """End the lockout of EMAIL after repeated failed sign-ins."""
        user = _existing_user(email)
        was_locked = lockout.is_locked(user)
        lockout.register_success(user)
        record(None, "user.unlocked", user, {"email": user.email})
        db.session.commit()
        click.echo(f"{user.email} {'is unlocked' if was_locked else 'was not locked'}.")

    app.cli.add_command(accounts)
