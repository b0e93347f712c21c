"""The public list, its filters and search, the month calendar and a programme's page:
anyone may read them, drafts stay hidden, bad filter values are left out with a word, and
each page costs the same number of statements whatever its size."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from foundry.db import utcnow
from foundry.programmes.browse import HONG_KONG
from foundry.programmes.models import (
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeStatus,
    RegistrationStatus,
)
from foundry.taxonomy import Theme
from tests.factories import PostingFactory, student
from tests.programmes import factories as pf
from tests.statements import outline, statements_of_request

JOIN = "https://meet.example.com/secret-room"


def _programme(**fields):
    sessions = fields.pop("sessions", 1)
    programme = pf.ProgrammeFactory(**fields)
    for n in range(sessions):
        pf.SessionFactory(programme=programme, starts_at=utcnow() + timedelta(days=14 + n))
    return programme


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- the list -------------------------------------------------------------------------------


def test_anyone_sees_published_and_cancelled_programmes_but_no_draft(client, db):
    _programme(title_en="Personal branding clinic")
    _programme(
        title_en="Cancelled fair",
        status=ProgrammeStatus.CANCELLED,
        cancelled_at=utcnow(),
        cancellation_message="Typhoon signal 8.",
    )
    _programme(title_en="Secret draft", status=ProgrammeStatus.DRAFT)
    db.session.commit()
    page = _text(client.get("/programmes"))
    assert "Personal branding clinic" in page
    assert "Cancelled fair" in page and "Cancelled" in page
    assert "Secret draft" not in page


def test_upcoming_programmes_come_first_and_past_ones_only_when_asked(client, db):
    later = _programme(title_en="Later talk")
    later.sessions[0].starts_at = utcnow() + timedelta(days=30)
    later.sessions[0].ends_at = utcnow() + timedelta(days=30, hours=2)
    _programme(title_en="Sooner talk")
    past = pf.ProgrammeFactory(title_en="Last year's fair")
    pf.SessionFactory(
        programme=past,
        starts_at=utcnow() - timedelta(days=30),
        ends_at=utcnow() - timedelta(days=30) + timedelta(hours=2),
    )
    db.session.commit()
    page = _text(client.get("/programmes"))
    assert page.index("Sooner talk") < page.index("Later talk")
    assert "Last year" not in page
    assert "Last year" in _text(client.get("/programmes?past=1"))


def test_filters_narrow_the_list(client, db, world):
    _programme(title_en="AI career day", kind=ProgrammeKind.CAREER_DAY, theme=Theme.AI_DATA)
    _programme(title_en="Fintech online talk", format=ProgrammeFormat.VIRTUAL, join_link=JOIN)
    _programme(title_en="Company workshop", organiser_company=world.company_a)
    _programme(title_en="Faculty workshop", organiser_faculty=world.fac_a1)
    db.session.commit()

    def titles(query):
        return set(
            re.findall(r'id="programme-\d+-title"><a [^>]+>([^<]+)<', _text(client.get(query)))
        )

    assert titles("/programmes?kind=career_day") == {"AI career day"}
    assert titles("/programmes?theme=ai_data") == {"AI career day"}
    assert titles("/programmes?format=virtual") == {"Fintech online talk"}
    assert titles(f"/programmes?organiser=company:{world.company_a.id}") == {"Company workshop"}
    assert titles(f"/programmes?organiser=faculty:{world.fac_a1.id}") == {"Faculty workshop"}
    assert titles("/programmes?organiser=park") == {"AI career day", "Fintech online talk"}


def test_keywords_find_english_and_chinese_titles_and_descriptions(client, db):
    _programme(title_en="Job search techniques", title_zh="求職技巧")
    _programme(title_en="Cantonese class", description_en="Learn everyday Cantonese 廣東話.")
    db.session.commit()
    assert "Job search" in _text(client.get("/programmes?q=求職"))
    assert "Cantonese class" not in _text(client.get("/programmes?q=求職"))
    assert "Cantonese class" in _text(client.get("/programmes?q=廣東話"))
    assert "Cantonese class" in _text(client.get("/programmes?q=EVERYDAY"))
    # LIKE's wildcards are searched for as themselves.
    assert "No programme matches" in _text(client.get("/programmes?q=%25_"))


def test_a_date_range_keeps_programmes_with_a_session_in_it(client, db):
    _programme(title_en="In two weeks")
    db.session.commit()
    # The filter's dates are Hong Kong days: from 16:00 UTC the session's day there is the
    # next UTC date.
    in_range = (utcnow() + timedelta(days=14)).astimezone(HONG_KONG).date().isoformat()
    far = (utcnow() + timedelta(days=60)).astimezone(HONG_KONG).date().isoformat()
    assert "In two weeks" in _text(
        client.get(f"/programmes?date_from={in_range}&date_to={in_range}")
    )
    assert "In two weeks" not in _text(client.get(f"/programmes?date_from={far}"))


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("theme=nonsense", "There is no theme"),
        ("kind=<b>x</b>", "There is no kind of programme"),
        ("format=3d", "There is no format"),
        ("organiser=company:abc", "There is no organiser"),
        ("date_from=2027-02-31", "is not a date"),
        ("sort=price", "cannot be sorted"),
    ],
)
def test_a_bad_filter_is_left_out_with_a_word_never_an_error(client, db, query, said):
    _programme(title_en="Still listed")
    db.session.commit()
    response = client.get(f"/programmes?{query}")
    assert response.status_code == 200
    page = _text(response)
    assert said in page and "Still listed" in page
    assert "<b>x</b>" not in page


def test_a_bad_page_number_is_a_clear_400(client, db):
    response = client.get("/programmes?page=abc")
    assert response.status_code == 400
    assert "whole number" in _text(response)


def test_the_empty_list_says_what_to_do(client, db):
    page = _text(client.get("/programmes"))
    assert "No programmes coming up" in page and "/postings" in page
    assert "No programme matches" in _text(client.get("/programmes?q=zzz"))


def test_cards_show_seats_left_or_the_waitlist(client, db, world):
    open_one = _programme(title_en="Open seats")
    full = _programme(title_en="Full one")
    session = full.sessions[0]
    session.capacity = 1
    pf.registration(world.student_a1, session)
    pf.registration(world.student_a2, session, RegistrationStatus.WAITLISTED)
    db.session.commit()
    page = _text(client.get("/programmes"))
    assert "10 seats left" in page and "Full: waitlist open" in page
    assert open_one.id and full.id


def _fill(n, world):
    for i in range(n):
        programme = _programme(
            title_en=f"Talk {i}", organiser_company=world.company_a if i % 2 else None
        )
        pf.registration(world.student_a1, programme.sessions[0])


def test_the_list_costs_the_same_statements_for_1_and_12_programmes(client, db, world):
    _fill(1, world)
    small, _ = statements_of_request(client, "/programmes")
    _fill(11, world)
    large, response = statements_of_request(client, "/programmes")
    assert _text(response).count("tf-programme-card") == 12
    assert len(large) == len(small), outline(large)
    assert len(large) <= 8, outline(large)


# --- the calendar ---------------------------------------------------------------------------


def test_the_calendar_shows_the_months_sessions_on_their_hong_kong_day(client, db):
    programme = pf.ProgrammeFactory(title_en="Late night hackathon")
    # 17:30 UTC on 14 March is 01:30 on 15 March in Hong Kong.
    starts = datetime(2031, 3, 14, 17, 30, tzinfo=UTC)
    pf.SessionFactory(programme=programme, starts_at=starts, ends_at=starts + timedelta(hours=3))
    db.session.commit()
    page = _text(client.get("/programmes/calendar?month=2031-03&past=1"))
    assert "Late night hackathon" in page and "01:30" in page
    assert "15 Mar 2031" in page  # the day heading of the phone list
    assert "Late night" not in _text(client.get("/programmes/calendar?month=2031-04"))


@pytest.mark.parametrize("month", ["2026-13", "junk", "1999-01", "<script>"])
def test_a_bad_month_shows_this_month_with_a_word(client, db, month):
    response = client.get(f"/programmes/calendar?month={month}")
    assert response.status_code == 200
    assert "is not a month like 2027-03" in _text(response)
    assert "<script>" not in _text(response).split("<main")[1]


def test_the_calendar_keeps_the_filters(client, db):
    starts = utcnow() + timedelta(days=3)
    month = starts.astimezone(UTC).strftime("%Y-%m")
    a = pf.ProgrammeFactory(title_en="AI day", theme=Theme.AI_DATA)
    b = pf.ProgrammeFactory(title_en="Fintech day", theme=Theme.FINTECH)
    for p in (a, b):
        pf.SessionFactory(programme=p, starts_at=starts)
    db.session.commit()
    page = _text(client.get(f"/programmes/calendar?month={month}&theme=fintech"))
    assert "Fintech day" in page and "AI day" not in page


# --- a programme's page ---------------------------------------------------------------------


def test_a_draft_is_not_found_for_anyone_but_its_organisers(client, db, world, login_as):
    draft = _programme(status=ProgrammeStatus.DRAFT, organiser_company=world.company_a)
    db.session.commit()
    assert client.get(f"/programmes/{draft.id}").status_code == 404
    login_as(world.student_a1)
    assert client.get(f"/programmes/{draft.id}").status_code == 404
    login_as(world.recruiter_b)
    assert client.get(f"/programmes/{draft.id}").status_code == 404
    login_as(world.recruiter_a)
    assert client.get(f"/programmes/{draft.id}").status_code == 200


def test_the_page_shows_the_description_in_the_readers_language(client, db):
    programme = _programme(description_en="In English.", description_zh="中文介紹。")
    db.session.commit()
    assert "In English." in _text(client.get(f"/programmes/{programme.id}"))
    chinese = client.get(f"/programmes/{programme.id}", headers={"Accept-Language": "zh-HK"})
    assert "中文介紹。" in _text(chinese)


def _json_ld(response) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', _text(response), re.S)
    return json.loads(match.group(1))


def test_the_page_carries_a_schema_org_event(client, db, world):
    programme = _programme(
        format=ProgrammeFormat.HYBRID, join_link=JOIN, organiser_company=world.company_a
    )
    db.session.commit()
    data = _json_ld(client.get(f"/programmes/{programme.id}"))
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert {place["@type"] for place in data["location"]} == {"Place", "VirtualLocation"}
    assert data["organizer"]["name"] == "Alpha Robotics"
    assert data["offers"]["availability"] == "https://schema.org/InStock"
    assert data["startDate"].endswith("Z")


def test_a_cancelled_programme_says_so_with_the_organisers_message(client, db):
    programme = _programme(
        status=ProgrammeStatus.CANCELLED,
        cancelled_at=utcnow(),
        cancellation_message="Moved to spring <b>2027</b>.",
    )
    db.session.commit()
    response = client.get(f"/programmes/{programme.id}")
    assert "Moved to spring &lt;b&gt;2027&lt;/b&gt;." in _text(response)
    assert _json_ld(response)["eventStatus"] == "https://schema.org/EventCancelled"


def test_the_page_costs_the_same_statements_for_1_and_8_sessions(client, db, world, login_as):
    login_as(world.student_a1)
    one = _programme(sessions=1)
    many = _programme(sessions=8)
    for session in many.sessions[:3]:
        pf.registration(world.student_a1, session)
    pf.registration(world.student_a1, one.sessions[0])
    small, _ = statements_of_request(client, f"/programmes/{one.id}")
    large, _ = statements_of_request(client, f"/programmes/{many.id}")
    assert len(large) == len(small), outline(large)


def test_a_themed_drive_shows_its_themes_programmes_companies_and_postings(client, db, world):
    drive = _programme(
        title_en="Microelectronics drive",
        kind=ProgrammeKind.THEMED_DRIVE,
        theme=Theme.MICROELECTRONICS,
    )
    _programme(title_en="Chip design workshop", theme=Theme.MICROELECTRONICS)
    _programme(title_en="Fintech meetup", theme=Theme.FINTECH)
    posting = PostingFactory(company=world.company_b, title="Chip verification intern")
    from foundry.postings.models import PostingTheme

    posting.themes.append(PostingTheme(theme=Theme.MICROELECTRONICS))
    PostingFactory(company=world.company_a, title="Payments engineer")
    db.session.commit()
    page = _text(client.get(f"/programmes/{drive.id}"))
    drive_part = page.split('id="drive-heading"')[1]
    assert "Chip design workshop" in drive_part and "Fintech meetup" not in drive_part
    assert "Beta Fintech" in drive_part and "Alpha Robotics" not in drive_part
    assert "Chip verification intern" in drive_part and "Payments engineer" not in drive_part


def test_a_student_who_is_not_eligible_is_told_why(client, db, world, login_as):
    programme = _programme(open_to_non_local=False)
    from tests.factories import profile_of

    profile_of(world.student_a1).non_local = True
    db.session.commit()
    login_as(world.student_a1)
    page = _text(client.get(f"/programmes/{programme.id}"))
    assert "Not open to non-local students." in page
    assert "register_for_session" not in page and "/register" not in page


def test_anonymous_visitors_are_asked_to_sign_in_to_register(client, db):
    programme = _programme()
    db.session.commit()
    page = _text(client.get(f"/programmes/{programme.id}"))
    assert "Sign in with your university account to register." in page
    assert "/register" not in page
    assert student  # imported for other tests' helpers


def test_the_organiser_filter_lists_those_with_programmes_to_come_and_the_chosen_one(
    client, db, world
):
    """At park scale every company that ever ran a programme would make a list of some
    1,800 names: the filter offers those with one still to come (any, with past ones)."""
    coming = pf.SessionFactory(programme=pf.ProgrammeFactory(organiser_company=world.company_a))
    past = pf.SessionFactory(
        programme=pf.ProgrammeFactory(organiser_company=world.company_b),
        starts_at=utcnow() - timedelta(days=30),
        ends_at=utcnow() - timedelta(days=30) + timedelta(hours=2),
    )
    db.session.commit()
    html = client.get("/programmes").get_data(as_text=True)
    assert f'value="company:{world.company_a.id}"' in html
    assert f'value="company:{world.company_b.id}"' not in html
    with_past = client.get("/programmes?past=1").get_data(as_text=True)
    assert f'value="company:{world.company_b.id}"' in with_past
    chosen = client.get(f"/programmes?organiser=company:{world.company_b.id}")
    assert f'value="company:{world.company_b.id}" selected' in chosen.get_data(as_text=True)
    assert coming.programme_id != past.programme_id
