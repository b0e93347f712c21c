"""The park admin's universities list and each university's single sign-on settings."""

from __future__ import annotations

import re

import pytest

from foundry.admin import sso_routes
from foundry.audit.models import AuditEvent
from foundry.crypto import decrypt
from foundry.sso.models import SsoConnection
from foundry.sso.services import CheckStep
from foundry.universities.models import UniversityDomain
from tests import factories as pf
from tests.factories import UniversityFactory

GOOD = {
    "issuer": "https://login.ua.example/oidc",
    "client_id": "talent-foundry",
    "client_secret": "a-brand-new-secret",
    "scopes": "openid email profile",
    "domains": "ua.edu.hk\nconnect.ua.edu.hk",
    "claim_email": "email",
    "claim_name": "name",
    "claim_student_number": "student_number",
    "claim_faculty": "faculty",
    "claim_affiliation": "eduPersonAffiliation",
    "claim_staff_role": "",
    "claim_study_level": "study_level",
    "claim_graduation_year": "",
    "enabled": "y",
}


def _connection(db, university):
    return db.session.scalar(db.select(SsoConnection).filter_by(university_id=university.id))


def _domains(db, university):
    return sorted(
        db.session.scalars(
            db.select(UniversityDomain.domain).filter_by(university_id=university.id)
        )
    )


# --- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/universities", "/admin/universities/UA/sso"])
@pytest.mark.parametrize(
    "who", ["coordinator_a", "dean_a1", "company_admin_a", "recruiter_a", "student_a1"]
)
def test_only_the_park_admin_reaches_university_settings(client, world, login_as, path, who):
    login_as(getattr(world, who))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/admin/universities", "/admin/universities/UA/sso"])
def test_anonymous_visitors_are_sent_to_sign_in(client, world, path):
    response = client.get(path)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("who", ["coordinator_a", "company_admin_a"])
def test_others_cannot_save_or_check(client, world, login_as, post_form, db, who):
    login_as(getattr(world, who))
    response = post_form("/admin/universities/UA/sso", GOOD, form_page="/companies")
    assert response.status_code == 403
    assert (
        post_form("/admin/universities/UA/sso/check", {}, form_page="/companies").status_code == 403
    )
    assert _connection(db, world.uni_a) is None


def test_unknown_university_is_404(client, world, login_as):
    login_as(world.park_admin)
    assert client.get("/admin/universities/NOPE/sso").status_code == 404


# --- the list ---------------------------------------------------------------------------------


def test_list_shows_each_universitys_sign_in_status(client, world, login_as, db):
    pf.connection(world.uni_a)
    pf.connection(world.uni_b, enabled=False, issuer="https://idp.ub.example/")
    pf.sso_staff(world.uni_a)
    pf.identity(world.student_a1, world.uni_a, "student")
    UniversityFactory(code="UC", name_en="University C", name_zh="丙大學")
    login_as(world.park_admin)
    html = client.get("/admin/universities").get_data(as_text=True)
    rows = {code: html.index(f'font-monospace">{code}<') for code in ("UA", "UB", "UC")}
    assert rows["UA"] < rows["UB"] < rows["UC"]  # sorted by code
    ua = html[rows["UA"] : rows["UB"]]
    assert "Enabled" in ua and "https://idp.ua.example/oidc" in ua and "ua.edu.hk" in ua
    assert re.search(r"SSO users</dt>\s*<dd[^>]*>2<", ua)
    assert "Set, updated" in ua and "HKT" in ua
    assert "s3cret" not in html
    ub = html[rows["UB"] : rows["UC"]]
    assert "Disabled" in ub
    uc = html[rows["UC"] :]
    assert "Not configured" in uc and "丙大學" in uc


def test_list_sorts_by_sso_users_and_filters_by_name(client, world, login_as):
    pf.sso_staff(world.uni_b)
    login_as(world.park_admin)
    html = client.get("/admin/universities?sort=-users").get_data(as_text=True)
    assert html.index(">UB<") < html.index(">UA<")
    html = client.get("/admin/universities?q=university+b").get_data(as_text=True)
    assert ">UB<" in html and ">UA<" not in html


def test_list_refuses_an_unknown_sort(client, world, login_as):
    login_as(world.park_admin)
    assert client.get("/admin/universities?sort=secret_value").status_code == 400


def test_list_is_paginated(client, world, login_as):
    for n in range(26):
        UniversityFactory(code=f"Z{n:02d}")
    login_as(world.park_admin)
    first = client.get("/admin/universities").get_data(as_text=True)
    second = client.get("/admin/universities?page=2").get_data(as_text=True)
    assert "1–25 of 28" in first and "26–28 of 28" in second
    assert ">Z24<" in second


# --- the settings form ------------------------------------------------------------------------


def test_page_shows_the_callback_url_and_hides_the_secret(client, world, login_as):
    pf.connection(world.uni_a)
    login_as(world.park_admin)
    html = client.get("/admin/universities/UA/sso").get_data(as_text=True)
    assert "/sso/UA/callback" in html
    assert "s3cret" not in html
    assert "Leave blank to keep the current secret" in html
    assert 'value="https://idp.ua.example/oidc"' in html


def test_admin_sets_up_a_connection(client, world, login_as, post_form, db):
    login_as(world.park_admin)
    response = post_form("/admin/universities/UA/sso", GOOD)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    connection = _connection(db, world.uni_a)
    assert connection.issuer == GOOD["issuer"] and connection.client_id == "talent-foundry"
    assert decrypt(connection.client_secret_encrypted) == "a-brand-new-secret"
    assert connection.enabled and connection.claim_study_level == "study_level"
    assert connection.claim_staff_role is None
    assert _domains(db, world.uni_a) == ["connect.ua.edu.hk", "ua.edu.hk"]
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="sso.configured"))
    assert event.actor_id == world.park_admin.id
    assert "a-brand-new-secret" not in str(event.details)


def test_blank_secret_keeps_the_stored_one(client, world, login_as, post_form, db):
    pf.connection(world.uni_a)
    login_as(world.park_admin)
    data = {**GOOD, "client_secret": "", "enabled": ""}
    assert post_form("/admin/universities/UA/sso", data).status_code == 303
    connection = _connection(db, world.uni_a)
    assert decrypt(connection.client_secret_encrypted) == "s3cret-value"
    assert connection.enabled is False


def test_a_first_connection_needs_a_secret(client, world, login_as, post_form, db):
    login_as(world.park_admin)
    response = post_form("/admin/universities/UA/sso", {**GOOD, "client_secret": ""})
    assert response.status_code == 400
    assert "Enter the client secret" in response.get_data(as_text=True)
    assert _connection(db, world.uni_a) is None


def _field_error(html: str, field_id: str) -> str:
    match = re.search(rf'id="{field_id}-error"[^>]*>([^<]*)<', html)
    return match.group(1) if match else ""


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("issuer", "not a url", "Enter a full URL"),
        ("issuer", "ftp://login.ua.example/", "Enter a full URL"),
        ("issuer", "https://login.ua.example/?x=1", "no query"),
        ("issuer", "https://" + "a" * 500 + ".example", "At most 500"),
        ("client_id", "", "Enter the client ID"),
        ("client_id", "has space", "no spaces"),
        ("client_id", "x" * 256, "At most 255"),
        ("scopes", "email profile", "must include openid"),
        ("scopes", 'openid "email"', "without quotes"),
        ("domains", "", "at least one e-mail domain"),
        ("domains", "not a domain", "Not an e-mail domain"),
        ("domains", "ua.edu.hk, 10.0.0.1", "Not an e-mail domain"),
        ("domains", "ub.edu.hk", "belongs to another university (UB)"),
        ("claim_email", "", "Enter the name of this claim"),
        ("claim_faculty", "faculty name", "letters, digits"),
        ("claim_staff_role", "x" * 101, "At most 100"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_changes(
    client, world, login_as, post_form, db, field, value, message
):
    pf.connection(world.uni_a)
    login_as(world.park_admin)
    response = post_form("/admin/universities/UA/sso", {**GOOD, field: value})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in _field_error(html, field), _field_error(html, field)
    connection = _connection(db, world.uni_a)
    assert connection.issuer == "https://idp.ua.example/oidc"
    assert connection.client_id == "foundry"
    assert _domains(db, world.uni_a) == ["ua.edu.hk"]


def test_service_refusal_lands_on_its_field(client, world, login_as, post_form, db):
    """A rule only the service knows (one issuer per university) is shown on the issuer."""
    pf.connection(world.uni_b, issuer="https://shared.example/oidc")
    pf.connection(world.uni_a)
    login_as(world.park_admin)
    response = post_form(
        "/admin/universities/UA/sso", {**GOOD, "issuer": "https://shared.example/oidc"}
    )
    assert response.status_code == 400
    assert "UB already signs in with this issuer" in _field_error(
        response.get_data(as_text=True), "issuer"
    )
    assert _connection(db, world.uni_a).issuer == "https://idp.ua.example/oidc"
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="sso.configured")) is None


def test_forged_csrf_is_refused(client, world, login_as, db):
    login_as(world.park_admin)
    response = client.post("/admin/universities/UA/sso", data={**GOOD, "csrf_token": "forged"})
    assert response.status_code == 400
    assert _connection(db, world.uni_a) is None


# --- the check -----------------------------------------------------------------------------------


def test_check_against_an_unreachable_idp_is_a_clear_failure(client, world, login_as, post_form):
    pf.connection(world.uni_a, issuer="http://127.0.0.1:9/oidc")  # nothing listens on port 9
    login_as(world.park_admin)
    response = post_form(
        "/admin/universities/UA/sso/check", {}, form_page="/admin/universities/UA/sso"
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "The connection does not work yet." in html
    assert "Failed:" in html and "✗" in html
    assert "Discovery document reachable" in html


def test_check_that_crashes_is_still_a_page(client, world, login_as, post_form, monkeypatch):
    def boom(connection):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(sso_routes, "check_connection", boom)
    pf.connection(world.uni_a)
    login_as(world.park_admin)
    response = post_form(
        "/admin/universities/UA/sso/check", {}, form_page="/admin/universities/UA/sso"
    )
    assert response.status_code == 200
    assert "unexpected error" in response.get_data(as_text=True)


def test_check_passes_steps_through(client, world, login_as, post_form, monkeypatch):
    monkeypatch.setattr(
        sso_routes,
        "check_connection",
        lambda c: [
            CheckStep("Discovery document reachable", True, "https://x/.well-known"),
            CheckStep("Signing keys (JWKS) usable", True, "2 key(s) for RS256"),
        ],
    )
    pf.connection(world.uni_a)
    login_as(world.park_admin)
    html = post_form(
        "/admin/universities/UA/sso/check", {}, form_page="/admin/universities/UA/sso"
    ).get_data(as_text=True)
    assert "All checks passed." in html and "2 key(s) for RS256" in html


def test_check_without_a_connection_says_so(client, world, login_as, post_form):
    login_as(world.park_admin)
    response = post_form(
        "/admin/universities/UA/sso/check", {}, form_page="/admin/universities/UA/sso"
    )
    assert response.status_code == 409
    assert "Save the sign-in settings before checking them." in response.get_data(as_text=True)


def test_check_with_forged_csrf_is_refused(client, world, login_as):
    pf.connection(world.uni_a)
    login_as(world.park_admin)
    response = client.post("/admin/universities/UA/sso/check", data={"csrf_token": "nope"})
    assert response.status_code == 400
