"""The e-mails of password accounts: verify an address, reset a password, and the notes
that tell an address's owner what someone did with it. Queued in the outbox in the
caller's transaction; links are built on PUBLIC_BASE_URL (absolute_url)."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.db import utcnow
from foundry.i18n import format_moment
from foundry.notifications.services import queue_email
from foundry.urls import absolute_url


def site_link(endpoint: str, **values) -> str:
    """An absolute link to a page of this site, inside a request or not (CLI)."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        path = current_app.url_map.bind("").build(endpoint, values)
    return absolute_url(path)


def _send(to_address: str, name: str | None, subject: str, paragraphs: list[str]) -> None:
    greeting = _("Dear %(name)s,", name=name) if name else _("Hello,")
    body = "\n\n".join([greeting, *paragraphs, _("— Talent Foundry")])
    queue_email(to_address, subject, body)


def send_verification_email(user: User, raw_token: str) -> None:
    hours = current_app.config["EMAIL_VERIFICATION_HOURS"]
    _send(
        user.email,
        user.display_name,
        _("Confirm your e-mail address for Talent Foundry"),
        [
            _("Please confirm that this is your e-mail address by opening this link:"),
            site_link("accounts.verify_email", token=raw_token),
            _(
                "The link works once and for %(hours)d hours. If you did not create a "
                "Talent Foundry account, ignore this e-mail: nothing happens without it.",
                hours=hours,
            ),
        ],
    )


def send_existing_account_note(user: User) -> None:
    """Someone tried to sign up with an address that already has an account."""
    _send(
        user.email,
        user.display_name,
        _("Someone tried to sign up to Talent Foundry with your address"),
        [
            _(
                "Someone asked to create a new company account with this e-mail address, "
                "but it already has a Talent Foundry account, so nothing was created."
            ),
            _("If it was you, sign in here:"),
            site_link("accounts.sign_in"),
            _("Forgot your password? Choose a new one here:"),
            site_link("accounts.forgot_password"),
            _("If it was not you, you can ignore this e-mail."),
        ],
    )


def send_password_reset_email(user: User, raw_token: str) -> None:
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    _send(
        user.email,
        user.display_name,
        _("Choose a new Talent Foundry password"),
        [
            _("Someone (we hope you) asked to choose a new password. Open this link:"),
            site_link("accounts.reset_password", token=raw_token),
            _(
                "The link works once and for %(minutes)d minutes. If you did not ask for "
                "it, ignore this e-mail: your password stays as it is.",
                minutes=minutes,
            ),
        ],
    )


def send_no_password_note(user: User) -> None:
    """A password reset was asked for an account that signs in through a university."""
    _send(
        user.email,
        user.display_name,
        _("Your Talent Foundry account has no password"),
        [
            _(
                "Someone asked to reset the password of this account, but it has none: "
                "you sign in with your university account. Choose your university here:"
            ),
            site_link("accounts.sign_in"),
            _("If you did not ask, you can ignore this e-mail."),
        ],
    )


def send_password_changed_note(user: User) -> None:
    when = format_moment(utcnow())
    _send(
        user.email,
        user.display_name,
        _("Your Talent Foundry password was changed"),
        [
            _(
                "The password of your account was changed on %(when)s (Hong Kong time), "
                "and every other session of yours was signed out.",
                when=when,
            ),
            _("If this was not you, choose a new password now and tell the park team:"),
            site_link("accounts.forgot_password"),
        ],
    )
