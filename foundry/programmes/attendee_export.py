"""A session's attendee list as a CSV or Excel download, for the programme's organisers.

The same rows as the attendee page (organiser_queries.attendees_statement), every one of
them, streamed by the reports' exporter (Hong Kong times, formula-safe cells), with each
one's attendance: checked in or not, how (scan, code, list, self, online, walk-in) and
when, in Hong Kong time."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _
from flask_babel import pgettext

from foundry.extensions import db
from foundry.programmes.labels import CHECK_IN_METHOD_LABELS, REGISTRATION_STATUS_LABELS
from foundry.programmes.models import ProgrammeSession
from foundry.programmes.organiser_queries import attendees_statement
from foundry.reports.exports import Column, Export
from foundry.students.labels import STUDY_LEVEL_LABELS


def attendee_export(session: ProgrammeSession, locale: str) -> Export:
    programme = session.programme
    chinese = locale.startswith("zh")
    columns = [
        Column(_("Status"), width=16),
        Column(_("Seat or waitlist position"), "int", 12),
        Column(pgettext("person", "Name"), width=28),
        Column(_("University"), width=12),
        Column(_("Faculty"), width=30),
        Column(_("Study level"), width=16),
        Column(_("Graduation year"), "int", 10),
        Column(_("Non-local"), width=10),
        Column(_("Registered at (Hong Kong time)"), "datetime", 20),
        Column(_("Moved up from the waitlist at (Hong Kong time)"), "datetime", 20),
        Column(_("Checked in"), width=10),
        Column(_("Check-in method"), width=22),
        Column(_("Checked in at (Hong Kong time)"), "datetime", 20),
    ]

    # Built now: the rows are read after the request's commit has expired the session.
    stmt = attendees_statement(session, "all", None)

    def rows() -> Iterator[list]:
        for row in db.session.execute(stmt):
            (_id, status, place, name, uni_code, _uni_en, _uni_zh, fac_en, fac_zh) = row[:9]
            level, year, non_local, registered_at, promoted_at, method, checked_in_at = row[9:16]
            yield [
                str(REGISTRATION_STATUS_LABELS[status]),
                place,
                name,
                uni_code,
                fac_zh if chinese and fac_zh else fac_en,
                str(STUDY_LEVEL_LABELS[level]),
                year,
                _("Yes") if non_local else _("No"),
                registered_at,
                promoted_at,
                _("Yes") if method else _("No"),
                str(CHECK_IN_METHOD_LABELS[method]) if method else "",
                checked_in_at,
            ]

    label = f" {session.label}" if session.label else ""
    return Export(
        columns=columns,
        rows=rows(),
        filename=f"attendees-{programme.title_en}{label}-{session.starts_at:%Y%m%d}",
        title=_("Attendees of %(title)s", title=programme.title(locale)),
        sheet=_("Attendees"),
    )
