"""Finding postings: the search parameters, read and checked from a query string, and the
SQL that lists, counts and matches published postings on PostgreSQL and SQLite.

The same filters serve the search page, its per-kind counts and the alerts of saved
searches (alerts.py), so a saved search matches exactly what the page would list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination

from foundry.companies.models import Company
from foundry.eligibility.rules import approved_for_university, eligible_condition
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.i18n import lazy_gettext as _l
from foundry.postings.labels import KIND_LABELS, WORK_MODE_LABELS
from foundry.postings.loading import (
    card_loader_options,
    card_text_options,
    joined_company_options,
)
from foundry.postings.models import (
    SEARCH_VECTOR,
    PayPeriod,
    Posting,
    PostingKind,
    PostingStatus,
    PostingTheme,
    WorkMode,
)
from foundry.postings.search_index import (
    FTS_TABLE,
    SQLITE_TITLE_WEIGHT,
    TS_CONFIG,
    SearchTerms,
    chinese_tsquery,
    fts_match_string,
    search_terms,
)
from foundry.students.models import StudentProfile
from foundry.taxonomy import (
    CLUSTER_LABELS,
    PARK_LOCATION_LABELS,
    THEME_LABELS,
    Cluster,
    ParkLocation,
    Theme,
)

SORT_LABELS = {
    "relevance": _l("Relevance"),
    "newest": _l("Newest"),
    "closing": _l("Closing soonest"),
}

MAX_QUERY_LENGTH = 200
MAX_PAY = 10_000_000
# Hourly pay is compared with monthly pay at 40 hours a week: 40 × 52 / 12 ≈ 173 hours.
HOURS_PER_MONTH = 173
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
TRUE_VALUES = frozenset({"1", "on", "true", "yes", "y"})
FALSE_VALUES = frozenset({"", "0", "off", "false", "no", "n"})

FTS = sa.table(FTS_TABLE, sa.column("rowid"))


@dataclass(frozen=True)
class SearchParams:
    """A search as the student asked for it; `to_args()` gives it back as a query string."""

    q: str = ""
    kind: PostingKind | None = None
    cluster: Cluster | None = None
    location: ParkLocation | None = None
    mode: WorkMode | None = None
    theme: Theme | None = None
    pay_min: int | None = None
    start: date | None = None  # the first day of the month the role should start in
    past: bool = False  # include postings whose deadline has passed
    eligible: bool = False  # only postings the signed-in student may apply to
    sort: str = ""  # "" means relevance with keywords, newest without
    terms: SearchTerms = field(default=SearchTerms(), compare=False)  # what the index looks up

    @property
    def effective_sort(self) -> str:
        if self.sort in ("", "relevance"):
            return "relevance" if self.terms else "newest"
        return self.sort

    @property
    def active_filters(self) -> int:
        """How many filters (not keywords or sorting) narrow the list."""
        values = (self.kind, self.cluster, self.location, self.mode, self.theme)
        return (
            sum(v is not None for v in values)
            + (self.pay_min is not None)
            + (self.start is not None)
            + self.past
            + self.eligible
        )

    def to_args(self) -> dict[str, str]:
        """The non-default parameters as query-string values (what a saved search stores)."""
        args: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "terms" or value is None or value is False or value == "":
                continue
            if isinstance(value, bool):
                args[f.name] = "1"
            elif isinstance(value, date):
                args[f.name] = value.strftime("%Y-%m")
            elif hasattr(value, "value"):
                args[f.name] = value.value
            else:
                args[f.name] = str(value)
        return args


def _enum(enum_cls, raw: str | None, message: Callable[[str], str]):
    if not raw:
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        raise InvalidInput(message(raw[:40])) from None


def _flag(raw: str | None, label: str) -> bool:
    value = (raw or "").strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise InvalidInput(_("“%(name)s” must be on or off.", name=label))


def _pay(raw: str | None) -> int | None:
    value = (raw or "").strip().replace(",", "")
    if not value:
        return None
    try:
        amount = int(value)
    except ValueError:
        raise InvalidInput(
            _("The minimum pay must be a whole number of Hong Kong dollars.")
        ) from None
    if amount < 0:
        raise InvalidInput(_("The minimum pay cannot be negative."))
    if amount > MAX_PAY:
        raise InvalidInput(_("The minimum pay is higher than any posting offers."))
    return amount


def _month(raw: str | None) -> date | None:
    value = (raw or "").strip()
    if not value:
        return None
    match = MONTH_PATTERN.match(value)
    if not match or not (2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12):
        raise InvalidInput(_("The start month must be a year and month, like 2026-07."))
    return date(int(match[1]), int(match[2]), 1)


def parse_search_params(args: Mapping[str, str]) -> SearchParams:
    """Read and check a search from query-string values; bad values raise InvalidInput."""
    q = " ".join((args.get("q") or "").split())[:MAX_QUERY_LENGTH]
    sort = (args.get("sort") or "").strip()
    if sort and sort not in SORT_LABELS:
        raise InvalidInput(_("You cannot sort postings by “%(key)s”.", key=sort[:40]))
    return SearchParams(
        q=q,
        kind=_enum(
            PostingKind,
            args.get("kind"),
            lambda v: _("There is no kind of posting called “%(value)s”.", value=v),
        ),
        cluster=_enum(
            Cluster,
            args.get("cluster"),
            lambda v: _("There is no park cluster called “%(value)s”.", value=v),
        ),
        location=_enum(
            ParkLocation,
            args.get("location"),
            lambda v: _("There is no park location called “%(value)s”.", value=v),
        ),
        mode=_enum(
            WorkMode,
            args.get("mode"),
            lambda v: _("There is no work mode called “%(value)s”.", value=v),
        ),
        theme=_enum(
            Theme, args.get("theme"), lambda v: _("There is no theme called “%(value)s”.", value=v)
        ),
        pay_min=_pay(args.get("pay_min")),
        start=_month(args.get("start")),
        past=_flag(args.get("past"), _("Include postings past their deadline")),
        eligible=_flag(args.get("eligible"), _("Only postings I can apply to")),
        sort=sort,
        terms=search_terms(q),
    )


def describe(params: SearchParams) -> list[str]:
    """The search in words, one item per parameter, for lists of saved searches."""
    parts: list[str] = []
    if params.q:
        parts.append(_("“%(q)s”", q=params.q))
    for value, labels in (
        (params.kind, KIND_LABELS),
        (params.cluster, CLUSTER_LABELS),
        (params.location, PARK_LOCATION_LABELS),
        (params.mode, WORK_MODE_LABELS),
        (params.theme, THEME_LABELS),
    ):
        if value is not None:
            parts.append(str(labels[value]))
    if params.pay_min is not None:
        parts.append(_("at least HK$%(pay)s a month", pay=f"{params.pay_min:,}"))
    if params.start is not None:
        parts.append(_("starting %(month)s", month=params.start.strftime("%Y-%m")))
    if params.eligible:
        parts.append(_("only those I can apply to"))
    if params.past:
        parts.append(_("including postings past their deadline"))
    return parts or [_("All published postings")]


# --- SQL -------------------------------------------------------------------------------


def _dialect() -> str:
    return db.engine.dialect.name


def _tsquery(terms: SearchTerms):
    """The words through websearch_to_tsquery (its syntax kept: "phrases", -not, or), the
    Chinese words as phrases of their character pairs; all must match."""
    config = sa.literal_column(f"'{TS_CONFIG}'")
    parts = []
    if terms.words:
        parts.append(sa.func.websearch_to_tsquery(config, terms.text))
    if terms.chinese:
        parts.append(sa.func.to_tsquery(config, chinese_tsquery(terms)))
    query = parts[0]
    for part in parts[1:]:
        query = query.op("&&")(part)
    return query


def _monthly_pay():
    top = sa.func.coalesce(Posting.pay_max_hkd, Posting.pay_min_hkd)
    return sa.case(
        (Posting.pay_period == PayPeriod.HOUR, top * HOURS_PER_MONTH),
        (Posting.pay_period == PayPeriod.YEAR, top / 12),
        else_=top,
    )


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


# Written into the SQL rather than bound: the search indexes are partial on it (migration
# 0021), and a prepared statement's generic plan cannot use them for a parameter.
PUBLISHED = Posting.status == sa.literal(
    PostingStatus.PUBLISHED, Posting.status.type, literal_execute=True
)


def _keyword_search() -> bool:
    return _dialect() == "postgresql"


def _conditions(
    params: SearchParams, viewer: StudentProfile | None, now: datetime, *, with_kind: bool
) -> list:
    conditions: list = [PUBLISHED]
    keywords = bool(params.terms) and _keyword_search()
    if viewer is not None:
        conditions.append(approved_for_university(viewer.university))
        if params.eligible:
            conditions.append(eligible_condition(viewer))
    if not params.past and keywords:
        # With keywords, the deadline is tested on the rows the GIN index finds, and kept
        # out of the btree indexes' reach: the planner takes "published and before the
        # deadline" for ~100 rows (3,000 at park scale, migration 0014) and would read them
        # all by btree, testing the words on each row's TOASTed vector (10 ms for a
        # common word, against 1.7 through the index).
        conditions.append((Posting.deadline > now).is_(sa.true()))
    elif not params.past:
        conditions.append(Posting.deadline > now)
    if with_kind and params.kind is not None:
        conditions.append(Posting.kind == params.kind)
    if params.cluster is not None:
        conditions.append(Company.cluster == params.cluster)
    if params.location is not None:
        conditions.append(Company.park_location == params.location)
    if params.mode is not None:
        conditions.append(Posting.work_mode == params.mode)
    if params.theme is not None:
        conditions.append(Posting.themes.any(PostingTheme.theme == params.theme))
    if params.pay_min is not None:
        conditions.append(_monthly_pay() >= params.pay_min)
    if params.start is not None:
        conditions.append(Posting.start_date >= params.start)
        conditions.append(Posting.start_date < _next_month(params.start))
    if keywords:
        conditions.append(SEARCH_VECTOR.bool_op("@@")(_tsquery(params.terms)))
    return conditions


def filtered_select(
    columns: list,
    params: SearchParams,
    viewer: StudentProfile | None,
    now: datetime,
    *,
    with_kind: bool = True,
    with_company: bool = False,
) -> sa.Select:
    """SELECT `columns` from the published postings that match `params` for `viewer`.

    Postings are joined with their company when asked or when the cluster or location
    filters need it (every posting has one, so the join never changes what is found, but
    the planner, misjudging how many rows a common word matches, can repeat the index scan
    once per company), and, on SQLite with keywords, with the FTS5 table.
    """
    stmt = sa.select(*columns).select_from(Posting)
    if with_company or params.cluster is not None or params.location is not None:
        stmt = stmt.join(Company, Company.id == Posting.company_id)
    if params.terms and _dialect() != "postgresql":
        stmt = stmt.join(FTS, FTS.c.rowid == Posting.id).where(
            sa.literal_column(FTS_TABLE).op("MATCH")(fts_match_string(params.terms))
        )
    return stmt.where(*_conditions(params, viewer, now, with_kind=with_kind))


def _order(params: SearchParams) -> list:
    sort = params.effective_sort
    if sort == "closing":
        return [Posting.deadline.asc(), Posting.id.asc()]
    newest = [Posting.published_at.desc(), Posting.id.desc()]
    if sort == "relevance":
        if _keyword_search():
            # Title hits first, then newest. ts_rank would read every match's vector from
            # TOAST (1,332 open postings for `python`: 12 ms a page, against 0.1 ms for
            # the title hits through their index); among body hits, a word's frequency
            # favours long, repetitive descriptions more than it tells a student anything.
            return [Posting.id.in_(_title_hits(params.terms)).desc(), *newest]
        # bm25() is smaller for better matches; a title hit weighs more than a body hit.
        bm25 = sa.func.bm25(sa.literal_column(FTS_TABLE), SQLITE_TITLE_WEIGHT, 1.0)
        return [bm25.asc(), *newest]
    return newest


def _title_hits(terms: SearchTerms) -> sa.Select:
    """The ids of published postings whose title alone matches `terms` (PostgreSQL), read
    from ix_postings_search_title: one hashed lookup for the whole page."""
    title_vector = sa.func.to_tsvector(sa.literal_column(f"'{TS_CONFIG}'"), Posting.search_title)
    return sa.select(Posting.id).where(PUBLISHED, title_vector.bool_op("@@")(_tsquery(terms)))


def search_postings(
    params: SearchParams,
    viewer: StudentProfile | None,
    now: datetime,
    *,
    page: int,
    per_page: int,
    counts: Mapping[PostingKind, int] | None = None,
) -> Pagination:
    """One page of matching postings, with what their cards show loaded eagerly.

    Given the kind counts of the same search (kind_counts), the total is taken from them
    rather than counted again: counting the matches of a common word costs about as much
    as ranking them (bench/search_cjk.py)."""
    stmt = (
        filtered_select([Posting], params, viewer, now, with_company=True)
        # The viewer's university approved every posting found: _conditions keeps no other.
        .options(
            *joined_company_options(),
            *card_text_options(),
            *card_loader_options(viewer, approved=True),
        )
        .order_by(*_order(params))
    )
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=counts is None)
    if counts is not None:
        result.total = counts[params.kind] if params.kind is not None else sum(counts.values())
    return result


def kind_counts(
    params: SearchParams, viewer: StudentProfile | None, now: datetime
) -> dict[PostingKind, int]:
    """How many postings each kind would list with the other filters kept, in one query."""
    stmt = filtered_select(
        [Posting.kind, sa.func.count()], params, viewer, now, with_kind=False
    ).group_by(Posting.kind)
    counts = dict.fromkeys(PostingKind, 0)
    counts.update({kind: count for kind, count in db.session.execute(stmt)})
    return counts


def for_alerts(params: SearchParams) -> SearchParams:
    """What a saved search's alert matches: open postings the student may apply to."""
    return replace(params, past=False, eligible=True)
