"""The academic years a report offers run from the first one with an application or a
placement in the viewer's scope (read from the summaries) to the current one; sign-ins
alone do not open a year."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from foundry.extensions import db
from foundry.reports.periods import academic_year_of, hong_kong_today
from tests.reports.summaries.helpers import sign_in

YEAR_SELECT = re.compile(r'<select[^>]*name="year"[^>]*>(.*?)</select>', re.S)


def offered_years(client, path: str = "/reports/placements") -> list[int]:
    html = client.get(path).get_data(as_text=True)
    (options,) = YEAR_SELECT.findall(html)
    return [int(value) for value in re.findall(r'<option value="(\d{4})"', options)]


def since(first: int) -> list[int]:
    return list(range(academic_year_of(hong_kong_today()), first - 1, -1))


@pytest.mark.parametrize(
    ("viewer", "first"),
    [
        ("dean_a1", 2023),  # pl8, s11's placement of 1 June 2024
        ("dean_b1", 2025),  # f1, s7's application of 1 October 2025
        ("coordinator_a", 2023),
        ("park_admin", 2023),
    ],
)
def test_the_years_start_at_the_first_activity_in_scope(client, login_as, known, viewer, first):
    login_as(getattr(known, viewer))
    assert offered_years(client) == since(first)


def test_a_sign_in_alone_opens_no_year(client, login_as, known):
    # s6 (A2) applied in 2025/26; a sign-in of theirs in 2022 changes nothing.
    db.session.add(sign_in(known.s6.user_id, datetime(2022, 10, 1, tzinfo=UTC)))
    db.session.commit()
    login_as(known.officer_a2)
    assert offered_years(client) == since(2025)
