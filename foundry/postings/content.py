"""What a company writes on a posting: the data, the rules it must meet, and writing it
onto the model (with the text full-text search indexes).

The rules are checked before anything is written, so a refused save leaves the posting as
it was.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import nh3
import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from foundry.db import utcnow
from foundry.eligibility.content import (
    Eligibility,
    apply_eligibility,
    check_eligibility,
    graduation_year_problems,
)
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.postings.markdown import render_markdown
from foundry.postings.models import (
    PayPeriod,
    Posting,
    PostingKind,
    PostingLevel,
    PostingTheme,
    ScreeningQuestion,
    WorkMode,
)
from foundry.postings.search_index import index_text
from foundry.students.services import normalise_skills, skills_named
from foundry.taxonomy import Theme
from foundry.universities.models import Faculty, University

TITLE_MAX = 160
MAX_QUESTIONS = 5
QUESTION_MAX = 500
HONG_KONG = ZoneInfo("Asia/Hong_Kong")


class PostingInputError(InvalidInput):
    """Bad input for a posting: every broken rule as (form field, message); the first one
    is the error's message."""

    def __init__(self, message: str, field: str | None = None, problems=None):
        super().__init__(message)
        self.field = field
        self.problems: list[tuple[str | None, str]] = problems or [(field, message)]


@dataclass
class ScreeningQuestionData:
    prompt: str
    required: bool = True


@dataclass
class PostingData(Eligibility):
    """Everything a company writes on a posting, its eligibility included (Eligibility)."""

    title: str
    kind: PostingKind
    work_mode: WorkMode
    deadline: datetime
    description: str = ""
    requirements: str = ""
    location: str = ""
    start_date: date | None = None
    duration_weeks: int | None = None
    pay_min_hkd: int | None = None
    pay_max_hkd: int | None = None
    pay_period: PayPeriod = PayPeriod.MONTH
    openings: int = 1
    skills: list[str] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    questions: list[ScreeningQuestionData] = field(default_factory=list)


# --- checks ------------------------------------------------------------------------------


def check_posting_data(data: PostingData) -> None:
    """Raise PostingInputError listing every rule `data` breaks."""
    if data.deadline.tzinfo is None:
        raise ValueError("deadline must be an aware datetime")
    problems = list(_problems(data))
    if problems:
        field, message = problems[0]
        raise PostingInputError(message, field, problems)


def _problems(data: PostingData):
    title = data.title.strip()
    if not title:
        yield "title", _("Enter a title for the posting.")
    elif len(title) > TITLE_MAX:
        yield "title", _("Keep the title to %(n)d characters.", n=TITLE_MAX)
    if data.deadline <= utcnow():
        yield "deadline", _("The deadline has passed. Choose a later one.")
    if data.start_date is not None and data.start_date < hong_kong_today():
        yield "start_date", _("The start date is in the past. Choose today or a later date.")
    if data.pay_min_hkd is not None and data.pay_min_hkd < 0:
        yield "pay_min_hkd", _("Pay cannot be negative.")
    elif _both(data.pay_min_hkd, data.pay_max_hkd) and data.pay_min_hkd > data.pay_max_hkd:
        yield "pay_max_hkd", _("The minimum pay is above the maximum. Swap them or correct one.")
    if data.openings < 1:
        yield "openings", _("Offer at least one opening.")
    if data.duration_weeks is not None and not 1 <= data.duration_weeks <= 260:
        yield "duration_weeks", _("Give a duration between 1 and 260 weeks.")
    yield from graduation_year_problems(data)
    try:
        normalise_skills(data.skills)
    except InvalidInput as error:
        yield "skills", error.message
    questions = [q for q in data.questions if q.prompt.strip()]
    if len(questions) > MAX_QUESTIONS:
        yield "questions", _("Ask at most %(n)d screening questions.", n=MAX_QUESTIONS)
    if any(len(q.prompt.strip()) > QUESTION_MAX for q in questions):
        yield "questions", _("Keep each question to %(n)d characters.", n=QUESTION_MAX)


def _both(first, second) -> bool:
    return first is not None and second is not None


def universities_and_faculties(data: PostingData) -> tuple[list[University], list[Faculty]]:
    """The chosen universities and faculties, once the eligibility's rules hold."""
    return check_eligibility(data, PostingInputError)


def hong_kong_today() -> date:
    return utcnow().astimezone(HONG_KONG).date()


# --- writing -----------------------------------------------------------------------------


def build_search_text(posting: Posting) -> str:
    """The text full-text search indexes (search_index.index_text): title, description,
    requirements, skills and the company's names in English and Chinese."""
    company = posting.company
    parts = [
        posting.title,
        _plain_text(posting.description),
        _plain_text(posting.requirements),
        " ".join(skill.name for skill in posting.skills),
        company.name if company else "",
        (company.name_zh or "") if company else "",
    ]
    return index_text("\n".join(part.strip() for part in parts if part and part.strip()))


def reindex_company_postings(company_id: int) -> None:
    """Refresh the search documents of every posting of a company whose names changed."""
    postings = db.session.scalars(
        sa.select(Posting)
        .where(Posting.company_id == company_id)
        .options(selectinload(Posting.skills))  # one query for all, not one per posting
    )
    for posting in postings:
        index_posting(posting)


def index_posting(posting: Posting) -> None:
    """Refresh the posting's search documents from what it (and its company) say now."""
    posting.search_title = index_text(posting.title)
    posting.search_text = build_search_text(posting)


def _plain_text(markdown_text: str | None) -> str:
    rendered = str(render_markdown(markdown_text))
    return html.unescape(nh3.clean(rendered, tags=set())).strip()


def apply_posting_data(posting: Posting, data: PostingData, universities, faculties) -> None:
    skills = skills_named(normalise_skills(data.skills))
    posting.title = data.title.strip()
    posting.kind = data.kind
    posting.description = data.description
    posting.requirements = data.requirements
    posting.location = data.location.strip()
    posting.work_mode = data.work_mode
    posting.start_date = data.start_date
    posting.duration_weeks = data.duration_weeks
    posting.pay_min_hkd = data.pay_min_hkd
    posting.pay_max_hkd = data.pay_max_hkd
    posting.pay_period = data.pay_period
    posting.openings = data.openings
    posting.deadline = data.deadline
    posting.skills = skills
    apply_eligibility(posting, data, universities, faculties, PostingLevel)
    _replace_themes(posting, data.themes)
    _replace_questions(posting, data.questions)
    index_posting(posting)


def _replace_themes(posting: Posting, themes: list[Theme]) -> None:
    wanted = list(dict.fromkeys(themes))
    for item in list(posting.themes):
        if item.theme not in wanted:
            posting.themes.remove(item)
    have = set(posting.theme_values)
    posting.themes.extend(PostingTheme(theme=theme) for theme in wanted if theme not in have)


def _replace_questions(posting: Posting, questions: list[ScreeningQuestionData]) -> None:
    """Rewrite the questions in place, keeping their positions, so (posting, position) stays
    unique within the flush."""
    wanted = [q for q in questions if q.prompt.strip()]
    existing = sorted(posting.questions, key=lambda q: q.position)
    for row, item in zip(existing, wanted, strict=False):
        row.prompt = item.prompt.strip()
        row.required = item.required
    for row in existing[len(wanted) :]:
        posting.questions.remove(row)
    first_free = max((row.position for row in existing), default=0) + 1
    for position, item in enumerate(wanted[len(existing) :], start=first_free):
        posting.questions.append(
            ScreeningQuestion(position=position, prompt=item.prompt.strip(), required=item.required)
        )
