"""Rate limits of the account pages (Flask-Limiter; Redis in production, so they hold on
every app server). Each form is limited per client address, and also per e-mail address
typed, so guesses spread over many IPs still meet a limit."""

from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address

from foundry.accounts.email_address import InvalidEmailAddress, normalise_email
from foundry.extensions import limiter

# Defaults; each can be set in the configuration under the same name.
SIGN_IN_EMAIL_RATE_LIMIT = "10 per minute"
ACCOUNT_EMAIL_RATE_LIMIT = "5 per minute; 30 per hour"
ACCOUNT_EMAIL_PER_ADDRESS_LIMIT = "3 per 10 minutes; 10 per day"


def _config(name: str, default: str):
    return lambda: current_app.config.get(name, default)


def typed_email() -> str:
    """The e-mail address typed in the form, as the key of a limit: its canonical form,
    so spellings of one address (full-width, upper case) share one budget."""
    typed = (request.form.get("email") or "")[:1000]
    try:
        return "email:" + normalise_email(typed)
    except InvalidEmailAddress:
        return "email:" + typed.strip().lower()[:254]


# Password sign-in: per client address, and per account named.
sign_in_per_client = limiter.limit(
    _config("SIGN_IN_RATE_LIMIT", "20 per minute"), key_func=get_remote_address, methods=["POST"]
)
sign_in_per_email = limiter.limit(
    _config("SIGN_IN_EMAIL_RATE_LIMIT", SIGN_IN_EMAIL_RATE_LIMIT),
    key_func=typed_email,
    methods=["POST"],
)

# Forms that send an e-mail (sign-up, resend the verification link, forgot password): one
# budget shared by all of them per client, and one per recipient, so nobody can use the
# portal to flood someone's mailbox.
emails_per_client = limiter.shared_limit(
    _config("ACCOUNT_EMAIL_RATE_LIMIT", ACCOUNT_EMAIL_RATE_LIMIT),
    scope="account-emails",
    key_func=get_remote_address,
    methods=["POST"],
)
emails_per_recipient = limiter.shared_limit(
    _config("ACCOUNT_EMAIL_PER_ADDRESS_LIMIT", ACCOUNT_EMAIL_PER_ADDRESS_LIMIT),
    scope="account-emails-to",
    key_func=typed_email,
    methods=["POST"],
)
