"""Actions that cannot be undone ask first, with a page that works without JavaScript.

Two walks guard the class: every POST route whose name says it deletes, removes, revokes,
closes... and every form a template styles as dangerous must go through
`foundry.web.confirm_or_ask`, or be listed below with the reason it needs no page."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DESTRUCTIVE = re.compile(r"delete|remove|revoke|withdraw|close|archive|decline|disable|unsave")

# endpoint -> why it has no confirmation page
EXEMPT = {
    "two_factor.disable": "asks for the password or a code again: that is the confirmation",
    "applications.decline": "behind a disclosure the student opens, with a reason to give",
    "applications.withdraw_application": "its own section warns it cannot be undone and "
    "asks for a reason",
    "saved_postings.unsave": "saving the posting again undoes it",
    "placements.dispute": "tells the faculty; nothing is lost",
    "posting_moderation.return_posting": "returns it with a reason; it can be resent",
    "posting_approvals.decide": "a university's decision with a comment; it can change",
    "accounts.sign_out_everywhere_view": "signing in again undoes it",
}


def test_every_exemption_names_a_route(app):
    assert set(EXEMPT) <= set(app.view_functions)


def _confirms(view) -> bool:
    return "confirm_or_ask(" in inspect.getsource(inspect.unwrap(view))


def test_every_destructive_post_route_asks_first(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or not DESTRUCTIVE.search(f"{rule.rule} {rule.endpoint}"):
            continue
        if rule.endpoint in EXEMPT or rule.endpoint == "accounts.reset_password":
            continue
        if not _confirms(app.view_functions[rule.endpoint]):
            missing.append(f"{rule.endpoint} ({rule.rule})")
    assert not missing, "POST routes that change something for good without asking:\n" + (
        "\n".join(missing)
    )


FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)
ACTION = re.compile(r"url_for\('([a-z_.]+)'")
DANGER_BUTTON = re.compile(r'<button[^>]*class="[^"]*btn-(?:outline-)?danger')


def test_every_form_styled_as_dangerous_asks_first(app):
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for form in FORM.findall(path.read_text()):
            action = ACTION.search(form.split(">", 1)[0])
            if not action or not DANGER_BUTTON.search(form):
                continue
            endpoint = action.group(1)
            if endpoint in EXEMPT:
                continue
            if not _confirms(app.view_functions[endpoint]):
                missing.append(f"{path.relative_to(TEMPLATES)}: {endpoint}")
    assert not missing, "dangerous buttons that act at once:\n" + "\n".join(missing)


def test_the_guard_sees_the_known_destructive_routes(app):
    confirmed = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and _confirms(app.view_functions[rule.endpoint])
    }
    assert {
        "students.remove_cv",
        "company_members.remove",
        "company_members.revoke_invitation",
        "saved_postings.delete",
        "placement_evaluations.revoke_evaluation",
        "placements.remove_outcome",
        "university_staff.revoke",
        "posting_desk.change_status",
    } <= confirmed
