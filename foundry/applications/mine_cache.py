"""A student's list of their applications (its counts by status and a page of rows),
rendered once between two changes to their applications and kept in the shared cache
(foundry.reports.cache): a student following their applications reloads the list far
more often than a recruiter moves one of them.

The topic is partitioned by student (their profile): a move of one student's application
renews their list alone. A posting retitled or a company renamed renews every list. The
list holds no form: nothing is filled in per request.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from foundry.applications.models import Application
from foundry.companies.models import Company
from foundry.postings.models import Posting
from foundry.reports import cache

TOPIC = "my-applications"
cache.watch(Application, topic=TOPIC, partition_by="profile_id")
cache.watch(Posting, columns=frozenset({"title"}), topic=TOPIC)
cache.watch(Company, columns=frozenset({"name"}), topic=TOPIC)


def applications_list(
    profile_id: int, query_string: bytes, locale: str, render: Callable[[], str]
) -> Markup:
    """The list of the student `profile_id` for this query string (its status filter,
    sorting and page, which the links repeat) and language."""
    parts = [profile_id, query_string.decode("latin-1"), locale]
    return cache.fragment(TOPIC, "my-applications", parts, render, part=profile_id)
