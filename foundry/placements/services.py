"""Placement records: staff record placements found off the portal and their completion;
the student confirms (or says a record is wrong).

Services take the acting user, flush, never commit; they raise InvalidInput for input a
rule refuses, so the route re-renders its form with the message and nothing is written.
Supervisors' evaluations are in evaluations.py, graduate outcomes in outcomes.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.email_address import normalise_email
from foundry.accounts.models import FACULTY_STAFF_ROLES, RoleMembership, User
from foundry.audit.services import record
from foundry.companies.models import Company
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput
from foundry.extensions import db
from foundry.notifications.services import notify
from foundry.placements.models import (
    Placement,
    PlacementCompletion,
    PlacementSource,
)
from foundry.policy import can
from foundry.postings.models import PostingKind
from foundry.students.models import StudentProfile

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
# Dates before this are typing mistakes (the portal's universities report from 2000 on).
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
MAX_NAME = 200
MAX_PERSON = 120
MAX_EMAIL = 254
MAX_NOTES = 5_000
MAX_REASON = 1_000
MAX_FOUND_VIA = 120


def hong_kong_today() -> date:
    return utcnow().astimezone(HONG_KONG).date()


def start_of_day_in_hong_kong(day: date) -> datetime:
    """Midnight of `day` in Hong Kong, as an aware UTC moment."""
    return datetime.combine(day, time(0, 0), tzinfo=HONG_KONG).astimezone(UTC)


def agreed_on(placement: Placement) -> date:
    """The day (in Hong Kong) the placement was agreed."""
    return placement.placed_at.astimezone(HONG_KONG).date()


def clean(value: str | None) -> str | None:
    """Trimmed text, or None when nothing is left."""
    value = (value or "").strip()
    return value or None


def check_length(value: str | None, limit: int, message: str) -> None:
    if value is not None and len(value) > limit:
        raise InvalidInput(message)


def _check_year_range(day: date | None, message: str) -> None:
    if day is not None and not (EARLIEST_DATE <= day <= LATEST_DATE):
        raise InvalidInput(message)


def verified_company(company_id: int | None) -> Company | None:
    """The verified park company with this id; InvalidInput for an unknown or unverified one."""
    if company_id is None:
        return None
    company = db.session.get(Company, company_id)
    if company is None or not company.is_verified:
        raise InvalidInput(_("Choose a verified park company from the list."))
    return company


# --- placements recorded by staff -------------------------------------------------------


@dataclass(frozen=True)
class PlacementDetails:
    company_id: int | None
    employer_name: str | None
    role_title: str | None
    kind: PostingKind | None
    agreed_on: date | None
    start_date: date | None
    end_date: date | None
    supervisor_name: str | None
    supervisor_email: str | None
    notes: str | None


def _checked(details: PlacementDetails) -> PlacementDetails:
    """The details cleaned, or InvalidInput naming the first rule they break."""
    employer_name = clean(details.employer_name)
    role_title = clean(details.role_title)
    supervisor_name = clean(details.supervisor_name)
    supervisor_email = clean(details.supervisor_email)
    if supervisor_email is not None:
        supervisor_email = normalise_email(supervisor_email)
    notes = clean(details.notes)
    if details.company_id is None and employer_name is None:
        raise InvalidInput(_("Choose the park company, or give the employer's name."))
    if details.company_id is not None and employer_name is not None:
        raise InvalidInput(
            _("Choose a park company or give an employer outside the park, not both.")
        )
    verified_company(details.company_id)
    check_length(employer_name, MAX_NAME, _("Keep the employer's name to 200 characters."))
    if role_title is None:
        raise InvalidInput(_("Give the role's title."))
    check_length(role_title, MAX_NAME, _("Keep the role's title to 200 characters."))
    if details.kind is None:
        raise InvalidInput(_("Choose the kind of role."))
    if details.agreed_on is None:
        raise InvalidInput(_("Give the date the placement was agreed."))
    if details.agreed_on > hong_kong_today():
        raise InvalidInput(_("The agreed date cannot be in the future."))
    _check_year_range(details.agreed_on, _("The agreed date must be in the year 2000 or later."))
    for day in (details.start_date, details.end_date):
        _check_year_range(day, _("Give dates between the years 2000 and 2100."))
    if details.start_date and details.end_date and details.end_date < details.start_date:
        raise InvalidInput(_("The end date must be on or after the start date."))
    check_length(supervisor_name, MAX_PERSON, _("Keep the supervisor's name to 120 characters."))
    check_length(supervisor_email, MAX_EMAIL, _("An e-mail address has at most 254 characters."))
    check_length(notes, MAX_NOTES, _("Keep the notes to 5,000 characters."))
    return PlacementDetails(
        company_id=details.company_id,
        employer_name=employer_name,
        role_title=role_title,
        kind=details.kind,
        agreed_on=details.agreed_on,
        start_date=details.start_date,
        end_date=details.end_date,
        supervisor_name=supervisor_name,
        supervisor_email=supervisor_email,
        notes=notes,
    )


def _facts(placement: Placement) -> dict:
    """What the student confirms, as plain values for the audit log."""
    return {
        "company_id": placement.company_id,
        "employer_name": placement.employer_name,
        "role_title": placement.role_title,
        "kind": placement.kind.value if placement.kind else None,
        "agreed_on": agreed_on(placement).isoformat(),
        "start_date": placement.start_date.isoformat() if placement.start_date else None,
        "end_date": placement.end_date.isoformat() if placement.end_date else None,
    }


def _snapshot(placement: Placement) -> dict:
    return {
        **_facts(placement),
        "supervisor_name": placement.supervisor_name,
        "supervisor_email": placement.supervisor_email,
        "notes": placement.notes,
    }


def _apply(placement: Placement, details: PlacementDetails) -> None:
    placement.company_id = details.company_id
    placement.employer_name = details.employer_name
    placement.role_title = details.role_title
    placement.kind = details.kind
    placement.placed_at = start_of_day_in_hong_kong(details.agreed_on)
    placement.start_date = details.start_date
    placement.end_date = details.end_date
    placement.supervisor_name = details.supervisor_name
    placement.supervisor_email = details.supervisor_email
    placement.notes = details.notes


def _ask_student_to_confirm(placement: Placement, key: str) -> None:
    notify(placement.profile.user, key, "/me/placements", employer=placement.employer)


def record_placement(actor: User, profile: StudentProfile, details: PlacementDetails) -> Placement:
    """A placement found off the portal; it counts as confirmed only once the student says so."""
    details = _checked(details)
    placement = Placement(
        profile_id=profile.id,
        source=PlacementSource.RECORDED,
        recorded_by_id=actor.id,
        completion=PlacementCompletion.ONGOING,
    )
    _apply(placement, details)
    db.session.add(placement)
    db.session.flush()
    db.session.refresh(placement)  # loads company and profile for what follows
    record(actor, "placement.recorded", placement, **_snapshot(placement))
    _ask_student_to_confirm(placement, "placement.recorded")
    return placement


def edit_placement(actor: User, placement: Placement, details: PlacementDetails) -> Placement:
    """Change a recorded placement. When what the student confirmed changes, their
    confirmation is withdrawn and they are asked again."""
    if placement.source is not PlacementSource.RECORDED:
        raise DomainError(_("A placement made on the portal cannot be edited."))
    details = _checked(details)
    before, facts_before = _snapshot(placement), _facts(placement)
    _apply(placement, details)
    db.session.flush()
    db.session.refresh(placement)
    after = _snapshot(placement)
    if before == after:
        return placement
    facts_changed = _facts(placement) != facts_before
    if facts_changed and placement.confirmed_by_student_at is not None:
        placement.confirmed_by_student_at = None
    record(
        actor,
        "placement.edited",
        placement,
        before=before,
        after=after,
    )
    if facts_changed:
        _ask_student_to_confirm(placement, "placement.changed")
    return placement


def set_completion(
    actor: User,
    placement: Placement,
    completion: PlacementCompletion,
    completed_on: date | None,
    note: str | None,
) -> None:
    """Mark a placement ongoing, completed on a day, or ended early on a day (with why)."""
    note = clean(note)
    check_length(note, MAX_REASON, _("Keep the note to 1,000 characters."))
    if completion is PlacementCompletion.ONGOING:
        completed_on = None
    else:
        if completed_on is None:
            raise InvalidInput(_("Give the day the placement ended."))
        if completed_on > hong_kong_today():
            raise InvalidInput(_("The day it ended cannot be in the future."))
        _check_year_range(completed_on, _("Give a day between the years 2000 and 2100."))
        if placement.start_date and completed_on < placement.start_date:
            raise InvalidInput(_("The day it ended cannot be before the placement started."))
    if completion is PlacementCompletion.ENDED_EARLY and note is None:
        raise InvalidInput(_("Say briefly why the placement ended early."))
    before = {
        "completion": placement.completion.value,
        "completed_on": placement.completed_on.isoformat() if placement.completed_on else None,
    }
    after = {
        "completion": completion.value,
        "completed_on": completed_on.isoformat() if completed_on else None,
    }
    line = None
    if completion is PlacementCompletion.ENDED_EARLY:
        line = _("Ended early on %(date)s: %(note)s", date=completed_on.isoformat(), note=note)
        if line in (placement.notes or ""):
            line = None  # saved again as it was: the note is there already
    if before == after and line is None:
        return
    placement.completion = completion
    placement.completed_on = completed_on
    if line is not None:
        notes = f"{placement.notes}\n{line}" if placement.notes else line
        placement.notes = notes[-MAX_NOTES:]
    db.session.flush()
    record(
        actor,
        "placement.completion",
        placement,
        {"completion": completion},
        before=before,
        after=after,
        note=note,
    )


# --- the student's answer -----------------------------------------------------------------


def confirm_placement(actor: User, placement: Placement) -> bool:
    """The student confirms the record; False if it was confirmed already (nothing changes)."""
    result = db.session.execute(
        sa.update(Placement)
        .where(Placement.id == placement.id, Placement.confirmed_by_student_at.is_(None))
        .values(confirmed_by_student_at=utcnow())
        # Nothing the report summaries count changes (foundry.reports.summaries.tracking).
        .execution_options(synchronize_session=False, report_summaries="unaffected")
    )
    db.session.refresh(placement)
    if result.rowcount != 1:
        return False
    record(actor, "placement.confirmed", placement)
    return True


def staff_to_tell(placement: Placement) -> list[User]:
    """Who hears of a student's objection: the person who recorded the placement while
    they still look after the student's faculty, otherwise the faculty's staff."""
    recorder = placement.recorded_by
    if recorder is not None and can(recorder, "placement.record", placement):
        return [recorder]
    return list(
        db.session.scalars(
            sa.select(User)
            .join(RoleMembership, RoleMembership.user_id == User.id)
            .where(
                RoleMembership.faculty_id == placement.profile.faculty_id,
                RoleMembership.role.in_(FACULTY_STAFF_ROLES),
                User.active.is_(True),
            )
            .distinct()
            .order_by(User.id)
        )
    )


def dispute_placement(actor: User, placement: Placement, reason: str | None) -> None:
    """The student says the record is wrong: their confirmation (if any) is withdrawn and
    the staff who recorded it are told why."""
    reason = clean(reason)
    if reason is None:
        raise InvalidInput(_("Say briefly what is not right."))
    check_length(reason, MAX_REASON, _("Keep it to 1,000 characters."))
    if placement.source is not PlacementSource.RECORDED:
        raise DomainError(
            _("You accepted this placement yourself. Contact your placement office to change it.")
        )
    placement.confirmed_by_student_at = None
    db.session.flush()
    record(
        actor,
        "placement.disputed",
        placement,
        reason=reason,
    )
    for staff in staff_to_tell(placement):
        notify(
            staff,
            "placement.disputed",
            f"/placements/{placement.id}",
            name=placement.profile.user.display_name,
            employer=placement.employer,
            reason=reason,
        )
