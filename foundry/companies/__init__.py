"""Companies: see routes.py for the pages and services.py for the rules."""

from flask import Blueprint

bp = Blueprint("companies", __name__)

from foundry.companies import routes  # noqa: E402,F401
