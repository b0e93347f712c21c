"""The accounts and objects of the park-scale data set that load tests sign in as and
ask for. Other code relies on these names: change them only together with it.

Every bench account's password is PASSWORD. The park admins' second factor is
ADMIN_TOTP_SECRET, stored encrypted with ENCRYPTION_KEY (run the app with
FOUNDRY_ENCRYPTION_KEYS=ENCRYPTION_KEY). targets() reads the ids from the database.
"""

from __future__ import annotations

from bench.park import vocabulary
from bench.park.programmes import CAREER_DAY_TITLE

PASSWORD = "park-bench-password"
ENCRYPTION_KEY = "6fS2c3TGqfullMtf46lY__D0G_b3H4Lc9c3Pg0gIhuk="
ADMIN_TOTP_SECRET = "NI432PZ4KWRKUKK5OB3QXIVL6DNYQYGF"

STUDENT = "student@bench.example"  # CUHK engineering, complete profile, ~40 applications
RECRUITER = "recruiter@bench.example"  # recruiter of the company of the pipeline posting
DEAN = "dean@bench.example"  # dean of CUHK's Faculty of Engineering
COORDINATOR = "coordinator@bench.example"  # CUHK's university coordinator
PARK_ADMIN = "admin@bench.example"  # park admin, second factor enrolled
APPLICANT_POOL = 500  # applicant0@bench.example ... applicant499@bench.example
PIPELINE_APPLICATIONS = 500
FILTERS = "kind=summer_internship&mode=hybrid"  # the search page's kind and work mode


def applicant_email(n: int) -> str:
    if not 0 <= n < APPLICANT_POOL:
        raise ValueError(f"the applicant pool has {APPLICANT_POOL} students, not #{n}")
    return f"applicant{n}@bench.example"


def _query(connection, sql: str) -> list[tuple]:
    """Rows of a statement without parameters, on a SQLAlchemy or a psycopg connection."""
    if hasattr(connection, "exec_driver_sql"):  # SQLAlchemy: its psycopg connection, whose
        connection = connection.connection.driver_connection  # execute() reads no % in LIKE
    return [tuple(row) for row in connection.execute(sql).fetchall()]


# A posting one can apply to now, judged as the app does (Posting.is_open_for_applications).
OPEN = "p.status = 'published' AND p.deadline > (now() AT TIME ZONE 'UTC')"


def targets(connection) -> dict:
    """The ids and words the load tests use, read from the database."""
    [(university_id, faculty_id)] = _query(
        connection,
        "SELECT m.university_id, m.faculty_id FROM role_memberships m JOIN users u"
        f" ON u.id = m.user_id WHERE u.email = '{DEAN}' AND m.role = 'dean'",
    )
    [(company_slug, pipeline_id)] = _query(
        connection,
        "SELECT c.slug, p.id FROM postings p JOIN companies c ON c.id = p.company_id"
        " JOIN role_memberships m ON m.company_id = c.id JOIN users u ON u.id = m.user_id"
        # Built with exactly PIPELINE_APPLICATIONS; the most of the company's open postings.
        f" WHERE u.email = '{RECRUITER}' AND {OPEN} ORDER BY (SELECT count(*) FROM"
        " applications a WHERE a.posting_id = p.id) DESC, p.id LIMIT 1",
    )
    [(posting_id,)] = _query(
        connection,
        # Both languages: Han characters and Latin words in its title and description.
        f"SELECT p.id FROM postings p WHERE {OPEN} AND p.id <> {pipeline_id}"
        " AND p.title ~ '[一-鿿]' AND p.title ~ '[A-Za-z]{3}' AND p.description ~ '[一-鿿]'"
        " AND NOT EXISTS (SELECT 1 FROM screening_questions q WHERE q.posting_id = p.id)"
        " ORDER BY p.published_at DESC, p.id LIMIT 1",
    )
    fresh = [row[0] for row in _query(connection, _FRESH.format(pipeline=pipeline_id))]
    [(career_day_id,)] = _query(
        connection, f"SELECT id FROM programmes WHERE title_en = '{CAREER_DAY_TITLE}'"
    )
    # A programme ahead with the most registrations, the persona student's among them.
    [(programme_id,)] = _query(
        connection,
        "SELECT s.programme_id FROM programme_sessions s JOIN programmes p"
        " ON p.id = s.programme_id JOIN programme_registrations r ON r.session_id = s.id"
        f" WHERE p.status = 'published' AND p.id <> {career_day_id}"
        " AND s.starts_at > (now() AT TIME ZONE 'UTC')"
        " GROUP BY s.programme_id ORDER BY count(*) DESC, s.programme_id LIMIT 1",
    )
    return {
        "posting_id": posting_id,
        "pipeline_company_slug": company_slug,
        "pipeline_posting_id": pipeline_id,
        "faculty_id": faculty_id,
        "university_id": university_id,
        "fresh_posting_ids": fresh,
        "programme_id": programme_id,
        "career_day_id": career_day_id,
        "common_word": vocabulary.COMMON_WORD,
        "rare_word": vocabulary.RARE_WORD,
        "chinese_word": vocabulary.CHINESE_WORD,
        "filters": FILTERS,
    }


# Open postings without screening questions that every applicant-pool student may apply
# to (they share one cohort: the first one's profile stands for all) and none has applied
# to; the rules of foundry/eligibility/rules.py, approvals included. Not the pipeline
# posting, whose 500 applications stay 500.
_FRESH = f"""
WITH pool AS (
    SELECT sp.* FROM student_profiles sp JOIN users u ON u.id = sp.user_id
    WHERE u.email = 'applicant0@bench.example'
), pool_profiles AS (
    SELECT sp.id FROM student_profiles sp JOIN users u ON u.id = sp.user_id
    WHERE u.email LIKE 'applicant%@bench.example'
)
SELECT p.id FROM postings p, pool s, universities un
WHERE {OPEN} AND un.id = s.university_id AND p.id <> {{pipeline}}
  AND NOT EXISTS (SELECT 1 FROM screening_questions q WHERE q.posting_id = p.id)
  AND (NOT EXISTS (SELECT 1 FROM posting_universities x WHERE x.posting_id = p.id)
       OR EXISTS (SELECT 1 FROM posting_universities x
                  WHERE x.posting_id = p.id AND x.university_id = s.university_id))
  AND (NOT EXISTS (SELECT 1 FROM posting_faculties x WHERE x.posting_id = p.id)
       OR EXISTS (SELECT 1 FROM posting_faculties x
                  WHERE x.posting_id = p.id AND x.faculty_id = s.faculty_id))
  AND (NOT EXISTS (SELECT 1 FROM posting_levels x WHERE x.posting_id = p.id)
       OR EXISTS (SELECT 1 FROM posting_levels x
                  WHERE x.posting_id = p.id AND x.level = s.study_level))
  AND (p.graduation_year_from IS NULL OR p.graduation_year_from <= s.graduation_year)
  AND (p.graduation_year_to IS NULL OR p.graduation_year_to >= s.graduation_year)
  AND (p.open_to_non_local OR NOT s.non_local)
  AND (NOT un.posting_approval_required OR EXISTS (
       SELECT 1 FROM posting_approvals x WHERE x.posting_id = p.id
       AND x.university_id = s.university_id AND x.status = 'approved'))
  AND NOT EXISTS (SELECT 1 FROM applications a
                  WHERE a.posting_id = p.id AND a.profile_id IN (SELECT id FROM pool_profiles))
ORDER BY p.id
"""
