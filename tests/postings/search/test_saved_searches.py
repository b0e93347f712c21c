"""Saved searches: saving the current search, run, rename, alerts on/off, delete, and
who may not."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from foundry.postings.models import SavedPosting, SavedSearch
from tests.conftest import csrf_from
from tests.factories import PostingFactory
from tests.postings.search import titles


def saved_ids(db, user) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(SavedPosting.posting_id).where(SavedPosting.user_id == user.id)
        )
    )


def searches_of(db, user) -> list[SavedSearch]:
    return list(
        db.session.scalars(
            sa.select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id)
        )
    )


# --- saved searches ---------------------------------------------------------------------------


def test_student_saves_the_current_search(client, world, db, login_as, post_form):
    login_as(world.student_a1)
    url = "/postings?q=drone&kind=graduate_role&pay_min=15000&eligible=1&sort=closing"

    response = post_form(url, {"name": "  Drones   for grads "})

    assert response.status_code == 303
    (search,) = searches_of(db, world.student_a1)
    assert search.name == "Drones for grads"
    assert search.params == {
        "q": "drone",
        "kind": "graduate_role",
        "pay_min": "15000",
        "eligible": "1",
        "sort": "closing",
    }
    assert search.alerts_enabled
    assert response.headers["Location"].startswith("/postings?")
    assert "kind=graduate_role" in response.headers["Location"]


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Give the search a name."), ("x" * 81, "Keep the name to 80 characters or fewer.")],
)
def test_saved_search_name_is_checked(client, world, db, login_as, post_form, name, message):
    login_as(world.student_a1)

    response = post_form("/postings?q=drone", {"name": name})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "Save this search" in html
    assert searches_of(db, world.student_a1) == []


def test_saved_search_names_are_unique_per_student(client, world, db, login_as, post_form):
    db.session.add(SavedSearch(user_id=world.student_a1.id, name="Drones", params={}))
    db.session.add(SavedSearch(user_id=world.student_a1_other.id, name="Robots", params={}))
    login_as(world.student_a1)

    clash = post_form("/postings?q=drone", {"name": "Drones"})
    fine = post_form("/postings?q=robot", {"name": "Robots"})

    assert clash.status_code == 400
    assert "You already have a saved search called “Drones”." in clash.get_data(as_text=True)
    assert fine.status_code == 303
    assert [s.name for s in searches_of(db, world.student_a1)] == ["Drones", "Robots"]


def test_saving_a_search_with_bad_parameters_is_refused(client, world, db, login_as, post_form):
    login_as(world.student_a1)

    response = post_form("/postings?pay_min=-1", {"name": "Odd"}, form_page="/postings")

    assert response.status_code == 400
    assert "The minimum pay cannot be negative." in response.get_data(as_text=True)
    assert searches_of(db, world.student_a1) == []


def test_saved_searches_page_lists_mine_with_actions(client, world, db, login_as):
    mine = SavedSearch(
        user_id=world.student_a1.id, name="Drones", params={"q": "drone", "kind": "graduate_role"}
    )
    db.session.add_all([mine, SavedSearch(user_id=world.student_b1.id, name="Not mine", params={})])
    login_as(world.student_a1)

    html = client.get("/postings/searches").get_data(as_text=True)

    assert "Drones" in html
    assert "“drone”" in html
    assert "Graduate role" in html
    assert "Not mine" not in html
    assert f'href="/postings/searches/{mine.id}"' in html
    assert f'action="/postings/searches/{mine.id}/rename"' in html
    assert f'action="/postings/searches/{mine.id}/alerts"' in html
    assert f'action="/postings/searches/{mine.id}/delete"' in html


def test_run_a_saved_search(client, world, db, login_as):
    search = SavedSearch(
        user_id=world.student_a1.id, name="Drones", params={"q": "drone", "sort": "newest"}
    )
    db.session.add(search)
    PostingFactory(company=world.company_a, title="Drone Intern")
    login_as(world.student_a1)

    response = client.get(f"/postings/searches/{search.id}")

    assert response.status_code == 303
    assert titles(client.get(response.headers["Location"])) == ["Drone Intern"]


def test_rename_toggle_alerts_and_delete(client, world, db, login_as, post_form):
    search = SavedSearch(user_id=world.student_a1.id, name="Drones", params={"q": "drone"})
    db.session.add(search)
    login_as(world.student_a1)
    base = f"/postings/searches/{search.id}"

    assert (
        post_form(
            f"{base}/rename", {f"s{search.id}-name": "UAVs"}, form_page="/postings/searches"
        ).status_code
        == 303
    )
    assert (
        post_form(f"{base}/alerts", {"enabled": "0"}, form_page="/postings/searches").status_code
        == 303
    )
    db.session.expire_all()
    assert (search.name, search.alerts_enabled) == ("UAVs", False)

    assert (
        post_form(f"{base}/alerts", {"enabled": "1"}, form_page="/postings/searches").status_code
        == 303
    )
    db.session.expire_all()
    assert search.alerts_enabled
    assert search.last_alerted_at is not None

    assert (
        post_form(
            f"{base}/delete", {"confirmed": "yes"}, form_page="/postings/searches"
        ).status_code
        == 303
    )
    assert searches_of(db, world.student_a1) == []


def test_rename_to_a_bad_name_is_refused(client, world, db, login_as, post_form):
    search = SavedSearch(user_id=world.student_a1.id, name="Drones", params={})
    db.session.add_all([search, SavedSearch(user_id=world.student_a1.id, name="Robots", params={})])
    login_as(world.student_a1)

    too_long = post_form(
        f"/postings/searches/{search.id}/rename",
        {f"s{search.id}-name": "y" * 81},
        form_page="/postings/searches",
    )
    clash = post_form(
        f"/postings/searches/{search.id}/rename",
        {f"s{search.id}-name": "Robots"},
        form_page="/postings/searches",
    )

    assert too_long.status_code == 400
    assert "Keep the name to 80 characters or fewer." in too_long.get_data(as_text=True)
    assert clash.status_code == 400
    assert "You already have a saved search called “Robots”." in clash.get_data(as_text=True)
    db.session.expire_all()
    assert search.name == "Drones"


def test_alert_switch_needs_on_or_off(client, world, db, login_as, post_form):
    search = SavedSearch(user_id=world.student_a1.id, name="Drones", params={})
    db.session.add(search)
    login_as(world.student_a1)

    response = post_form(
        f"/postings/searches/{search.id}/alerts",
        {"enabled": "sometimes"},
        form_page="/postings/searches",
    )

    assert response.status_code == 400
    assert "Choose whether alerts are on or off." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "suffix", "data"),
    [
        ("get", "", None),
        ("post", "/rename", {"name": "Mine now"}),
        ("post", "/alerts", {"enabled": "0"}),
        ("post", "/delete", {}),
    ],
)
def test_student_cannot_reach_another_students_saved_search(
    client, world, db, login_as, post_form, method, suffix, data
):
    theirs = SavedSearch(user_id=world.student_a1_other.id, name="Theirs", params={"q": "x"})
    db.session.add(theirs)
    login_as(world.student_a1)
    url = f"/postings/searches/{theirs.id}{suffix}"

    if method == "get":
        response = client.get(url)
    else:
        response = post_form(
            url, {f"s{theirs.id}-name": "Mine now", **data}, form_page="/postings/searches"
        )

    assert response.status_code == 404
    db.session.expire_all()
    assert (theirs.name, theirs.alerts_enabled) == ("Theirs", True)
    assert len(searches_of(db, world.student_a1_other)) == 1


@pytest.mark.parametrize("who", ["recruiter_a", "company_admin_a", "dean_a1", "park_admin"])
def test_people_who_are_not_students_have_no_saved_searches(
    client, world, login_as, post_form, who
):
    login_as(getattr(world, who))

    assert client.get("/postings/searches").status_code == 403
    assert post_form("/postings?q=x", {"name": "Mine"}, form_page="/postings").status_code == 403


def test_anonymous_users_are_sent_to_sign_in_for_saved_searches(client, world, db):
    assert "/sign-in" in client.get("/postings/searches").headers["Location"]
    page = client.get("/postings")

    response = client.post("/postings?q=x", data={"csrf_token": csrf_from(page), "name": "Mine"})

    assert "/sign-in" in response.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedSearch)) == 0


def test_search_page_offers_saving_to_students_only(client, world, login_as):
    assert "Save this search" not in client.get("/postings").get_data(as_text=True)
    login_as(world.recruiter_a)
    assert "Save this search" not in client.get("/postings").get_data(as_text=True)
    login_as(world.student_a1)
    assert "Save this search" in client.get("/postings").get_data(as_text=True)
