"""CV upload, download and deletion: checked by content, scoped by the policy."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from foundry.demo.pdf import minimal_pdf
from foundry.students.models import CVDocument
from tests.collaborations import documents
from tests.factories import CVFactory, profile_of


def _upload(post_form, content: bytes, filename="cv.pdf", title="Software internships"):
    return post_form(
        "/me/cvs",
        {"title": title, "file": (io.BytesIO(content), filename)},
        form_page="/me/profile",
        content_type="multipart/form-data",
    )


def _cv_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(CVDocument))


def test_student_uploads_a_pdf_cv(client, world, login_as, post_form, db):
    login_as(world.student_a1)
    content = minimal_pdf(["Chan Tai Man", "BEng Computer Engineering"])
    response = _upload(post_form, content)
    assert response.status_code == 303
    (cv,) = profile_of(world.student_a1).cvs
    assert cv.title == "Software internships"
    assert cv.page_count == 1 and cv.size_bytes == len(content)
    download = client.get(f"/cvs/{cv.id}")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.data == content


def test_a_pdf_is_accepted_whatever_its_name(client, world, login_as, post_form, db):
    login_as(world.student_a1)
    assert _upload(post_form, minimal_pdf(["CV"]), filename="resume.bin").status_code == 303
    assert _cv_count(db) == 1


@pytest.mark.parametrize(
    ("content", "filename", "message", "status"),
    [
        (b"MZ\x90\x00\x03" + b"\x00" * 500, "cv.pdf", "This file is not a PDF", 400),
        (b"", "cv.pdf", "The file is empty.", 400),
        (b"%PDF-1.4\n garbage that is no pdf", "cv.pdf", "damaged or has no pages", 400),
        (b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024), "big.pdf", "larger than 5 MB", 400),
        (b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024), "huge.pdf", "larger than 10 MB", 413),
        (documents.pdf_with_script(), "cv.pdf", "contains scripts or embedded files", 400),
        (documents.pdf_with_embedded_file(), "cv.pdf", "contains scripts or embedded", 400),
    ],
    ids=["renamed-exe", "empty", "damaged-pdf", "6MB", "20MB", "script", "embedded-file"],
)
def test_bad_cv_uploads_are_refused_and_nothing_is_stored(
    client, world, login_as, post_form, db, content, filename, message, status
):
    login_as(world.student_a1)
    response = _upload(post_form, content, filename)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert _cv_count(db) == 0


def test_cv_title_is_required_and_bounded(client, world, login_as, post_form, db):
    login_as(world.student_a1)
    assert "Give the CV a title." in _upload(post_form, minimal_pdf(["x"]), title="").get_data(
        as_text=True
    )
    response = _upload(post_form, minimal_pdf(["x"]), title="t" * 121)
    assert response.status_code == 400
    assert "Keep the title to 120 characters." in response.get_data(as_text=True)
    assert _cv_count(db) == 0


def test_a_student_keeps_at_most_five_cvs(client, world, login_as, post_form, db):
    for _ in range(5):
        CVFactory(profile=profile_of(world.student_a1))
    login_as(world.student_a1)
    response = _upload(post_form, minimal_pdf(["sixth"]))
    assert response.status_code == 400
    assert "at most 5 CVs" in response.get_data(as_text=True)
    assert _cv_count(db) == 5


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("student_a1", 200),
        ("dean_a1", 200),
        ("coordinator_a", 200),
        ("park_admin", 403),
        ("student_a1_other", 403),
        ("officer_a2", 403),
        ("dean_b1", 403),
        ("coordinator_b", 403),
        ("recruiter_a", 403),
    ],
)
def test_who_may_download_a_cv(client, world, login_as, db, who, status):
    cv = CVFactory(profile=profile_of(world.student_a1))
    db.session.commit()
    login_as(getattr(world, who))
    response = client.get(f"/cvs/{cv.id}")
    assert response.status_code == status
    if status == 200:
        assert response.data.startswith(b"%PDF-")
    else:
        assert b"%PDF-" not in response.data


def test_anonymous_cannot_download_a_cv(client, world, db):
    cv = CVFactory(profile=profile_of(world.student_a1))
    db.session.commit()
    response = client.get(f"/cvs/{cv.id}")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_student_deletes_own_cv_but_not_anothers(client, world, login_as, post_form, db):
    mine = CVFactory(profile=profile_of(world.student_a1))
    theirs = CVFactory(profile=profile_of(world.student_a1_other))
    db.session.commit()
    mine_id, theirs_id = mine.id, theirs.id
    login_as(world.student_a1)
    refused = post_form(f"/me/cvs/{theirs_id}/delete", form_page="/me/profile")
    assert refused.status_code == 403
    deleted = post_form(f"/me/cvs/{mine_id}/delete", {"confirmed": "yes"}, form_page="/me/profile")
    assert deleted.status_code == 303
    assert db.session.get(CVDocument, mine_id) is None
    assert db.session.get(CVDocument, theirs_id) is not None


def test_missing_cv_is_404(client, world, login_as):
    login_as(world.student_a1)
    assert client.get("/cvs/987654").status_code == 404


def test_staff_see_a_students_profile_within_scope_only(client, world, login_as):
    profile_id = profile_of(world.student_a1).id
    login_as(world.dean_a1)
    html = client.get(f"/students/{profile_id}").get_data(as_text=True)
    assert world.student_a1.display_name in html
    assert world.student_a1.email in html
    login_as(world.dean_b1)
    assert client.get(f"/students/{profile_id}").status_code == 403


def test_the_same_pdf_twice_is_refused_with_the_cv_it_duplicates(
    client, world, login_as, post_form, db
):
    login_as(world.student_a1)
    content = minimal_pdf(["Chan Tai Man", "BEng"])
    assert _upload(post_form, content, title="Software").status_code == 303
    again = _upload(post_form, content, filename="copy.pdf", title="Another title")
    assert again.status_code == 400
    assert "You already have this file as your CV “Software”" in again.get_data(as_text=True)
    assert _cv_count(db) == 1
    different = _upload(post_form, minimal_pdf(["Chan Tai Man", "MPhil"]), title="Research")
    assert different.status_code == 303
    assert _cv_count(db) == 2


def test_another_student_may_upload_the_same_pdf(client, world, login_as, post_form, db):
    content = minimal_pdf(["Shared template"])
    login_as(world.student_a1)
    assert _upload(post_form, content).status_code == 303
    login_as(world.student_a1_other)
    assert _upload(post_form, content).status_code == 303
    assert _cv_count(db) == 2


def test_deleting_a_cv_asks_first_and_deletes_nothing_until_confirmed(
    client, world, login_as, post_form, db
):
    cv = CVFactory(profile=profile_of(world.student_a1), title="Old <b>CV</b>")
    db.session.commit()
    cv_id = cv.id
    login_as(world.student_a1)
    asked = post_form(f"/me/cvs/{cv_id}/delete", form_page="/me/profile")
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Delete the CV “Old &lt;b&gt;CV&lt;/b&gt;”?" in html
    assert 'name="confirmed" value="yes"' in html
    assert f'action="/me/cvs/{cv_id}/delete"' in html
    assert 'href="/me/profile#cvs"' in html  # Cancel goes back
    assert db.session.get(CVDocument, cv_id) is not None
    done = post_form(f"/me/cvs/{cv_id}/delete", {"confirmed": "yes"}, form_page="/me/profile")
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(CVDocument, cv_id) is None


def test_the_confirmation_page_is_never_shown_for_another_students_cv(
    client, world, login_as, post_form, db
):
    theirs = CVFactory(profile=profile_of(world.student_a1_other), title="Private title")
    db.session.commit()
    login_as(world.student_a1)
    refused = post_form(f"/me/cvs/{theirs.id}/delete", form_page="/me/profile")
    assert refused.status_code == 403
    assert "Private title" not in refused.get_data(as_text=True)


def test_a_confirmation_without_its_csrf_token_deletes_nothing(client, world, login_as, db):
    cv = CVFactory(profile=profile_of(world.student_a1))
    db.session.commit()
    login_as(world.student_a1)
    response = client.post(f"/me/cvs/{cv.id}/delete", data={"confirmed": "yes"})
    assert response.status_code == 400
    assert db.session.get(CVDocument, cv.id) is not None


def test_applying_with_a_new_upload_of_a_cv_already_kept_reuses_it(
    client, world, login_as, post_form, db
):
    from foundry.applications.models import Application
    from tests.applications import cv_of, posting_of, upload

    kept = cv_of(world.student_a1, title="Kept CV", lines=["Chan Tai Man"])
    posting = posting_of(world.company_a)
    db.session.commit()
    kept_id, content = kept.id, kept.content
    login_as(world.student_a1)
    response = post_form(
        f"/postings/{posting.id}/apply",
        {"cv_choice": "new", "cv_file": upload(content, "again.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert [cv.id for cv in profile_of(world.student_a1).cvs] == [kept_id]
    application = db.session.scalar(sa.select(Application))
    assert application.cv_content == content and application.cv_title == "Kept CV"
