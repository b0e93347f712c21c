"""Graduate outcomes recorded by staff: one row per student, changes audited with the
before and after, bad input refused, and only staff in scope may do it."""

from __future__ import annotations

import pytest

from foundry.audit.models import AuditEvent
from foundry.placements.models import GraduateOutcome, Outcome
from tests.factories import profile_of
from tests.placements import factories as pf
from tests.placements.factories import count

REFUSED = [
    "officer_a2",
    "dean_b1",
    "coordinator_b",
    "recruiter_a",
    "company_admin_a",
    "student_a1_other",
    "student_a1",
]


def _url(world) -> str:
    return f"/students/{profile_of(world.student_a1).id}/outcome"


def _form(**changes) -> dict:
    data = {
        "outcome": "employed_full_time",
        "company_id": "",
        "employer_name": "Harbour Bank",
        "job_title": "Graduate Analyst",
        "institution": "",
        "found_via": "graduate survey",
        "notes": "",
    }
    data.update(changes)
    return data


def _outcome_rows(db) -> list[GraduateOutcome]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(GraduateOutcome)))


@pytest.mark.parametrize("who", ["dean_a1", "coordinator_a", "park_admin"])
def test_staff_in_scope_record_an_outcome(client, world, login_as, post_form, db, who):
    staff = getattr(world, who)
    login_as(staff)
    response = post_form(_url(world), _form())
    assert response.status_code == 303
    [row] = _outcome_rows(db)
    assert row.outcome is Outcome.EMPLOYED_FULL_TIME and row.employer_name == "Harbour Bank"
    assert row.found_via == "graduate survey" and row.recorded_by_id == staff.id
    assert row.profile_id == profile_of(world.student_a1).id
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="outcome.recorded"))
    assert event.details["before"] is None
    assert event.details["after"]["outcome"] == "employed_full_time"
    page = client.get(f"/students/{profile_of(world.student_a1).id}/placements")
    html = page.get_data(as_text=True)
    assert "Employed full-time" in html and "Harbour Bank" in html and "graduate survey" in html


def test_changing_the_outcome_keeps_one_row_and_audits_before_and_after(
    client, world, login_as, post_form, db
):
    pf.graduate_outcome(world.student_a1, outcome=Outcome.SEEKING, found_via="student e-mail")
    db.session.commit()
    login_as(world.dean_a1)
    page = client.get(_url(world)).get_data(as_text=True)
    assert 'value="student e-mail"' in page and "Change the graduate outcome" in page
    data = _form(outcome="continuing_education", institution="HKUST", found_via="LinkedIn")
    assert post_form(_url(world), data).status_code == 303
    [row] = _outcome_rows(db)
    assert row.outcome is Outcome.CONTINUING_EDUCATION and row.institution == "HKUST"
    # What does not belong to further study is not kept.
    assert row.employer_name is None and row.job_title is None and row.company_id is None
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="outcome.changed"))
    assert event.details["before"]["outcome"] == "seeking"
    assert event.details["before"]["found_via"] == "student e-mail"
    assert event.details["after"]["outcome"] == "continuing_education"
    assert event.details["after"]["found_via"] == "LinkedIn"


def test_an_employer_in_the_park_is_a_verified_company(client, world, login_as, post_form, db):
    login_as(world.dean_a1)
    data = _form(company_id=str(world.company_a.id), employer_name="")
    assert post_form(_url(world), data).status_code == 303
    [row] = _outcome_rows(db)
    assert row.company_id == world.company_a.id and row.employer_name is None


def test_still_seeking_needs_no_employer(client, world, login_as, post_form, db):
    login_as(world.dean_a1)
    data = _form(outcome="seeking", employer_name="Stale Employer", job_title="Old")
    assert post_form(_url(world), data).status_code == 303
    [row] = _outcome_rows(db)
    assert row.outcome is Outcome.SEEKING and row.employer_name is None and row.job_title is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"outcome": "astronaut"}, "Choose the graduate&#39;s outcome from the list."),
        ({"outcome": ""}, "Choose the graduate&#39;s outcome from the list."),
        ({"found_via": ""}, "Say where you learnt it"),
        ({"found_via": "x" * 121}, "Keep “found via” to 120 characters."),
        ({"employer_name": ""}, "Choose the park company, or give the employer"),
        ({"outcome": "continuing_education", "institution": ""}, "Give the institution"),
        ({"employer_name": "x" * 201}, "Keep the employer&#39;s name to 200 characters."),
        ({"job_title": "x" * 201}, "Keep the job title to 200 characters."),
        ({"institution": "x" * 201}, "Keep the institution&#39;s name to 200 characters."),
        ({"notes": "x" * 5001}, "Keep the notes to 5,000 characters."),
        ({"company_id": "999999", "employer_name": ""}, "Choose a verified park company"),
        ({"company_id": "1; DROP TABLE graduate_outcomes"}, "Choose a verified park company"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    client, world, login_as, post_form, db, changes, message
):
    login_as(world.dean_a1)
    response = post_form(_url(world), _form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _outcome_rows(db) == []
    assert count(AuditEvent, AuditEvent.action.like("outcome.%")) == 0


def test_an_unverified_company_is_refused(client, world, login_as, post_form, db):
    login_as(world.dean_a1)
    data = _form(company_id=str(world.company_unverified.id), employer_name="")
    response = post_form(_url(world), data)
    assert response.status_code == 400
    assert _outcome_rows(db) == []


def test_a_bad_change_keeps_the_recorded_outcome(client, world, login_as, post_form, db):
    pf.graduate_outcome(world.student_a1, outcome=Outcome.SEEKING)
    db.session.commit()
    login_as(world.dean_a1)
    response = post_form(_url(world), _form(outcome="continuing_education", institution=""))
    assert response.status_code == 400
    [row] = _outcome_rows(db)
    assert row.outcome is Outcome.SEEKING


def test_a_forged_csrf_token_writes_nothing(client, world, login_as, db):
    login_as(world.dean_a1)
    response = client.post(_url(world), data={**_form(), "csrf_token": "forged"})
    assert response.status_code == 400
    assert _outcome_rows(db) == []


def test_staff_remove_a_recorded_outcome(client, world, login_as, post_form, db):
    pf.graduate_outcome(world.student_a1, outcome=Outcome.NOT_SEEKING)
    db.session.commit()
    login_as(world.coordinator_a)
    placements_page = f"/students/{profile_of(world.student_a1).id}/placements"
    response = post_form(f"{_url(world)}/remove", {"confirmed": "yes"}, form_page=placements_page)
    assert response.status_code == 303
    assert _outcome_rows(db) == []
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="outcome.removed"))
    assert event.details["before"]["outcome"] == "not_seeking"
    # Removing again: there is nothing to remove.
    assert (
        post_form(
            f"{_url(world)}/remove", {"confirmed": "yes"}, form_page=placements_page
        ).status_code
        == 409
    )


@pytest.mark.parametrize("who", REFUSED)
def test_others_cannot_record_change_or_remove_the_outcome(
    client, world, login_as, post_form, db, who
):
    pf.graduate_outcome(world.student_a1, outcome=Outcome.SEEKING)
    db.session.commit()
    login_as(getattr(world, who))
    assert client.get(_url(world)).status_code == 403
    assert post_form(_url(world), _form(), form_page="/postings").status_code == 403
    assert (
        post_form(f"{_url(world)}/remove", {"confirmed": "yes"}, form_page="/postings").status_code
        == 403
    )
    [row] = _outcome_rows(db)
    assert row.outcome is Outcome.SEEKING


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(_url(world))
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
