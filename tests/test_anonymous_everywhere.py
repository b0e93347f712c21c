"""Every route of the portal, walked as an anonymous visitor: only the public pages
answer; everything else sends the visitor to sign in (or, for a POST, refuses). A new
route that forgets its access check fails here."""

from __future__ import annotations

import pytest

from foundry.db import utcnow
from tests.conftest import csrf_from
from tests.factories import ApplicationFactory, PostingFactory, profile_of

PUBLIC_ENDPOINTS = {
    "static",
    "core.home",
    "core.healthz",
    "core.favicon",
    "core.set_language",
    "accounts.sign_in",
    "accounts.demo_sign_in",
    # Password accounts: reached before signing in, by link or by form.
    "accounts.sign_up",
    "accounts.verify_email",
    "accounts.resend_verification",
    "accounts.forgot_password",
    "accounts.reset_password",
    # University sign-in: choosing the university, the IdP round trip.
    "sso.choose",
    "sso.login",
    "sso.callback",
    # Accepting an invitation to a company is done by a link, before there is an account.
    "company_members.invitation",
    # The second-factor step of a password sign-in (it needs a pending sign-in instead).
    "two_factor.challenge",
    "two_factor.setup_during_sign_in",
    # A supervisor's evaluation form: a single-use link, no account.
    "placement_evaluations.evaluation",
    "companies.directory",
    "companies.profile",
    "postings.search",
    "postings.view",
    "postings.feed",
    # Programmes: the list, the month calendar and a published programme's page; the
    # calendar feed opens by the secret in its URL (a wrong one is not found).
    "programmes.index",
    "programmes.calendar",
    "programmes.view",
    "fairs.fair",  # a fair's "who's coming" page, public like the programme's
    "programme_calendars.feed",
    "programme_certificates.verification",  # anyone holding a certificate checks its code
}


@pytest.fixture
def ids(world, db):
    posting = PostingFactory(company=world.company_a)
    application = ApplicationFactory(
        posting=posting, profile_id=profile_of(world.student_a1).id, submitted_at=utcnow()
    )
    db.session.commit()
    return {
        "slug": world.company_a.slug,
        "posting_id": posting.id,
        "application_id": application.id,
        "profile_id": profile_of(world.student_a1).id,
        "faculty_id": world.fac_a1.id,
        "university_id": world.uni_a.id,
    }


def _url_for(rule, ids: dict) -> str:
    values = {}
    for name in rule.arguments:
        if name in ids:
            values[name] = ids[name]
        elif name == "action":
            values[name] = "submit"
        else:  # other numeric ids (cv_id, slot_id, notification_id, search_id, ...)
            values[name] = 1
    return rule.build(values, append_unknown=False)[1]


def test_every_private_route_sends_anonymous_visitors_to_sign_in(app, client, ids):
    token = csrf_from(client.get("/"))  # a real token, so POSTs reach the access check
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = _url_for(rule, ids)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token} if method == "POST" else None
            response = client.open(url, method=method, data=data)
            assert response.status_code == 302, (method, url, response.status_code)
            assert "/sign-in" in response.headers["Location"], (method, url)
            checked += 1
    assert checked > 40  # the walk really covered the portal
