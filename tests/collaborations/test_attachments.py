"""A record's attachments: PDF, Word and Excel up to 20 MB, checked by content; downloaded
only by those who may see the record's terms, each download audited; nothing stored
half-way when a file is refused or the database fails.

The record: kept by faculty A1 (University A), shared with its partner Alpha Robotics,
with student A1 taking part; one attachment for the parties, one for the faculties only.
A second record of faculty A1 is private, though Alpha Robotics is a party to it."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from foundry.collaborations import attachments
from foundry.collaborations.attachment_models import AttachmentAudience, CollaborationAttachment
from foundry.collaborations.models import CollaborationChange, CollaborationStatus, Visibility
from foundry.collaborations.services import change_status
from foundry.documents import DocumentKind
from foundry.errors import InvalidInput, TooLarge
from tests.collaborations import documents
from tests.collaborations.factories import record
from tests.conftest import csrf_from

SHARED_PDF = documents.pdf("Signed research agreement")
INTERNAL_XLSX = documents.xlsx()
PRIVATE_DOCX = documents.docx("Private evaluation")


def _attach(actor, rec, content, name, audience=AttachmentAudience.PARTIES):
    return attachments.add_attachment(
        actor, rec, attachments.Upload(name, content), audience=audience
    )


@pytest.fixture
def files(world, db):
    shared = record(
        world.dean_a1, world.fac_a1, companies=[world.company_a], students=[world.student_a1]
    )
    private = record(
        world.dean_a1, world.fac_a1, companies=[world.company_a], visibility=Visibility.PRIVATE
    )
    ids = {
        "shared": shared.id,
        "private": private.id,
        "for_parties": _attach(world.dean_a1, shared, SHARED_PDF, "agreement.pdf").id,
        "faculties_only": _attach(
            world.dean_a1, shared, INTERNAL_XLSX, "budget.xlsx", AttachmentAudience.FACULTIES
        ).id,
        "on_private": _attach(world.dean_a1, private, PRIVATE_DOCX, "evaluation.docx").id,
    }
    db.session.commit()
    return ids


def _count(db, model=CollaborationAttachment, *where) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _downloads(db) -> int:
    return _count(db, AuditEvent, AuditEvent.action == "collaboration.attachment_downloaded")


def _upload(client, collaboration_id, content, filename, **fields):
    page = client.get(f"/collaborations/{collaboration_id}")
    return client.post(
        f"/collaborations/{collaboration_id}/attachments",
        data={"csrf_token": csrf_from(page), "file": (io.BytesIO(content), filename), **fields},
        content_type="multipart/form-data",
    )


# --- uploads -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "kind"),
    [
        (documents.pdf(), "Agreement.PDF", DocumentKind.PDF),
        (documents.docx(), "interim report.docx", DocumentKind.DOCX),
        (documents.xlsx(), "budget 2026.xlsx", DocumentKind.XLSX),
    ],
    ids=["pdf", "docx", "xlsx"],
)
def test_a_keeper_attaches_each_kind_and_the_history_says_so(
    world, db, client, login_as, files, content, filename, kind
):
    login_as(world.dean_a1)
    response = _upload(client, files["shared"], content, filename, description="Signed copy")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#attachments")
    attachment = db.session.scalars(
        sa.select(CollaborationAttachment).where(
            CollaborationAttachment.original_filename == filename
        )
    ).one()
    assert (attachment.kind, attachment.size_bytes, attachment.description) == (
        kind,
        len(content),
        "Signed copy",
    )
    assert attachment.uploaded_by_id == world.dean_a1.id and attachment.content == content
    change = db.session.scalars(
        sa.select(CollaborationChange).order_by(CollaborationChange.id.desc()).limit(1)
    ).one()
    assert (change.what, change.after["attachment"]) == ("attachment_added", filename)
    page = client.get(f"/collaborations/{files['shared']}").get_data(as_text=True)
    assert filename in page and "File attached" in page


@pytest.mark.parametrize(
    ("content", "filename", "message", "status"),
    [
        (documents.exe(), "setup.pdf", "is not a PDF, Word (.docx) or Excel (.xlsx) file", 400),
        (b"Minutes of the meeting, plain text", "minutes.docx", "is not a PDF, Word", 400),
        (documents.plain_zip(), "photos.docx", "is an archive, not a Word", 400),
        (documents.docx(), "report.pdf", "is named .pdf but is a Word file", 400),
        (documents.pdf(), "agreement.txt", "Attach a PDF, Word or Excel file", 400),
        (documents.zip_bomb(), "bomb.docx", "unpacks to far more than a document needs", 400),
        (documents.macro_workbook(), "budget.xlsx", "contains macros", 400),
        (documents.pdf_with_script(), "agreement.pdf", "contains scripts or embedded", 400),
        (documents.pdf_with_embedded_file(), "report.pdf", "contains scripts or embedded", 400),
        (documents.pdf_launching_a_program(), "nda.pdf", "contains scripts or embedded", 400),
        (b"", "empty.pdf", "is empty. Choose the file again.", 400),
        (b"%PDF-1.4\n" + b"0" * (30 * 2**20), "scan.pdf", "larger than 20 MB", 413),
    ],
    ids=[
        "exe-renamed-pdf",
        "text-named-docx",
        "zip-not-docx",
        "docx-named-pdf",
        "wrong-extension",
        "zip-bomb",
        "macros",
        "pdf-script",
        "pdf-embedded-file",
        "pdf-launch",
        "empty",
        "30MB",
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_is_stored(
    world, db, client, login_as, files, content, filename, message, status
):
    login_as(world.dean_a1)
    before = (_count(db), _count(db, CollaborationChange))
    response = _upload(client, files["shared"], content, filename)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert (_count(db), _count(db, CollaborationChange)) == before


def test_a_file_just_over_20_mb_is_refused_by_the_service_too(world, db, files):
    record_ = db.session.get(CollaborationAttachment, files["for_parties"]).collaboration
    content = documents.pdf() + b"0" * (20 * 2**20)
    with pytest.raises(TooLarge, match="larger than 20 MB"):
        attachments.add_attachment(world.dean_a1, record_, attachments.Upload("big.pdf", content))


def test_nothing_is_half_written_when_the_database_fails_after_the_file(
    world, db, client, login_as, files, monkeypatch
):
    login_as(world.dean_a1)
    page = client.get(f"/collaborations/{files['shared']}")
    before = (_count(db), _count(db, CollaborationChange))
    real_flush = db.session.flush

    def failing_flush(*args, **kwargs):
        if any(isinstance(o, CollaborationAttachment) for o in db.session.new):
            raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))
        return real_flush(*args, **kwargs)

    monkeypatch.setattr(db.session, "flush", failing_flush)
    response = client.post(
        f"/collaborations/{files['shared']}/attachments",
        data={"csrf_token": csrf_from(page), "file": (io.BytesIO(documents.pdf()), "a.pdf")},
        content_type="multipart/form-data",
    )
    monkeypatch.undo()
    assert response.status_code == 503
    # The bytes are the row's own column: no row, so no file, and no line of history.
    assert (_count(db), _count(db, CollaborationChange)) == before


def test_a_chinese_file_name_is_kept_and_sent_in_utf8_with_an_ascii_fallback(
    world, db, client, login_as, files
):
    login_as(world.dean_a1)
    name = "合作協議（簽署版）.pdf"
    assert _upload(client, files["shared"], documents.pdf(), name).status_code == 303
    attachment = db.session.scalars(
        sa.select(CollaborationAttachment).where(CollaborationAttachment.original_filename == name)
    ).one()
    assert name in client.get(f"/collaborations/{files['shared']}").get_data(as_text=True)
    response = client.get(f"/collaborations/{files['shared']}/attachments/{attachment.id}")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="attachment-{attachment.id}.pdf"' in disposition
    assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition


def test_a_company_member_attaches_for_the_parties_only(world, db, client, login_as, files):
    login_as(world.recruiter_a)
    response = _upload(client, files["shared"], documents.pdf(), "signed.pdf", audience="faculties")
    assert response.status_code == 303
    attachment = db.session.scalars(
        sa.select(CollaborationAttachment).where(
            CollaborationAttachment.original_filename == "signed.pdf"
        )
    ).one()
    assert attachment.audience is AttachmentAudience.PARTIES


# --- downloads, by each role of the matrix -----------------------------------------------

FACULTY_SIDE = {"dean_a1", "coordinator_a", "park_admin"}
COMPANY_A = {"company_admin_a", "recruiter_a"}
DOWNLOADS = {
    # attachment: (its record, its bytes, who may download it)
    "for_parties": ("shared", SHARED_PDF, FACULTY_SIDE | COMPANY_A),
    "faculties_only": ("shared", INTERNAL_XLSX, FACULTY_SIDE),
    "on_private": ("private", PRIVATE_DOCX, FACULTY_SIDE),
}
USERS = sorted(
    FACULTY_SIDE
    | COMPANY_A
    | {
        "officer_a2",  # another faculty of the same university
        "dean_b1",
        "coordinator_b",  # another university
        "recruiter_b",  # a company not party to the record
        "recruiter_unverified",
        "student_a1",  # a participant: reads the record, not its terms
        "student_a1_other",
        "student_b1",
    }
)


@pytest.mark.parametrize("who", USERS)
def test_each_role_downloads_exactly_what_it_may_and_every_download_is_audited(
    world, db, client, login_as, files, who
):
    login_as(getattr(world, who))
    audited = _downloads(db)
    allowed = 0
    for attachment, (rec, content, may) in DOWNLOADS.items():
        response = client.get(f"/collaborations/{files[rec]}/attachments/{files[attachment]}")
        if who in may:
            assert response.status_code == 200, (who, attachment)
            assert response.data == content
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Content-Disposition"].startswith("attachment;")
            allowed += 1
        else:
            assert response.status_code == 403, (who, attachment, response.status_code)
            assert response.data != content
    assert _downloads(db) == audited + allowed
    page = client.get(f"/collaborations/{files['shared']}").get_data(as_text=True)
    assert ("budget.xlsx" in page) == (who in FACULTY_SIDE)


def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_is_audited(client, db, files):
    for attachment, (rec, _content, _may) in DOWNLOADS.items():
        response = client.get(f"/collaborations/{files[rec]}/attachments/{files[attachment]}")
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert _downloads(db) == 0


def test_an_attachment_is_reached_only_through_its_own_record(world, db, client, login_as, files):
    login_as(world.dean_a1)
    url = f"/collaborations/{files['shared']}/attachments/{files['on_private']}"
    assert client.get(url).status_code == 404


# --- uploads and removals by who may not ---------------------------------------------------


@pytest.mark.parametrize(
    "who", ["officer_a2", "dean_b1", "recruiter_b", "student_a1", "park_admin"]
)
def test_those_outside_the_record_cannot_attach_or_remove(world, db, client, login_as, files, who):
    login_as(getattr(world, who))
    token = csrf_from(client.get("/", follow_redirects=True))
    before = (_count(db), _count(db, CollaborationChange))
    upload = client.post(
        f"/collaborations/{files['shared']}/attachments",
        data={"csrf_token": token, "file": (io.BytesIO(documents.pdf()), "x.pdf")},
        content_type="multipart/form-data",
    )
    remove = client.post(
        f"/collaborations/{files['shared']}/attachments/{files['for_parties']}/remove",
        data={"csrf_token": token, "confirmed": "yes"},
    )
    assert (upload.status_code, remove.status_code) == (403, 403)
    assert (_count(db), _count(db, CollaborationChange)) == before


def test_a_company_may_not_attach_to_a_record_not_shared_with_it(
    world, db, client, login_as, files
):
    login_as(world.company_admin_a)
    token = csrf_from(client.get("/", follow_redirects=True))
    response = client.post(
        f"/collaborations/{files['private']}/attachments",
        data={"csrf_token": token, "file": (io.BytesIO(documents.pdf()), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403 and _count(db) == 3


def test_a_keeper_removes_after_confirming_and_the_history_keeps_the_name(
    world, db, client, login_as, files
):
    login_as(world.dean_a1)
    token = csrf_from(client.get(f"/collaborations/{files['shared']}"))
    url = f"/collaborations/{files['shared']}/attachments/{files['for_parties']}/remove"
    ask = client.post(url, data={"csrf_token": token})
    assert ask.status_code == 200 and "agreement.pdf" in ask.get_data(as_text=True)
    assert _count(db) == 3
    done = client.post(url, data={"csrf_token": token, "confirmed": "yes"})
    assert done.status_code == 303 and _count(db) == 2
    removed = _count(
        db,
        CollaborationChange,
        CollaborationChange.what == "attachment_removed",
        CollaborationChange.collaboration_id == files["shared"],
    )
    assert removed == 1


def test_a_company_member_removes_only_what_they_uploaded(world, db, client, login_as, files):
    shared = db.session.get(CollaborationAttachment, files["for_parties"]).collaboration
    own = _attach(world.recruiter_a, shared, documents.pdf(), "our copy.pdf")
    db.session.commit()
    login_as(world.recruiter_a)
    token = csrf_from(client.get(f"/collaborations/{shared.id}"))
    base = f"/collaborations/{shared.id}/attachments"
    data = {"csrf_token": token, "confirmed": "yes"}
    assert client.post(f"{base}/{files['for_parties']}/remove", data=data).status_code == 403
    assert client.post(f"{base}/{own.id}/remove", data=data).status_code == 303
    assert _count(db) == 3


def test_an_ended_record_keeps_its_attachments_but_takes_a_final_report(world, db, files):
    shared = db.session.get(CollaborationAttachment, files["for_parties"]).collaboration
    change_status(world.dean_a1, shared, CollaborationStatus.COMPLETED)
    attachment = db.session.get(CollaborationAttachment, files["for_parties"])
    with pytest.raises(InvalidInput, match="attachments are kept"):
        attachments.remove_attachment(world.dean_a1, attachment)
    report = _attach(world.dean_a1, shared, documents.pdf("Final report"), "final.pdf")
    assert report.id is not None
