"""The recruiter's pipeline: board and list, one applicant, moves, notes, bulk moves."""

from __future__ import annotations

from datetime import timedelta

import pytest

from foundry.applications.models import ApplicationEvent, ApplicationNote, ApplicationStatus
from foundry.applications.queries import BOARD_COLUMN_SIZE
from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.notifications.models import Notification, OutboxEmail
from tests.applications import application_of, count, posting_of
from tests.factories import profile_of, student

S = ApplicationStatus


@pytest.fixture
def posting(world, db):
    posting = posting_of(world.company_a, title="Robot Vision Intern")
    db.session.commit()
    return posting


def _pipeline(posting, query=""):
    return f"/company/{posting.company.slug}/postings/{posting.id}/pipeline{query}"


def _named(world, name, faculty=None):
    user = student(faculty or world.fac_a1)
    user.display_name = name
    return user


def test_board_groups_applicants_by_status(client, world, login_as, posting, db):
    application_of(_named(world, "Ada Wong"), posting, status=S.SHORTLISTED)
    application_of(_named(world, "Bo Chan"), posting)
    login_as(world.recruiter_a)
    html = client.get(_pipeline(posting)).get_data(as_text=True)
    shortlisted = html.index('id="col-shortlisted"')
    submitted = html.index('id="col-submitted"')
    assert submitted < html.index("Bo Chan") < html.index('id="col-under_review"')
    assert shortlisted < html.index("Ada Wong") < html.index('id="col-interview"')
    assert "2 applicants" in html


def test_list_filters_by_status_and_name_and_sorts(client, world, login_as, posting, db):
    application_of(_named(world, "Ada Wong"), posting, status=S.SHORTLISTED)
    application_of(_named(world, "Bo Chan"), posting)
    application_of(_named(world, "Cy Lam"), posting, status=S.SHORTLISTED)
    login_as(world.recruiter_a)
    html = client.get(_pipeline(posting, "?view=list&status=shortlisted")).get_data(as_text=True)
    assert "Ada Wong" in html and "Cy Lam" in html and "Bo Chan" not in html
    html = client.get(_pipeline(posting, "?view=list&q=chan")).get_data(as_text=True)
    assert "Bo Chan" in html and "Ada Wong" not in html
    html = client.get(_pipeline(posting, "?view=list&sort=-name")).get_data(as_text=True)
    assert html.index("Cy Lam") < html.index("Bo Chan") < html.index("Ada Wong")
    html = client.get(_pipeline(posting, "?view=list&q=100%25")).get_data(as_text=True)
    assert "No applicants match" in html


def test_list_paginates(client, world, login_as, posting, db):
    now = utcnow()
    for n in range(27):
        application_of(
            _named(world, f"Applicant {n:02d}"), posting, submitted_at=now - timedelta(hours=n)
        )
    login_as(world.recruiter_a)
    first = client.get(_pipeline(posting, "?view=list")).get_data(as_text=True)
    assert "Applicant 00" in first and "Applicant 26" not in first and "1–25 of 27" in first
    second = client.get(_pipeline(posting, "?view=list&page=2")).get_data(as_text=True)
    assert "Applicant 26" in second


@pytest.mark.parametrize("query", ["?view=grid", "?status=hired", "?sort=cv_content", "?page=0"])
def test_pipeline_refuses_bad_parameters(client, world, login_as, posting, query):
    login_as(world.recruiter_a)
    assert client.get(_pipeline(posting, query)).status_code == 400


def test_an_empty_pipeline_says_what_to_do(client, world, login_as, posting):
    login_as(world.recruiter_a)
    assert "No applicants yet" in client.get(_pipeline(posting)).get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("recruiter_a", 200),
        ("company_admin_a", 200),
        ("recruiter_b", 403),
        ("recruiter_unverified", 403),
        ("student_a1", 403),
        ("dean_a1", 403),
        ("park_admin", 403),
    ],
)
def test_who_may_open_a_pipeline(client, world, login_as, posting, who, status):
    application = application_of(world.student_a1, posting)
    login_as(getattr(world, who))
    assert client.get(_pipeline(posting)).status_code == status
    assert client.get(f"/pipeline/applications/{application.id}").status_code == status


def test_another_companys_posting_cannot_be_reached_through_my_slug(
    client, world, login_as, posting
):
    login_as(world.recruiter_b)
    assert client.get(f"/company/beta/postings/{posting.id}/pipeline").status_code == 403
    login_as(world.recruiter_a)
    assert client.get(f"/company/beta/postings/{posting.id}/pipeline").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, world, posting):
    application = application_of(world.student_a1, posting)
    assert client.get(_pipeline(posting)).status_code == 302
    assert client.get(f"/pipeline/applications/{application.id}").status_code == 302


def test_applicant_page_shows_what_the_student_shares(client, world, login_as, posting, db):
    profile = profile_of(world.student_a1)
    profile.headline = "Year 3, robotics"
    profile.student_number = "SN-CONFIDENTIAL"
    profile.github_url = "javascript://example.com/%0Aalert(1)"  # an old row, before the check
    application = application_of(
        world.student_a1,
        posting,
        cover_letter="I love robots.",
        answers=[{"question": "Why us?", "answer": "Your arms.", "required": True}],
    )
    db.session.add(
        ApplicationEvent(
            application_id=application.id,
            from_status=S.SUBMITTED,
            to_status=S.UNDER_REVIEW,
            message="Thanks, we are reading.",
        )
    )
    login_as(world.recruiter_a)
    html = client.get(f"/pipeline/applications/{application.id}").get_data(as_text=True)
    assert world.student_a1.display_name in html
    # Only what the apply page promises: no headline or "about", no non-web link.
    assert "Year 3, robotics" not in html and "javascript:" not in html
    assert "A Engineering" in html and "BEng Computer Engineering" in html
    assert f'src="/applications/{application.id}/cv#view=FitH&amp;navpanes=0"' in html
    assert "I love robots." in html and "Why us?" in html and "Your arms." in html
    assert "Thanks, we are reading." in html
    assert "SN-CONFIDENTIAL" not in html and world.student_a1.email not in html


def test_recruiter_moves_an_applicant_and_the_student_is_told(
    client, world, login_as, post_form, posting, db
):
    application = application_of(world.student_a1, posting)
    login_as(world.recruiter_a)
    url = f"/pipeline/applications/{application.id}"
    data = {"to_status": "shortlisted", "message": "Great project work!"}
    response = post_form(f"{url}/move", data, form_page=url)
    assert response.status_code == 303
    db.session.refresh(application)
    assert application.status is S.SHORTLISTED
    event = db.session.scalar(db.select(ApplicationEvent))
    assert (event.from_status, event.to_status) == (S.SUBMITTED, S.SHORTLISTED)
    assert event.actor_id == world.recruiter_a.id and event.message == "Great project work!"
    notification = db.session.scalar(db.select(Notification))
    assert notification.user_id == world.student_a1.id
    assert notification.link == f"/me/applications/{application.id}"
    email = db.session.scalar(db.select(OutboxEmail))
    assert email.to_address == world.student_a1.email
    assert "Great project work!" in email.body_text
    assert count(AuditEvent, AuditEvent.action == "application.moved") == 1
    login_as(world.student_a1)
    html = client.get(f"/me/applications/{application.id}").get_data(as_text=True)
    assert "Great project work!" in html


@pytest.mark.parametrize(
    ("current", "target", "status", "message"),
    [
        (S.REJECTED, "shortlisted", 409, "cannot move to “Shortlisted”"),
        (S.REJECTED, "interview", 409, "cannot move to “Interview”"),
        (S.WITHDRAWN, "rejected", 409, "The student has withdrawn this application"),
        (S.SHORTLISTED, "submitted", 409, "cannot move to “Submitted”"),
        (S.SUBMITTED, "accepted", 409, "cannot move to “Accepted”"),
        (S.SUBMITTED, "offer", 400, "Use the offer form"),
        (S.SUBMITTED, "hired", 400, "Not a valid choice"),
    ],
)
def test_illegal_moves_are_refused_and_nothing_changes(
    client, world, login_as, post_form, posting, db, current, target, status, message
):
    application = application_of(world.student_a1, posting, status=current)
    login_as(world.recruiter_a)
    url = f"/pipeline/applications/{application.id}"
    response = post_form(f"{url}/move", {"to_status": target}, form_page=_pipeline(posting))
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    db.session.refresh(application)
    assert application.status is current
    assert count(ApplicationEvent) == 0 and count(Notification) == 0


def test_recruiter_adds_a_private_note_the_student_never_sees(
    client, world, login_as, post_form, posting, db
):
    application = application_of(world.student_a1, posting)
    login_as(world.recruiter_a)
    url = f"/pipeline/applications/{application.id}"
    response = post_form(f"{url}/notes", {"body": "Strong in ROS; ask about SLAM."}, form_page=url)
    assert response.status_code == 303
    note = db.session.scalar(db.select(ApplicationNote))
    assert note.author_id == world.recruiter_a.id
    assert "Strong in ROS; ask about SLAM." in client.get(url).get_data(as_text=True)
    assert count(AuditEvent, AuditEvent.action == "application.note_added") == 1
    login_as(world.student_a1)
    html = client.get(f"/me/applications/{application.id}").get_data(as_text=True)
    assert "SLAM" not in html


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Write the note before saving it."), ("x" * 5001, "Keep a note to 5,000 characters.")],
    ids=["empty", "too-long"],
)
def test_a_bad_note_is_refused(client, world, login_as, post_form, posting, body, message):
    application = application_of(world.student_a1, posting)
    login_as(world.recruiter_a)
    url = f"/pipeline/applications/{application.id}"
    response = post_form(f"{url}/notes", {"body": body}, form_page=url)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(ApplicationNote) == 0


def test_another_company_cannot_read_or_write_notes_or_move(
    client, world, login_as, post_form, posting, db
):
    application = application_of(world.student_a1, posting)
    db.session.add(
        ApplicationNote(
            application_id=application.id, author_id=world.recruiter_a.id, body="PRIVATE"
        )
    )
    login_as(world.recruiter_b)
    url = f"/pipeline/applications/{application.id}"
    page = client.get(url)
    assert page.status_code == 403 and "PRIVATE" not in page.get_data(as_text=True)
    form_page = "/company/beta"
    assert post_form(f"{url}/notes", {"body": "x"}, form_page=form_page).status_code == 403
    moved = post_form(f"{url}/move", {"to_status": "rejected"}, form_page=form_page)
    assert moved.status_code == 403
    assert count(ApplicationNote) == 1 and count(ApplicationEvent) == 0


def test_bulk_move_rejects_the_ticked_applicants_with_one_message(
    client, world, login_as, post_form, posting, db
):
    ada = application_of(_named(world, "Ada Wong"), posting)
    bo = application_of(_named(world, "Bo Chan"), posting, status=S.UNDER_REVIEW)
    cy = application_of(_named(world, "Cy Lam"), posting)
    login_as(world.recruiter_a)
    data = {
        "application_ids": [str(ada.id), str(bo.id)],
        "to_status": "rejected",
        "message": "Thank you; we chose others this time.",
    }
    response = post_form(_pipeline(posting, "/move"), data, form_page=_pipeline(posting))
    assert response.status_code == 303
    for application in (ada, bo, cy):
        db.session.refresh(application)
    assert (ada.status, bo.status, cy.status) == (S.REJECTED, S.REJECTED, S.SUBMITTED)
    messages = {e.message for e in db.session.scalars(db.select(ApplicationEvent))}
    assert messages == {"Thank you; we chose others this time."}
    assert count(OutboxEmail) == 2


def test_bulk_move_is_all_or_nothing_and_names_who_blocks_it(
    client, world, login_as, post_form, posting, db
):
    ada = application_of(_named(world, "Ada Wong"), posting)
    bo = application_of(_named(world, "Bo Chan"), posting, status=S.WITHDRAWN)
    login_as(world.recruiter_a)
    data = {"application_ids": [str(ada.id), str(bo.id)], "to_status": "shortlisted"}
    response = post_form(_pipeline(posting, "/move"), data, form_page=_pipeline(posting))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Nobody was moved" in html and "Bo Chan (Withdrawn)" in html and "Ada Wong" not in html
    db.session.refresh(ada)
    assert ada.status is S.SUBMITTED
    assert count(ApplicationEvent) == 0 and count(Notification) == 0


def test_bulk_move_refuses_applicants_of_another_posting(
    client, world, login_as, post_form, posting, db
):
    mine = application_of(world.student_a1, posting)
    foreign = application_of(world.student_a2, posting_of(world.company_b))
    login_as(world.recruiter_a)
    data = {"application_ids": [str(mine.id), str(foreign.id)], "to_status": "rejected"}
    response = post_form(_pipeline(posting, "/move"), data, form_page=_pipeline(posting))
    assert response.status_code == 400
    db.session.refresh(foreign)
    assert foreign.status is S.SUBMITTED and count(ApplicationEvent) == 0


def test_bulk_move_needs_a_ticked_applicant(client, world, login_as, post_form, posting):
    login_as(world.recruiter_a)
    response = post_form(
        _pipeline(posting, "/move"), {"to_status": "rejected"}, form_page=_pipeline(posting)
    )
    assert response.status_code == 400
    assert "Tick at least one applicant" in response.get_data(as_text=True)


def test_another_company_cannot_bulk_move(client, world, login_as, post_form, posting, db):
    application = application_of(world.student_a1, posting)
    login_as(world.recruiter_b)
    data = {"application_ids": [str(application.id)], "to_status": "rejected"}
    response = post_form(_pipeline(posting, "/move"), data, form_page="/company/beta")
    assert response.status_code == 403
    assert count(ApplicationEvent) == 0


def test_board_filters_by_name_and_each_card_shows_school_and_faculty(
    client, world, login_as, posting, db
):
    application_of(_named(world, "Ada Wong"), posting, status=S.SHORTLISTED)
    bo = application_of(_named(world, "Bo Chan", world.fac_a2), posting)
    login_as(world.recruiter_a)
    html = client.get(_pipeline(posting, "?q=chan")).get_data(as_text=True)
    assert "Bo Chan" in html and "Ada Wong" not in html
    card = html[html.index(f'id="card-{bo.id}"') :].split("</li>", 1)[0]
    faculty = world.fac_a2
    assert f"{bo.profile.university.code} · {faculty.name_en}" in card
    assert f'href="/pipeline/applications/{bo.id}"' in card
    assert f'action="/pipeline/applications/{bo.id}/move"' in card
    # A reader of Chinese gets the faculty's Chinese name on the card.
    world.recruiter_a.preferred_locale = "zh_Hant"
    db.session.commit()
    html = client.get(_pipeline(posting)).get_data(as_text=True)
    card = html[html.index(f'id="card-{bo.id}"') :].split("</li>", 1)[0]
    assert f"{bo.profile.university.code} · {faculty.name_zh}" in card


def test_a_board_column_shows_its_newest_applicants_and_links_to_all(
    client, world, login_as, posting, db
):
    now = utcnow()
    size = BOARD_COLUMN_SIZE
    for n in range(size + 1):
        application_of(
            _named(world, f"Applicant {n:02d}"), posting, submitted_at=now - timedelta(hours=n)
        )
    login_as(world.recruiter_a)
    html = client.get(_pipeline(posting)).get_data(as_text=True)
    column = html[html.index('id="col-submitted"') : html.index('id="col-under_review"')]
    assert column.count('class="list-group-item tf-card"') == size
    assert f"Applicant {size - 1:02d}" in column and f"Applicant {size:02d}" not in column
    assert f"See all {size + 1} in the list" in column
    assert "view=list" in column and "status=submitted" in column
