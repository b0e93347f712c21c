"""`flask reports check-summaries` finds summaries left behind by plain SQL, and
`flask reports rebuild-summaries` fills them again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from foundry.extensions import db
from foundry.reports.summaries.models import SignInYear, StudentYear
from tests.reports.summaries.helpers import figures, out_of_step


@pytest.mark.summaries_may_differ
def test_check_finds_what_plain_sql_changed_and_rebuild_mends_it(app, known):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["reports", "check-summaries"]).exit_code == 0

    # An application written by plain SQL (as a data fix in psql would): nobody follows it.
    db.session.execute(
        sa.text(
            "INSERT INTO applications (posting_id, profile_id, company_id, status, "
            "cover_letter, answers, cv_title, cv_filename, cv_size_bytes, cv_page_count, "
            "cv_sha256, cv_content, submitted_at, status_changed_at) VALUES (:posting, "
            ":profile, :company, 'submitted', '', '[]', 'CV', 'cv.pdf', 1, 1, :sha, :pdf, "
            "'2026-01-10 02:00:00', '2026-01-10 02:00:00')"
        ),
        {
            "posting": known.p2.id,
            "profile": known.s4.id,
            "company": known.p2.company_id,
            "sha": "0" * 64,
            "pdf": b"%PDF-",
        },
    )
    db.session.commit()
    assert figures(known.dean_a1)["applied"] == (4, 3)  # not seen yet

    checked = runner.invoke(args=["reports", "check-summaries"])
    assert checked.exit_code == 1
    # s4 had no row of 2025/26 (they only signed in): one missing, none extra.
    assert "report_student_years: 1 rows missing or wrong, 0 rows extra" in checked.stdout
    assert "report_company_years: 1 rows missing or wrong" in checked.stdout
    assert "rebuild-summaries" in checked.stderr

    rebuilt = runner.invoke(args=["reports", "rebuild-summaries", "--quiet"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "report_student_years: " in rebuilt.output
    assert figures(known.dean_a1)["applied"] == (5, 3)
    assert runner.invoke(args=["reports", "check-summaries"]).exit_code == 0
    assert out_of_step() == {}


def test_rebuild_shows_its_progress_and_changes_nothing_that_is_right(app, known):
    before = figures(known.park_admin)
    stored = db.session.scalar(sa.select(sa.func.count()).select_from(StudentYear))
    signed_in = db.session.scalar(sa.select(sa.func.count()).select_from(SignInYear))
    result = app.test_cli_runner().invoke(args=["reports", "rebuild-summaries"])
    assert result.exit_code == 0, result.output
    assert "Summaries: 100%" in result.stderr  # the progress bar
    written = dict(line.split(": ") for line in result.stdout.splitlines())
    assert list(written) == [
        "report_student_years",
        "report_company_years",
        "report_kind_years",
        "report_months",
        "report_faculty_company_years",
        "report_faculty_company_months",
        "report_programme_kind_months",
        "report_sign_in_years",
        "report_student_counts",
    ]
    assert written["report_student_years"] == f"{stored} rows"
    assert written["report_sign_in_years"] == f"{signed_in} rows"
    assert figures(known.park_admin) == before
