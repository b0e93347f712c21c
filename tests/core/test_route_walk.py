"""Every GET route in the URL map, walked as the role that reaches it, with hostile input in
each query parameter the view reads and in each text path segment.

The routes are found the way a person finds them: each demo persona (and an anonymous
visitor) follows the links of the pages they can open, from the home page, so every route
is requested by someone allowed to see it, with real ids. A request class records which
query parameters each view reads; each of them then gets, in turn:

- markup (`<svg/onload=...>`): it must never come back unescaped (the reflected-XSS class:
  messages formatted with user input, lazily translated or not);
- a NUL byte: never a 5xx (PostgreSQL refuses NUL in text; one guard answers 400 for all);

and so does every text segment of the path. A route no persona reaches must be listed in
UNREACHABLE with the reason; it is still attacked through its path segments.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
import sqlalchemy as sa
from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from foundry import create_app
from foundry.accounts.models import Role, RoleMembership, User
from foundry.applications.models import Application, InterviewSlot
from foundry.collaborations.models import (
    Collaboration,
    CollaborationPerson,
    CollaborationStatus,
    PersonRole,
    Visibility,
)
from foundry.extensions import db
from foundry.placements.models import Placement, PlacementSource
from foundry.postings.models import SavedSearch
from foundry.programmes.checkin_models import Attendance
from foundry.programmes.feedback_models import ProgrammeFeedback
from foundry.programmes.models import ProgrammeSession, Registration
from foundry.students.models import StudentProfile
from foundry.universities.models import University
from tests.conftest import IsolatedClient, csrf_from, fresh_database_url

MARKUP = "<svg/onload=alert(document.domain)>"
RAW = MARKUP[:11].encode()  # b"<svg/onload": what must never come back as it was sent
NUL = "a\x00b"
HREF = re.compile(rb'href="(/[^"#]*)')

# Routes no persona reaches by following links, and why. They are still requested, with
# markup in each text segment of their path, by every persona and anonymously.
UNREACHABLE = {
    "static": "files, not pages",
    "sso.callback": "reached only from a university's identity provider",
    "sso.login": "started by the sign-in form's POST, with the university's code",
    "placement_evaluations.evaluation": "a single-use link e-mailed to a supervisor",
    "company_members.invitation": "a single-use link e-mailed to an invitee",
    "accounts.reset_password": "a single-use link e-mailed to the account",
    "accounts.verify_email": "a single-use link e-mailed to the account",
    "core.healthz": "a probe for the load balancer",
    "accounts.resend_verification": "offered only to an account whose e-mail is unverified",
    "two_factor.challenge": "only during a password sign-in",
    "two_factor.setup_during_sign_in": "only during a park admin's first sign-in",
    "sso.onboarding": "only right after a first university sign-in",
    "sso.no_access": "only right after a university sign-in without rights",
    "programme_calendars.feed": "a secret URL a calendar app polls, shown only to its student",
    "programme_checkin.data": "fetched by the check-in page's script, not a link",
    "programme_tickets.join": "a redirect out to the meeting room, offered only to a student "
    "with a seat at a programme held online",
    "programme_certificates.verification": "printed on a certificate of attendance (a PDF), "
    "as its address and QR code",
}

PERSONA_ROLES = [
    Role.STUDENT,
    Role.DEAN,
    Role.ASSOCIATE_DEAN,
    Role.PLACEMENT_OFFICER,
    Role.UNIVERSITY_COORDINATOR,
    Role.COMPANY_ADMIN,
    Role.RECRUITER,
    Role.PARK_ADMIN,
]
# Where a persona's walk starts besides the home page (a story no link list leads to).
START_PAGES: dict[str, list[str]] = {}
PAGES_PER_ENDPOINT = 2  # per persona: enough to meet both a list and a row of it


class _ReadKeys:
    """The query parameters the current request's view has read."""

    keys: set[str] = set()


class RecordingArgs(ImmutableMultiDict):
    def __getitem__(self, key):
        _ReadKeys.keys.add(key)
        return super().__getitem__(key)

    def getlist(self, key, type=None):
        _ReadKeys.keys.add(key)
        return super().getlist(key, type=type)

    def __contains__(self, key):
        _ReadKeys.keys.add(key)
        return super().__contains__(key)


class RecordingRequest(Request):
    parameter_storage_class = RecordingArgs


@pytest.fixture(scope="module")
def walk_app():
    from foundry.demo.seed import seed_demo

    app = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": fresh_database_url("walk"), "WTF_CSRF_ENABLED": True},
    )
    app.request_class = RecordingRequest
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        seed_demo(student_count=60, progress=False)
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


def _personas(app) -> dict[str, int | None]:
    """The anonymous visitor, the first demo user of each role, and the students and
    staff whose stories lead to the rest: a placement, a chosen interview, a saved search,
    a university that approves postings."""
    personas: dict[str, int | None] = {"anonymous": None}
    with app.app_context():
        for role in PERSONA_ROLES:
            personas[role.value] = db.session.scalar(
                sa.select(RoleMembership.user_id)
                .join(User, User.id == RoleMembership.user_id)
                .where(RoleMembership.role == role, User.active.is_(True))
                .order_by(RoleMembership.user_id)
                .limit(1)
            )
        profile_user = sa.select(StudentProfile.user_id).join_from(
            StudentProfile, Application, Application.profile_id == StudentProfile.id
        )
        personas["placed student"] = db.session.scalar(
            sa.select(StudentProfile.user_id)
            .join(Placement, Placement.profile_id == StudentProfile.id)
            .order_by(Placement.id)
            .limit(1)
        )
        interviewed = db.session.execute(
            profile_user.add_columns(Application.id)
            .join(InterviewSlot, InterviewSlot.application_id == Application.id)
            .where(InterviewSlot.chosen_at.is_not(None))
            .order_by(Application.id)
            .limit(1)
        ).one()
        personas["interviewed student"] = interviewed[0]
        START_PAGES["interviewed student"] = [f"/me/applications/{interviewed[1]}"]
        personas["student with a saved search"] = db.session.scalar(
            sa.select(SavedSearch.user_id).order_by(SavedSearch.id).limit(1)
        )
        placed_profile = db.session.scalar(  # recorded by staff: they may edit it
            sa.select(Placement.profile_id)
            .where(Placement.source == PlacementSource.RECORDED)
            .order_by(Placement.id)
            .limit(1)
        )
        faculty_id = db.session.get(StudentProfile, placed_profile).faculty_id
        personas["the placed student's dean"] = db.session.scalar(
            sa.select(RoleMembership.user_id)
            .where(RoleMembership.role == Role.DEAN, RoleMembership.faculty_id == faculty_id)
            .limit(1)
        )
        START_PAGES["the placed student's dean"] = [f"/students/{placed_profile}/placements"]
        personas["approver"] = db.session.scalar(
            sa.select(RoleMembership.user_id)
            .join(University, University.id == RoleMembership.university_id)
            .where(University.posting_approval_required.is_(True))
            .order_by(RoleMembership.user_id)
            .limit(1)
        )
        contact = db.session.execute(  # a record shared with the company, still open
            sa.select(CollaborationPerson.user_id, Collaboration.id)
            .join(Collaboration, Collaboration.id == CollaborationPerson.collaboration_id)
            .where(
                CollaborationPerson.role == PersonRole.COMPANY_CONTACT,
                Collaboration.visibility == Visibility.SHARED,
                Collaboration.status == CollaborationStatus.ACTIVE,
            )
            .order_by(Collaboration.id)
            .limit(1)
        ).one()
        personas["a collaboration's company contact"] = contact[0]
        START_PAGES["a collaboration's company contact"] = [f"/collaborations/{contact[1]}"]
        answered = db.session.execute(  # the latest feedback: its student and programme
            sa.select(StudentProfile.user_id, ProgrammeFeedback.programme_id, Attendance.session_id)
            .join(StudentProfile, StudentProfile.id == ProgrammeFeedback.profile_id)
            .join(Registration, Registration.profile_id == StudentProfile.id)
            .join(Attendance, Attendance.registration_id == Registration.id)
            .join(ProgrammeSession, ProgrammeSession.id == Registration.session_id)
            .where(ProgrammeSession.programme_id == ProgrammeFeedback.programme_id)
            .order_by(ProgrammeFeedback.updated_at.desc(), ProgrammeFeedback.id.desc())
            .limit(1)
        ).one()
        personas["a student who gave feedback"] = answered[0]
        START_PAGES["a student who gave feedback"] = [f"/programmes/{answered[1]}"]
        # The park runs every programme: the feedback and the attendees of a past one.
        organise = f"/organise/programmes/{answered[1]}"
        START_PAGES[Role.PARK_ADMIN.value] = [
            f"{organise}/feedback",
            f"{organise}/sessions/{answered[2]}/attendees",
        ]
    missing = [who for who, user_id in personas.items() if who != "anonymous" and not user_id]
    assert not missing, f"the demo data has nobody to play {missing}"
    return personas


def _client_for(app, user_id: int | None):
    client = app.test_client()
    if user_id is not None:
        page = client.get("/demo/sign-in")
        response = client.post(
            "/demo/sign-in", data={"user_id": user_id, "csrf_token": csrf_from(page)}
        )
        assert response.status_code == 303, response.data[:300]
    return client


def _endpoint(app, url: str) -> tuple[str, dict] | None:
    adapter = app.url_map.bind("localhost")
    try:
        return adapter.match(urlsplit(url).path, method="GET")
    except Exception:  # a redirect, 404 or 405: not a GET route of ours
        return None


def _crawl(app, client, start: list[str]) -> dict[str, str]:
    """{endpoint: a URL of it that answered 200}, following links from the home page and
    the `start` pages."""
    reached: dict[str, str] = {}
    seen_per_endpoint: dict[str, int] = {}
    queue, queued = deque(["/", *start]), {"/", *start}
    while queue:
        url = queue.popleft()
        response = client.get(url, follow_redirects=True, buffered=True)
        if response.status_code != 200:
            continue
        requested = _endpoint(app, url)
        if requested:  # a redirect on the way counts: its route answered
            reached.setdefault(requested[0], url)
        url = response.request.full_path.rstrip("?")
        endpoint = _endpoint(app, url)
        if endpoint:
            reached.setdefault(endpoint[0], url)
        if not response.mimetype.startswith("text/html"):
            continue
        for href in HREF.findall(response.data):
            link = href.decode().replace("&amp;", "&")
            target = _endpoint(app, link)
            if link in queued or target is None or target[0] == "static":
                continue
            if seen_per_endpoint.get(target[0], 0) >= PAGES_PER_ENDPOINT:
                continue
            seen_per_endpoint[target[0]] = seen_per_endpoint.get(target[0], 0) + 1
            queued.add(link)
            queue.append(link)
    return reached


def _with_param(url: str, key: str, value: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != key]
    return parts.path + "?" + urlencode([*query, (key, value)])


def _text_segments(app, endpoint: str) -> list[str]:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    return [
        name
        for name, converter in rule._converters.items()
        if not isinstance(converter, IntegerConverter)
    ]


def _path_with(app, endpoint: str, values: dict, name: str, value: str) -> str:
    adapter = app.url_map.bind("localhost")
    return adapter.build(endpoint, {**values, name: value})


def _attack(client, url: str, problems: list[str], who: str) -> None:
    response = client.get(url, buffered=True)
    if response.status_code >= 500:
        problems.append(f"{who}: GET {url!r} answered {response.status_code}")
    elif RAW in response.data:
        problems.append(f"{who}: GET {url!r} sent the markup back unescaped")


def test_every_get_route_escapes_what_it_is_sent_and_never_fails_on_it(walk_app):
    app = walk_app
    personas = _personas(app)
    get_endpoints = {r.endpoint for r in app.url_map.iter_rules() if "GET" in r.methods}
    clients = {who: _client_for(app, user_id) for who, user_id in personas.items()}
    reached: dict[str, tuple[str, str]] = {}
    for who, client in clients.items():
        for endpoint, url in _crawl(app, client, START_PAGES.get(who, [])).items():
            reached.setdefault(endpoint, (who, url))

    problems: list[str] = []
    for endpoint, (who, url) in sorted(reached.items()):
        client = clients[who]
        _ReadKeys.keys = set()
        client.get(url, buffered=True)
        keys = _ReadKeys.keys | {k for k, _ in parse_qsl(urlsplit(url).query)}
        for key in sorted(keys):
            _attack(client, _with_param(url, key, MARKUP), problems, who)
            _attack(client, _with_param(url, key, NUL), problems, who)
        _, values = _endpoint(app, url)
        for name in _text_segments(app, endpoint):
            _attack(client, _path_with(app, endpoint, values, name, MARKUP), problems, who)

    for endpoint in sorted(set(UNREACHABLE) - set(reached)):
        for name in _text_segments(app, endpoint):
            rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
            values = {arg: 1 for arg in rule.arguments}
            for who, client in clients.items():
                path = _path_with(app, endpoint, values, name, MARKUP)
                _attack(client, path, problems, who)
                _attack(client, path + "?next=" + MARKUP, problems, who)

    assert not problems, "\n".join(problems)
    missed = sorted(get_endpoints - set(reached) - set(UNREACHABLE))
    assert not missed, f"no persona reaches these GET routes by following links: {missed}"
    assert len(reached) >= 50  # the walk really walked


class _Forms(HTMLParser):
    """The POST forms of a page: action and fields with the values a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": {}, "text": set()}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].setdefault(name, a.get("value", "y"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form["fields"][name] = a.get("value") or ""
                if kind in ("text", "search", "email", "url", "tel", "password"):
                    self._form["text"].add(name)
        elif tag == "textarea" and name:
            self._form["fields"][name] = ""
            self._form["text"].add(name)
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            self._form["fields"].setdefault(self._select, a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


# Forms whose success would end the walk's sessions; they take no text anyway.
FORMS_LEFT_ALONE = {"accounts.sign_out_view", "accounts.sign_out_everywhere_view"}


def _post_forms(app, client, url: str, problems: list[str], who: str) -> int:
    page = client.get(url, buffered=True)
    if page.status_code != 200 or not page.mimetype.startswith("text/html"):
        return 0
    parser = _Forms()
    parser.feed(page.get_data(as_text=True))
    posted = 0
    for form in parser.forms:
        action = urljoin(url, form["action"].replace("&amp;", "&") or url)
        endpoint = _endpoint_for_post(app, action)
        if not form["text"] or endpoint is None or endpoint in FORMS_LEFT_ALONE:
            continue
        for value in (MARKUP, NUL):
            data = {**form["fields"], **dict.fromkeys(form["text"], value)}
            response = client.post(action, data=data, follow_redirects=True, buffered=True)
            posted += 1
            if response.status_code >= 500:
                problems.append(
                    f"{who}: POST {action} ({endpoint}) answered {response.status_code}"
                )
            elif RAW in response.data:
                problems.append(f"{who}: POST {action} ({endpoint}) sent the markup back unescaped")
    return posted


def _endpoint_for_post(app, url: str) -> str | None:
    try:
        return app.url_map.bind("localhost").match(urlsplit(url).path, method="POST")[0]
    except Exception:
        return None


def test_every_form_escapes_what_it_is_sent_and_never_fails_on_it(walk_app):
    """Each POST form of each page the personas reach, sent with markup and then a NUL in
    every text field: the re-rendered form, its errors and flashes, and the page a success
    leads to, never carry the markup unescaped, and nothing answers 5xx."""
    app = walk_app
    personas = _personas(app)
    problems: list[str] = []
    posted = 0
    for who, user_id in personas.items():
        client = _client_for(app, user_id)
        for url in _crawl(app, client, START_PAGES.get(who, [])).values():
            posted += _post_forms(app, client, url, problems, who)
    assert not problems, "\n".join(problems)
    assert posted >= 40  # the walk really posted
