"""The funnel's pages: the organiser's (figures, funnel, a row per exhibitor, each number
opening its list) and an exhibiting company's (its own students only); who may not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.programmes import factories as pf
from tests.programmes.test_funnel import _applies, _met, _person, event  # noqa: F401

pytestmark = pytest.mark.usefixtures("event")


def _names(response) -> list[str]:
    html = response.get_data(as_text=True)
    return [name for name in ("Ada Lam", "Ben Wong") if name in html]


@pytest.fixture
def story(world, event):  # noqa: F811
    """At the event: Ada met Alpha and applied; Ben attended and met no one."""
    session, booths = event
    ada = _person(world, session)
    _met(booths["alpha"], ada)
    _applies(ada, world.company_a, session.ends_at + timedelta(days=3), interviewed=True)
    ben = _person(world, session)
    ada.user.display_name, ben.user.display_name = "Ada Lam", "Ben Wong"
    return session.programme, ada, ben


def test_the_organiser_sees_the_figures_the_funnel_and_each_exhibitor(
    client, login_as, world, story
):
    programme, _ada, _ben = story
    login_as(world.park_admin)
    page = client.get(f"/organise/programmes/{programme.id}/funnel")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-figure="attended"' in html and 'data-figure="interviewed"' in html
    assert "Alpha Robotics" in html and "Beta Fintech" in html
    assert "Gamma Unverified" not in html  # declined: not an exhibitor
    listed = client.get(f"/organise/programmes/{programme.id}/funnel/attended")
    assert "Ada Lam" in listed.get_data(as_text=True) and "Ben Wong" in listed.get_data(
        as_text=True
    )
    interviewed = client.get(
        f"/organise/programmes/{programme.id}/funnel/interviewed?company={world.company_a.id}"
    ).get_data(as_text=True)
    assert "Ada Lam" in interviewed and "Ben Wong" not in interviewed
    assert client.get(f"/organise/programmes/{programme.id}/funnel/everyone").status_code == 404


def test_a_company_sees_only_the_students_who_came_to_it(client, login_as, world, story):
    programme, _ada, _ben = story
    login_as(world.recruiter_a)
    page = client.get(f"/company/alpha/fairs/{programme.id}/funnel")
    assert page.status_code == 200
    attended = client.get(f"/company/alpha/fairs/{programme.id}/funnel/attended")
    html = attended.get_data(as_text=True)
    assert "Ada Lam" in html and "Ben Wong" not in html  # Ben never came to Alpha


@pytest.mark.parametrize("who", ["student_a1", "recruiter_a", "dean_b1", "coordinator_b"])
def test_who_may_not_open_the_organisers_funnel(client, login_as, world, story, who):
    programme, _ada, _ben = story
    login_as(getattr(world, who))
    for url in (
        f"/organise/programmes/{programme.id}/funnel",
        f"/organise/programmes/{programme.id}/funnel/attended",
    ):
        assert client.get(url).status_code == 403


def test_another_company_or_a_non_exhibitor_cannot_open_a_companys_funnel(
    client, login_as, world, story
):
    programme, _ada, _ben = story
    login_as(world.recruiter_b)
    assert client.get(f"/company/alpha/fairs/{programme.id}/funnel").status_code == 403
    assert client.get(f"/company/alpha/fairs/{programme.id}/funnel/met").status_code == 403
    login_as(world.recruiter_unverified)  # its request was declined
    assert client.get(f"/company/gamma/fairs/{programme.id}/funnel").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, story):
    programme, _ada, _ben = story
    for url in (
        f"/organise/programmes/{programme.id}/funnel",
        f"/company/alpha/fairs/{programme.id}/funnel",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "sign-in" in response.headers["Location"]


def test_an_event_with_no_one_yet_shows_zeros_and_says_what_to_do(client, login_as, world, db):
    session = pf.SessionFactory()
    login_as(world.park_admin)
    html = client.get(f"/organise/programmes/{session.programme_id}/funnel").get_data(as_text=True)
    assert "No exhibitor yet" in html
    assert 'data-figure="registered"' in html
