"""The search's results and a posting's page go through the shared cache
(foundry/postings/search_results.py, page_cache.py):
found and rendered once between changes for every student of one cohort, with each
student's own saved marks and form token put in per request; a new, changed or closed
posting shown at the next request; another cohort (faculty, university) never shown
another's eligibility or approvals; renewed every minute. On the store of one process and
on Redis."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from foundry import clock
from foundry.db import utcnow
from foundry.postings.models import PostingStatus
from foundry.postings.page_cache import TOPIC
from foundry.reports import cache
from tests.conftest import csrf_from
from tests.factories import PostingFactory
from tests.statements import statements_of_request


def _search(client, url="/postings"):
    statements, response = statements_of_request(client, url)
    assert response.status_code == 200
    return response.get_data(as_text=True), len(statements)


def _results(page: str) -> str:
    return page[page.index('id="results-heading"') : page.index("</section>")]


def _card(page: str, posting_id: int) -> str:
    start = page.index(f'aria-labelledby="posting-{posting_id}-title"')
    return page[start : page.index("</article>", start)]


def test_a_second_search_reads_no_posting_and_shows_the_same(client, world, store, login_as):
    PostingFactory(company=world.company_a, title="Drone Intern")
    login_as(world.student_a1)
    first, fresh = _search(client)
    second, cached = _search(client)
    assert "Drone Intern" in first and "1 posting" in first
    assert cached <= fresh - 3  # the counts, the page of postings and its lists
    assert _results(second) == _results(first)
    assert "<!--" not in _results(second)  # no marker left for the browser


def test_saved_marks_and_tokens_are_each_students_own(client, world, db, store, login_as):
    posting = PostingFactory(company=world.company_a, title="Drone Intern")
    login_as(world.student_a1)
    token = csrf_from(client.get("/postings"))
    client.post(f"/postings/{posting.id}/save", data={"csrf_token": token, "next": "/postings"})
    mine = client.get("/postings")
    assert "Saved ✓" in _card(mine.get_data(as_text=True), posting.id)

    login_as(world.student_a1_other)  # the same faculty, level and year: the same entry
    page = client.get("/postings")
    card = _card(page.get_data(as_text=True), posting.id)
    assert "Saved ✓" not in card and ">Save<" in card
    assert f'name="csrf_token" value="{csrf_from(page)}"' in card


def test_another_faculty_is_never_shown_this_facultys_eligibility(client, world, store, login_as):
    posting = PostingFactory(company=world.company_a, title="Faculty-only role")
    posting.faculties = [world.fac_a1]
    login_as(world.student_a1)
    assert "You can apply" in _card(client.get("/postings").get_data(as_text=True), posting.id)
    login_as(world.student_a2)
    card = _card(client.get("/postings").get_data(as_text=True), posting.id)
    assert "Not eligible" in card and "You can apply" not in card


def test_another_university_is_never_shown_postings_its_university_has_not_approved(
    client, world, store, login_as
):
    world.uni_b.posting_approval_required = True
    PostingFactory(company=world.company_a, title="Unapproved role")
    login_as(world.student_a1)
    assert "Unapproved role" in client.get("/postings").get_data(as_text=True)
    login_as(world.student_b1)
    assert "Unapproved role" not in client.get("/postings").get_data(as_text=True)


def test_anonymous_visitors_get_no_forms(client, world, store, login_as):
    PostingFactory(company=world.company_a, title="Drone Intern")
    login_as(world.student_a1)
    client.get("/postings")
    client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/postings"))})
    page = client.get("/postings").get_data(as_text=True)
    assert "Drone Intern" in page and "/save" not in _results(page)


@pytest.mark.parametrize("change", ["new", "retitled", "closed", "company renamed"])
def test_a_change_to_what_cards_show_is_shown_at_the_next_request(
    client, world, db, store, login_as, change
):
    posting = PostingFactory(company=world.company_a, title="Drone Intern")
    login_as(world.student_a1)
    _search(client)
    if change == "new":
        PostingFactory(company=world.company_b, title="Quant Intern")
    elif change == "retitled":
        posting.title = "Quant Intern"
    elif change == "closed":
        posting.status = PostingStatus.CLOSED
        posting.closed_at = utcnow()
    else:
        world.company_a.name = "Quant Robotics"
    db.session.commit()
    page = _results(_search(client)[0])
    assert ("Quant" in page) is (change != "closed")
    assert ("Drone Intern" in page) is (change in ("new", "company renamed"))


def test_saving_a_posting_leaves_the_entry_cached(client, world, db, store, login_as):
    posting = PostingFactory(company=world.company_a)
    login_as(world.student_a1)
    _search(client)
    generation = store.get_many([cache.TOPICS[TOPIC].generation_key])[0]
    token = csrf_from(client.get("/postings"))
    client.post(f"/postings/{posting.id}/save", data={"csrf_token": token, "next": "/postings"})
    assert store.get_many([cache.TOPICS[TOPIC].generation_key])[0] == generation
    assert "Saved ✓" in _search(client)[0]


def test_each_language_query_and_page_has_its_own_entry(client, world, store, login_as):
    for n in range(21):  # two pages of twenty
        PostingFactory(company=world.company_a, title=f"Robotics Intern {n:02}")
    PostingFactory(company=world.company_b, title="Quant Intern")
    login_as(world.student_a1)
    assert "22 postings" in _search(client)[0]
    assert len(re.findall(r"<article", _results(_search(client, "/postings?page=2")[0]))) == 2
    assert "Quant Intern" not in _results(_search(client, "/postings?q=robotics")[0])
    chinese = client.get("/postings", headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    assert "22 postings" not in chinese


def test_the_entry_is_renewed_at_the_next_minute(client, world, store, login_as):
    PostingFactory(company=world.company_a, deadline=utcnow() + timedelta(seconds=90))
    login_as(world.student_a1)
    _search(client)
    cached = _search(client)[1]
    with clock.frozen_at(utcnow() + timedelta(minutes=2)):
        page, read = _search(client)
    assert read > cached and "0 postings" in page  # past its deadline: left out


# --- a posting's page --------------------------------------------------------------------


def _view(client, posting):
    return _search(client, f"/postings/{posting.id}")


def _aside(page: str) -> str:
    return page[page.index('aria-label="Key facts and applying"') : page.index("</aside>")]


def test_a_postings_page_is_read_once_and_kept_per_cohort(client, world, store, login_as):
    posting = PostingFactory(company=world.company_a, title="Drone Intern")
    posting.faculties = [world.fac_a1]
    login_as(world.student_a1)
    first, fresh = _view(client, posting)
    second, cached = _view(client, posting)
    assert cached <= fresh - 4
    # The session row with the student's profile; the posting with their saved mark.
    assert cached == 2
    assert _without_token(_aside(second), second) == _without_token(_aside(first), first)
    assert "You can apply" in _aside(second) and "<!--" not in second
    login_as(world.student_a2)  # another faculty
    aside = _aside(_view(client, posting)[0])
    assert "Not eligible" in aside and "/apply" not in aside


def test_a_postings_page_shows_each_student_their_own_saved_mark(client, world, store, login_as):
    posting = PostingFactory(company=world.company_a, title="Drone Intern")
    login_as(world.student_a1)
    token = csrf_from(client.get(f"/postings/{posting.id}"))
    client.post(f"/postings/{posting.id}/save", data={"csrf_token": token, "next": "/postings"})
    assert "Saved ✓" in _aside(_view(client, posting)[0])
    login_as(world.student_a1_other)
    page = client.get(f"/postings/{posting.id}")
    aside = _aside(page.get_data(as_text=True))
    assert "Saved ✓" not in aside and f'value="{csrf_from(page)}"' in aside


def test_a_postings_page_for_anonymous_visitors_asks_them_to_sign_in(
    client, world, store, login_as
):
    posting = PostingFactory(company=world.company_a, title="Drone Intern")
    login_as(world.recruiter_b)  # no cohort either, but signed in: no apply button
    assert "/apply" not in _aside(_view(client, posting)[0])
    client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/postings"))})
    aside = _aside(_view(client, posting)[0])
    assert "Sign in with your university account" in aside and "/save" not in aside


def test_a_change_to_a_posting_is_on_its_page_at_the_next_request(
    client, world, db, store, login_as
):
    posting = PostingFactory(company=world.company_a, title="Drone Intern")
    login_as(world.student_a1)
    _view(client, posting)
    posting.requirements = "Rust and embedded C."
    db.session.commit()
    assert "Rust and embedded C." in _view(client, posting)[0]
    posting.status = PostingStatus.CLOSED
    posting.closed_at = utcnow()
    db.session.commit()
    assert client.get(f"/postings/{posting.id}").status_code == 404


def test_a_draft_is_shown_to_its_company_and_never_kept(client, world, db, store, login_as):
    posting = PostingFactory(company=world.company_a, title="Secret Intern")
    posting.status = PostingStatus.DRAFT
    posting.published_at = None
    login_as(world.recruiter_a)
    first, fresh = _view(client, posting)
    assert "This posting is not public" in first
    assert _view(client, posting)[1] == fresh
    login_as(world.student_a1)
    assert client.get(f"/postings/{posting.id}").status_code == 404


def _without_token(part: str, page: str) -> str:
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    return part.replace(token, "TOKEN")
