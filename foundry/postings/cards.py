"""The head of a posting card (title, company, badges, pay, place, dates, skills): the
same for every reader of one language, so each is rendered once per process and kept by
everything it shows.

A search page renders twenty cards, and Jinja spent about half the page's time on them.
What differs per reader (eligibility, the saved mark) is rendered around the head by the
posting_card macro, never kept here.

The memo needs no invalidation: its key is every value the head shows (and the language
and script root it is rendered in), so a posting, a company or a skill that changes gives
another key, on any app server, and the old entry simply ages out. Translations change
only with a deploy, which starts new processes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import current_app, g, request, url_for
from flask_babel import get_locale
from markupsafe import Markup

from foundry.postings.labels import KIND_LABELS, PAY_PERIOD_LABELS, WORK_MODE_LABELS
from foundry.postings.models import Posting
from foundry.taxonomy import CLUSTER_LABELS, PARK_LOCATION_LABELS, THEME_LABELS

HEAD_TEMPLATE = "postings/_card_head.html"
SKILLS_SHOWN = 6  # as many as _card_head.html shows
LABELS = {"kind": KIND_LABELS, "mode": WORK_MODE_LABELS, "pay": PAY_PERIOD_LABELS}
MAX_KEPT = 4096  # a head is some 1.5 KB of HTML: at most ~8 MB a worker with its key


class CardHeads:
    """Rendered card heads, the least recently used dropped first."""

    def __init__(self, max_kept: int) -> None:
        self.max_kept = max_kept
        self._kept: OrderedDict[tuple, Markup] = OrderedDict()
        self._lock = threading.Lock()  # gunicorn may run threads (GUNICORN_THREADS)

    def get(self, key: tuple) -> Markup | None:
        with self._lock:
            html = self._kept.get(key)
            if html is not None:
                self._kept.move_to_end(key)
            return html

    def put(self, key: tuple, html: Markup) -> None:
        with self._lock:
            self._kept[key] = html
            self._kept.move_to_end(key)
            while len(self._kept) > self.max_kept:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


_heads = CardHeads(MAX_KEPT)


def head_key(p: Posting, heading: str) -> tuple:
    """Everything the head shows, with what it is rendered in."""
    company = p.company
    return (
        str(get_locale()),
        current_app.config["BABEL_DEFAULT_TIMEZONE"],
        request.script_root,
        heading,
        p.id,
        p.title,
        company.name,
        company.cluster,
        company.park_location,
        p.kind,
        p.work_mode,
        tuple(p.theme_values),
        p.pay_min_hkd,
        p.pay_max_hkd,
        p.pay_period,
        p.location,
        p.start_date,
        p.deadline,
        tuple(skill.name for skill in p.skills[:SKILLS_SHOWN]),
    )


def card_head(p: Posting, heading: str = "h2") -> Markup:
    """The head of `p`'s card, rendered once per key (see the module's docstring)."""
    key = head_key(p, heading)
    html = _heads.get(key)
    if html is None:
        html = render_head(p, heading)
        _heads.put(key, html)
    return html


def render_head(p: Posting, heading: str) -> Markup:
    template = current_app.jinja_env.get_template(HEAD_TEMPLATE)
    return Markup(  # noqa: S704 (an autoescaped template's output)
        template.render(
            p=p,
            labels=LABELS,
            heading=heading,
            CLUSTER_LABELS=CLUSTER_LABELS,
            PARK_LOCATION_LABELS=PARK_LOCATION_LABELS,
            THEME_LABELS=THEME_LABELS,
        )
    )


def kept_heads() -> int:
    """How many heads this process keeps (for tests)."""
    return len(_heads._kept)


def forget_heads() -> None:
    _heads.clear()


# Where a card's save button posts. A search page has twenty: the address is built once a
# page, its posting number put in by formatting rather than by url_for each time.
_NUMBER = 987654321  # a posting number no address otherwise contains


def save_action(posting_id: int, saved: bool) -> str:
    """The address that saves (or, when `saved`, unsaves) the posting `posting_id`."""
    endpoint = "saved_postings.unsave" if saved else "saved_postings.save"
    built = g.setdefault("save_actions", {})
    if endpoint not in built:
        built[endpoint] = url_for(endpoint, posting_id=_NUMBER).split(str(_NUMBER), 1)
    before, after = built[endpoint]
    return f"{before}{posting_id}{after}"
