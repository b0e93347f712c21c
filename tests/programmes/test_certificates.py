"""Certificates of attendance: a PDF for a student who attended (their own), for the
programme's organisers (any attendee, each download audited), never for a student who did
not come, another student or another organiser; the code on it verifies publicly."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.extensions import db, limiter
from tests.accounts.test_rate_limits import limited_app
from tests.factories import profile_of
from tests.programmes import factories as pf
from tests.programmes.after_event_setup import attend, past_programme

CHINESE_NAME = "陳大文"


def _mine(programme) -> str:
    return f"/programmes/{programme.id}/certificate.pdf"


def _of(programme, user) -> str:
    return f"/organise/programmes/{programme.id}/certificates/{profile_of(user).id}.pdf"


def _text(response) -> str:
    assert response.mimetype == "application/pdf"
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def _downloads() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.action == "programme.certificate_downloaded")
    )


@pytest.fixture
def past(world):
    world.student_a1.display_name = CHINESE_NAME
    return past_programme(world, title_en="Job search techniques", title_zh="求職技巧")


def test_the_student_downloads_a_bilingual_certificate_with_their_chinese_name(
    world, client, login_as, past
):
    login_as(world.student_a1)
    response = client.get(_mine(past.programme))
    assert response.status_code == 200
    text = _text(response)
    for expected in (
        CHINESE_NAME,
        "Job search techniques",
        "求職技巧",
        "Certificate of attendance",
        "出席證明書",
        "Alpha Robotics",
        "University A",
        "HKT",
    ):
        assert expected in text, expected
    code = re.search(r"(\d+-\d+-[A-Z2-7]{12})", text)[1]
    assert f"/certificates/{code}" in text
    assert _downloads() == 0  # the student's own copy is not an organiser's access


def test_the_code_verifies_publicly_with_name_and_programme_only(world, client, login_as, past):
    login_as(world.student_a1)
    code = re.search(r"(\d+-\d+-[A-Z2-7]{12})", _text(client.get(_mine(past.programme))))[1]
    anonymous = client.application.test_client()
    page = anonymous.get(f"/certificates/{code}")
    assert page.status_code == 200
    assert "This certificate is genuine" in page.text and CHINESE_NAME in page.text
    assert world.student_a1.email not in page.text
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert anonymous.get(f"/certificates/{forged}").status_code == 404
    other = f"{past.programme.id}-{profile_of(world.student_a1_other).id}-{code.split('-')[2]}"
    assert anonymous.get(f"/certificates/{other}").status_code == 404


@pytest.mark.parametrize("who", ["recruiter_a", "company_admin_a", "park_admin"])
def test_the_organisers_download_any_attendees_certificate_and_it_is_audited(
    world, client, login_as, past, who
):
    login_as(getattr(world, who))
    attendees = client.get(
        f"/organise/programmes/{past.programme.id}/sessions/{past.session.id}/attendees"
    ).text
    assert _of(past.programme, world.student_a1) in attendees
    assert _of(past.programme, world.student_a1_other) not in attendees
    response = client.get(_of(past.programme, world.student_a1))
    assert response.status_code == 200 and CHINESE_NAME in _text(response)
    assert _downloads() == 1


def test_no_certificate_for_a_student_who_did_not_come(world, client, login_as, past):
    login_as(world.student_a1_other)
    assert client.get(_mine(past.programme)).status_code == 403
    login_as(world.recruiter_a)
    assert client.get(_of(past.programme, world.student_a1_other)).status_code == 404
    assert _downloads() == 0


def test_no_certificate_before_the_session_ends(world, client, login_as):
    programme = pf.ProgrammeFactory(organiser_company=world.company_a)
    starts = utcnow() - timedelta(minutes=30)
    session = pf.SessionFactory(
        programme=programme, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    attend(pf.registration(world.student_a1, session))
    db.session.commit()
    login_as(world.student_a1)
    assert client.get(_mine(programme)).status_code == 403


@pytest.mark.parametrize("who", ["recruiter_b", "dean_b1", "coordinator_b", "student_a1_other"])
def test_others_cannot_get_an_attendees_certificate(world, client, login_as, past, who):
    login_as(getattr(world, who))
    response = client.get(_of(past.programme, world.student_a1))
    assert response.status_code == 403
    assert b"%PDF" not in response.data
    assert _downloads() == 0


def test_anonymous_visitors_are_sent_to_sign_in(world, client, past):
    for url in (_mine(past.programme), _of(past.programme, world.student_a1)):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("code", ["nonsense", "1-2-AAAAAAAAAAAA", "<svg onload=1>", "9" * 30])
def test_a_bad_code_is_not_found_and_says_so(client, code):
    response = client.get(f"/certificates/{code}")
    assert response.status_code == 404
    assert "No certificate has this code" in response.text
    assert "<svg onload" not in response.text


@pytest.fixture
def checks_limited(app, database_url):
    """An app with rate limits on (the test app has them off), three checks a minute."""
    limited = limited_app(app, database_url, "memory://", CERTIFICATE_CHECK_RATE_LIMIT="3/minute")
    yield limited
    with limited.app_context():
        db.engine.dispose()
    limiter.init_app(app)  # the shared limiter back to the test app's settings (off)


def test_the_public_check_is_limited_per_client_address(checks_limited, db):
    client = checks_limited.test_client()
    guesses = [f"1-2-{letter * 12}" for letter in "ABCD"]
    for guess in guesses[:3]:
        response = client.get(f"/certificates/{guess}", environ_base={"REMOTE_ADDR": "192.0.2.9"})
        assert response.status_code == 404
    refused = client.get(f"/certificates/{guesses[3]}", environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert refused.status_code == 429 and "Too many attempts" in refused.text
    other = client.get(f"/certificates/{guesses[3]}", environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert other.status_code == 404
