"""`seed_marketplace()`: the internship marketplace of the demo, seeded after its people.

About 300 postings from verified companies (HKU approving the ones its students see),
applications in every status with their history, interviews, offers and placements,
saved postings and searches, Talent Pool invitations and notifications. Every row is
looked up by its natural key first (a posting by company and title, an application by
posting and profile, a notification by user, kind, title and link), so running the seed
again adds nothing. Rows are written with the models directly.
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from tqdm import tqdm

from foundry.accounts.models import COMPANY_ROLES, Role, RoleMembership, User
from foundry.companies.models import Company
from foundry.db import utcnow
from foundry.demo.data import FOUNDER, FOUNDER_COMPANY_SLUG, RANDOM_SEED
from foundry.demo.marketplace_applications import SeededPosting
from foundry.demo.marketplace_postings import (
    APPROVING_UNIVERSITY,
    PostingSpec,
    posting_specs,
    search_text_of,
)
from foundry.demo.seed_activity import seed_sign_ins
from foundry.demo.seed_applications import ApplicationWriter
from foundry.demo.seed_history import seed_past_years
from foundry.demo.seed_notifications import SeededInvitation, seed_notifications
from foundry.demo.seed_outcomes import plan_graduates, seed_outcomes
from foundry.extensions import db
from foundry.postings.models import (
    ApprovalStatus,
    Posting,
    PostingApproval,
    PostingLevel,
    PostingTheme,
    SavedPosting,
    SavedSearch,
    ScreeningQuestion,
)
from foundry.postings.search_index import index_text
from foundry.students.models import Skill
from foundry.talent_pool.models import TalentPoolInvitation

if TYPE_CHECKING:
    from foundry.demo.seed import SeedSummary, _Places

MARKETPLACE_KINDS = (
    "postings",
    "posting approvals",
    "applications",
    "application events",
    "interview slots",
    "offers",
    "placements",
    "saved postings",
    "saved searches",
    "talent pool invitations",
    "notifications",
    "recorded placements",
    "graduate outcomes",
    "placement evaluations",
    "sign-ins",
)

SAVE_SHARE = 0.25
SAVED_SEARCH_SHARE = 0.12
INVITATION_SHARE = 0.06
SAVED_SEARCHES = (
    ("AI internships", {"q": "machine learning", "kind": "summer_internship"}),
    ("Chip design", {"q": "verilog", "theme": "microelectronics"}),
    ("Fintech, 15k and up", {"cluster": "fintech", "pay_min": "15000"}),
    ("Graduate roles for me", {"kind": "graduate_role", "eligible": "1"}),
    ("Health tech", {"theme": "life_health_tech"}),
    ("Remote-friendly", {"mode": "remote"}),
    ("Robotics at Science Park", {"q": "robotics", "location": "science_park"}),
)
INVITATION_MESSAGES = (
    "Your projects match what our team works on. We would be glad to see your application.",
    "We liked your skills profile; this role could be a good next step for you.",
    "",
)


def seed_marketplace(
    summary: SeedSummary,
    places: _Places,
    skills: dict[str, Skill],
    companies: dict[str, Company],
    progress: bool = True,
    now: datetime | None = None,
) -> None:
    """Add whatever part of the marketplace demo data is missing (the caller commits):
    the current postings and applications, and the two academic years before."""
    now = now or utcnow()
    hku = places.universities[APPROVING_UNIVERSITY]
    hku.posting_approval_required = True
    members = _company_members()

    def seed_postings(specs, desc="Postings"):
        return _seed_postings(summary, specs, places, skills, companies, members, progress, desc)

    postings = seed_postings(posting_specs(random.Random(f"{RANDOM_SEED}:postings"), now))
    writer = ApplicationWriter(summary, now, members, hku.id)
    past = seed_past_years(summary, writer, places, seed_postings, progress)
    graduates = plan_graduates(writer.profiles, past, now)
    writer.placed_years = past.placed_years
    writer.job_seekers = graduates.job_seekers
    applications = writer.seed(postings, progress)
    invitations = _seed_students_choices(summary, writer, members, now)
    seed_notifications(summary, applications, invitations, members, now)
    db.session.flush()
    seed_outcomes(summary, writer.profiles, graduates, companies, now)
    seed_sign_ins(summary, writer.profiles, past, now, progress)
    db.session.flush()


def _company_members() -> dict[int, list[int]]:
    """User ids of each company's admins, then recruiters, in e-mail order."""
    rows = db.session.execute(
        sa.select(RoleMembership.company_id, RoleMembership.user_id)
        .join(User, User.id == RoleMembership.user_id)
        .where(RoleMembership.role.in_(COMPANY_ROLES))
        .order_by(RoleMembership.role == Role.RECRUITER, User.email)
    )
    members: dict[int, list[int]] = {}
    for company_id, user_id in rows:
        members.setdefault(company_id, []).append(user_id)
    return members


# --- postings ------------------------------------------------------------------------------


def _seed_postings(summary, specs, places, skills, companies, members, progress, desc):
    existing = {
        (company_id, title): posting_id
        for company_id, title, posting_id in db.session.execute(
            sa.select(Posting.company_id, Posting.title, Posting.id)
        )
    }
    officer = db.session.scalar(
        sa.select(RoleMembership.user_id)
        .join(User, User.id == RoleMembership.user_id)
        .where(
            RoleMembership.role == Role.PLACEMENT_OFFICER,
            RoleMembership.university_id == places.universities[APPROVING_UNIVERSITY].id,
        )
        .order_by(User.email)
        .limit(1)
    )
    rows: list[tuple[PostingSpec, Company, Posting | int]] = []
    for spec in tqdm(specs, desc=desc, unit="posting", file=sys.stderr, disable=not progress):
        company = companies[spec.company_slug]
        posting_id = existing.get((company.id, spec.title))
        summary.count("postings", created=posting_id is None)
        if spec.approval is not None:
            summary.count("posting approvals", created=posting_id is None)
        if posting_id is None:
            staff = members.get(company.id) or [None]
            posting = _posting(spec, company, places, skills, staff[0], officer)
            db.session.add(posting)
            rows.append((spec, company, posting))
        else:
            rows.append((spec, company, posting_id))
    db.session.flush()
    return [
        SeededPosting(
            spec=spec,
            id=row if isinstance(row, int) else row.id,
            company_id=company.id,
            university_ids=frozenset(places.universities[c].id for c in spec.university_codes),
            faculty_ids=frozenset(places.faculties[key].id for key in spec.faculty_keys),
        )
        for spec, company, row in rows
    ]


def _posting(spec: PostingSpec, company, places, skills, author: int | None, officer) -> Posting:
    posting = Posting(
        company=company,
        created_by_id=author,
        title=spec.title,
        kind=spec.kind,
        description=spec.description,
        requirements=spec.requirements,
        location=spec.location,
        work_mode=spec.work_mode,
        start_date=spec.start_date,
        duration_weeks=spec.duration_weeks,
        pay_min_hkd=spec.pay_min,
        pay_max_hkd=spec.pay_max,
        pay_period=spec.pay_period,
        openings=spec.openings,
        graduation_year_from=spec.graduation_year_from,
        graduation_year_to=spec.graduation_year_to,
        open_to_non_local=spec.open_to_non_local,
        deadline=spec.deadline,
        status=spec.status,
        submitted_at=spec.submitted_at,
        published_at=spec.published_at,
        closed_at=spec.closed_at,
        search_title=index_text(spec.title),
        search_text=index_text(f"{search_text_of(spec)}\n{company.name_zh or ''}".strip()),
        created_at=spec.created_at,
        updated_at=spec.closed_at or spec.published_at or spec.submitted_at or spec.created_at,
    )
    posting.universities = [places.universities[code] for code in spec.university_codes]
    posting.faculties = [places.faculties[key] for key in spec.faculty_keys]
    posting.skills = [skills[name] for name in spec.skills]
    posting.levels = [PostingLevel(level=level) for level in spec.levels]
    posting.themes = [PostingTheme(theme=theme) for theme in spec.themes]
    posting.questions = [
        ScreeningQuestion(position=position, prompt=prompt, required=required)
        for position, (prompt, required) in enumerate(spec.questions, start=1)
    ]
    if spec.approval is not None:
        decided = spec.approval is not ApprovalStatus.PENDING
        posting.approvals = [
            PostingApproval(
                university=places.universities[APPROVING_UNIVERSITY],
                status=spec.approval,
                comment=_approval_comment(spec.approval),
                decided_by_id=officer if decided else None,
                decided_at=spec.decided_at,
                created_at=spec.published_at,
            )
        ]
    return posting


def _approval_comment(status: ApprovalStatus) -> str | None:
    if status is ApprovalStatus.DECLINED:
        return "The stipend is below the minimum our placement office asks for full-time roles."
    if status is ApprovalStatus.APPROVED:
        return "Approved for HKU students."
    return None


# --- what students keep, and the invitations they get --------------------------------------


def _seed_students_choices(summary, writer: ApplicationWriter, members, now):
    """Saved postings and searches, and Talent Pool invitations, drawn student by student.

    Everything is drawn before looking for the row, so each student's generator advances
    the same way whether or not the rows exist already."""
    saved = {
        (user, posting)
        for user, posting in db.session.execute(
            sa.select(SavedPosting.user_id, SavedPosting.posting_id)
        )
    }
    searches = {
        (user, name)
        for user, name in db.session.execute(sa.select(SavedSearch.user_id, SavedSearch.name))
    }
    invited = {
        (posting, profile)
        for posting, profile in db.session.execute(
            sa.select(TalentPoolInvitation.posting_id, TalentPoolInvitation.profile_id)
        )
    }
    invitations: list[SeededInvitation] = []
    for profile in writer.profiles:
        rng = random.Random(f"{RANDOM_SEED}:choices:{profile.user.email}")
        eligible = [p for p in writer.eligible_postings(profile) if p.still_open(now)]
        for row in _saved_postings(rng, profile, eligible, now):
            created = (row.user_id, row.posting_id) not in saved
            summary.count("saved postings", created=created)
            if created:
                db.session.add(row)
        for row in _saved_searches(rng, profile, now):
            created = (row.user_id, row.name) not in searches
            summary.count("saved searches", created=created)
            if created:
                db.session.add(row)
        invitation = _invitation(rng, profile, eligible, members, now)
        if invitation is not None:
            row, posting = invitation
            created = (row.posting_id, row.profile_id) not in invited
            summary.count("talent pool invitations", created=created)
            if created:
                db.session.add(row)
            invitations.append(SeededInvitation(profile, posting, row.created_at))
    return invitations


def _saved_postings(rng, profile, eligible, now) -> list[SavedPosting]:
    if not eligible or rng.random() >= SAVE_SHARE:
        return []
    chosen = rng.sample(eligible, min(len(eligible), rng.randint(1, 4)))
    return [
        SavedPosting(
            user_id=profile.user_id,
            posting_id=posting.id,
            created_at=now - timedelta(hours=rng.randint(2, 400)),
        )
        for posting in chosen
    ]


def _saved_searches(rng, profile, now) -> list[SavedSearch]:
    if rng.random() >= SAVED_SEARCH_SHARE:
        return []
    return [
        SavedSearch(
            user_id=profile.user_id,
            name=name,
            params=params,
            alerts_enabled=rng.random() < 0.8,
            last_alerted_at=now - timedelta(hours=rng.randint(1, 120)),
            created_at=now - timedelta(days=rng.randint(10, 40)),
        )
        for name, params in rng.sample(SAVED_SEARCHES, rng.randint(1, 2))
    ]


def _invitation(rng, profile, eligible, members, now):
    """Now and then an invitation to an open posting; the first demo student always gets one."""
    candidates = [p for p in eligible if p.spec.company_slug != FOUNDER_COMPANY_SLUG]
    if not (profile.talent_pool_opt_in and candidates):
        return None
    if profile.user.email != FOUNDER.email and rng.random() >= INVITATION_SHARE:
        return None
    posting = rng.choice(candidates)
    staff = members.get(posting.company_id) or [None]
    row = TalentPoolInvitation(
        posting_id=posting.id,
        profile_id=profile.id,
        invited_by_id=staff[-1],
        message=rng.choice(INVITATION_MESSAGES),
        created_at=now - timedelta(hours=rng.randint(1, 140)),
    )
    return row, posting
