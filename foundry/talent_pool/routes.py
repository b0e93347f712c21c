"""Talent Pool search for verified companies, and invitations to apply."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("talent_pool", __name__)
