"""What the organisers read of a programme's feedback: the figures (how many, the
average, how many gave each rating) in one grouped statement, the comments newest first a
page at a time, and every answer as a CSV. Organisers see ratings and comments, not who
gave them: the form tells students so."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.extensions import db
from foundry.programmes.feedback_models import MAX_RATING, MIN_RATING, ProgrammeFeedback
from foundry.programmes.models import Programme
from foundry.reports.exports import Column, Export


@dataclass(frozen=True)
class FeedbackSummary:
    answers: int
    comments: int
    # {rating: answers}, from the highest rating down, zeros included
    distribution: dict[int, int]

    @property
    def average(self) -> float | None:
        if not self.answers:
            return None
        return sum(rating * n for rating, n in self.distribution.items()) / self.answers

    def share(self, rating: int) -> float:
        """The fraction of answers with this rating (0 when there are none)."""
        return self.distribution[rating] / self.answers if self.answers else 0.0


def feedback_summary(programme: Programme) -> FeedbackSummary:
    rows = db.session.execute(
        sa.select(
            ProgrammeFeedback.rating, sa.func.count(), sa.func.count(ProgrammeFeedback.comment)
        )
        .where(ProgrammeFeedback.programme_id == programme.id)
        .group_by(ProgrammeFeedback.rating)
    ).all()
    distribution = dict.fromkeys(range(MAX_RATING, MIN_RATING - 1, -1), 0)
    comments = 0
    for rating, answers, with_comment in rows:
        distribution[rating] = answers
        comments += with_comment
    return FeedbackSummary(sum(distribution.values()), comments, distribution)


def comments_statement(programme: Programme) -> sa.Select:
    """The answers with a comment, the latest written or changed first."""
    return (
        sa.select(ProgrammeFeedback)
        .where(
            ProgrammeFeedback.programme_id == programme.id,
            ProgrammeFeedback.comment.is_not(None),
        )
        .order_by(ProgrammeFeedback.updated_at.desc(), ProgrammeFeedback.id.desc())
    )


def feedback_export(programme: Programme, locale: str) -> Export:
    """Every answer (rating, comment, when), newest first, without names."""
    stmt = (
        sa.select(ProgrammeFeedback.updated_at, ProgrammeFeedback.rating, ProgrammeFeedback.comment)
        .where(ProgrammeFeedback.programme_id == programme.id)
        .order_by(ProgrammeFeedback.updated_at.desc(), ProgrammeFeedback.id.desc())
    )

    def rows() -> Iterator[list]:
        for updated_at, rating, comment in db.session.execute(stmt):
            yield [updated_at, rating, comment or ""]

    return Export(
        columns=[
            Column(_("Given or last changed at (Hong Kong time)"), "datetime", 20),
            Column(_("Rating (1 to 5)"), "int", 10),
            Column(_("Comment"), width=80),
        ],
        rows=rows(),
        filename=f"feedback-{programme.title_en}",
        title=_("Feedback on %(title)s", title=programme.title(locale)),
        sheet=_("Feedback"),
    )
