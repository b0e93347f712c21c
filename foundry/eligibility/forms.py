"""The eligibility part of the posting and programme forms: the six fields, their choices,
what they read, and a saved posting's or programme's eligibility as their initial data.

The fields post under the same names on both forms (university_ids, faculty_ids, levels,
graduation_year_from, graduation_year_to, open_to_non_local); templates/_macros/
eligibility.html renders them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from wtforms import BooleanField, Field, IntegerField
from wtforms.validators import NumberRange, Optional

from foundry.eligibility.content import EARLIEST_YEAR, LATEST_YEAR, Eligibility
from foundry.i18n import lazy_gettext as _l
from foundry.students.forms import MultiCheckboxField
from foundry.students.labels import STUDY_LEVEL_LABELS
from foundry.universities.models import StudyLevel

if TYPE_CHECKING:
    from foundry.postings.models import Posting
    from foundry.programmes.models import Programme


@dataclass(frozen=True)
class OpenToAllHelp:
    """The help under the three lists, saying that leaving one unticked opens it to all, in
    the words of the form's page (a posting reaches students, a programme welcomes them)."""

    universities: str
    faculties: str
    levels: str


def _graduation_year(label) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            Optional(),
            NumberRange(EARLIEST_YEAR, LATEST_YEAR, _l("Enter a year between 2000 and 2100.")),
        ],
        render_kw={"min": EARLIEST_YEAR, "max": LATEST_YEAR, "inputmode": "numeric"},
    )


class EligibilityFields:
    """Mixed into a form before FlaskForm (`class PostingForm(EligibilityFields, FlaskForm)`).
    The form says its `open_to_all_help` and where the fields sit (`eligibility_follows`);
    its view calls set_choices() before validating or rendering; to_data() takes
    eligibility()."""

    FIELD_NAMES: ClassVar[tuple[str, ...]] = (
        "university_ids",
        "faculty_ids",
        "levels",
        "graduation_year_from",
        "graduation_year_to",
        "open_to_non_local",
    )
    open_to_all_help: ClassVar[OpenToAllHelp]
    # The field the six follow on the form's page. WTForms lists a form's fields in the
    # order they were created, which puts a mixin's first; the error summary above the
    # form (foundry.web.form_error_messages) lists them as the page shows them.
    eligibility_follows: ClassVar[str]

    university_ids = MultiCheckboxField(_l("Universities"), coerce=int)
    faculty_ids = MultiCheckboxField(_l("Faculties"), coerce=int)
    levels = MultiCheckboxField(
        _l("Study levels"),
        choices=[(level.value, label) for level, label in STUDY_LEVEL_LABELS.items()],
    )
    graduation_year_from = _graduation_year(_l("Graduating from (year)"))
    graduation_year_to = _graduation_year(_l("Graduating by (year)"))
    open_to_non_local = BooleanField(
        _l("Open to non-local students (e.g. on a study visa)"), default=True
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        help_text = self.open_to_all_help
        self.university_ids.description = help_text.universities
        self.faculty_ids.description = help_text.faculties
        self.levels.description = help_text.levels

    def __iter__(self) -> Iterator[Field]:
        """The fields in the page's order: the six right after `eligibility_follows`."""
        ours = [self[name] for name in self.FIELD_NAMES]
        for field in super().__iter__():
            if field.name not in self.FIELD_NAMES:
                yield field
            if field.name == self.eligibility_follows:
                yield from ours

    def set_choices(self, universities, locale: str) -> None:
        """Universities and their faculties that eligibility can be limited to."""
        self.university_ids.choices = [(u.id, u.name(locale)) for u in universities]
        self.faculty_ids.choices = [
            (f.id, f.name(locale)) for u in universities for f in u.faculties
        ]
        self._universities = list(universities)

    def faculty_options_by_university(self) -> list[tuple[object, list]]:
        """(university, its faculties' checkboxes), for a fieldset per university."""
        options = {option.data: option for option in self.faculty_ids}
        return [
            (u, [options[f.id] for f in u.faculties if f.id in options]) for u in self._universities
        ]

    def eligibility(self) -> Eligibility:
        """What the six fields say (checked by foundry.eligibility.content.check_eligibility)."""
        return Eligibility(
            university_ids=list(self.university_ids.data or []),
            faculty_ids=list(self.faculty_ids.data or []),
            levels=[StudyLevel(v) for v in self.levels.data or []],
            graduation_year_from=self.graduation_year_from.data,
            graduation_year_to=self.graduation_year_to.data,
            open_to_non_local=self.open_to_non_local.data,
        )


def eligibility_form_data(owner: Posting | Programme) -> dict:
    """A saved posting's or programme's eligibility as the fields' initial data."""
    return {
        "university_ids": [u.id for u in owner.universities],
        "faculty_ids": [f.id for f in owner.faculties],
        "levels": [level.value for level in owner.level_values],
        "graduation_year_from": owner.graduation_year_from,
        "graduation_year_to": owner.graduation_year_to,
        "open_to_non_local": owner.open_to_non_local,
    }
