"""What a company or an organiser writes about who may come: the data, its one validation,
and writing it onto a posting or a programme.

The validation raises the caller's own input error (`refuse(message, field)`, e.g.
PostingInputError or ProgrammeInputError), naming the form field it is about, so each
domain shows it where it shows its other refusals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.extensions import db
from foundry.universities.models import Faculty, StudyLevel, University

if TYPE_CHECKING:  # for the annotations only: the domains import this module, not it them
    from foundry.postings.models import Posting
    from foundry.programmes.models import Programme

# Graduation years a posting or a programme may name (the portal's students graduate in these).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100

Refuse = Callable[[str, str], Exception]


@dataclass(kw_only=True)
class Eligibility:
    """Who a posting or a programme is open to; empty lists mean open to all. PostingData
    and ProgrammeData extend it (keyword-only, so their own fields keep their order)."""

    university_ids: list[int] = field(default_factory=list)
    faculty_ids: list[int] = field(default_factory=list)
    levels: list[StudyLevel] = field(default_factory=list)
    graduation_year_from: int | None = None
    graduation_year_to: int | None = None
    open_to_non_local: bool = True


def graduation_year_problems(data: Eligibility) -> Iterator[tuple[str, str]]:
    """Every rule the graduation years break, as (form field, message): each year within
    2000–2100, and the first no later than the last."""
    in_range = True
    for name in ("graduation_year_from", "graduation_year_to"):
        year = getattr(data, name)
        if year is not None and not EARLIEST_YEAR <= year <= LATEST_YEAR:
            in_range = False
            yield name, _("Give graduation years between 2000 and 2100.")
    first, last = data.graduation_year_from, data.graduation_year_to
    if in_range and first is not None and last is not None and first > last:
        yield (
            "graduation_year_to",
            _("The first graduation year is after the last. Swap them or correct one."),
        )


def check_eligibility(data: Eligibility, refuse: Refuse) -> tuple[list[University], list[Faculty]]:
    """The universities and faculties `data` names, once every rule holds (the graduation
    years, universities and faculties from the list, each faculty of a chosen university);
    otherwise `refuse(message, field)` for the first rule broken."""
    for name, message in graduation_year_problems(data):
        raise refuse(message, name)
    universities = _rows_by_id(University, data.university_ids)
    faculties = _rows_by_id(Faculty, data.faculty_ids)
    if len(universities) != len(set(data.university_ids)):
        raise refuse(_("Choose universities from the list."), "university_ids")
    if len(faculties) != len(set(data.faculty_ids)):
        raise refuse(_("Choose faculties from the list."), "faculty_ids")
    chosen = {u.id for u in universities}
    if chosen and any(f.university_id not in chosen for f in faculties):
        raise refuse(
            _("Choose faculties of the universities you chose, or no university limit."),
            "faculty_ids",
        )
    return universities, faculties


def _rows_by_id(model, ids: list[int]) -> list:
    if not ids:
        return []
    return list(
        db.session.scalars(sa.select(model).where(model.id.in_(set(ids))).order_by(model.id))
    )


def apply_eligibility(
    owner: Posting | Programme,
    data: Eligibility,
    universities: list,
    faculties: list,
    level_row: type,
) -> None:
    """Write checked eligibility onto a posting or a programme. Its level rows (of class
    `level_row`) are kept where still wanted, so no row is deleted and inserted again with
    the same key in one flush."""
    owner.graduation_year_from = data.graduation_year_from
    owner.graduation_year_to = data.graduation_year_to
    owner.open_to_non_local = data.open_to_non_local
    owner.universities = universities
    owner.faculties = faculties
    wanted = list(dict.fromkeys(data.levels))
    for item in list(owner.levels):
        if item.level not in wanted:
            owner.levels.remove(item)
    have = set(owner.level_values)
    owner.levels.extend(level_row(level=level) for level in wanted if level not in have)
