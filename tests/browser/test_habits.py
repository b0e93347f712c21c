"""Habits every browser test keeps, each learnt from a CI run lost to a race under load:

- a page's width is read only through tests/browser/measure.py, which waits for the page's
  stylesheets first (read earlier, the width is that of a page laid out without them);
- a language is chosen only through tests/browser/language.py, which waits for the page
  the choice brings (a test that goes on at once races that navigation).
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).parent
WIDTH_READS = re.compile(r"scrollWidth|PHONE_WIDTH\s*=\s*\d")
SWITCH_TOUCHES = re.compile(r"繁體中文|/language\b|value=.?zh_Hant|name=\"English\"")


def _lines_matching(pattern: re.Pattern, allowed: str) -> list[str]:
    """The lines of the browser tests, but `allowed` and this file, that match `pattern`."""
    return [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(HERE.glob("*.py"))
        if path.name not in {allowed, Path(__file__).name}
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]


def test_only_measure_py_reads_a_pages_width():
    readers = _lines_matching(WIDTH_READS, "measure.py")
    assert not readers, "measure widths with tests.browser.measure:\n" + "\n".join(readers)


def test_only_language_py_works_the_language_switch():
    touches = _lines_matching(SWITCH_TOUCHES, "language.py")
    assert not touches, "choose a language with tests.browser.language:\n" + "\n".join(touches)
