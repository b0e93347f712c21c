"""The company directory, public profiles, the workspace and the edit form."""

from __future__ import annotations

import pytest

from foundry.companies.models import Company
from foundry.taxonomy import Cluster


def test_directory_lists_only_verified_companies(client, world):
    html = client.get("/companies").get_data(as_text=True)
    assert "Alpha Robotics" in html and "Beta Fintech" in html
    assert "Gamma Unverified" not in html


def test_directory_filters_by_cluster_and_name(client, world, db):
    world.company_b.cluster = Cluster.FINTECH
    db.session.commit()
    html = client.get("/companies?cluster=fintech").get_data(as_text=True)
    assert "Beta Fintech" in html and "Alpha Robotics" not in html
    html = client.get("/companies?q=alpha").get_data(as_text=True)
    assert "Alpha Robotics" in html and "Beta Fintech" not in html


def test_directory_sorts_and_paginates(client, world, db):
    from tests.factories import CompanyFactory

    for n in range(30):
        CompanyFactory(name=f"Zeta {n:02d}")
    db.session.commit()
    first = client.get("/companies?sort=-name").get_data(as_text=True)
    assert "Zeta 29" in first and "Alpha Robotics" not in first
    second = client.get("/companies?sort=-name&page=2").get_data(as_text=True)
    assert "Alpha Robotics" in second
    assert "25–32 of 32" in second


@pytest.mark.parametrize(
    "query",
    ["sort=password_hash", "sort=-name;drop table users", "cluster=nuclear", "page=abc", "page=0"],
)
def test_directory_refuses_bad_parameters(client, world, query):
    response = client.get(f"/companies?{query}")
    assert response.status_code == 400


def test_unverified_company_profile_is_hidden_from_outsiders(client, world, login_as):
    assert client.get("/companies/gamma").status_code == 302  # anonymous: sign in first
    login_as(world.student_a1)
    assert client.get("/companies/gamma").status_code == 403
    login_as(world.recruiter_unverified)
    assert client.get("/companies/gamma").status_code == 200


def test_verified_company_profile_is_public(client, world):
    response = client.get("/companies/alpha")
    assert response.status_code == 200
    assert "Alpha Robotics" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("company_admin_a", 200),
        ("recruiter_a", 200),
        ("park_admin", 200),
        ("recruiter_b", 403),
        ("student_a1", 403),
        ("dean_a1", 403),
    ],
)
def test_who_may_open_the_company_workspace(client, world, login_as, who, status):
    login_as(getattr(world, who))
    response = client.get("/company/alpha")
    assert response.status_code == status
    if status == 200:
        assert world.recruiter_a.email in response.get_data(as_text=True)


def _company_form(**changes):
    data = {
        "name": "Alpha Robotics Limited",
        "name_zh": "阿爾法機械人",
        "cluster": "ai_robotics",
        "park_location": "science_park",
        "size": "11-50",
        "founded_year": "2019",
        "website": "https://alpha.example.hk",
        "description": "Warehouse robots.",
    }
    data.update(changes)
    return data


def test_company_admin_edits_the_profile_and_it_is_audited(client, world, login_as, post_form, db):
    from foundry.audit.models import AuditEvent

    login_as(world.company_admin_a)
    response = post_form("/company/alpha/edit", _company_form())
    assert response.status_code == 303
    company = db.session.scalar(db.select(Company).filter_by(slug="alpha"))
    assert company.name == "Alpha Robotics Limited" and company.founded_year == 2019
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="company.updated"))


@pytest.mark.parametrize("who", ["recruiter_a", "recruiter_b", "student_a1", "coordinator_a"])
def test_others_cannot_edit_the_company(client, world, login_as, post_form, db, who):
    login_as(getattr(world, who))
    assert client.get("/company/alpha/edit").status_code == 403
    response = post_form(
        "/company/alpha/edit", _company_form(name="Hijacked"), form_page="/companies"
    )
    assert response.status_code == 403
    assert db.session.scalar(db.select(Company.name).filter_by(slug="alpha")) == "Alpha Robotics"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter the company name."),
        ({"name": "n" * 161}, "The name can be at most 160 characters."),
        ({"website": "alpha dot hk"}, "Enter a full address such as https://example.com."),
        ({"founded_year": "1066"}, "Enter a year between 1900 and 2100."),
        ({"cluster": "weapons"}, "Not a valid choice"),
        ({"description": "d" * 5001}, "Keep this to 5,000 characters."),
    ],
)
def test_bad_company_input_is_refused_and_nothing_changes(
    client, world, login_as, post_form, db, changes, message
):
    login_as(world.company_admin_a)
    response = post_form("/company/alpha/edit", _company_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    company = db.session.scalar(db.select(Company).filter_by(slug="alpha"))
    assert company.name == "Alpha Robotics" and company.founded_year is None


def test_unknown_company_is_404(client, world):
    assert client.get("/companies/no-such-company").status_code == 404
