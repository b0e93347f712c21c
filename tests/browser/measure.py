"""How wide a page draws on a phone, measured once the page has settled.

Every browser test measures through `horizontal_overflow`: a page reached by a click is
visible before its stylesheets have come back (a 304 under load takes a while), and a
table laid out without them is several hundred pixels wider than the phone. The CI run
of 2026-12-07 failed on exactly that. tests/browser/test_habits.py keeps every
other test from reading the width itself.
"""

from __future__ import annotations

from playwright.sync_api import Page

PHONE_WIDTH = 375


def settle(page: Page) -> None:
    """Wait until the document has loaded (its stylesheets included) and its fonts are ready."""
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")


def page_width(page: Page) -> int:
    """The settled page's full width in CSS pixels, scrolled parts included."""
    settle(page)
    return page.evaluate("document.documentElement.scrollWidth")


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the settled page is wider than a phone (≤ 0 when it fits)."""
    return page_width(page) - PHONE_WIDTH
