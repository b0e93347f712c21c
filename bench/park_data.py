"""The park-scale data set of the benchmarks, built in PostgreSQL with INSERT ... SELECT
generate_series (not the ORM, which would take hours): 6 universities, 9 faculties, 50
programmes, 60,000 students, 1,400 companies, 15,000 postings, about 1,000,000 applications
over four academic years (2022/23 to 2025/26, growing each year, with autumn and spring
peaks) with interview and offer dates, about 45,000 placements (accepted offers plus some
recorded by staff), 1,200,000 sign-ins and graduate outcomes; then the report summaries
filled from them, as `flask reports rebuild-summaries` would.

Used by bench/dashboard.py; not part of the test suite.
"""

from __future__ import annotations

import time

import sqlalchemy as sa

from foundry.extensions import db
from foundry.reports.summaries.maintenance import rebuild as rebuild_summaries
from foundry.reports.summaries.maintenance import tidy_after_rebuild

STUDENTS = 60_000
COMPANIES = 1_400
POSTINGS = 15_000
# Applications per academic year (a growing park): about a million in all.
APPLICATIONS = {2022: 205_000, 2023: 235_000, 2024: 265_000, 2025: 300_000}
SIGN_INS = 1_200_000
RECORDED_PLACEMENTS = 2_000

UNIVERSITIES = [
    # code, name, faculties: (code, name, programmes: (code, name, level, weight))
    (
        "CUHK",
        "The Chinese University of Hong Kong",
        [
            ("ENG", "Faculty of Engineering", 7),
            ("SCI", "Faculty of Science", 5),
        ],
    ),
    ("CITYU", "City University of Hong Kong", [("ENG", "College of Engineering", 6)]),
    ("HKBU", "Hong Kong Baptist University", [("SCI", "Faculty of Science", 4)]),
    (
        "POLYU",
        "The Hong Kong Polytechnic University",
        [
            ("FENG", "Faculty of Engineering", 6),
            ("FCLT", "Faculty of Computer and Mathematical Sciences", 5),
        ],
    ),
    (
        "HKUST",
        "The Hong Kong University of Science and Technology",
        [("SENG", "School of Engineering", 7)],
    ),
    (
        "HKU",
        "The University of Hong Kong",
        [
            ("ENG", "Faculty of Engineering", 6),
            ("CDS", "School of Computing and Data Science", 4),
        ],
    ),
]
PROGRAMME_SUBJECTS = [
    "Computer Science",
    "Computer Engineering",
    "Electronic Engineering",
    "Mechanical Engineering",
    "Civil Engineering",
    "Data Science",
    "Artificial Intelligence",
    "Biomedical Engineering",
    "Information Engineering",
    "Financial Technology",
    "Materials Science",
    "Environmental Engineering",
]
LEVELS = ["ug", "ug", "ug", "pg", "ug", "phd", "ug", "pg"]


# The reports' indexes of migration 0005: name -> (before 0005, as migrated).
# `--indexes before` puts back the definitions of migration 0004 in the bench database,
# `migrated` (the default) those of 0005, so both can be timed.
INDEXES = {
    "ix_audit_events_sign_ins": (
        None,
        "CREATE INDEX ix_audit_events_sign_ins ON audit_events (actor_id, occurred_at) "
        "WHERE ((action)::text = 'user.sign_in'::text)",
    ),
    "ix_applications_profile_id": (
        "CREATE INDEX ix_applications_profile_id ON applications (profile_id, submitted_at)",
        "CREATE INDEX ix_applications_profile_id ON applications (profile_id, submitted_at) "
        "INCLUDE (posting_id, interviewed_at, offered_at)",
    ),
    "ix_applications_submitted_at": (
        "CREATE INDEX ix_applications_submitted_at ON applications (submitted_at, profile_id)",
        "CREATE INDEX ix_applications_submitted_at ON applications (submitted_at, profile_id) "
        "INCLUDE (posting_id)",
    ),
}


def log(message: str) -> None:
    print(message, flush=True)


# --- the database ----------------------------------------------------------------------


def ensure_database(url: str, rebuild: bool) -> None:
    target = sa.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if exists and rebuild:
            log(f"dropping {target.database}")
            conn.execute(sa.text(f'DROP DATABASE "{target.database}" WITH (FORCE)'))
            exists = False
        if not exists:
            log(f"creating {target.database}")
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def populated(conn) -> bool:
    return (conn.scalar(sa.text("SELECT count(*) FROM applications")) or 0) >= 900_000


def _weighted_array(pairs: list[tuple[object, int]]) -> tuple[str, int]:
    """A SQL array literal repeating each value by its weight: pick one with
    (array)[1 + floor(random() * length)]."""
    values = [str(value) for value, weight in pairs for _ in range(weight)]
    return f"ARRAY[{', '.join(values)}]", len(values)


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def fill(conn) -> None:
    """The whole data set, in SQL."""
    started = time.perf_counter()

    # Universities, faculties and programmes (a few dozen rows).
    programme_weights = []
    faculty_id = programme_id = 0
    for university_id, (code, name, faculties) in enumerate(UNIVERSITIES, start=1):
        conn.execute(
            sa.text(
                "INSERT INTO universities (id, code, name_en, name_zh, enabled, created_at, "
                "updated_at, posting_approval_required) "
                "VALUES (:id, :code, :name, :code, true, now(), now(), false)"
            ),
            {"id": university_id, "code": code, "name": name},
        )
        for faculty_code, faculty_name, programmes in faculties:
            faculty_id += 1
            conn.execute(
                sa.text(
                    "INSERT INTO faculties (id, university_id, code, name_en, name_zh, "
                    "created_at, updated_at) VALUES (:id, :u, :code, :name, :code, now(), now())"
                ),
                {"id": faculty_id, "u": university_id, "code": faculty_code, "name": faculty_name},
            )
            for index in range(programmes):
                programme_id += 1
                level = LEVELS[(programme_id + index) % len(LEVELS)]
                subject = PROGRAMME_SUBJECTS[(programme_id * 5 + index) % len(PROGRAMME_SUBJECTS)]
                prefix = {"ug": "BEng", "pg": "MSc", "phd": "PhD"}[level]
                conn.execute(
                    sa.text(
                        "INSERT INTO study_programmes (id, faculty_id, code, name_en, name_zh, "
                        "level, created_at, updated_at) "
                        "VALUES (:id, :f, :code, :name, :name, :level, now(), now())"
                    ),
                    {
                        "id": programme_id,
                        "f": faculty_id,
                        "code": f"P{programme_id:03d}",
                        "name": f"{prefix} {subject}",
                        "level": level,
                    },
                )
                # Undergraduate programmes are bigger; some faculties much bigger.
                weight = (8 if level == "ug" else 3 if level == "pg" else 1) * (
                    1 + (faculty_id * 7) % 4
                )
                programme_weights.append((programme_id, weight))
    log(f"  {len(UNIVERSITIES)} universities, {faculty_id} faculties, {programme_id} programmes")

    programmes, programme_count = _weighted_array(programme_weights)
    statements = [
        (
            "staff users",
            """
            INSERT INTO users (id, email, display_name, active, created_at, updated_at)
            VALUES (1, 'dean@bench.example', 'Bench Dean', true, now(), now()),
                   (2, 'coordinator@bench.example', 'Bench Coordinator', true, now(), now()),
                   (3, 'admin@bench.example', 'Bench Park Admin', true, now(), now())
            """,
        ),
        (
            "students' users",
            f"""
            INSERT INTO users (id, email, display_name, active, created_at, updated_at)
            SELECT 1000 + n, 'student' || n || '@bench.example',
                   (ARRAY['Chan','Wong','Lee','Cheung','Lau','Ho','Ng','Leung','Tam','Yip',
                          'Li','Zhang','Wang','Liu','Chen','Kumar'])[1 + n % 16] || ' ' ||
                   (ARRAY['Ka Yan','Tsz Hin','Wing Sze','Chun Kit','Hoi Ying','Man Lok',
                          'Yuet','Jia Hui','Wei','Xin Yi','Priya','Ming'])[1 + (n / 16) % 12]
                   || ' ' || n,
                   true, now(), now()
            FROM generate_series(0, {STUDENTS - 1}) AS n
            """,
        ),
        (
            "student profiles",
            f"""
            INSERT INTO student_profiles (id, user_id, university_id, faculty_id, programme_id,
                student_number, study_level, graduation_year, non_local, talent_pool_opt_in,
                created_at, updated_at)
            SELECT s.n + 1, 1000 + s.n, f.university_id, p.faculty_id,
                   CASE WHEN s.n % 33 = 0 THEN NULL ELSE p.id END,
                   'B' || lpad(s.n::text, 8, '0'), p.level, 2023 + s.n % 8,
                   random() < 0.2, false, now(), now()
            FROM (SELECT n, ({programmes})[1 + floor(random() * {programme_count})::int] AS pid
                  FROM generate_series(0, {STUDENTS - 1}) AS n) AS s
            JOIN study_programmes p ON p.id = s.pid
            JOIN faculties f ON f.id = p.faculty_id
            """,
        ),
        (
            "companies",
            f"""
            INSERT INTO companies (id, slug, name, cluster, park_location, size,
                verification_status, verified_at, created_at, updated_at)
            SELECT n, 'company-' || n,
                   (ARRAY['Quantum','Harbour','Jade','Lion Rock','Victoria','Kowloon','Peak',
                          'Tsing Ma','Pearl','Sampan','Dragon','Lantau'])[1 + n % 12] || ' ' ||
                   (ARRAY['Robotics','Health','Pay','City Labs','Semiconductor','Materials',
                          'Energy','AI','Bio','Sensors'])[1 + (n / 12) % 10] || ' ' || n,
                   (ARRAY['ai_robotics','ai_robotics','ai_robotics','health_tech','health_tech',
                          'fintech','fintech','smart_city','microelectronics','new_materials',
                          'sustainability'])[1 + floor(random() * 11)::int],
                   (ARRAY['science_park','science_park','science_park','innocentre',
                          'innopark_tko','innopark_tp','innopark_yl','shenzhen_branch'])
                          [1 + floor(random() * 8)::int],
                   (ARRAY['1-10','11-50','11-50','51-200','201-1000'])
                          [1 + floor(random() * 5)::int],
                   'verified', now(), now(), now()
            FROM generate_series(1, {COMPANIES}) AS n
            """,
        ),
        (
            "postings",
            f"""
            INSERT INTO postings (id, company_id, title, kind, description, requirements,
                location, work_mode, pay_period, openings, open_to_non_local, deadline, status,
                published_at, search_text, created_at, updated_at)
            SELECT n, 1 + floor({COMPANIES} * power(random(), 1.8))::int,
                   (ARRAY['Software Engineer','Data Scientist','Hardware Engineer',
                          'Research Assistant','Product Analyst','ML Engineer',
                          'Embedded Engineer','Quant Analyst'])[1 + n % 8] || ' ' || n,
                   (ARRAY['summer_internship','summer_internship','summer_internship',
                          'summer_internship','part_time_internship','part_time_internship',
                          'year_long_placement','year_long_placement','graduate_role',
                          'graduate_role','graduate_role','graduate_role','graduate_role',
                          'research_assistant'])[1 + floor(random() * 14)::int],
                   '', '', 'Hong Kong Science Park', 'hybrid', 'month', 1 + n % 3, true,
                   timestamp '2022-09-01' + (n % 1460) * interval '1 day' + interval '60 days',
                   CASE WHEN n % 10 = 0 THEN 'published' ELSE 'closed' END,
                   timestamp '2022-08-01' + (n % 1460) * interval '1 day', '',
                   timestamp '2022-08-01' + (n % 1460) * interval '1 day', now()
            FROM generate_series(1, {POSTINGS}) AS n
            """,
        ),
    ]
    for year, count in APPLICATIONS.items():
        # Students apply while they study: graduating one to three years later. Some apply
        # a lot, many a little (power of random()); popular postings get more.
        statements.append(
            (
                f"applications {year}/{(year + 1) % 100:02d}",
                f"""
                INSERT INTO applications (posting_id, profile_id, company_id, status,
                    cover_letter, answers, cv_title, cv_filename, cv_size_bytes, cv_page_count,
                    cv_sha256, cv_content, submitted_at, status_changed_at, interviewed_at,
                    offered_at)
                SELECT x.posting_id, x.profile_id, p.company_id,
                       CASE WHEN x.offered THEN
                                CASE WHEN x.r < 0.55 THEN 'accepted'
                                     WHEN x.r < 0.85 THEN 'declined' ELSE 'offer' END
                            WHEN x.interviewed THEN
                                CASE WHEN x.r < 0.7 THEN 'rejected' ELSE 'interview' END
                            ELSE CASE WHEN x.r < 0.08 THEN 'withdrawn'
                                      WHEN x.r < 0.5 THEN 'rejected'
                                      WHEN x.r < 0.75 THEN 'under_review'
                                      ELSE 'submitted' END
                       END,
                       '', '[]', 'CV', 'cv.pdf', 1024, 1, repeat('0', 64),
                       '\\x255044462d'::bytea, x.submitted_at, x.submitted_at,
                       CASE WHEN x.interviewed THEN x.submitted_at + x.wait_interview END,
                       CASE WHEN x.offered THEN x.submitted_at + x.wait_interview + x.wait_offer END
                FROM (
                    SELECT 1 + floor({POSTINGS} * power(random(), 1.6))::int AS posting_id,
                           1 + 8 * floor(7500 * power(random(), 1.3))::int
                             + ({year} + 1 - 2023) + floor(random() * 3)::int AS profile_id,
                           timestamp '{year}-08-31 16:00' + CASE
                               WHEN k.r1 < 0.25
                                   THEN interval '30 days' + random() * interval '61 days'
                               WHEN k.r1 < 0.45
                                   THEN interval '153 days' + random() * interval '59 days'
                               ELSE random() * interval '365 days' END AS submitted_at,
                           k.r2 < 0.22 AS interviewed,
                           k.r2 < 0.22 * 0.36 AS offered,
                           random() AS r,
                           interval '5 days' + random() * interval '25 days' AS wait_interview,
                           interval '3 days' + random() * interval '14 days' AS wait_offer
                    FROM (SELECT random() AS r1, random() AS r2
                          FROM generate_series(1, {count})) AS k
                ) AS x
                JOIN postings p ON p.id = x.posting_id
                ON CONFLICT (posting_id, profile_id) DO NOTHING
                """,
            )
        )
    statements += [
        (
            "portal placements (accepted offers)",
            """
            INSERT INTO placements (application_id, profile_id, company_id, posting_id, kind,
                source, placed_at, start_date, end_date, confirmed_by_student_at, completion,
                created_at)
            SELECT a.id, a.profile_id, a.company_id, a.posting_id, p.kind, 'portal',
                   a.offered_at + interval '1 day' + random() * interval '9 days',
                   (a.offered_at + interval '40 days')::date,
                   (a.offered_at + interval '130 days')::date,
                   a.offered_at + interval '2 days', 'ongoing', a.offered_at
            FROM applications a JOIN postings p ON p.id = a.posting_id
            WHERE a.status = 'accepted'
            """,
        ),
        (
            "recorded placements",
            f"""
            INSERT INTO placements (profile_id, company_id, employer_name, kind, role_title,
                source, placed_at, start_date, completion, created_at, recorded_by_id)
            SELECT 1 + floor(random() * {STUDENTS})::int, NULL,
                   (ARRAY['HSBC','MTR Corporation','Hospital Authority','CLP Power',
                          'Cathay Pacific','Arup'])[1 + n % 6],
                   CASE WHEN n % 5 = 0 THEN NULL
                        ELSE (ARRAY['summer_internship','graduate_role','year_long_placement',
                                    'part_time_internship'])[1 + n % 4] END,
                   'Engineer', 'recorded', t, (t + interval '30 days')::date, 'ongoing', t, 1
            FROM (SELECT n, timestamp '2022-09-01' + random() * interval '1460 days' AS t
                  FROM generate_series(1, {RECORDED_PLACEMENTS}) AS n) AS s
            """,
        ),
        (
            "sign-ins",
            f"""
            INSERT INTO audit_events (occurred_at, actor_id, action, object_type, object_id,
                summary, details, origin)
            SELECT t, u, 'user.sign_in', 'user', u::text, 'Signed in (sso)', '{{}}', 'web'
            FROM (SELECT timestamp '2022-08-31 16:00' + random() * interval '1461 days' AS t,
                         1000 + floor({STUDENTS} * power(random(), 1.2))::int AS u
                  FROM generate_series(1, {SIGN_INS})) AS s
            ORDER BY t
            """,
        ),
        (
            "other audit events",
            """
            INSERT INTO audit_events (occurred_at, actor_id, action, object_type, object_id,
                summary, details, origin)
            SELECT timestamp '2022-08-31 16:00' + random() * interval '1461 days', 1,
                   'posting.publish', 'posting', n::text, 'Published', '{}', 'web'
            FROM generate_series(1, 200000) AS n
            """,
        ),
        (
            "graduate outcomes",
            """
            INSERT INTO graduate_outcomes (profile_id, outcome, employer_name, found_via,
                recorded_at, recorded_by_id)
            SELECT sp.id,
                   (ARRAY['employed_full_time','employed_full_time','employed_full_time',
                          'employed_part_time','self_employed','continuing_education',
                          'continuing_education','seeking','not_seeking'])
                          [1 + floor(random() * 9)::int],
                   'Employer', 'graduate survey', now(), 1
            FROM student_profiles sp
            WHERE sp.graduation_year IN (2024, 2025, 2026) AND random() < 0.35
            """,
        ),
    ]
    for label, statement in statements:
        step = time.perf_counter()
        result = conn.execute(sa.text(statement))
        log(f"  {label}: {result.rowcount:,} rows ({time.perf_counter() - step:.1f} s)")

    # The staff viewers: the dean of the biggest faculty, the coordinator of the biggest
    # university, the park admin.
    conn.execute(
        sa.text(
            """
            INSERT INTO role_memberships (user_id, role, university_id, faculty_id,
                created_at, updated_at)
            SELECT 1, 'dean', university_id, faculty_id, now(), now()
            FROM student_profiles GROUP BY university_id, faculty_id
            ORDER BY count(*) DESC LIMIT 1
            """
        )
    )
    conn.execute(
        sa.text(
            """
            INSERT INTO role_memberships (user_id, role, university_id, created_at, updated_at)
            SELECT 2, 'university_coordinator', university_id, now(), now()
            FROM student_profiles GROUP BY university_id ORDER BY count(*) DESC LIMIT 1
            """
        )
    )
    conn.execute(
        sa.text(
            "INSERT INTO role_memberships (user_id, role, created_at, updated_at) "
            "VALUES (3, 'park_admin', now(), now())"
        )
    )
    for table in (
        "universities",
        "faculties",
        "study_programmes",
        "users",
        "student_profiles",
        "companies",
        "postings",
    ):
        conn.execute(
            sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")
        )
    log(f"filled in {time.perf_counter() - started:.0f} s")


def set_indexes(url: str, which: str) -> None:
    """Make the bench database's indexes those of migration 0005 or those before it."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    changed = False
    with engine.connect() as conn:
        for name, (before, migrated) in INDEXES.items():
            wanted = before if which == "before" else migrated
            current = conn.scalar(
                sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"),
                {"name": name},
            )

            def normal(sql: str | None) -> str | None:
                return None if sql is None else " ".join(sql.replace("public.", "").split())

            current_sql = normal(current.replace(" USING btree", "")) if current else None
            if current_sql == normal(wanted):
                continue
            if current is not None:
                conn.execute(sa.text(f"DROP INDEX {name}"))
            if wanted is not None:
                step = time.perf_counter()
                conn.execute(sa.text(wanted))
                log(f"  built {name} ({time.perf_counter() - step:.1f} s)")
            changed = True
        if changed:
            conn.execute(sa.text("VACUUM ANALYZE applications"))
            conn.execute(sa.text("VACUUM ANALYZE audit_events"))
    engine.dispose()
    log(f"indexes: {which}")


def vacuum_analyze(url: str) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        step = time.perf_counter()
        conn.execute(sa.text("VACUUM ANALYZE"))
        log(f"VACUUM ANALYZE ({time.perf_counter() - step:.0f} s)")
    engine.dispose()


def fill_summaries(url: str) -> None:
    """The report summaries from the raw rows just written (bulk SQL is followed by no
    one), then vacuumed and analysed."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        started = time.perf_counter()
        written = rebuild_summaries(conn, lambda table, rows: log(f"  {table}: {rows:,} rows"))
        seconds, rows = time.perf_counter() - started, sum(written.values())
        log(f"report summaries rebuilt in {seconds:.1f} s ({rows:,} rows)")
    tidy_after_rebuild(engine)
    engine.dispose()


def print_counts() -> None:
    log("\ndata set:")
    for table in (
        "universities",
        "faculties",
        "study_programmes",
        "student_profiles",
        "companies",
        "postings",
        "applications",
        "placements",
        "audit_events",
        "graduate_outcomes",
    ):
        count = db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))
        log(f"  {table:<18} {count:>10,}")
    log(
        "  applications per academic year: "
        + ", ".join(
            f"{int(year)}/{(int(year) + 1) % 100:02d} {count:,}"
            for year, count in db.session.execute(
                sa.text(
                    "SELECT extract(year FROM submitted_at + interval '8 hours' "
                    "- interval '8 months') AS y, count(*) FROM applications "
                    "GROUP BY y ORDER BY y"
                )
            )
        )
    )
