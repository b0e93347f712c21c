"""The students, applications and placements behind each figure of the dashboard, paged
for the screen and streamed for exports, never outside the viewer's scope.

The figure keys (the `figure` URL parameter) and their parsing are in figures.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.applications.models import Application, ApplicationStatus
from foundry.audit.models import AuditEvent
from foundry.companies.models import Company
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.messages import SIGN_IN
from foundry.placements.models import Placement, PlacementCompletion, PlacementSource
from foundry.postings.models import Posting, PostingKind
from foundry.reports.figures import FigureSpec
from foundry.reports.filters import ReportFilter, ReportScope, student_conditions
from foundry.reports.metrics import (
    NONE_KEY,
    STAGES,
    Dashboard,
    stage_labels,
)
from foundry.reports.periods import month_bounds
from foundry.reports.sql import in_cohort, page_with_total
from foundry.students.models import StudentProfile
from foundry.taxonomy import Cluster
from foundry.universities.models import StudyLevel, StudyProgramme

DIMENSIONS = ("cluster", "company", "kind", "programme", "month")
MAX_PER_PAGE = 200
STREAM_BATCH = 500

NULL_ID = sa.cast(sa.null(), sa.Integer)


@dataclass(frozen=True)
class DrilldownRow:
    """One student, application or placement behind a figure."""

    profile_id: int
    user_id: int
    student_name: str
    email: str
    programme: str | None
    programme_id: int | None
    graduation_year: int
    study_level: StudyLevel
    company: str | None  # the park company, or the employer named on a recorded placement
    company_id: int | None
    posting_title: str | None  # the posting, or the role title of a recorded placement
    posting_id: int | None
    kind: PostingKind | None
    status: ApplicationStatus | PlacementCompletion | None
    date: datetime  # submitted, interviewed, offered, placed or first active (date_kind)
    source: PlacementSource | None  # placements only: portal or recorded
    application_id: int | None
    placement_id: int | None
    events: int = 1  # stage lists: how many such events the student had in the period


# --- the events behind a figure --------------------------------------------------------


def _events(figure: FigureSpec, f: ReportFilter, scope: ReportScope):
    """(profile_id, at, application_id, placement_id) of every event behind the figure."""
    application_events = {
        "applied": Application.submitted_at,
        "interviewed": Application.interviewed_at,
        "offered": Application.offered_at,
    }
    start, end = f.start, f.end
    if figure.dimension == "month":
        month_start, month_end = month_bounds(figure.value)
        start, end = max(start, month_start), min(end, month_end)

    def applications(at, *where):
        return sa.select(
            Application.profile_id.label("profile_id"),
            at.label("at"),
            Application.id.label("application_id"),
            NULL_ID.label("placement_id"),
        ).where(at >= start, at < end, in_cohort(Application.profile_id, f, scope), *where)

    def placements(*where):
        return sa.select(
            Placement.profile_id.label("profile_id"),
            Placement.placed_at.label("at"),
            NULL_ID.label("application_id"),
            Placement.id.label("placement_id"),
        ).where(
            Placement.placed_at >= start,
            Placement.placed_at < end,
            in_cohort(Placement.profile_id, f, scope),
            *where,
        )

    if figure.side == "students":
        if figure.stage in application_events:
            return applications(application_events[figure.stage])
        if figure.stage == "placed":
            return placements()
        sign_ins = (
            sa.select(
                StudentProfile.id,
                AuditEvent.occurred_at,
                NULL_ID,
                NULL_ID,
            )
            .join(StudentProfile, StudentProfile.user_id == AuditEvent.actor_id)
            .where(
                AuditEvent.action == SIGN_IN,
                AuditEvent.occurred_at >= start,
                AuditEvent.occurred_at < end,
                *student_conditions(f, scope),
            )
        )
        return sa.union_all(applications(Application.submitted_at), sign_ins)

    value = figure.value
    if figure.side == "applications":
        if value == NONE_KEY and figure.dimension != "programme":
            # every application is to a park company's posting, which has a kind
            return applications(Application.submitted_at, sa.false())
        where = {
            "cluster": lambda: Application.company_id.in_(
                sa.select(Company.id).where(Company.cluster == Cluster(value))
            ),
            "company": lambda: Application.company_id == int(value),
            "kind": lambda: Application.posting_id.in_(
                sa.select(Posting.id).where(Posting.kind == PostingKind(value))
            ),
            "programme": lambda: _programme_is(Application.profile_id, value),
            "month": lambda: sa.true(),
        }[figure.dimension]()
        return applications(Application.submitted_at, where)
    if value == NONE_KEY and figure.dimension in ("cluster", "company"):
        where = Placement.company_id.is_(None)
    else:
        where = {
            "cluster": lambda: Placement.company_id.in_(
                sa.select(Company.id).where(Company.cluster == Cluster(value))
            ),
            "company": lambda: Placement.company_id == int(value),
            "kind": lambda: (
                Placement.kind.is_(None)
                if value == NONE_KEY
                else Placement.kind == PostingKind(value)
            ),
            "programme": lambda: _programme_is(Placement.profile_id, value),
            "month": lambda: sa.true(),
        }[figure.dimension]()
    return placements(where)


def _programme_is(profile_id, value: str):
    programme = (
        StudentProfile.programme_id.is_(None)
        if value == NONE_KEY
        else StudentProfile.programme_id == int(value)
    )
    return profile_id.in_(sa.select(StudentProfile.id).where(programme))


def _ranked(figure: FigureSpec, f: ReportFilter, scope: ReportScope):
    """The events, one per student for stage figures (their first, with their count)."""
    events = _events(figure, f, scope).subquery("events")
    if figure.side != "students":
        return events, sa.literal_column("1")
    order = (events.c.at, events.c.application_id, events.c.placement_id)
    ranked = sa.select(
        events,
        sa.func.row_number().over(partition_by=events.c.profile_id, order_by=order).label("rank"),
        sa.func.count().over(partition_by=events.c.profile_id).label("events"),
    ).subquery("ranked")
    first = sa.select(ranked).where(ranked.c.rank == 1).subquery("first_events")
    return first, first.c.events


# --- rows --------------------------------------------------------------------------------

# Sort keys of the lists ("-" in front for descending), given the events subquery.
SORTS = {
    "name": lambda events: sa.func.lower(User.display_name),
    "email": lambda events: User.email,
    "programme": lambda events: StudyProgramme.name_en,
    "graduation": lambda events: StudentProfile.graduation_year,
    "level": lambda events: StudentProfile.study_level,
    "company": lambda events: sa.func.lower(_company_name()),
    "posting": lambda events: sa.func.lower(_posting_title()),
    "kind": lambda events: _kind(),
    "status": lambda events: sa.func.coalesce(
        sa.type_coerce(Placement.completion, sa.String),
        sa.type_coerce(Application.status, sa.String),
    ),
    "date": lambda events: events.c.at,
}
DEFAULT_SORT = "name"


def _company_name():
    return sa.func.coalesce(Company.name, Placement.employer_name)


def _posting_title():
    return sa.func.coalesce(Posting.title, Placement.role_title)


def _kind():
    return sa.func.coalesce(
        sa.type_coerce(Placement.kind, sa.String), sa.type_coerce(Posting.kind, sa.String)
    )


def _statement(figure: FigureSpec, f: ReportFilter, scope: ReportScope, sort: str):
    events, count = _ranked(figure, f, scope)
    company_id = sa.func.coalesce(Application.company_id, Placement.company_id)
    posting_id = sa.func.coalesce(Application.posting_id, Placement.posting_id)
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in SORTS:
        raise InvalidInput(_("Unknown sort order."))
    column = SORTS[key](events)
    ordering = [column.desc() if descending else column.asc()]
    return (
        sa.select(
            StudentProfile.id.label("profile_id"),
            User.id.label("user_id"),
            User.display_name.label("student_name"),
            User.email.label("email"),
            StudyProgramme.name_en.label("programme"),
            StudentProfile.programme_id.label("programme_id"),
            StudentProfile.graduation_year,
            StudentProfile.study_level,
            _company_name().label("company"),
            company_id.label("company_id"),
            _posting_title().label("posting_title"),
            posting_id.label("posting_id"),
            sa.type_coerce(_kind(), Placement.kind.type).label("kind"),
            Application.status.label("application_status"),
            Placement.completion.label("completion"),
            events.c.at.label("at"),
            Placement.source.label("source"),
            events.c.application_id,
            events.c.placement_id,
            count.label("events"),
        )
        .select_from(events)
        .join(StudentProfile, StudentProfile.id == events.c.profile_id)
        .join(User, User.id == StudentProfile.user_id)
        .outerjoin(StudyProgramme, StudyProgramme.id == StudentProfile.programme_id)
        .outerjoin(Application, Application.id == events.c.application_id)
        .outerjoin(Placement, Placement.id == events.c.placement_id)
        .outerjoin(Posting, Posting.id == posting_id)
        .outerjoin(Company, Company.id == company_id)
        .where(*student_conditions(f, scope))
        .order_by(
            *ordering,
            sa.func.lower(User.display_name),
            StudentProfile.id,
            events.c.at,
            events.c.application_id,
            events.c.placement_id,
        )
    )


def _row(r) -> DrilldownRow:
    return DrilldownRow(
        profile_id=r.profile_id,
        user_id=r.user_id,
        student_name=r.student_name,
        email=r.email,
        programme=r.programme,
        programme_id=r.programme_id,
        graduation_year=r.graduation_year,
        study_level=r.study_level,
        company=r.company,
        company_id=r.company_id,
        posting_title=r.posting_title,
        posting_id=r.posting_id,
        kind=r.kind,
        status=r.completion if r.placement_id is not None else r.application_status,
        date=r.at,
        source=r.source,
        application_id=r.application_id,
        placement_id=r.placement_id,
        events=int(r.events),
    )


def drilldown_page(
    figure: FigureSpec,
    f: ReportFilter,
    scope: ReportScope,
    sort: str = DEFAULT_SORT,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[DrilldownRow], int]:
    """One page of the rows behind `figure` and their total, within `scope` and the
    filter's cohort. `sort` is a key of SORTS, "-" in front for descending; an unknown one
    raises InvalidInput. One statement (two for a page past the end)."""
    statement = _statement(figure, f, scope, sort)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    rows, total = page_with_total(statement, max(1, page), per_page)
    return [_row(r) for r in rows], total


def iter_drilldown(
    figure: FigureSpec, f: ReportFilter, scope: ReportScope, sort: str = DEFAULT_SORT
) -> Iterator[DrilldownRow]:
    """Every row behind `figure`, streamed in batches from a server-side cursor, for
    exports: memory stays flat however many rows there are."""
    result = db.session.execute(
        _statement(figure, f, scope, sort).execution_options(yield_per=STREAM_BATCH)
    )
    try:
        for r in result:
            yield _row(r)
    finally:
        result.close()


# --- the figures themselves, as a table ---------------------------------------------------


def dashboard_table_rows(d: Dashboard) -> list[tuple[str, str, int | float | None, object]]:
    """(section, label, value, previous) for every figure of the dashboard, for exports.
    Rates are fractions (0.25 for 25 %), the median is in days."""
    figures = _("Figures")
    labels = stage_labels()
    rows: list[tuple[str, str, int | float | None, object]] = [
        (figures, labels[key], d.figure(key).value, d.figure(key).previous) for key in STAGES
    ]
    rows.append((figures, _("Placement rate"), d.placement_rate.value, d.placement_rate.previous))
    rows.append(
        (
            figures,
            _("Median days from first application to placement"),
            d.median_days_to_placement.value,
            d.median_days_to_placement.previous,
        )
    )
    funnel = _("Funnel: conversion from the stage before")
    rows.extend(
        (funnel, stage.label, stage.conversion, stage.previous_conversion) for stage in d.funnel[1:]
    )
    for section, breakdown in (
        (_("By company cluster"), d.by_cluster),
        (_("Top companies"), d.top_companies),
        (_("By posting kind"), d.by_kind),
        (_("By programme of study"), d.by_programme),
    ):
        for row in breakdown:
            rows.append(
                (
                    section,
                    _("%(label)s: applications", label=row.label),
                    row.applications,
                    row.applications_previous,
                )
            )
            rows.append(
                (
                    section,
                    _("%(label)s: placements", label=row.label),
                    row.placements,
                    row.placements_previous,
                )
            )
    trend = _("Month by month")
    previous = d.previous_trend
    for index, point in enumerate(d.trend):
        before = previous[index] if index < len(previous) else None
        rows.append(
            (
                trend,
                _("%(month)s: applications", month=point.label),
                point.applications,
                before.applications if before else None,
            )
        )
        rows.append(
            (
                trend,
                _("%(month)s: placements", month=point.label),
                point.placements,
                before.placements if before else None,
            )
        )
    return rows
