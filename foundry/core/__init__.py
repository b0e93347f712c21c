"""The front door: landing page, per-role home redirect, language switch, health check."""

from flask import Blueprint

bp = Blueprint("core", __name__)

from foundry.core import routes  # noqa: E402,F401
