"""Companies post roles, year after year: a member writes a draft and submits it, the
park's talent team publishes it, HKU approves it for its students (or declines), and the
company closes it after the deadline and archives it later. In the current year some
postings are still drafts, waiting for review, or returned by the park with a reason.

Roles follow the park's recruitment drives (tables/roles.tsv) and the recruiting calendar:
summer internships are advertised in the autumn with a second round in February, graduate
roles in the autumn and again in spring, hardly anything over the summer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from foundry.accounts.models import User
from foundry.companies.models import Company, CompanySize
from foundry.demo import reference as ref
from foundry.demo.agenda import Agenda, academic_year, days, working_hours, year_start
from foundry.postings import services as postings
from foundry.postings.models import PayPeriod, Posting, PostingKind, WorkMode
from foundry.postings.services import PostingData, ScreeningQuestionData
from foundry.universities.models import StudyLevel

PER_YEAR = {CompanySize.MICRO: 1, CompanySize.SMALL: 1, CompanySize.MEDIUM: 2}
QUESTIONS = (
    "Which project are you proudest of, and what was your part in it?",
    "When could you start, and for how many days a week?",
)
RETURN_REASON = "Please add the pay range and the weekly hours before we publish it."
DECLINE_COMMENT = "Outside our students' fields of study this term."


@dataclass
class PostingPlan:
    """A posting to be: who writes it, when it is published, what happens to it."""

    company: Company
    writer: User
    published: datetime
    deadline: datetime
    data: PostingData
    fate: str = "published"  # or "draft", "pending", "returned"
    hku_declines: bool = False
    posting: Posting | None = field(default=None)


@dataclass
class Desk:
    """Who acts for the park and for HKU, and every company's members."""

    park_admin: User
    hku_coordinator: User
    members: dict[int, list[User]]


def plan_postings(
    rng: random.Random, desk: Desk, places: ref.Places, year: int, today: datetime
) -> list[PostingPlan]:
    """The postings verified companies publish in academic year `year`."""
    plans = []
    roles, kinds = ref.roles(), ref.kinds()
    this_year = year == academic_year(today)
    for company in sorted(places.companies.values(), key=lambda c: c.slug):
        members = desk.members.get(company.id)
        if not company.is_verified or not members:
            continue
        themes = ref.cluster_themes()[company.cluster]
        own = [r for r in roles if r.theme in themes] or list(roles)
        count = PER_YEAR.get(company.size, 3) + this_year
        used: set[tuple[str, PostingKind]] = set()
        for _ in range(count):
            role = rng.choice(own if rng.random() < 0.85 else roles)
            kind = rng.choices(list(kinds), weights=[k.weight for k in kinds.values()])[0]
            if this_year and len(plans) < len(kinds):
                kind = list(kinds)[len(plans)]  # every kind is advertised this year
            if (role.subject, kind) in used:
                continue
            used.add((role.subject, kind))
            month = rng.choices(range(12), weights=kinds[kind].months)[0]
            published = working_hours(
                year_start(year) + days(month * 30.4 + rng.randint(0, 27)), rng
            )
            deadline = published + days(rng.randint(21, 50))
            fate = "published"
            if this_year and published > today:  # this year's later round: now
                published = working_hours(today - days(rng.randint(1, 40)), rng)
                deadline = published + days(rng.randint(45, 75))
            if this_year and rng.random() < 0.15:  # around today
                fate = rng.choice(("draft", "pending", "pending", "returned", fate, fate))
                published = working_hours(today - days(rng.randint(2, 12)), rng)
                deadline = published + days(rng.randint(30, 60))
            data = _posting_data(rng, company, role, kind, year, deadline, places)
            writer = rng.choice(members)
            plans.append(
                PostingPlan(company, writer, published, deadline, data, fate, rng.random() < 0.08)
            )
    return plans


def _posting_data(rng, company, role, kind, year, deadline, places) -> PostingData:
    title = ref.kinds()[kind].title.format(subject=role.subject, job=role.job, next=year + 1)
    graduate = kind is PostingKind.GRADUATE_ROLE
    hourly = kind is PostingKind.PART_TIME_INTERNSHIP and rng.random() < 0.6
    low = rng.randrange(25_000, 36_000, 1000) if graduate else rng.randrange(10_000, 16_000, 500)
    high = min(low + rng.randrange(3_000, 9_001, 1000), 45_000 if graduate else 20_000)
    codes = list(places.universities)
    limited = rng.random() < 0.15
    return PostingData(
        title=title,
        kind=kind,
        work_mode=rng.choice(list(WorkMode)),
        deadline=deadline,
        description=f"**{company.name}** — {company.description}\n\n## What you will do\n\n"
        + "\n".join(f"- {duty}" for duty in role.duties),
        requirements="\n".join(f"- {req}" for req in role.requirements),
        location=company.park_location.value.replace("_", " ").title(),
        start_date=(deadline + days(rng.randint(30, 90))).date(),
        duration_weeks=None if graduate else rng.choice((10, 12, 26, 52)),
        pay_min_hkd=rng.randint(80, 110) if hourly else low,
        pay_max_hkd=rng.randint(120, 160) if hourly else high,
        pay_period=PayPeriod.HOUR if hourly else PayPeriod.MONTH,
        openings=rng.randint(1, 4),
        university_ids=[places.universities[c].id for c in rng.sample(codes, 2)] if limited else [],
        levels=[StudyLevel.PG, StudyLevel.PHD] if kind is PostingKind.RESEARCH_ASSISTANT else [],
        open_to_non_local=rng.random() > 0.2,
        skills=list(role.skills),
        themes=[role.theme],
        questions=[ScreeningQuestionData(q) for q in QUESTIONS[: rng.choice((0, 0, 1, 2))]],
    )


def tell(agenda: Agenda, desk: Desk, plan: PostingPlan, on_published) -> None:
    """Put the posting's life on the agenda; `on_published(plan)` runs when students can
    see it (after HKU's decision)."""
    rng = random.Random(plan.data.title + plan.company.slug)

    def write():
        plan.posting = postings.create_posting(plan.writer, plan.company, plan.data)
        if plan.fate != "draft":
            agenda.after(0.1, lambda: postings.submit_for_review(plan.writer, plan.posting))
        if plan.fate == "returned":
            agenda.after(
                1, lambda: postings.return_to_company(desk.park_admin, plan.posting, RETURN_REASON)
            )
        elif plan.fate == "published":
            agenda.at(plan.published, go_live)

    def go_live():
        approvals = postings.publish(desk.park_admin, plan.posting)
        on_published(plan)
        for approval in approvals:
            agenda.after(rng.uniform(0.5, 12), lambda a=approval: decide(a))
        if plan.deadline < agenda.until - days(21):  # the last three weeks' are still up
            closed = plan.deadline + days(rng.randint(2, 6))
            agenda.at(closed, lambda: postings.close_posting(plan.writer, plan.posting))
        agenda.at(plan.deadline + days(rng.randint(40, 90)), archive)

    def decide(approval):
        approve = not plan.hku_declines
        postings.decide_approval(
            desk.hku_coordinator, approval, approve, "" if approve else DECLINE_COMMENT
        )
        if approve:
            on_published(plan, approved_by=approval.university_id)

    def archive():
        if rng.random() < 0.75:
            postings.archive_posting(plan.writer, plan.posting)

    agenda.at(plan.published - days(rng.uniform(1.5, 4)), write)
