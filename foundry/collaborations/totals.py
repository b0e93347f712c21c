"""A portfolio's figures: count, cash and in-kind by kind, by status and by year of the
start, and the knowledge-transfer table universities report to the UGC (contract research,
consultancy, CPD, licences with their income; patents filed and granted and spin-offs from
the records' outcomes).

Two statements whatever the portfolio's size: one grouped by (kind, status, year), folded
into the three tables here (at most kinds × statuses × years rows), and one counting the
outcomes by kind. Both read every record of the portfolio that matches (a search's words
are matched in each one's title and summary), so their results go through the dashboards'
shared cache (foundry/reports/cache.py), under the exact conditions they ran with: none
while no committed write has changed what they count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from foundry.collaborations.filters import Filters, conditions
from foundry.collaborations.models import (
    Collaboration,
    CollaborationKind,
    CollaborationOutcome,
    CollaborationStatus,
    OutcomeKind,
)
from foundry.extensions import db
from foundry.i18n import lazy_gettext as _l
from foundry.reports import cache

cache.watch(Collaboration, CollaborationOutcome)


@dataclass
class Totals:
    """Count, cash and in-kind by kind, by status and by year (of the start)."""

    by_kind: list[tuple] = field(default_factory=list)
    by_status: list[tuple] = field(default_factory=list)
    by_year: list[tuple] = field(default_factory=list)
    outcomes: dict[OutcomeKind, int] = field(default_factory=dict)

    @property
    def overall(self) -> tuple[int, int, int]:
        rows = self.by_kind
        return (
            sum(r[1] for r in rows),
            sum(r[2] for r in rows),
            sum(r[3] for r in rows),
        )

    def of_kind(self, kind: CollaborationKind) -> tuple[int, int, int]:
        for key, count, cash, in_kind in self.by_kind:
            if key is kind:
                return count, cash, in_kind
        return 0, 0, 0


def _folded(rows, position: int, order) -> list[tuple]:
    sums: dict = {}
    for row in rows:
        key = row[position]
        count, cash, in_kind = sums.get(key, (0, 0, 0))
        sums[key] = (count + row[3], cash + row[4], in_kind + row[5])
    return [(key, *sums[key]) for key in sorted(sums, key=order)]


def conditions_key(scope: sa.ColumnElement[bool], filters: Filters) -> str:
    """The records' conditions as SQL with their values written in, the scope and the
    filters whole: a cache key part for everything shown of these records."""
    where = sa.and_(scope, *conditions(filters))
    return str(where.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))


def totals(scope: sa.ColumnElement[bool], filters: Filters, key: str | None = None) -> Totals:
    """The portfolio's totals, in the form universities report knowledge transfer. `key`:
    conditions_key(scope, filters), when the caller has it already."""
    where = [scope, *conditions(filters)]
    key = key if key is not None else conditions_key(scope, filters)
    return cache.figures("collaboration-totals", [key], lambda: _totals(where), _encode, _decode)


def _encode(figures: Totals) -> dict:
    def rows(lines):
        return [[key.value if hasattr(key, "value") else key, *rest] for key, *rest in lines]

    return {
        "by_kind": rows(figures.by_kind),
        "by_status": rows(figures.by_status),
        "by_year": rows(figures.by_year),
        "outcomes": [[kind.value, n] for kind, n in figures.outcomes.items()],
    }


def _decode(value: dict) -> Totals:
    return Totals(
        by_kind=[(CollaborationKind(k), *rest) for k, *rest in value["by_kind"]],
        by_status=[(CollaborationStatus(s), *rest) for s, *rest in value["by_status"]],
        by_year=[tuple(line) for line in value["by_year"]],
        outcomes={OutcomeKind(kind): n for kind, n in value["outcomes"]},
    )


def _totals(where: list) -> Totals:
    year = sa.extract("year", Collaboration.start_date)
    grouped = list(
        db.session.execute(
            sa.select(
                Collaboration.kind,
                Collaboration.status,
                year,
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(Collaboration.cash_hkd), 0),
                sa.func.coalesce(sa.func.sum(Collaboration.in_kind_hkd), 0),
            )
            .where(*where)
            .group_by(Collaboration.kind, Collaboration.status, year)
        )
    )
    rows = [(kind, status, int(y), int(n), int(c), int(k)) for kind, status, y, n, c, k in grouped]
    outcomes = dict(
        db.session.execute(
            sa.select(CollaborationOutcome.kind, sa.func.count())
            .join(Collaboration, Collaboration.id == CollaborationOutcome.collaboration_id)
            .where(*where)
            .group_by(CollaborationOutcome.kind)
        ).all()
    )
    return Totals(
        by_kind=_folded(rows, 0, list(CollaborationKind).index),
        by_status=_folded(rows, 1, list(CollaborationStatus).index),
        by_year=_folded(rows, 2, int),
        outcomes=outcomes,
    )


@dataclass(frozen=True)
class KnowledgeTransferLine:
    """One line of the knowledge-transfer table: a count, and its money where it has any
    (None: the line counts outcomes, which carry no money of their own)."""

    label: object
    count: int
    cash: int | None = None
    in_kind: int | None = None


# The lines universities report, in the UGC's order: records of a kind (with their income),
# then outcomes the records produced.
KT_KINDS = (
    (CollaborationKind.CONTRACT_RESEARCH, _l("Contract research")),
    (CollaborationKind.COLLABORATIVE_RESEARCH, _l("Collaborative research")),
    (CollaborationKind.CONSULTANCY, _l("Consultancy")),
    (CollaborationKind.CPD, _l("Continuing professional development (CPD)")),
    (CollaborationKind.LICENSING, _l("Licences")),
)
KT_OUTCOMES = (
    (OutcomeKind.PATENT_FILED, _l("Patents filed")),
    (OutcomeKind.PATENT_GRANTED, _l("Patents granted")),
    (OutcomeKind.SPIN_OFF, _l("Spin-off companies")),
)


def knowledge_transfer(figures: Totals) -> list[KnowledgeTransferLine]:
    """The knowledge-transfer table of a portfolio, from its totals (no statement)."""
    lines = [KnowledgeTransferLine(label, *figures.of_kind(kind)) for kind, label in KT_KINDS]
    lines += [
        KnowledgeTransferLine(label, figures.outcomes.get(kind, 0)) for kind, label in KT_OUTCOMES
    ]
    return lines
