"""Tests of finding postings: search, posting pages, the feed, saved postings and searches.

Helpers shared by these tests live here.
"""

from __future__ import annotations

import re

from foundry.extensions import db


def titles(page) -> list[str]:
    """The posting titles on a page (a response or its HTML), in order."""
    html = page if isinstance(page, str) else page.get_data(as_text=True)
    return [
        re.sub(r"<[^>]+>", "", m[1]).strip()
        for m in re.findall(
            r'<(h[23]) class="h5 mb-1" id="posting-\d+-title">(.*?)</\1>', html, re.S
        )
    ]


def is_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"
