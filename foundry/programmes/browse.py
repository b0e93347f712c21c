"""Finding programmes: the filters of the public list and the month calendar, read from a
query string, and the read-only queries behind both, the programme page and the places
left in each session.

Every page asks a fixed number of statements whatever its size: the programmes of a page,
their sessions in one more, and the places of all those sessions in one grouped count.
A filter value that means nothing (an unknown theme, a date that is not a date) is left
out and said so on the page, rather than refused: a link that lost a character still
shows programmes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased, lazyload, selectinload

from foundry.extensions import db
from foundry.programmes.models import (
    LIVE_STATUSES,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeSession,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
)
from foundry.taxonomy import Theme

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
DAY_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
ORGANISER_PATTERN = re.compile(r"^(park|faculty:\d{1,9}|company:\d{1,9})$")
SORTS = ("soonest", "newest", "title")
# A month of the park's calendar holds a few hundred sessions; more is not a calendar.
MAX_CALENDAR_SESSIONS = 600


@dataclass(frozen=True)
class Filters:
    """What the visitor asked the list or the calendar for; `to_args()` gives it back."""

    q: str = ""
    theme: Theme | None = None
    kind: ProgrammeKind | None = None
    format: ProgrammeFormat | None = None
    date_from: date | None = None
    date_to: date | None = None
    organiser: str = ""  # "park", "faculty:<id>" or "company:<id>"
    past: bool = False  # include programmes whose sessions have all ended
    sort: str = "soonest"

    def to_args(self) -> dict[str, str]:
        args: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, "", False) or (f.name == "sort" and value == "soonest"):
                continue
            if isinstance(value, Theme | ProgrammeKind | ProgrammeFormat):
                args[f.name] = value.value
            elif isinstance(value, date):
                args[f.name] = value.isoformat()
            elif value is True:
                args[f.name] = "1"
            else:
                args[f.name] = str(value)
        return args

    @property
    def active(self) -> int:
        """How many filters (not words or sorting) narrow the list."""
        values = (self.theme, self.kind, self.format, self.date_from, self.date_to)
        return sum(v is not None for v in values) + bool(self.organiser) + self.past


@dataclass
class Parsed:
    filters: Filters
    ignored: list[str] = field(default_factory=list)  # a sentence per value left out


def _enum(enum_cls, raw: str | None, ignored: list[str], message: str):
    if not raw:
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        ignored.append(message % {"value": raw[:40]})
        return None


def _day(raw: str | None, ignored: list[str]) -> date | None:
    value = (raw or "").strip()
    if not value:
        return None
    match = DAY_PATTERN.match(value)
    try:
        if not match or not 2000 <= int(match[1]) <= 2100:
            raise ValueError
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        ignored.append(_("“%(value)s” is not a date like 2027-03-15: left out.", value=value[:40]))
        return None


def parse_filters(args: Mapping[str, str]) -> Parsed:
    """Read the filters from query-string values, leaving out (and naming) bad ones."""
    ignored: list[str] = []
    q = " ".join((args.get("q") or "").split())[:MAX_QUERY_LENGTH]
    organiser = (args.get("organiser") or "").strip()
    if organiser and not ORGANISER_PATTERN.match(organiser):
        ignored.append(_("There is no organiser “%(value)s”: left out.", value=organiser[:40]))
        organiser = ""
    sort = (args.get("sort") or "soonest").strip()
    if sort not in SORTS:
        ignored.append(_("Programmes cannot be sorted by “%(value)s”.", value=sort[:40]))
        sort = "soonest"
    date_from, date_to = _day(args.get("date_from"), ignored), _day(args.get("date_to"), ignored)
    if date_from and date_to and date_to < date_from:
        ignored.append(_("The end of the date range was before its start: the two were swapped."))
        date_from, date_to = date_to, date_from
    filters = Filters(
        q=q,
        theme=_enum(Theme, args.get("theme"), ignored, _("There is no theme “%(value)s”.")),
        kind=_enum(
            ProgrammeKind,
            args.get("kind"),
            ignored,
            _("There is no kind of programme “%(value)s”."),
        ),
        format=_enum(
            ProgrammeFormat, args.get("format"), ignored, _("There is no format “%(value)s”.")
        ),
        date_from=date_from,
        date_to=date_to,
        organiser=organiser,
        past=(args.get("past") or "").strip().lower() in ("1", "on", "yes", "true"),
        sort=sort,
    )
    return Parsed(filters, ignored)


def parse_month(raw: str | None, today: date) -> tuple[date, str | None]:
    """The first day of the month asked for (YYYY-MM), or of this month with a sentence
    saying why the one asked for was not shown."""
    value = (raw or "").strip()
    if not value:
        return today.replace(day=1), None
    match = MONTH_PATTERN.match(value)
    if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1), None
    return today.replace(day=1), _(
        "“%(value)s” is not a month like 2027-03: this month is shown instead.", value=value[:40]
    )


def hk_day_start(day: date) -> datetime:
    """Midnight at the start of `day` in Hong Kong, as UTC."""
    return datetime.combine(day, time(), HONG_KONG).astimezone(UTC)


def next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


# --- the list ---------------------------------------------------------------------------------


def _words(q: str) -> list[str]:
    return q.split()[:MAX_WORDS]


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(filters: Filters, now: datetime) -> list:
    """WHERE conditions over Programme for everything but the dates of sessions."""
    where: list = [Programme.status != ProgrammeStatus.DRAFT]
    for word in _words(filters.q):
        pattern = _like(word)
        where.append(
            sa.or_(
                *(
                    column.ilike(pattern, escape="\\")
                    for column in (
                        Programme.title_en,
                        Programme.title_zh,
                        Programme.description_en,
                        Programme.description_zh,
                    )
                )
            )
        )
    if filters.theme is not None:
        where.append(Programme.theme == filters.theme)
    if filters.kind is not None:
        where.append(Programme.kind == filters.kind)
    if filters.format is not None:
        where.append(Programme.format == filters.format)
    if filters.organiser == "park":
        where += [
            Programme.organiser_company_id.is_(None),
            Programme.organiser_faculty_id.is_(None),
        ]
    elif filters.organiser.startswith("faculty:"):
        where.append(Programme.organiser_faculty_id == int(filters.organiser.split(":")[1]))
    elif filters.organiser.startswith("company:"):
        where.append(Programme.organiser_company_id == int(filters.organiser.split(":")[1]))
    # Aliased: the calendar's own query selects sessions too.
    inner = aliased(ProgrammeSession)
    sessions = sa.select(inner.id).where(inner.programme_id == Programme.id)
    if filters.date_from is not None:
        sessions = sessions.where(inner.ends_at > hk_day_start(filters.date_from))
    if filters.date_to is not None:
        end = hk_day_start(filters.date_to + timedelta(days=1))
        sessions = sessions.where(inner.starts_at < end)
    if not filters.past and filters.date_from is None:
        sessions = sessions.where(inner.ends_at > now)
    where.append(sessions.exists())
    return where


def _order(filters: Filters, now: datetime) -> list:
    if filters.sort == "newest":
        return [Programme.published_at.desc(), Programme.id.desc()]
    if filters.sort == "title":
        return [sa.func.lower(Programme.title_en), Programme.id]
    # Upcoming first: by the start of the next session not yet ended; past ones after.
    next_start = (
        sa.select(sa.func.min(ProgrammeSession.starts_at))
        .where(ProgrammeSession.programme_id == Programme.id, ProgrammeSession.ends_at > now)
        .scalar_subquery()
    )
    last_start = (
        sa.select(sa.func.max(ProgrammeSession.starts_at))
        .where(ProgrammeSession.programme_id == Programme.id)
        .scalar_subquery()
    )
    return [
        sa.case((next_start.is_(None), 1), else_=0),
        next_start.asc(),
        last_start.desc(),
        Programme.id,
    ]


def card_options() -> list:
    # Cards show no eligibility: the lists of universities, faculties and levels stay unread.
    return [
        lazyload(Programme.universities),
        lazyload(Programme.faculties),
        lazyload(Programme.levels),
        selectinload(Programme.sessions),
    ]


def find_programmes(filters: Filters, now: datetime, *, page: int, per_page: int):
    """One page of the programmes matching `filters`, with their sessions loaded."""
    stmt = (
        sa.select(Programme)
        .where(*_conditions(filters, now))
        .options(*card_options())
        .order_by(*_order(filters, now))
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


# --- the calendar -----------------------------------------------------------------------------


def sessions_in_month(filters: Filters, first: date) -> list[ProgrammeSession]:
    """The sessions starting in the Hong Kong month of `first` of programmes matching
    `filters` (their dates aside: the month is the range), in time order."""
    month_filters = replace(filters, date_from=None, date_to=None, past=True)
    start, end = hk_day_start(first), hk_day_start(next_month(first))
    return list(
        db.session.scalars(
            sa.select(ProgrammeSession)
            .join(ProgrammeSession.programme)
            .where(
                *_conditions(month_filters, start),
                ProgrammeSession.starts_at >= start,
                ProgrammeSession.starts_at < end,
            )
            .options(
                sa.orm.contains_eager(ProgrammeSession.programme).options(
                    lazyload(Programme.universities),
                    lazyload(Programme.faculties),
                    lazyload(Programme.levels),
                    lazyload(Programme.sessions),
                )
            )
            .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
            .limit(MAX_CALENDAR_SESSIONS)
        ).unique()
    )


# --- places ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    """A session's registered and waiting students, and what a newcomer would get."""

    capacity: int
    registered: int
    waiting: int
    waitlist_enabled: bool

    @property
    def seats_left(self) -> int:
        # The waitlist counts against availability: while anyone waits, no seat is free.
        return 0 if self.waiting else max(0, self.capacity - self.registered)


def places_of(sessions: Iterable[ProgrammeSession]) -> dict[int, Places]:
    """{session id: Places} for all `sessions` in one grouped count."""
    sessions = list(sessions)
    counts: dict[int, dict[RegistrationStatus, int]] = {s.id: {} for s in sessions}
    if sessions:
        rows = db.session.execute(
            sa.select(Registration.session_id, Registration.status, sa.func.count())
            .where(
                Registration.session_id.in_([s.id for s in sessions]),
                Registration.status.in_(LIVE_STATUSES),
            )
            .group_by(Registration.session_id, Registration.status)
        )
        for session_id, status, number in rows:
            counts[session_id][status] = number
    return {
        s.id: Places(
            capacity=s.capacity,
            registered=counts[s.id].get(RegistrationStatus.REGISTERED, 0),
            waiting=counts[s.id].get(RegistrationStatus.WAITLISTED, 0),
            waitlist_enabled=s.waitlist_enabled,
        )
        for s in sessions
    }


def availability(programme: Programme, places: Mapping[int, Places], now: datetime) -> str:
    """What a card says of a programme's places: "cancelled", "ended", "closed" (the
    window), "seats", "waitlist" or "full"."""
    upcoming = [s for s in programme.sessions if s.starts_at > now]
    if programme.status is ProgrammeStatus.CANCELLED:
        return "cancelled"
    if not upcoming:
        return "ended"
    if not programme.registration_is_open(now):
        return "closed"
    if any(places[s.id].seats_left for s in upcoming):
        return "seats"
    if any(s.waitlist_enabled for s in upcoming):
        return "waitlist"
    return "full"


def seats_left(programme: Programme, places: Mapping[int, Places], now: datetime) -> int:
    return sum(places[s.id].seats_left for s in programme.sessions if s.starts_at > now)


def next_session(programme: Programme, now: datetime) -> ProgrammeSession | None:
    """The first session not yet ended, else the last one."""
    upcoming = [s for s in programme.sessions if s.ends_at > now]
    if upcoming:
        return upcoming[0]
    return programme.sessions[-1] if programme.sessions else None
