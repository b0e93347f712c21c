"""Graduate outcomes of a graduating class in the NACE first-destination form.

The outcome of each graduate (a student whose graduation_year is the class year, in the
viewer's scope and the filter's cohort; the filter's period plays no part):

1. an outcome recorded by staff (GraduateOutcome) wins, whatever the placements say;
2. otherwise a placement decides, made on the portal or recorded by staff: a graduate
   role or research assistant post -> employed full-time; an internship (summer,
   part-time or year-long) starting on or after 1 July of the graduation year ->
   post-graduate internship (an employed-full-time placement is preferred over an
   internship, then the earliest agreed);
3. otherwise: no information.

knowledge rate = known / graduates (known: every outcome but "no information");
career-outcomes rate = (employed full-time, part-time, self-employed, post-graduate
internship, continuing education) / (known - not seeking). Both are None when their
denominator is 0. An outcome recorded by staff, or decided by a placement staff recorded,
counts as found outside the portal (`recorded_off_portal`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.companies.models import Company
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.i18n import lazy_gettext as _l
from foundry.placements.models import (
    CAREER_OUTCOMES,
    GraduateOutcome,
    Outcome,
    Placement,
    PlacementSource,
)
from foundry.postings.models import Posting, PostingKind
from foundry.reports.filters import ReportFilter, ReportScope, student_conditions
from foundry.reports.sql import page_with_total
from foundry.students.models import StudentProfile
from foundry.universities.models import StudyLevel, StudyProgramme

NO_INFORMATION = "no_information"
OUTCOME_KEYS = (*(o.value for o in Outcome), NO_INFORMATION)
FULL_TIME_KINDS = (PostingKind.GRADUATE_ROLE, PostingKind.RESEARCH_ASSISTANT)
INTERNSHIP_KINDS = (
    PostingKind.SUMMER_INTERNSHIP,
    PostingKind.PART_TIME_INTERNSHIP,
    PostingKind.YEAR_LONG_PLACEMENT,
)
MAX_PER_PAGE = 200
STREAM_BATCH = 500

OUTCOME_LABELS = {
    Outcome.EMPLOYED_FULL_TIME.value: _l("Employed full-time"),
    Outcome.EMPLOYED_PART_TIME.value: _l("Employed part-time"),
    Outcome.SELF_EMPLOYED.value: _l("Self-employed"),
    Outcome.POSTGRAD_INTERNSHIP.value: _l("Post-graduate internship"),
    Outcome.CONTINUING_EDUCATION.value: _l("Continuing education"),
    Outcome.SEEKING.value: _l("Still seeking"),
    Outcome.NOT_SEEKING.value: _l("Not seeking"),
    NO_INFORMATION: _l("No information"),
}


@dataclass(frozen=True)
class OutcomeCount:
    key: str  # an Outcome value or "no_information"
    label: str
    count: int
    share: float | None  # of the graduates


@dataclass(frozen=True)
class OutcomeSummary:
    class_year: int
    counts: dict[str, int]  # every key of OUTCOME_KEYS
    graduates: int
    known: int
    knowledge_rate: float | None
    career_outcomes: int
    career_outcomes_rate: float | None
    recorded_off_portal: int

    @property
    def rows(self) -> list[OutcomeCount]:
        """Each outcome in NACE order with its count and share of the graduates."""
        return [
            OutcomeCount(
                key,
                str(OUTCOME_LABELS[key]),
                self.counts[key],
                self.counts[key] / self.graduates if self.graduates else None,
            )
            for key in OUTCOME_KEYS
        ]


def class_year_for(f: ReportFilter) -> int:
    """The graduating class a period reports on: the one graduating at the end of the
    academic year (2026 for 2025/26), or in the year the range ends."""
    if f.academic_year is not None:
        return f.academic_year + 1
    return f.last_day.year


def _graduates(class_year: int, f: ReportFilter, scope: ReportScope):
    """Per graduate: profile_id, outcome (key), the deciding placement and whether the
    outcome was found outside the portal."""
    july_first = date(class_year, 7, 1)
    decides = sa.or_(
        Placement.kind.in_(FULL_TIME_KINDS),
        sa.and_(Placement.kind.in_(INTERNSHIP_KINDS), Placement.start_date >= july_first),
    )
    deciding_placement = (
        sa.select(Placement.id)
        .where(Placement.profile_id == StudentProfile.id, decides)
        .order_by(
            sa.case((Placement.kind.in_(FULL_TIME_KINDS), 0), else_=1),
            Placement.placed_at,
            Placement.id,
        )
        .limit(1)
        .scalar_subquery()
    )
    cohort = dataclasses.replace(f, graduation_year=None)
    candidates = (
        sa.select(
            StudentProfile.id.label("profile_id"),
            GraduateOutcome.id.label("recorded_id"),
            sa.type_coerce(GraduateOutcome.outcome, sa.String).label("recorded_outcome"),
            deciding_placement.label("placement_id"),
        )
        .outerjoin(GraduateOutcome, GraduateOutcome.profile_id == StudentProfile.id)
        .where(
            StudentProfile.graduation_year == class_year,
            *student_conditions(cohort, scope),
        )
        .subquery("candidates")
    )
    deciding = sa.orm.aliased(Placement, name="deciding")
    outcome = sa.case(
        (candidates.c.recorded_id.is_not(None), candidates.c.recorded_outcome),
        (deciding.kind.in_(FULL_TIME_KINDS), Outcome.EMPLOYED_FULL_TIME.value),
        (deciding.id.is_not(None), Outcome.POSTGRAD_INTERNSHIP.value),
        else_=NO_INFORMATION,
    )
    off_portal = sa.case(
        (candidates.c.recorded_id.is_not(None), 1),
        (deciding.source == PlacementSource.RECORDED, 1),
        else_=0,
    )
    return (
        sa.select(
            candidates.c.profile_id,
            candidates.c.recorded_id,
            deciding.id.label("placement_id"),
            outcome.label("outcome"),
            off_portal.label("off_portal"),
        )
        .select_from(candidates)
        .outerjoin(deciding, deciding.id == candidates.c.placement_id)
        .subquery("graduates")
    )


def graduate_outcomes(class_year: int, f: ReportFilter, scope: ReportScope) -> OutcomeSummary:
    """Counts per outcome and the two rates for the class of `class_year` (see the module
    docstring for the rule). One statement."""
    graduates = _graduates(class_year, f, scope)
    rows = db.session.execute(
        sa.select(
            graduates.c.outcome, sa.func.count(), sa.func.sum(graduates.c.off_portal)
        ).group_by(graduates.c.outcome)
    ).all()
    counts = dict.fromkeys(OUTCOME_KEYS, 0)
    recorded = 0
    for key, count, off_portal in rows:
        counts[key] = int(count)
        recorded += int(off_portal or 0)
    total = sum(counts.values())
    known = total - counts[NO_INFORMATION]
    career = sum(counts[o.value] for o in CAREER_OUTCOMES)
    seeking_work = known - counts[Outcome.NOT_SEEKING.value]
    return OutcomeSummary(
        class_year=class_year,
        counts=counts,
        graduates=total,
        known=known,
        knowledge_rate=known / total if total else None,
        career_outcomes=career,
        career_outcomes_rate=career / seeking_work if seeking_work else None,
        recorded_off_portal=recorded,
    )


# --- the graduates behind the counts ------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    profile_id: int
    user_id: int
    student_name: str
    email: str
    programme: str | None
    programme_id: int | None
    graduation_year: int
    study_level: StudyLevel
    outcome: str  # an Outcome value or "no_information"
    outcome_label: str
    employer: str | None
    role: str | None  # the job title, or the placement's role or posting
    institution: str | None  # continuing education
    source: str | None  # "portal placement", "recorded by staff (found via ...)", ...
    off_portal: bool
    found_via: str | None
    recorded_at: datetime | None
    placement_id: int | None


# Sort keys of the graduates' list ("-" in front for descending).
OUTCOME_SORTS = ("name", "email", "programme", "level", "outcome", "employer")


def _rows_statement(
    class_year: int, f: ReportFilter, scope: ReportScope, outcome_key: str | None, sort: str
):
    if outcome_key is not None and outcome_key not in OUTCOME_KEYS:
        raise InvalidInput(_("Unknown outcome."))
    key = sort.removeprefix("-")
    if key not in OUTCOME_SORTS:
        raise InvalidInput(_("Unknown sort order."))
    graduates = _graduates(class_year, f, scope)
    placement = sa.orm.aliased(Placement, name="placement")
    placement_company = sa.orm.aliased(Company, name="placement_company")
    recorded_company = sa.orm.aliased(Company, name="recorded_company")
    placement_posting = sa.orm.aliased(Posting, name="placement_posting")
    employer = sa.func.coalesce(
        GraduateOutcome.employer_name,
        recorded_company.name,
        placement_company.name,
        placement.employer_name,
    )
    column = {
        "name": sa.func.lower(User.display_name),
        "email": User.email,
        "programme": StudyProgramme.name_en,
        "level": StudentProfile.study_level,
        "outcome": graduates.c.outcome,
        "employer": sa.func.lower(employer),
    }[key]
    statement = (
        sa.select(
            StudentProfile.id.label("profile_id"),
            User.id.label("user_id"),
            User.display_name.label("student_name"),
            User.email,
            StudyProgramme.name_en.label("programme"),
            StudentProfile.programme_id,
            StudentProfile.graduation_year,
            StudentProfile.study_level,
            graduates.c.outcome,
            graduates.c.off_portal,
            graduates.c.recorded_id,
            employer.label("employer"),
            sa.func.coalesce(
                GraduateOutcome.job_title, placement.role_title, placement_posting.title
            ).label("role"),
            GraduateOutcome.institution,
            GraduateOutcome.found_via,
            GraduateOutcome.recorded_at,
            placement.id.label("placement_id"),
            placement.source.label("placement_source"),
        )
        .select_from(graduates)
        .join(StudentProfile, StudentProfile.id == graduates.c.profile_id)
        .join(User, User.id == StudentProfile.user_id)
        .outerjoin(StudyProgramme, StudyProgramme.id == StudentProfile.programme_id)
        .outerjoin(GraduateOutcome, GraduateOutcome.id == graduates.c.recorded_id)
        .outerjoin(recorded_company, recorded_company.id == GraduateOutcome.company_id)
        .outerjoin(placement, placement.id == graduates.c.placement_id)
        .outerjoin(placement_company, placement_company.id == placement.company_id)
        .outerjoin(placement_posting, placement_posting.id == placement.posting_id)
        .order_by(
            column.desc() if sort.startswith("-") else column.asc(),
            sa.func.lower(User.display_name),
            StudentProfile.id,
        )
    )
    if outcome_key is not None:
        statement = statement.where(graduates.c.outcome == outcome_key)
    return statement


def _source(r) -> str | None:
    if r.recorded_id is not None:
        return _("recorded by staff (found via %(where)s)", where=r.found_via)
    if r.placement_id is None:
        return None
    if r.placement_source is PlacementSource.RECORDED:
        return _("placement recorded by staff")
    return _("portal placement")


def _outcome_row(r) -> OutcomeRow:
    placement_decides = r.recorded_id is None and r.placement_id is not None
    return OutcomeRow(
        profile_id=r.profile_id,
        user_id=r.user_id,
        student_name=r.student_name,
        email=r.email,
        programme=r.programme,
        programme_id=r.programme_id,
        graduation_year=r.graduation_year,
        study_level=r.study_level,
        outcome=r.outcome,
        outcome_label=str(OUTCOME_LABELS[r.outcome]),
        employer=r.employer if r.recorded_id is not None or placement_decides else None,
        role=r.role,
        institution=r.institution,
        source=_source(r),
        off_portal=bool(r.off_portal),
        found_via=r.found_via,
        recorded_at=r.recorded_at,
        placement_id=r.placement_id if placement_decides else None,
    )


def outcome_rows(
    class_year: int,
    f: ReportFilter,
    scope: ReportScope,
    outcome_key: str | None = None,
    sort: str = "name",
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[OutcomeRow], int]:
    """One page of the graduates of the class (those with `outcome_key` when given: an
    Outcome value or "no_information") and their total. One statement (two for a page past
    the end)."""
    statement = _rows_statement(class_year, f, scope, outcome_key, sort)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    rows, total = page_with_total(statement, max(1, page), per_page)
    return [_outcome_row(r) for r in rows], total


def iter_outcome_rows(
    class_year: int,
    f: ReportFilter,
    scope: ReportScope,
    outcome_key: str | None = None,
    sort: str = "name",
) -> Iterator[OutcomeRow]:
    """Every graduate of the class (with `outcome_key` when given), streamed for exports."""
    result = db.session.execute(
        _rows_statement(class_year, f, scope, outcome_key, sort).execution_options(
            yield_per=STREAM_BATCH
        )
    )
    try:
        for r in result:
            yield _outcome_row(r)
    finally:
        result.close()
