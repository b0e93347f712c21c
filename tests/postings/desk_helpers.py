"""Helpers for the posting desk's tests: postings in each status and a valid form."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from foundry.db import utcnow
from foundry.postings.models import Posting, PostingStatus
from tests.factories import PostingFactory

HONG_KONG = ZoneInfo("Asia/Hong_Kong")


def posting_in(company, status: PostingStatus = PostingStatus.DRAFT, **fields) -> Posting:
    """A posting of `company` in `status`, with the dates that status needs."""
    now = utcnow()
    if status is not PostingStatus.DRAFT:
        fields.setdefault("submitted_at", now - timedelta(days=2))
    if status in (PostingStatus.PUBLISHED, PostingStatus.CLOSED, PostingStatus.ARCHIVED):
        fields.setdefault("published_at", now - timedelta(days=1))
    else:
        fields.setdefault("published_at", None)
    if status in (PostingStatus.CLOSED, PostingStatus.ARCHIVED):
        fields.setdefault("closed_at", now)
    if status is PostingStatus.DRAFT:
        fields.setdefault("submitted_at", None)
    return PostingFactory(company=company, status=status, **fields)


def hk_local(moment) -> str:
    """A UTC moment as the Hong Kong wall-clock text a datetime-local input sends."""
    return moment.astimezone(HONG_KONG).strftime("%Y-%m-%dT%H:%M")


def form_payload(**overrides) -> dict:
    """A complete, valid posting form as a browser would send it."""
    data = {
        "title": "Robotics software intern",
        "kind": "summer_internship",
        "description": "Build **motion planning** for warehouse robots.",
        "requirements": "- Python\n- ROS",
        "location": "Hong Kong Science Park, Shatin",
        "work_mode": "hybrid",
        "start_date": (utcnow() + timedelta(days=60)).astimezone(HONG_KONG).date().isoformat(),
        "duration_weeks": "10",
        "pay_min_hkd": "12000",
        "pay_max_hkd": "16000",
        "pay_period": "month",
        "openings": "2",
        "graduation_year_from": "2026",
        "graduation_year_to": "2028",
        "open_to_non_local": "y",
        "skills": "Python, ROS , python",
        "themes": ["robotics", "ai_data"],
        "levels": ["ug"],
        "questions-0-prompt": "Why robotics?",
        "questions-0-required": "y",
        "questions-1-prompt": "Link to a project (optional)",
        "deadline": hk_local(utcnow() + timedelta(days=30)),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
