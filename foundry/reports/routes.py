"""Placement reports: the dashboard, the lists behind its figures, graduate outcomes and
their CSV and Excel exports, each within the viewer's scope.

The figures come from the engine (metrics, drilldown, outcomes); these views parse the
request, ask the policy, and hand the results to templates or to the streamed exports.
"""

from __future__ import annotations

import functools
from urllib.parse import quote_plus

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_sqlalchemy.pagination import Pagination
from markupsafe import Markup

from foundry import policy
from foundry.audit.services import record
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.postings.labels import KIND_LABELS
from foundry.reports import cache, charts
from foundry.reports.drilldown import DEFAULT_SORT, SORTS, drilldown_page, iter_drilldown
from foundry.reports.export_tables import (
    dashboard_export,
    drilldown_export,
    outcome_rows_export,
    outcomes_export,
    status_label,
)
from foundry.reports.exports import FORMATS, export_response
from foundry.reports.figures import figure_title, parse_figure
from foundry.reports.filters import ReportFilter, ReportScope
from foundry.reports.forms import (
    describe,
    filter_form,
    outcome_class_choices,
    parse_class_year,
    period_args,
)
from foundry.reports.metrics import RAW_ROWS, source_for
from foundry.reports.metrics import dashboard as build_dashboard
from foundry.reports.outcomes import (
    OUTCOME_KEYS,
    OUTCOME_LABELS,
    OUTCOME_SORTS,
    graduate_outcomes,
    iter_outcome_rows,
    outcome_rows,
)
from foundry.reports.parsing import parse_filter
from foundry.reports.periods import hong_kong_today
from foundry.universities.models import Faculty, University
from foundry.web import on_refusal, page_from_request, require, sorting_from_request

bp = Blueprint("reports", __name__, url_prefix="/reports")

PER_PAGE = 50


class ListPage(Pagination):
    """A page of rows the engine already fetched, for the pagination macro."""

    def __init__(self, items: list, total: int, page: int, per_page: int):
        self._items, self._total = items, total
        super().__init__(page=page, per_page=per_page, max_per_page=None, error_out=False)

    def _query_items(self) -> list:
        return self._items

    def _query_count(self) -> int:
        return self._total


def _locale() -> str:
    return str(get_locale())


def _scope() -> ReportScope:
    require("reports.view")
    return policy.report_scope(current_user)


def _parse(scope: ReportScope) -> ReportFilter:
    return parse_filter(period_args(request.args), scope, hong_kong_today())


def _cohort_args(f: ReportFilter) -> dict[str, str]:
    """The filter's cohort without its period (graduate outcomes take a class instead)."""
    args = f.query_args()
    for period in ("year", "from", "to", "grad"):
        args.pop(period, None)
    return args


# How url_for encodes a query value (werkzeug.urls._urlencode): a figure key put in the
# place of FIGURE_MARK is the very URL url_for gives.
FIGURE_MARK = "FIGURE"
QUERY_SAFE = "!$'()*,/:;?@"


def _drill_url(f: ReportFilter):
    """figure key -> the list behind it, with the same filters. Each figure is linked from
    its chart and from the chart's table, so each URL is built once; and from one URL
    built by url_for, where only the figure changes (a park admin's page links some 300
    figures: url_for for each was a fifth of the page's time)."""
    url = url_for("reports.drilldown", figure=FIGURE_MARK, **f.query_args())
    head, tail = url.split(FIGURE_MARK, 1)
    return functools.cache(lambda key: head + quote_plus(key, safe=QUERY_SAFE) + tail)


def _audit_object(f: ReportFilter, scope: ReportScope):
    """What an export is about: the faculty or university it covers, when it is one."""
    faculty_id = f.faculty_id or (
        next(iter(scope.faculty_ids)) if scope.faculty_ids and len(scope.faculty_ids) == 1 else None
    )
    if faculty_id is not None:
        return db.session.get(Faculty, faculty_id)
    university_id = f.university_id or (
        next(iter(scope.university_ids))
        if scope.university_ids and len(scope.university_ids) == 1
        else None
    )
    if university_id is not None:
        return db.session.get(University, university_id)
    return "placement_report"


def _audited_export(export, fmt: str, f: ReportFilter, scope: ReportScope, **details):
    """Audit the export, then stream it. The event records the request (what was asked
    for); the request's commit writes it before the first byte leaves (the body streams
    after the response is returned): a download cut short still leaves its trace, and no
    export ever leaves without one (a failed commit answers with an error instead)."""
    record(
        current_user,
        "report.exported",
        _audit_object(f, scope),
        {"title": export.title, "format": fmt.upper()},
        format=fmt,
        filters=f.query_args(),
        **details,
    )
    return export_response(export, fmt)


def _export_args() -> dict[str, str]:
    """The list's parameters for its export links (every row, so no page)."""
    args = request.args.to_dict()
    args.pop("page", None)
    return args


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        abort(404)


# --- the dashboard ---------------------------------------------------------------------


def _trend_charts(board, locale: str) -> list[tuple[str, charts.LineChart]]:
    """The trend line drawn twice: wide for tablets and up, narrow (bigger text, fewer
    month labels) for phones; CSS shows one."""
    months = charts.month_ticks([p.month for p in board.trend], locale.startswith("zh"))
    series = [
        charts.SeriesData("applications", _("Applications"), [p.applications for p in board.trend]),
        charts.SeriesData("placements", _("Placements"), [p.placements for p in board.trend]),
    ]
    return [
        ("wide", charts.line_chart(months, series)),
        ("narrow", charts.line_chart(months, series, width=340, height=260, max_labels=6)),
    ]


def _figures(f: ReportFilter, scope: ReportScope, locale: str, today) -> Markup:
    """The dashboard's figures and charts, rendered once per scope, filter, language and day
    between two changes to what they count (foundry.reports.cache.page_part)."""

    def render() -> str:
        board = build_dashboard(f, scope)
        return render_template(
            "reports/_board.html",
            board=board,
            drill=_drill_url(f),
            drill_before=_drill_url(board.previous_filter),
            charts=charts,
            trend_charts=_trend_charts(board, locale),
        )

    from_raw_rows = source_for(f) is RAW_ROWS
    return cache.page_part(
        "board", f, scope, render, locale, today.isoformat(), from_raw_rows=from_raw_rows
    )


@bp.get("/placements")
@login_required
def dashboard():
    scope = _scope()
    locale, today = _locale(), hong_kong_today()
    args = period_args(request.args)
    with on_refusal(
        lambda error: (
            render_template(
                "reports/dashboard.html",
                form=filter_form(scope, args, None, today, locale, error),
                report_filter=None,
            ),
            400,
        ),
        catching=InvalidInput,
    ):
        f = parse_filter(args, scope, today)
    return render_template(
        "reports/dashboard.html",
        form=filter_form(scope, args, f, today, locale),
        report_filter=f,
        figures=_figures(f, scope, locale, today),
        description=describe(f, scope, locale, f.label),
        outcomes_url=url_for("reports.outcomes", **_cohort_args(f)),
    )


@bp.get("/placements/export.<fmt>")
@login_required
def dashboard_download(fmt: str):
    scope = _scope()
    _check_format(fmt)
    f = _parse(scope)
    board = build_dashboard(f, scope)
    export = dashboard_export(board, describe(f, scope, _locale(), f.label))
    return _audited_export(export, fmt, f, scope, figure="dashboard")


# --- the list behind a figure ------------------------------------------------------------


def _drilldown_request(scope: ReportScope):
    f = _parse(scope)
    figure = parse_figure(request.args.get("figure", ""))
    sorting = sorting_from_request(SORTS, DEFAULT_SORT)
    return f, figure, sorting


@bp.get("/placements/list")
@login_required
def drilldown():
    scope = _scope()
    f, figure, sorting = _drilldown_request(scope)
    page_number = page_from_request()
    rows, total = drilldown_page(figure, f, scope, sorting.param, page_number, PER_PAGE)
    locale = _locale()
    return render_template(
        "reports/drilldown.html",
        figure=figure,
        title=figure_title(figure, scope),
        f=f,
        description=describe(f, scope, locale, f.label),
        page=ListPage(rows, total, page_number, PER_PAGE),
        sorting=sorting,
        dashboard_url=url_for("reports.dashboard", **f.query_args()),
        export_args=_export_args(),
        KIND_LABELS=KIND_LABELS,
        status_label=status_label,
    )


@bp.get("/placements/list/export.<fmt>")
@login_required
def drilldown_download(fmt: str):
    scope = _scope()
    _check_format(fmt)
    f, figure, sorting = _drilldown_request(scope)
    title = figure_title(figure, scope)
    export = drilldown_export(
        figure,
        title,
        iter_drilldown(figure, f, scope, sorting.param),
        describe(f, scope, _locale(), f.label),
    )
    return _audited_export(export, fmt, f, scope, figure=figure.key)


# --- graduate outcomes -------------------------------------------------------------------


def _outcomes_request(scope: ReportScope):
    today = hong_kong_today()
    class_year = parse_class_year(request.args.get("class"), today)
    # The period plays no part in outcomes; the cohort filters do.
    cohort = {k: v for k, v in period_args(request.args).items() if k not in ("year", "from", "to")}
    f = parse_filter(cohort, scope, today)
    return class_year, f


def _class_words(class_year: int) -> str:
    return _("Class of %(year)d", year=class_year)


@bp.get("/outcomes")
@login_required
def outcomes():
    scope = _scope()
    locale, today = _locale(), hong_kong_today()
    with on_refusal(
        lambda error: (
            render_template(
                "reports/outcomes.html",
                form=filter_form(scope, dict(request.args), None, today, locale, error),
                summary=None,
                classes=outcome_class_choices(scope, today, None),
            ),
            400,
        ),
        catching=InvalidInput,
    ):
        class_year, f = _outcomes_request(scope)
    summary = graduate_outcomes(class_year, f, scope)
    args = {**_cohort_args(f), "class": str(class_year)}
    return render_template(
        "reports/outcomes.html",
        form=filter_form(scope, dict(request.args), f, today, locale),
        summary=summary,
        class_year=class_year,
        classes=outcome_class_choices(scope, today, class_year),
        description=describe(f, scope, locale, _class_words(class_year)),
        list_args=args,
        outcome_bars=[
            (row.label, row.count, url_for("reports.outcome_list", outcome=row.key, **args))
            for row in summary.rows
        ],
        charts=charts,
    )


@bp.get("/outcomes/export.<fmt>")
@login_required
def outcomes_download(fmt: str):
    scope = _scope()
    _check_format(fmt)
    class_year, f = _outcomes_request(scope)
    summary = graduate_outcomes(class_year, f, scope)
    export = outcomes_export(summary, describe(f, scope, _locale(), _class_words(class_year)))
    return _audited_export(export, fmt, f, scope, figure="outcomes", class_year=class_year)


def _outcome_list_request(scope: ReportScope):
    class_year, f = _outcomes_request(scope)
    outcome = request.args.get("outcome") or None
    if outcome is not None and outcome not in OUTCOME_KEYS:
        raise InvalidInput(_("Unknown outcome."))
    sorting = sorting_from_request(dict.fromkeys(OUTCOME_SORTS), "name")
    return class_year, f, outcome, sorting


def _outcome_title(class_year: int, outcome: str | None) -> str:
    if outcome is None:
        return _("Graduates of %(year)d", year=class_year)
    return _("Graduates of %(year)d: %(outcome)s", year=class_year, outcome=OUTCOME_LABELS[outcome])


@bp.get("/outcomes/list")
@login_required
def outcome_list():
    scope = _scope()
    class_year, f, outcome, sorting = _outcome_list_request(scope)
    page_number = page_from_request()
    rows, total = outcome_rows(class_year, f, scope, outcome, sorting.param, page_number, PER_PAGE)
    args = {**_cohort_args(f), "class": str(class_year)}
    return render_template(
        "reports/outcome_list.html",
        title=_outcome_title(class_year, outcome),
        outcome=outcome,
        class_year=class_year,
        description=describe(f, scope, _locale(), _class_words(class_year)),
        page=ListPage(rows, total, page_number, PER_PAGE),
        sorting=sorting,
        outcomes_url=url_for("reports.outcomes", **args),
        export_args=_export_args(),
    )


@bp.get("/outcomes/list/export.<fmt>")
@login_required
def outcome_list_download(fmt: str):
    scope = _scope()
    _check_format(fmt)
    class_year, f, outcome, sorting = _outcome_list_request(scope)
    title = _outcome_title(class_year, outcome)
    export = outcome_rows_export(
        iter_outcome_rows(class_year, f, scope, outcome, sorting.param),
        title,
        describe(f, scope, _locale(), _class_words(class_year)),
    )
    return _audited_export(
        export, fmt, f, scope, figure=f"outcome:{outcome or 'all'}", class_year=class_year
    )
