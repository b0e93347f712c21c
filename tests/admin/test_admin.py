"""The park admin's console: figures, company verification and the audit log."""

from __future__ import annotations

import pytest

from foundry.audit.models import AuditEvent
from foundry.companies.models import Company, VerificationStatus


@pytest.mark.parametrize("path", ["/admin", "/admin/companies", "/admin/audit"])
@pytest.mark.parametrize(
    "who", ["company_admin_a", "recruiter_a", "coordinator_a", "dean_a1", "student_a1"]
)
def test_only_park_admins_reach_the_console(client, world, login_as, path, who):
    login_as(getattr(world, who))
    assert client.get(path).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get("/admin")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_admin_home_shows_platform_figures(client, world, login_as):
    login_as(world.park_admin)
    html = client.get("/admin").get_data(as_text=True)
    assert "Companies awaiting review" in html
    assert "of 3 registered" in html
    assert "People by role" in html


def test_admin_verifies_a_company_and_it_is_audited(client, world, login_as, post_form, db):
    login_as(world.park_admin)
    response = post_form(
        "/admin/companies/gamma/verification",
        {"status": "verified", "back": "/admin/companies?status=unverified"},
        form_page="/admin/companies",
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/companies?status=unverified"
    company = db.session.scalar(db.select(Company).filter_by(slug="gamma"))
    assert company.verification_status is VerificationStatus.VERIFIED
    assert company.verified_at is not None
    event = db.session.scalar(
        db.select(AuditEvent).filter_by(action="company.verification_changed")
    )
    assert event.actor_id == world.park_admin.id and event.details["status"] == "verified"
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "Gamma Unverified: Unverified → Verified" in log


def test_verification_with_unknown_status_is_refused(client, world, login_as, post_form, db):
    login_as(world.park_admin)
    response = post_form(
        "/admin/companies/gamma/verification", {"status": "bribed"}, form_page="/admin/companies"
    )
    assert response.status_code == 400
    company = db.session.scalar(db.select(Company).filter_by(slug="gamma"))
    assert company.verification_status is VerificationStatus.UNVERIFIED


def test_verification_does_not_redirect_off_site(client, world, login_as, post_form):
    login_as(world.park_admin)
    response = post_form(
        "/admin/companies/gamma/verification",
        {"status": "pending", "back": "https://evil.example/"},
        form_page="/admin/companies",
    )
    assert response.headers["Location"] == "/admin/companies"


@pytest.mark.parametrize("who", ["company_admin_a", "recruiter_unverified", "coordinator_a"])
def test_others_cannot_verify(client, world, login_as, post_form, db, who):
    login_as(getattr(world, who))
    response = post_form(
        "/admin/companies/gamma/verification", {"status": "verified"}, form_page="/companies"
    )
    assert response.status_code == 403
    company = db.session.scalar(db.select(Company).filter_by(slug="gamma"))
    assert company.verification_status is VerificationStatus.UNVERIFIED


def test_admin_company_list_filters_by_status(client, world, login_as):
    login_as(world.park_admin)
    html = client.get("/admin/companies?status=unverified").get_data(as_text=True)
    assert "Gamma Unverified" in html and "Alpha Robotics" not in html
    assert client.get("/admin/companies?status=bribed").status_code == 400


def test_audit_log_filters_by_action(client, world, login_as):
    login_as(world.park_admin)
    html = client.get("/admin/audit?action=user.sign_in").get_data(as_text=True)
    assert "user.sign_in" in html
    assert client.get("/admin/audit?sort=ip_address").status_code == 400
