"""What the demo's students and recruiters were told lately: application updates, new
applications and Talent Pool invitations, as in-app notifications (no e-mail is queued).

Each is a message key and its parameters (foundry/messages.py), so it reads in the language
of whoever signs in. A notification is looked up by (user, kind, title, link) before it is
written, so running the seed again adds none. The newest are still unread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from foundry.applications.models import ApplicationStatus as S
from foundry.demo.data import FOUNDER
from foundry.demo.marketplace_applications import SeededPosting
from foundry.demo.seed_applications import SeededApplication
from foundry.extensions import db
from foundry.messages import plain, render_notice
from foundry.notifications.models import Notification
from foundry.students.models import StudentProfile

RECENT = timedelta(days=10)
STATUS_NEWS = {S.UNDER_REVIEW, S.SHORTLISTED, S.INTERVIEW, S.OFFER, S.REJECTED}


@dataclass(frozen=True)
class SeededInvitation:
    profile: StudentProfile
    posting: SeededPosting
    at: datetime


def seed_notifications(
    summary,
    applications: list[SeededApplication],
    invitations: list[SeededInvitation],
    members: dict[int, list[int]],
    now: datetime,
) -> None:
    """What students and recruiters were told lately; the newest are still unread."""
    existing = {
        (user, kind, title, link)
        for user, kind, title, link in db.session.execute(
            sa.select(
                Notification.user_id, Notification.kind, Notification.title, Notification.link
            )
        )
    }

    def add(
        user_id: int,
        key: str,
        params: dict,
        link: str,
        at: datetime,
        unread_for: timedelta,
    ) -> None:
        kind = key
        params = plain(params)
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            title, body = render_notice(key, params)
        created = (user_id, kind, title, link) not in existing
        summary.count("notifications", created=created)
        if created:
            existing.add((user_id, kind, title, link))
            read_at = None if now - at < unread_for else at + timedelta(hours=3)
            db.session.add(
                Notification(
                    user_id=user_id,
                    kind=kind,
                    message_key=key,
                    params=params,
                    title=title,
                    body=body,
                    link=link,
                    created_at=at,
                    read_at=read_at,
                )
            )

    for invitation in invitations:
        spec = invitation.posting.spec
        add(
            invitation.profile.user_id,
            "talent_pool.invitation",
            {"company": spec.company_name, "posting": spec.title},
            f"/postings/{invitation.posting.id}",
            invitation.at,
            timedelta(days=30),
        )
    for application in applications:
        spec = application.posting.spec
        founder = application.profile.user.email == FOUNDER.email
        news = [s for s in application.plan.steps[1:] if s.status in STATUS_NEWS]
        # The first demo student sees every update; others the latest, if it is recent.
        for step in news if founder else news[-1:]:
            if founder or now - step.at < RECENT:
                add(
                    application.profile.user_id,
                    "application.moved",
                    {"title": spec.title, "status": step.status, "message": step.message},
                    f"/me/applications/{application.id}",
                    step.at,
                    timedelta(days=2),
                )
        submitted = application.plan.submitted_at
        staff = members.get(application.posting.company_id)
        if staff and now - submitted < timedelta(days=4):
            add(
                staff[0],
                "application.submitted",
                {"name": application.profile.user.display_name, "title": spec.title},
                f"/pipeline/applications/{application.id}",
                submitted,
                timedelta(days=1),
            )
