"""The programme list's organiser filter: the faculties and companies with a programme to
show, the same for every visitor of a language (foundry/programmes/browse.py holds the
list's other filters and its queries)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from foundry.companies.models import Company
from foundry.extensions import db
from foundry.programmes.browse import Filters
from foundry.programmes.models import Programme, ProgrammeSession, ProgrammeStatus
from foundry.reports import cache
from foundry.universities.models import Faculty, University

# The organisers' list reads every programme's sessions (4,000 of 5,000 programmes at park
# scale, 7 ms a list page) to offer the same names to every visitor: it goes through the
# shared cache in a topic of its own, moved by programmes, their sessions' times and the
# organisers' names, not by registrations. An entry lives at most ENTRY_SECONDS (10
# minutes), so an organiser whose last programme has just ended may be offered that long.
TOPIC = "programme-organisers"
cache.watch(Programme, University, topic=TOPIC)
cache.watch(Faculty, columns=frozenset({"name_en", "name_zh", "university_id"}), topic=TOPIC)
cache.watch(Company, columns=frozenset({"name"}), topic=TOPIC)
cache.watch(
    ProgrammeSession, columns=frozenset({"programme_id", "starts_at", "ends_at"}), topic=TOPIC
)


def organiser_choices(locale: str, filters: Filters, now: datetime) -> list[tuple[str, str]]:
    """(value, name) of every faculty and company with a programme to show: one still to
    come (or any, when past programmes are included), and the organiser already chosen.
    At park scale a list of every company that ever ran a programme would be some 1,800
    names long, to read and to send with every list page."""
    return cache.figures(
        "programme-organisers",
        [locale, filters.past, filters.organiser],
        lambda: _organiser_choices(locale, filters, now),
        lambda choices: [list(choice) for choice in choices],
        lambda value: [tuple(choice) for choice in value],
        topic=TOPIC,
    )


def _organiser_choices(locale: str, filters: Filters, now: datetime) -> list[tuple[str, str]]:
    shown = Programme.status != ProgrammeStatus.DRAFT
    if not filters.past:
        shown &= Programme.id.in_(
            sa.select(ProgrammeSession.programme_id).where(ProgrammeSession.ends_at > now)
        )
    chosen_kind, _sep, chosen_id = filters.organiser.partition(":")
    chosen = int(chosen_id) if chosen_id.isdigit() else None
    faculties = db.session.execute(
        sa.select(Faculty.id, University.code, Faculty.name_en, Faculty.name_zh)
        .join(University, University.id == Faculty.university_id)
        .where(
            Faculty.id.in_(sa.select(Programme.organiser_faculty_id).where(shown))
            | (Faculty.id == (chosen if chosen_kind == "faculty" else None))
        )
        .order_by(Faculty.name_en, Faculty.id)
    ).all()
    companies = db.session.execute(
        sa.select(Company.id, Company.name)
        .where(
            Company.id.in_(sa.select(Programme.organiser_company_id).where(shown))
            | (Company.id == (chosen if chosen_kind == "company" else None))
        )
        .order_by(Company.name, Company.id)
    ).all()
    chinese = locale.startswith("zh")
    return [
        *(
            (
                f"faculty:{row.id}",
                f"{row.code} · {row.name_zh if chinese and row.name_zh else row.name_en}",
            )
            for row in faculties
        ),
        *((f"company:{row.id}", row.name) for row in companies),
    ]
