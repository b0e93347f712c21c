"""Who may not: every collaboration route against every role, in its own scope and a
foreign one. A refusal is a 403 (or the sign-in page for a visitor) and changes nothing.

The record: kept by faculty A1 (University A), shared with its partner Alpha Robotics,
with student A1 taking part. Faculty staff see only their faculty's records; a coordinator
their university's; a company only records it is party to and that are shared with it;
students only public summaries and records they take part in (read-only); nobody edits
another faculty's record, and the park admin reads but does not edit."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from foundry.collaborations import attachments, proposals
from foundry.collaborations.attachment_models import CollaborationAttachment
from foundry.collaborations.models import CollaborationChange, Proposal, Visibility
from foundry.collaborations.services import add_milestone
from foundry.demo.pdf import minimal_pdf
from tests.collaborations.factories import record
from tests.conftest import csrf_from
from tests.factories import profile_of

USERS = [
    "dean_a1",
    "officer_a2",
    "dean_b1",
    "coordinator_a",
    "coordinator_b",
    "company_admin_a",
    "recruiter_a",
    "recruiter_b",
    "recruiter_unverified",
    "student_a1",
    "student_a1_other",
    "student_b1",
    "park_admin",
]

KEEPERS = {"dean_a1", "coordinator_a"}
FACULTY_SIDE = KEEPERS | {"park_admin"}
COMPANY_A = {"company_admin_a", "recruiter_a"}
STUDENTS = {"student_a1", "student_a1_other", "student_b1"}

# (method, url template, who may)
ROUTES = [
    ("GET", "/faculties/{fac}/collaborations", FACULTY_SIDE),
    ("GET", "/faculties/{fac}/collaborations.csv", FACULTY_SIDE),
    ("GET", "/faculties/{fac}/collaborations.xlsx?table=summary", FACULTY_SIDE),
    ("GET", "/faculties/{fac}/collaborations/new", KEEPERS),
    ("POST", "/faculties/{fac}/collaborations/new", KEEPERS),
    ("GET", "/collaborations/{c}", FACULTY_SIDE | COMPANY_A | {"student_a1"}),
    ("GET", "/collaborations/{c}/edit", KEEPERS),
    ("POST", "/collaborations/{c}/edit", KEEPERS),
    ("POST", "/collaborations/{c}/status", KEEPERS),
    ("POST", "/collaborations/{c}/companies", KEEPERS),
    ("POST", "/collaborations/{c}/companies/{company}/remove", KEEPERS),
    ("POST", "/collaborations/{c}/faculties", KEEPERS),
    ("POST", "/collaborations/{c}/faculties/{fac}/remove", KEEPERS),
    ("POST", "/collaborations/{c}/people", KEEPERS),
    ("POST", "/collaborations/{c}/people/{dean}/remove", KEEPERS),
    ("POST", "/collaborations/{c}/students", KEEPERS),
    ("POST", "/collaborations/{c}/students/{profile}/remove", KEEPERS),
    ("POST", "/collaborations/{c}/milestones", KEEPERS),
    ("POST", "/collaborations/{c}/milestones/{milestone}/status", KEEPERS),
    ("POST", "/collaborations/{c}/outcomes", KEEPERS),
    ("POST", "/collaborations/{c}/attachments", KEEPERS | COMPANY_A),
    ("GET", "/collaborations/{c}/attachments/{attachment}", FACULTY_SIDE | COMPANY_A),
    ("POST", "/collaborations/{c}/attachments/{attachment}/remove", KEEPERS),
    ("GET", "/companies/alpha/collaborations", COMPANY_A | {"park_admin"}),
    ("GET", "/companies/alpha/collaborations/propose", COMPANY_A),
    ("POST", "/companies/alpha/collaborations/propose", COMPANY_A),
    ("GET", "/collaborations/{c}/propose-update", COMPANY_A),
    ("POST", "/collaborations/{c}/propose-update", COMPANY_A),
    ("POST", "/collaborations/proposals/{proposal}/accept", KEEPERS),
    ("POST", "/collaborations/proposals/{proposal}/decline", KEEPERS),
    ("GET", "/me/collaborations", STUDENTS),
]


@pytest.fixture
def ids(world, db):
    c = record(
        world.dean_a1,
        world.fac_a1,
        companies=[world.company_a],
        students=[world.student_a1],
        lead=world.dean_a1,
    )
    milestone = add_milestone(world.dean_a1, c, "Demo", date(2027, 1, 10))
    proposal = proposals.propose_update(
        world.company_admin_a, c, world.company_a, {"cash_hkd": 1}, "cheaper"
    )
    attachment = attachments.add_attachment(
        world.dean_a1, c, attachments.Upload("agreement.pdf", minimal_pdf(["Agreement"]))
    )
    db.session.commit()
    return {
        "c": c.id,
        "attachment": attachment.id,
        "fac": world.fac_a1.id,
        "company": world.company_a.id,
        "dean": world.dean_a1.id,
        "profile": profile_of(world.student_a1).id,
        "milestone": milestone.id,
        "proposal": proposal.id,
    }


def _written(db) -> tuple[int, int, int]:
    db.session.rollback()
    changes = db.session.scalar(sa.select(sa.func.count()).select_from(CollaborationChange))
    decided = db.session.scalar(
        sa.select(sa.func.count()).select_from(Proposal).where(Proposal.decided_at.is_not(None))
    )
    files = db.session.scalar(sa.select(sa.func.count()).select_from(CollaborationAttachment))
    return changes, decided, files


@pytest.mark.parametrize("who", USERS)
def test_every_route_refuses_those_outside_its_scope(world, db, client, login_as, ids, who):
    login_as(getattr(world, who))
    token = csrf_from(client.get("/", follow_redirects=True))
    before = _written(db)
    for method, template, allowed in ROUTES:
        url = template.format(**ids)
        if method == "GET":
            response = client.get(url, buffered=True)
            if who in allowed:
                assert response.status_code == 200, (who, url, response.status_code)
            else:
                assert response.status_code == 403, (who, url, response.status_code)
        elif who not in allowed:
            response = client.post(url, data={"csrf_token": token, "party_id": "1"})
            assert response.status_code == 403, (who, method, url, response.status_code)
    assert _written(db) == before, who


def test_a_student_participant_reads_without_money_or_history(world, db, client, login_as, ids):
    login_as(world.student_a1)
    page = client.get(f"/collaborations/{ids['c']}").get_data(as_text=True)
    assert "Warehouse robot capstone" in page
    for hidden in ("HK$", "History", "Hiring by the partner companies", "cheaper"):
        assert hidden not in page


def test_a_company_reads_a_shared_record_but_not_the_hiring_link(world, db, client, login_as, ids):
    login_as(world.recruiter_a)
    page = client.get(f"/collaborations/{ids['c']}").get_data(as_text=True)
    assert "HK$250,000" in page and "Propose an update" in page
    assert "Hiring by the partner companies" not in page and "Edit</a>" not in page


def test_anonymous_visitors_are_sent_to_sign_in(client, ids):
    for method, template, _allowed in ROUTES:
        response = client.open(template.format(**ids), method=method)
        assert response.status_code in (302, 400), (method, template)
        if response.status_code == 302:
            assert "/sign-in" in response.headers["Location"]


def test_a_private_record_is_hidden_from_its_company(world, db, client, login_as):
    c = record(
        world.dean_a1, world.fac_a1, companies=[world.company_a], visibility=Visibility.PRIVATE
    )
    db.session.commit()
    login_as(world.company_admin_a)
    assert client.get(f"/collaborations/{c.id}").status_code == 403
    listing = client.get("/companies/alpha/collaborations").get_data(as_text=True)
    assert c.title not in listing
