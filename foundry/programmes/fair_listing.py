""" "Who's coming" at a fair (its exhibitors by booth, their roles and free slots), rendered
once between two changes to what it shows and kept in the shared cache
(foundry.reports.cache): at a career day of 150 companies and 1,000 roles it was most of
the page's time, and it is the same for every visitor.

A registered student's copy holds forms. Their token and whether the student has already
dropped a CV with each company are the visitor's own: the cached copy carries markers
(HTML comments, which escaped content cannot make) filled in for each request. Slots show
their seats left and only those still ahead: an entry is keyed on the minute too.
"""

from __future__ import annotations

import re
from datetime import datetime

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from foundry.companies.models import Company
from foundry.postings.models import Posting
from foundry.programmes import fair_queries as q
from foundry.programmes.fairs.models import FairBooking, FairExhibitor, FairSlot
from foundry.programmes.models import Programme
from foundry.reports import cache
from foundry.urls import id_url

TOPIC = "fair-exhibitors"
cache.watch(FairExhibitor, topic=TOPIC)
# A booking's lock writes the slot's row on SQLite (a write that changes nothing): the
# bookings themselves are what the seats left are counted from.
SLOT_COLUMNS = frozenset({"exhibitor_id", "kind", "label", "starts_at", "ends_at", "capacity"})
cache.watch(FairSlot, columns=SLOT_COLUMNS, topic=TOPIC)
cache.watch(FairBooking, columns=frozenset({"status", "slot_id"}), topic=TOPIC)
cache.watch(Company, columns=frozenset({"name", "name_zh", "slug"}), topic=TOPIC)
cache.watch(Posting, columns=frozenset({"title"}), topic=TOPIC)

DROP_FORM = re.compile(r"<!--drop (\d+)-->(.*?)<!--/drop-->", re.DOTALL)


def exhibitors(
    programme: Programme,
    query: str,
    locale: str,
    now: datetime,
    *,
    forms: bool,
    dropped: set[int],
    kind_labels: dict,
) -> Markup:
    """The exhibitors' part of the fair page; with `forms`, a registered student's (their
    CV already dropped with the companies in `dropped`). `kind_labels` name the slots'
    kinds in the reader's language."""

    def render() -> str:
        return render_template(
            "programmes/fair/_exhibitors.html",
            rows=q.who_is_coming(programme, query, now),
            query=query,
            forms=forms,
            kind_labels=kind_labels,
            id_url=id_url,
            csrf_token=lambda: cache.FORM_TOKEN,
        )

    minute = cache.minute_of(now)
    parts = [programme.id, query, locale, forms, minute]
    part = cache.fragment(TOPIC, "who-is-coming", parts, render)
    if not forms:
        return part
    badge = Markup('<span class="badge text-bg-success align-self-center">%s</span>') % _(
        "CV dropped"
    )
    filled = DROP_FORM.sub(lambda m: badge if int(m.group(1)) in dropped else m.group(2), str(part))
    return cache.with_form_token(filled)
