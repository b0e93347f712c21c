"""Browser tests choose a language only through tests/browser/language.py, which waits for
the page the choice brings (a test that goes on at once races that navigation)."""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).parent
SWITCH_TOUCHES = re.compile(r"繁體中文|/language\b|value=.?zh_Hant|name=\"English\"")


def test_only_language_py_works_the_language_switch():
    touches = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(HERE.glob("*.py"))
        if path.name not in {"language.py", Path(__file__).name}
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if SWITCH_TOUCHES.search(line)
    ]
    assert not touches, "choose a language with tests.browser.language:\n" + "\n".join(touches)
