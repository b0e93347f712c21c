"""Stored messages, rendered in the reader's language when they are read.

A notification or an audit event keeps a key (a notification's message key, an audit
event's action code) and its parameters: the raw values (names, titles, ids, the codes of
statuses and roles, times in UTC), never translated text. Every key the product writes has
an entry here: a translatable template with named placeholders, filled in the language of
whoever reads it. So a notice written while its author used English reads in Chinese for a
Chinese reader, and switching language changes the whole list.

Rendering returns a plain `str` (never Markup): the names and titles in it are user input,
and the templates escape it like any other text. A parameter whose name is listed in an
entry's `kinds` is a code or a time, turned into words (or the reader's time format) too.
"""

from __future__ import annotations

import enum
import importlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from foundry.i18n import LazyText as LazyString
from foundry.i18n import format_day, format_moment
from foundry.i18n import lazy_gettext as _l

log = logging.getLogger(__name__)

TITLE_LENGTH = 200
BODY_LENGTH = 2000
SUMMARY_LENGTH = 300


# --- parameters: stored as JSON, turned into words when read -------------------------------


def plain(value):
    """A parameter as JSON can hold it: enums by their code, times in ISO 8601."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _label_table(module: str, name: str) -> Callable[[str], str]:
    """A formatter reading a {Enum member: lazy label} table; imported when first used,
    since the domains import this module's users."""

    def label(code) -> str:
        table = getattr(importlib.import_module(module), name)
        for member, text in table.items():
            if member.value == code:
                return str(text)
        return "—"  # a code this version no longer knows: never shown raw

    return label


def _datetime(value) -> str:
    return format_moment(datetime.fromisoformat(value))


FORMATTERS: dict[str, Callable] = {
    "application_status": _label_table("foundry.applications.labels", "STATUS_LABELS"),
    "role": _label_table("foundry.accounts.labels", "ROLE_LABELS"),
    "verification": _label_table("foundry.companies.labels", "VERIFICATION_LABELS"),
    "completion": _label_table("foundry.placements.labels", "COMPLETION_LABELS"),
    "outcome": _label_table("foundry.placements.labels", "OUTCOME_LABELS"),
    "stage": lambda code: _label_table("foundry.placements.evaluations", "STAGE_LABELS")(
        code
    ).lower(),
    "datetime": _datetime,
    "datetimes": lambda values: "\n".join(_datetime(v) for v in values),
    "date": lambda value: format_day(date.fromisoformat(value)),
}


def _fill(template: LazyString, params: Mapping, kinds: Mapping[str, str]) -> str:
    """The template in the current language with its placeholders filled: a plain str."""
    values = {
        name: FORMATTERS[kinds[name]](raw) if name in kinds and raw is not None else raw
        for name, raw in params.items()
    }
    return str(template) % values


# --- the registry --------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A notification's words. `lead`/`trail` name a parameter (the sender's own message)
    put before/after the body when given; `replaced_by` one that replaces the body."""

    title: LazyString
    body: LazyString | None = None
    kinds: Mapping[str, str] = field(default_factory=dict)
    lead: str | None = None
    trail: str | None = None
    replaced_by: str | None = None


@dataclass(frozen=True)
class Action:
    """An audit action: its label, and a sentence with the particulars. `summary` may be
    a mapping chosen by the event's `via` parameter, when one action happens in two ways."""

    label: LazyString
    summary: LazyString | Mapping[str, LazyString] | None = None
    kinds: Mapping[str, str] = field(default_factory=dict)


NOTICES: dict[str, Notice] = {
    "application.submitted": Notice(
        _l("New application from %(name)s"), _l("%(name)s applied to “%(title)s”.")
    ),
    "application.moved": Notice(
        _l("Your application to “%(title)s”: %(status)s"),
        _l("Your application is now “%(status)s”. See its timeline for details."),
        kinds={"status": "application_status"},
        replaced_by="message",
    ),
    "application.withdrawn": Notice(
        _l("%(name)s withdrew their application"),
        _l("%(name)s withdrew from “%(title)s”."),
        replaced_by="reason",
    ),
    "application.interview_proposed": Notice(
        _l("Choose an interview time for “%(title)s”"),
        _l("Times offered (Hong Kong time):\n%(times)s"),
        kinds={"times": "datetimes"},
        lead="message",
    ),
    "application.interview_chosen.student": Notice(
        _l("Your interview for “%(title)s”"),
        _l(
            "%(when)s (Hong Kong time), %(minutes)d minutes, at %(place)s. "
            "The calendar invitation is attached."
        ),
        kinds={"when": "datetime"},
    ),
    "application.interview_chosen.company": Notice(
        _l("%(name)s picked an interview time"),
        _l(
            "%(when)s (Hong Kong time), %(minutes)d minutes, at %(place)s. "
            "The calendar invitation is attached."
        ),
        kinds={"when": "datetime"},
    ),
    "application.offer": Notice(
        _l("An offer from %(company)s"),
        _l("%(company)s offers you “%(title)s”. Read the terms and answer by %(date)s."),
        kinds={"date": "date"},
        lead="message",
    ),
    "application.offer_accepted": Notice(
        _l("%(name)s accepted your offer"), _l("%(name)s accepted the offer for “%(title)s”.")
    ),
    "application.offer_declined": Notice(
        _l("%(name)s declined your offer"),
        _l("%(name)s declined the offer for “%(title)s”."),
        replaced_by="reason",
    ),
    "talent_pool.invitation": Notice(
        _l("Invited by %(company)s"),
        _l("%(company)s found you in the Talent Pool and invites you to apply to “%(posting)s”."),
        trail="message",
    ),
    "posting.alert": Notice(
        _l("New posting for your saved search %(names)s"), _l("%(title)s at %(company)s")
    ),
    "posting.published": Notice(
        _l("Your posting “%(title)s” is published"),
        _l("Students can now find it and apply until the deadline."),
    ),
    "posting.returned": Notice(
        _l("Your posting “%(title)s” needs changes"),
        _l("The park’s talent team returned it: %(reason)s"),
    ),
    "posting.approval_declined": Notice(
        _l("%(university)s declined “%(title)s”"),
        _l("Its students will not see this posting. Their comment: %(comment)s"),
    ),
    "placement.recorded": Notice(
        _l("Your faculty recorded a placement for you"),
        _l("Check the placement at %(employer)s and confirm it, or tell us what is wrong."),
    ),
    "placement.changed": Notice(
        _l("Your faculty changed a placement record"),
        _l("Check the placement at %(employer)s and confirm it, or tell us what is wrong."),
    ),
    "placement.disputed": Notice(
        _l("%(name)s says a placement record is not right"),
        _l("About the placement at %(employer)s: %(reason)s"),
    ),
    "evaluation.submitted": Notice(
        _l("%(supervisor)s answered the %(stage)s for %(student)s"), kinds={"stage": "stage"}
    ),
    "programme.registered": Notice(
        _l("You are registered for “%(title)s”"),
        _l("Your seat is booked for %(when)s (Hong Kong time)."),
        kinds={"when": "datetime"},
    ),
    "programme.waitlisted": Notice(
        _l("You are on the waitlist for “%(title)s”"),
        _l(
            "You are number %(position)d in line. If a seat frees up, it is yours: "
            "we will tell you."
        ),
    ),
    "programme.promoted": Notice(
        _l("A seat is yours: “%(title)s”"),
        _l(
            "A seat freed up and you were first on the waitlist: you are registered for "
            "%(when)s (Hong Kong time). If you cannot come, cancel before the cut-off."
        ),
        kinds={"when": "datetime"},
    ),
    "programme.cancelled": Notice(
        _l("“%(title)s” is cancelled"), _l("The organiser’s message: %(message)s")
    ),
    "fair.booth_approved": Notice(
        _l("Your booth at “%(title)s” is approved"), _l("Your booth number: %(booth)s.")
    ),
    "fair.booth_declined": Notice(
        _l("Your booth request for “%(title)s” was declined"),
        _l("Contact the park's talent team if you would like to know why."),
    ),
    "fair.preselected": Notice(
        _l("%(company)s booked you an interview at “%(title)s”"),
        _l("Your slot: %(when)s (Hong Kong time). Cancel it if you cannot come."),
        kinds={"when": "datetime"},
    ),
    "fair.invited_to_apply": Notice(
        _l("%(company)s invites you to apply: %(title)s"),
        _l("You met at the fair. Open the role to apply."),
    ),
    "collaboration.milestone_due": Notice(
        _l("Milestone due %(due_on)s: %(milestone)s"),
        _l("A milestone of “%(title)s” is due on %(due_on)s."),
        kinds={"due_on": "date"},
    ),
    "collaboration.proposed": Notice(
        _l("%(company)s proposes a collaboration"),
        _l("%(company)s proposes “%(title)s” to your faculty. Accept or decline it."),
    ),
    "collaboration.update_proposed": Notice(
        _l("%(company)s proposes an update to “%(title)s”"),
        _l("Accept or reject it on the collaboration's page."),
    ),
}

_ROLE = {"role": "role"}
_BEFORE_AFTER_ROLE = {"before": "role", "after": "role"}

# A successful sign-in, whichever way (accounts.services.sign_in writes it): the placement
# reports count the students who did (report_sign_in_years, and these events for a custom
# range).
SIGN_IN = "user.sign_in"

ACTIONS: dict[str, Action] = {
    # applications
    "application.submitted": Action(_l("Application sent"), _l("Applied to “%(title)s”")),
    "application.moved": Action(
        _l("Application moved"),
        _l("Moved from “%(from_status)s” to “%(to_status)s”"),
        {"from_status": "application_status", "to_status": "application_status"},
    ),
    "application.note_added": Action(_l("Private note added")),
    "application.interview_proposed": Action(
        _l("Interview times proposed"), _l("Interview times proposed: %(count)d")
    ),
    "application.interview_chosen": Action(_l("Interview time picked")),
    "application.offer_made": Action(_l("Offer made")),
    "application.offer_accepted": Action(_l("Offer accepted")),
    "application.offer_declined": Action(_l("Offer declined")),
    # companies
    "company.signed_up": Action(_l("Company signed up"), _l("%(email)s signed up %(company)s")),
    "company.updated": Action(
        _l("Company profile updated"), _l("Updated the profile of %(company)s")
    ),
    "company.verification_requested": Action(
        _l("Company verification requested"), _l("%(company)s asks to be verified")
    ),
    "company.verification_changed": Action(
        _l("Company verification changed"),
        _l("%(company)s: %(previous)s → %(status)s"),
        {"previous": "verification", "status": "verification"},
    ),
    "company.invitation_sent": Action(
        _l("Company invitation sent"), _l("Invited %(email)s as %(role)s"), _ROLE
    ),
    "company.invitation_resent": Action(
        _l("Company invitation sent again"), _l("Invitation to %(email)s sent again")
    ),
    "company.invitation_revoked": Action(
        _l("Company invitation withdrawn"), _l("Invitation to %(email)s withdrawn")
    ),
    "company.invitation_accepted": Action(
        _l("Company invitation accepted"), _l("%(name)s joined as %(role)s"), _ROLE
    ),
    "company.member_role_changed": Action(
        _l("Company member’s role changed"),
        _l("%(name)s: %(before)s → %(after)s"),
        _BEFORE_AFTER_ROLE,
    ),
    "company.member_removed": Action(
        _l("Company member removed"), _l("%(name)s (%(role)s) removed"), _ROLE
    ),
    # postings
    "posting.created": Action(_l("Posting drafted"), _l("Drafted “%(title)s” for %(company)s")),
    "posting.updated": Action(_l("Posting draft edited"), _l("Edited the draft “%(title)s”")),
    "posting.submitted": Action(
        _l("Posting submitted for review"), _l("Submitted “%(title)s” for review")
    ),
    "posting.withdrawn": Action(
        _l("Posting withdrawn from review"), _l("Withdrew “%(title)s” from review")
    ),
    "posting.published": Action(_l("Posting published"), _l("Published “%(title)s”")),
    "posting.returned": Action(
        _l("Posting returned to the company"), _l("Returned “%(title)s”: %(reason)s")
    ),
    "posting.closed": Action(_l("Posting closed"), _l("Closed “%(title)s”")),
    "posting.archived": Action(_l("Posting archived"), _l("Archived “%(title)s”")),
    "posting.approval_approved": Action(
        _l("Posting approved by a university"), _l("Approved “%(title)s” for %(university)s")
    ),
    "posting.approval_declined": Action(
        _l("Posting declined by a university"),
        _l("Declined “%(title)s” for %(university)s: %(comment)s"),
    ),
    "talent_pool.invited": Action(
        _l("Talent Pool invitation sent"), _l("Invited %(name)s to apply to “%(title)s”")
    ),
    # students
    "student.onboarded": Action(_l("Student profile created")),
    "student.profile_updated": Action(_l("Student profile updated")),
    "student.faculty_changed": Action(
        _l("Student’s faculty changed"),
        _l("Faculty changed from %(old)s to %(new)s by single sign-on"),
    ),
    "cv.uploaded": Action(_l("CV uploaded"), _l("Uploaded CV “%(title)s”")),
    "cv.deleted": Action(_l("CV deleted"), _l("Deleted CV “%(title)s”")),
    # placements and outcomes
    "placement.created": Action(_l("Placement created from an accepted offer")),
    "placement.recorded": Action(_l("Placement recorded")),
    "placement.edited": Action(_l("Placement edited")),
    "placement.completion": Action(
        _l("Placement completion recorded"),
        _l("Completion: %(completion)s"),
        {"completion": "completion"},
    ),
    "placement.confirmed": Action(_l("Placement confirmed by the student")),
    "placement.disputed": Action(_l("Placement disputed by the student")),
    "evaluation.requested": Action(
        _l("Evaluation requested"), _l("Asked %(email)s for the %(stage)s"), {"stage": "stage"}
    ),
    "evaluation.reissued": Action(
        _l("Evaluation requested again"),
        _l("Asked %(email)s for the %(stage)s"),
        {"stage": "stage"},
    ),
    "evaluation.revoked": Action(_l("Evaluation request withdrawn")),
    "evaluation.submitted": Action(
        _l("Evaluation answered"),
        _l("The supervisor answered the %(stage)s"),
        {"stage": "stage"},
    ),
    "outcome.recorded": Action(
        _l("Graduate outcome recorded"), _l("Graduate outcome: %(outcome)s"), {"outcome": "outcome"}
    ),
    "outcome.changed": Action(
        _l("Graduate outcome changed"), _l("Graduate outcome: %(outcome)s"), {"outcome": "outcome"}
    ),
    "outcome.removed": Action(_l("Graduate outcome removed")),
    # programmes
    "programme.created": Action(_l("Programme drafted"), _l("Drafted “%(title)s”")),
    "programme.updated": Action(_l("Programme edited"), _l("Edited “%(title)s”")),
    "programme.published": Action(_l("Programme published"), _l("Published “%(title)s”")),
    "programme.cancelled": Action(_l("Programme cancelled"), _l("Cancelled “%(title)s”")),
    "programme.session_added": Action(
        _l("Programme session added"), _l("Added a session to “%(title)s”")
    ),
    "programme.session_updated": Action(
        _l("Programme session changed"), _l("Changed a session of “%(title)s”")
    ),
    "programme.registered": Action(
        _l("Registered for a programme"), _l("Registered for “%(title)s”")
    ),
    "programme.waitlisted": Action(
        _l("Joined a programme’s waitlist"), _l("Waitlisted for “%(title)s”, number %(position)d")
    ),
    "programme.registration_cancelled": Action(
        _l("Programme registration cancelled"), _l("Gave up the place for “%(title)s”")
    ),
    "programme.promoted": Action(
        _l("Moved up from a programme’s waitlist"),
        _l("Registered for “%(title)s” from the waitlist"),
    ),
    "programme.calendar_feed_renewed": Action(_l("New programme calendar feed address")),
    "programme.attendees_exported": Action(
        _l("Programme attendees exported"),
        _l("Exported the attendees of “%(title)s” as %(format)s"),
    ),
    "programme.self_check_in_opened": Action(
        _l("Self check-in opened"), _l("Opened self check-in for “%(title)s”")
    ),
    "programme.self_check_in_closed": Action(
        _l("Self check-in closed"), _l("Closed self check-in for “%(title)s”")
    ),
    "programme.walk_in": Action(
        _l("Registered a walk-in at the door"), _l("%(name)s walked in to “%(title)s”")
    ),
    "programme.feedback_given": Action(
        _l("Programme feedback given"), _l("Rated “%(title)s” %(rating)d out of 5")
    ),
    "programme.feedback_changed": Action(
        _l("Programme feedback changed"),
        _l("Changed the rating of “%(title)s” to %(rating)d out of 5"),
    ),
    "programme.feedback_exported": Action(
        _l("Programme feedback exported"),
        _l("Exported the feedback on “%(title)s” as %(format)s"),
    ),
    "programme.ticket_replaced": Action(
        _l("Ticket replaced"),
        _l("Replaced their ticket for “%(title)s”: the earlier one no longer works"),
    ),
    "programme.certificate_downloaded": Action(
        _l("Certificate of attendance downloaded"),
        _l("Downloaded %(name)s’s certificate of attendance at “%(title)s”"),
    ),
    # reports
    "report.exported": Action(_l("Report exported"), _l("Exported %(title)s as %(format)s")),
    # collaborations: every download of an attachment (changes are in the record's history)
    "collaboration.attachment_downloaded": Action(
        _l("Collaboration attachment downloaded"), _l("Downloaded “%(name)s” of “%(title)s”")
    ),
    # universities and single sign-on
    "university.staff_role_granted": Action(
        _l("University staff role granted"), _l("%(name)s: %(role)s at %(scope)s"), _ROLE
    ),
    "university.staff_role_revoked": Action(
        _l("University staff role revoked"), _l("%(name)s: %(role)s at %(scope)s"), _ROLE
    ),
    "sso.configured": Action(
        _l("Single sign-on configured"),
        {
            "created": _l("Set up single sign-on for %(university)s"),
            "changed": _l("Changed single sign-on for %(university)s"),
        },
    ),
    "role.granted": Action(
        _l("Role granted"),
        {
            "command_line": _l("%(role)s granted to %(email)s from the command line"),
            "sso": _l("%(role)s in %(scope)s granted by single sign-on"),
        },
        _ROLE,
    ),
    "crypto.secrets_reencrypted": Action(
        _l("Stored secrets re-encrypted"),
        _l("Re-encrypted %(count)d stored secrets under the newest key"),
    ),
    # accounts
    "user.created": Action(
        _l("Account created"),
        {
            "invitation": _l("Account created from an invitation to %(company)s"),
            "command_line": _l("Created %(email)s from the command line"),
        },
    ),
    "user.created_by_sso": Action(
        _l("Account created by single sign-on"),
        _l("Account created at first sign-in through %(university)s"),
    ),
    "user.email_changed_by_sso": Action(_l("E-mail address changed by single sign-on")),
    "user.sign_up_existing_email": Action(_l("Sign-up with an address already in use")),
    "user.verification_resent": Action(_l("Verification link sent again")),
    "user.email_verified": Action(_l("E-mail address confirmed")),
    SIGN_IN: Action(_l("Signed in")),
    "user.sign_in_failed": Action(_l("Sign-in refused")),
    "user.sign_out": Action(_l("Signed out")),
    "user.sign_out_everywhere": Action(_l("Signed out on every device")),
    "user.session_ended": Action(
        _l("Signed out a session"), _l("Signed out a session (%(device)s)")
    ),
    "user.locked": Action(_l("Account locked after repeated failures")),
    "user.unlocked": Action(_l("Account unlocked"), _l("Unlocked %(email)s from the command line")),
    "user.identity_check_failed": Action(_l("Wrong password or code")),
    "user.password_changed": Action(_l("Password changed")),
    "user.password_reset_requested": Action(_l("Password reset link requested")),
    "user.password_reset": Action(_l("Password reset with an e-mailed link")),
    "user.two_factor_enrolment_started": Action(_l("Second factor set-up started")),
    "user.two_factor_enabled": Action(_l("Second factor turned on")),
    "user.two_factor_disabled": Action(_l("Second factor turned off")),
    "user.two_factor_reset": Action(
        _l("Second factor reset"), _l("Reset the second factor of %(email)s")
    ),
    "user.recovery_code_used": Action(
        _l("Recovery code used"), _l("Recovery codes left: %(remaining)d")
    ),
    "user.recovery_codes_regenerated": Action(_l("New recovery codes made")),
    "fair.booth_requested": Action(_l("Booth requested"), _l("At “%(title)s”")),
    "fair.booth_approved": Action(_l("Booth approved"), _l("Booth %(booth)s at “%(title)s”")),
    "fair.booth_declined": Action(_l("Booth declined"), _l("At “%(title)s”")),
    "fair.booth_withdrawn": Action(_l("Booth withdrawn"), _l("At “%(title)s”")),
    "fair.postings_featured": Action(
        _l("Roles featured at a fair"), _l("%(count)d roles at “%(title)s”")
    ),
    "fair.slot_added": Action(_l("Fair slot offered"), _l("At “%(title)s”")),
    "fair.slot_booked": Action(_l("Fair slot booked"), _l("With %(company)s at “%(title)s”")),
    "fair.booking_cancelled": Action(_l("Fair booking cancelled"), _l("At “%(title)s”")),
    "fair.alternates_named": Action(_l("Alternates named"), _l("%(count)d alternates")),
    "fair.student_met": Action(_l("Student met at a booth"), _l("At the %(company)s booth")),
    "fair.invited_to_apply": Action(_l("Invited to apply at a fair"), _l("To “%(title)s”")),
    "fair.cv_dropped": Action(_l("CV dropped at a booth"), _l("With %(company)s")),
}

UNKNOWN_ACTION = _l("Other action")

# What an audit event is about: the object's table, or a name given for a whole area.
OBJECT_LABELS: dict[str, LazyString] = {
    "users": _l("User"),
    "student_profiles": _l("Student profile"),
    "cv_documents": _l("CV"),
    "companies": _l("Company"),
    "postings": _l("Posting"),
    "posting_approvals": _l("University approval"),
    "applications": _l("Application"),
    "talent_pool_invitations": _l("Talent Pool invitation"),
    "placements": _l("Placement"),
    "placement_evaluations": _l("Placement evaluation"),
    "graduate_outcomes": _l("Graduate outcome"),
    "programmes": _l("Programme"),
    "programme_sessions": _l("Programme session"),
    "programme_registrations": _l("Programme registration"),
    "fair_exhibitors": _l("Fair exhibitor"),
    "fair_slots": _l("Fair slot"),
    "fair_bookings": _l("Fair booking"),
    "fair_booth_meetings": _l("Booth meeting"),
    "fair_cv_drops": _l("CV drop"),
    "collaboration_attachments": _l("Collaboration attachment"),
    "programme_calendar_feeds": _l("Programme calendar feed"),
    "universities": _l("University"),
    "faculties": _l("Faculty"),
    "sso_connections": _l("Single sign-on"),
    "encryption_keys": _l("Encryption keys"),
    "placement_report": _l("Placement report"),
}
UNKNOWN_OBJECT = _l("Record")


# --- rendering -----------------------------------------------------------------------------


def render_notice(key: str, params: Mapping) -> tuple[str, str]:
    """A notification's title and body in the current language. KeyError if the key has
    no entry, or its parameters do not fit the template."""
    notice = NOTICES[key]
    title = _fill(notice.title, params, notice.kinds)[:TITLE_LENGTH]
    if notice.replaced_by and params.get(notice.replaced_by):
        body = str(params[notice.replaced_by])
    else:
        body = _fill(notice.body, params, notice.kinds) if notice.body is not None else ""
    if notice.lead and params.get(notice.lead):
        body = f"{params[notice.lead]}\n\n{body}"
    if notice.trail and params.get(notice.trail):
        body = f"{body}\n\n{params[notice.trail]}"
    if len(body) > BODY_LENGTH:
        body = body[: BODY_LENGTH - 1] + "…"
    return title, body


def notification_text(notification) -> tuple[str, str]:
    """What a stored notification says, in the reader's language; one written before
    notifications kept a key (or whose key is gone) shows the text stored with it."""
    if notification.message_key is not None and notification.params is not None:
        try:
            return render_notice(notification.message_key, notification.params)
        except (KeyError, ValueError, TypeError):
            log.warning(
                "notification %s: cannot render %r", notification.id, notification.message_key
            )
    return notification.title, notification.body


def action_label(action: str) -> str:
    """An audit action's label in the current language (never the raw code)."""
    entry = ACTIONS.get(action)
    return str(entry.label if entry is not None else UNKNOWN_ACTION)


def object_label(object_type: str) -> str:
    """What kind of thing an audit event is about, in the current language."""
    return str(OBJECT_LABELS.get(object_type, UNKNOWN_OBJECT))


def _summary_template(entry: Action, params: Mapping) -> LazyString | None:
    if isinstance(entry.summary, Mapping):
        return entry.summary.get(params.get("via"))
    return entry.summary


def render_summary(action: str, params: Mapping) -> str:
    """An audit action's particulars in the current language ("" when it has none)."""
    entry = ACTIONS[action]
    template = _summary_template(entry, params)
    if template is None:
        return ""
    return _fill(template, params, entry.kinds)[:SUMMARY_LENGTH]


def audit_summary(event) -> str:
    """What an audit event's particulars say, in the reader's language. An event written
    before events kept parameters shows its stored (English) summary."""
    entry = ACTIONS.get(event.action)
    if entry is not None and entry.summary is None:
        return ""  # the label says it all, in the reader's language
    if event.params is not None and entry is not None:
        try:
            return render_summary(event.action, event.params)
        except (KeyError, ValueError, TypeError):
            log.warning("audit event %s: cannot render it", event.id, exc_info=True)
    return event.summary
