"""Programmes at park scale (issue 13's speed targets): 5,000 programmes over the years of
history and the months ahead, their sessions, 200,000 registrations (seats, waitlists and
places given up), and this year's AI in Action career day with 150 exhibiting companies
and 1,000 featured open roles. Scaled down with the data set (a hundredth at 10k)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bench.park import ANCHOR, HISTORY_STARTS
from bench.park.build import Build, log

KINDS = {
    "workshop": 30,
    "insight_session": 25,
    "career_day": 3,
    "themed_drive": 2,
    "mentoring": 15,
    "landing_activity": 5,
}
FORMATS = {"in_person": 55, "virtual": 25, "hybrid": 20}
THEMES = ["ai_data", "microelectronics", "life_health_tech", "fintech", "smart_city", None]
TOPICS = [
    ("Job search techniques", "求職技巧"),
    ("Building your personal brand", "建立個人品牌"),
    ("Machine learning in production", "機器學習實務"),
    ("Chip design careers", "晶片設計職涯"),
    ("Fintech regulation explained", "金融科技監管"),
    ("Interview practice", "面試練習"),
    ("Cantonese for newcomers", "初學廣東話"),
    ("Startup founders' stories", "初創創辦人分享"),
    ("Robotics lab open day", "機械人實驗室開放日"),
    ("Data analytics with Python", "Python 數據分析"),
]
VENUE = "Hong Kong Science Park, Building {n}W"
JOIN = "https://meet.bench.example/{id}"
CAREER_DAY_TITLE = "AI in Action Career Day 2027"
CAREER_DAY_EXHIBITORS = 150
CAREER_DAY_ROLES = 1_000


def _counts(build: Build) -> tuple[int, int]:
    """(programmes, registrations) for the scale: 5,000 and 200,000 at 1m."""
    share = (build.programme_scale or build.scale).applications / 1_000_000
    return max(50, int(5_000 * share)), max(2_000, int(200_000 * share))


def fill(build: Build) -> None:
    rng = build.rng("programmes")
    people, companies = build.made.people, [c for c in build.made.companies if c.verified]
    programme_count, registration_count = _counts(build)
    programmes, sessions = [], []
    kinds, kind_weights = list(KINDS), list(KINDS.values())
    formats, format_weights = list(FORMATS), list(FORMATS.values())
    span = (ANCHOR + timedelta(days=120) - HISTORY_STARTS).total_seconds()
    for programme_id in build.ids("programmes", programme_count):
        starts = HISTORY_STARTS + timedelta(seconds=span * rng.random())
        starts = starts.replace(minute=0, second=0, microsecond=0, hour=rng.choice([2, 6, 10]))
        kind, form = rng.choices(kinds, kind_weights)[0], rng.choices(formats, format_weights)[0]
        title_en, title_zh = rng.choice(TOPICS)
        organiser = rng.random()
        company = rng.choice(companies) if organiser < 0.4 else None
        faculty = rng.choice(people.faculties) if 0.4 <= organiser < 0.6 else None
        # Everything was announced before ANCHOR, the data set's "today".
        opens = min(
            starts - timedelta(days=rng.uniform(20, 60)),
            ANCHOR - timedelta(days=rng.uniform(1, 10)),
        )
        created = opens - timedelta(days=1)
        cancelled = rng.random() < 0.02
        programmes.append(
            (
                programme_id,
                kind,
                "cancelled" if cancelled else "published",
                f"{title_en} {programme_id}",
                f"{title_zh} {programme_id}",
                f"{title_en}: a session for students of every year. Bring questions.",
                f"{title_zh}：歡迎各年級學生參加，歡迎提問。",
                rng.choice(THEMES),
                company.id if company else None,
                faculty.id if faculty else None,
                form,
                VENUE.format(n=rng.randint(1, 20)) if form != "virtual" else None,
                JOIN.format(id=programme_id) if form != "in_person" else None,
                opens,
                starts - timedelta(hours=12),
                24,
                True,
                opens,
                created + timedelta(days=30) if cancelled else None,
                "The speaker cannot come; a new date follows." if cancelled else None,
                created,
                created,
            )
        )
        for n in range(1 if rng.random() < 0.85 else rng.randint(2, 6)):
            start = starts + timedelta(days=7 * n)
            sessions.append(
                [
                    build.ids("programme_sessions", 1)[0],
                    programme_id,
                    f"Session {n + 1}" if n else None,
                    start,
                    start + timedelta(hours=rng.choice([1, 1.5, 2, 3])),
                    rng.choice([20, 30, 40, 60, 80, 120, 200]),
                    rng.random() < 0.8,
                    0,
                    created,
                ]
            )
    career_day = _career_day(build, programmes, sessions)
    registrations = _registrations(build, rng, sessions, registration_count, career_day)
    _write(build, programmes, sessions, registrations)
    _exhibitors(build, rng, companies, career_day)
    build.made.programmes = career_day


def _career_day(build: Build, programmes: list, sessions: list) -> dict:
    """This year's AI in Action career day: ahead of ANCHOR, registration open, hybrid,
    two sessions of 3,000 seats (scaled with the students)."""
    programme_id = build.ids("programmes", 1)[0]
    day = datetime(2027, 2, 19, 2, 0)
    opens, created = ANCHOR - timedelta(days=10), ANCHOR - timedelta(days=11)
    programmes.append(
        (
            programme_id,
            "career_day",
            "published",
            CAREER_DAY_TITLE,
            "「AI in Action」職業日 2027",
            "150+ AI companies and 1,000+ roles, at the venue and online.",
            "超過150間人工智能公司及1,000多個職位，現場及網上同步進行。",
            "ai_data",
            None,
            None,
            "hybrid",
            VENUE.format(n=19),
            JOIN.format(id=programme_id),
            opens,
            day - timedelta(days=1),
            24,
            True,
            opens,
            None,
            None,
            created,
            created,
        )
    )
    seats = max(100, min(3_000, len(build.made.people.students) // 10))
    ids = []
    for hour, label in ((2, "Morning"), (6, "Afternoon")):
        session_id = build.ids("programme_sessions", 1)[0]
        start = day.replace(hour=hour)
        sessions.append(
            [
                session_id,
                programme_id,
                label,
                start,
                start + timedelta(hours=4),
                seats,
                True,
                0,
                created,
            ]
        )
        ids.append(session_id)
    return {"id": programme_id, "session_ids": ids}


def _registrations(build, rng, sessions, count, career_day) -> list:
    """Registrations spread over the sessions: most sessions fill part-way, some overflow
    into a waitlist; a tenth are given up. The career day takes its share first."""
    students = build.made.people.students
    by_id = {row[0]: row for row in sessions}
    rows, taken = [], set()
    day_sessions = career_day["session_ids"]
    per_session = [(sid, by_id[sid][5]) for sid in day_sessions]
    plan = [(sid, int(seats * 0.9)) for sid, seats in per_session]
    ordinary = [row for row in sessions if row[0] not in day_sessions]
    remaining = count - sum(n for _s, n in plan)
    weights = [row[5] for row in ordinary]
    total = sum(weights)
    for row, weight in zip(ordinary, weights, strict=True):
        plan.append((row[0], max(0, round(remaining * weight / total * rng.uniform(0.6, 1.4)))))
    persona = build.made.people.persona_student
    for session_id, wanted in plan:
        session = by_id[session_id]
        created = session[8]
        opened, starts = created + timedelta(days=1), session[3]
        sequence = seated = 0
        for student in rng.sample(students, min(wanted, len(students))):
            key = (session_id, student.profile_id)
            if key in taken:
                continue
            taken.add(key)
            sequence += 1
            moment = opened + (min(starts, ANCHOR) - opened) * rng.random()
            if rng.random() < 0.1:
                status, cancelled_at = "cancelled", moment + timedelta(hours=rng.uniform(1, 48))
            elif seated < session[5]:
                status, cancelled_at, seated = "registered", None, seated + 1
            elif session[6]:
                status, cancelled_at = "waitlisted", None
            else:
                sequence -= 1
                continue
            rows.append(
                (
                    build.ids("programme_registrations", 1)[0],
                    session_id,
                    student.profile_id,
                    status,
                    sequence,
                    moment,
                    None,
                    cancelled_at,
                )
            )
        session[7] = sequence
    # The persona student holds a seat in the career day and a dozen other programmes.
    for session in [by_id[day_sessions[0]], *rng.sample(ordinary, 12)]:
        if (session[0], persona.profile_id) in taken:
            continue
        session[7] += 1
        rows.append(
            (
                build.ids("programme_registrations", 1)[0],
                session[0],
                persona.profile_id,
                "registered",
                session[7],
                session[8] + timedelta(days=2),
                None,
                None,
            )
        )
    return rows


def _write(build: Build, programmes: list, sessions: list, registrations: list) -> None:
    build.copy(
        "programmes",
        (
            "id",
            "kind",
            "status",
            "title_en",
            "title_zh",
            "description_en",
            "description_zh",
            "theme",
            "organiser_company_id",
            "organiser_faculty_id",
            "format",
            "venue",
            "join_link",
            "registration_opens_at",
            "registration_closes_at",
            "cancellation_cutoff_hours",
            "open_to_non_local",
            "published_at",
            "cancelled_at",
            "cancellation_message",
            "created_at",
            "updated_at",
        ),
        programmes,
    )
    build.copy(
        "programme_sessions",
        (
            "id",
            "programme_id",
            "label",
            "starts_at",
            "ends_at",
            "capacity",
            "waitlist_enabled",
            "last_sequence",
            "created_at",
        ),
        (tuple(row) for row in sessions),
    )
    build.copy(
        "programme_registrations",
        (
            "id",
            "session_id",
            "profile_id",
            "status",
            "sequence",
            "created_at",
            "promoted_at",
            "cancelled_at",
        ),
        registrations,
    )
    log(f"  {len(programmes):,} programmes, {len(sessions):,} sessions")


def _exhibitors(build: Build, rng, companies: list, career_day: dict) -> None:
    """150 companies approved at the career day with booths, featuring 1,000 open roles
    between them (those of their own that are open)."""
    open_by_company: dict[int, list[int]] = {}
    for posting in build.made.postings.all:
        if posting.open:
            open_by_company.setdefault(posting.company_id, []).append(posting.id)
    exhibiting = [c for c in companies if c.id in open_by_company][:CAREER_DAY_EXHIBITORS]
    rows, representatives, featured = [], [], []
    budget = CAREER_DAY_ROLES
    for n, company in enumerate(exhibiting):
        exhibitor_id = build.ids("fair_exhibitors", 1)[0]
        created = ANCHOR - timedelta(days=rng.uniform(1, 9))
        rows.append(
            (
                exhibitor_id,
                career_day["id"],
                company.id,
                "approved",
                f"{chr(65 + n // 30)}{n % 30 + 1}",
                company.members[0],
                build.made.people.admin_id,
                created + timedelta(days=1),
                created,
            )
        )
        representatives += [(exhibitor_id, member) for member in company.members[:2]]
        share = max(1, budget // (len(exhibiting) - n))
        chosen = open_by_company[company.id][:share]
        budget -= len(chosen)
        featured += [(exhibitor_id, posting_id) for posting_id in chosen]
    build.copy(
        "fair_exhibitors",
        (
            "id",
            "programme_id",
            "company_id",
            "status",
            "booth",
            "requested_by_id",
            "decided_by_id",
            "decided_at",
            "created_at",
        ),
        rows,
    )
    build.copy("fair_representatives", ("exhibitor_id", "user_id"), representatives)
    build.copy("fair_featured_postings", ("exhibitor_id", "posting_id"), featured)
    log(f"  career day: {len(rows)} exhibitors, {len(featured):,} featured roles")
