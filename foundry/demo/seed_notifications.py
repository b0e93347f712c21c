"""What the demo's students and recruiters were told lately: application updates, new
applications and Talent Pool invitations, as in-app notifications (no e-mail is queued).

A notification is looked up by (user, kind, title, link) before it is written, so running
the seed again adds none. The newest are still unread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from foundry.applications.models import ApplicationStatus as S
from foundry.demo.data import FOUNDER
from foundry.demo.marketplace_applications import SeededPosting
from foundry.demo.seed_applications import SeededApplication
from foundry.extensions import db
from foundry.notifications.models import Notification
from foundry.students.models import StudentProfile

RECENT = timedelta(days=10)
STATUS_NEWS = {
    S.UNDER_REVIEW: "your application is under review",
    S.SHORTLISTED: "you are on the shortlist",
    S.INTERVIEW: "you are invited to an interview",
    S.OFFER: "you have an offer",
    S.REJECTED: "not selected this time",
}


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
        kind: str,
        title: str,
        body: str,
        link: str,
        at: datetime,
        unread_for: timedelta,
    ) -> None:
        title = title[:200]
        created = (user_id, kind, title, link) not in existing
        summary.count("notifications", created=created)
        if created:
            existing.add((user_id, kind, title, link))
            read_at = None if now - at < unread_for else at + timedelta(hours=3)
            db.session.add(
                Notification(
                    user_id=user_id,
                    kind=kind,
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
            f"Invited by {spec.company_name}",
            f"{spec.company_name} found you in the Talent Pool and invites you to apply to "
            f"“{spec.title}”.",
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
                    f"{spec.title}: {STATUS_NEWS[step.status]}",
                    step.message or f"{spec.company_name} updated your application.",
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
                f"New application for {spec.title}",
                f"{application.profile.user.display_name} applied.",
                f"/pipeline/applications/{application.id}",
                submitted,
                timedelta(days=1),
            )
