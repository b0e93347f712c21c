"""Students' saved postings and saved searches, and the alerts those searches send: an
in-app notification when a matching posting is published, and an e-mail digest.

Matching reuses the filters of search.py in SQL, restricted to the posting (or the time
window) at hand, so an alert fires exactly when the saved search would list the posting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.db import utcnow
from foundry.errors import InvalidInput, NotFound
from foundry.extensions import db
from foundry.notifications.services import notify, queue_email
from foundry.postings.models import Posting, PostingStatus, SavedPosting, SavedSearch
from foundry.postings.search import (
    SearchParams,
    filtered_select,
    for_alerts,
    parse_search_params,
)
from foundry.students.models import StudentProfile
from foundry.urls import absolute_url

MAX_SAVED_SEARCHES = 50
NAME_MAX_LENGTH = 80
# Saved searches matched per statement (a UNION ALL of one SELECT each); SQLite allows 500.
MATCH_BATCH = 100
DIGEST_POSTINGS_PER_SEARCH = 10


# --- saved postings ----------------------------------------------------------------------


def save_posting(actor: User, posting: Posting | None) -> SavedPosting:
    """Keep a published posting on the student's list (saving it twice changes nothing)."""
    if posting is None or posting.status is not PostingStatus.PUBLISHED:
        raise NotFound(_("There is no published posting with this number to save."))
    saved = db.session.get(SavedPosting, (actor.id, posting.id))
    if saved is None:
        saved = SavedPosting(user_id=actor.id, posting_id=posting.id)
        db.session.add(saved)
        db.session.flush()
    return saved


def unsave_posting(actor: User, posting_id: int) -> None:
    """Take a posting off the student's list, whatever its state now."""
    saved = db.session.get(SavedPosting, (actor.id, posting_id))
    if saved is None:
        raise NotFound(_("This posting is not on your saved list."))
    db.session.delete(saved)
    db.session.flush()


def saved_posting_ids(user: User, posting_ids: Iterable[int]) -> set[int]:
    """Which of these postings the user has saved, in one query."""
    ids = list(posting_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(SavedPosting.posting_id).where(
                SavedPosting.user_id == user.id, SavedPosting.posting_id.in_(ids)
            )
        )
    )


# --- saved searches ----------------------------------------------------------------------


def _clean_name(actor: User, name: str, keep: SavedSearch | None = None) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise InvalidInput(_("Give the search a name."))
    if len(cleaned) > NAME_MAX_LENGTH:
        raise InvalidInput(_("Keep the name to %(max)d characters or fewer.", max=NAME_MAX_LENGTH))
    clash = db.session.scalar(
        sa.select(SavedSearch.id).where(
            SavedSearch.user_id == actor.id,
            SavedSearch.name == cleaned,
            SavedSearch.id != (keep.id if keep else -1),
        )
    )
    if clash is not None:
        raise InvalidInput(_("You already have a saved search called “%(name)s”.", name=cleaned))
    return cleaned


def save_search(actor: User, name: str, params: SearchParams, now: datetime) -> SavedSearch:
    """Keep a search under a name, with alerts on for postings published from now on."""
    cleaned = _clean_name(actor, name)
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(SavedSearch).where(SavedSearch.user_id == actor.id)
    )
    if count >= MAX_SAVED_SEARCHES:
        raise InvalidInput(
            _(
                "You can keep up to %(max)d saved searches. Delete one you no longer need.",
                max=MAX_SAVED_SEARCHES,
            )
        )
    search = SavedSearch(
        user_id=actor.id,
        name=cleaned,
        params=params.to_args(),
        alerts_enabled=True,
        last_alerted_at=now,
    )
    db.session.add(search)
    db.session.flush()
    return search


def rename_search(actor: User, search: SavedSearch, name: str) -> SavedSearch:
    """Give a saved search a new name."""
    search.name = _clean_name(actor, name, keep=search)
    db.session.flush()
    return search


def set_search_alerts(actor: User, search: SavedSearch, enabled: bool, now: datetime) -> None:
    """Turn a saved search's alerts on (from now on) or off."""
    if enabled and not search.alerts_enabled:
        search.last_alerted_at = now
    search.alerts_enabled = enabled
    db.session.flush()


def delete_search(actor: User, search: SavedSearch) -> None:
    """Forget a saved search."""
    db.session.delete(search)
    db.session.flush()


def search_of(actor: User, search_id: int) -> SavedSearch:
    """The actor's own saved search; anyone else's is not found."""
    search = db.session.scalar(
        sa.select(SavedSearch).where(SavedSearch.id == search_id, SavedSearch.user_id == actor.id)
    )
    if search is None:
        raise NotFound(_("You have no saved search with this number."))
    return search


def params_of(search: SavedSearch) -> SearchParams | None:
    """The stored parameters, checked again; None when they are no longer valid."""
    try:
        return parse_search_params(search.params or {})
    except InvalidInput:
        return None


# --- alerts ------------------------------------------------------------------------------


def _alerting_searches(
    university_id: int | None = None,
) -> list[tuple[SavedSearch, StudentProfile, SearchParams]]:
    """Saved searches with alerts on, of active students (of one university if given)."""
    stmt = (
        sa.select(SavedSearch, StudentProfile)
        .join(StudentProfile, StudentProfile.user_id == SavedSearch.user_id)
        .join(User, User.id == SavedSearch.user_id)
        .where(SavedSearch.alerts_enabled.is_(True), User.active.is_(True))
        .order_by(SavedSearch.id)
    )
    if university_id is not None:
        stmt = stmt.where(StudentProfile.university_id == university_id)
    rows = db.session.execute(stmt).all()
    found = []
    for search, profile in rows:
        params = params_of(search)
        if params is not None:
            found.append((search, profile, for_alerts(params)))
    return found


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _search_id(search: SavedSearch):
    # A literal integer column (not a bind parameter) so UNION ALL keeps its type everywhere.
    return sa.literal_column(str(int(search.id)), sa.Integer).label("search_id")


def _path(endpoint: str, **values) -> str:
    """A URL path on this site, inside a request or not (a CLI command has none)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("").build(endpoint, values)


def alert_saved_searches(posting: Posting, *, university_id: int | None = None) -> int:
    """Notify (in-app) each student whose saved search matches a just-published posting.

    Call it after the posting is flushed as published. Only students who may apply to the
    posting and whose university shows it are told; one notification per student.
    When a university approves a posting later, call it with that `university_id` to tell
    its students alone. Returns how many notifications were created.
    """
    now = utcnow()
    searches = _alerting_searches(university_id)
    by_id = {search.id: (search, profile) for search, profile, _params in searches}
    matched: dict[int, list[SavedSearch]] = defaultdict(list)
    for batch in _batches(searches, MATCH_BATCH):
        selects = [
            filtered_select([_search_id(search)], params, profile, now).where(
                Posting.id == posting.id
            )
            for search, profile, params in batch
        ]
        for search_id in db.session.scalars(sa.union_all(*selects)):
            search, profile = by_id[search_id]
            matched[profile.user_id].append(search)
    for user_searches in matched.values():
        user = by_id[user_searches[0].id][1].user
        names = ", ".join(f"“{s.name}”" for s in user_searches)
        notify(
            user,
            "posting.alert",
            _path("postings.view", posting_id=posting.id),
            email=False,
            names=names,
            title=posting.title,
            company=posting.company.name,
        )
    return len(matched)


def send_alert_digests(now: datetime) -> int:
    """E-mail each student, once, the postings published since their searches last alerted.

    Every saved search with alerts on moves its `last_alerted_at` to `now`. Returns how
    many e-mails were queued.
    """
    searches = _alerting_searches()
    by_id = {search.id: (search, profile, params) for search, profile, params in searches}
    found: dict[int, list[int]] = defaultdict(list)
    for batch in _batches(searches, MATCH_BATCH):
        selects = [
            filtered_select([_search_id(search), Posting.id], params, profile, now).where(
                Posting.published_at > (search.last_alerted_at or search.created_at),
                Posting.published_at <= now,
            )
            for search, profile, params in batch
        ]
        for search_id, posting_id in db.session.execute(sa.union_all(*selects)):
            found[search_id].append(posting_id)
    postings = _postings_by_id({pid for ids in found.values() for pid in ids})
    per_user: dict[int, list[tuple[SavedSearch, list[Posting]]]] = defaultdict(list)
    for search_id, posting_ids in found.items():
        search, profile, _params = by_id[search_id]
        newest = sorted(
            (postings[pid] for pid in posting_ids), key=lambda p: p.published_at, reverse=True
        )
        per_user[profile.user_id].append((search, newest))
    for items in per_user.values():
        _queue_digest(by_id[items[0][0].id][1].user, items)
    for search, _profile, _params in searches:
        search.last_alerted_at = now
    db.session.flush()
    return len(per_user)


def _postings_by_id(ids: set[int]) -> dict[int, Posting]:
    if not ids:
        return {}
    rows = db.session.scalars(sa.select(Posting).where(Posting.id.in_(ids)))
    return {posting.id: posting for posting in rows}


def _queue_digest(user: User, items: list[tuple[SavedSearch, list[Posting]]]) -> None:
    total = sum(len(postings) for _search, postings in items)
    with force_locale(user.preferred_locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = ngettext(
            "%(num)d new posting for your saved searches",
            "%(num)d new postings for your saved searches",
            total,
        )
        lines = [_("Dear %(name)s,", name=user.display_name), ""]
        for search, postings in sorted(items, key=lambda item: item[0].name):
            lines.append(_("Your saved search “%(name)s”:", name=search.name))
            for posting in postings[:DIGEST_POSTINGS_PER_SEARCH]:
                lines.append(f"- {posting.title} — {posting.company.name}")
                lines.append(f"  {absolute_url(_path('postings.view', posting_id=posting.id))}")
            if len(postings) > DIGEST_POSTINGS_PER_SEARCH:
                lines.append(
                    _(
                        "and %(num)d more: %(link)s",
                        num=len(postings) - DIGEST_POSTINGS_PER_SEARCH,
                        link=absolute_url(_path("saved_postings.run_search", search_id=search.id)),
                    )
                )
            lines.append("")
        lines.append(
            _(
                "Turn these alerts off on your saved searches page: %(link)s",
                link=absolute_url(_path("saved_postings.searches")),
            )
        )
        lines += ["", "— Talent Foundry"]
        queue_email(user.email, subject, "\n".join(lines))
