"""`flask sso set/show/check CODE` to set up a university's single sign-on, and
`flask rotate-encryption-key` to re-encrypt stored secrets under the newest key.

A command is not a request: each is its own unit of work and commits once, at its end
(or rolls back and changes nothing when it refuses)."""

from __future__ import annotations

import sys
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from flask import Flask
from tqdm import tqdm

from foundry.accounts.models import User
from foundry.audit.services import record
from foundry.crypto import SecretUnreadable, reencrypt
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.sso.models import SsoConnection
from foundry.sso.services import (
    CLAIM_KEYS,
    check_connection,
    configure_connection,
    connection_of,
    university_by_code,
)
from foundry.urls import absolute_url

HONG_KONG = ZoneInfo("Asia/Hong_Kong")


def _university_or_exit(code: str):
    university = university_by_code(code)
    if university is None:
        click.echo(f"No university has the code {code!r}.", err=True)
        raise click.exceptions.Exit(2)
    return university


def _claim_options(fn):
    for key in reversed(CLAIM_KEYS):
        fn = click.option(
            f"--claim-{key.replace('_', '-')}",
            f"claim_{key}",
            default=None,
            metavar="NAME",
            help=f"Name of the claim carrying the {key.replace('_', ' ')}"
            + (
                " ('' to unset)."
                if key in ("staff_role", "study_level", "graduation_year")
                else "."
            ),
        )(fn)
    return fn


def register_sso_cli(app: Flask) -> None:
    @app.cli.group("sso")
    def sso_group() -> None:
        """Set up, show and check universities' single sign-on."""

    @sso_group.command("set")
    @click.argument("code")
    @click.option("--issuer", help="The IdP's issuer URL, exactly as its discovery says.")
    @click.option("--client-id", help="Our client ID at the IdP.")
    @click.option(
        "--client-secret",
        help="Our client secret; '-' reads it from standard input (keeps it out of history).",
    )
    @click.option("--scopes", help='Space-separated, e.g. "openid email profile".')
    @click.option("--domains", help="Comma-separated e-mail domains (replace the current ones).")
    @_claim_options
    @click.option("--enable/--disable", "enabled", default=None, help="Switch sign-in on or off.")
    def set_command(code, issuer, client_id, client_secret, scopes, domains, enabled, **claims):
        """Create or change the single sign-on of the university CODE."""
        university = _university_or_exit(code)
        existing = connection_of(university)
        if client_secret == "-":
            client_secret = sys.stdin.readline().strip()
        claim_names = {
            key.removeprefix("claim_"): value for key, value in claims.items() if value is not None
        }
        try:
            connection = configure_connection(
                university,
                actor=None,
                issuer=issuer if issuer is not None else getattr(existing, "issuer", ""),
                client_id=client_id
                if client_id is not None
                else getattr(existing, "client_id", ""),
                client_secret=client_secret,
                scopes=scopes,
                domains=[d for d in domains.split(",") if d.strip()]
                if domains is not None
                else None,
                claims=claim_names or None,
                enabled=enabled,
            )
        except InvalidInput as error:
            db.session.rollback()
            click.echo(f"Not saved. {error.message}", err=True)
            raise click.exceptions.Exit(2) from None
        db.session.commit()
        click.echo(f"Saved single sign-on of {university.code} ({connection.issuer}).")
        click.echo(f"Register this redirect URI at the IdP: {_redirect_uri(university.code)}")

    @sso_group.command("show")
    @click.argument("code")
    def show_command(code):
        """Show the university's settings (never the client secret)."""
        university = _university_or_exit(code)
        connection = connection_of(university)
        click.echo(f"university: {university.code} ({university.name_en})")
        click.echo(f"e-mail domains: {', '.join(d.domain for d in university.domains) or '-'}")
        if connection is None:
            click.echo("single sign-on: not set up (use `flask sso set`)")
            raise click.exceptions.Exit(1)
        click.echo(f"enabled: {'yes' if connection.enabled else 'no'}")
        click.echo(f"issuer: {connection.issuer}")
        click.echo(f"client id: {connection.client_id}")
        if connection.secret_updated_at is not None:
            updated = connection.secret_updated_at.astimezone(HONG_KONG)
            click.echo(f"client secret: set (updated {updated:%Y-%m-%d %H:%M} HKT)")
        else:
            click.echo("client secret: set")
        click.echo(f"scopes: {connection.scopes}")
        click.echo(f"redirect URI: {_redirect_uri(university.code)}")
        for key in CLAIM_KEYS:
            value = getattr(connection, f"claim_{key}")
            click.echo(f"claim for {key.replace('_', ' ')}: {value or '(not used)'}")

    @sso_group.command("check")
    @click.argument("code")
    def check_command(code):
        """Ask the IdP whether the university's single sign-on can work."""
        university = _university_or_exit(code)
        connection = connection_of(university)
        if connection is None:
            click.echo(f"{university.code} has no single sign-on set up.", err=True)
            raise click.exceptions.Exit(1)
        steps = check_connection(connection)
        for step in steps:
            click.echo(f"{'✓' if step.ok else '✗'} {step.label}: {step.detail}")
        if not all(step.ok for step in steps):
            raise click.exceptions.Exit(1)

    @app.cli.command("rotate-encryption-key")
    @click.option("--quiet", is_flag=True, help="No progress bar.")
    def rotate_encryption_key_command(quiet: bool) -> None:
        """Re-encrypt stored secrets (SSO client secrets, TOTP keys) under the newest key of
        FOUNDRY_ENCRYPTION_KEYS; then the older keys can be removed."""
        connections = db.session.scalars(sa.select(SsoConnection).order_by(SsoConnection.id)).all()
        users = db.session.scalars(
            sa.select(User).where(User.totp_secret_encrypted.is_not(None)).order_by(User.id)
        ).all()
        items = [(c, "client_secret_encrypted") for c in connections] + [
            (u, "totp_secret_encrypted") for u in users
        ]
        unreadable = []
        for obj, column in tqdm(
            items, desc="Secrets", unit="secret", file=sys.stderr, disable=quiet
        ):
            try:
                setattr(obj, column, reencrypt(getattr(obj, column)))
            except SecretUnreadable:
                unreadable.append(obj)
        if unreadable:
            db.session.rollback()
            click.echo(
                "Nothing changed: these secrets cannot be decrypted with any configured key:",
                err=True,
            )
            for obj in unreadable:
                click.echo(f"  {_describe(obj)}", err=True)
            raise click.exceptions.Exit(1)
        record(
            None,
            "crypto.secrets_reencrypted",
            "encryption_keys",
            {"count": len(items)},
            sso_connections=len(connections),
            totp_keys=len(users),
        )
        db.session.commit()
        click.echo(
            f"Re-encrypted {len(connections)} SSO client secret(s) and {len(users)} "
            "second-factor key(s) under the newest key."
        )


def _describe(obj) -> str:
    if isinstance(obj, SsoConnection):
        return f"SSO client secret of {obj.university.code}"
    return f"second-factor key of user {obj.id}"


def _redirect_uri(code: str) -> str:
    return absolute_url(f"/sso/{code}/callback")
