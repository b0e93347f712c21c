"""What students and staff did besides applying: sign-ins (the audit log, which the
dashboard's "active" figure reads), graduate outcomes, placements recorded by staff
(found outside the portal), saved postings and the persona student's notifications."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from flask_babel import force_locale

from bench.park import ANCHOR, personas
from bench.park.build import Build, log
from foundry.messages import SIGN_IN, render_notice, render_summary

OUTCOMES = ["employed_full_time"] * 4 + [
    "employed_part_time",
    "self_employed",
    "postgrad_internship",
    "continuing_education",
    "continuing_education",
    "seeking",
    "not_seeking",
]
EMPLOYERS = [
    "HSBC",
    "MTR Corporation",
    "Hospital Authority",
    "CLP Power",
    "Cathay Pacific",
    "Arup",
    "ASM Pacific",
    "Hong Kong Observatory",
]
RECORDED_KINDS = [
    None,
    "summer_internship",
    "graduate_role",
    "year_long_placement",
    "part_time_internship",
]


def fill(build: Build) -> None:
    _sign_ins(build)
    _outcomes_and_recorded_placements(build)
    _saved_postings(build)
    _persona_notifications(build)


def _graduated(graduation_year: int) -> datetime:
    return datetime(graduation_year, 7, 31)


def _sign_ins(build: Build) -> None:
    """Students sign in while they study (some often, most now and then) through their
    university; staff and company members with their passwords. In time order, as the
    log grows."""
    rng = build.rng("sign-ins")
    people = build.made.people
    with force_locale("en"):
        summary = render_summary(SIGN_IN, {})
    mean = build.scale.sign_ins_per_student
    events = []
    students = [*people.students, people.persona_student, *people.pool]
    for _profile, user_id, *_cohort, graduation, _non_local, _cv in students:
        start = max(ANCHOR - timedelta(days=4 * 365 + 100), _graduated(graduation - 4))
        end = min(ANCHOR, _graduated(graduation) + timedelta(days=60))
        if end <= start:
            continue
        span = (end - start).total_seconds()
        for _n in range(int(rng.expovariate(1 / mean))):
            events.append((start + timedelta(seconds=span * rng.random()), user_id, "sso"))
    staff = [people.admin_id, *people.coordinators.values(), *people.deans.values()]
    staff += [member for company in build.made.companies for member in company.members]
    for user_id in staff:
        for _n in range(rng.randint(5, 60)):
            events.append((ANCHOR - timedelta(days=rng.uniform(0, 1500)), user_id, "password"))
    events.sort()
    details = {method: json.dumps({"method": method}) for method in ("sso", "password")}
    build.copy(
        "audit_events",
        (
            "id",
            "occurred_at",
            "actor_id",
            "action",
            "object_type",
            "object_id",
            "summary",
            "details",
            "origin",
            "ip_address",
            "params",
        ),
        (
            (
                build.ids("audit_events", 1)[0],
                at,
                user_id,
                SIGN_IN,
                "users",
                str(user_id),
                summary,
                details[method],
                "web",
                f"10.{user_id % 200}.{user_id % 97}.7",
                "{}",
            )
            for at, user_id, method in events
        ),
    )


def _outcomes_and_recorded_placements(build: Build) -> None:
    rng = build.rng("outcomes")
    people = build.made.people
    outcomes, placements = [], []
    for profile_id, _user, _university, faculty, _level, graduation, _nl, _cv in people.students:
        dean = people.deans[faculty]
        if _graduated(graduation) < ANCHOR and rng.random() < 0.35:
            outcome = rng.choice(OUTCOMES)
            employed = outcome.startswith(("employed", "postgrad"))
            recorded = min(ANCHOR, _graduated(graduation) + timedelta(days=rng.uniform(60, 240)))
            outcomes.append(
                (
                    build.ids("graduate_outcomes", 1)[0],
                    profile_id,
                    outcome,
                    rng.choice(EMPLOYERS) if employed else None,
                    "Engineer" if employed else None,
                    "graduate survey",
                    dean,
                    recorded,
                )
            )
        if rng.random() < 0.02 and graduation >= 2023:
            placed = min(
                ANCHOR - timedelta(days=1),
                _graduated(graduation) - timedelta(days=rng.uniform(30, 900)),
            )
            kind = rng.choice(RECORDED_KINDS)
            placements.append(
                (
                    build.ids("placements", 1)[0],
                    profile_id,
                    None,
                    rng.choice(EMPLOYERS),
                    kind,
                    "Engineering intern",
                    "recorded",
                    placed,
                    (placed + timedelta(days=30)).date(),
                    "ongoing",
                    placed,
                    dean,
                )
            )
    build.copy(
        "graduate_outcomes",
        (
            "id",
            "profile_id",
            "outcome",
            "employer_name",
            "job_title",
            "found_via",
            "recorded_by_id",
            "recorded_at",
        ),
        outcomes,
    )
    build.copy(
        "placements",
        (
            "id",
            "profile_id",
            "company_id",
            "employer_name",
            "kind",
            "role_title",
            "source",
            "placed_at",
            "start_date",
            "completion",
            "created_at",
            "recorded_by_id",
        ),
        placements,
    )


def _saved_postings(build: Build) -> None:
    """Students still studying keep a few open postings; the persona student eight."""
    rng = build.rng("saved")
    people, postings = build.made.people, build.made.postings
    open_ids = [p.id for p in postings.all if p.open]
    rows = [
        (people.persona_student.user_id, posting_id, ANCHOR - timedelta(days=n + 1))
        for n, posting_id in enumerate(rng.sample(open_ids, 8))
    ]
    for _profile, user_id, *_c, graduation, _nl, _cv in people.students:
        if graduation > ANCHOR.year and rng.random() < 0.1:
            for posting_id in rng.sample(open_ids, rng.randint(1, 4)):
                rows.append((user_id, posting_id, ANCHOR - timedelta(days=rng.uniform(1, 90))))
    build.copy("saved_postings", ("user_id", "posting_id", "created_at"), rows)


def _persona_notifications(build: Build) -> None:
    """What the app told the persona student of their applications' moves (the newest
    unread), rendered as foundry.notifications.services.notify() stores them."""
    student_user = build.made.people.persona_student.user_id
    moves = build.execute_rows(
        "SELECT p.title, e.to_status, e.created_at, a.id FROM application_events e"
        " JOIN applications a ON a.id = e.application_id JOIN postings p ON p.id = a.posting_id"
        " WHERE a.profile_id = %(profile)s AND e.from_status IS NOT NULL"
        " ORDER BY e.created_at DESC LIMIT 15",
        {"profile": build.made.people.persona_student.profile_id},
    )
    rows = []
    with force_locale("en"):
        for n, (title, status, at, application_id) in enumerate(moves):
            params = {"title": title, "status": status}
            heading, body = render_notice("application.moved", params)
            rows.append(
                (
                    build.ids("notifications", 1)[0],
                    student_user,
                    "application.moved",
                    "application.moved",
                    json.dumps(params),
                    heading,
                    body,
                    f"/me/applications/{application_id}",
                    at,
                    None if n < 5 else at + timedelta(hours=3),
                )
            )
    build.copy(
        "notifications",
        (
            "id",
            "user_id",
            "kind",
            "message_key",
            "params",
            "title",
            "body",
            "link",
            "created_at",
            "read_at",
        ),
        rows,
    )
    log(f"  the persona student ({personas.STUDENT}): {len(rows)} notifications")
