"""What the postings' cached pages share (the search's results, a posting's page): their
topic in the shared cache (foundry.reports.cache) with what it reads, the cohort a
student's copy is kept for, and the markers a copy carries for what is each student's own.

A posting's page and its card show a student their eligibility, which depends only on
their university (its approvals, too), faculty, level, graduation year and origin: the
cohort is part of an entry's key, so one cohort's copy is never shown to another. Their
saved marks and their form token are their own: a cached copy carries both forms of each
save button between markers (HTML comments, which escaped content cannot make), and the
request keeps the one that applies (one statement for the page's saved marks) and puts its
token in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from markupsafe import Markup

from foundry.accounts.models import User
from foundry.companies.models import Company
from foundry.eligibility.rules import cohort
from foundry.postings.alerts import saved_posting_ids
from foundry.postings.models import (
    Posting,
    PostingApproval,
    PostingLevel,
    PostingTheme,
    ScreeningQuestion,
)
from foundry.reports import cache
from foundry.students.models import Skill, StudentProfile
from foundry.universities.models import Faculty, University

TOPIC = "postings"
# A posting's lists (universities, faculties, skills) are association tables: a change to
# one is a change to the posting's row state, which this follows.
cache.watch(Posting, PostingLevel, PostingTheme, PostingApproval, ScreeningQuestion, topic=TOPIC)
COMPANY_COLUMNS = frozenset({"name", "slug", "cluster", "park_location", "verification_status"})
cache.watch(Company, columns=COMPANY_COLUMNS, topic=TOPIC)
cache.watch(Skill, columns=frozenset({"name"}), topic=TOPIC)
cache.watch(University, columns=frozenset({"code", "posting_approval_required"}), topic=TOPIC)
cache.watch(Faculty, columns=frozenset({"name_en", "name_zh"}), topic=TOPIC)

# _cards.html's save_button with saved=none: the unsaved form, then the saved one.
SAVE_FORMS = re.compile(r"<!--save (\d+)-->(.*?)<!--saved-->(.*?)<!--/save-->", re.DOTALL)


def filled(html: str, viewer: User, saved: set[int] | None = None) -> str:
    """The cached copy with the viewer's saved marks (`saved`, when the caller read them
    already) and form token."""
    if saved is None:
        saved = saved_posting_ids(viewer, {int(m) for m in re.findall(r"<!--save (\d+)-->", html)})
    html = SAVE_FORMS.sub(lambda m: m.group(3) if int(m.group(1)) in saved else m.group(2), html)
    return cache.with_form_token(html)


def posting_body(
    posting: Posting,
    viewer: User,
    profile: StudentProfile | None,
    locale: str,
    now: datetime,
    *,
    is_saved: bool,
    may_view_company: bool,
    render: Callable[[], str],
) -> Markup:
    """The body of a published posting's page as `viewer` sees it; `render` renders it with
    save_button(saved=none) for a student, whose mark (`is_saved`) is filled in. What of
    the viewer it shows is in the key: their cohort, whether they are signed in (the apply
    button) and may see the company's page (its link); whether applications are still
    open moves with the minute."""
    parts = [
        posting.id,
        locale,
        cohort(profile),
        viewer.is_authenticated,
        may_view_company,
        cache.minute_of(now),
    ]
    html = str(cache.fragment(TOPIC, "posting-page", parts, render))
    if profile is not None:
        html = filled(html, viewer, {posting.id} if is_saved else set())
    return Markup(html)  # noqa: S704 (an autoescaped template's output, filled in)
