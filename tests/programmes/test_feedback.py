"""Feedback after a programme: only a student who attended gives it, once (a second answer
edits the first), after their session ended and until 30 days after the last one; only the
programme's organisers read the figures and comments, and bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput, PermissionDenied
from foundry.programmes.attended import attendee_of
from foundry.programmes.feedback import give_feedback
from foundry.programmes.feedback_models import ProgrammeFeedback
from tests.factories import profile_of
from tests.programmes import factories as pf
from tests.programmes.after_event_setup import attend, past_programme
from tests.programmes.factories import count


def _url(programme) -> str:
    return f"/programmes/{programme.id}/feedback"


def _organiser_url(programme) -> str:
    return f"/organise/programmes/{programme.id}/feedback"


def _rows(programme) -> list[tuple]:
    from foundry.extensions import db

    return db.session.execute(
        sa.select(ProgrammeFeedback.profile_id, ProgrammeFeedback.rating, ProgrammeFeedback.comment)
        .where(ProgrammeFeedback.programme_id == programme.id)
        .order_by(ProgrammeFeedback.id)
    ).all()


@pytest.fixture
def past(world):
    return past_programme(world)


# --- giving feedback ---------------------------------------------------------------------


def test_a_student_who_attended_gives_feedback_and_changes_it(
    world, client, login_as, past, post_form, db
):
    login_as(world.student_a1)
    page = client.get(_url(past.programme))
    assert page.status_code == 200 and "How useful was this programme to you?" in page.text
    response = post_form(
        _url(past.programme), {"rating": "4", "comment": "Useful mock interviews."}
    )
    assert response.status_code == 303
    response = post_form(_url(past.programme), {"rating": "5", "comment": ""})
    assert response.status_code == 303
    profile_id = profile_of(world.student_a1).id
    assert _rows(past.programme) == [(profile_id, 5, None)]
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"programme.feedback_given", "programme.feedback_changed"} <= actions


def test_the_second_answer_edits_the_row_and_the_database_refuses_a_duplicate(world, past, db):
    attendee = attendee_of(profile_of(world.student_a1), past.programme, utcnow())
    first = give_feedback(world.student_a1, attendee, 3, "ok").feedback
    again = give_feedback(world.student_a1, attendee, "2", "less so")
    assert again.edited and again.feedback.id == first.id
    assert count(ProgrammeFeedback) == 1
    db.session.add(
        ProgrammeFeedback(programme_id=past.programme.id, profile_id=first.profile_id, rating=1)
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"rating": "0"}, "Choose a rating from 1 to 5."),
        ({"rating": "6"}, "Choose a rating from 1 to 5."),
        ({"rating": "abc"}, "Choose a rating from 1 to 5."),
        ({"comment": "no rating"}, "Choose a rating from 1 to 5."),
        ({"rating": "4", "comment": "x" * 2001}, "Keep the comment to 2000 characters."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(
    world, client, login_as, past, post_form, data, message
):
    login_as(world.student_a1)
    response = post_form(_url(past.programme), data)
    assert response.status_code == 400
    assert message in response.text
    assert _rows(past.programme) == []


@pytest.mark.parametrize("rating", [0, 6, "abc", None, True])
def test_the_service_refuses_ratings_outside_1_to_5(world, past, rating):
    attendee = attendee_of(profile_of(world.student_a1), past.programme, utcnow())
    with pytest.raises(InvalidInput):
        give_feedback(world.student_a1, attendee, rating, None)
    assert _rows(past.programme) == []


def test_feedback_before_the_session_ends_is_refused(world, client, login_as, db, post_form):
    programme = pf.ProgrammeFactory(organiser_company=world.company_a)
    starts = utcnow() - timedelta(minutes=30)
    session = pf.SessionFactory(
        programme=programme, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    attend(pf.registration(world.student_a1, session))
    db.session.commit()
    login_as(world.student_a1)
    assert client.get(_url(programme)).status_code == 403
    page = client.get(f"/programmes/{programme.id}")
    assert (
        post_form(
            _url(programme), {"rating": "5"}, form_page=f"/programmes/{programme.id}"
        ).status_code
        == 403
    )
    assert "Give feedback" not in page.text
    assert _rows(programme) == []


def test_feedback_closes_30_days_after_the_last_session(world, client, login_as, post_form):
    past = past_programme(world, ended_ago=timedelta(days=31))
    login_as(world.student_a1)
    page = client.get(_url(past.programme))
    assert "Feedback on this programme closed" in page.text
    attendee = attendee_of(profile_of(world.student_a1), past.programme, utcnow())
    with pytest.raises(DomainError, match="closed"):
        give_feedback(world.student_a1, attendee, 4, None)
    assert _rows(past.programme) == []


# --- who may not -------------------------------------------------------------------------


def test_a_student_who_registered_but_did_not_come_may_not(
    world, client, login_as, past, post_form
):
    login_as(world.student_a1_other)
    assert client.get(_url(past.programme)).status_code == 403
    response = post_form(_url(past.programme), {"rating": "1"}, form_page="/me/programmes")
    assert response.status_code == 403
    assert _rows(past.programme) == []


def test_nobody_gives_or_changes_feedback_in_another_students_name(world, past):
    attendee = attendee_of(profile_of(world.student_a1), past.programme, utcnow())
    give_feedback(world.student_a1, attendee, 5, "mine")
    for other in (world.student_a1_other, world.recruiter_a, world.park_admin):
        with pytest.raises(PermissionDenied):
            give_feedback(other, attendee, 1, "not mine")
    assert [(r, c) for _p, r, c in _rows(past.programme)] == [(5, "mine")]


@pytest.mark.parametrize("who", ["recruiter_a", "dean_a1", "park_admin"])
def test_staff_have_no_feedback_form(world, client, login_as, past, who):
    login_as(getattr(world, who))
    assert client.get(_url(past.programme)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, past):
    for url in (
        _url(past.programme),
        _organiser_url(past.programme),
        _organiser_url(past.programme) + ".csv",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert client.post(_url(past.programme), data={"rating": "5"}).status_code in (302, 400)
    assert _rows(past.programme) == []


# --- the organisers' page ----------------------------------------------------------------


def _some_feedback(world, past):
    attendee = attendee_of(profile_of(world.student_a1), past.programme, utcnow())
    give_feedback(world.student_a1, attendee, 4, "Great <b>panel</b>, too short.")
    from foundry.extensions import db

    db.session.commit()


@pytest.mark.parametrize("who", ["company_admin_a", "recruiter_a", "park_admin"])
def test_the_organisers_read_the_average_distribution_and_comments(
    world, client, login_as, past, who
):
    _some_feedback(world, past)
    login_as(getattr(world, who))
    page = client.get(_organiser_url(past.programme)).text
    assert "Average rating (1 to 5)" in page and "4.0" in page
    assert "4 – Good (100%)" in page
    assert "Great &lt;b&gt;panel&lt;/b&gt;, too short." in page
    assert world.student_a1.display_name not in page  # answers, not names


@pytest.mark.parametrize("who", ["recruiter_b", "student_a1", "dean_a1", "coordinator_b"])
def test_others_read_neither_the_feedback_nor_its_export(world, client, login_as, past, who):
    _some_feedback(world, past)
    login_as(getattr(world, who))
    for url in (_organiser_url(past.programme), _organiser_url(past.programme) + ".csv"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "too short" not in response.text


def test_a_faculty_programmes_feedback_is_read_by_its_faculty_only(world, client, login_as):
    past = past_programme(world, organiser_company=None, organiser_faculty=world.fac_a1)
    login_as(world.officer_a2)
    assert client.get(_organiser_url(past.programme)).status_code == 403
    login_as(world.dean_a1)
    assert client.get(_organiser_url(past.programme)).status_code == 200


def test_the_export_is_a_csv_without_names_and_is_audited(world, client, login_as, past, db):
    _some_feedback(world, past)
    login_as(world.recruiter_a)
    response = client.get(_organiser_url(past.programme) + ".csv", buffered=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert "Rating (1 to 5)" in body and "Great <b>panel</b>, too short." in body
    assert world.student_a1.display_name not in body
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.action == "programme.feedback_exported")
        )
        == 1
    )
    assert client.get(_organiser_url(past.programme) + ".xlsx").status_code == 404


def test_no_feedback_yet_says_what_happens_next(world, client, login_as, past):
    login_as(world.recruiter_a)
    page = client.get(_organiser_url(past.programme)).text
    assert "No feedback yet" in page and "Download CSV" not in page


# --- prompts -----------------------------------------------------------------------------


def test_my_programmes_and_the_programme_page_ask_for_feedback_then_show_it(
    world, client, login_as, past, post_form
):
    login_as(world.student_a1)
    mine = client.get("/me/programmes").text
    assert "How was it? Tell the organisers" in mine and _url(past.programme) in mine
    assert f"/programmes/{past.programme.id}/certificate.pdf" in mine
    post_form(_url(past.programme), {"rating": "3"})
    mine = client.get("/me/programmes").text
    assert "How was it? Tell the organisers" not in mine and "Your rating: 3 of 5." in mine
    assert "Your rating: 3 of 5." in client.get(f"/programmes/{past.programme.id}").text


def test_a_student_who_did_not_come_is_not_asked(world, client, login_as, past):
    login_as(world.student_a1_other)
    mine = client.get("/me/programmes").text
    assert _url(past.programme) not in mine and "certificate.pdf" not in mine
    assert "After the event" not in client.get(f"/programmes/{past.programme.id}").text
