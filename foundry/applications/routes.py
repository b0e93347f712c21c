"""Students apply, follow their applications, withdraw, pick interview slots, answer offers."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("applications", __name__)
