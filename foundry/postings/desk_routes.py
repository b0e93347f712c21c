"""Managing postings: companies write them, the park moderates, universities approve."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("posting_desk", __name__)
