"""The portfolios' filters (cluster, faculty, university), the knowledge-transfer table,
the postings and programmes a record produced (linked, refused, shown), the hiring link's
participants by name, the dashboard's panel, and what each new page costs in statements
at 1, 20 and 100 records."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from foundry.collaborations import links, services
from foundry.collaborations.link_models import CollaborationPosting
from foundry.collaborations.models import (
    CollaborationChange,
    CollaborationKind,
    OutcomeKind,
)
from foundry.taxonomy import Cluster
from tests.collaborations.factories import record
from tests.collaborations.test_hiring import _apply
from tests.conftest import csrf_from
from tests.factories import CompanyFactory, PostingFactory, student
from tests.placements.factories import portal_placement
from tests.statements import outline, statements_of_request


def test_the_portfolio_filters_by_cluster_faculty_and_university(world, db, client, login_as):
    fintech = CompanyFactory(name="Ledger Labs", cluster=Cluster.FINTECH)
    record(world.dean_a1, world.fac_a1, companies=[fintech], title="Payments study")
    record(world.dean_a1, world.fac_a1, companies=[world.company_a], title="Robot arm")
    record(world.officer_a2, world.fac_a2, companies=[fintech], title="Risk models")
    record(world.dean_b1, world.fac_b1, companies=[fintech], title="B ledger")
    db.session.commit()
    login_as(world.park_admin)
    page = client.get("/collaborations?cluster=fintech").get_data(as_text=True)
    assert "Payments study" in page and "Risk models" in page and "Robot arm" not in page
    page = client.get(f"/collaborations?university={world.uni_b.id}").get_data(as_text=True)
    assert "B ledger" in page and "Payments study" not in page
    page = client.get(f"/collaborations?faculty={world.fac_a2.id}").get_data(as_text=True)
    assert "Risk models" in page and "Payments study" not in page


@pytest.mark.parametrize("query", ["cluster=quantum", "faculty=x", "university=-1"])
def test_a_filter_that_cannot_be_is_a_clear_400(world, db, client, login_as, query):
    login_as(world.coordinator_a)
    response = client.get(f"/universities/{world.uni_a.id}/collaborations?{query}")
    assert response.status_code == 400
    assert "Choose a value from the list." in response.get_data(as_text=True)


def test_the_knowledge_transfer_table_counts_what_universities_report(world, db, client, login_as):
    contract = record(
        world.dean_a1,
        world.fac_a1,
        kind=CollaborationKind.CONTRACT_RESEARCH,
        cash_hkd=500_000,
        in_kind_hkd=0,
    )
    record(world.dean_a1, world.fac_a1, kind=CollaborationKind.CPD, cash_hkd=30_000)
    services.add_outcome(world.dean_a1, contract, OutcomeKind.PATENT_FILED, "Gripper", None)
    services.add_outcome(world.dean_a1, contract, OutcomeKind.SPIN_OFF, "GripCo", None)
    db.session.commit()
    login_as(world.coordinator_a)
    page = client.get(f"/universities/{world.uni_a.id}/collaborations").get_data(as_text=True)
    kt = page[page.index('id="kt-title"') :]
    kt = kt[: kt.index("</table>")]
    rows = [" ".join(r.split()) for r in kt.split("<tr>")[2:]]
    assert any("Contract research" in r and "HK$500,000" in r for r in rows), rows
    assert any("(CPD)" in r and "HK$30,000" in r for r in rows), rows
    assert any("Patents filed" in r and ">1<" in r for r in rows), rows
    assert any("Spin-off companies" in r and ">1<" in r for r in rows), rows


def _link(client, c, target: str, token: str):
    data = {"csrf_token": token, "target": target}
    return client.post(f"/collaborations/{c.id}/links", data=data)


def test_a_dean_links_a_posting_and_a_programme_it_produced(world, db, client, login_as):
    from tests.programmes import factories as pf

    c = record(world.dean_a1, world.fac_a1, companies=[world.company_a])
    posting = PostingFactory(company=world.company_a, title="Graduate robotics engineer")
    programme = pf.ProgrammeFactory(organiser_company=world.company_a, title_en="Robot day")
    db.session.commit()
    login_as(world.dean_a1)
    response = client.get(f"/collaborations/{c.id}")
    page = response.get_data(as_text=True)
    assert f'value="posting:{posting.id}"' in page and f'value="programme:{programme.id}"' in page
    token = csrf_from(response)
    assert _link(client, c, f"posting:{posting.id}", token).status_code == 303
    assert _link(client, c, f"programme:{programme.id}", token).status_code == 303
    page = client.get(f"/collaborations/{c.id}").get_data(as_text=True)
    produced = page[page.index('id="produced-title"') : page.index('id="hiring-title"')]
    assert "Graduate robotics engineer" in produced and "Robot day" in produced
    assert "Posting linked" in page and "Programme linked" in page


@pytest.mark.parametrize(
    "target, message",
    [
        ("posting:{foreign}", "Choose a posting of one of the collaboration"),
        ("programme:999999", "Choose a programme organised by one of the collaboration"),
        ("posting:abc", "Choose a posting or a programme from the list."),
        ("", "Choose a posting or a programme from the list."),
        ("posting:{linked}", "This posting is already linked"),
    ],
)
def test_a_link_that_cannot_be_is_refused_and_nothing_is_written(
    world, db, client, login_as, target, message
):
    c = record(world.dean_a1, world.fac_a1, companies=[world.company_a])
    foreign = PostingFactory(company=world.company_b)
    linked = PostingFactory(company=world.company_a)
    links.link_posting(world.dean_a1, c, linked.id)
    db.session.commit()
    login_as(world.dean_a1)
    token = csrf_from(client.get(f"/collaborations/{c.id}"))

    def written():
        db.session.rollback()
        return (
            db.session.scalar(sa.select(sa.func.count()).select_from(CollaborationChange)),
            db.session.scalar(sa.select(sa.func.count()).select_from(CollaborationPosting)),
        )

    before = written()
    response = _link(client, c, target.format(foreign=foreign.id, linked=linked.id), token)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert written() == before


def _at(year, month, day):
    return datetime(year, month, day, 4, 0, tzinfo=UTC)


def test_the_hiring_link_names_how_far_each_participant_went(world, db, client, login_as):
    c = record(
        world.dean_a1,
        world.fac_a1,
        companies=[world.company_a],
        students=[world.student_a1, world.student_a1_other],
    )
    partner = PostingFactory(company=world.company_a)
    _apply(world.student_a1, partner, _at(2026, 10, 1), _at(2026, 10, 15))
    portal_placement(world.student_a1, world.company_a, placed_at=_at(2027, 8, 1))
    db.session.commit()
    login_as(world.dean_a1)
    page = client.get(f"/collaborations/{c.id}").get_data(as_text=True)
    names = page[page.index('id="hiring-students-title"') :]
    names = " ".join(names[: names.index("</ul>")].split())
    assert f'{world.student_a1.display_name}</span><span class="fw-semibold">Placed' in names
    assert "Not applied" in names


def test_the_dashboard_shows_the_faculty_s_collaborations(world, db, client, login_as):
    c = record(
        world.dean_a1, world.fac_a1, companies=[world.company_a], students=[world.student_a1]
    )
    _apply(world.student_a1, PostingFactory(company=world.company_a), _at(2026, 10, 1))
    record(world.dean_b1, world.fac_b1, companies=[world.company_a], title="Not for A")
    db.session.commit()
    login_as(world.dean_a1)
    page = client.get("/reports/placements").get_data(as_text=True)
    panel = page[page.index('id="collaborations-panel-title"') :]
    assert c.title in panel and "Not for A" not in panel
    assert f"/faculties/{world.fac_a1.id}/collaborations" in panel
    applied = " ".join(panel[panel.index("Applied") :].split())[:80]
    assert 'Applied</th><td class="text-end">1<' in applied
    login_as(world.recruiter_a)
    assert client.get("/reports/placements").status_code == 403


# --- statements ------------------------------------------------------------------------------


def _grow_to(world, made: list, n: int) -> None:
    while len(made) < n:
        i = len(made)
        faculty, dean = (world.fac_a1, world.dean_a1) if i % 2 else (world.fac_a2, world.officer_a2)
        made.append(
            record(
                dean,
                faculty,
                companies=[world.company_a, CompanyFactory()],
                students=[student(faculty)] if i % 5 == 0 else [],
                title=f"Record {i}",
            )
        )


def test_the_new_pages_cost_the_same_at_1_20_and_100_records(world, db, client, login_as):
    pages = [
        ("coordinator_a", f"/universities/{world.uni_a.id}/collaborations"),
        ("park_admin", "/collaborations"),
        ("recruiter_a", "/companies/alpha/collaborations"),
        ("recruiter_a", "/companies/alpha"),
        ("dean_a1", "/reports/placements"),
    ]
    made: list = []
    counts: dict[str, list[int]] = {url: [] for _who, url in pages}
    for size in (1, 20, 100):
        _grow_to(world, made, size)
        db.session.commit()
        for who, url in pages:
            login_as(getattr(world, who))
            statements, response = statements_of_request(client, url)
            assert response.status_code == 200, url
            counts[url].append(len(statements))
            assert len(statements) <= 12, (url, outline(statements))
    for url, seen in counts.items():
        assert len(set(seen)) == 1, (url, seen)
