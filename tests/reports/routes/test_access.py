"""Who may open the placement reports, and what each viewer's scope shows them."""

from __future__ import annotations

import pytest

from tests.reports.routes.factories import OUTSIDERS, YEAR

PAGES = [
    f"/reports/placements?{YEAR}",
    f"/reports/placements/list?{YEAR}&figure=applied",
    "/reports/outcomes?class=2026",
    "/reports/outcomes/list?class=2026",
]
EXPORTS = [
    f"/reports/placements/export.csv?{YEAR}",
    f"/reports/placements/list/export.xlsx?{YEAR}&figure=placed",
    "/reports/outcomes/export.csv?class=2026",
    "/reports/outcomes/list/export.xlsx?class=2026",
]


@pytest.mark.parametrize("url", PAGES + EXPORTS)
def test_anonymous_visitors_are_sent_to_sign_in(client, reports, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("dean_x", 200),
        ("officer_y", 200),
        ("coordinator_a", 200),
        ("coordinator_b", 200),
        ("park_admin", 200),
        ("student", 403),
        ("recruiter", 403),
    ],
)
def test_who_may_read_the_reports(client, reports, login_as, who, status):
    login_as(getattr(reports, who))
    for url in PAGES:
        assert client.get(url).status_code == status, url
    for url in EXPORTS:
        response = client.get(url, buffered=True)
        assert response.status_code == status, url
        if status == 403:
            assert "attachment" not in response.headers.get("Content-Disposition", "")


def test_students_and_recruiters_get_no_export_and_no_audit_line(client, reports, login_as, db):
    from foundry.audit.models import AuditEvent

    for who in ("student", "recruiter"):
        login_as(getattr(reports, who))
        assert client.get(EXPORTS[0], buffered=True).status_code == 403
    exported = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "report.exported")
    ).all()
    assert exported == []


def test_a_dean_sees_their_faculty_fixed_and_only_its_students(client, reports, login_as):
    login_as(reports.dean_x)
    html = client.get(f"/reports/placements?{YEAR}").get_data(as_text=True)
    assert "UA · X Engineering" in html  # the scope, shown as text
    assert 'name="faculty"' not in html and 'name="university"' not in html
    assert "BEng X Computing" in html  # their programme to choose from
    assert "BSc Y Statistics" not in html and "BEng B Civil" not in html
    listed = client.get(f"/reports/placements/list?{YEAR}&figure=applied").get_data(as_text=True)
    assert "Xavier Insider" in listed and "陳大文 Xena Chan" in listed
    for outsider in OUTSIDERS:
        assert outsider not in listed


def test_a_coordinator_switches_between_their_universitys_faculties(client, reports, login_as):
    login_as(reports.coordinator_a)
    html = client.get(f"/reports/placements?{YEAR}").get_data(as_text=True)
    assert 'name="faculty"' in html and 'name="university"' not in html
    assert "X Engineering" in html and "Y Science" in html and "B Engineering" not in html
    everyone = client.get(f"/reports/placements/list?{YEAR}&figure=applied").get_data(as_text=True)
    assert "Xavier Insider" in everyone and "Yvonne Outsider" in everyone
    assert "Zed Faraway" not in everyone
    faculty_y = client.get(
        f"/reports/placements/list?{YEAR}&figure=applied&faculty={reports.fac_y.id}"
    ).get_data(as_text=True)
    assert "Yvonne Outsider" in faculty_y and "Xavier Insider" not in faculty_y


def test_the_park_admin_sees_everything_and_filters_by_university(client, reports, login_as):
    login_as(reports.park_admin)
    html = client.get(f"/reports/placements?{YEAR}").get_data(as_text=True)
    assert 'name="university"' in html and 'name="faculty"' in html
    everyone = client.get(f"/reports/placements/list?{YEAR}&figure=placed").get_data(as_text=True)
    assert all(name in everyone for name in ("Xavier Insider", "Yvonne Outsider", "Zed Faraway"))
    only_b = client.get(
        f"/reports/placements/list?{YEAR}&figure=placed&university={reports.uni_b.id}"
    ).get_data(as_text=True)
    assert "Zed Faraway" in only_b and "Xavier Insider" not in only_b


def test_list_links_to_each_students_page_which_the_viewer_may_open(client, reports, login_as):
    login_as(reports.dean_x)
    html = client.get(f"/reports/placements/list?{YEAR}&figure=placed").get_data(as_text=True)
    profile_url = f"/students/{reports.xavier.id}"
    assert f'href="{profile_url}"' in html
    assert client.get(profile_url).status_code == 200
