"""A park's worth of rows on PostgreSQL, written with INSERT ... SELECT generate_series (the
ORM would take minutes): enough postings, students and applications that the planner
prefers an index wherever one serves, as it would in production. Then the report
summaries are rebuilt from them and every table is analysed.

Most postings are old (closed or archived, or published with their deadline passed); a
few percent are open, as in a park that has run for years. The students are spread over
the `world`'s faculties and a dozen more, so that a dean's faculty is a small part of the
summaries, as at the park's six universities. Student A1 of the `world` has applied
often, and Alpha's "Pipeline posting" has many applicants.
"""

from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa

from foundry.extensions import db
from foundry.messages import SIGN_IN
from foundry.postings.search_index import index_text
from foundry.reports.summaries.maintenance import rebuild, tidy_after_rebuild
from tests import factories as f

COMPANIES = 60
POSTINGS = 6_000
UNIVERSITIES = 5  # besides the world's two, with FACULTIES each
FACULTIES = 3
PROGRAMMES = 4  # per faculty
STUDENTS = 6_000
APPLICATIONS_EACH = 6  # per bulk student, over four academic years
SIGN_INS_EACH = 4  # per bulk student, over four academic years
A1_APPLICATIONS = 40
PIPELINE_APPLICANTS = 80
KEYWORD = "lidar"  # in one posting in 250, all of them open
CHINESE_WORD = "機械人"  # in one posting in 300, all of them open
BIG_TABLES = ("postings", "applications")

_STATEMENTS = (
    """
    INSERT INTO companies (slug, name, cluster, park_location, size, verification_status,
        verified_at, created_at, updated_at)
    SELECT 'bulk-' || n, 'Bulk Company ' || n,
           (ARRAY['ai_robotics','health_tech','fintech','smart_city'])[1 + n % 4],
           'science_park', '11-50', 'verified', now(), now(), now()
    FROM generate_series(1, :companies) AS n
    """,
    """
    INSERT INTO postings (company_id, title, kind, description, requirements, location,
        work_mode, pay_period, openings, open_to_non_local, deadline, status, published_at,
        search_title, search_text, created_at, updated_at)
    SELECT c.ids[1 + n % cardinality(c.ids)], 'Role ' || n,
           (ARRAY['summer_internship','graduate_role','part_time_internship'])[1 + n % 3],
           '', '', 'Hong Kong Science Park', 'hybrid', 'month', 1, true,
           CASE WHEN o.open THEN now() + (1 + n % 60) * interval '1 day'
                ELSE now() - (1 + n % 700) * interval '1 day' END,
           CASE WHEN o.open OR n % 7 = 0 THEN 'published'
                WHEN n % 2 = 0 THEN 'closed' ELSE 'archived' END,
           now() - (n % 700) * interval '1 day' - interval '30 days',
           'Role ' || n,
           CASE WHEN n % 250 = 0 THEN :keyword_text WHEN n % 300 = 0 THEN :chinese_text
                ELSE 'warehouse logistics role ' || n END,
           now() - (n % 700) * interval '1 day' - interval '40 days', now()
    FROM generate_series(1, :postings) AS n,
         LATERAL (SELECT n % 33 = 0 OR n % 250 = 0 OR n % 300 = 0 AS open) AS o,
         (SELECT array_agg(id ORDER BY id) AS ids FROM companies) AS c
    """,
    """
    INSERT INTO universities (code, name_en, name_zh, enabled, posting_approval_required,
        created_at, updated_at)
    SELECT 'BULK' || n, 'Bulk University ' || n, 'Bulk ' || n, true, false, now(), now()
    FROM generate_series(1, :universities) AS n
    """,
    """
    INSERT INTO faculties (university_id, code, name_en, name_zh, created_at, updated_at)
    SELECT u.id, 'F' || n, 'Faculty ' || n, 'F' || n, now(), now()
    FROM universities u CROSS JOIN generate_series(1, :faculties) AS n
    WHERE u.code LIKE 'BULK%'
    """,
    """
    INSERT INTO study_programmes (faculty_id, code, name_en, name_zh, level, created_at,
        updated_at)
    SELECT fac.id, 'P' || fac.id || '-' || n, 'Programme ' || n, 'P' || n, 'ug', now(), now()
    FROM faculties fac CROSS JOIN generate_series(1, :programmes) AS n
    """,
    """
    INSERT INTO users (email, display_name, active, created_at, updated_at)
    SELECT 'bulk-student-' || n || '@example.org', 'Bulk Student ' || n, true, now(), now()
    FROM generate_series(1, :students) AS n
    """,
    """
    INSERT INTO student_profiles (user_id, university_id, faculty_id, programme_id,
        student_number, study_level, graduation_year, non_local, talent_pool_opt_in,
        talent_pool_opted_in_at, created_at, updated_at)
    SELECT u.id, fac.university_id, fac.id, programme.id, 'B' || u.id, 'ug',
           2025 + u.id % 4, u.id % 5 = 0, u.id % 2 = 0,
           CASE WHEN u.id % 2 = 0 THEN now() END, now(), now()
    FROM users u
    CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM study_programmes) AS ps
    JOIN study_programmes programme ON programme.id = ps.ids[1 + u.id % cardinality(ps.ids)]
    JOIN faculties fac ON fac.id = programme.faculty_id
    WHERE u.email LIKE 'bulk-student-%'
    """,
    # Sign-ins over four academic years (the dashboards' "active on the portal").
    """
    INSERT INTO audit_events (occurred_at, actor_id, action, object_type, object_id, summary,
        details, origin)
    SELECT timestamp with time zone '2022-09-20'
           + ((u.id * 53 + k * 211) % 1400) * interval '1 day',
           u.id, :sign_in, 'user', u.id::text, '', '{}', 'web'
    FROM users u CROSS JOIN generate_series(1, :sign_ins_each) AS k
    WHERE u.email LIKE 'bulk-student-%'
    """,
    # Each bulk student applies to a few postings over four academic years.
    """
    INSERT INTO applications (posting_id, profile_id, company_id, status, cover_letter,
        answers, cv_title, cv_filename, cv_size_bytes, cv_page_count, cv_sha256, cv_content,
        submitted_at, status_changed_at, interviewed_at, offered_at)
    SELECT p.id, s.id, p.company_id,
           (ARRAY['submitted','rejected','interview','accepted','withdrawn'])[1 + k.k % 5],
           '', '[]', 'CV', 'cv.pdf', 5, 1, repeat('0', 64), '\\x255044462d'::bytea,
           a.at, a.at,
           CASE WHEN k.k % 5 IN (2, 3) THEN a.at + interval '5 days' END,
           CASE WHEN k.k % 5 = 3 THEN a.at + interval '9 days' END
    FROM student_profiles s
    CROSS JOIN generate_series(1, :applications_each) AS k(k)
    CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM postings) AS ps
    JOIN postings p ON p.id = ps.ids[1 + (s.id * 7 + k.k * 131) % cardinality(ps.ids)]
    CROSS JOIN LATERAL (SELECT timestamp with time zone '2022-09-15'
                               + ((s.id * 37 + k.k * 101) % 1400) * interval '1 day' AS at) AS a
    WHERE s.student_number LIKE 'B%'
    ON CONFLICT (posting_id, profile_id) DO NOTHING
    """,
    # Student A1's many applications, and the pipeline posting's many applicants.
    """
    INSERT INTO applications (posting_id, profile_id, company_id, status, cover_letter,
        answers, cv_title, cv_filename, cv_size_bytes, cv_page_count, cv_sha256, cv_content,
        submitted_at, status_changed_at)
    SELECT p.id, :a1_profile, p.company_id, 'submitted', '', '[]', 'CV', 'cv.pdf', 5, 1,
           repeat('0', 64), '\\x255044462d'::bytea, now() - n * interval '1 day',
           now() - n * interval '1 day'
    FROM generate_series(1, :a1_applications) AS n
    JOIN postings p ON p.title = 'Role ' || (n * 97)
    ON CONFLICT (posting_id, profile_id) DO NOTHING
    """,
    """
    INSERT INTO applications (posting_id, profile_id, company_id, status, cover_letter,
        answers, cv_title, cv_filename, cv_size_bytes, cv_page_count, cv_sha256, cv_content,
        submitted_at, status_changed_at)
    SELECT :pipeline_posting, s.id, :pipeline_company,
           (ARRAY['submitted','under_review','shortlisted','interview'])[1 + s.id % 4],
           '', '[]', 'CV', 'cv.pdf', 5, 1, repeat('0', 64), '\\x255044462d'::bytea,
           now() - (s.id % 30) * interval '1 day', now() - (s.id % 30) * interval '1 day'
    FROM student_profiles s
    WHERE s.student_number LIKE 'B%'
    ORDER BY s.id
    LIMIT :pipeline_applicants
    ON CONFLICT (posting_id, profile_id) DO NOTHING
    """,
    """
    INSERT INTO placements (profile_id, company_id, posting_id, application_id, kind,
        placed_at, created_at)
    SELECT a.profile_id, a.company_id, a.posting_id, a.id, p.kind,
           a.offered_at + interval '2 days', now()
    FROM applications a JOIN postings p ON p.id = a.posting_id
    WHERE a.status = 'accepted'
    """,
)


def fill(world) -> SimpleNamespace:
    """The bulk rows beside the `world`'s own; returns what the tests look up."""
    pipeline_posting = f.PostingFactory(company=world.company_a, title="Pipeline posting")
    a1_profile = f.profile_of(world.student_a1)
    db.session.flush()
    parameters = {
        "companies": COMPANIES,
        "postings": POSTINGS,
        "students": STUDENTS,
        "applications_each": APPLICATIONS_EACH,
        "a1_applications": A1_APPLICATIONS,
        "pipeline_applicants": PIPELINE_APPLICANTS,
        "keyword_text": index_text(f"{KEYWORD} sensors for warehouse robots"),
        "chinese_text": index_text(f"{CHINESE_WORD}視覺 warehouse"),
        "universities": UNIVERSITIES,
        "faculties": FACULTIES,
        "programmes": PROGRAMMES,
        "sign_ins_each": SIGN_INS_EACH,
        "sign_in": SIGN_IN,
        "a1_profile": a1_profile.id,
        "pipeline_posting": pipeline_posting.id,
        "pipeline_company": world.company_a.id,
    }
    connection = db.session.connection()
    for statement in _STATEMENTS:
        text = sa.text(statement)
        connection.execute(text, {k: v for k, v in parameters.items() if f":{k}" in statement})
    rebuild(connection)
    db.session.commit()
    tidy_after_rebuild(db.engine)  # VACUUM ANALYZE the summaries
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    return SimpleNamespace(pipeline_posting=pipeline_posting)
