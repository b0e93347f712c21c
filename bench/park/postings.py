"""The postings: most closed over the past four years (more each year, with autumn and
spring peaks), some open now, a few drafts and some waiting for the park's review; with
their eligibility (levels, universities, faculties, graduation years), themes, skills,
screening questions and the approvals of the universities that ask for them.

The open postings' deadlines lie a year or two after ANCHOR (bench/park/__init__.py), so
they are still open whenever the bench runs. One open posting of the first company is the
personas' pipeline posting (its applications: applications.py)."""

from __future__ import annotations

import math
from datetime import timedelta
from types import SimpleNamespace

from bench.park import ANCHOR, HISTORY_STARTS, posting_text
from bench.park.build import Build, log
from bench.park.universities import THEMES

KINDS = [
    ("summer_internship", 35),
    ("part_time_internship", 15),
    ("year_long_placement", 12),
    ("graduate_role", 30),
    ("research_assistant", 8),
]
# kind: (pay period, lowest minimum, highest minimum, weeks)
PAY = {
    "summer_internship": ("month", 12_000, 20_000, 10),
    "part_time_internship": ("hour", 60, 120, 24),
    "year_long_placement": ("month", 10_000, 16_000, 52),
    "graduate_role": ("month", 20_000, 35_000, None),
    "research_assistant": ("month", 15_000, 22_000, 26),
}
MODES = ["on_site"] * 9 + ["hybrid"] * 8 + ["remote"] * 3
LOCATIONS = [
    "Hong Kong Science Park, Sha Tin",
    "InnoCentre, Kowloon Tong",
    "InnoPark, Tseung Kwan O",
    "Cyberport, Pok Fu Lam",
    "Kwun Tong",
]
QUESTIONS = [
    ("Why do you want to join us?", True),
    ("為甚麼想加入我們？", True),
    ("Tell us about a project you are proud of.", False),
]
LEVEL_SETS = [("ug",), ("ug", "pg"), ("pg", "phd"), ("phd",)]
DRAFTS, IN_REVIEW = 0.003, 0.002  # of all postings


def _published_times(rng, count: int, start, end) -> list:
    """`count` moments between start and end, more of them each year (the park grows)
    and most in the autumn and spring recruiting seasons."""
    span = (end - start).total_seconds()
    times = []
    while len(times) < count:
        # Density rising linearly to twice its start: the inverse of its distribution.
        x = -1 + math.sqrt(1 + 3 * rng.random())
        moment = start + timedelta(seconds=span * x)
        season = 1.5 if moment.month in (9, 10, 11, 2, 3) else 0.8
        if rng.random() < season / 1.5:
            times.append(moment)
    return sorted(times)


def _eligibility(rng, people, open_now: bool) -> SimpleNamespace:
    """Who may apply. Most postings are open to all; open postings a little more so,
    leaving most of them to the applicant pool (personas.targets: fresh postings)."""
    strict = 0.5 if open_now else 1.0
    universities = faculties = levels = None
    if rng.random() < 0.08 * strict:
        chosen = rng.sample(sorted(people.universities), rng.randint(1, 4))
        universities = frozenset(people.universities[code].id for code in chosen)
    elif rng.random() < 0.03 * strict:
        faculties = frozenset(f.id for f in rng.sample(people.faculties, rng.randint(1, 3)))
    if rng.random() < 0.2 * strict:
        levels = frozenset(rng.choice(LEVEL_SETS))
    grad_from = grad_to = None
    if rng.random() < 0.1 * strict:
        grad_from = ANCHOR.year + rng.choice([-3, -2, -1, 0]) if not open_now else 2026
        grad_to = grad_from + rng.randint(1, 3)
    return SimpleNamespace(
        universities=universities,
        faculties=faculties,
        levels=levels,
        grad_from=grad_from,
        grad_to=grad_to,
        non_local=rng.random() < 0.9,
    )


def fill(build: Build) -> None:
    rng = build.rng("postings")
    scale, people = build.scale, build.made.people
    companies = [c for c in build.made.companies if c.verified]
    kinds, kind_weights = zip(*KINDS, strict=True)
    unsent = int(scale.postings * (DRAFTS + IN_REVIEW))
    closed = scale.postings - scale.open_postings - unsent
    moments = [
        (t, "closed")
        for t in _published_times(rng, closed, HISTORY_STARTS, ANCHOR - timedelta(days=80))
    ]
    moments += [
        (t, "published")
        for t in _published_times(
            rng, scale.open_postings, ANCHOR - timedelta(days=120), ANCHOR - timedelta(hours=6)
        )
    ]
    moments += [
        (
            ANCHOR - timedelta(days=rng.uniform(1, 30)),
            "draft" if n < scale.postings * DRAFTS else "pending_review",
        )
        for n in range(unsent)
    ]
    posting_companies = rng.choices(companies, [c.weight for c in companies], k=len(moments))
    pipeline_index = next(i for i, (_t, status) in enumerate(moments) if status == "published")
    posting_companies[pipeline_index] = build.made.companies[0]
    approving = [u for u in people.universities.values() if u.approval]
    approving_ids = frozenset(u.id for u in approving)
    rows, links, postings = (
        [],
        SimpleNamespace(
            levels=[],
            themes=[],
            universities=[],
            faculties=[],
            skills=[],
            questions=[],
            approvals=[],
        ),
        [],
    )
    for index, ((published, status), company) in enumerate(
        zip(moments, posting_companies, strict=True)
    ):
        posting_id = build.ids("postings", 1)[0]
        open_now, pipeline = status == "published", index == pipeline_index
        kind = "summer_internship" if pipeline else rng.choices(kinds, kind_weights)[0]
        text = posting_text.compose(
            rng, posting_text.language(rng), internship=kind.endswith("internship")
        )
        search_title, search_text = posting_text.search_documents(text, company)
        rule = _eligibility(rng, people, open_now)
        if pipeline:  # open to every student: 500 of them apply
            rule = SimpleNamespace(
                universities=None,
                faculties=None,
                levels=None,
                grad_from=None,
                grad_to=None,
                non_local=True,
            )
        period, low, high, weeks = PAY[kind]
        pay_min = rng.randrange(low, high + 1, 10 if period == "hour" else 500)
        paid = rng.random() < 0.9
        if open_now:
            deadline = ANCHOR + timedelta(days=rng.uniform(365, 730))
        elif status == "closed":
            deadline = published + timedelta(days=rng.uniform(21, 75))
        else:
            deadline = ANCHOR + timedelta(days=rng.uniform(30, 90))
        sent = status in ("closed", "published", "pending_review")
        created = published - timedelta(days=rng.uniform(0.1, 5))
        start = (deadline + timedelta(days=30)).date().replace(day=1)
        closed_at = deadline if status == "closed" else None
        rows.append(
            (
                posting_id,
                company.id,
                rng.choice(company.members),
                text.title,
                kind,
                text.description,
                text.requirements,
                rng.choice(LOCATIONS),
                rng.choice(MODES),
                start if kind != "graduate_role" or rng.random() < 0.5 else None,
                weeks,
                pay_min if paid else None,
                pay_min + (pay_min // 4 if period != "hour" else 20) if paid else None,
                period,
                rng.choice([1, 1, 1, 2, 2, 3, 5]),
                rule.grad_from,
                rule.grad_to,
                rule.non_local,
                deadline,
                status,
                created + timedelta(hours=2) if sent else None,
                published if status in ("closed", "published") else None,
                closed_at,
                search_text,
                search_title,
                created,
                closed_at or published,
            )
        )
        questions = (
            not pipeline and status != "draft" and rng.random() < (0.05 if open_now else 0.12)
        )
        for level in sorted(rule.levels or ()):
            links.levels.append((posting_id, level))
        for theme in rng.sample(THEMES, rng.randint(1, 2)):
            links.themes.append((posting_id, theme))
        links.universities += [(posting_id, u) for u in sorted(rule.universities or ())]
        links.faculties += [(posting_id, f) for f in sorted(rule.faculties or ())]
        links.skills += [(posting_id, posting_text.SKILL_IDS[s]) for s in text.skills]
        asked = rng.sample(QUESTIONS, 2) if questions else []
        for position, (prompt, required) in enumerate(asked, start=1):
            links.questions.append(
                (build.ids("screening_questions", 1)[0], posting_id, position, prompt, required)
            )
        approved = set()
        if status in ("closed", "published"):
            for university in approving:
                if rule.universities is not None and university.id not in rule.universities:
                    continue
                decision = rng.choices(["approved", "pending", "declined"], [85, 10, 5])[0]
                decided = decision != "pending"
                links.approvals.append(
                    (
                        build.ids("posting_approvals", 1)[0],
                        posting_id,
                        university.id,
                        decision,
                        people.coordinators[university.code] if decided else None,
                        published + timedelta(days=rng.uniform(0.5, 3)) if decided else None,
                        published,
                    )
                )
                if decision == "approved":
                    approved.add(university.id)
        if status in ("closed", "published"):
            postings.append(
                SimpleNamespace(
                    id=posting_id,
                    company_id=company.id,
                    members=company.members,
                    kind=kind,
                    published=published,
                    ends=min(deadline, ANCHOR),
                    open=open_now,
                    rule=rule,
                    approving=approving_ids,
                    approved=approved,
                    title=text.title,
                    questions=asked,
                    # Some postings draw many more applicants than others (a Pareto tail, capped).
                    weight=min(30.0, (1 / (1 - rng.random())) ** 0.7) if not pipeline else 0.0,
                    starts=start,
                    weeks=weeks or 52,
                    pay=pay_min if paid else None,
                )
            )
    _write(build, rows, links)
    build.made.postings = SimpleNamespace(
        all=postings,
        pipeline=next(p for p in postings if p.id == rows[pipeline_index][0]),
        approving=approving_ids,
    )
    log(
        f"  {len(rows):,} postings: {closed:,} closed, {scale.open_postings:,} open, "
        f"{unsent} drafts or in review"
    )


def _write(build: Build, rows: list, links: SimpleNamespace) -> None:
    build.copy(
        "postings",
        (
            "id",
            "company_id",
            "created_by_id",
            "title",
            "kind",
            "description",
            "requirements",
            "location",
            "work_mode",
            "start_date",
            "duration_weeks",
            "pay_min_hkd",
            "pay_max_hkd",
            "pay_period",
            "openings",
            "graduation_year_from",
            "graduation_year_to",
            "open_to_non_local",
            "deadline",
            "status",
            "submitted_at",
            "published_at",
            "closed_at",
            "search_text",
            "search_title",
            "created_at",
            "updated_at",
        ),
        rows,
    )
    build.copy("posting_levels", ("posting_id", "level"), links.levels)
    build.copy("posting_themes", ("posting_id", "theme"), links.themes)
    build.copy("posting_universities", ("posting_id", "university_id"), links.universities)
    build.copy("posting_faculties", ("posting_id", "faculty_id"), links.faculties)
    build.copy("posting_skills", ("posting_id", "skill_id"), links.skills)
    build.copy(
        "screening_questions",
        ("id", "posting_id", "position", "prompt", "required"),
        links.questions,
    )
    build.copy(
        "posting_approvals",
        (
            "id",
            "posting_id",
            "university_id",
            "status",
            "decided_by_id",
            "decided_at",
            "created_at",
        ),
        links.approvals,
    )
