"""Admin: see routes.py for the pages and services.py for the rules."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from foundry.admin import routes  # noqa: E402,F401
