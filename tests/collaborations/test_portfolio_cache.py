"""A portfolio's records, totals and knowledge-transfer table go through the shared cache
(foundry/collaborations/listing.py): read once for everyone who may see the same scope,
never shown to a reader whose scope is narrower (a faculty's staff on their university's
portfolio, a company's members beside the park admin), a new or changed record and a
renamed company shown at the next request; the filters' lists kept apart; which records a
programme came from, kept for every reader and filtered per reader. On the store of
one process and on Redis."""

from __future__ import annotations

from foundry.collaborations import links, services
from foundry.collaborations.models import CollaborationStatus, Visibility
from tests.collaborations.factories import details, record
from tests.programmes import factories as pf
from tests.statements import statements_of_request


def _page(client, url):
    statements, response = statements_of_request(client, url)
    assert response.status_code == 200
    return response.get_data(as_text=True), len(statements)


def test_a_second_reader_of_a_portfolio_reads_no_record(client, world, db, store, login_as):
    record(world.dean_a1, world.fac_a1, companies=[world.company_a], title="Drone capstone")
    db.session.commit()
    login_as(world.coordinator_a)
    url = f"/universities/{world.uni_a.id}/collaborations"
    first, fresh = _page(client, url)
    second, cached = _page(client, url)
    assert "Drone capstone" in first and 'id="kt-title"' in first
    assert cached <= fresh - 2  # the page of records and its parties (the totals: cached)
    assert second.count("Drone capstone") == first.count("Drone capstone")


def test_faculty_staff_never_see_the_universitys_other_records(client, world, db, store, login_as):
    record(world.dean_a1, world.fac_a1, title="Drone capstone")
    record(world.officer_a2, world.fac_a2, title="Genomics consultancy")
    db.session.commit()
    url = f"/universities/{world.uni_a.id}/collaborations"
    login_as(world.coordinator_a)
    page = _page(client, url)[0]
    assert "Drone capstone" in page and "Genomics consultancy" in page
    login_as(world.dean_a1)
    page = _page(client, url)[0]
    assert "Drone capstone" in page and "Genomics consultancy" not in page


def test_a_company_never_sees_a_record_not_shared_with_it(client, world, db, store, login_as):
    record(world.dean_a1, world.fac_a1, companies=[world.company_a], title="Shared capstone")
    record(
        world.dean_a1,
        world.fac_a1,
        companies=[world.company_a],
        title="Private research",
        visibility=Visibility.PRIVATE,
    )
    db.session.commit()
    login_as(world.park_admin)
    assert "Private research" in _page(client, "/companies/alpha/collaborations")[0]
    login_as(world.recruiter_a)
    page = _page(client, "/companies/alpha/collaborations")[0]
    assert "Shared capstone" in page and "Private research" not in page


def test_a_change_is_shown_at_the_next_request(client, world, db, store, login_as):
    capstone = record(world.dean_a1, world.fac_a1, companies=[world.company_a], title="Capstone")
    db.session.commit()
    login_as(world.dean_a1)
    url = f"/faculties/{world.fac_a1.id}/collaborations"
    assert "Alpha Robotics" in _page(client, url)[0]
    record(world.dean_a1, world.fac_a1, title="Guest lecture series")
    services.update_collaboration(
        world.dean_a1, capstone, details(title="Capstone", status=CollaborationStatus.COMPLETED)
    )
    world.company_a.name = "Alpha Drones"
    db.session.commit()
    page = _page(client, url)[0]
    assert "Guest lecture series" in page and "Alpha Drones" in page
    assert "Completed" in page[page.index("Capstone") :]


def test_the_filters_lists_are_kept_apart_from_the_records(client, world, db, store, login_as):
    login_as(world.coordinator_a)
    url = f"/universities/{world.uni_a.id}/collaborations"
    assert "A Science" in _page(client, url)[0]
    world.fac_a2.name_en = "A Natural Science"
    db.session.commit()
    assert "A Natural Science" in _page(client, url)[0]


def test_a_programme_linked_to_a_record_names_it_at_the_next_request(
    client, world, db, store, login_as
):
    capstone = record(world.dean_a1, world.fac_a1, companies=[world.company_a], title="Capstone")
    programme = pf.SessionFactory(
        programme=pf.ProgrammeFactory(organiser_faculty=world.fac_a1)
    ).programme
    db.session.commit()
    login_as(world.dean_a1)
    url = f"/programmes/{programme.id}"
    assert "From the collaboration" not in _page(client, url)[0]
    links.link_programme(world.dean_a1, capstone, programme.id)
    db.session.commit()
    page = _page(client, url)[0]
    assert "From the collaboration" in page and "Capstone" in page
    login_as(world.dean_b1)  # another university's dean may not see the record
    assert "Capstone" not in _page(client, url)[0]
