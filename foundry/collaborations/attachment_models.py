"""A collaboration record's attachments: agreements, reports, budgets (PDF, Word, Excel).

The bytes live in the row itself (a deferred column, as students' CVs do), so every app
server reads the same file, and an attachment is committed with its row or not at all:
no row without its file, no file without its row, nothing to clean up after a failed
request. The kind is what the content is (foundry/documents.py), never what the name says.

Who sees one follows the record: the faculty side always; the company parties when the
record is shared with them and the attachment is marked for the parties (not "faculties
only", for an internal budget or an evaluation); student participants and public readers
never (attachments are the record's terms, which they do not see).
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from foundry.collaborations.models import Collaboration
from foundry.db import UTCDateTime, enum_column, utcnow
from foundry.documents import DocumentKind
from foundry.extensions import db

ATTACHMENT_MAX_BYTES = 20 * 2**20
FILENAME_LENGTH = 255
DESCRIPTION_LENGTH = 200


class AttachmentAudience(enum.Enum):
    PARTIES = "parties"  # everyone who sees the record's terms (companies if it is shared)
    FACULTIES = "faculties"  # the faculty side only, whatever the record's visibility


class CollaborationAttachment(db.Model):
    __tablename__ = "collaboration_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("collaborations.id", ondelete="CASCADE")
    )
    original_filename: Mapped[str] = mapped_column(sa.String(FILENAME_LENGTH))
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind, "document_kind"))
    size_bytes: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64))
    description: Mapped[str] = mapped_column(sa.String(DESCRIPTION_LENGTH), default="")
    audience: Mapped[AttachmentAudience] = mapped_column(
        enum_column(AttachmentAudience, "attachment_audience"),
        default=AttachmentAudience.PARTIES,
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    content: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary, nullable=False))

    collaboration: Mapped[Collaboration] = relationship()
    uploaded_by = relationship("User", lazy="joined")

    __table_args__ = (
        sa.CheckConstraint(
            f"size_bytes > 0 AND size_bytes <= {ATTACHMENT_MAX_BYTES}", name="size_in_range"
        ),
        sa.CheckConstraint("length(trim(original_filename)) > 0", name="filename_not_empty"),
        sa.Index("ix_collaboration_attachments_collaboration", "collaboration_id", "uploaded_at"),
    )

    @property
    def mimetype(self) -> str:
        return self.kind.mimetype


# --- for foundry/policy.py ------------------------------------------------------------------


def is_for_the_parties(user, obj) -> bool:
    """The attachment is not kept for the faculties only."""
    return isinstance(obj, CollaborationAttachment) and obj.audience is AttachmentAudience.PARTIES


def is_its_uploader(user, obj) -> bool:
    return isinstance(obj, CollaborationAttachment) and obj.uploaded_by_id == user.id
