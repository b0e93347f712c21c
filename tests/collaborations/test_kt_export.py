"""The knowledge-transfer table leaves the portal as the page shows it: a second sheet of
the records' workbook, and on its own as CSV or Excel (`?table=summary`), with the page's
filters and within the reader's scope; the figures are the records', not made up."""

from __future__ import annotations

from foundry.collaborations import services
from foundry.collaborations.models import CollaborationKind, OutcomeKind
from tests.collaborations.factories import record
from tests.reports.routes.readers import read_csv, read_xlsx, sheet_names


def _records(world, db):
    consultancy = record(
        world.dean_a1,
        world.fac_a1,
        kind=CollaborationKind.CONSULTANCY,
        title="Battery consultancy",
        cash_hkd=300_000,
        in_kind_hkd=0,
    )
    research = record(
        world.dean_a1,
        world.fac_a1,
        kind=CollaborationKind.CONTRACT_RESEARCH,
        title="Lidar contract research",
        cash_hkd=1_200_000,
        in_kind_hkd=50_000,
    )
    services.add_outcome(world.dean_a1, research, OutcomeKind.PATENT_FILED, "Lidar patent", None)
    services.add_outcome(world.dean_a1, research, OutcomeKind.SPIN_OFF, "Lidar Ltd", None)
    record(world.officer_a2, world.fac_a2, kind=CollaborationKind.CONSULTANCY, cash_hkd=9_999)
    db.session.commit()
    return consultancy, research


def _lines(rows) -> dict[tuple[str, str], list]:
    return {(row[0], row[1]): row[2:] for row in rows[1:]}


def test_the_summary_csv_holds_the_knowledge_transfer_lines(world, db, client, login_as):
    _records(world, db)
    login_as(world.dean_a1)
    response = client.get(
        f"/faculties/{world.fac_a1.id}/collaborations.csv?table=summary", buffered=True
    )
    assert response.status_code == 200
    assert "knowledge-transfer.csv" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["Table", "Line", "Count", "Cash (HKD)", "In kind (HKD)"]
    lines = _lines(rows)
    table = "Knowledge transfer (UGC)"
    assert lines[(table, "Contract research")] == ["1", "1200000", "50000"]
    # Another faculty's consultancy (HK$9,999) is not this dean's to count.
    assert lines[(table, "Consultancy")] == ["1", "300000", "0"]
    assert lines[(table, "Licences")] == ["0", "0", "0"]
    # Outcome lines count outcomes and carry no money.
    assert lines[(table, "Patents filed")] == ["1", "", ""]
    assert lines[(table, "Patents granted")] == ["0", "", ""]
    assert lines[(table, "Spin-off companies")] == ["1", "", ""]
    assert lines[("By status", "Active")] == ["2", "1500000", "50000"]
    assert lines[("By year started", "2026")] == ["2", "1500000", "50000"]


def test_the_summary_follows_the_page_filters(world, db, client, login_as):
    _records(world, db)
    login_as(world.dean_a1)
    url = f"/faculties/{world.fac_a1.id}/collaborations.csv?table=summary&kind=consultancy"
    lines = _lines(read_csv(client.get(url, buffered=True)))
    assert lines[("Knowledge transfer (UGC)", "Contract research")] == ["0", "0", "0"]
    assert lines[("Knowledge transfer (UGC)", "Patents filed")] == ["0", "", ""]
    assert lines[("By kind", "Consultancy")] == ["1", "300000", "0"]


def test_the_records_workbook_has_the_summary_as_its_second_sheet(world, db, client, login_as):
    _records(world, db)
    login_as(world.dean_a1)
    content = client.get(f"/faculties/{world.fac_a1.id}/collaborations.xlsx", buffered=True).data
    assert sheet_names(content) == ["Collaborations", "Knowledge transfer"]
    titles = {row[1] for row in read_xlsx(content)[1:]}
    assert titles == {"Battery consultancy", "Lidar contract research"}
    summary = _lines(read_xlsx(content, 2))
    kt = "Knowledge transfer (UGC)"
    assert summary[(kt, "Contract research")] == [1.0, 1_200_000.0, 50_000.0]
    assert summary[(kt, "Spin-off companies")][0] == 1.0


def test_the_summary_is_in_the_readers_language(world, db, client, login_as, post_form):
    _records(world, db)
    login_as(world.dean_a1)
    post_form("/language", {"language": "zh_Hant", "next": "/"}, form_page="/reports/outcomes")
    rows = read_csv(
        client.get(f"/faculties/{world.fac_a1.id}/collaborations.csv?table=summary", buffered=True)
    )
    assert rows[0][0] != "Table" and all(rows[0])
    assert "Contract research" not in {row[1] for row in rows[1:]}


def test_the_portfolio_page_links_the_summary_downloads(world, db, client, login_as):
    _records(world, db)
    login_as(world.dean_a1)
    page = client.get(f"/faculties/{world.fac_a1.id}/collaborations?kind=consultancy").get_data(
        as_text=True
    )
    assert "collaborations.csv?kind=consultancy&amp;table=summary" in page
    assert "collaborations.xlsx?kind=consultancy&amp;table=summary" in page


def test_an_unknown_table_is_refused(world, db, client, login_as):
    login_as(world.dean_a1)
    response = client.get(f"/faculties/{world.fac_a1.id}/collaborations.csv?table=secrets")
    assert response.status_code == 400
    assert "Choose the records or the summary" in response.get_data(as_text=True)
