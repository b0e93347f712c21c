"""University sign-in in a real browser: from the portal's sign-in page to the university's
own IdP (the local oidc-provider, its own login and consent pages) and back, as a student
and as a dean created on the spot."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from foundry.accounts.models import Role, User
from foundry.extensions import db
from foundry.sso.services import configure_connection
from foundry.universities.models import University
from tests.sso.e2e.idp import IdpClient, LocalIdP

ACCOUNTS = {
    "hkust-student": {
        "email": "siu.fung.kwok@connect.ust.hk",
        "email_verified": True,
        "name": "Kwok Siu Fung",
        "student_number": "20987654",
        "faculty": "SENG",
        "eduPersonAffiliation": ["student", "member"],
        "study_level": "ug",
        "graduation_year": 2028,
    },
    "hkust-dean": {
        "email": "mei.ling.tam@ust.hk",
        "email_verified": True,
        "name": "Prof. Tam Mei Ling",
        "faculty": "SENG",
        "eduPersonAffiliation": ["faculty", "staff", "member"],
        "foundry_role": "dean",
    },
}


@pytest.fixture(scope="module")
def university_idp(live_app, base_url, tmp_path_factory):
    """HKUST of the demo data signing in at a local IdP that knows the live server."""
    idp = LocalIdP(
        tmp_path_factory.mktemp("browser-idp"),
        [IdpClient("hkust", "foundry-hkust", "browser-secret", [f"{base_url}/sso/HKUST/callback"])],
        ACCOUNTS,
    ).start()
    with live_app.app_context():
        hkust = db.session.scalar(sa.select(University).where(University.code == "HKUST"))
        configure_connection(
            hkust,
            actor=None,
            issuer=idp.issuer("hkust"),
            client_id="foundry-hkust",
            client_secret="browser-secret",
            claims={
                "staff_role": "foundry_role",
                "study_level": "study_level",
                "graduation_year": "graduation_year",
            },
        )
        db.session.commit()
        db.session.remove()
    yield idp
    idp.stop()


def _sign_in_at_hkust(page, screenshot, account: str, shot: str = "") -> None:
    page.goto("/sign-in")
    page.get_by_role("button", name="(HKUST)").click()
    page.wait_for_url(lambda url: "/interaction/" in url)
    page.locator('input[name="login"]').fill(account)
    page.locator('input[name="password"]').fill("any password")
    if shot:
        screenshot(page, shot)
    page.locator('button[type="submit"]').click()  # the IdP's login
    page.locator('button[type="submit"]').click()  # the IdP's consent
    page.wait_for_url(lambda url: "/interaction/" not in url and "/sso/" not in url)


def _user(live_app, email: str) -> tuple[str, set[tuple[Role, str, str | None]]]:
    with live_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        roles = {
            (m.role, m.university.code, m.faculty.code if m.faculty else None)
            for m in user.memberships
        }
        name = user.display_name
        db.session.remove()
    return name, roles


def test_hkust_student_signs_in_at_their_university(university_idp, page, screenshot, live_app):
    _sign_in_at_hkust(page, screenshot, "hkust-student", shot="idp-login")

    expect(page.get_by_role("heading", name="Welcome, Kwok Siu Fung")).to_be_visible()
    expect(page.get_by_text("School of Engineering").first).to_be_visible()
    screenshot(page, "landing")
    assert _user(live_app, "siu.fung.kwok@connect.ust.hk") == (
        "Kwok Siu Fung",
        {(Role.STUDENT, "HKUST", "SENG")},
    )


def test_hkust_dean_signs_in_and_gets_the_dean_role(university_idp, page, screenshot, live_app):
    page.set_viewport_size({"width": 1440, "height": 900})  # wide: the name shows in the bar
    _sign_in_at_hkust(page, screenshot, "hkust-dean")

    expect(page.get_by_role("heading", name="School of Engineering")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Prof. Tam Mei Ling")
    screenshot(page, "landing")
    assert _user(live_app, "mei.ling.tam@ust.hk") == (
        "Prof. Tam Mei Ling",
        {(Role.DEAN, "HKUST", "SENG")},
    )
