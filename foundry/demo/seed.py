"""`seed_demo()`: the demo, acted out by its people through the services over the two past
academic years and this one, with the clock (foundry.clock) moved to each moment.

The first run writes the reference data (foundry.demo.reference), gives the cast their
accounts, and plays the stories: companies post roles, the park publishes them, students
apply, recruiters answer, placements are recorded and evaluated, people sign in. The report
summaries follow every write, as they do for the routes. A later run finds the cast there
and adds only students asked for who are missing (they join today), so running it twice
adds nothing. The whole run is one transaction, committed at the end.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from foundry import clock
from foundry.accounts.models import Role, RoleMembership, User
from foundry.companies.models import VerificationStatus
from foundry.companies.services import set_verification
from foundry.demo import cast, story_collaborations, story_fairs, story_programmes
from foundry.demo import reference as ref
from foundry.demo import story_records as records
from foundry.demo.agenda import Agenda, academic_year, days, year_start
from foundry.demo.seed_sso import seed_sso_connections
from foundry.demo.story_applications import Applicant, Market
from foundry.demo.story_postings import Desk, plan_postings, tell
from foundry.extensions import db

SIGN_IN_HINT = "Run `make run` and open http://127.0.0.1:5000/demo/sign-in"
SSO_HINT = (
    "University sign-in (HKUST, HKU): run `make idp` in a second terminal, then pick the "
    "university at http://127.0.0.1:5000/sign-in"
)


@dataclass
class SeedSummary:
    """What one run created and what it found already there, in rows by table."""

    created: Counter[str]
    present: Counter[str]
    users_by_role: dict[Role, int]

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_present(self) -> int:
        return sum(self.present.values())

    def describe(self) -> str:
        lines = [
            f"Demo data: {self.total_created:,} created, {self.total_present:,} already present."
        ]
        if self.total_created:
            made = ", ".join(f"{n:,} {kind}" for kind, n in self.created.items() if n)
            lines.append(f"  Created: {made}.")
        roles = ", ".join(
            f"{role.value.replace('_', ' ')} {self.users_by_role.get(role, 0):,}" for role in Role
        )
        lines += [f"Users by role: {roles}.", SIGN_IN_HINT]
        if self.created["sso connections"] or self.present["sso connections"]:
            lines.append(SSO_HINT)
        return "\n".join(lines)


def _counts() -> Counter[str]:
    """Rows in every table, by the table's name in words, in the order tables fill."""
    rows = sa.select(sa.func.count())
    tables = db.metadata.sorted_tables
    return Counter(
        {t.name.replace("_", " "): db.session.scalar(rows.select_from(t)) for t in tables}
    )


def seed_demo(
    student_count: int = 200, progress: bool = True, sso: bool | None = None
) -> SeedSummary:
    """Play whatever part of the demo is missing, and commit.

    `sso` connects HKUST and HKU to the local IdPs of `make idp`; by default only where a
    plain-http loopback IdP is allowed and not under test (i.e. in development)."""
    before = _counts()
    places = ref.seed_reference()
    rng = random.Random(cast.RANDOM_SEED)
    people = cast.staff(rng)
    today = clock.now()
    current = academic_year(today)
    students = cast.students(rng, student_count, current)
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    if cast.PARK_ADMIN[0] in users:  # played before: newcomers join today
        for student in students:
            if student.email not in users:
                cast.enrol(places, student)
    else:
        _play(places, people, students, today, current, progress)
    if sso is None:
        sso = current_app.config["OIDC_ALLOW_LOOPBACK_HTTP"] and not current_app.testing
    if sso:
        park_admin = db.session.scalar(sa.select(User).where(User.email == cast.PARK_ADMIN[0]))
        seed_sso_connections(places.universities, park_admin)
    db.session.flush()
    after = _counts()
    role, people_count = RoleMembership.role, sa.func.count(sa.distinct(RoleMembership.user_id))
    by_role = dict(db.session.execute(sa.select(role, people_count).group_by(role)).all())
    db.session.commit()
    return SeedSummary(Counter({k: after[k] - before[k] for k in after}), +before, by_role)


def _play(places, people, students, today, current, progress) -> None:
    years = range(current - 2, current + 1)
    with clock.frozen_at(year_start(years[0]) - days(20)):
        users = {p.email: cast.account(places, p) for p in people}
        park_admin = users[cast.PARK_ADMIN[0]]
        for row in ref.companies():
            if row.verification in (VerificationStatus.VERIFIED, VerificationStatus.REJECTED):
                set_verification(park_admin, places.companies[row.slug], row.verification)
        profiles = [cast.enrol(places, s) for s in students]
        cast.account(places, cast.FOUNDER)
    members: dict[int, list[User]] = {}
    for p in people:
        if p.company:
            members.setdefault(places.companies[p.company].id, []).append(users[p.email])
    posts = {(p.role, p.university, p.faculty): users[p.email] for p in people}
    desk = Desk(park_admin, posts[Role.UNIVERSITY_COORDINATOR, "HKU", None], members)
    agenda = Agenda(until=today)
    applicants = [
        Applicant(s, p.user, p, posts[Role.PLACEMENT_OFFICER, s.university, s.faculty])
        for s, p in zip(students, profiles, strict=True)
    ]
    market = Market(agenda, applicants, scale=max(len(students), 40) / 250)
    rng = random.Random(f"{cast.RANDOM_SEED}:postings")
    plans = [plan for year in years for plan in plan_postings(rng, desk, places, year, today)]
    for plan in plans:
        tell(agenda, desk, plan, market.on_published)
    records.karens_year(agenda, market, applicants[0], plans)
    records.first_faculty_placement(agenda, market, plans)
    records.browse(agenda, market, plans, years)
    records.invite_from_pool(agenda, market, desk, plans, scripted=applicants[0])
    records.faculty_records(agenda, market, years)
    organisers = story_programmes.Organisers(
        park_admin,
        company_members={
            slug: members[company.id][0]
            for slug, company in places.companies.items()
            if company.id in members
        },
        faculty_staff={
            (university, faculty): user
            for (role, university, faculty), user in posts.items()
            if role is Role.PLACEMENT_OFFICER
        },
    )
    hiring = story_fairs.Hiring(market, plans)
    story_programmes.programmes(agenda, organisers, places, applicants, years, hiring)
    agenda.play("Postings, Applications and Programmes", progress)
    records.evaluations(agenda, market)
    agenda.play("Evaluations", progress)
    story_collaborations.collaborations(posts, members, places, years)
