"""The CV frozen with an application: who may open it, and that it outlives the original."""

from __future__ import annotations

import pytest

from foundry.applications.models import Application
from foundry.demo.pdf import minimal_pdf
from foundry.students.models import CVDocument
from tests.applications import application_of, count, cv_of, posting_of


@pytest.fixture
def application(world, db):
    application = application_of(
        world.student_a1,
        posting_of(world.company_a),
        cv_content=minimal_pdf(["Frozen copy"]),
        cv_filename="chan-cv.pdf",
    )
    db.session.commit()
    return application


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("student_a1", 200),
        ("recruiter_a", 200),
        ("company_admin_a", 200),
        ("dean_a1", 200),
        ("coordinator_a", 200),
        ("recruiter_b", 403),
        ("recruiter_unverified", 403),
        ("student_a1_other", 403),
        ("student_b1", 403),
        ("officer_a2", 403),
        ("dean_b1", 403),
        ("coordinator_b", 403),
    ],
)
def test_who_may_open_the_cv_sent_with_an_application(
    client, world, login_as, application, who, status
):
    login_as(getattr(world, who))
    response = client.get(f"/applications/{application.id}/cv")
    assert response.status_code == status
    if status == 200:
        assert response.data == application.cv_content
    else:
        assert b"%PDF-" not in response.data


def test_the_cv_is_served_inline_as_pdf_and_never_cached(client, world, login_as, application):
    login_as(world.dean_a1)
    response = client.get(f"/applications/{application.id}/cv")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="chan-cv.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]


def test_the_copy_survives_the_student_deleting_their_cv(client, world, login_as, post_form, db):
    cv_id = cv_of(world.student_a1, title="Only CV", lines=["Original"]).id
    posting = posting_of(world.company_a)
    login_as(world.student_a1)
    url = f"/postings/{posting.id}/apply"
    assert post_form(url, {"cv_choice": str(cv_id)}).status_code == 303
    assert (
        post_form(
            f"/me/cvs/{cv_id}/delete", {"confirmed": "yes"}, form_page="/me/profile"
        ).status_code
        == 303
    )
    assert client.get(f"/cvs/{cv_id}").status_code == 404
    assert count(CVDocument) == 0
    application = db.session.scalar(db.select(Application))
    login_as(world.recruiter_a)
    response = client.get(f"/applications/{application.id}/cv")
    assert response.status_code == 200
    assert response.data == minimal_pdf(["Original"])


def test_anonymous_is_sent_to_sign_in(client, world, application):
    response = client.get(f"/applications/{application.id}/cv")
    assert response.status_code == 302
    assert b"%PDF-" not in response.data


def test_an_unknown_application_is_not_found(client, world, login_as):
    login_as(world.dean_a1)
    assert client.get("/applications/999999/cv").status_code == 404
