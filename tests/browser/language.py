"""Choosing a page's language in a browser test, and waiting for the page that choice brings.

The language switch is a form: submitting it answers with a redirect back to the same page,
now in the other language. A test that goes on at once (a `goto`, a reload, a click) races
that navigation, and under load the language is lost: the CI run of 2026-12-07 failed on the
pipeline board reloading before the choice was saved. `choose_language` returns only once
the new page speaks the language. tests/browser/test_habits.py keeps every other
test from working the switch itself.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

LANG_ATTRIBUTE = {"en": re.compile("^en"), "zh_Hant": re.compile("^zh-Hant")}


def choose_language(page: Page, code: str) -> None:
    """Switch `page` to `code` ("en" or "zh_Hant") with the page's own switch.

    The choice is saved on a signed-in account, so another test may have made it already:
    then there is nothing to do. The visible button is clicked as a person would; in a
    collapsed phone menu the form is submitted directly (the menu's opening animation made
    clicks miss under load).
    """
    wanted = LANG_ATTRIBUTE[code]
    # Until the stylesheets have loaded, a collapsed menu's buttons still measure as
    # visible: the CI run of stop 21 clicked one that the arriving CSS then hid.
    page.wait_for_load_state("load")
    html = page.locator("html")
    if wanted.match(html.get_attribute("lang") or ""):
        return
    button = page.locator(f"form[action$='/language'] button[value='{code}']").first
    with page.expect_navigation():
        _press(button)
    expect(html).to_have_attribute("lang", wanted)
    page.wait_for_load_state("load")


def _press(button: Locator) -> None:
    """Click `button` if it shows; if it is hidden, or hides as it is clicked, submit its form."""
    if button.is_visible():
        try:
            button.click(timeout=3_000)
            return
        except PlaywrightTimeoutError:
            pass  # hidden between the check and the click: its form is still there
    button.evaluate("b => b.form.requestSubmit(b)")
