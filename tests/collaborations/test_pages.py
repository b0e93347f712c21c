"""The collaboration pages as their users see them: the faculty's portfolio with its search,
filters, totals and exports; the record page; the forms; the company's and the student's
lists. Bad input is refused with a message and nothing stored."""

from __future__ import annotations

import re

import sqlalchemy as sa

from foundry.collaborations.models import (
    Collaboration,
    CollaborationChange,
    CollaborationKind,
    CollaborationStatus,
    Visibility,
)
from tests.collaborations.factories import record
from tests.factories import profile_of


def _form(**changes) -> dict:
    data = {
        "kind": "sponsored_project",
        "title": "Capstone: drone inspection",
        "summary": "Students inspect facades with drones.",
        "status": "active",
        "visibility": "shared",
        "start_date": "2026-09-01",
        "end_date": "2027-06-30",
        "cash_hkd": "120,000",
        "in_kind_hkd": "0",
        "funding_scheme": "ITF",
        "agreement_type": "",
        "agreement_reference": "",
        "agreement_signed_on": "",
        "agreement_ends_on": "",
        "company_id": "",
        "company_role": "partner",
        "lead_id": "",
    }
    data.update(changes)
    return data


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_dean_records_a_collaboration_through_the_form(world, db, client, login_as, post_form):
    login_as(world.dean_a1)
    url = f"/faculties/{world.fac_a1.id}/collaborations/new"
    response = post_form(
        url, _form(company_id=str(world.company_a.id), lead_id=str(world.dean_a1.id))
    )
    assert response.status_code == 303
    c = db.session.scalar(sa.select(Collaboration))
    assert (c.title, c.cash_hkd, c.faculty_id) == (
        "Capstone: drone inspection",
        120_000,
        world.fac_a1.id,
    )
    assert [p.company_id for p in c.company_parties] == [world.company_a.id]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Capstone: drone inspection" in page and "Alpha Robotics" in page
    assert "HK$120,000" in page


BAD_FORMS = [
    ({"end_date": "2026-01-01"}, "end date must be on or after"),
    ({"cash_hkd": "-5"}, "whole number of Hong Kong dollars"),
    ({"cash_hkd": "lots"}, "whole number of Hong Kong dollars"),
    ({"in_kind_hkd": "12.5"}, "whole number of Hong Kong dollars"),
    ({"company_id": "999999"}, "Choose a company of the park"),
    ({"kind": "bribery"}, "Choose a value from the list"),
    ({"title": ""}, "Title"),
]


def test_bad_input_is_refused_with_a_message_and_nothing_stored(
    world, db, client, login_as, post_form
):
    login_as(world.dean_a1)
    url = f"/faculties/{world.fac_a1.id}/collaborations/new"
    for changes, message in BAD_FORMS:
        response = post_form(url, _form(**changes))
        assert response.status_code == 400, changes
        assert message in response.get_data(as_text=True), changes
    assert _count(db, Collaboration) == 0
    assert _count(db, CollaborationChange) == 0


def test_a_dean_cannot_record_for_another_universitys_faculty(world, db, login_as, post_form):
    login_as(world.dean_a1)
    url = f"/faculties/{world.fac_b1.id}/collaborations/new"
    response = post_form(url, _form(), form_page=f"/faculties/{world.fac_a1.id}/collaborations/new")
    assert response.status_code == 403
    assert _count(db, Collaboration) == 0


def test_the_portfolio_searches_filters_and_totals(world, db, client, login_as):
    record(world.dean_a1, world.fac_a1, companies=[world.company_a], title="Robot arm capstone")
    record(
        world.dean_a1,
        world.fac_a1,
        title="Fintech consultancy",
        kind=CollaborationKind.CONSULTANCY,
        status=CollaborationStatus.COMPLETED,
        cash_hkd=50_000,
        in_kind_hkd=0,
    )
    record(world.dean_b1, world.fac_b1, title="Other university's record")
    login_as(world.dean_a1)
    url = f"/faculties/{world.fac_a1.id}/collaborations"
    page = client.get(url).get_data(as_text=True)
    assert "Robot arm capstone" in page and "Fintech consultancy" in page
    assert "Other university" not in page
    assert "HK$380,000" in page  # 250,000 + 80,000 + 50,000
    found = client.get(url + "?q=arm%20cap").get_data(as_text=True)
    assert "Robot arm capstone" in found and "Fintech consultancy" not in found
    found = client.get(url + "?kind=consultancy&min_value=10000&max_value=60000").get_data(
        as_text=True
    )
    assert "Fintech consultancy" in found and "Robot arm capstone" not in found
    found = client.get(url + f"?company={world.company_a.id}&year=2026").get_data(as_text=True)
    assert "Robot arm capstone" in found and "Fintech consultancy" not in found
    # The form's company is words of its name, in any case; % and _ are plain characters.
    found = client.get(url + "?company_name=ROBOT").get_data(as_text=True)
    assert "Robot arm capstone" in found and "Fintech consultancy" not in found
    assert 'name="company_name" maxlength="100" value="ROBOT"' in found
    found = client.get(url + "?company_name=%25").get_data(as_text=True)
    assert "No collaborations match" in found
    assert "No collaborations match" in client.get(url + "?q=nothing-here").get_data(as_text=True)
    for bad in ("?kind=nope", "?min_value=-1", "?year=abc", "?min_value=5&max_value=1", "?sort=x"):
        assert client.get(url + bad).status_code == 400, bad


def test_the_portfolio_exports_csv_and_excel(world, db, client, login_as):
    record(world.dean_a1, world.fac_a1, companies=[world.company_a])
    login_as(world.dean_a1)
    csv = client.get(f"/faculties/{world.fac_a1.id}/collaborations.csv", buffered=True)
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.get_data(as_text=True)
    assert "Warehouse robot capstone" in text and "Alpha Robotics" in text and "250000" in text
    xlsx = client.get(f"/faculties/{world.fac_a1.id}/collaborations.xlsx", buffered=True)
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_an_empty_portfolio_invites_to_record_one(world, client, login_as):
    login_as(world.dean_a1)
    page = client.get(f"/faculties/{world.fac_a1.id}/collaborations").get_data(as_text=True)
    assert "No collaborations yet" in page


def test_the_record_page_shows_parties_people_money_history(world, db, client, login_as):
    c = record(
        world.dean_a1,
        world.fac_a1,
        companies=[world.company_a],
        students=[world.student_a1],
        lead=world.dean_a1,
    )
    login_as(world.dean_a1)
    page = client.get(f"/collaborations/{c.id}").get_data(as_text=True)
    for text in ("Alpha Robotics", profile_of(world.student_a1).user.display_name, "HK$250,000"):
        assert text in page
    assert "History" in page and "Recorded" in page and "Hiring by the partner companies" in page


def test_a_student_sees_public_summaries_and_their_own_records_read_only(
    world, db, client, login_as
):
    mine = record(world.dean_a1, world.fac_a1, students=[world.student_a1], title="Mine")
    public = record(world.dean_a1, world.fac_a1, title="Public one", visibility=Visibility.PUBLIC)
    record(world.dean_a1, world.fac_a1, title="Private one", visibility=Visibility.PRIVATE)
    login_as(world.student_a1)
    page = client.get("/me/collaborations").get_data(as_text=True)
    assert "Mine" in page and "Public one" in page and "Private one" not in page
    own = client.get(f"/collaborations/{mine.id}").get_data(as_text=True)
    assert "Mine" in own and "HK$" not in own and "Edit" not in own
    summary = client.get(f"/collaborations/{public.id}").get_data(as_text=True)
    assert "Public summary" in summary and "HK$" not in summary


def test_the_record_pages_forms_refuse_bad_input_and_write_nothing(
    world, db, client, login_as, post_form
):
    c = record(world.dean_a1, world.fac_a1)
    db.session.commit()
    history = _count(db, CollaborationChange)
    login_as(world.dean_a1)
    page = f"/collaborations/{c.id}"
    bad = [
        ("milestones", {"title": "Late demo", "due_on": "2027-07-01"}, "between"),
        ("milestones", {"title": "No date", "due_on": "soon"}, "Due on"),
        ("companies", {"party_id": "999999", "role": "partner"}, "Choose a company"),
        ("companies", {"party_id": "abc", "role": "partner"}, "Choose from the list"),
        ("faculties", {"party_id": "999999", "role": "partner"}, "Choose a faculty"),
        ("students", {"profile_ids": [str(profile_of(world.student_b1).id)]}, "faculties"),
        ("people", {"user_id": str(world.dean_b1.id), "role": "academic"}, "member of staff"),
        (
            "outcomes",
            {"kind": "patent_filed", "title": "x", "link": "javascript:alert(1)"},
            "https",
        ),
        ("status", {"status": "abandoned"}, "Choose a value"),
    ]
    for path, data, message in bad:
        response = post_form(f"{page}/{path}", data, form_page=page)
        assert response.status_code == 400, (path, data, response.status_code)
        assert message in response.get_data(as_text=True), (path, data)
    db.session.expire_all()
    assert _count(db, CollaborationChange) == history


def test_a_completed_records_details_and_history_cannot_be_rewritten_through_the_pages(
    client, world, db, login_as
):
    ended = record(
        world.dean_a1, world.fac_a1, title="Ended capstone", status=CollaborationStatus.COMPLETED
    )
    db.session.commit()
    lines = db.session.scalar(
        sa.select(sa.func.count()).where(CollaborationChange.collaboration_id == ended.id)
    )
    login_as(world.dean_a1)
    assert client.get(f"/collaborations/{ended.id}/edit").status_code == 403
    page = client.get(f"/collaborations/{ended.id}")
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.get_data(as_text=True))
    response = client.post(
        f"/collaborations/{ended.id}/edit",
        data={"csrf_token": token.group(1), "title": "Rewritten", "status": "active"},
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Collaboration, ended.id).title == "Ended capstone"
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(CollaborationChange.collaboration_id == ended.id)
        )
        == lines
    )
