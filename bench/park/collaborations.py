"""Faculty–industry collaboration records at park scale (issue 14): RECORDS records over
the faculties and the verified companies, each with its faculty and company parties, its
lead academic (the faculty's dean) and a company contact, student participants, milestones,
outcomes, its first line of history, and a few linked postings.

The persona dean's faculty (CUHK engineering) and the persona recruiter's company (the
pipeline company, the first one) hold a share large enough that their portfolio and the
company's collaborations page list several pages. Deterministic: one generator of its own.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from bench.park import ANCHOR, HISTORY_STARTS
from bench.park.build import Build, log

RECORDS = 10_000
KINDS = (
    "collaborative_research",
    "contract_research",
    "consultancy",
    "sponsored_project",
    "internship_partnership",
    "cpd",
    "guest_lecture",
    "advisory_role",
    "donation",
    "licensing",
    "equipment_use",
)
STATUSES = ("proposed", "negotiating", "active", "active", "completed", "completed", "terminated")
VISIBILITIES = ("private", "shared", "shared", "public")
SCHEMES = ("ITF", "UGC", "Company-funded", "HKSTP", "")
THEMES = (
    "warehouse robotics",
    "medical imaging",
    "fraud detection",
    "smart-grid forecasting",
    "chip verification",
    "battery materials",
    "computer vision for construction",
    "large language models in Cantonese",
    "lidar mapping",
    "drug discovery",
)
CASH = (0, 20_000, 80_000, 150_000, 400_000, 1_200_000, 3_000_000)
OUTCOMES = ("publication", "patent_filed", "patent_granted", "product", "spin_off")
# A share of the records for the personas' faculty and company (their pages list pages).
PERSONA_FACULTY_SHARE = 0.08
PERSONA_COMPANY_SHARE = 0.05


def fill(build: Build) -> None:
    rng = build.rng("collaborations")
    people = build.made.people
    faculties = people.faculties
    persona_faculty = people.universities["CUHK"].faculties["ENG"]
    companies = [c for c in build.made.companies if c.verified]
    persona_company = build.made.companies[0]
    students_of: dict[int, list[int]] = {}
    for student in people.students:
        students_of.setdefault(student.faculty_id, []).append(student.profile_id)
    postings_of: dict[int, list[int]] = {}
    for posting in build.made.postings.all:
        postings_of.setdefault(posting.company_id, []).append(posting.id)

    rows = _Rows()
    span = (ANCHOR - HISTORY_STARTS).days
    for record_id in build.ids("collaborations", RECORDS):
        draw = rng.random()
        faculty = persona_faculty if draw < PERSONA_FACULTY_SHARE else rng.choice(faculties)
        draw = rng.random()
        company = persona_company if draw < PERSONA_COMPANY_SHARE else rng.choice(companies)
        kind = rng.choice(KINDS)
        status = rng.choice(STATUSES)
        starts = (HISTORY_STARTS + timedelta(days=rng.randrange(span))).date()
        ends = starts + timedelta(days=rng.choice((90, 180, 365, 540)))
        created = _midday(starts - timedelta(days=20))
        theme = rng.choice(THEMES)
        title = f"{kind.replace('_', ' ').capitalize()} on {theme} #{record_id}"
        dean = people.deans[faculty.id]
        rows.records.append(
            (
                record_id,
                faculty.id,
                kind,
                status,
                rng.choice(VISIBILITIES),
                title,
                f"The faculty and {company.name} work together on {theme}.",
                starts,
                ends,
                rng.choice(CASH),
                rng.choice((0, 0, 10_000, 50_000)),
                rng.choice(SCHEMES),
                "",
                dean,
                created,
                created,
            )
        )
        rows.faculties.append((record_id, faculty.id, "coordinator"))
        if rng.random() < 0.1:  # a joint record with another faculty
            other = rng.choice(faculties)
            if other.id != faculty.id:
                rows.faculties.append((record_id, other.id, "partner"))
        rows.companies.append((record_id, company.id, rng.choice(("partner", "funder"))))
        rows.people.append((record_id, dean, "lead_academic"))
        if company.members:
            rows.people.append((record_id, company.members[0], "company_contact"))
        pool = students_of.get(faculty.id, [])
        for profile_id in sorted(set(rng.sample(pool, min(len(pool), rng.choice((0, 2, 3, 5)))))):
            rows.students.append((record_id, profile_id))
        for n, months in enumerate((3, 9)):
            due = starts + timedelta(days=30 * months)
            done = "done" if due < ANCHOR.date() else "planned"
            rows.milestones.append(
                (
                    build.ids("collaboration_milestones", 1)[0],
                    record_id,
                    f"Milestone {n + 1}",
                    due,
                    done,
                    None,
                )
            )
        if status == "completed" and rng.random() < 0.5:
            rows.outcomes.append(
                (
                    build.ids("collaboration_outcomes", 1)[0],
                    record_id,
                    rng.choice(OUTCOMES),
                    f"{title}: result",
                    None,
                    _midday(ends),
                )
            )
        rows.changes.append(
            (
                build.ids("collaboration_changes", 1)[0],
                record_id,
                dean,
                created,
                "created",
                "{}",
                json.dumps({"title": title, "kind": kind, "status": "proposed"}),
            )
        )
        offered = postings_of.get(company.id, [])
        if offered and rng.random() < 0.05:
            rows.postings.append((record_id, rng.choice(offered)))
    rows.write(build)
    log(f"  {RECORDS:,} collaborations")


def _midday(day: date) -> datetime:
    """Noon in Hong Kong, as the columns hold it (naive UTC)."""
    return datetime(day.year, day.month, day.day, 4, 0)


class _Rows:
    def __init__(self) -> None:
        self.records: list[tuple] = []
        self.faculties: list[tuple] = []
        self.companies: list[tuple] = []
        self.people: list[tuple] = []
        self.students: list[tuple] = []
        self.milestones: list[tuple] = []
        self.outcomes: list[tuple] = []
        self.changes: list[tuple] = []
        self.postings: list[tuple] = []

    def write(self, build: Build) -> None:
        build.copy(
            "collaborations",
            (
                "id",
                "faculty_id",
                "kind",
                "status",
                "visibility",
                "title",
                "summary",
                "start_date",
                "end_date",
                "cash_hkd",
                "in_kind_hkd",
                "funding_scheme",
                "agreement_reference",
                "created_by_id",
                "created_at",
                "updated_at",
            ),
            self.records,
        )
        build.copy(
            "collaboration_faculties", ("collaboration_id", "faculty_id", "role"), self.faculties
        )
        build.copy(
            "collaboration_companies", ("collaboration_id", "company_id", "role"), self.companies
        )
        build.copy("collaboration_people", ("collaboration_id", "user_id", "role"), self.people)
        build.copy("collaboration_students", ("collaboration_id", "profile_id"), self.students)
        build.copy(
            "collaboration_milestones",
            ("id", "collaboration_id", "title", "due_on", "status", "reminded_at"),
            self.milestones,
        )
        build.copy(
            "collaboration_outcomes",
            ("id", "collaboration_id", "kind", "title", "link", "recorded_at"),
            self.outcomes,
        )
        build.copy(
            "collaboration_changes",
            ("id", "collaboration_id", "actor_id", "occurred_at", "what", "before", "after"),
            self.changes,
        )
        build.copy("collaboration_postings", ("collaboration_id", "posting_id"), self.postings)
