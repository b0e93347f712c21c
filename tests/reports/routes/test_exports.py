"""CSV and Excel exports: what they hold, how they are written, that they stream, and that
each is in the audit log."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from flask_login import login_user

from foundry.applications.models import ApplicationStatus
from foundry.audit.models import AuditEvent
from foundry.postings.models import PostingKind
from foundry.reports import routes
from foundry.reports.drilldown import DrilldownRow
from foundry.universities.models import StudyLevel
from tests.reports.routes.factories import YEAR
from tests.reports.routes.readers import read_csv, read_xlsx

EXCEL_EPOCH = datetime(1899, 12, 30)


def excel_serial(moment: datetime) -> float:
    return (moment - EXCEL_EPOCH) / timedelta(days=1)


@pytest.fixture
def dean(client, reports, login_as):
    login_as(reports.dean_x)
    return reports


def test_csv_has_a_bom_a_header_and_hong_kong_times(client, dean):
    response = client.get(
        f"/reports/placements/list/export.csv?{YEAR}&figure=placed", buffered=True
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.get_data().startswith(b"\xef\xbb\xbf")
    rows = read_csv(response)
    header = rows[0]
    assert header[:2] == ["Student", "E-mail"] and "First placement (HKT)" in header
    (xavier,) = rows[1:]
    # placed 2025-11-03 14:30 UTC, which is 22:30 in Hong Kong
    assert xavier[header.index("First placement (HKT)")] == "2025-11-03T22:30+08:00"
    assert xavier[header.index("Student")] == "Xavier Insider"
    assert xavier[header.index("Company or employer")] == "Alpha Robotics"
    assert xavier[header.index("Times in the period")] == "1"


def test_csv_cells_never_start_a_spreadsheet_formula(client, dean, db):
    dean.xavier.user.display_name = '=HYPERLINK("http://evil.example","x")'
    db.session.commit()
    response = client.get(
        f"/reports/placements/list/export.csv?{YEAR}&figure=placed", buffered=True
    )
    rows = read_csv(response)
    student = rows[1][rows[0].index("Student")]
    assert student == "'" + '=HYPERLINK("http://evil.example","x")'


def test_csv_keeps_chinese_names(client, dean):
    response = client.get(
        f"/reports/placements/list/export.csv?{YEAR}&figure=applied", buffered=True
    )
    names = [row[0] for row in read_csv(response)[1:]]
    assert "陳大文 Xena Chan" in names


def test_export_file_names_say_what_and_for_whom(client, dean):
    response = client.get(f"/reports/placements/export.xlsx?{YEAR}", buffered=True)
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="placements-2025-26-ua-seng.xlsx"'
    )
    response = client.get(
        f"/reports/placements/list/export.csv?{YEAR}&figure=placed:cluster:ai_robotics",
        buffered=True,
    )
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="placements-placed-cluster-ai-robotics-2025-26-ua-seng.csv"'
    )
    response = client.get("/reports/outcomes/export.csv?class=2026", buffered=True)
    assert (
        'filename="outcomes-class-of-2026-ua-seng.csv"' in response.headers["Content-Disposition"]
    )


def test_excel_has_a_bold_frozen_header_numbers_and_dates(client, dean):
    response = client.get(
        f"/reports/placements/list/export.xlsx?{YEAR}&figure=placed", buffered=True
    )
    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    content = response.get_data()
    rows = read_xlsx(content)
    header, (xavier,) = rows[0], rows[1:]
    assert header[0] == "Student" and "First placement (HKT)" in header
    assert xavier[header.index("Graduation year")] == 2026.0  # a number, not text
    placed = xavier[header.index("First placement (HKT)")]
    assert placed == pytest.approx(excel_serial(datetime(2025, 11, 3, 22, 30)))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        styles = archive.read("xl/styles.xml").decode()
    assert 'ySplit="1"' in sheet and 'state="frozen"' in sheet
    assert "<b/>" in styles
    assert "<cols>" in sheet  # column widths


def test_the_figures_export_has_the_pages_numbers_in_csv_and_excel(client, dean):
    from foundry.policy import report_scope
    from foundry.reports.filters import ReportFilter
    from foundry.reports.metrics import dashboard

    board = dashboard(ReportFilter.for_academic_year(2025), report_scope(dean.dean_x))
    csv_rows = read_csv(client.get(f"/reports/placements/export.csv?{YEAR}", buffered=True))
    xlsx_rows = read_xlsx(
        client.get(f"/reports/placements/export.xlsx?{YEAR}", buffered=True).get_data()
    )
    assert csv_rows[0][3:5] == [
        "2025/26 (2025-09-01 – 2026-08-31)",
        "2024/25 (2024-09-01 – 2025-08-31)",
    ]
    assert xlsx_rows[0][3:5] == csv_rows[0][3:5]
    compared = ["Periods compared", "2025/26, against the whole of 2024/25"]
    assert csv_rows[1][:2] == compared and xlsx_rows[1][:2] == compared
    in_csv = {(r[0], r[1], r[2]): r for r in csv_rows[2:]}
    in_xlsx = {(r[0], r[1], r[2]): r for r in xlsx_rows[2:]}
    for stage in board.funnel:
        key = ("Figures", stage.label, "students")
        assert in_csv[key][3:5] == [str(stage.count), str(stage.previous)]
        assert in_xlsx[key][3:5] == [stage.count, stage.previous]
    rate = in_xlsx[("Figures", "Placement rate", "%")]
    assert rate[3] == pytest.approx(board.placement_rate.value * 100, abs=0.05)
    alpha = ("Top companies", "Alpha Robotics", "applications")
    assert in_csv[alpha][3] == "2" and in_xlsx[alpha][3] == 2
    october = ("Month by month", "Oct 2025", "applications")
    assert in_csv[october][3] == "1"  # Xavier's; Yvonne's and Zed's are not the dean's


def test_every_export_is_in_the_audit_log(client, dean, db):
    urls = [
        f"/reports/placements/export.csv?{YEAR}",
        f"/reports/placements/list/export.xlsx?{YEAR}&figure=placed",
        "/reports/outcomes/export.xlsx?class=2026",
        "/reports/outcomes/list/export.csv?class=2026&outcome=continuing_education",
    ]
    for url in urls:
        assert client.get(url, buffered=True).status_code == 200
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "report.exported").order_by(AuditEvent.id)
    ).all()
    assert [e.details["format"] for e in events] == ["csv", "xlsx", "xlsx", "csv"]
    assert [e.details["figure"] for e in events] == [
        "dashboard",
        "placed",
        "outcomes",
        "outcome:continuing_education",
    ]
    assert all(e.actor_id == dean.dean_x.id for e in events)
    assert all((e.object_type, e.object_id) == ("faculties", str(dean.fac_x.id)) for e in events)
    assert events[0].details["filters"] == {"year": "2025"}
    assert "CSV" in events[0].summary and "X Engineering" in events[0].summary


def fake_rows(count: int, pulled: list[int]):
    """`count` drill-down rows made one at a time, counting how many were asked for."""
    for number in range(count):
        pulled[0] += 1
        yield DrilldownRow(
            profile_id=number,
            user_id=number,
            student_name=f"Student {number:06d} " + "x" * 80,
            email=f"student{number}@example.org",
            programme="BEng Computing",
            programme_id=1,
            graduation_year=2026,
            study_level=StudyLevel.UG,
            company="Alpha Robotics",
            company_id=1,
            posting_title="Robotics Graduate Engineer " + "y" * 60,
            posting_id=1,
            kind=PostingKind.GRADUATE_ROLE,
            status=ApplicationStatus.SUBMITTED,
            date=datetime(2025, 10, 1, tzinfo=UTC),
            source=None,
            application_id=number,
            placement_id=None,
        )


def call_export(app, user, url: str, fmt: str):
    """Call the list export view as a server would, returning its (unconsumed) response."""
    with app.test_request_context(url):
        login_user(user)
        return routes.drilldown_download(fmt=fmt)


def test_csv_is_streamed_from_the_iterator_after_the_audit(app, dean, db, monkeypatch):
    pulled = [0]
    monkeypatch.setattr(routes, "iter_drilldown", lambda *a, **k: fake_rows(5_000, pulled))
    url = f"/reports/placements/list/export.csv?{YEAR}&figure=applied"
    with app.test_request_context(url):
        login_user(dean.dean_x)
        response = routes.drilldown_download(fmt="csv")
        assert response.is_streamed
        # The export is in the audit log before a single row is read.
        assert pulled[0] == 0
        audited = db.session.scalar(
            db.select(db.func.count()).where(AuditEvent.action == "report.exported")
        )
        assert audited == 1
        chunks = iter(response.response)
        first = next(chunks)
        assert first.startswith(b"\xef\xbb\xbfStudent,")
        next(chunks)
        assert 0 < pulled[0] < 1_000  # rows leave as they come, a few hundred at a time
        rest = b"".join(chunks)
    assert pulled[0] == 5_000
    assert rest.count(b"\r\n") > 4_000


def test_excel_export_memory_stays_flat_however_many_rows(app, dean, monkeypatch):
    def peak_for(count: int) -> int:
        pulled = [0]
        monkeypatch.setattr(routes, "iter_drilldown", lambda *a, **k: fake_rows(count, pulled))
        url = f"/reports/placements/list/export.xlsx?{YEAR}&figure=applied"
        with app.test_request_context(url):
            login_user(dean.dean_x)
            response = routes.drilldown_download(fmt="xlsx")
            assert response.is_streamed
            tracemalloc.start()
            size = sum(len(chunk) for chunk in response.response)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        assert pulled[0] == count and size > 0
        return peak

    small, large = peak_for(500), peak_for(10_000)
    # Twenty times the rows (about 2 MB of text) and the peak barely moves: no row is kept.
    assert large < small + 1_000_000, (small, large)


def test_excel_temporary_file_is_deleted(app, dean, monkeypatch, tmp_path):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    pulled = [0]
    monkeypatch.setattr(routes, "iter_drilldown", lambda *a, **k: fake_rows(50, pulled))
    url = f"/reports/placements/list/export.xlsx?{YEAR}&figure=applied"
    with app.test_request_context(url):
        login_user(dean.dean_x)
        response = routes.drilldown_download(fmt="xlsx")
        chunks = iter(response.response)
        next(chunks)
        assert list(tmp_path.glob("foundry-export-*.xlsx"))  # being sent
        response.close()  # the client went away
    assert not list(tmp_path.glob("foundry-export-*"))
