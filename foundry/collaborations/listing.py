"""A portfolio's records and figures as its page shows them (the totals, a page of records,
the knowledge-transfer table), rendered once between two changes to what they show and kept
in the shared cache (foundry.reports.cache): the same for everyone who may see the
portfolio's scope, since the records listed are decided by the scope alone and the part
holds no form and nothing of the reader.

The key holds the records' conditions with their values written in (the scope, which the
policy decided for the reader, and the filters: totals.conditions_key), the portfolio's
page, the query string (its links repeat it), the page number and the language.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from foundry.collaborations.models import Collaboration, CompanyParty, FacultyParty
from foundry.companies.models import Company
from foundry.reports import cache
from foundry.universities.models import Faculty, University

TOPIC = "collaboration-portfolios"
cache.watch(Collaboration, CompanyParty, FacultyParty, topic=TOPIC)
cache.watch(Company, columns=frozenset({"name"}), topic=TOPIC)
# The filters' lists of faculties and universities, the same for every portfolio alike.
CHOICES_TOPIC = "faculty-choices"
cache.watch(Faculty, University, topic=CHOICES_TOPIC)


def results(
    conditions: str,
    endpoint: str,
    query_string: bytes,
    locale: str,
    page: int,
    render: Callable[[], str],
) -> Markup:
    """The part for these records' `conditions` on the portfolio page `endpoint`."""
    parts = [conditions, endpoint, query_string.decode("latin-1"), locale, page]
    return cache.fragment(TOPIC, "portfolio-results", parts, render)


def choices(parts: list, read: Callable[[], dict]) -> dict:
    """The filters' options, read() once between two changes to the faculties and
    universities: {"faculties": [(id, label)], "universities": [(id, code)]}, as `parts` ask."""
    return cache.figures(
        "portfolio-choices",
        parts,
        read,
        lambda chosen: chosen,
        lambda entry: {name: [tuple(option) for option in found] for name, found in entry.items()},
        topic=CHOICES_TOPIC,
    )
