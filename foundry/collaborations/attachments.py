"""A collaboration record's attachments: attach a PDF, Word or Excel file (checked by its
content, up to 20 MB), remove one, list them, and hand one to a reader (audited).

The bytes are stored in the attachment's row (as CVs are), in the request's transaction:
if anything after the upload fails, the request rolls back and neither row nor file
remains. Attaching and removing are lines of the record's history; every download is an
audit event. Who may do each is the policy's (collaboration.attach, .download_attachment,
.remove_attachment), asked by the routes; the services keep the product's rules.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry import policy
from foundry.accounts.models import User
from foundry.audit import services as audit_log
from foundry.collaborations.attachment_models import (
    ATTACHMENT_MAX_BYTES,
    DESCRIPTION_LENGTH,
    FILENAME_LENGTH,
    AttachmentAudience,
    CollaborationAttachment,
)
from foundry.collaborations.models import Collaboration
from foundry.collaborations.services import record_change
from foundry.documents import DocumentKind, Refused, identify
from foundry.errors import InvalidInput, TooLarge
from foundry.extensions import db

ACCEPTED = ", ".join(kind.extension for kind in DocumentKind)
KIND_NAMES = {DocumentKind.PDF: "PDF", DocumentKind.DOCX: "Word", DocumentKind.XLSX: "Excel"}


@dataclass(frozen=True)
class Upload:
    """A file as it came: its name on the sender's computer and its bytes."""

    filename: str
    content: bytes


def clean_filename(filename: str) -> str:
    """The file's own name (no folders), printable, at most FILENAME_LENGTH characters,
    keeping its extension."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    name = "".join(c for c in unicodedata.normalize("NFC", name) if c.isprintable()).strip()
    if len(name) > FILENAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        keep = FILENAME_LENGTH - len(extension) - 1
        name = f"{stem[:keep]}.{extension}" if dot and keep > 0 else name[:FILENAME_LENGTH]
    return name


def _refusal(reason: str, name: str) -> str:
    return {
        "empty": _("“%(name)s” is empty. Choose the file again.", name=name),
        "unknown": _(
            "“%(name)s” is not a PDF, Word (.docx) or Excel (.xlsx) file, whatever its name "
            "says. Save it in one of these formats and upload it again.",
            name=name,
        ),
        "damaged_pdf": _(
            "“%(name)s” is a damaged PDF, or has no pages. Export it again and retry.",
            name=name,
        ),
        "pdf_bomb": _(
            "“%(name)s” unpacks to far more than a document needs. Export it again and retry.",
            name=name,
        ),
        "zip_bomb": _(
            "“%(name)s” unpacks to far more than a document needs. Save it again and retry.",
            name=name,
        ),
        "damaged_zip": _(
            "“%(name)s” is an archive, not a Word (.docx) or Excel (.xlsx) document. "
            "Upload the document itself.",
            name=name,
        ),
        "encrypted": _(
            "“%(name)s” is protected by a password, so it cannot be checked. Remove the "
            "password and upload it again.",
            name=name,
        ),
        "macros": _(
            "“%(name)s” contains macros. Save it as a plain .docx or .xlsx and upload it again.",
            name=name,
        ),
        "active_content": _(
            "“%(name)s” contains scripts or embedded files. Print it to a plain PDF and "
            "upload that.",
            name=name,
        ),
    }[reason]


def check_upload(upload: Upload) -> tuple[str, DocumentKind]:
    """The clean name and the kind the content shows; InvalidInput (TooLarge over 20 MB)
    when the file is not one we take, or its name's extension says another kind."""
    name = clean_filename(upload.filename)
    if not name:
        raise InvalidInput(_("Choose a file to attach."))
    if len(upload.content) > ATTACHMENT_MAX_BYTES:
        raise TooLarge(
            _(
                "“%(name)s” is larger than %(mb)d MB. Make it smaller or split it, then retry.",
                name=name,
                mb=ATTACHMENT_MAX_BYTES // 2**20,
            )
        )
    extension = PurePosixPath(name).suffix.lower()
    if extension not in {kind.extension for kind in DocumentKind}:
        raise InvalidInput(
            _(
                "Attach a PDF, Word or Excel file (%(accepted)s); “%(name)s” is not one.",
                accepted=ACCEPTED,
                name=name,
            )
        )
    try:
        kind = identify(upload.content).kind
    except Refused as refused:
        raise InvalidInput(_refusal(refused.reason, name)) from None
    if kind.extension != extension:
        raise InvalidInput(
            _(
                "“%(name)s” is named %(extension)s but is a %(kind)s file. Give it the "
                "%(right)s extension and upload it again.",
                name=name,
                extension=extension,
                kind=KIND_NAMES[kind],
                right=kind.extension,
            )
        )
    return name, kind


def add_attachment(
    actor: User,
    record: Collaboration,
    upload: Upload,
    *,
    description: str = "",
    audience: AttachmentAudience = AttachmentAudience.PARTIES,
) -> CollaborationAttachment:
    """Attach a checked file to the record. A company member's attachment is for the
    parties: the company cannot hide from the faculty what it sent (and the faculty side
    sees everything anyway), so "faculties only" is the faculty side's choice alone."""
    policy.authorize(actor, "collaboration.attach", record)
    name, kind = check_upload(upload)
    description = description.strip()
    if len(description) > DESCRIPTION_LENGTH:
        raise InvalidInput(_("Keep the description to %(n)d characters.", n=DESCRIPTION_LENGTH))
    if not policy.can(actor, "collaboration.restrict_attachment", record):
        audience = AttachmentAudience.PARTIES
    attachment = CollaborationAttachment(
        collaboration_id=record.id,
        original_filename=name,
        kind=kind,
        size_bytes=len(upload.content),
        sha256=hashlib.sha256(upload.content).hexdigest(),
        description=description,
        audience=audience,
        uploaded_by_id=actor.id,
        content=upload.content,
    )
    db.session.add(attachment)
    record_change(
        actor,
        record,
        "attachment_added",
        after={"attachment": name, "audience": audience, "size": attachment.size_bytes},
    )
    db.session.flush()
    return attachment


def remove_attachment(actor: User, attachment: CollaborationAttachment) -> None:
    """Remove an attachment; the history keeps its name, size and fingerprint."""
    record = attachment.collaboration
    if record.is_read_only:
        raise InvalidInput(
            _("This collaboration has ended: its attachments are kept as they were.")
        )
    record_change(
        actor,
        record,
        "attachment_removed",
        before={
            "attachment": attachment.original_filename,
            "audience": attachment.audience,
            "size": attachment.size_bytes,
        },
    )
    db.session.delete(attachment)
    db.session.flush()


def download(actor: User, attachment: CollaborationAttachment) -> bytes:
    """The attachment's bytes for `actor` (who may have them: the route asked), audited."""
    audit_log.record(
        actor,
        "collaboration.attachment_downloaded",
        attachment,
        {"name": attachment.original_filename, "title": attachment.collaboration.title},
        collaboration_id=attachment.collaboration_id,
        sha256=attachment.sha256,
    )
    db.session.flush()
    return attachment.content


def attachments_of(record: Collaboration) -> list[CollaborationAttachment]:
    """The record's attachments, newest first, without their bytes (one statement)."""
    return list(
        db.session.scalars(
            sa.select(CollaborationAttachment)
            .where(CollaborationAttachment.collaboration_id == record.id)
            .order_by(CollaborationAttachment.uploaded_at.desc(), CollaborationAttachment.id.desc())
        )
    )


def attachment_of(record: Collaboration, attachment_id: int) -> CollaborationAttachment | None:
    """One of the record's attachments (None if it belongs to another record)."""
    attachment = db.session.get(CollaborationAttachment, attachment_id)
    if attachment is None or attachment.collaboration_id != record.id:
        return None
    return attachment
