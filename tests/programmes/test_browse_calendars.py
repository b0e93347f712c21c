"""Calendar files and the personal feed, parsed with icalendar: times right in Hong Kong,
CONFERENCE (the portal's join redirect) only on a seat the student holds, the file only
for its student, and the feed only at its current secret address."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from foundry.programmes.models import ProgrammeFormat, RegistrationStatus
from tests.programmes import factories as pf

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
JOIN = "https://meet.example.com/secret-room"
WAITLISTED = RegistrationStatus.WAITLISTED
# 02:00 UTC on 3 March 2031 is 10:00 in Hong Kong.
STARTS = datetime(2031, 3, 3, 2, 0, tzinfo=UTC)


def _session(online=True, capacity=10):
    fields = {"format": ProgrammeFormat.HYBRID, "join_link": JOIN} if online else {}
    programme = pf.ProgrammeFactory(title_en="AI in Action career day", **fields)
    return pf.SessionFactory(
        programme=programme,
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=7),
        capacity=capacity,
    )


def _events(response):
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert JOIN not in response.get_data(as_text=True)
    return list(Calendar.from_ical(response.data).walk("VEVENT"))


def test_a_registrations_file_has_its_session_in_hong_kong_time(client, db, world, login_as):
    registration = pf.registration(world.student_a1, _session())
    login_as(world.student_a1)
    (event,) = _events(client.get(f"/programmes/registrations/{registration.id}.ics"))
    starts = event.decoded("dtstart").astimezone(HONG_KONG)
    ends = event.decoded("dtend").astimezone(HONG_KONG)
    assert (starts.day, starts.hour, starts.minute) == (3, 10, 0)
    assert (ends.hour, ends.minute) == (17, 0)
    assert str(event["summary"]) == "AI in Action career day"
    conference = event["conference"]
    assert str(conference).endswith(f"/programmes/{registration.session.programme_id}/join")
    assert conference.params["VALUE"] == "URI"


def test_no_conference_for_a_waitlist_place_or_an_in_person_programme(client, db, world, login_as):
    full = _session(capacity=1)
    pf.registration(world.student_a2, full)
    waiting = pf.registration(world.student_a1, full, WAITLISTED)
    in_person = pf.registration(world.student_a1, _session(online=False))
    login_as(world.student_a1)
    (event,) = _events(client.get(f"/programmes/registrations/{waiting.id}.ics"))
    assert "conference" not in event and str(event["status"]) == "TENTATIVE"
    (event,) = _events(client.get(f"/programmes/registrations/{in_person.id}.ics"))
    assert "conference" not in event and str(event["status"]) == "CONFIRMED"


def test_only_the_student_gets_their_registrations_file(client, db, world, login_as):
    registration = pf.registration(world.student_a1, _session())
    url = f"/programmes/registrations/{registration.id}.ics"
    assert client.get(url).status_code == 302  # anonymous: sign in first
    for other in (world.student_a1_other, world.recruiter_a, world.dean_a1):
        login_as(other)
        assert client.get(url).status_code == 403, other


def _feed_url(client) -> str:
    page = client.get("/me/programmes").get_data(as_text=True)
    match = re.search(
        r'id="feed-url" type="text" readonly value="[^"]*(/programmes/calendar/[^"]+\.ics)"', page
    )
    assert match, "no feed address on the page"
    return match.group(1)


def test_the_feed_lists_every_live_registration_without_a_session(
    app, client, db, world, login_as, post_form
):
    online = pf.registration(world.student_a1, _session())
    full = _session(capacity=1)
    pf.registration(world.student_a2, full)
    pf.registration(world.student_a1, full, WAITLISTED)
    pf.registration(world.student_a1, _session(), RegistrationStatus.CANCELLED)
    pf.registration(world.student_a2, _session())  # someone else's
    login_as(world.student_a1)
    assert post_form("/me/programmes/calendar-feed", form_page="/me/programmes").status_code == 303
    url = _feed_url(client)
    events = _events(app.test_client().get(url))  # a calendar app: no cookie
    assert len(events) == 2
    with_conference = [e for e in events if "conference" in e]
    assert len(with_conference) == 1
    assert f"/programmes/{online.session.programme_id}/join" in str(
        with_conference[0]["conference"]
    )


def test_a_new_feed_address_revokes_the_old_one(app, client, db, world, login_as, post_form):
    pf.registration(world.student_a1, _session())
    login_as(world.student_a1)
    post_form("/me/programmes/calendar-feed", form_page="/me/programmes")
    old = _feed_url(client)
    post_form("/me/programmes/calendar-feed", form_page="/me/programmes")
    new = _feed_url(client)
    visitor = app.test_client()
    assert old != new
    assert visitor.get(old).status_code == 404
    assert visitor.get(new).status_code == 200


def test_a_wrong_feed_token_is_not_found(app, db):
    visitor = app.test_client()
    assert visitor.get("/programmes/calendar/not-a-real-token.ics").status_code == 404
    assert visitor.get(f"/programmes/calendar/{'x' * 300}.ics").status_code == 404


def test_only_a_student_makes_a_feed(client, db, world, login_as, post_form):
    login_as(world.recruiter_a)
    assert post_form("/me/programmes/calendar-feed", form_page="/programmes").status_code == 403
