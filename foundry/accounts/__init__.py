"""Accounts: users, roles, signing in and out (demo sign-in in development)."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from foundry.accounts import routes  # noqa: E402,F401
