"""Students: see routes.py for the pages and services.py for the rules."""

from flask import Blueprint

bp = Blueprint("students", __name__)

from foundry.students import routes  # noqa: E402,F401
