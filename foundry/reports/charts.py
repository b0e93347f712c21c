"""Geometry of the reports' charts, worked out here so the templates only draw.

Charts are server-rendered SVG and CSS: no JavaScript, readable without colour (values are
printed, series differ in dash and marker as well as colour) and each comes with its table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int
    label: str  # e.g. "Oct 2025"
    url: str | None = None


@dataclass(frozen=True)
class Series:
    key: str  # CSS hook: tf-series-<key>
    name: str
    points: list[Point]

    @property
    def path(self) -> str:
        return " ".join(
            f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points)
        )


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    sublabel: str = ""


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    series: list[Series]
    y_ticks: list[Tick]
    x_ticks: list[Tick]

    @property
    def empty(self) -> bool:
        return not any(p.value for s in self.series for p in s.points)


def nice_ceiling(peak: int, steps: int = 4) -> tuple[int, int]:
    """A round top for the y axis and its step: 57 -> (60, 15), 3 -> (4, 1), 0 -> (4, 1)."""
    if peak <= 0:
        return steps, 1
    raw = peak / steps
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw and float(step).is_integer():
            return int(step) * steps, int(step)
    return int(10 * magnitude) * steps, int(10 * magnitude)  # pragma: no cover


@dataclass(frozen=True)
class SeriesData:
    key: str
    name: str
    values: Sequence[int]
    urls: Sequence[str | None] = ()


def line_chart(
    months: Sequence[tuple[str, str]],
    series: Sequence[SeriesData],
    width: int = 560,
    height: int = 260,
    max_labels: int = 12,
) -> LineChart:
    """Place each series' monthly values on a shared scale.

    `months` are (label, year) pairs such as ("Oct", "2025"); the year is shown under the
    first month and each January. Long ranges label every second or third month."""
    left, right, top, bottom = 44.0, width - 20.0, 14.0, height - 44.0
    count = len(months)
    peak = max((v for s in series for v in s.values), default=0)
    ceiling, step = nice_ceiling(peak)

    def x_at(index: int) -> float:
        if count <= 1:
            return (left + right) / 2
        return left + (right - left) * index / (count - 1)

    def y_at(value: int) -> float:
        return bottom - (bottom - top) * value / ceiling

    label_every = max(1, math.ceil(count / max_labels))
    x_ticks = []
    for index, (label, year) in enumerate(months):
        if index % label_every:
            continue
        show_year = index == 0 or label_every > 1 or months[index - 1][1] != year
        x_ticks.append(Tick(x_at(index), label, year if show_year else ""))
    y_ticks = [Tick(y_at(v), f"{v:,}") for v in range(0, ceiling + 1, step)]
    placed = [
        Series(
            key=s.key,
            name=s.name,
            points=[
                Point(
                    x_at(i),
                    y_at(v),
                    v,
                    f"{months[i][0]} {months[i][1]}",
                    s.urls[i] if i < len(s.urls) else None,
                )
                for i, v in enumerate(s.values)
            ],
        )
        for s in series
    ]
    return LineChart(width, height, left, right, top, bottom, placed, y_ticks, x_ticks)


def share(part: int | None, whole: int | None) -> float | None:
    """part / whole as a fraction, or None when the whole is nothing."""
    if not whole or part is None:
        return None
    return part / whole


def bar_width(value: int | None, peak: int | None) -> int:
    """A bar's length in whole percents of the longest (1 at least when not zero): the
    template draws it with the width_class filter (tf-w-<percent> in foundry.css), as
    the Content-Security-Policy allows no style attribute."""
    if not value or not peak:
        return 0
    return max(1, min(100, round(100 * value / peak)))


def month_ticks(months: Sequence[str], chinese: bool) -> list[tuple[str, str]]:
    """ "2025-10" -> ("Oct", "2025") (or ("10月", "2025")) for the trend line's x axis."""
    ticks = []
    for month in months:
        year, number = int(month[:4]), int(month[5:7])
        label = f"{number}月" if chinese else date(year, number, 1).strftime("%b")
        ticks.append((label, str(year)))
    return ticks


# --- one sentence per chart, for readers who do not see it --------------------------------


def funnel_summary(stages) -> str:
    """ "Of 120 students who applied, 64 were interviewed, 30 got an offer and 22 were
    placed (18% of those who applied)." """
    counts = {stage.key: stage.count for stage in stages}
    applied = counts.get("applied", 0)
    if not applied:
        return _("No student applied in this period.")
    return _(
        "Of %(applied)d students who applied, %(interviewed)d were interviewed, "
        "%(offered)d got an offer and %(placed)d were placed (%(rate)s of those who applied).",
        applied=applied,
        interviewed=counts.get("interviewed", 0),
        offered=counts.get("offered", 0),
        placed=counts.get("placed", 0),
        rate=percent(share(counts.get("placed", 0), applied)),
    )


def change_sentence(what: str, before: int, now: int, before_label: str, now_label: str) -> str:
    """ "Placements rose from 41 in 2024/25 to 57 in 2025/26." """
    values = {"what": what, "before": before, "now": now, "then": before_label, "period": now_label}
    if now > before:
        return _("%(what)s rose from %(before)d in %(then)s to %(now)d in %(period)s.", **values)
    if now < before:
        return _("%(what)s fell from %(before)d in %(then)s to %(now)d in %(period)s.", **values)
    return _("%(what)s stayed at %(now)d, as in %(then)s.", **values)


def same_days_sentence(what: str, before: int, now: int) -> str:
    """ "Placements rose from 1 to 2." (after a sentence that says which days compare)."""
    values = {"what": what, "before": before, "now": now}
    if now > before:
        return _("%(what)s rose from %(before)d to %(now)d.", **values)
    if now < before:
        return _("%(what)s fell from %(before)d to %(now)d.", **values)
    return _("%(what)s stayed at %(now)d.", **values)


def trend_summary(trend, previous_trend, period) -> str:
    """How the period's totals compare with the period they are compared with (`period`
    is the dashboard's ReportFilter), and its busiest month. The year so far says first
    which days of the two years it compares: "1 Sep – 6 Dec, against the same days of
    2025/26. Placements rose from 1 to 2. ..." """
    placements = sum(p.placements for p in trend)
    applications = sum(p.applications for p in trend)
    before = period.previous()
    sentences = []
    if period.part_of_year:
        sentences.append(_("%(comparison)s.", comparison=period.comparison()))

    def sentence(what: str, previous: int, now: int) -> str:
        if period.part_of_year:
            return same_days_sentence(what, previous, now)
        return change_sentence(what, previous, now, before.label, period.label)

    sentences += [
        sentence(_("Placements"), sum(p.placements for p in previous_trend), placements),
        sentence(_("Applications"), sum(p.applications for p in previous_trend), applications),
    ]
    if applications:
        busiest = max(trend, key=lambda p: p.applications)
        sentences.append(
            _(
                "The most applications were sent in %(month)s (%(count)d).",
                month=busiest.label,
                count=busiest.applications,
            )
        )
    return " ".join(sentences)


def breakdown_summary(rows) -> str:
    """ "Most applications went to AI & robotics (45 of 120); most placements to Fintech
    (8 of 22)." """
    applications = sum(r.applications for r in rows)
    placements = sum(r.placements for r in rows)
    if not applications and not placements:
        return _("No applications or placements in this period.")
    parts = []
    if applications:
        top = max(rows, key=lambda r: r.applications)
        parts.append(
            _(
                "Most applications: %(label)s (%(count)d of %(total)d).",
                label=top.label,
                count=top.applications,
                total=applications,
            )
        )
    if placements:
        top = max(rows, key=lambda r: r.placements)
        parts.append(
            _(
                "Most placements: %(label)s (%(count)d of %(total)d).",
                label=top.label,
                count=top.placements,
                total=placements,
            )
        )
    return " ".join(parts)


def percent(fraction: float | None, digits: int = 0) -> str:
    """0.183 -> "18%" ("—" when there is no figure)."""
    if fraction is None:
        return "—"
    return f"{fraction * 100:.{digits}f}%"
