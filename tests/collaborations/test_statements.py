"""The list, the record page and the company's list cost a constant number of SQL
statements, whatever the number of records, parties, people, attachments and changes they
show."""

from __future__ import annotations

from datetime import date

from foundry.accounts.models import Role
from foundry.collaborations import attachments, proposals, services
from foundry.collaborations.models import OutcomeKind, PartyRole, PersonRole
from foundry.demo.pdf import minimal_pdf
from tests.collaborations.factories import record
from tests.factories import CompanyFactory, company_member, profile_of, staff, student
from tests.statements import outline, statements_of_request


def _records(world, n: int) -> list:
    made = []
    for i in range(n):
        company = CompanyFactory()
        made.append(
            record(
                world.dean_a1,
                world.fac_a1,
                companies=[company, world.company_a],
                students=[student(world.fac_a1)],
                title=f"Record {len(made)} of {n} {i}",
            )
        )
    return made


def test_the_portfolio_costs_the_same_for_2_and_20_records(world, db, client, login_as):
    login_as(world.dean_a1)
    url = f"/faculties/{world.fac_a1.id}/collaborations"
    _records(world, 2)
    few, _ = statements_of_request(client, url)
    _records(world, 18)
    many, response = statements_of_request(client, url)
    assert "Record 17 of 18" in response.get_data(as_text=True)
    assert len(many) == len(few), outline(many)


def _proposals(world, n: int) -> None:
    for c in _records(world, n):
        proposals.propose_update(world.company_admin_a, c, world.company_a, {"cash_hkd": 1}, "")


def test_the_company_list_costs_the_same_for_2_and_20_records(world, db, client, login_as):
    login_as(world.company_admin_a)
    url = f"/companies/{world.company_a.slug}/collaborations"
    _proposals(world, 2)
    few, _ = statements_of_request(client, url)
    _proposals(world, 18)
    many, _ = statements_of_request(client, url)
    assert len(many) == len(few), outline(many)


def _grow(world, c, n: int) -> None:
    for i in range(n):
        services.add_company(world.dean_a1, c, CompanyFactory().id, PartyRole.FUNDER)
        services.add_students(world.dean_a1, c, [profile_of(student(world.fac_a1)).id])
        services.add_person(
            world.dean_a1, c, staff(Role.ASSOCIATE_DEAN, world.fac_a1).id, PersonRole.ACADEMIC
        )
        services.add_person(
            world.dean_a1, c, company_member(world.company_a).id, PersonRole.COMPANY_CONTACT
        )
        services.add_milestone(world.dean_a1, c, f"Milestone {i}", date(2027, 1, 1 + i))
        services.add_outcome(world.dean_a1, c, OutcomeKind.PUBLICATION, f"Paper {i}", None)
        attachments.add_attachment(  # each by another uploader, whose name the list shows
            company_member(world.company_a),
            c,
            attachments.Upload(f"Report {i}.pdf", minimal_pdf([f"Report {i}"])),
        )


def test_the_record_page_costs_the_same_whatever_it_holds(world, db, client, login_as):
    c = record(world.dean_a1, world.fac_a1, companies=[world.company_a], lead=world.dean_a1)
    login_as(world.dean_a1)
    url = f"/collaborations/{c.id}"
    _grow(world, c, 1)
    few, _ = statements_of_request(client, url)
    _grow(world, c, 6)
    many, response = statements_of_request(client, url)
    assert "Milestone 5" in response.get_data(as_text=True)
    assert "Report 5.pdf" in response.get_data(as_text=True)
    assert len(many) == len(few), outline(many)
