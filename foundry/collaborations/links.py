"""What a collaboration produced: the postings of its partner companies and the
programmes of its parties that came out of it, linked to the record. The record page lists
them; a posting's and a programme's page name the records they came from, to those who may
see those records.

A link is recorded like an outcome: by the faculty's keepers, even once the record ended
(a graduate role opens a year after a capstone), with a line of history.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from foundry import policy
from foundry.accounts.models import User
from foundry.collaborations.link_models import CollaborationPosting, CollaborationProgramme
from foundry.collaborations.models import Collaboration
from foundry.collaborations.services import record_change
from foundry.companies.models import Company
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.postings.models import Posting
from foundry.programmes.models import Programme
from foundry.reports import cache

# How many postings and programmes the record page offers to link (the newest first).
CHOICES = 200
# The records a posting or a programme came from (records_linked_to), kept in the shared cache.
LINKS_TOPIC = "collaboration-links"
cache.watch(CollaborationPosting, CollaborationProgramme, topic=LINKS_TOPIC)


# --- linking ---------------------------------------------------------------------------------


def _party_ids(record: Collaboration) -> tuple[set[int], set[int]]:
    return (
        {p.faculty_id for p in record.faculty_parties},
        {p.company_id for p in record.company_parties},
    )


def link_posting(actor: User, record: Collaboration, posting_id: int) -> None:
    """Link a posting of one of the record's companies to it."""
    posting = db.session.get(Posting, posting_id)
    _faculties, companies = _party_ids(record)
    if posting is None or posting.company_id not in companies:
        raise InvalidInput(_("Choose a posting of one of the collaboration's companies."))
    if db.session.get(CollaborationPosting, (record.id, posting.id)) is not None:
        raise InvalidInput(_("This posting is already linked to the collaboration."))
    db.session.add(CollaborationPosting(collaboration_id=record.id, posting_id=posting.id))
    record_change(actor, record, "posting_linked", after={"posting": posting.title})
    db.session.flush()


def unlink_posting(actor: User, record: Collaboration, posting_id: int) -> None:
    link = db.session.get(CollaborationPosting, (record.id, posting_id))
    if link is None:
        raise InvalidInput(_("This posting is not linked to the collaboration."))
    posting = db.session.get(Posting, posting_id)
    db.session.delete(link)
    record_change(actor, record, "posting_unlinked", before={"posting": posting.title})
    db.session.flush()


def link_programme(actor: User, record: Collaboration, programme_id: int) -> None:
    """Link a programme organised by one of the record's faculties or companies."""
    programme = db.session.get(Programme, programme_id)
    faculties, companies = _party_ids(record)
    if programme is None or not (
        programme.organiser_faculty_id in faculties or programme.organiser_company_id in companies
    ):
        raise InvalidInput(
            _("Choose a programme organised by one of the collaboration's faculties or companies.")
        )
    if db.session.get(CollaborationProgramme, (record.id, programme.id)) is not None:
        raise InvalidInput(_("This programme is already linked to the collaboration."))
    db.session.add(CollaborationProgramme(collaboration_id=record.id, programme_id=programme.id))
    record_change(actor, record, "programme_linked", after={"programme": programme.title_en})
    db.session.flush()


def unlink_programme(actor: User, record: Collaboration, programme_id: int) -> None:
    link = db.session.get(CollaborationProgramme, (record.id, programme_id))
    if link is None:
        raise InvalidInput(_("This programme is not linked to the collaboration."))
    programme = db.session.get(Programme, programme_id)
    db.session.delete(link)
    record_change(actor, record, "programme_unlinked", before={"programme": programme.title_en})
    db.session.flush()


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Produced:
    """A posting or a programme a record produced (or may be linked to), as a page names it."""

    kind: str  # "posting" or "programme"
    id: int
    title_en: str
    title_zh: str | None
    owner: str

    def title(self, locale: str) -> str:
        return self.title_zh if locale.startswith("zh") and self.title_zh else self.title_en


def _postings(where) -> sa.Select:
    return (
        sa.select(
            sa.literal_column("'posting'").label("kind"),
            Posting.id,
            Posting.title.label("title_en"),
            sa.null().label("title_zh"),
            Company.name.label("owner"),
        )
        .join(Company, Company.id == Posting.company_id)
        .where(where)
    )


def _programmes(where) -> sa.Select:
    return sa.select(
        sa.literal_column("'programme'").label("kind"),
        Programme.id,
        Programme.title_en,
        Programme.title_zh,
        sa.literal_column("''").label("owner"),
    ).where(where)


def produced_by(record: Collaboration) -> list[Produced]:
    """The postings and programmes linked to the record: one statement."""
    union = sa.union_all(
        _postings(
            Posting.id.in_(
                sa.select(CollaborationPosting.posting_id).where(
                    CollaborationPosting.collaboration_id == record.id
                )
            )
        ),
        _programmes(
            Programme.id.in_(
                sa.select(CollaborationProgramme.programme_id).where(
                    CollaborationProgramme.collaboration_id == record.id
                )
            )
        ),
    ).subquery()
    rows = db.session.execute(sa.select(union).order_by(union.c.kind, union.c.id))
    return [Produced(*row) for row in rows]


def link_choice_parts(record: Collaboration) -> list[sa.Select]:
    """The newest postings of the record's companies and programmes of its parties (the
    record page's chooser unites it with others: record_choices.py)."""
    faculties, companies = _party_ids(record)
    postings = (
        _postings(Posting.company_id.in_(sorted(companies)))
        .order_by(Posting.id.desc())
        .limit(CHOICES)
        .subquery()
    )
    organised = sa.or_(
        Programme.organiser_faculty_id.in_(sorted(faculties)),
        Programme.organiser_company_id.in_(sorted(companies)),
    )
    programmes = _programmes(organised).order_by(Programme.id.desc()).limit(CHOICES).subquery()
    return [sa.select(postings), sa.select(programmes)]


def records_linked_to(user, obj) -> list[Collaboration]:
    """The records a posting or a programme came from that `user` may see (as a summary at
    least): one statement when there are none, five when there are."""
    if not getattr(user, "is_authenticated", False):
        return []
    return visible_records(user, linked_record_ids(obj))


def linked_record_ids(obj: Posting | Programme) -> list[int]:
    """The ids of the records a posting or a programme came from, whoever reads them: the
    same for every reader (most pages: none), kept in the shared cache."""
    if isinstance(obj, Posting):
        ids = sa.select(CollaborationPosting.collaboration_id).where(
            CollaborationPosting.posting_id == obj.id
        )
    elif isinstance(obj, Programme):
        ids = sa.select(CollaborationProgramme.collaboration_id).where(
            CollaborationProgramme.programme_id == obj.id
        )
    else:
        return []
    return cache.figures(
        "linked-records",
        [type(obj).__name__, obj.id],
        lambda: list(db.session.scalars(ids.limit(50))),
        list,
        list,
        topic=LINKS_TOPIC,
    )


def visible_records(user, ids: list[int]) -> list[Collaboration]:
    """Of the records `ids`, those `user` may see (as a summary at least), newest first."""
    if not ids:
        return []
    records = db.session.scalars(
        sa.select(Collaboration)
        .where(Collaboration.id.in_(ids))
        .options(
            selectinload(Collaboration.faculty_parties),
            selectinload(Collaboration.company_parties),
            selectinload(Collaboration.students),
        )
        .order_by(Collaboration.start_date.desc(), Collaboration.id.desc())
    )
    return [r for r in records if policy.can(user, "collaboration.view_summary", r)]
