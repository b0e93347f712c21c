"""What each report export holds: its columns and its rows, for the streamed writers of
foundry.reports.exports. Lists keep the engine's iterators as they are (rows are made one
at a time); the dashboard's figures are a few hundred rows at most."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from foundry.applications.labels import STATUS_LABELS
from foundry.applications.models import ApplicationStatus
from foundry.i18n import lazy_gettext as _l
from foundry.placements.models import PlacementCompletion, PlacementSource
from foundry.postings.labels import KIND_LABELS
from foundry.reports.drilldown import DrilldownRow
from foundry.reports.exports import Column, Description, Export, safe_filename
from foundry.reports.figures import FigureSpec
from foundry.reports.filters import ReportFilter
from foundry.reports.metrics import Dashboard
from foundry.reports.outcomes import OutcomeRow, OutcomeSummary
from foundry.students.labels import STUDY_LEVEL_LABELS

COMPLETION_LABELS = {
    PlacementCompletion.ONGOING: _l("Ongoing"),
    PlacementCompletion.COMPLETED: _l("Completed"),
    PlacementCompletion.ENDED_EARLY: _l("Ended early"),
}
SOURCE_LABELS = {
    PlacementSource.PORTAL: _l("Talent Foundry"),
    PlacementSource.RECORDED: _l("Recorded by staff"),
}
# Stage lists have a row per student with their first event; the others a row per event.
FIRST_DATE_HEADERS = {
    "active": _l("First active (HKT)"),
    "submitted": _l("First application (HKT)"),
    "interviewed": _l("First interview (HKT)"),
    "offered": _l("First offer (HKT)"),
    "placed": _l("First placement (HKT)"),
}
DATE_HEADERS = {"submitted": _l("Submitted (HKT)"), "placed": _l("Placed (HKT)")}


def status_label(status) -> str:
    if isinstance(status, ApplicationStatus):
        return str(STATUS_LABELS[status])
    if isinstance(status, PlacementCompletion):
        return str(COMPLETION_LABELS[status])
    return ""


def dashboard_rows(d: Dashboard) -> list[tuple]:
    """Every figure of the dashboard as (section, figure, unit, value, previous, change).

    Rates are in percent with one decimal (the page rounds them to whole percents). The
    first row says which periods are compared, to the day."""
    students = _("students")
    rows: list[tuple] = [(_("Periods compared"), d.filter.comparison(), None, None, None, None)]

    def add(section, label, unit, value, previous):
        change = None if value is None or previous is None else value - previous
        rows.append((section, label, unit, value, previous, change))

    def pct(value):
        return None if value is None else round(value * 100, 1)

    figures = _("Figures")
    for stage in d.funnel:
        add(figures, stage.label, students, stage.count, stage.previous)
    add(
        figures,
        _("Placement rate"),
        "%",
        pct(d.placement_rate.value),
        pct(d.placement_rate.previous),
    )
    add(
        figures,
        _("Median days from first application to placement"),
        _("days"),
        d.median_days_to_placement.value,
        d.median_days_to_placement.previous,
    )
    funnel = _("Funnel: conversion from the stage before")
    for stage in d.funnel[1:]:
        add(funnel, stage.label, "%", pct(stage.conversion), pct(stage.previous_conversion))
    for section, breakdown in (
        (_("By company cluster"), d.by_cluster),
        (_("Top companies"), d.top_companies),
        (_("By posting kind"), d.by_kind),
        (_("By programme of study"), d.by_programme),
    ):
        for row in breakdown:
            add(section, row.label, _("applications"), row.applications, row.applications_previous)
            add(section, row.label, _("placements"), row.placements, row.placements_previous)
    trend = _("Month by month")
    previous = d.previous_trend
    for index, point in enumerate(d.trend):
        before = previous[index] if index < len(previous) else None
        add(
            trend,
            point.label,
            _("applications"),
            point.applications,
            before and before.applications,
        )
        add(trend, point.label, _("placements"), point.placements, before and before.placements)
    return rows


def period_header(f: ReportFilter) -> str:
    """A period's column: its label and its days, "2026/27 to 6 Dec (2026-09-01 – 2026-12-06)"."""
    return f"{f.label} ({f.first_day.isoformat()} – {f.last_day.isoformat()})"


def dashboard_export(d: Dashboard, description: Description) -> Export:
    columns = [
        Column(_("Section"), width=30),
        Column(_("Figure"), width=44),
        Column(_("Unit"), width=13),
        Column(period_header(d.filter), "decimal", 14),
        Column(period_header(d.previous_filter), "decimal", 14),
        Column(_("Change"), "decimal", 12),
    ]
    return Export(
        columns=columns,
        rows=dashboard_rows(d),
        filename=safe_filename("placements", *description.codes),
        title=_("Placements: %(scope)s", scope=description.text),
        sheet=_("Placements"),
    )


def drilldown_export(
    figure: FigureSpec, title: str, rows: Iterable[DrilldownRow], description: Description
) -> Export:
    headers = FIRST_DATE_HEADERS if figure.side == "students" else DATE_HEADERS
    columns = [
        Column(_("Student"), width=26),
        Column(_("E-mail"), width=30),
        Column(_("Programme"), width=30),
        Column(_("Level"), width=14),
        Column(_("Graduation year"), "int", 11),
        Column(_("Company or employer"), width=28),
        Column(_("Posting or role"), width=30),
        Column(_("Kind"), width=20),
        Column(_("Status"), width=14),
        Column(_("Source"), width=18),
        Column(str(headers[figure.date_kind]), "datetime", 17),
    ]
    if figure.side == "students":
        columns.append(Column(_("Times in the period"), "int", 10))

    def cells(row: DrilldownRow) -> tuple:
        values = (
            row.student_name,
            row.email,
            row.programme,
            str(STUDY_LEVEL_LABELS[row.study_level]),
            row.graduation_year,
            row.company,
            row.posting_title,
            str(KIND_LABELS[row.kind]) if row.kind else None,
            status_label(row.status),
            str(SOURCE_LABELS[row.source]) if row.source else None,
            row.date,
        )
        return (*values, row.events) if figure.side == "students" else values

    return Export(
        columns=columns,
        rows=(cells(row) for row in rows),
        filename=safe_filename("placements", figure.key, *description.codes),
        title=f"{title}: {description.text}",
        sheet=title,
    )


def outcomes_export(summary: OutcomeSummary, description: Description) -> Export:
    """The NACE table: each outcome with its count and share, then the totals and rates."""
    rows: list[tuple] = [(r.label, r.count, r.share) for r in summary.rows]
    rows += [
        (_("Graduates"), summary.graduates, None),
        (_("Known outcomes"), summary.known, summary.knowledge_rate),
        (
            _("Career outcomes (rate of known, not seeking left out)"),
            summary.career_outcomes,
            summary.career_outcomes_rate,
        ),
        (_("Found outside the portal"), summary.recorded_off_portal, None),
    ]
    return Export(
        columns=[
            Column(_("Outcome"), width=48),
            Column(_("Graduates"), "int", 12),
            Column(_("Share"), "percent", 10),
        ],
        rows=rows,
        filename=safe_filename("outcomes", *description.codes),
        title=_("Graduate outcomes: %(scope)s", scope=description.text),
        sheet=_("Outcomes"),
    )


def outcome_rows_export(rows: Iterable[OutcomeRow], title: str, description: Description) -> Export:
    columns = [
        Column(_("Graduate"), width=26),
        Column(_("E-mail"), width=30),
        Column(_("Programme"), width=30),
        Column(_("Level"), width=14),
        Column(_("Graduation year"), "int", 11),
        Column(_("Outcome"), width=24),
        Column(_("Employer"), width=28),
        Column(_("Role"), width=26),
        Column(_("Institution"), width=26),
        Column(_("Found outside the portal"), width=12),
        Column(_("Source"), width=36),
        Column(_("Recorded (HKT)"), "datetime", 17),
    ]

    def cells(row: OutcomeRow) -> tuple:
        return (
            row.student_name,
            row.email,
            row.programme,
            str(STUDY_LEVEL_LABELS[row.study_level]),
            row.graduation_year,
            row.outcome_label,
            row.employer,
            row.role,
            row.institution,
            _("Yes") if row.off_portal else _("No"),
            row.source,
            row.recorded_at,
        )

    return Export(
        columns=columns,
        rows=(cells(row) for row in rows),
        filename=safe_filename("outcomes", *description.codes),
        title=f"{title}: {description.text}",
        sheet=title,
    )
