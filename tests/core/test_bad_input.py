"""Input no store can hold is refused in one place, with a message and a 400, before any
view or query runs; and while the database is away, pages say so with a 503.

(tests/core/test_route_walk.py sends a NUL in every query parameter and form field of
every page as well; these are the cases the review met, on both engines.)"""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from foundry import create_app
from foundry.students.models import CVDocument, StudentProfile
from tests.factories import profile_of

NUL_MESSAGE = "cannot be stored (a null character)"


@pytest.mark.parametrize(
    "path",
    [
        "/postings?q=a%00b",
        "/companies?q=a%00b",
        "/companies?sort=name%00",
        "/companies/alpha%00",
        "/postings/feed.atom?q=%00",
        "/postings?a%00b=1",
    ],
)
def test_a_nul_byte_in_the_address_is_a_400_with_a_message(client, world, path):
    response = client.get(path)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)


def test_a_nul_byte_in_a_form_is_a_400_and_nothing_is_written(
    client, world, login_as, post_form, db
):
    login_as(world.student_a1)
    before = db.session.scalar(
        sa.select(StudentProfile.headline).where(StudentProfile.user_id == world.student_a1.id)
    )
    response = post_form("/me/profile", {"headline": "Robotics\x00 engineer"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)
    db.session.expire_all()
    assert profile_of(world.student_a1).headline == before


def test_a_nul_byte_in_an_uploaded_file_name_is_refused(client, world, login_as, post_form, db):
    from foundry.demo.pdf import minimal_pdf

    login_as(world.student_a1)
    response = post_form(
        "/me/cvs",
        {"title": "CV", "file": (io.BytesIO(minimal_pdf(["CV"])), "cv\x00.pdf")},
        form_page="/me/profile",
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CVDocument)) == 0


def test_a_query_value_longer_than_anyone_types_is_a_400(client, world):
    response = client.get("/postings", query_string={"q": "robot " * 200})
    assert response.status_code == 400
    assert "longer than 1000 characters" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "unreachable_url",
    [
        "sqlite:////nonexistent-folder/foundry.db",
        "postgresql+psycopg://postgres@127.0.0.1:1/test",
    ],
    ids=["sqlite", "postgresql"],
)
@pytest.mark.parametrize("path", ["/", "/postings", "/companies", "/sign-in"])
def test_while_the_database_is_away_pages_answer_503_back_soon(no_db, unreachable_url, path):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": unreachable_url})
    client = app.test_client()
    client.set_cookie("session", "not-even-signed")  # a returning visitor's cookie
    response = client.get(path)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    page = response.get_data(as_text=True)
    assert "We will be back soon" in page and "我們很快回來" in page
    assert "Content-Security-Policy" in response.headers
    json = client.get(path, headers={"Accept": "application/json"})
    assert json.status_code == 503 and json.json["error"] == "Service unavailable"
