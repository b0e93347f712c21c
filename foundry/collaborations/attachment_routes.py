"""A record's attachments: upload (up to 20 MB, checked by content), download (audited,
for those the policy lets have the file), remove (asked first). A refusal answers 4xx with
its message and rolls the request back: no row without its file, no file without its row.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.collaborations import attachments
from foundry.collaborations.attachment_models import (
    ATTACHMENT_MAX_BYTES,
    AttachmentAudience,
    CollaborationAttachment,
)
from foundry.collaborations.forms import ActionForm, AttachmentForm
from foundry.collaborations.routes import load_record
from foundry.errors import InvalidInput
from foundry.web import (
    accepts_uploads_up_to,
    attachment_response,
    confirm_or_ask,
    form_error_messages,
    require,
)

bp = Blueprint("collaboration_attachments", __name__)


def _attachment(collaboration_id: int, attachment_id: int, action: str) -> CollaborationAttachment:
    """The record's attachment, if `action` is allowed on it (404, 403)."""
    record = load_record(collaboration_id, "collaboration.view_summary")
    attachment = attachments.attachment_of(record, attachment_id)
    if attachment is None:
        abort(404)
    require(action, attachment)
    return attachment


def _back(collaboration_id: int, message: str):
    flash(message, "success")
    return redirect(
        url_for("collaborations.view", collaboration_id=collaboration_id, _anchor="attachments"),
        303,
    )


@bp.post("/collaborations/<int:collaboration_id>/attachments")
@accepts_uploads_up_to(ATTACHMENT_MAX_BYTES)
@login_required
def upload(collaboration_id: int):
    record = load_record(collaboration_id, "collaboration.attach")
    form = AttachmentForm()
    if not form.validate_on_submit():
        raise InvalidInput(" ".join(form_error_messages(form)) or _("Your form expired."))
    attachment = attachments.add_attachment(
        current_user,
        record,
        attachments.Upload(form.file.data.filename or "", form.file.data.read()),
        description=form.description.data or "",
        audience=AttachmentAudience(form.audience.data),
    )
    return _back(record.id, _("“%(name)s” is attached.", name=attachment.original_filename))


@bp.get("/collaborations/<int:collaboration_id>/attachments/<int:attachment_id>")
@login_required
def download(collaboration_id: int, attachment_id: int):
    attachment = _attachment(collaboration_id, attachment_id, "collaboration.download_attachment")
    content = attachments.download(current_user, attachment)
    return attachment_response(
        content,
        attachment.original_filename,
        attachment.mimetype,
        fallback=f"attachment-{attachment.id}",
    )


@bp.post("/collaborations/<int:collaboration_id>/attachments/<int:attachment_id>/remove")
@login_required
def remove(collaboration_id: int, attachment_id: int):
    attachment = _attachment(collaboration_id, attachment_id, "collaboration.remove_attachment")
    confirm_or_ask(
        _("Remove this attachment from the collaboration?"),
        action=_("Remove"),
        cancel_url=url_for("collaborations.view", collaboration_id=collaboration_id),
        detail=attachment.original_filename,
    )
    if not ActionForm().validate_on_submit():
        raise InvalidInput(_("Your form expired."))
    name = attachment.original_filename
    attachments.remove_attachment(current_user, attachment)
    return _back(collaboration_id, _("“%(name)s” is removed.", name=name))
