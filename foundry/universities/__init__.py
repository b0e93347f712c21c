"""Universities: see routes.py for the pages and services.py for the rules."""

from flask import Blueprint

bp = Blueprint("universities", __name__)

from foundry.universities import routes  # noqa: E402,F401
