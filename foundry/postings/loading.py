"""What a page loads with its postings. A posting's lists (eligibility, skills, themes,
questions, approvals) load eagerly by default, one statement each wherever a posting is
read; most pages show few of them or none, so each says which it reads."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, defer, joinedload, lazyload, selectinload

from foundry.accounts.models import User
from foundry.companies.models import Company
from foundry.extensions import db
from foundry.postings.models import Posting, PostingApproval, SavedPosting
from foundry.students.models import StudentProfile

POSTING_LISTS = (
    Posting.universities,
    Posting.faculties,
    Posting.skills,
    Posting.levels,
    Posting.themes,
    Posting.questions,
    Posting.approvals,
)


def without_lists() -> list:
    """Loader options for pages that show none of a posting's lists (desks, queues, the
    pipeline): each is left to load if it is read after all."""
    return [lazyload(relationship) for relationship in POSTING_LISTS]


def card_loader_options(profile: StudentProfile | None, *, approved: bool = False) -> list:
    """Loader options for a page of posting cards: the lists every card shows (skills and
    themes) and, for a student, those application_blockers() reads (the eligibility lists,
    and the approvals when their university gives them, unless `approved`: the page lists
    only postings it approved), each in one statement for the page. The lists nobody reads
    there are left to load if read."""
    return list(_card_options(profile is not None, _reads_approvals(profile) and not approved))


# Loader options are immutable: each set is built once per process, not on every page
# (building them cost more Python than the page's own selectin statements did).
@cache
def _card_options(student: bool, approvals: bool) -> tuple:
    read = {
        Posting.skills: True,
        Posting.themes: True,
        Posting.universities: student,
        Posting.faculties: student,
        Posting.levels: student,
        Posting.approvals: approvals,
        Posting.questions: False,
    }
    return tuple(
        selectinload(relationship) if read[relationship] else lazyload(relationship)
        for relationship in POSTING_LISTS
    )


# A card shows none of a posting's long texts, nor its company's: they are left in the table
# (a page of a common word's matches sorted rows some 2 KB wide, most of its time), and
# reading one anyway raises, so a card that starts showing one says so in its loader.
CARD_UNREAD_TEXTS = (
    Posting.description,
    Posting.requirements,
    Posting.search_title,
    Posting.search_text,
    Posting.review_note,
)
COMPANY_UNREAD_TEXTS = (Company.description, Company.website)


@cache
def card_text_options() -> tuple:
    """Loader options leaving out the long texts no card shows (see above)."""
    return tuple(defer(column, raiseload=True) for column in CARD_UNREAD_TEXTS)


@cache
def joined_company_options() -> tuple:
    """Loader options for a card's company joined in the statement (contains_eager),
    leaving out the texts no card shows."""
    joined = contains_eager(Posting.company)
    return tuple(joined.defer(column, raiseload=True) for column in COMPANY_UNREAD_TEXTS)


def page_loader_options(profile: StudentProfile | None) -> list:
    """Loader options for a posting's own page, which shows every list but the approvals.
    Of those, a student whose university gives them needs only that university's decision
    (application_blockers() reads no other): it is joined in, the others are not loaded."""
    if not _reads_approvals(profile):
        return [lazyload(Posting.approvals)]
    theirs = Posting.approvals.and_(PostingApproval.university_id == profile.university_id)
    return [joinedload(theirs)]


def posting_for_page(
    posting_id: int, profile: StudentProfile | None, viewer: User
) -> tuple[Posting | None, bool]:
    """The posting with what its page reads (page_loader_options) and, for a student,
    whether they saved it: one statement, as the page's saved mark took a second."""
    options = [joinedload(Posting.company), *page_loader_options(profile), lazyload("*")]
    if profile is None:
        return db.session.get(Posting, posting_id, options=options), False
    saved = sa.exists().where(
        SavedPosting.user_id == viewer.id, SavedPosting.posting_id == Posting.id
    )
    found = (
        db.session.execute(
            sa.select(Posting, saved).where(Posting.id == posting_id).options(*options)
        )
        .unique()
        .first()
    )
    return (found[0], found[1]) if found else (None, False)


def apply_loader_options(profile: StudentProfile) -> list:
    """Loader options for the apply form and its submission: what check_can_apply() reads
    (the eligibility lists, and their own university's approval as on the posting's page)
    and the questions; not the skills and themes, which the form does not show."""
    return [lazyload(Posting.skills), lazyload(Posting.themes), *page_loader_options(profile)]


def _reads_approvals(profile: StudentProfile | None) -> bool:
    return profile is not None and profile.university.posting_approval_required
