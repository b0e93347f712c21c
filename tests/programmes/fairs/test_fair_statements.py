"""What "Who's coming" costs: a fixed number of statements whatever the size of the fair
(1, 20 or 100 exhibitors, each with featured roles and a slot, the student holding
bookings and CV drops), and at most FAIR_PAGE_STATEMENTS. Before the page read its
exhibitors as columns it ran 38 for three exhibitors: each exhibitor loaded as an entity
brought its programme, representatives and featured postings with every eligibility list
of those postings, twice over (the slots loaded their exhibitors again)."""

from __future__ import annotations

from foundry.programmes.fairs.booths import feature_postings
from foundry.programmes.fairs.meetings import drop_cv
from foundry.programmes.fairs.slots import book_slot
from tests import factories as f
from tests.factories import profile_of
from tests.programmes import factories as pf
from tests.programmes.fairs.pages_setup import approve, make_fair, slot_at
from tests.statements import outline, statements_of_request

# The session and its user, the programme, the viewer's profile, the exhibitors, their
# roles, their free slots, and the student's registration, bookings and CV drops.
FAIR_PAGE_STATEMENTS = 9


def _exhibitors(world, fair, numbers, student, db):
    """Exhibitors `numbers`, each with two featured roles and a group slot; the student
    books the slot of every tenth and drops a CV with it."""
    profile = profile_of(student)
    for i in numbers:
        company = f.CompanyFactory(name=f"Company {i:03d}")
        member = f.company_member(company)
        exhibitor = approve(world, fair, company, member, f"C{i:03d}")
        roles = [f.PostingFactory(company=company).id for _ in range(2)]
        feature_postings(member, exhibitor, roles)
        # Four minutes each, one after the other (the fair is open seven hours): the
        # student's bookings never overlap.
        slot = slot_at(member, exhibitor, fair, minutes_in=4 * i, length=4, capacity=5)
        if i % 10 == 0:
            book_slot(student, profile, slot)
            drop_cv(student, profile, exhibitor)
    db.session.commit()


def test_the_fair_page_costs_the_same_statements_for_1_20_and_100_exhibitors(
    client, world, login_as, db
):
    fair = make_fair(db)
    student = world.student_a1
    pf.registration(student, fair)
    f.CVFactory(profile=profile_of(student))
    db.session.commit()
    login_as(student)
    url = f"/programmes/{fair.programme_id}/fair"
    counts, shown = {}, 0
    for size in (1, 20, 100):
        _exhibitors(world, fair, range(shown, size), student, db)
        shown = size
        statements, response = statements_of_request(client, url)
        page = response.get_data(as_text=True)
        assert f"{size} compan" in page and "My bookings" in page and "CV dropped" in page
        counts[size] = len(statements)
        assert len(statements) <= FAIR_PAGE_STATEMENTS, outline(statements)
    assert counts[1] == counts[20] == counts[100], counts
