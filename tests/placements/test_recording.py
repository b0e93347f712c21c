"""Staff record placements found off the portal, edit them and mark completion, for the
students of their faculty (or university, or any for the park admin) and no one else."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.notifications.models import Notification
from foundry.placements.models import Placement, PlacementCompletion, PlacementSource
from foundry.postings.models import PostingKind
from tests.factories import profile_of
from tests.placements import factories as pf
from tests.placements.factories import count, fresh

HKT = ZoneInfo("Asia/Hong_Kong")
ALLOWED = ["dean_a1", "coordinator_a", "park_admin"]
# Another faculty's officer, another university's dean and coordinator, recruiters (even
# of the placement's company), other students, and the student themself.
REFUSED = [
    "officer_a2",
    "dean_b1",
    "coordinator_b",
    "recruiter_a",
    "company_admin_a",
    "student_a1_other",
    "student_a1",
]


def _today() -> date:
    return utcnow().astimezone(HKT).date()


def _form(**changes) -> dict:
    data = {
        "company_id": "",
        "employer_name": "Harbour Bank",
        "role_title": "Data Analyst Intern",
        "kind": "summer_internship",
        "agreed_on": "2025-05-02",
        "start_date": "2025-06-01",
        "end_date": "2025-08-31",
        "supervisor_name": "Mary Chan",
        "supervisor_email": "Mary.Chan@HarbourBank.hk",
        "notes": "Found at the graduate survey.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _record(post_form, profile_id, data):
    url = f"/students/{profile_id}/placements/new"
    return post_form(url, data)


@pytest.mark.parametrize("who", ALLOWED)
def test_staff_in_scope_record_a_placement_found_off_the_portal(
    client, world, login_as, post_form, db, who
):
    staff = getattr(world, who)
    profile_id = profile_of(world.student_a1).id
    login_as(staff)
    response = _record(post_form, profile_id, _form())
    assert response.status_code == 303
    placement = db.session.scalar(db.select(Placement))
    assert response.headers["Location"].endswith(f"/placements/{placement.id}")
    assert placement.source is PlacementSource.RECORDED
    assert placement.recorded_by_id == staff.id
    assert placement.confirmed_by_student_at is None  # not counted until the student says so
    assert placement.employer_name == "Harbour Bank" and placement.company_id is None
    assert placement.kind is PostingKind.SUMMER_INTERNSHIP
    assert placement.supervisor_email == "mary.chan@harbourbank.hk"
    # Agreed on 2 May: midnight in Hong Kong is 16:00 UTC the day before.
    assert placement.placed_at == datetime(2025, 5, 1, 16, 0, tzinfo=UTC)
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="placement.recorded"))
    assert event.actor_id == staff.id and event.details["employer_name"] == "Harbour Bank"
    note = db.session.scalar(db.select(Notification))
    assert note.user_id == world.student_a1.id and note.link == "/me/placements"


def test_a_park_company_is_chosen_from_verified_companies(client, world, login_as, post_form, db):
    login_as(world.dean_a1)
    profile_id = profile_of(world.student_a1).id
    page = client.get(f"/students/{profile_id}/placements/new").get_data(as_text=True)
    assert "Alpha Robotics" in page and "Beta Fintech" in page
    assert "Gamma Unverified" not in page
    data = _form(company_id=str(world.company_b.id), employer_name="")
    assert _record(post_form, profile_id, data).status_code == 303
    placement = db.session.scalar(db.select(Placement))
    assert placement.company_id == world.company_b.id and placement.employer_name is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"company_id": "", "employer_name": ""}, "Choose the park company, or give the employer"),
        ({"end_date": "2025-05-31"}, "The end date must be on or after the start date."),
        ({"agreed_on": "2099-01-01"}, "The agreed date cannot be in the future."),
        ({"agreed_on": "1800-01-01"}, "The agreed date must be in the year 2000 or later."),
        ({"agreed_on": ""}, "Give the date the placement was agreed."),
        ({"agreed_on": "yesterday"}, "Agreed on"),
        ({"start_date": "1800-06-01"}, "Give dates between the years 2000 and 2100."),
        ({"employer_name": "x" * 201}, "Keep the employer&#39;s name to 200 characters."),
        ({"role_title": "x" * 201}, "Keep the role&#39;s title to 200 characters."),
        ({"role_title": "  "}, "Give the role&#39;s title."),
        ({"supervisor_name": "x" * 121}, "Keep the supervisor&#39;s name to 120 characters."),
        ({"supervisor_email": "not-an-address"}, "Enter an e-mail address such as"),
        ({"notes": "x" * 5001}, "Keep the notes to 5,000 characters."),
        ({"kind": "apprenticeship"}, "Choose the kind of role from the list."),
        ({"company_id": "999999", "employer_name": ""}, "Choose a verified park company"),
        ({"company_id": "1 OR 1=1", "employer_name": ""}, "Choose a verified park company"),
        ({"company_id": "COMPANY_B"}, "not both"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    client, world, login_as, post_form, db, changes, message
):
    if changes.get("company_id") == "COMPANY_B":
        changes = {"company_id": str(world.company_b.id)}
    login_as(world.dean_a1)
    response = _record(post_form, profile_of(world.student_a1).id, _form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(Placement) == 0 and count(AuditEvent, AuditEvent.action.like("placement.%")) == 0
    assert count(Notification) == 0


def test_an_unverified_company_is_refused(client, world, login_as, post_form, db):
    login_as(world.dean_a1)
    data = _form(company_id=str(world.company_unverified.id), employer_name="")
    response = _record(post_form, profile_of(world.student_a1).id, data)
    assert response.status_code == 400
    assert "Choose a verified park company from the list." in response.get_data(as_text=True)
    assert count(Placement) == 0


def test_a_forged_csrf_token_writes_nothing(client, world, login_as, db):
    login_as(world.dean_a1)
    url = f"/students/{profile_of(world.student_a1).id}/placements/new"
    response = client.post(url, data={**_form(), "csrf_token": "forged"})
    assert response.status_code == 400
    assert count(Placement) == 0


def test_today_in_hong_kong_is_a_valid_agreed_date(client, world, login_as, post_form, db):
    login_as(world.dean_a1)
    data = _form(agreed_on=_today().isoformat(), start_date=None, end_date=None)
    assert _record(post_form, profile_of(world.student_a1).id, data).status_code == 303
    data = _form(agreed_on=(_today() + timedelta(days=1)).isoformat())
    assert _record(post_form, profile_of(world.student_a1).id, data).status_code == 400


@pytest.mark.parametrize("who", REFUSED)
def test_others_cannot_record_for_the_student(client, world, login_as, post_form, db, who):
    login_as(getattr(world, who))
    profile_id = profile_of(world.student_a1).id
    assert client.get(f"/students/{profile_id}/placements").status_code == 403
    assert client.get(f"/students/{profile_id}/placements/new").status_code == 403
    url = f"/students/{profile_id}/placements/new"
    response = post_form(url, _form(), form_page="/postings")
    assert response.status_code == 403
    assert count(Placement) == 0


@pytest.mark.parametrize("who", REFUSED)
def test_others_cannot_see_edit_or_complete_a_placement(
    client, world, login_as, post_form, placement, who
):
    login_as(getattr(world, who))
    assert client.get(f"/placements/{placement.id}").status_code == 403
    assert client.get(f"/placements/{placement.id}/edit").status_code == 403
    edited = post_form(f"/placements/{placement.id}/edit", _form(role_title="Hacked"), "/postings")
    assert edited.status_code == 403
    completed = post_form(
        f"/placements/{placement.id}/completion",
        {"completion": "completed", "completed_on": "2025-08-31"},
        "/postings",
    )
    assert completed.status_code == 403
    row = fresh(placement)
    assert row.role_title == "Data Analyst Intern" and row.completion is PlacementCompletion.ONGOING


@pytest.mark.parametrize(
    "url",
    [
        "/students/{profile_id}/placements",
        "/students/{profile_id}/placements/new",
        "/students/{profile_id}/outcome",
        "/placements/{placement_id}",
        "/placements/{placement_id}/edit",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, placement, url):
    url = url.format(profile_id=profile_of(world.student_a1).id, placement_id=placement.id)
    response = client.get(url)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("who", ALLOWED)
def test_staff_in_scope_see_the_students_placements(client, world, login_as, placement, db, who):
    pf.portal_placement(world.student_a1, world.company_a, role_title="Robot Vision Intern")
    pf.recorded_placement(world.student_a2, employer_name="Other Faculty Employer")
    db.session.commit()
    login_as(getattr(world, who))
    html = client.get(f"/students/{profile_of(world.student_a1).id}/placements").get_data(
        as_text=True
    )
    assert "Harbour Bank" in html and "Alpha Robotics" in html
    assert "Other Faculty Employer" not in html
    assert "No outcome recorded" in html


def test_unknown_student_or_placement_is_404(client, world, login_as):
    login_as(world.park_admin)
    assert client.get("/students/999999/placements").status_code == 404
    assert client.get("/placements/999999").status_code == 404


def test_staff_edit_a_recorded_placement_and_the_student_confirms_again(
    client, world, login_as, post_form, db
):
    placement = pf.recorded_placement(
        world.student_a1, world.dean_a1, confirmed_by_student_at=utcnow()
    )
    db.session.commit()
    login_as(world.coordinator_a)
    page = client.get(f"/placements/{placement.id}/edit").get_data(as_text=True)
    assert 'value="Harbour Bank"' in page and 'value="2025-05-02"' in page  # agreed day in HKT
    response = post_form(
        f"/placements/{placement.id}/edit",
        _form(role_title="Data Scientist Intern", end_date="2025-09-30"),
    )
    assert response.status_code == 303
    row = fresh(placement)
    assert row.role_title == "Data Scientist Intern" and row.end_date == date(2025, 9, 30)
    assert row.confirmed_by_student_at is None
    assert row.recorded_by_id == world.dean_a1.id  # who recorded it stays
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="placement.edited"))
    assert event.actor_id == world.coordinator_a.id
    assert event.details["before"]["role_title"] == "Data Analyst Intern"
    assert event.details["after"]["role_title"] == "Data Scientist Intern"
    assert count(Notification, Notification.user_id == world.student_a1.id) == 1


def test_changing_only_the_notes_keeps_the_confirmation(client, world, login_as, post_form, db):
    placement = pf.recorded_placement(
        world.student_a1, world.dean_a1, confirmed_by_student_at=utcnow()
    )
    db.session.commit()
    login_as(world.dean_a1)
    data = _form(
        agreed_on="2025-05-02",
        notes="Called the employer.",
        supervisor_email="mary.chan@harbourbank.hk",
    )
    assert post_form(f"/placements/{placement.id}/edit", data).status_code == 303
    row = fresh(placement)
    assert row.notes == "Called the employer." and row.confirmed_by_student_at is not None
    assert count(Notification) == 0


def test_bad_edit_changes_nothing(client, world, login_as, post_form, placement):
    login_as(world.dean_a1)
    response = post_form(f"/placements/{placement.id}/edit", _form(end_date="2025-01-01"))
    assert response.status_code == 400
    assert "The end date must be on or after the start date." in response.get_data(as_text=True)
    assert fresh(placement).end_date == date(2025, 8, 31)
    assert count(AuditEvent, AuditEvent.action.like("placement.%")) == 0


def test_a_portal_placement_cannot_be_edited(client, world, login_as, post_form, db):
    placement = pf.portal_placement(world.student_a1, world.company_a)
    db.session.commit()
    login_as(world.dean_a1)
    assert client.get(f"/placements/{placement.id}/edit").status_code == 409
    assert post_form(f"/placements/{placement.id}/edit", _form(), "/postings").status_code == 409


def _complete(post_form, placement, **data):
    return post_form(
        f"/placements/{placement.id}/completion", data, form_page=f"/placements/{placement.id}"
    )


def test_staff_mark_a_portal_placement_completed(client, world, login_as, post_form, db):
    placement = pf.portal_placement(
        world.student_a1, world.company_a, start_date=date(2025, 6, 1), end_date=date(2025, 8, 31)
    )
    db.session.commit()
    login_as(world.dean_a1)
    response = _complete(post_form, placement, completion="completed", completed_on="2025-08-29")
    assert response.status_code == 303
    row = fresh(placement)
    assert row.completion is PlacementCompletion.COMPLETED and row.completed_on == date(2025, 8, 29)
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="placement.completion"))
    assert event.details["before"]["completion"] == "ongoing"
    assert event.details["after"] == {"completion": "completed", "completed_on": "2025-08-29"}


def test_ended_early_keeps_the_note_and_back_to_ongoing_clears_the_day(
    client, world, login_as, post_form, placement
):
    login_as(world.dean_a1)
    response = _complete(
        post_form,
        placement,
        completion="ended_early",
        completed_on="2025-07-15",
        note="Moved to Singapore.",
    )
    assert response.status_code == 303
    row = fresh(placement)
    assert row.completion is PlacementCompletion.ENDED_EARLY
    assert "Ended early on 2025-07-15: Moved to Singapore." in row.notes
    assert (
        _complete(post_form, placement, completion="ongoing", completed_on="2025-07-15").status_code
        == 303
    )
    row = fresh(placement)
    assert row.completion is PlacementCompletion.ONGOING and row.completed_on is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"completion": "completed"}, "Give the day the placement ended."),
        ({"completion": "ended_early", "completed_on": "2025-07-01"}, "Say briefly why"),
        ({"completion": "completed", "completed_on": "2099-01-01"}, "cannot be in the future"),
        ({"completion": "completed", "completed_on": "2025-05-01"}, "before the placement started"),
        (
            {"completion": "finished", "completed_on": "2025-08-01"},
            "Choose ongoing, completed or ended early.",
        ),
        (
            {"completion": "ended_early", "completed_on": "2025-07-01", "note": "x" * 1001},
            "Keep the note to 1,000",
        ),
        ({"completion": "completed", "completed_on": "31/08/2025"}, "Ended on"),
    ],
)
def test_bad_completion_is_refused(client, world, login_as, post_form, placement, data, message):
    login_as(world.dean_a1)
    response = _complete(post_form, placement, **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    row = fresh(placement)
    assert row.completion is PlacementCompletion.ONGOING and row.completed_on is None
    assert count(AuditEvent, AuditEvent.action.like("placement.%")) == 0


def test_saving_the_same_completion_again_changes_nothing(
    client, world, login_as, post_form, placement
):
    login_as(world.dean_a1)
    data = {"completion": "ended_early", "completed_on": "2025-07-15", "note": "Moved abroad."}
    assert _complete(post_form, placement, **data).status_code == 303
    notes = fresh(placement).notes
    assert _complete(post_form, placement, **data).status_code == 303
    assert fresh(placement).notes == notes and notes.count("Moved abroad.") == 1
    assert count(AuditEvent, AuditEvent.action == "placement.completion") == 1
