"""Applying to a posting: a frozen copy of what was sent, one application per student and
posting, and clear refusals that store nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from foundry.applications import services
from foundry.applications.models import Application, ApplicationEvent, ApplicationStatus
from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.demo.pdf import minimal_pdf
from foundry.notifications.models import Notification, OutboxEmail
from foundry.postings.models import (
    ApprovalStatus,
    PostingApproval,
    PostingStatus,
    ScreeningQuestion,
)
from foundry.students.models import CVDocument
from tests.applications import application_of, count, cv_of, posting_of, upload
from tests.conftest import csrf_from
from tests.factories import profile_of
from tests.statements import outline, recorded_statements


def _apply(post_form, posting, data, **kwargs):
    url = f"/postings/{posting.id}/apply"
    return post_form(url, data, content_type="multipart/form-data", **kwargs)


@pytest.fixture
def posting(world, db):
    posting = posting_of(world.company_a, title="Robot Vision Intern")
    posting.questions = [
        ScreeningQuestion(position=1, prompt="Why robots?", required=True),
        ScreeningQuestion(position=2, prompt="Anything else?", required=False),
    ]
    db.session.commit()
    return posting


def _answers(posting, first="I build robots.", second=""):
    q1, q2 = posting.questions
    return {f"answer_{q1.id}": first, f"answer_{q2.id}": second}


def test_student_applies_with_one_of_their_cvs(client, world, login_as, post_form, posting, db):
    cv = cv_of(world.student_a1, title="Robotics CV", lines=["Chan Tai Man"])
    login_as(world.student_a1)
    page = client.get(f"/postings/{posting.id}/apply").get_data(as_text=True)
    assert "Robotics CV" in page and "Why robots?" in page
    data = {"cv_choice": str(cv.id), "cover_letter": "Dear Alpha,", **_answers(posting)}
    response = _apply(post_form, posting, data)
    assert response.status_code == 303
    (application,) = db.session.scalars(db.select(Application)).all()
    assert response.headers["Location"].endswith(f"/me/applications/{application.id}")
    assert application.status is ApplicationStatus.SUBMITTED
    assert application.company_id == world.company_a.id
    assert application.cover_letter == "Dear Alpha,"
    assert application.cv_title == "Robotics CV"
    assert application.cv_content == cv.content
    assert application.answers == [
        {"question": "Why robots?", "answer": "I build robots.", "required": True},
        {"question": "Anything else?", "answer": "", "required": False},
    ]
    (event,) = db.session.scalars(db.select(ApplicationEvent)).all()
    assert event.from_status is None and event.to_status is ApplicationStatus.SUBMITTED
    assert count(AuditEvent, AuditEvent.action == "application.submitted") == 1


def test_company_members_hear_of_a_new_application_in_app_only(
    client, world, login_as, post_form, posting, db
):
    cv = cv_of(world.student_a1)
    login_as(world.student_a1)
    _apply(post_form, posting, {"cv_choice": str(cv.id), **_answers(posting)})
    told = {n.user_id for n in db.session.scalars(db.select(Notification))}
    assert told == {world.company_admin_a.id, world.recruiter_a.id}
    assert count(OutboxEmail) == 0


def test_a_new_upload_is_sent_and_added_to_my_cvs(client, world, login_as, post_form, posting, db):
    content = minimal_pdf(["New CV"])
    login_as(world.student_a1)
    data = {"cv_choice": "new", "cv_file": upload(content, "mine.pdf"), **_answers(posting)}
    response = _apply(post_form, posting, data)
    assert response.status_code == 303
    (cv,) = profile_of(world.student_a1).cvs
    assert cv.content == content and cv.original_filename == "mine.pdf"
    application = db.session.scalar(db.select(Application))
    assert application.cv_content == content and application.cv_filename == "mine.pdf"


def test_posting_the_form_twice_gives_one_application(
    client, world, login_as, post_form, posting, db
):
    cv = cv_of(world.student_a1)
    login_as(world.student_a1)
    data = {"cv_choice": str(cv.id), **_answers(posting)}
    first = _apply(post_form, posting, data)
    application = db.session.scalar(db.select(Application))
    second = client.post(
        f"/postings/{posting.id}/apply",
        data={"csrf_token": csrf_from(client.get("/me/applications")), **data},
        content_type="multipart/form-data",
    )
    assert first.status_code == 303
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert "You have already applied to this posting." in html
    assert f"/me/applications/{application.id}" in html
    assert count(Application) == 1


def test_a_racing_second_submit_is_stopped_by_the_unique_constraint(
    client, world, login_as, post_form, posting, db, monkeypatch
):
    """Two submits at once both pass the "already applied?" check; the database refuses
    the second, which then shows the first application."""
    cv = cv_of(world.student_a1)
    existing = application_of(world.student_a1, posting)
    login_as(world.student_a1)
    page = client.get("/me/applications")
    monkeypatch.setattr(services, "application_of", lambda profile, posting: None)
    response = client.post(
        f"/postings/{posting.id}/apply",
        data={"csrf_token": csrf_from(page), "cv_choice": str(cv.id), **_answers(posting)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 409
    assert f"/me/applications/{existing.id}" in response.get_data(as_text=True)
    assert count(Application) == 1
    assert count(ApplicationEvent) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": PostingStatus.CLOSED}, "This posting is not open for applications."),
        ({"status": PostingStatus.DRAFT, "published_at": None}, "not open for applications"),
        ({"deadline_delta": timedelta(seconds=-1)}, "The deadline for this posting has passed."),
    ],
    ids=["closed", "draft", "deadline-passed"],
)
def test_applying_to_a_posting_not_open_is_refused(
    client, world, login_as, post_form, posting, db, change, message
):
    cv = cv_of(world.student_a1)
    delta = change.pop("deadline_delta", None)
    if delta is not None:
        posting.deadline = utcnow() + delta
    for key, value in change.items():
        setattr(posting, key, value)
    db.session.commit()
    login_as(world.student_a1)
    assert message in client.get(f"/postings/{posting.id}/apply").get_data(as_text=True)
    token = csrf_from(client.get("/me/applications"))
    response = client.post(
        f"/postings/{posting.id}/apply",
        data={"csrf_token": token, "cv_choice": str(cv.id), **_answers(posting)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    assert count(Application) == 0


def test_a_student_who_is_not_eligible_is_told_why(client, world, login_as, posting, db):
    posting.universities = [world.uni_b]
    db.session.commit()
    login_as(world.student_a1)
    response = client.get(f"/postings/{posting.id}/apply")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "You are not eligible for this posting." in html
    assert "Open to students of UB only." in html


def test_a_posting_my_university_has_not_approved_is_refused(client, world, login_as, posting, db):
    world.uni_a.posting_approval_required = True
    db.session.add(
        PostingApproval(
            posting_id=posting.id, university_id=world.uni_a.id, status=ApprovalStatus.PENDING
        )
    )
    db.session.commit()
    login_as(world.student_a1)
    response = client.get(f"/postings/{posting.id}/apply")
    assert response.status_code == 403
    assert "has not approved this posting" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024), "big.pdf", "larger than 5 MB"),
        (b"MZ\x90\x00" + b"\x00" * 300, "cv.pdf", "This file is not a PDF"),
        (b"%PDF-1.4\n not really", "cv.pdf", "damaged or has no pages"),
    ],
    ids=["6MB", "not-a-pdf", "damaged"],
)
def test_a_bad_cv_is_refused_and_nothing_is_stored(
    client, world, login_as, post_form, posting, db, content, filename, message
):
    login_as(world.student_a1)
    data = {"cv_choice": "new", "cv_file": upload(content, filename), **_answers(posting)}
    response = _apply(post_form, posting, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(Application) == 0 and count(CVDocument) == 0


def test_choosing_upload_without_a_file_is_refused(client, world, login_as, post_form, posting):
    login_as(world.student_a1)
    response = _apply(post_form, posting, {"cv_choice": "new", **_answers(posting)})
    assert response.status_code == 400
    assert "Choose a PDF file to upload" in response.get_data(as_text=True)
    assert count(Application) == 0


def test_a_cv_must_be_chosen(client, world, login_as, post_form, posting):
    cv_of(world.student_a1)
    login_as(world.student_a1)
    response = _apply(post_form, posting, _answers(posting))
    assert response.status_code == 400
    assert "Choose one of your CVs or upload a new one." in response.get_data(as_text=True)
    assert count(Application) == 0


def test_another_students_cv_cannot_be_sent(client, world, login_as, post_form, posting):
    cv_of(world.student_a1)
    foreign = cv_of(world.student_b1)
    login_as(world.student_a1)
    response = _apply(post_form, posting, {"cv_choice": str(foreign.id), **_answers(posting)})
    assert response.status_code == 400
    assert count(Application) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"cover_letter": "x" * 100_000}, "Keep the cover letter to 10,000 characters."),
        ({"first": ""}, "Answer this question."),
        ({"first": "   "}, "Answer this question."),
        ({"second": "y" * 2001}, "Keep each answer to 2,000 characters."),
    ],
    ids=["100k-cover-letter", "missing-answer", "blank-answer", "long-answer"],
)
def test_bad_letter_or_answers_are_refused(
    client, world, login_as, post_form, posting, db, data, message
):
    cv = cv_of(world.student_a1)
    login_as(world.student_a1)
    answers = _answers(posting, data.pop("first", "I build robots."), data.pop("second", ""))
    response = _apply(post_form, posting, {"cv_choice": str(cv.id), **answers, **data})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(Application) == 0 and count(ApplicationEvent) == 0


def test_only_students_may_apply(client, world, login_as, posting):
    for user in (world.recruiter_a, world.dean_a1, world.park_admin):
        login_as(user)
        assert client.get(f"/postings/{posting.id}/apply").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, world, posting):
    response = client.get(f"/postings/{posting.id}/apply")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_sending_an_application_reads_only_what_it_needs(
    client, world, login_as, post_form, posting, db
):
    """The posting's eligibility is checked once (not by the page and again by the
    service), and neither the posting's skills and themes nor the company members' roles
    are read: each was a statement on every application sent."""
    cv = cv_of(world.student_a1, title="Robotics CV", lines=["Chan Tai Man"])
    login_as(world.student_a1)
    url = f"/postings/{posting.id}/apply"
    token = csrf_from(client.get(url))
    data = {"csrf_token": token, "cv_choice": str(cv.id), "cover_letter": "Dear Alpha,"}
    data |= _answers(posting)
    db.session.commit()
    with recorded_statements() as statements:
        response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    text = outline(statements)
    reads = [s.sql for s in statements if s.sql.lstrip().upper().startswith("SELECT")]
    assert not [sql for sql in reads if "posting_skills" in sql or "posting_themes" in sql], text
    assert not [sql for sql in reads if "role_memberships.user_id IN" in sql], text
    # "Have I applied already?": application_of(), the one read of the student's
    # application to this posting before the insert.
    already = re.compile(r"WHERE applications\.profile_id = \S+ AND applications\.posting_id = ")
    asked = [sql for sql in reads if already.search(" ".join(sql.split()))]
    assert len(asked) == 1, text
