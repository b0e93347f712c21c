"""Alerts of saved searches: in-app when a matching posting is published, and the e-mail
digest sent by `flask postings send-alert-digests`."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from foundry.db import utcnow
from foundry.notifications.models import Notification, OutboxEmail
from foundry.postings.alerts import alert_saved_searches, send_alert_digests
from foundry.postings.models import (
    ApprovalStatus,
    PostingApproval,
    PostingKind,
    PostingStatus,
    SavedSearch,
)
from tests.factories import PostingFactory, student
from tests.statements import recorded_statements


def saved_search(user, name="Drones", alerts=True, since=None, **params) -> SavedSearch:
    from foundry.extensions import db

    search = SavedSearch(
        user_id=user.id,
        name=name,
        params={key: str(value) for key, value in params.items()},
        alerts_enabled=alerts,
        last_alerted_at=since or utcnow() - timedelta(days=1),
    )
    db.session.add(search)
    db.session.flush()
    return search


def notifications(db) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).order_by(Notification.user_id)))


def emails(db) -> list[OutboxEmail]:
    return list(db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.to_address)))


# --- in-app alerts -----------------------------------------------------------------------------


def test_students_with_a_matching_saved_search_are_notified_in_app(world, db):
    saved_search(world.student_a1, q="drone")
    saved_search(world.student_a1_other, name="Grads", kind="graduate_role")
    saved_search(world.student_a2, q="drone", alerts=False)
    saved_search(world.student_b1, q="drone")  # not eligible: the posting is for UA only
    posting = PostingFactory(
        company=world.company_a, title="Drone Intern", universities=[world.uni_a]
    )

    told = alert_saved_searches(posting)

    assert told == 1
    (notification,) = notifications(db)
    assert notification.user_id == world.student_a1.id
    assert notification.kind == "posting.alert"
    assert "Drones" in notification.title
    assert "Drone Intern" in notification.body
    assert notification.link == f"/postings/{posting.id}"
    assert emails(db) == []  # e-mail comes with the daily digest


def test_one_notification_per_student_however_many_searches_match(world, db):
    saved_search(world.student_a1, name="Drones", q="drone")
    saved_search(world.student_a1, name="Summer", kind="summer_internship")
    posting = PostingFactory(company=world.company_a, title="Drone Intern")

    assert alert_saved_searches(posting) == 1
    (notification,) = notifications(db)
    assert "“Drones”" in notification.title and "“Summer”" in notification.title


def test_saved_search_filters_decide_the_match(world, db):
    saved_search(world.student_a1, name="Grad drones", q="drone", kind="graduate_role")
    saved_search(world.student_a2, name="Rich", pay_min=50000)
    saved_search(world.student_b1, name="Eligible", q="drone", eligible=1)
    posting = PostingFactory(company=world.company_a, title="Drone Intern")

    assert alert_saved_searches(posting) == 1
    assert [n.user_id for n in notifications(db)] == [world.student_b1.id]


def test_students_whose_university_has_not_approved_are_not_told(world, db):
    world.uni_a.posting_approval_required = True
    saved_search(world.student_a1, q="drone")
    saved_search(world.student_b1, q="drone")
    posting = PostingFactory(company=world.company_a, title="Drone Intern")

    assert alert_saved_searches(posting) == 1
    assert [n.user_id for n in notifications(db)] == [world.student_b1.id]

    db.session.add(
        PostingApproval(
            posting=posting, university_id=world.uni_a.id, status=ApprovalStatus.APPROVED
        )
    )
    db.session.flush()
    assert alert_saved_searches(posting, university_id=world.uni_a.id) == 1
    assert sorted(n.user_id for n in notifications(db)) == sorted(
        [world.student_a1.id, world.student_b1.id]
    )


def test_matching_is_done_in_sql_in_a_constant_number_of_statements(world, db):
    posting = PostingFactory(company=world.company_a, title="Drone Intern")
    saved_search(world.student_a1, q="drone")
    db.session.commit()
    with recorded_statements() as few:
        alert_saved_searches(posting)
    db.session.rollback()
    for n in range(40):
        saved_search(student(world.fac_a1), name=f"S{n}", q="drone", kind="summer_internship")
    db.session.commit()
    with recorded_statements() as many:
        told = alert_saved_searches(posting)

    assert told == 41
    selects = [s for s, _p in many if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= len([s for s, _p in few if s.lstrip().upper().startswith("SELECT")]) + 1
    assert any("UNION ALL" in s for s, _p in many)


# --- e-mail digests ---------------------------------------------------------------------------


def test_digest_emails_each_student_once_with_new_matching_postings(world, db):
    now = utcnow()
    yesterday = now - timedelta(days=1)
    saved_search(world.student_a1, name="Drones", q="drone", since=yesterday)
    saved_search(world.student_a1, name="Grads", kind="graduate_role", since=yesterday)
    saved_search(world.student_a2, name="Off", q="drone", alerts=False, since=yesterday)
    saved_search(world.student_b1, name="Drones", q="drone", since=yesterday)
    PostingFactory(
        company=world.company_a, title="Drone Intern", published_at=now - timedelta(hours=2)
    )
    PostingFactory(
        company=world.company_a,
        title="Drone Graduate",
        kind=PostingKind.GRADUATE_ROLE,
        published_at=now - timedelta(hours=1),
    )
    PostingFactory(
        company=world.company_a, title="Old Drone Role", published_at=now - timedelta(days=3)
    )
    PostingFactory(
        company=world.company_b,
        title="Drone for UA",
        universities=[world.uni_a],
        published_at=now - timedelta(hours=3),
    )
    PostingFactory(
        company=world.company_b,
        title="Drone Draft",
        status=PostingStatus.DRAFT,
    )

    sent = send_alert_digests(now)

    assert sent == 2
    by_address = {e.to_address: e for e in emails(db)}
    to_a1 = by_address[world.student_a1.email].body_text
    to_b1 = by_address[world.student_b1.email].body_text
    assert "Your saved search “Drones”:" in to_a1 and "Your saved search “Grads”:" in to_a1
    assert to_a1.index("Drone Graduate") < to_a1.index("Drone Intern")  # newest first
    assert "Drone for UA" in to_a1
    assert "Drone for UA" not in to_b1  # UB's student may not apply
    assert "Old Drone Role" not in to_a1 + to_b1
    assert "Drone Draft" not in to_a1 + to_b1
    assert "/postings/" in to_a1
    assert by_address[world.student_a1.email].subject == "4 new postings for your saved searches"
    assert world.student_a2.email not in by_address


def test_digest_moves_the_window_so_nothing_is_sent_twice(world, db):
    now = utcnow()
    search = saved_search(world.student_a1, q="drone", since=now - timedelta(days=1))
    off = saved_search(world.student_a1, name="Off", alerts=False, since=now - timedelta(days=1))
    PostingFactory(company=world.company_a, title="Drone Intern", published_at=now)

    assert send_alert_digests(now) == 1
    assert search.last_alerted_at == now
    assert off.last_alerted_at < now
    assert send_alert_digests(now + timedelta(days=1)) == 0
    assert len(emails(db)) == 1


def test_digest_cli_command_queues_the_emails(app, world, db):
    now = utcnow()
    saved_search(world.student_a1, q="drone", since=now - timedelta(days=1))
    PostingFactory(
        company=world.company_a, title="Drone Intern", published_at=now - timedelta(minutes=5)
    )
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["postings", "send-alert-digests"])

    assert result.exit_code == 0, result.output
    assert "Queued 1 alert digest e-mail(s)." in result.output
    db.session.expire_all()
    (email,) = emails(db)
    assert email.to_address == world.student_a1.email
    assert "Drone Intern" in email.body_text
