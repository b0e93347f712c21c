"""Recruiters run the pipeline: board and list, applicant, moves, notes, interviews, offers."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("pipeline", __name__)
