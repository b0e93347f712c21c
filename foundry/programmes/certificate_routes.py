"""Certificates of attendance: the student's own PDF, the organisers' copy of any
attendee's (audited), and the public page that tells whether a code is genuine."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from foundry.audit.services import record
from foundry.db import utcnow
from foundry.errors import NotFound
from foundry.extensions import db, limiter
from foundry.programmes.attended import ProgrammeAttendee, attendee_of
from foundry.programmes.certificate_pdf import certificate_pdf
from foundry.programmes.certificates import certificate_code, verify
from foundry.programmes.models import Programme
from foundry.programmes.organiser_routes import PROGRAMME_URL
from foundry.programmes.routes import visible_programme
from foundry.reports.exports import safe_filename
from foundry.students.models import StudentProfile
from foundry.students.services import profile_for
from foundry.urls import external_url
from foundry.web import require

bp = Blueprint("programme_certificates", __name__)

# The public check answers for any code typed. A code's 60-bit MAC already makes guessing
# hopeless; a limit per client address also keeps the page from being anyone's oracle or
# load (the configuration may set CERTIFICATE_CHECK_RATE_LIMIT).
CERTIFICATE_CHECK_RATE_LIMIT = "30 per minute"
checks_per_client = limiter.limit(
    lambda: current_app.config.get("CERTIFICATE_CHECK_RATE_LIMIT", CERTIFICATE_CHECK_RATE_LIMIT),
    key_func=get_remote_address,
)


def _pdf_response(attendee: ProgrammeAttendee) -> Response:
    code = certificate_code(attendee)
    pdf = certificate_pdf(attendee, code, external_url(".verification", code=code))
    programme, user = attendee.programme, attendee.profile.user
    name = safe_filename("certificate", programme.title_en, user.display_name)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}.pdf"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@bp.get("/programmes/<int:programme_id>/certificate.pdf")
@login_required
def mine(programme_id: int):
    """The signed-in student's certificate (only after attending a session that ended)."""
    require("area.student")
    programme = visible_programme(programme_id)
    attendee = attendee_of(profile_for(current_user), programme, utcnow())
    require("programme.certificate", attendee)
    return _pdf_response(attendee)


@bp.get(f"{PROGRAMME_URL}/certificates/<int:profile_id>.pdf")
@login_required
def of_attendee(programme_id: int, profile_id: int):
    """An attendee's certificate, for the programme's organisers (each download audited)."""
    programme = db.get_or_404(Programme, programme_id)
    require("programme.view_attendees", programme)
    profile = db.session.get(StudentProfile, profile_id)
    attendee = attendee_of(profile, programme, utcnow()) if profile else None
    if attendee is None or not attendee.attended:
        raise NotFound(_("This student has no attendance at an ended session of the programme."))
    require("programme.certificate", attendee)
    record(
        current_user,
        "programme.certificate_downloaded",
        programme,
        {"title": programme.title_en, "name": profile.user.display_name},
        profile_id=profile.id,
    )
    return _pdf_response(attendee)


@bp.get("/certificates/<code>")
@checks_per_client
def verification(code: str):
    """Anyone with a certificate's code: genuine (name, programme, sessions) or not."""
    verified = verify(code)
    return render_template(
        "programmes/certificate_verify.html", verified=verified, code=code[:40]
    ), (200 if verified else 404)
