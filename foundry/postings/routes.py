"""Finding postings: search, public posting pages, the Atom feed, saved postings and searches."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("postings", __name__)
