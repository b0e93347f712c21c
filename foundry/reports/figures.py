"""The figure keys of the dashboard's lists (the `figure` URL parameter), parsed into a
FigureSpec, and the list's heading; drilldown.py fetches the rows behind a figure.

Figure keys:

- a stage: "active", "applied", "interviewed", "offered", "placed" -> one row per student
  counted in that figure (its total equals the figure), showing the student's first such
  event of the period and how many they had (`events`);
- "<dimension>:<value>" -> the applications submitted in the period in a breakdown row or
  month: "cluster:<cluster>", "company:<id>", "kind:<kind>", "programme:<id>|none",
  "month:<YYYY-MM>" (Hong Kong time), one row per application;
- "placed:<dimension>:<value>" -> the placements agreed in the period in that row or month,
  one row per placement.

Cluster, kind, company and programme may be "none": an employer outside the park, a
placement recorded without a kind, a student with no programme (applications always have
a park company and a kind, so their "none" lists are empty).

Anything else is refused with InvalidInput by parse_figure().
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.companies.models import Company
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.postings.labels import KIND_LABELS
from foundry.postings.models import PostingKind
from foundry.reports.filters import ReportScope
from foundry.reports.metrics import NONE_KEY, STAGES, none_label, stage_labels
from foundry.reports.parsing import MAX_ID
from foundry.reports.periods import format_month
from foundry.taxonomy import CLUSTER_LABELS, Cluster
from foundry.universities.models import Faculty, StudyProgramme

_ID = re.compile(r"[0-9]{1,10}", re.ASCII)
_MONTH = re.compile(r"(20[0-9]{2})-(0[1-9]|1[0-2])", re.ASCII)


@dataclass(frozen=True)
class FigureSpec:
    """A parsed figure key. side: "students" (a stage), "applications" or "placements"."""

    side: str
    stage: str | None = None
    dimension: str | None = None
    value: str | None = None

    @property
    def key(self) -> str:
        if self.side == "students":
            return self.stage
        prefix = "placed:" if self.side == "placements" else ""
        return f"{prefix}{self.dimension}:{self.value}"

    @property
    def date_kind(self) -> str:
        """What the rows' date is: active, submitted, interviewed, offered or placed."""
        if self.side == "students":
            return {"applied": "submitted"}.get(self.stage, self.stage)
        return "placed" if self.side == "placements" else "submitted"


def _figure_error() -> InvalidInput:
    return InvalidInput(_("Unknown figure."))


def parse_figure(key: str) -> FigureSpec:
    """The FigureSpec of a figure key (see the module docstring), or InvalidInput."""
    key = (key or "").strip()
    if key in STAGES:
        return FigureSpec(side="students", stage=key)
    side = "applications"
    if key.startswith("placed:"):
        side, key = "placements", key.removeprefix("placed:")
    dimension, _sep, value = key.partition(":")
    is_id = _ID.fullmatch(value) is not None and int(value) <= MAX_ID
    valid = {
        "cluster": value in {c.value for c in Cluster} or value == NONE_KEY,
        "kind": value in {k.value for k in PostingKind} or value == NONE_KEY,
        "company": is_id or value == NONE_KEY,
        "programme": is_id or value == NONE_KEY,
        "month": _MONTH.fullmatch(value) is not None,
    }
    if not valid.get(dimension):
        raise _figure_error()
    return FigureSpec(side=side, dimension=dimension, value=value)


def figure_title(figure: FigureSpec, scope: ReportScope) -> str:
    """A heading for the list, e.g. "Placed" or "Applications: Fintech"."""
    if figure.side == "students":
        return stage_labels()[figure.stage]
    if figure.value == NONE_KEY:
        detail = none_label(figure.dimension)
    elif figure.dimension == "cluster":
        detail = str(CLUSTER_LABELS[Cluster(figure.value)])
    elif figure.dimension == "kind":
        detail = str(KIND_LABELS[PostingKind(figure.value)])
    elif figure.dimension == "month":
        detail = format_month(figure.value)
    elif figure.dimension == "company":
        name = db.session.scalar(sa.select(Company.name).where(Company.id == int(figure.value)))
        detail = name or _("Unknown company")
    else:
        found = db.session.execute(
            sa.select(StudyProgramme.name_en, Faculty.id, Faculty.university_id)
            .join(Faculty, Faculty.id == StudyProgramme.faculty_id)
            .where(StudyProgramme.id == int(figure.value))
        ).first()
        # Another faculty's programme is named no more than an unknown one.
        visible = found is not None and scope.allows_faculty(*found[1:])
        detail = found[0] if visible else _("Unknown programme")
    what = _("Placements") if figure.side == "placements" else _("Applications")
    return f"{what}: {detail}"
