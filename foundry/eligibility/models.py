"""The eligibility columns a posting and a programme both carry, and their check."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from foundry.universities.models import StudyLevel


class EligibilityColumns:
    """Graduation years and the non-local flag of a model open to some students; the model
    declares its own universities, faculties and levels (each names its own association
    tables) and adds graduation_years_ordered() to its __table_args__."""

    graduation_year_from: Mapped[int | None] = mapped_column()
    graduation_year_to: Mapped[int | None] = mapped_column()
    open_to_non_local: Mapped[bool] = mapped_column(default=True)

    @property
    def level_values(self) -> list[StudyLevel]:
        return [item.level for item in self.levels]


def graduation_years_ordered() -> sa.CheckConstraint:
    """The database's copy of the year-order rule (a new constraint per table: one belongs
    to a single table); named ck_<table>_graduation_range_ordered by the naming convention."""
    return sa.CheckConstraint(
        "graduation_year_from IS NULL OR graduation_year_to IS NULL"
        " OR graduation_year_from <= graduation_year_to",
        name="graduation_range_ordered",
    )
