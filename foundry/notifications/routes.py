"""In-app notifications: the list and marking them read."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("notifications", __name__)
