"""The demo's marketplace: postings, applications with coherent histories, placements,
saved searches and the Talent Pool — deterministic, idempotent and searchable."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from foundry.accounts.models import User
from foundry.applications.models import (
    Application,
    ApplicationStatus,
    InterviewSlot,
    Offer,
)
from foundry.applications.states import Mover, can_move
from foundry.companies.models import Company, VerificationStatus
from foundry.db import utcnow
from foundry.demo.agenda import year_start
from foundry.demo.cast import FOUNDER_EMAIL
from foundry.demo.seed import seed_demo
from foundry.eligibility.rules import approval_blocks, ineligibility_reasons
from foundry.notifications.models import Notification
from foundry.placements.models import Placement, PlacementSource
from foundry.postings.models import (
    ApprovalStatus,
    PayPeriod,
    Posting,
    PostingApproval,
    PostingKind,
    PostingStatus,
    SavedPosting,
    SavedSearch,
)
from foundry.postings.search import parse_search_params
from foundry.reports.periods import academic_year_of as year_of_day
from foundry.reports.periods import day_of
from foundry.students.models import CVDocument, StudentProfile
from foundry.talent_pool.models import TalentPoolInvitation
from foundry.taxonomy import Cluster, Theme
from foundry.universities.models import University
from tests.demo.shared import DEMO_NOW, FEW_STUDENTS


def academic_year_of(moment) -> int:
    return year_of_day(day_of(moment))


def is_past_posting(posting) -> bool:
    """Published in one of the two past academic years."""
    current = year_start(academic_year_of(DEMO_NOW))
    return posting.published_at is not None and posting.published_at < current


def _all(db, model):
    return db.session.scalars(sa.select(model)).unique().all()


def _row_counts(db) -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_running_it_again_creates_nothing(db, own_summary):
    before = _row_counts(db)

    again = seed_demo(student_count=FEW_STUDENTS, progress=False)

    assert _row_counts(db) == before
    assert again.total_created == 0
    assert again.total_present == own_summary.total_created
    for kind in ("postings", "applications", "placements", "notifications"):
        assert own_summary.created[kind] > 0
        assert f"{own_summary.created[kind]:,} {kind}" in own_summary.describe()


def _current(postings):
    """The marketplace of today, without the past years' postings (named by their season)."""
    return [p for p in postings if not is_past_posting(p)]


def test_this_years_postings_come_from_verified_companies_across_the_park(db, summary):
    postings = _current(_all(db, Posting))

    # About one posting per verified company this year (the park's 55).
    assert 40 <= len(postings) <= 120
    assert all(p.company.verification_status is VerificationStatus.VERIFIED for p in postings)
    assert {p.kind for p in postings} == set(PostingKind)
    assert {p.company.cluster for p in postings} == set(Cluster)
    assert {t for p in postings for t in p.theme_values} == set(Theme)
    statuses = Counter(p.status for p in postings)
    assert set(statuses) == set(PostingStatus)
    assert statuses[PostingStatus.PUBLISHED] > len(postings) / 2
    titles = Counter((p.company_id, p.title) for p in postings)
    assert max(titles.values()) == 1


def test_published_postings_have_a_date_and_search_text(db, summary):
    for posting in _all(db, Posting):
        if posting.status in (
            PostingStatus.PUBLISHED,
            PostingStatus.CLOSED,
            PostingStatus.ARCHIVED,
        ):
            assert posting.published_at is not None and posting.published_at <= utcnow()
            assert posting.published_at < posting.deadline
        else:
            assert posting.published_at is None
        assert posting.title in posting.search_text
        assert posting.company.name in posting.search_text
        assert all(skill.name in posting.search_text for skill in posting.skills)
        assert "**" not in posting.search_text and "## " not in posting.search_text
        assert posting.description.startswith(f"**{posting.company.name}**")


def test_deadlines_pay_and_eligibility_are_varied_and_realistic(db, summary):
    postings = _all(db, Posting)
    now = DEMO_NOW  # which deadlines had passed when the seed stopped
    published = [p for p in postings if p.status is PostingStatus.PUBLISHED]

    assert sum(p.deadline > now for p in published) > 0.6 * len(published)
    assert any(p.deadline < now for p in published)
    for posting in postings:
        if posting.pay_min_hkd is None or posting.pay_period is not PayPeriod.MONTH:
            continue
        assert posting.pay_min_hkd <= posting.pay_max_hkd
        if posting.kind is PostingKind.GRADUATE_ROLE:
            assert posting.pay_min_hkd >= 25_000 and posting.pay_max_hkd <= 45_000
        else:
            assert posting.pay_min_hkd >= 10_000 and posting.pay_max_hkd <= 20_000
    assert any(p.universities for p in postings)
    assert any(p.levels for p in postings)
    assert any(not p.open_to_non_local for p in postings)
    assert any(p.questions for p in postings)
    assert any(p.pay_period is PayPeriod.HOUR for p in postings)


def test_hku_approves_postings_some_pending_some_approved(db, summary):
    hku = db.session.scalar(sa.select(University).where(University.code == "HKU"))
    approvals = _all(db, PostingApproval)

    assert hku.posting_approval_required
    assert {a.university_id for a in approvals} == {hku.id}
    statuses = Counter(a.status for a in approvals)
    assert statuses[ApprovalStatus.PENDING] > 0 and statuses[ApprovalStatus.APPROVED] > 0
    for approval in approvals:
        assert (approval.decided_at is None) == (approval.status is ApprovalStatus.PENDING)


def test_applications_reach_every_status_each_by_allowed_moves(db, summary):
    applications = _all(db, Application)

    assert {a.status for a in applications} == set(ApplicationStatus)
    for application in applications:
        events = application.events
        student_user = application.profile.user_id
        assert events[0].from_status is None
        assert events[0].to_status is ApplicationStatus.SUBMITTED
        assert events[0].actor_id == student_user
        assert events[0].created_at == application.submitted_at
        for previous, event in zip(events, events[1:], strict=False):
            mover = Mover.STUDENT if event.actor_id == student_user else Mover.COMPANY
            assert event.from_status is previous.to_status
            assert can_move(event.from_status, event.to_status, mover), (
                application.id,
                event.from_status,
                event.to_status,
                mover,
            )
            assert previous.created_at < event.created_at <= utcnow()
        assert events[-1].to_status is application.status
        assert events[-1].created_at == application.status_changed_at


def test_company_moves_are_made_by_members_of_the_company(db, summary):
    for application in _all(db, Application):
        for event in application.events[1:]:
            if event.actor_id != application.profile.user_id:
                assert any(m.company_id == application.company_id for m in event.actor.memberships)


def test_applicants_were_eligible_and_sent_their_cv(db, summary):
    cvs = {cv.profile_id: cv for cv in _all(db, CVDocument)}
    for application in _all(db, Application):
        posting, profile = application.posting, application.profile
        assert ineligibility_reasons(profile, posting) == []
        assert not approval_blocks(profile, posting)
        assert posting.published_at < application.submitted_at < posting.deadline
        assert application.company_id == posting.company_id
        cv = cvs[profile.id]
        assert application.cv_content == cv.content
        assert application.cv_sha256 == cv.sha256
        assert len(application.answers) == len(posting.questions)


def test_interviews_offers_and_placements_follow_the_status(db, summary):
    slots = Counter(slot.application_id for slot in _all(db, InterviewSlot))
    offers = {offer.application_id: offer for offer in _all(db, Offer)}
    placements = {
        p.application_id: p for p in _all(db, Placement) if p.source is PlacementSource.PORTAL
    }

    for application in _all(db, Application):
        reached = {event.to_status for event in application.events}
        status = application.status
        assert bool(slots[application.id]) == (ApplicationStatus.INTERVIEW in reached)
        assert (application.id in offers) == (ApplicationStatus.OFFER in reached)
        assert (application.id in placements) == (status is ApplicationStatus.ACCEPTED)
        if status is ApplicationStatus.ACCEPTED:
            placement = placements[application.id]
            assert (placement.profile_id, placement.company_id, placement.posting_id) == (
                application.profile_id,
                application.company_id,
                application.posting_id,
            )
            assert placement.start_date == offers[application.id].start_date
            assert placement.end_date == offers[application.id].end_date
            assert placement.kind is application.posting.kind
            assert placement.confirmed_by_student_at is not None
    # A student takes at most one offer a year (an internship one year, a job the next).
    accepted = Counter((p.profile_id, academic_year_of(p.placed_at)) for p in placements.values())
    assert max(accepted.values()) == 1


def test_the_first_demo_student_has_a_timeline_to_show(db, summary):
    profile = db.session.scalar(
        sa.select(StudentProfile).join(User).where(User.email == FOUNDER_EMAIL)
    )
    applications = _all(db, Application)
    hers = [a for a in applications if a.profile_id == profile.id]

    assert len({a.status for a in hers}) >= 4
    assert ApplicationStatus.INTERVIEW in {a.status for a in hers}
    assert any(len(a.events) >= 3 for a in hers)
    assert all(a.posting.company.slug != "harbourline-robotics" for a in hers)
    told = db.session.scalars(
        sa.select(Notification.title).where(Notification.user_id == profile.user_id)
    ).all()
    assert any(title.startswith("Invited by ") for title in told)


def test_students_saved_postings_and_searches_that_the_search_understands(db, summary):
    assert _all(db, SavedPosting)
    searches = _all(db, SavedSearch)
    assert searches
    for search in searches:
        parse_search_params(search.params)


def test_talent_pool_invitations_go_to_students_in_the_pool(db, summary):
    invitations = _all(db, TalentPoolInvitation)

    assert invitations
    for invitation in invitations:
        profile = db.session.get(StudentProfile, invitation.profile_id)
        assert profile.talent_pool_opt_in
        assert invitation.posting.is_open_for_applications(DEMO_NOW)
        assert ineligibility_reasons(profile, invitation.posting) == []
        company = db.session.get(Company, invitation.posting.company_id)
        assert (
            db.session.scalar(
                sa.select(sa.func.count(Notification.id)).where(
                    Notification.user_id == profile.user_id,
                    Notification.title == f"Invited by {company.name}",
                    Notification.link == f"/postings/{invitation.posting_id}",
                )
            )
            == 1
        )


def test_some_notifications_are_still_unread(db, summary):
    notifications = _all(db, Notification)
    unread = [n for n in notifications if n.read_at is None]

    assert 0 < len(unread) < len(notifications)
    assert all(n.read_at is None or n.read_at >= n.created_at for n in notifications)


def test_a_seeded_title_word_is_found_by_full_text_search(db, summary):
    posting = db.session.scalar(
        sa.select(Posting).where(Posting.title.like("%Quantitative%")).limit(1)
    )
    assert posting is not None

    if db.engine.dialect.name == "sqlite":
        found = db.session.scalars(
            sa.text("SELECT rowid FROM postings_fts WHERE postings_fts MATCH :q"),
            {"q": "quantitative"},
        ).all()
    else:
        found = db.session.scalars(
            sa.select(Posting.id).where(
                sa.func.to_tsvector(sa.literal_column("'english'"), Posting.search_text).op("@@")(
                    sa.func.plainto_tsquery(sa.literal_column("'english'"), "quantitative")
                )
            )
        ).all()

    assert posting.id in found
    assert len(found) < db.session.scalar(sa.select(sa.func.count(Posting.id)))


def test_progress_bars_name_the_postings_and_applications_steps(db, capsys):
    seed_demo(student_count=FEW_STUDENTS, progress=True)

    progress = capsys.readouterr().err
    assert "Postings" in progress and "Applications" in progress and "Programmes" in progress
